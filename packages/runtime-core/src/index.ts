// @arp-ts/runtime-core: the ARP flow engine. Adapters (OpenAI, JSONL traces, replay, HTTP tool
// registry) live on their own subpaths so this entry point pulls in no vendor SDK and no fs.
export { runFlow } from './flow/run-flow.js';
export type {
  FlowDeps,
  FlowOutcome,
  RegistryRetryOptions,
  RunFlowOptions,
  RunOutput,
  RunUsage,
} from './flow/types.js';
export { DEFAULT_MAX_STEPS, MAX_PLANNED_STEPS } from './flow/types.js';
export { isToolAllowed } from './flow/policy.js';
export { randomIds, systemClock } from './flow/defaults.js';
export type * from './ports.js';
export type {
  ChatAnswer,
  ChatCallContext,
  ChatInput,
  ChatModel,
  ModelCallContext,
  ModelRoles,
  PlanAnswer,
  PlannedPlanStep,
  PlannedStep,
  PlannedToolStep,
  PlannerInput,
  PlannerModel,
  PromptInfo,
  StepRecord,
  TokenUsage,
  ToolArgsAnswer,
  ToolArgsInput,
  ToolArgsModel,
  ToolSummary,
} from './models.js';
export { ModelError } from './models.js';
export { createStubModels, describeStep, stubFinalText } from './stub/index.js';
export { redactPrompt, type RedactedText } from './redact.js';
export {
  createMemoryRunEventSink,
  createMemoryTraceSink,
  fanOutRunEvents,
  type MemoryRunEventSink,
  type MemoryTraceSink,
} from './sinks.js';
export { replayFromEvents, ReplayError, type ReplayOptions, type ReplayResult } from './replay.js';
export { isoTime } from './iso-time.js';
