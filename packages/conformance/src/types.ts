// The public shapes of the kit: what you ask it to check and what it reports back.
import type { ValidationIssue } from '@arp-ts/sdk';

/** Which kind of ARP service is checked. */
export type Target = 'runtime' | 'tool-registry';

/** How deep the kit goes; each tier includes the ones before it. */
export type Tier = 'smoke' | 'surface' | 'core' | 'deep';

export const TIERS: readonly Tier[] = ['smoke', 'surface', 'core', 'deep'];
export const TARGETS: readonly Target[] = ['runtime', 'tool-registry'];

export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

/** One HTTP request and its answer, as recorded for a report (bodies truncated, secrets hidden). */
export interface HttpExchange {
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string;
  };
  response?: {
    status: number;
    headers: Record<string, string>;
    body: string;
    /** True when the body was cut to keep the report small. */
    truncated: boolean;
  };
  /** Set when no HTTP answer arrived (connection refused, timeout, ...). */
  error?: string;
  durationMs: number;
}

export interface CheckResult {
  /** Stable id such as `runtime.smoke.health`; never renamed. */
  id: string;
  name: string;
  tier: Tier;
  status: CheckStatus;
  message: string;
  durationMs: number;
  /** The HTTP exchanges of the check; kept for FAIL and WARN only. */
  exchanges?: HttpExchange[];
  /** Schema validation problems found in the service's answers. */
  schemaErrors?: ValidationIssue[];
}

export interface ReportSummary {
  total: number;
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
}

export interface Report {
  kit: { name: string; version: string };
  target: Target;
  url: string;
  tier: Tier;
  startedAt: string;
  durationMs: number;
  checks: CheckResult[];
  summary: ReportSummary;
}

export interface ConformanceOptions {
  target: Target;
  /** Base URL of the service, e.g. `http://127.0.0.1:8081`. */
  url: string;
  /** Default `core`. */
  tier?: Tier;
  /** Sent on every request, e.g. `{ Authorization: 'Bearer <token>' }`. */
  headers?: Record<string, string>;
  /** Per request, default 10 000 ms. */
  timeoutMs?: number;
  /** How long a run may take to reach a terminal state (and a stream to end), default 30 000 ms. */
  pollTimeoutMs?: number;
  /** Injectable fetch (e.g. for msw); default the global fetch. */
  fetch?: typeof fetch;
  /** Called as each check finishes, for progress output. */
  onCheck?: (result: CheckResult) => void;
}
