// What the node:http and the socket transports share about an exchange: the answer's body as
// text, and whether a failure is the keep-alive race (the server closed an idle socket just as
// it was reused, so the request met a reset before any answer).
import { codeOf } from '../flow/failure.js';

const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** A reset or broken pipe: on a reused socket with no answer yet, worth one more try. */
export function isStaleSocketError(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && STALE_SOCKET_CODES.has(code);
}

/** The body chunks as UTF-8 text (no copy for a body that came in one chunk). */
export function bodyText(chunks: readonly Buffer[], bytes: number): string {
  if (chunks.length === 0) return '';
  const only = chunks.length === 1 ? chunks[0] : undefined;
  return (only ?? Buffer.concat(chunks, bytes)).toString('utf8');
}
