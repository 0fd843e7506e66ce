/** A calc failure tied to a 0-based position in the (trimmed) expression. */
export class CalcError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'CalcError';
  }
}
