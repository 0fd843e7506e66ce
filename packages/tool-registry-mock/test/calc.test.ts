import { describe, expect, it } from 'vitest';
import { CalcError, calculate, MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH } from '../src/index.js';
import { parse } from '../src/calc/index.js';
import { tokenize } from '../src/calc/lexer.js';

function calcError(expression: string, limits?: Parameters<typeof calculate>[1]): CalcError {
  try {
    calculate(expression, limits);
  } catch (err) {
    if (err instanceof CalcError) return err;
    throw err;
  }
  throw new Error(`expected ${expression} to fail`);
}

describe('calc: values', () => {
  it.each([
    ['(19*23)', 437],
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['2 * 3 % 4', 2],
    ['2^10', 1024],
    ['2**10', 1024],
    ['2^3^2', 512],
    ['2**3**2', 512],
    ['-2^2', -4],
    ['(-2)^2', 4],
    ['2^-1', 0.5],
    ['--3', 3],
    ['+-+3', -3],
    ['1 - -1', 2],
    ['3 * -2', -6],
    ['1.5 * 2', 3],
    ['.5 + .25', 0.75],
    ['1e3', 1000],
    ['2.5E-1', 0.25],
    ['1e+2', 100],
    ['sqrt(16)', 4],
    ['abs(-3.5)', 3.5],
    ['round(2.5)', 3],
    ['floor(-1.5)', -2],
    ['ceil(1.2)', 2],
    ['min(4, 2, 8)', 2],
    ['max(4, 2, 8)', 8],
    ['max(1)', 1],
    ['max(1, 2) * min(3, 4)', 6],
    ['SQRT(4) + Max(1, 2)', 4],
    ['pi', Math.PI],
    ['PI', Math.PI],
    ['e', Math.E],
    ['2*pi', 2 * Math.PI],
    ['sqrt(2)^2', Math.sqrt(2) ** 2],
    ['\t 1 +\n2 ', 3],
    ['0 * -1', 0],
  ])('%s = %d', (expression, expected) => {
    expect(calculate(expression)).toBe(expected);
  });

  it('never returns negative zero', () => {
    expect(Object.is(calculate('0 * -1'), 0)).toBe(true);
    expect(Object.is(calculate('-0'), 0)).toBe(true);
  });
});

describe('calc: errors point at the problem', () => {
  it.each([
    ['1 +', 'Unexpected end of expression', 3],
    ['', 'Expression is empty', 0],
    ['   ', 'Expression is empty', 0],
    ['(1 + 2', "Unclosed '(' (opened at 0): expected ')'", 6],
    ['1 + 2)', "Unmatched ')'", 5],
    ['* 2', "Unexpected operator '*'", 0],
    ['2 * / 3', "Unexpected operator '/'", 4],
    ['()', "Unexpected ')'", 1],
    [',', "Unexpected ','", 0],
    ['2(3)', "Missing operator before '(' (implicit multiplication is not supported)", 1],
    ['2 pi', "Missing operator before 'pi' (implicit multiplication is not supported)", 2],
    ['2e', "Missing operator before 'e' (implicit multiplication is not supported)", 1],
    ['(1)(2)', "Missing operator before '(' (implicit multiplication is not supported)", 3],
    ['1 2', "Missing operator before '2' (implicit multiplication is not supported)", 2],
    ['1 / 0', 'Division by zero', 2],
    ['5 % (2 - 2)', 'Remainder by zero', 2],
    ['0^-1', 'Division by zero', 1],
    ['10^400', 'Result is too large', 2],
    ['1e308 * 10', 'Result is too large', 6],
    ['1e999', 'Number is too large', 0],
    ['(-8)^(1/3)', 'Result is not a real number (negative base, fractional power)', 4],
    ['1 + sqrt(-4)', 'Square root of a negative number', 4],
    ['foo + 1', "Unknown name 'foo'", 0],
    ['sqrt 4', "Function 'sqrt' must be called with parentheses", 5],
    ['pi(2)', "'pi' is a constant, not a function", 0],
    ['sqrt(1, 2)', "Function 'sqrt' takes 1 argument, got 2", 0],
    ['1 + $', "Unexpected character '$'", 4],
    ['1 + é', 'Unexpected character U+00E9', 4],
    ['.', "Expected digits after '.'", 0],
    ['1e+', 'Expected digits in the exponent', 3],
    ['1 = 1', "Unexpected character '='", 2],
  ])('%j fails: %s at %d', (expression, message, position) => {
    const err = calcError(expression);
    expect(err.position).toBe(position);
    expect(err.message).toBe(`${message} at position ${position}`);
  });
});

