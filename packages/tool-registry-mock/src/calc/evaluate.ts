import type { CalcNode } from './ast.js';
import { CalcError } from './errors.js';
import { FUNCTIONS } from './functions.js';

/**
 * Evaluates a parsed tree. Any step that yields a non-finite number fails at the position of the
 * operator or function responsible, so the caller learns which part of the input went wrong.
 * Recursion depth is bounded by the parser's depth limit.
 */
export function evaluate(node: CalcNode): number {
  switch (node.type) {
    case 'number':
      if (!Number.isFinite(node.value)) throw new CalcError('Number is too large', node.position);
      return node.value;
    case 'constant':
      return node.value;
    case 'unary': {
      const value = evaluate(node.operand);
      return node.operator === '-' ? -value : value;
    }
    case 'binary':
      return evaluateBinary(node.operator, evaluate(node.left), evaluate(node.right), node);
    case 'call': {
      const fn = FUNCTIONS.get(node.name);
      if (!fn) throw new CalcError(`Unknown function '${node.name}'`, node.position);
      const args = node.args.map(evaluate);
      if (node.name === 'sqrt' && (args[0] ?? 0) < 0) {
        throw new CalcError('Square root of a negative number', node.position);
      }
      return finite(fn.apply(args), node.position);
    }
  }
}

function evaluateBinary(
  operator: string,
  left: number,
  right: number,
  node: { position: number },
): number {
  switch (operator) {
    case '+':
      return finite(left + right, node.position);
    case '-':
      return finite(left - right, node.position);
    case '*':
      return finite(left * right, node.position);
    case '/':
      if (right === 0) throw new CalcError('Division by zero', node.position);
      return finite(left / right, node.position);
    case '%':
      if (right === 0) throw new CalcError('Remainder by zero', node.position);
      return finite(left % right, node.position);
    default:
      return power(left, right, node.position);
  }
}

function power(base: number, exponent: number, position: number): number {
  if (base === 0 && exponent < 0) throw new CalcError('Division by zero', position);
  const value = Math.pow(base, exponent);
  if (Number.isNaN(value)) {
    throw new CalcError('Result is not a real number (negative base, fractional power)', position);
  }
  return finite(value, position);
}

function finite(value: number, position: number): number {
  if (Number.isNaN(value)) throw new CalcError('Result is not a number', position);
  if (!Number.isFinite(value)) throw new CalcError('Result is too large', position);
  return value;
}
