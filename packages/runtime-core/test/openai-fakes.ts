// Answers in the shapes of the OpenAI Responses and Chat Completions APIs, for the msw handlers
// and the fake HTTP server of the OpenAI tests.

export interface FakeUsage {
  input: number;
  output: number;
}

export function responseObject(text: string, usage: FakeUsage = { input: 10, output: 5 }): object {
  return {
    id: 'resp_1',
    object: 'response',
    created_at: 0,
    status: 'completed',
    model: 'fake',
    output: [
      {
        type: 'message',
        id: 'msg_1',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text, annotations: [] }],
      },
    ],
    usage: {
      input_tokens: usage.input,
      output_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    },
  };
}

/** A Responses API event stream that writes `pieces` as text deltas. */
export function responseStream(
  pieces: string[],
  usage: FakeUsage = { input: 10, output: 5 },
): string {
  const events: Array<Record<string, unknown>> = pieces.map((delta, i) => ({
    type: 'response.output_text.delta',
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    delta,
    logprobs: [],
    sequence_number: i + 1,
  }));
  events.push({
    type: 'response.completed',
    sequence_number: pieces.length + 1,
    response: responseObject(pieces.join(''), usage),
  });
  return events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

export function chatCompletion(text: string, usage: FakeUsage = { input: 10, output: 5 }): object {
  return {
    id: 'chatcmpl_1',
    object: 'chat.completion',
    created: 0,
    model: 'fake',
    choices: [
      {
        index: 0,
        finish_reason: 'stop',
        logprobs: null,
        message: { role: 'assistant', content: text, refusal: null },
      },
    ],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
    },
  };
}

/** A Chat Completions stream with `pieces` as content deltas and a final usage chunk. */
export function chatCompletionStream(
  pieces: string[],
  usage: FakeUsage = { input: 10, output: 5 },
): string {
  const base = { id: 'chatcmpl_1', object: 'chat.completion.chunk', created: 0, model: 'fake' };
  const chunks: object[] = pieces.map((content) => ({
    ...base,
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  }));
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  chunks.push({
    ...base,
    choices: [],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
    },
  });
  return `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`;
}

/** What a fake model answers for one request body: decided by the structured-output format. */
export interface FakeBrain {
  plan: () => string;
  args: (toolName: string, attempt: number, prompt: string) => string;
  chat: () => string[];
}

export const tutorialBrain: FakeBrain = {
  plan: () =>
    JSON.stringify({ steps: [{ type: 'tool', tool: 'calc', intent: 'multiply 19 by 23' }] }),
  args: () => JSON.stringify({ expression: '19*23' }),
  chat: () => ['19*23', ' = ', '437'],
};
