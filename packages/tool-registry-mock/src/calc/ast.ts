export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '^';
export type UnaryOperator = '+' | '-';

/** The syntax tree of an arithmetic expression; `position` points at the node's operator or name. */
export type CalcNode =
  | { type: 'number'; value: number; position: number }
  | { type: 'constant'; name: string; value: number; position: number }
  | { type: 'unary'; operator: UnaryOperator; operand: CalcNode; position: number }
  | {
      type: 'binary';
      operator: BinaryOperator;
      left: CalcNode;
      right: CalcNode;
      position: number;
    }
  | { type: 'call'; name: string; args: CalcNode[]; position: number };
