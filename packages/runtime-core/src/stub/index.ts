// Stub mode: deterministic model roles with no network, for demos, tests and benchmarks.
import type { ModelRoles } from '../models.js';
import { createStubChat } from './chat.js';
import { createStubPlanner } from './planner.js';
import { createStubToolArgs } from './tool-args.js';

export function createStubModels(): ModelRoles {
  return {
    mode: 'stub',
    planner: createStubPlanner(),
    toolArgs: createStubToolArgs(),
    chat: createStubChat(),
  };
}

export { describeStep, stubFinalText } from './chat.js';
