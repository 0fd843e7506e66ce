// Runs checks one after the other, each with its own recording HTTP client, and turns what a check
// returns or throws into a CheckResult.
import type { ValidationIssue } from '@arp-ts/sdk';
import { checkInfo } from '../catalog.js';
import { HttpClient, NetworkError } from '../http.js';
import {
  TIERS,
  type CheckResult,
  type CheckStatus,
  type HttpExchange,
  type Tier,
} from '../types.js';

export interface ResolvedOptions {
  url: string;
  tier: Tier;
  headers: Record<string, string>;
  timeoutMs: number;
  pollTimeoutMs: number;
  fetch: typeof fetch;
}

export interface Outcome {
  status: CheckStatus;
  message: string;
  schemaErrors?: ValidationIssue[];
}

export const pass = (message: string): Outcome => ({ status: 'PASS', message });
export const warn = (message: string): Outcome => ({ status: 'WARN', message });
export const skip = (message: string): Outcome => ({ status: 'SKIP', message });
export const fail = (message: string, schemaErrors?: ValidationIssue[]): Outcome => ({
  status: 'FAIL',
  message,
  ...(schemaErrors && schemaErrors.length > 0 ? { schemaErrors } : {}),
});

/** Thrown by the expectation helpers; the check ends with FAIL and this message. */
export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly schemaErrors?: ValidationIssue[],
  ) {
    super(message);
    this.name = 'CheckFailure';
  }
}

export interface CheckContext {
  http: HttpClient;
  options: ResolvedOptions;
}

export type CheckFn = (context: CheckContext) => Promise<Outcome>;

export class Suite {
  readonly results: CheckResult[] = [];
  /** Set once the service proved unreachable: later checks are skipped, not failed one by one. */
  private unreachable: string | undefined;

  constructor(
    readonly options: ResolvedOptions,
    private readonly onCheck?: (result: CheckResult) => void,
  ) {}

  /** Whether checks of `tier` are part of this run. */
  includes(tier: Tier): boolean {
    return TIERS.indexOf(tier) <= TIERS.indexOf(this.options.tier);
  }

  /** Runs one check if its tier is included; returns its result (undefined when not included). */
  async run(id: string, fn: CheckFn): Promise<CheckResult | undefined> {
    const info = checkInfo(id);
    if (!this.includes(info.tier)) return undefined;
    if (this.unreachable !== undefined) {
      return this.add(id, skip(`the service is unreachable (${this.unreachable})`), 0, []);
    }
    const exchanges: HttpExchange[] = [];
    const http = new HttpClient({
      baseUrl: this.options.url,
      headers: this.options.headers,
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
      record: (exchange) => exchanges.push(exchange),
    });
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = await fn({ http, options: this.options });
    } catch (err) {
      outcome = outcomeOfError(err);
      if (err instanceof NetworkError && id.endsWith('.smoke.health')) {
        this.unreachable = err.exchange.error ?? err.message;
      }
    }
    return this.add(id, outcome, performance.now() - started, exchanges);
  }

  /** Records a SKIP without running anything (a check whose prerequisite failed). */
  skip(id: string, reason: string): CheckResult | undefined {
    const info = checkInfo(id);
    if (!this.includes(info.tier)) return undefined;
    return this.add(id, skip(reason), 0, []);
  }

  private add(
    id: string,
    outcome: Outcome,
    durationMs: number,
    exchanges: HttpExchange[],
  ): CheckResult {
    const info = checkInfo(id);
    const keepDetails = outcome.status === 'FAIL' || outcome.status === 'WARN';
    const result: CheckResult = {
      id,
      name: info.name,
      tier: info.tier,
      status: outcome.status,
      message: outcome.message,
      durationMs: Math.round(durationMs),
      ...(keepDetails && exchanges.length > 0 ? { exchanges } : {}),
      ...(keepDetails && outcome.schemaErrors ? { schemaErrors: outcome.schemaErrors } : {}),
    };
    this.results.push(result);
    this.onCheck?.(result);
    return result;
  }
}

function outcomeOfError(err: unknown): Outcome {
  if (err instanceof CheckFailure) return fail(err.message, err.schemaErrors);
  if (err instanceof NetworkError) return fail(`no HTTP answer: ${err.message}`);
  const message = err instanceof Error ? err.message : String(err);
  return fail(`the check itself crashed: ${message}`);
}
