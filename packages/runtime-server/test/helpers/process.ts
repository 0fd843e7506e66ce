// Runs the server as a real child process (from dist), for restart and signal tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '../..');
const packagesDir = path.resolve(packageDir, '..');
const fixture = path.join(packageDir, 'test/fixtures/serve.mjs');

/** The packages the fixture loads from dist, in build order. */
const BUILD_ORDER = [
  'arp-sdk',
  'service-kit',
  'runtime-core',
  'tool-registry-mock',
  'runtime-server',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function distIsFresh(dir: string): boolean {
  try {
    return statSync(path.join(dir, 'dist/index.js')).mtimeMs >= newestMtime(path.join(dir, 'src'));
  } catch {
    return false;
  }
}

/**
 * Builds dist/ of this package and of the packages it loads when their sources are newer (turbo's
 * `test` task builds first, so in CI this does nothing).
 */
export function ensureBuilt(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  for (const name of BUILD_ORDER) {
    const dir = path.join(packagesDir, name);
    if (distIsFresh(dir)) continue;
    const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (built.status !== 0)
      throw new Error(`building ${name} failed:\n${built.stdout}${built.stderr}`);
  }
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  stderr(): string;
}

export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [fixture], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then((code) =>
      reject(new Error(`server exited (${code}) before listening:\n${stderr}`)),
    );
  });
  return { url, child, exited, stderr: () => stderr };
}
