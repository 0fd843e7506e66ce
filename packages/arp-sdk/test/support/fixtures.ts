// Valid payloads for the client tests, typed so that a change in specs/ breaks them.
import type {
  ErrorEnvelope,
  Health,
  RunEvent,
  RunList,
  RunResult,
  RunStatus,
  ToolDefinition,
  ToolInvocationResult,
  VersionInfo,
} from '@arp-ts/sdk';

export const health: Health = {
  status: 'ok',
  time: '2025-01-01T00:00:00Z',
  checks: [{ name: 'core', status: 'ok' }],
};

export const version: VersionInfo = {
  service_name: 'arp-test',
  service_version: '1.2.3',
  supported_api_versions: ['v1'],
};

export const echoTool: ToolDefinition = {
  tool_id: 'tool_echo',
  name: 'echo',
  description: 'Answers its text.',
  input_schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
  source: 'registry_local',
};

export const echoResult: ToolInvocationResult = {
  invocation_id: 'inv_1',
  ok: true,
  result: { text: 'hi' },
  duration_ms: 1,
};

export function runStatus(runId: string, state: RunStatus['state'] = 'queued'): RunStatus {
  return { run_id: runId, state };
}

export function runResult(runId: string): RunResult {
  return { run_id: runId, ok: true, output: { answer: '42' } };
}

export function runList(...ids: string[]): RunList {
  return { runs: ids.map((id) => runStatus(id, 'succeeded')) };
}

export function envelope(code: string, message: string, details?: Record<string, unknown>) {
  const body: ErrorEnvelope = { error: { code, message, ...(details ? { details } : {}) } };
  return body;
}

export function runEvent(runId: string, seq: number, type: RunEvent['type']): RunEvent {
  return { run_id: runId, seq, type, time: '2025-01-01T00:00:00Z', data: { n: seq } };
}

/** One SSE frame carrying a RunEvent, with `id:` set to its seq. */
export function sseFrame(event: RunEvent): string {
  return `id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`;
}
