// Where the CLI writes and how it learns it should stop: injectable so tests can run `main`
// in-process, while the bin wires it to the real process.

export interface OutputStream {
  write(chunk: string): unknown;
  /** True for an interactive terminal: enables the spinner and colours. */
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Working directory that relative paths (trace dir, domains) resolve against. */
  cwd: string;
  /**
   * Resolves when the process is asked to stop (SIGTERM/SIGINT), with the signal's name; long-
   * running commands (serve, tool-registry) await it, then shut down gracefully.
   */
  waitForShutdown(): Promise<string>;
  /** Aborts when the user interrupts a one-shot command (run, demo), so the run ends `canceled`. */
  interrupt?: AbortSignal;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Writes one line (a newline is added). */
export function writeLine(stream: OutputStream, line = ''): void {
  stream.write(`${line}\n`);
}
