import { CalcError } from './errors.js';

export type TokenKind = 'number' | 'name' | 'operator' | 'lparen' | 'rparen' | 'comma' | 'end';

export interface Token {
  kind: TokenKind;
  /** The token's source text (for numbers, its digits; for operators, `+`, `**`, ...). */
  text: string;
  /** 0-based offset of the token's first character. */
  position: number;
}

// Names longer than any function or constant we know cannot be valid; cut them short in errors.
const MAX_NAME_IN_MESSAGE = 32;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57; // 0-9
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Reads a number literal (`12`, `1.5`, `.5`, `2e10`, `1.5E-3`) starting at `start`. */
function readNumber(input: string, start: number): number {
  let i = start;
  while (i < input.length && isDigit(input.charCodeAt(i))) i++;
  if (input.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < input.length && isDigit(input.charCodeAt(i))) i++;
  }
  if (i === start + 1 && input.charCodeAt(start) === 46) {
    throw new CalcError("Expected digits after '.'", start);
  }
  const e = input.charCodeAt(i);
  if (e === 101 || e === 69 /* e E */) {
    let j = i + 1;
    const sign = input.charCodeAt(j);
    if (sign === 43 || sign === 45 /* + - */) j++;
    if (isDigit(input.charCodeAt(j))) {
      while (j < input.length && isDigit(input.charCodeAt(j))) j++;
      i = j;
    } else if (j > i + 1) {
      // `2e+` / `2e-`: clearly meant as an exponent, but the digits are missing.
      throw new CalcError('Expected digits in the exponent', j);
    }
    // Otherwise `2e` is the number 2 followed by the name `e`; the parser reports it.
  }
  return i;
}

/** Reads tokens one at a time, as the parser asks for them. */
export class Lexer {
  private i = 0;

  constructor(private readonly input: string) {}

  /** The next token; an `end` token at the end, again and again. Throws CalcError on bad input. */
  next(): Token {
    const input = this.input;
    let i = this.i;
    while (i < input.length && isSpace(input.charCodeAt(i))) i++;
    if (i >= input.length) {
      this.i = i;
      return { kind: 'end', text: '', position: input.length };
    }
    const c = input.charCodeAt(i);
    let token: Token;
    if (isDigit(c) || c === 46 /* . */) {
      const end = readNumber(input, i);
      token = { kind: 'number', text: input.slice(i, end), position: i };
    } else if (isNameStart(c)) {
      let end = i + 1;
      while (end < input.length && isNamePart(input.charCodeAt(end))) end++;
      token = { kind: 'name', text: input.slice(i, end), position: i };
    } else {
      token = readSymbol(input, i);
    }
    this.i = token.position + token.text.length;
    return token;
  }
}

function readSymbol(input: string, i: number): Token {
  const ch = input[i] ?? '';
  if (ch === '*' && input[i + 1] === '*') return { kind: 'operator', text: '**', position: i };
  switch (ch) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '^':
      return { kind: 'operator', text: ch, position: i };
    case '(':
      return { kind: 'lparen', text: ch, position: i };
    case ')':
      return { kind: 'rparen', text: ch, position: i };
    case ',':
      return { kind: 'comma', text: ch, position: i };
    default:
      throw new CalcError(`Unexpected character ${describeChar(input, i)}`, i);
  }
}

/** All tokens of an expression, ending with `end` (for tests and tooling). */
export function tokenize(input: string): Token[] {
  const lexer = new Lexer(input);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    tokens.push(token);
    if (token.kind === 'end') return tokens;
  }
}

function describeChar(input: string, i: number): string {
  const cp = input.codePointAt(i) ?? 0;
  // Printable ASCII is shown as is; anything else by code point, so messages stay readable.
  return cp >= 33 && cp <= 126
    ? `'${String.fromCodePoint(cp)}'`
    : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Shortens a name for an error message. */
export function displayName(name: string): string {
  return name.length > MAX_NAME_IN_MESSAGE ? `${name.slice(0, MAX_NAME_IN_MESSAGE)}...` : name;
}