describe('calc: hostile input', () => {
  it.each([
    ['process.exit()', "Unknown name 'process'", 0],
    ['constructor', "Unknown name 'constructor'", 0],
    ['__proto__', "Unknown name '__proto__'", 0],
    ['toString()', "Unknown name 'toString'", 0],
    ['require("fs")', "Unknown name 'require'", 0],
    ['this', "Unknown name 'this'", 0],
    ['1; 2', "Unexpected character ';'", 1],
    ['[1]', "Unexpected character '['", 0],
    ['`1`', "Unexpected character '`'", 0],
  ])('%s is rejected, not executed', (expression, message, position) => {
    const err = calcError(expression);
    expect(err.message).toBe(`${message} at position ${position}`);
  });

  it('cuts very long names short in messages', () => {
    const err = calcError('x'.repeat(500));
    expect(err.message).toBe(`Unknown name '${'x'.repeat(32)}...' at position 0`);
  });

  it(`refuses expressions longer than ${MAX_EXPRESSION_LENGTH} characters`, () => {
    expect(calculate('1+'.repeat(499) + '1')).toBe(500); // 999 characters
    const err = calcError('1+'.repeat(500) + '1');
    expect(err.message).toBe('Expression is longer than 1000 characters at position 1000');
  });

  it('survives 10,000 nested parentheses: refused by length, and by depth when length allows', () => {
    const deep = '('.repeat(10_000) + '1' + ')'.repeat(10_000);
    expect(calcError(deep).message).toMatch(/^Expression is longer than 1000 characters/);
    const err = calcError(deep, { maxLength: Infinity });
    expect(err.message).toBe(
      `Expression is nested too deeply (more than ${MAX_EXPRESSION_DEPTH} levels) at position 64`,
    );
  });

  it('survives 10,000 unary signs and a 10,000-level power tower', () => {
    expect(calcError('-'.repeat(10_000) + '1', { maxLength: Infinity }).message).toMatch(
      /^Expression is nested too deeply/,
    );
    expect(calcError('2^'.repeat(10_000) + '2', { maxLength: Infinity }).message).toMatch(
      /^Expression is nested too deeply/,
    );
  });

  it(`allows ${MAX_EXPRESSION_DEPTH} levels of nesting and not one more`, () => {
    // Each parenthesis adds a level; the innermost number is one more.
    const nested = (n: number): string => '('.repeat(n) + '7' + ')'.repeat(n);
    expect(calculate(nested(MAX_EXPRESSION_DEPTH - 1))).toBe(7);
    expect(calcError(nested(MAX_EXPRESSION_DEPTH)).message).toMatch(/nested too deeply/);
    expect(calculate('1 + (2) + (3) + (4)')).toBe(10); // siblings do not add up
  });

  it('honours custom limits', () => {
    expect(calcError('(1)', { maxDepth: 1 }).message).toMatch(/nested too deeply/);
    expect(calcError('1+1', { maxLength: 2 }).position).toBe(2);
  });
});

describe('calc: parser structure', () => {
  it('builds a tree with positions', () => {
    expect(parse('1 + 2 * 3', { maxDepth: 64 })).toEqual({
      type: 'binary',
      operator: '+',
      position: 2,
      left: { type: 'number', value: 1, position: 0 },
      right: {
        type: 'binary',
        operator: '*',
        position: 6,
        left: { type: 'number', value: 2, position: 4 },
        right: { type: 'number', value: 3, position: 8 },
      },
    });
  });

  it('treats -2^2 as -(2^2)', () => {
    const tree = parse('-2^2', { maxDepth: 64 });
    expect(tree).toMatchObject({ type: 'unary', operator: '-', operand: { operator: '^' } });
  });

  it('tokenizes ** as one operator and 2e3 as one number', () => {
    expect(tokenize('2**2e3').map((t) => `${t.kind}:${t.text}`)).toEqual([
      'number:2',
      'operator:**',
      'number:2e3',
      'end:',
    ]);
  });
});
