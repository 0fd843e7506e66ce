// The names an expression may use. Maps (not object literals) so that `constructor`,
// `__proto__` and friends are never found by accident.

export const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

export interface CalcFunction {
  minArgs: number;
  /** Infinity for variadic functions. */
  maxArgs: number;
  apply(args: readonly number[]): number;
}

function unary(fn: (x: number) => number): CalcFunction {
  return { minArgs: 1, maxArgs: 1, apply: (args) => fn(args[0] ?? Number.NaN) };
}

// A loop rather than Math.min(...args): spreading a long argument list can overflow the stack.
function fold(args: readonly number[], pick: (a: number, b: number) => number): number {
  let acc = args[0] ?? Number.NaN;
  for (let i = 1; i < args.length; i++) acc = pick(acc, args[i] ?? Number.NaN);
  return acc;
}

export const FUNCTIONS: ReadonlyMap<string, CalcFunction> = new Map([
  ['sqrt', unary(Math.sqrt)],
  ['abs', unary(Math.abs)],
  ['round', unary(Math.round)],
  ['floor', unary(Math.floor)],
  ['ceil', unary(Math.ceil)],
  ['min', { minArgs: 1, maxArgs: Infinity, apply: (args) => fold(args, Math.min) }],
  ['max', { minArgs: 1, maxArgs: Infinity, apply: (args) => fold(args, Math.max) }],
]);

/** Names are matched case-insensitively (`PI`, `Sqrt`), as models write them either way. */
export function normalizeName(name: string): string {
  return name.toLowerCase();
}
