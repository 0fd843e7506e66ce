// OpenAI configuration from the environment, and the strict-schema conversion of tool schemas.
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  dropAddedNulls,
  loadOpenAIConfig,
  toModelSchema,
} from '../src/adapters/openai/index.js';

describe('loadOpenAIConfig', () => {
  it('throws a clear model.config_missing error naming both key variables', () => {
    let thrown: unknown;
    try {
      loadOpenAIConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ code: 'model.config_missing' });
    expect(String((thrown as Error).message)).toMatch(/OPENAI_API_KEY.*JARVIS_OPENAI_API_KEY/);
  });

  it('uses the defaults of the JARVIS docs', () => {
    expect(loadOpenAIConfig({ OPENAI_API_KEY: 'k' })).toEqual({
      apiKey: 'k',
      baseURL: 'https://api.openai.com/v1',
      apiStyle: 'responses',
      models: { planner: 'gpt-5-nano', toolArgs: 'gpt-5-nano', chat: 'gpt-5-nano' },
      maxRetries: 2,
      timeoutMs: 60_000,
    });
  });

  it('reads every variable, JARVIS_ ones winning over plain OpenAI ones', () => {
    const config = loadOpenAIConfig({
      OPENAI_API_KEY: 'plain',
      JARVIS_OPENAI_API_KEY: 'jarvis',
      OPENAI_BASE_URL: 'https://plain.example/v1',
      JARVIS_OPENAI_BASE_URL: 'http://127.0.0.1:9/v1/',
      JARVIS_MODEL_DEFAULT: 'm-default',
      JARVIS_MODEL_CHAT: 'm-chat',
      JARVIS_OPENAI_API_STYLE: 'chat_completions',
      JARVIS_OPENAI_MAX_RETRIES: '0',
      JARVIS_OPENAI_TIMEOUT_MS: '1500',
    });
    expect(config).toEqual({
      apiKey: 'jarvis',
      baseURL: 'http://127.0.0.1:9/v1',
      apiStyle: 'chat_completions',
      models: { planner: 'm-default', toolArgs: 'm-default', chat: 'm-chat' },
      maxRetries: 0,
      timeoutMs: 1500,
    });
    expect(
      loadOpenAIConfig({ OPENAI_API_KEY: 'k', JARVIS_OPENAI_API_STYLE: 'chat' }).apiStyle,
    ).toBe('chat_completions');
  });

  it.each([
    [{ JARVIS_OPENAI_API_STYLE: 'soap' }, /JARVIS_OPENAI_API_STYLE/],
    [{ OPENAI_BASE_URL: 'not a url' }, /not a URL/],
    [{ OPENAI_BASE_URL: 'ftp://x/v1' }, /http\(s\)/],
    [{ JARVIS_OPENAI_MAX_RETRIES: '-1' }, /JARVIS_OPENAI_MAX_RETRIES/],
  ])('refuses invalid settings %o', (env, message) => {
    expect(() => loadOpenAIConfig({ OPENAI_API_KEY: 'k', ...env })).toThrow(message);
  });
});

describe('toModelSchema', () => {
  it('makes optional properties required and nullable for strict mode', () => {
    const schema = {
      type: 'object',
      required: ['city'],
      properties: { city: { type: 'string' }, tz: { type: 'string' }, n: { enum: [1, 2] } },
    };
    expect(toModelSchema(schema)).toEqual({
      strict: true,
      schema: {
        type: 'object',
        required: ['city', 'tz', 'n'],
        additionalProperties: false,
        properties: {
          city: { type: 'string' },
          tz: { type: ['string', 'null'] },
          n: { anyOf: [{ enum: [1, 2] }, { type: 'null' }] },
        },
      },
    });
    expect(dropAddedNulls({ city: 'Paris', tz: null, n: null }, schema)).toEqual({ city: 'Paris' });
  });

  it('sends schemas strict mode cannot express as non-strict', () => {
    const open = { type: 'object', additionalProperties: true, properties: {} };
    expect(toModelSchema(open)).toEqual({ strict: false, schema: open });
    const withOneOf = { type: 'object', properties: { a: { oneOf: [{ type: 'string' }] } } };
    expect(toModelSchema(withOneOf).strict).toBe(false);
  });

  it('keeps a null that the input_schema requires', () => {
    const schema = {
      type: 'object',
      required: ['tz'],
      properties: { tz: { type: ['string', 'null'] } },
    };
    expect(dropAddedNulls({ tz: null }, schema)).toEqual({ tz: null });
  });
});
