// One completion request, sent through the Responses API or Chat Completions. Structured outputs
// use a JSON Schema format; streamed text is handed out piece by piece. Vendor errors become
// ModelErrors (`model.unavailable` for rate limits, 5xx and connection failures, after the SDK's
// own retries; `model.error` otherwise).
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { ModelError, type TokenUsage } from '../../models.js';
import type { OpenAIConfig } from './config.js';

export interface JsonFormat {
  name: string;
  schema: Record<string, unknown>;
  strict: boolean;
}

export interface LlmRequest {
  model: string;
  instructions: string;
  input: string;
  format?: JsonFormat;
  /** Stream the answer, handing each text piece to onToken. */
  onToken?: (text: string) => void;
  signal?: AbortSignal;
}

export interface LlmAnswer {
  text: string;
  usage?: TokenUsage;
}

export interface LlmClient {
  complete(request: LlmRequest): Promise<LlmAnswer>;
}

function toModelError(err: unknown): unknown {
  if (err instanceof APIUserAbortError) return err;
  if (err instanceof APIConnectionError) {
    return new ModelError(
      'model.unavailable',
      `the model API could not be reached: ${err.message}`,
      {
        retryable: true,
        cause: err,
      },
    );
  }
  if (err instanceof APIError) {
    const status = err.status;
    const transient = status === undefined || status === 408 || status === 429 || status >= 500;
    return new ModelError(
      transient ? 'model.unavailable' : 'model.error',
      `the model API answered ${status ?? 'with an error'}: ${err.message}`,
      { retryable: transient, ...(status === undefined ? {} : { status }), cause: err },
    );
  }
  return err;
}

function responsesUsage(
  usage: OpenAI.Responses.ResponseUsage | null | undefined,
): TokenUsage | undefined {
  if (!usage) return undefined;
  return {
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    total_tokens: usage.total_tokens,
  };
}

function chatUsage(usage: OpenAI.CompletionUsage | null | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  return {
    input_tokens: usage.prompt_tokens,
    output_tokens: usage.completion_tokens,
    total_tokens: usage.total_tokens,
  };
}

function responsesClient(client: OpenAI): LlmClient {
  return {
    async complete(request) {
      const params: OpenAI.Responses.ResponseCreateParamsNonStreaming = {
        model: request.model,
        instructions: request.instructions,
        input: request.input,
        store: false,
      };
      if (request.format) {
        params.text = { format: { type: 'json_schema', ...request.format } };
      }
      const options = { signal: request.signal };
      if (!request.onToken) {
        const response = await client.responses.create(params, options);
        return { text: response.output_text, usage: responsesUsage(response.usage) };
      }
      const stream = await client.responses.create({ ...params, stream: true }, options);
      let text = '';
      let usage: TokenUsage | undefined;
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') {
          text += event.delta;
          request.onToken(event.delta);
        } else if (event.type === 'response.completed' || event.type === 'response.incomplete') {
          usage = responsesUsage(event.response.usage);
        } else if (event.type === 'response.failed') {
          throw new ModelError(
            'model.error',
            `the model failed: ${event.response.error?.message ?? 'no reason given'}`,
          );
        } else if (event.type === 'error') {
          throw new ModelError('model.error', `the model stream failed: ${event.message}`);
        }
      }
      return { text, usage };
    },
  };
}

function chatCompletionsClient(client: OpenAI): LlmClient {
  return {
    async complete(request) {
      const params: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
        model: request.model,
        messages: [
          { role: 'system', content: request.instructions },
          { role: 'user', content: request.input },
        ],
      };
      if (request.format) {
        params.response_format = { type: 'json_schema', json_schema: request.format };
      }
      const options = { signal: request.signal };
      if (!request.onToken) {
        const completion = await client.chat.completions.create(params, options);
        const message = completion.choices[0]?.message;
        if (message?.refusal)
          throw new ModelError('model.error', `the model refused: ${message.refusal}`);
        return { text: message?.content ?? '', usage: chatUsage(completion.usage) };
      }
      const stream = await client.chat.completions.create(
        { ...params, stream: true, stream_options: { include_usage: true } },
        options,
      );
      let text = '';
      let usage: TokenUsage | undefined;
      for await (const chunk of stream) {
        const piece = chunk.choices[0]?.delta?.content;
        if (piece) {
          text += piece;
          request.onToken(piece);
        }
        if (chunk.usage) usage = chatUsage(chunk.usage);
      }
      return { text, usage };
    },
  };
}

export function createLlmClient(config: OpenAIConfig): LlmClient {
  const client = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    maxRetries: config.maxRetries,
    timeout: config.timeoutMs,
    ...(config.fetch ? { fetch: config.fetch } : {}),
  });
  const inner =
    config.apiStyle === 'chat_completions'
      ? chatCompletionsClient(client)
      : responsesClient(client);
  return {
    async complete(request) {
      try {
        return await inner.complete(request);
      } catch (err) {
        throw toModelError(err);
      }
    },
  };
}
