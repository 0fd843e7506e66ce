// Named payload types of the ARP v1 APIs, taken from the types generated out of specs/.
import type { components as RuntimeComponents } from './generated/runtime.js';
import type { components as ToolRegistryComponents } from './generated/tool-registry.js';

type RuntimeSchemas = RuntimeComponents['schemas'];
type ToolRegistrySchemas = ToolRegistryComponents['schemas'];

export type Health = RuntimeSchemas['Health'];
export type HealthCheck = NonNullable<Health['checks']>[number];
export type ServiceStatus = RuntimeSchemas['Status'];
export type VersionInfo = RuntimeSchemas['VersionInfo'];
export type ErrorEnvelope = RuntimeSchemas['ErrorEnvelope'];
export type ArpError = RuntimeSchemas['Error'];
export type ErrorCause = RuntimeSchemas['ErrorCause'];
export type Extensions = RuntimeSchemas['Extensions'];
export type Metadata = RuntimeSchemas['Metadata'];
export type ResourceRef = RuntimeSchemas['ResourceRef'];
export type EndpointLocator = RuntimeSchemas['EndpointLocator'];

export type RunRequest = RuntimeSchemas['RunRequest'];
export type RunInput = RunRequest['input'];
export type ToolPolicy = NonNullable<RunRequest['tool_policy']>;
export type RunLimits = NonNullable<RunRequest['limits']>;
export type RunStatus = RuntimeSchemas['RunStatus'];
export type RunState = RuntimeSchemas['RunState'];
export type RunResult = RuntimeSchemas['RunResult'];
export type RunEvent = RuntimeSchemas['RunEvent'];
export type RunEventType = RuntimeSchemas['RunEventType'];
export type RunList = RuntimeSchemas['RunList'];
export type TraceEvent = RuntimeSchemas['TraceEvent'];
export type TraceLevel = RuntimeSchemas['TraceLevel'];

export type ToolDefinition = ToolRegistrySchemas['ToolDefinition'];
export type ToolSource = ToolRegistrySchemas['ToolSource'];
export type ToolInvocationRequest = ToolRegistrySchemas['ToolInvocationRequest'];
export type ToolInvocationResult = ToolRegistrySchemas['ToolInvocationResult'];

/** Run states after which nothing changes any more. */
export const TERMINAL_RUN_STATES: readonly RunState[] = ['succeeded', 'failed', 'canceled'];

export function isTerminalRunState(state: RunState): boolean {
  return TERMINAL_RUN_STATES.includes(state);
}

/** RunEvent types that end a run's stream. */
export function isTerminalRunEventType(type: RunEventType): boolean {
  return type === 'final' || type === 'error';
}
