// runConformance: checks one ARP service at one tier and returns the report.
import { CHECKS } from './catalog.js';
import { runRuntimeChecks } from './checks/runtime.js';
import { Suite, type ResolvedOptions } from './checks/suite.js';
import { runToolRegistryChecks } from './checks/tool-registry.js';
import { kitInfo } from './kit-info.js';
import {
  TARGETS,
  TIERS,
  type CheckResult,
  type CheckStatus,
  type ConformanceOptions,
  type Report,
  type ReportSummary,
} from './types.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_POLL_TIMEOUT_MS = 30_000;

/** Thrown for options that cannot work (bad URL, unknown tier, ...), before any request. */
export class ConformanceOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceOptionsError';
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConformanceOptionsError(`${name} must be a positive integer of milliseconds`);
  }
  return value;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// eslint-disable-next-line no-control-regex
const HEADER_VALUE_FORBIDDEN = /[\u0000\r\n]/;

function checkHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name))
      throw new ConformanceOptionsError(`"${name}" is not a header name`);
    if (typeof value !== 'string' || HEADER_VALUE_FORBIDDEN.test(value)) {
      throw new ConformanceOptionsError(`the value of header "${name}" holds a line break or NUL`);
    }
  }
  return { ...headers };
}

export function resolveOptions(options: ConformanceOptions): ResolvedOptions {
  if (!TARGETS.includes(options.target)) {
    throw new ConformanceOptionsError(`target must be one of ${TARGETS.join(', ')}`);
  }
  const tier = options.tier ?? 'core';
  if (!TIERS.includes(tier)) {
    throw new ConformanceOptionsError(`tier must be one of ${TIERS.join(', ')}`);
  }
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new ConformanceOptionsError(`url "${options.url}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConformanceOptionsError(`url "${options.url}" must use http or https`);
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  return {
    url: url.toString().replace(/\/+$/, ''),
    tier,
    headers: checkHeaders(options.headers),
    timeoutMs: positive(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs'),
    pollTimeoutMs: positive(options.pollTimeoutMs, DEFAULT_POLL_TIMEOUT_MS, 'pollTimeoutMs'),
    fetch: fetchImpl,
  };
}

export function summarize(checks: readonly CheckResult[]): ReportSummary {
  const count = (status: CheckStatus): number => checks.filter((c) => c.status === status).length;
  return {
    total: checks.length,
    passed: count('PASS'),
    failed: count('FAIL'),
    warned: count('WARN'),
    skipped: count('SKIP'),
  };
}

const catalogOrder = new Map(CHECKS.map((c, i) => [c.id, i]));

/** Runs every check of the target up to the tier. Never rejects for a service's failure. */
export async function runConformance(options: ConformanceOptions): Promise<Report> {
  const resolved = resolveOptions(options);
  const startedAt = new Date();
  const started = performance.now();
  const suite = new Suite(resolved, options.onCheck);
  if (options.target === 'runtime') await runRuntimeChecks(suite);
  else await runToolRegistryChecks(suite);
  const checks = [...suite.results].sort(
    (a, b) => (catalogOrder.get(a.id) ?? 0) - (catalogOrder.get(b.id) ?? 0),
  );
  const kit = kitInfo();
  return {
    kit: { name: kit.name, version: kit.version },
    target: options.target,
    url: resolved.url,
    tier: resolved.tier,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    checks,
    summary: summarize(checks),
  };
}

/** The checks that make a report fail: FAIL, and WARN too when `strict`. */
export function failingChecks(report: Report, options: { strict?: boolean } = {}): CheckResult[] {
  return report.checks.filter(
    (c) => c.status === 'FAIL' || (options.strict === true && c.status === 'WARN'),
  );
}

/** True when every check passed (or was skipped); WARN counts as failure only when `strict`. */
export function isConformant(report: Report, options: { strict?: boolean } = {}): boolean {
  return failingChecks(report, options).length === 0;
}
