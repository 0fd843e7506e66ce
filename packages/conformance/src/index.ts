// @arp-ts/conformance: check that an ARP v1 Runtime or Tool Registry follows the standard.
export {
  runConformance,
  failingChecks,
  isConformant,
  summarize,
  ConformanceOptionsError,
} from './runner.js';
export { DEFAULT_POLL_TIMEOUT_MS, DEFAULT_TIMEOUT_MS } from './runner.js';
export { CHECKS, checksFor, type CheckInfo } from './catalog.js';
export {
  formatReport,
  formatText,
  formatJson,
  formatJunit,
  formatCheckLine,
  formatSummaryLine,
  REPORT_FORMATS,
  type ReportFormat,
} from './format/index.js';
export {
  generateArgs,
  generateInvalidArgs,
  exampleValue,
  type GeneratedArgs,
  type InvalidArgs,
} from './schema-args.js';
export { INVALID_RUN_REQUESTS, type InvalidVector } from './vectors/invalid-run-requests.js';
export {
  invalidToolInvocationRequests,
  INVALID_TOOL_INVOCATION_REQUEST_IDS,
} from './vectors/invalid-tool-invocation-requests.js';
export { TIERS, TARGETS } from './types.js';
export type {
  Target,
  Tier,
  CheckStatus,
  CheckResult,
  HttpExchange,
  Report,
  ReportSummary,
  ConformanceOptions,
} from './types.js';
