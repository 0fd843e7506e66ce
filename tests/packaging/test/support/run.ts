// Runs a command and answers its exit code and output instead of throwing.
import { execFile } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code =
          error === null ? 0 : typeof error.code === 'number' ? error.code : error.killed ? 124 : 1;
        resolve({
          code,
          stdout,
          stderr: error && code !== 0 ? `${stderr}\n${error.message}` : stderr,
        });
      },
    );
  });
}

/** One readable block of a failed command, for assertion messages. */
export function describeRun(label: string, result: RunResult): string {
  const tail = (text: string) => text.trim().split('\n').slice(-30).join('\n');
  return `${label} exited ${result.code}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`;
}
