// Reading Node's fetch failures: which low-level error caused them, and whether the request can
// have reached the server at all (only then is retrying a non-idempotent request unsafe).

/** Failures that happen before a connection exists, so the server never saw the request. */
const NEVER_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Every error code found along the cause chain (and inside AggregateErrors), outermost first. */
function causeCodes(thrown: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [thrown];
  // Bounded walk: cause chains are short, but a cyclic one must not hang us.
  while (queue.length > 0 && seen.size < 16) {
    const current = queue.shift();
    if (current === undefined || current === null || seen.has(current)) continue;
    seen.add(current);
    const code = codeOf(current);
    if (code !== undefined) codes.push(code);
    if (current instanceof AggregateError) queue.push(...current.errors);
    if (current instanceof Error && current.cause !== undefined) queue.push(current.cause);
  }
  return codes;
}

/** The most specific low-level code of a fetch failure, e.g. ECONNREFUSED. */
export function networkErrorCode(thrown: unknown): string | undefined {
  const codes = causeCodes(thrown);
  return codes[codes.length - 1];
}

export function isConnectionNeverEstablished(thrown: unknown): boolean {
  const codes = causeCodes(thrown);
  return codes.length > 0 && codes.every((code) => NEVER_CONNECTED_CODES.has(code));
}
