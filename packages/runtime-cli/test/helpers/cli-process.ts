// Runs the real `arp-runtime` bin as a child process, with a clean environment (none of the
// runtime's variables leak in from the developer's shell).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../bin/arp-runtime.js',
);

const CONFIG_PREFIXES = ['ARP_', 'JARVIS_', 'OPENAI_', 'TOOL_REGISTRY_'];

export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (CONFIG_PREFIXES.some((p) => key.startsWith(p))) continue;
    if (key === 'FORCE_COLOR' || key === 'NO_COLOR' || key === 'LOG_LEVEL') continue;
    env[key] = value;
  }
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** How long the process may take (to finish, or to start listening); default 45 s. */
  timeoutMs?: number;
}

/**
 * A process starts in well under a second alone, yet in several seconds when every package's
 * tests share two cores; this only bounds a process that hangs.
 */
const PROCESS_TIMEOUT_MS = 45_000;

/** Runs the bin to completion. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? tmpdir(),
      env: options.env ?? cleanEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`arp-runtime ${args.join(' ')} did not finish\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? PROCESS_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface LongRunning {
  child: ChildProcessWithoutNullStreams;
  /** The URL from the `... listening on <url>` line (anything after the URL is ignored). */
  url: string;
  output(): { stdout: string; stderr: string };
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a server subcommand and waits for its `listening on` line (or its early exit). */
export function startCli(args: string[], options: RunOptions = {}): Promise<LongRunning> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? tmpdir(),
      env: options.env ?? cleanEnv(),
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`arp-runtime ${args.join(' ')} did not start\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? PROCESS_TIMEOUT_MS);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)[^\n]*\n/.exec(stdout);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        child,
        url: match[1],
        output: () => ({ stdout, stderr }),
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`exited with ${code}`), { code, stdout, stderr }));
    });
  });
}

export function tempDir(prefix = 'arp-cli-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Occupies a port on 127.0.0.1 until the returned close() is called. */
export async function occupyPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
