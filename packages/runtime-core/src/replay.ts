// Replay of a recorded run from its TraceEvents: run Chat again over the recorded steps (no tool
// is invoked), or give back the recorded final text. Reading the file is the adapter's job.
import type { TraceEvent } from '@arp-ts/sdk';
import type { ModelRoles, StepRecord, TokenUsage } from './models.js';
import { createStubModels } from './stub/index.js';
import { isPlainObject } from './is-plain-object.js';

export interface ReplayOptions {
  /** Return the recorded final text instead of running Chat again. */
  original?: boolean;
  /** The roles whose chat replays the run; default: stub mode. */
  models?: ModelRoles;
  signal?: AbortSignal;
  onToken?: (text: string) => void;
}

export interface ReplayResult {
  run_id: string;
  final_text: string;
  source: 'original' | 'replay';
  /** The recorded plan and tool steps Chat read. */
  steps: StepRecord[];
  usage?: TokenUsage;
}

export class ReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayError';
  }
}

function toStepRecord(data: Record<string, unknown>): StepRecord | undefined {
  const { index, type } = data;
  if (typeof index !== 'number' || (type !== 'plan' && type !== 'tool')) return undefined;
  const record: StepRecord = { index, type };
  if (typeof data.tool === 'string') record.tool = data.tool;
  if (typeof data.tool_id === 'string') record.tool_id = data.tool_id;
  if (isPlainObject(data.args)) record.args = data.args;
  if (typeof data.ok === 'boolean') record.ok = data.ok;
  if (isPlainObject(data.result)) record.result = data.result;
  const error = data.error;
  if (isPlainObject(error) && typeof error.code === 'string' && typeof error.message === 'string') {
    record.error = { code: error.code, message: error.message };
    if (isPlainObject(error.details)) record.error.details = error.details;
  }
  return record;
}

export async function replayFromEvents(
  events: readonly TraceEvent[],
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const started = events.find((event) => event.type === 'flow_started');
  const input = started?.data?.input;
  if (!started || !isPlainObject(input) || typeof input.goal !== 'string') {
    throw new ReplayError('the trace has no flow_started event with the run input');
  }
  const steps: StepRecord[] = [];
  for (const event of events) {
    if (event.type !== 'step_completed' || !event.data) continue;
    const record = toStepRecord(event.data);
    if (record) steps.push(record);
  }
  if (options.original) {
    const completed = events.find((event) => event.type === 'flow_completed');
    const finalText = completed?.data?.final_text;
    if (typeof finalText !== 'string') {
      throw new ReplayError('the recorded run has no final text (it did not complete)');
    }
    return { run_id: started.run_id, final_text: finalText, source: 'original', steps };
  }
  const models = options.models ?? createStubModels();
  const answer = await models.chat.respond(
    {
      goal: input.goal,
      context: isPlainObject(input.context) ? input.context : undefined,
      data: isPlainObject(input.data) ? input.data : undefined,
      steps,
    },
    { signal: options.signal, onToken: options.onToken },
  );
  const result: ReplayResult = {
    run_id: started.run_id,
    final_text: answer.text,
    source: 'replay',
    steps,
  };
  if (answer.usage) result.usage = answer.usage;
  return result;
}
