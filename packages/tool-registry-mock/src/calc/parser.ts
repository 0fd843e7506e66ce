import type { CalcNode } from './ast.js';
import { CalcError } from './errors.js';
import { CONSTANTS, FUNCTIONS, normalizeName } from './functions.js';
import { displayName, Lexer, type Token } from './lexer.js';

export interface ParseOptions {
  /**
   * Deepest allowed nesting. Parentheses, function calls, unary signs and power exponents each
   * add a level. Checked while parsing, so hostile input fails cleanly instead of overflowing
   * the stack.
   */
  maxDepth: number;
}

/**
 * Parses an arithmetic expression into a tree. Grammar, loosest binding first:
 *
 *   expression := term (('+' | '-') term)*
 *   term       := unary (('*' | '/' | '%') unary)*
 *   unary      := ('+' | '-') unary | power
 *   power      := primary (('^' | '**') unary)?       right-associative; -2^2 is -(2^2)
 *   primary    := number | constant | name '(' expression (',' expression)* ')' | '(' expression ')'
 */
export function parse(input: string, options: ParseOptions): CalcNode {
  return new Parser(new Lexer(input), options.maxDepth).parseAll();
}

class Parser {
  // Lexed on demand: the token after a name is read only when the parser asks for it, so the
  // leftmost problem is the one reported (`process.exit()` fails at `process`, not at `.`).
  private current: Token | undefined;
  private depth = 0;

  constructor(
    private readonly lexer: Lexer,
    private readonly maxDepth: number,
  ) {}

  parseAll(): CalcNode {
    const node = this.parseExpression();
    const next = this.peek();
    if (next.kind !== 'end') throw this.unexpectedAfterOperand(next);
    return node;
  }

  private peek(): Token {
    this.current ??= this.lexer.next();
    return this.current;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.current = undefined;
    return token;
  }

  private parseExpression(): CalcNode {
    let left = this.parseTerm();
    for (;;) {
      const op = this.peek();
      if (op.kind !== 'operator' || (op.text !== '+' && op.text !== '-')) return left;
      this.advance();
      const right = this.parseTerm();
      left = { type: 'binary', operator: op.text, left, right, position: op.position };
    }
  }

  private parseTerm(): CalcNode {
    let left = this.parseUnary();
    for (;;) {
      const op = this.peek();
      if (op.kind !== 'operator' || (op.text !== '*' && op.text !== '/' && op.text !== '%')) {
        return left;
      }
      this.advance();
      const right = this.parseUnary();
      left = { type: 'binary', operator: op.text, left, right, position: op.position };
    }
  }

  // Every recursive path of the grammar passes through here, so this is where depth is bounded.
  private parseUnary(): CalcNode {
    const token = this.peek();
    if (++this.depth > this.maxDepth) {
      throw new CalcError(
        `Expression is nested too deeply (more than ${this.maxDepth} levels)`,
        token.position,
      );
    }
    try {
      if (token.kind === 'operator' && (token.text === '+' || token.text === '-')) {
        this.advance();
        const operand = this.parseUnary();
        return { type: 'unary', operator: token.text, operand, position: token.position };
      }
      return this.parsePower();
    } finally {
      this.depth--;
    }
  }

  private parsePower(): CalcNode {
    const base = this.parsePrimary();
    const op = this.peek();
    if (op.kind !== 'operator' || (op.text !== '^' && op.text !== '**')) return base;
    this.advance();
    const exponent = this.parseUnary();
    return { type: 'binary', operator: '^', left: base, right: exponent, position: op.position };
  }

  private parsePrimary(): CalcNode {
    const token = this.advance();
    switch (token.kind) {
      case 'number':
        return { type: 'number', value: Number(token.text), position: token.position };
      case 'name':
        return this.parseName(token);
      case 'lparen': {
        const inner = this.parseExpression();
        this.expectClosing(token);
        return inner;
      }
      case 'end':
        throw new CalcError('Unexpected end of expression', token.position);
      case 'rparen':
        throw new CalcError("Unexpected ')'", token.position);
      case 'comma':
        throw new CalcError("Unexpected ','", token.position);
      case 'operator':
        throw new CalcError(`Unexpected operator '${token.text}'`, token.position);
    }
  }

  private parseName(token: Token): CalcNode {
    const name = normalizeName(token.text);
    const constant = CONSTANTS.get(name);
    const fn = FUNCTIONS.get(name);
    if (constant !== undefined) {
      if (this.peek().kind === 'lparen') {
        throw new CalcError(`'${token.text}' is a constant, not a function`, token.position);
      }
      return { type: 'constant', name, value: constant, position: token.position };
    }
    if (!fn) throw new CalcError(`Unknown name '${displayName(token.text)}'`, token.position);
    const open = this.peek();
    if (open.kind !== 'lparen') {
      throw new CalcError(`Function '${name}' must be called with parentheses`, open.position);
    }
    this.advance();
    const args: CalcNode[] = [this.parseExpression()];
    while (this.peek().kind === 'comma') {
      this.advance();
      args.push(this.parseExpression());
    }
    this.expectClosing(open);
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const expected =
        fn.maxArgs === Infinity
          ? `at least ${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'}`
          : `${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'}`;
      throw new CalcError(
        `Function '${name}' takes ${expected}, got ${args.length}`,
        token.position,
      );
    }
    return { type: 'call', name, args, position: token.position };
  }

  private expectClosing(open: Token): void {
    const next = this.peek();
    if (next.kind === 'rparen') {
      this.advance();
      return;
    }
    if (next.kind === 'end') {
      throw new CalcError(`Unclosed '(' (opened at ${open.position}): expected ')'`, next.position);
    }
    throw this.unexpectedAfterOperand(next);
  }

  private unexpectedAfterOperand(token: Token): CalcError {
    if (token.kind === 'number' || token.kind === 'name' || token.kind === 'lparen') {
      const what = token.kind === 'lparen' ? "'('" : `'${displayName(token.text)}'`;
      return new CalcError(
        `Missing operator before ${what} (implicit multiplication is not supported)`,
        token.position,
      );
    }
    if (token.kind === 'rparen') return new CalcError("Unmatched ')'", token.position);
    return new CalcError(`Unexpected '${token.text}'`, token.position);
  }
}
