// '@arp-ts/runtime-core/openai': model roles backed by the official OpenAI SDK.
export {
  ConfigError,
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_OPENAI_MAX_RETRIES,
  DEFAULT_OPENAI_MODEL,
  DEFAULT_OPENAI_TIMEOUT_MS,
  loadOpenAIConfig,
  type ConfigErrorCode,
  type OpenAIApiStyle,
  type OpenAIConfig,
} from './config.js';
export { createOpenAIModels, OPENAI_REPAIR_ATTEMPTS } from './roles.js';
export { toModelSchema, dropAddedNulls, type ModelSchema } from './strict-schema.js';
