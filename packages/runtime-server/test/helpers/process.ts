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
const clusterFixture = path.join(packageDir, 'test/fixtures/cluster.mjs');

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

interface SpawnedFixture {
  child: ChildProcess;
  exited: Promise<number | string>;
  stderr(): string;
  /** Every JSON line printed on stdout so far, the first one included. */
  lines: unknown[];
  /** Resolves with the first printed line that `match` accepts. */
  line(match: (line: unknown) => boolean): Promise<unknown>;
}

/** Spawns a fixture script that prints JSON lines on stdout, the first once it listens. */
async function spawnFixture(script: string, env: Record<string, string>): Promise<SpawnedFixture> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  const lines: unknown[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    stdout += chunk;
    let end = stdout.indexOf('\n');
    while (end >= 0) {
      const text = stdout.slice(0, end);
      stdout = stdout.slice(end + 1);
      if (text !== '') lines.push(JSON.parse(text) as unknown);
      end = stdout.indexOf('\n');
    }
    for (const wake of waiters) wake();
  });
  const line = (match: (line: unknown) => boolean): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = lines.find(match);
        if (found === undefined) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
      void exited.then((code) => {
        waiters.delete(check);
        reject(new Error(`${path.basename(script)} exited (${code}):\n${stderr}`));
      });
    });
  await line(() => true);
  return { child, exited, stderr: () => stderr, lines, line };
}

export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const { child, exited, stderr, lines } = await spawnFixture(fixture, env);
  return { url: (lines[0] as { url: string }).url, child, exited, stderr };
}

export interface ClusterProcess extends ServerProcess {
  /** The worker pids, in shard order, as the primary last printed them. */
  pids(): number[];
  /** Resolves once the primary prints worker pids that `match` accepts. */
  waitForPids(match: (pids: number[]) => boolean, timeoutMs?: number): Promise<number[]>;
}

function pidsOf(line: unknown): number[] | undefined {
  const pids = (line as { pids?: unknown } | null)?.pids;
  return Array.isArray(pids) && pids.every((p) => typeof p === 'number') ? pids : undefined;
}

/** Starts test/fixtures/cluster.mjs: a runtime cluster primary and its shard workers. */
export async function spawnCluster(env: Record<string, string>): Promise<ClusterProcess> {
  const spawned = await spawnFixture(clusterFixture, env);
  const { child, exited, stderr, lines } = spawned;
  const pids = (): number[] => {
    for (let i = lines.length - 1; i >= 0; i--) {
      const found = pidsOf(lines[i]);
      if (found) return found;
    }
    return [];
  };
  return {
    url: (lines[0] as { url: string }).url,
    child,
    exited,
    stderr,
    pids,
    async waitForPids(match, timeoutMs = 60_000) {
      let timer: NodeJS.Timeout | undefined;
      const line = await Promise.race([
        spawned.line((l) => {
          const found = pidsOf(l);
          return found !== undefined && match(found);
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no such pids: ${JSON.stringify(lines)}`)),
            timeoutMs,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      return pidsOf(line) ?? [];
    },
  };
}
