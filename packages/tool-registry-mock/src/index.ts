export type {
  Clock,
  ToolDomain,
  ToolHandlerContext,
  ToolImplementation,
  ToolOutput,
} from './types.js';
export {
  ToolArgumentsError,
  ToolExecutionError,
  toolErrorKind,
  type ToolErrorKind,
  type ToolExecutionErrorOptions,
} from './tool-errors.js';
export type { InvocationRequest } from './invocation-request.js';
export type { InvocationFailureReporter, InvocationInfo } from './invoke.js';
export {
  createToolRegistry,
  DEFAULT_TOOL_TIMEOUT_MS,
  type DomainSummary,
  type InvokeToolOptions,
  type ToolRegistry,
  type ToolRegistryOptions,
} from './registry.js';
export { coreDomain } from './domains/core.js';
export { echoTool } from './tools/echo.js';
export { calcTool } from './tools/calc.js';
export { timeNowTool } from './tools/time-now.js';
export {
  BUILTIN_DOMAINS,
  loadDomains,
  parseDomainList,
  type LoadDomainsOptions,
} from './domains/load.js';
export { assertToolDomain, DomainError, domainProblems } from './domains/validate-domain.js';
export {
  calculate,
  CalcError,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  type CalcLimits,
} from './calc/index.js';
export {
  createToolRegistryApp,
  createToolRegistryListener,
  type ToolRegistryAppOptions,
} from './http/app.js';
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  startToolRegistryServer,
  type RunningToolRegistryServer,
  type ToolRegistryServerOptions,
} from './http/server.js';
export { SERVICE_NAME } from './api/service-info.js';
export { matchRoute, type ApiRoute, type RouteMatch } from './api/routes.js';
