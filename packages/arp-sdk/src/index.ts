export * from './types.js';
export * from './error-codes.js';
export * from './errors.js';
export * from './validation.js';
export * from './tool-schema.js';
export { runtimeOpenApi, toolRegistryOpenApi } from './generated/openapi.js';
export type { paths as RuntimePaths } from './generated/runtime.js';
export type { paths as ToolRegistryPaths } from './generated/tool-registry.js';
export {
  ArpApiError,
  isArpApiError,
  RETRYABLE_STATUSES,
  type ArpApiErrorInit,
  type ClientErrorCode,
} from './client/api-error.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type ClientOptions,
  type RequestOptions,
  type RetryOptions,
} from './client/options.js';
export { backoffDelay, parseRetryAfter } from './client/backoff.js';
export {
  ToolRegistryClient,
  MAX_LISTED_TOOLS,
  type ToolRegistryClientOptions,
} from './client/tool-registry-client.js';
export type {
  HttpTransport,
  HttpTransportRequest,
  HttpTransportResponse,
} from './client/http-transport.js';
export {
  RuntimeClient,
  type CreateRunOptions,
  type ListRunsQuery,
} from './client/runtime-client.js';
export {
  DEFAULT_RECONNECT_ATTEMPTS,
  DEFAULT_RECONNECT_DELAY_MS,
  type ReconnectOptions,
  type StreamRunEventsOptions,
} from './sse/run-event-stream.js';
export {
  DEFAULT_MAX_EVENT_CHARS,
  SseParseError,
  SseParser,
  parseSse,
  type SseMessage,
  type SseParserOptions,
} from './sse/parser.js';
