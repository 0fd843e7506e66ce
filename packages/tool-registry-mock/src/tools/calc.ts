import { calculate, CalcError } from '../calc/index.js';
import { ToolExecutionError } from '../tool-errors.js';
import type { ToolImplementation } from '../types.js';

export const calcTool: ToolImplementation = {
  definition: {
    tool_id: 'tool_calc',
    name: 'calc',
    description:
      'Evaluates an arithmetic expression exactly and returns its numeric value. Use it for any ' +
      'arithmetic instead of computing by hand. Supports numbers (12, 1.5, 2e3), + - * / and % ' +
      '(remainder), ^ or ** (power), unary minus, parentheses, the functions sqrt, abs, round, ' +
      'floor, ceil, min and max (min and max take any number of arguments), and the constants pi ' +
      'and e. Write multiplication explicitly: 2*(3+4), not 2(3+4).',
    input_schema: {
      type: 'object',
      additionalProperties: false,
      required: ['expression'],
      properties: {
        expression: {
          type: 'string',
          description: 'The expression to evaluate, e.g. "(19*23)" or "sqrt(16) + max(2, 5)^2".',
        },
      },
    },
    output_schema: {
      type: 'object',
      additionalProperties: false,
      required: ['expression', 'value'],
      properties: {
        expression: { type: 'string', description: 'The evaluated expression, trimmed.' },
        value: { type: 'number', description: 'The result.' },
      },
    },
    source: 'registry_local',
  },
  handler: (args) => {
    const expression = String(args.expression).trim();
    try {
      return { expression, value: calculate(expression) };
    } catch (err) {
      if (err instanceof CalcError) {
        throw new ToolExecutionError(err.message, { details: { position: err.position } });
      }
      throw err;
    }
  },
};
