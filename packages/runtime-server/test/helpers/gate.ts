// A tool domain whose `echo` blocks when its text holds a word starting with "block" (the key):
// tests decide when such a call finishes (release) and see when it started and whether it was
// aborted. Goals like "say block-1" make the stub planner call it.
import type { ToolDomain } from '@arp-ts/tool-registry-mock';
import { calcTool, echoTool, timeNowTool } from '@arp-ts/tool-registry-mock';

export interface Gate {
  domain: ToolDomain;
  /** Lets the blocked call(s) with this key finish. */
  release(key: string): void;
  /** Resolves once a call with this key has started. */
  started(key: string): Promise<void>;
  /** Keys whose calls were aborted by their signal. */
  aborted: Set<string>;
}

interface Waiter {
  open: boolean;
  openers: Array<() => void>;
  startedResolvers: Array<() => void>;
  hasStarted: boolean;
}

export function createGate(): Gate {
  const waiters = new Map<string, Waiter>();
  const aborted = new Set<string>();
  const waiterFor = (text: string): Waiter => {
    let w = waiters.get(text);
    if (!w) {
      w = { open: false, openers: [], startedResolvers: [], hasStarted: false };
      waiters.set(text, w);
    }
    return w;
  };
  const domain: ToolDomain = {
    name: 'gated',
    tools: [
      calcTool,
      timeNowTool,
      {
        definition: echoTool.definition,
        timeoutMs: 60_000,
        handler: async (args, ctx) => {
          const text = String(args.text);
          const key = /\bblock[\w-]*/.exec(text)?.[0];
          if (key === undefined) return { text };
          const w = waiterFor(key);
          w.hasStarted = true;
          for (const resolve of w.startedResolvers.splice(0)) resolve();
          if (!w.open) {
            await new Promise<void>((resolve, reject) => {
              const onAbort = (): void => {
                aborted.add(key);
                reject(new Error('aborted'));
              };
              if (ctx.signal.aborted) onAbort();
              ctx.signal.addEventListener('abort', onAbort, { once: true });
              w.openers.push(() => {
                ctx.signal.removeEventListener('abort', onAbort);
                resolve();
              });
            });
          }
          return { text };
        },
      },
    ],
  };
  return {
    domain,
    aborted,
    release(text) {
      const w = waiterFor(text);
      w.open = true;
      for (const open of w.openers.splice(0)) open();
    },
    started(text) {
      const w = waiterFor(text);
      if (w.hasStarted) return Promise.resolve();
      return new Promise((resolve) => w.startedResolvers.push(resolve));
    },
  };
}
