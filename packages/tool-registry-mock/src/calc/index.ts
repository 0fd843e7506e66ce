import { CalcError } from './errors.js';
import { evaluate } from './evaluate.js';
import { parse } from './parser.js';

export { CalcError } from './errors.js';
export type { CalcNode } from './ast.js';
export { parse } from './parser.js';
export { evaluate } from './evaluate.js';

export const MAX_EXPRESSION_LENGTH = 1_000;
export const MAX_EXPRESSION_DEPTH = 64;

export interface CalcLimits {
  maxLength?: number;
  maxDepth?: number;
}

/**
 * Evaluates an arithmetic expression such as `(19*23)` or `sqrt(2)^2 + max(1, 2, 3)`: numbers,
 * + - * / %, power (^ or **), unary signs, parentheses, sqrt abs round floor ceil min max, pi
 * and e. Never uses eval. Throws CalcError with the 0-based position of the problem in `input`.
 */
export function calculate(input: string, limits: CalcLimits = {}): number {
  const maxLength = limits.maxLength ?? MAX_EXPRESSION_LENGTH;
  if (input.length > maxLength) {
    throw new CalcError(`Expression is longer than ${maxLength} characters`, maxLength);
  }
  if (input.trim() === '') throw new CalcError('Expression is empty', 0);
  const value = evaluate(parse(input, { maxDepth: limits.maxDepth ?? MAX_EXPRESSION_DEPTH }));
  // -0 is an artefact of floating point (e.g. -0 * 5); report it as plain 0.
  return value === 0 ? 0 : value;
}
