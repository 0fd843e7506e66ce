export * from './types.js';
export * from './error-codes.js';
export * from './errors.js';
export * from './validation.js';
export { runtimeOpenApi, toolRegistryOpenApi } from './generated/openapi.js';
export type { paths as RuntimePaths } from './generated/runtime.js';
export type { paths as ToolRegistryPaths } from './generated/tool-registry.js';
