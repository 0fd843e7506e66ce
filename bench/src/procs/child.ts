// Starts a fixture script in its own node process, so the code under test never shares a CPU
// queue or a heap with the load generator. The child prints one JSON line on stdout once it is
// ready (e.g. {"url": ...}); further requests go over the IPC channel.
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  isChildMessage,
  type ChildMessage,
  type FixtureStats,
  type MemorySnapshot,
  type ParentMessage,
} from './ipc-protocol.js';

export interface StartChildOptions {
  /** The fixture's file name in dist/fixtures, e.g. 'ceiling-server.js'. */
  fixture: string;
  args?: string[];
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. --expose-gc is always on. */
  nodeFlags?: string[];
  /** How long to wait for the ready line. */
  readyTimeoutMs?: number;
}

export interface Child {
  readonly name: string;
  readonly pid: number;
  /** The parsed ready line. */
  readonly ready: Record<string, unknown>;
  /** Every further stdout line, parsed as JSON (engine samples). */
  readonly lines: AsyncIterator<string>;
  measure(): Promise<MemorySnapshot>;
  stats(): Promise<FixtureStats>;
  release(): Promise<number>;
  /** Asks the child to close its server and exit (so --cpu-prof profiles get written). */
  stop(): Promise<void>;
}

type Pending = { resolve(message: ChildMessage): void; reject(err: Error): void };

const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export async function startChild(options: StartChildOptions): Promise<Child> {
  const child: ChildProcess = fork(fixturePath(options.fixture), options.args ?? [], {
    execArgv: ['--expose-gc', ...(options.nodeFlags ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const stdout = child.stdout;
  if (!stdout || child.pid === undefined) throw new Error(`could not start ${options.fixture}`);
  const pid = child.pid;
  const lines = createInterface({ input: stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();

  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      const err = new Error(`${options.fixture} exited (code ${code}, signal ${signal})`);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      resolve();
    });
  });
  child.on('message', (message: unknown) => {
    if (!isChildMessage(message)) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.type === 'error') waiter.reject(new Error(message.message));
    else waiter.resolve(message);
  });

  const ask = (type: ParentMessage['type']): Promise<ChildMessage> => {
    if (exited) return Promise.reject(new Error(`${options.fixture} is not running`));
    const id = nextId++;
    return new Promise<ChildMessage>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ id, type } satisfies ParentMessage);
    });
  };

  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let first: IteratorResult<string>;
  try {
    first = await Promise.race([
      lines.next(),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${options.fixture} was not ready within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
      exitPromise.then(() => {
        throw new Error(`${options.fixture} exited before it was ready`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
  if (first.done) throw new Error(`${options.fixture} closed stdout before it was ready`);
  const ready = JSON.parse(first.value) as Record<string, unknown>;

  return {
    name: options.fixture,
    pid,
    ready,
    lines,
    async measure() {
      const answer = await ask('measure');
      if (answer.type !== 'measure') throw new Error(`unexpected answer ${answer.type}`);
      return answer.memory;
    },
    async stats() {
      const answer = await ask('stats');
      if (answer.type !== 'stats') throw new Error(`unexpected answer ${answer.type}`);
      return answer.stats;
    },
    async release() {
      const answer = await ask('release');
      if (answer.type !== 'release') throw new Error(`unexpected answer ${answer.type}`);
      return answer.released;
    },
    async stop() {
      if (exited) return;
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      try {
        await Promise.race([ask('stop').catch(() => undefined), exitPromise]);
        await exitPromise;
      } finally {
        clearTimeout(killer);
      }
    },
  };
}

/** The `url` a server fixture printed when ready. */
export function urlOf(child: Child): string {
  const url = child.ready.url;
  if (typeof url !== 'string') throw new Error(`${child.name} printed no url`);
  return url;
}
