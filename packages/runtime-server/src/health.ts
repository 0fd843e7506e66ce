// GET /v1/health: the tool registry answers (listTools with a short timeout), the store takes
// writes, and the queue has room. Probe results are cached briefly so health checks stay cheap.
// A store that refuses writes is `down`; one that is only slow to answer is `degraded`, so a
// loaded disk does not get a working instance taken out of a load balancer.
import type { Health, HealthCheck, ServiceStatus } from '@arp-ts/sdk';
import type { ToolRegistryPort } from '@arp-ts/runtime-core';
import type { RunStore } from './store/run-store.js';

export interface HealthOptions {
  toolRegistry: ToolRegistryPort;
  store: RunStore;
  queue: () => { depth: number; max: number; inFlight: number };
  shuttingDown: () => boolean;
  /** Probe results are reused for this long (default 5 s). */
  cacheMs?: number;
  /** A probe slower than this fails (default 1 s). */
  timeoutMs?: number;
  now?: () => number;
}

interface Probe {
  at: number;
  check: HealthCheck;
}

/** A queue fuller than this share of its capacity makes the service `degraded`. */
const QUEUE_DEGRADED_RATIO = 0.9;

/** A probe that did not answer in time (as opposed to one that failed). */
class ProbeTimeout extends Error {}

async function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new ProbeTimeout(`no answer within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

export class HealthChecker {
  private readonly cacheMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly probes = new Map<string, { cached?: Probe; inFlight?: Promise<HealthCheck> }>();

  constructor(private readonly options: HealthOptions) {
    this.cacheMs = options.cacheMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  async check(): Promise<Health> {
    const [registry, store] = await Promise.all([
      this.cached('tool_registry', () => this.probeRegistry()),
      this.cached('store', () => this.probeStore()),
    ]);
    const checks = [registry, store, this.queueCheck(), this.acceptingCheck()];
    return { status: overall(checks), time: new Date(this.now()).toISOString(), checks };
  }

  private async probeRegistry(): Promise<HealthCheck> {
    try {
      const tools = await withTimeout(
        (signal) => this.options.toolRegistry.listTools({ signal }),
        this.timeoutMs,
      );
      return { name: 'tool_registry', status: 'ok', details: { tools: tools.length } };
    } catch (err) {
      return {
        name: 'tool_registry',
        status: 'degraded',
        message: `tool registry unreachable: ${messageOf(err)}`,
      };
    }
  }

  private async probeStore(): Promise<HealthCheck> {
    try {
      await withTimeout(() => this.options.store.probe(), this.timeoutMs);
      return { name: 'store', status: 'ok' };
    } catch (err) {
      if (err instanceof ProbeTimeout) {
        return { name: 'store', status: 'degraded', message: `store slow: ${messageOf(err)}` };
      }
      return { name: 'store', status: 'down', message: `store not writable: ${messageOf(err)}` };
    }
  }

  private queueCheck(): HealthCheck {
    const { depth, max, inFlight } = this.options.queue();
    const full = max > 0 ? depth / max : depth > 0 ? 1 : 0;
    const status: ServiceStatus = full >= QUEUE_DEGRADED_RATIO ? 'degraded' : 'ok';
    const check: HealthCheck = {
      name: 'queue',
      status,
      details: { depth, max, in_flight: inFlight },
    };
    if (status !== 'ok') check.message = 'the run queue is nearly full';
    return check;
  }

  private acceptingCheck(): HealthCheck {
    return this.options.shuttingDown()
      ? { name: 'accepting_runs', status: 'down', message: 'shutting down' }
      : { name: 'accepting_runs', status: 'ok' };
  }

  private async cached(name: string, probe: () => Promise<HealthCheck>): Promise<HealthCheck> {
    let slot = this.probes.get(name);
    if (!slot) {
      slot = {};
      this.probes.set(name, slot);
    }
    if (slot.cached && this.now() - slot.cached.at < this.cacheMs) return slot.cached.check;
    const current = slot;
    current.inFlight ??= probe().then((check) => {
      current.cached = { at: this.now(), check };
      current.inFlight = undefined;
      return check;
    });
    return current.inFlight;
  }
}

function overall(checks: readonly HealthCheck[]): ServiceStatus {
  if (checks.some((c) => c.status === 'down')) return 'down';
  if (checks.some((c) => c.status === 'degraded')) return 'degraded';
  return 'ok';
}
