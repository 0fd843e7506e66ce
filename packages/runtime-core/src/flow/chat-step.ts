// The chat step: the chat role reads the record of every step and writes the final text.
// Streamed pieces become `token` RunEvents.
import type { StepRecord } from '../models.js';
import { codeOf, FlowFailure, messageOf } from './failure.js';
import { recordModelCall } from './model-calls.js';
import type { RunContext } from './run-context.js';

export async function runChatStep(ctx: RunContext): Promise<string> {
  const record: StepRecord = { index: ctx.steps.length, type: 'chat' };
  ctx.stepStarted(record);
  const chat = ctx.models.chat;
  const onToken = ctx.events
    ? (text: string): void => {
        if (text.length > 0) ctx.emitEvent('token', { index: record.index, text });
      }
    : undefined;
  const startedMs = ctx.trace ? ctx.clock.now() : 0;
  let answer;
  try {
    answer = await ctx.guard(
      chat.respond(
        {
          goal: ctx.input.goal,
          context: ctx.input.context,
          data: ctx.input.data,
          steps: ctx.steps,
        },
        { signal: ctx.signal, onPrompt: ctx.promptHook('chat'), onToken },
      ),
    );
  } catch (err) {
    if (err instanceof FlowFailure) throw err;
    ctx.checkStopped();
    const code = codeOf(err) === 'model.unavailable' ? 'model.unavailable' : 'model.error';
    throw new FlowFailure({
      code,
      message: `the chat model failed: ${messageOf(err)}`,
      retryable: code === 'model.unavailable',
    });
  }
  recordModelCall(ctx, 'chat', chat.model, answer.usage, startedMs);
  if (typeof answer.text !== 'string') {
    throw new FlowFailure({ code: 'model.error', message: 'the chat model answered without text' });
  }
  record.ok = true;
  ctx.steps.push(record);
  ctx.stepCompleted(record);
  return answer.text;
}
