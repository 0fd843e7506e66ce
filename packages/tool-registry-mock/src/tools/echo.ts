import type { ToolImplementation } from '../types.js';

const textSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: {
    text: { type: 'string', description: 'The text to return.' },
  },
};

export const echoTool: ToolImplementation = {
  definition: {
    tool_id: 'tool_echo',
    name: 'echo',
    description:
      'Returns the given text unchanged. Use it to repeat or quote text back to the user, or to ' +
      'check that tool calls work.',
    input_schema: textSchema,
    output_schema: textSchema,
    source: 'registry_local',
  },
  handler: (args) => ({ text: args.text }),
};
