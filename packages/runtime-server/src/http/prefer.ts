// RFC 7240 `Prefer: wait=N`: hold the answer until the run ends or N seconds pass.

/** Longest wait honoured, in seconds; larger requests are capped to it. */
export const MAX_WAIT_SECONDS = 60;

/** The wait in whole seconds (capped), or undefined when the header asks for none. */
export function parsePreferWait(
  header: string | string[] | undefined,
  maxSeconds = MAX_WAIT_SECONDS,
): number | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const value of values) {
    if (value.length > 1024) continue;
    for (const part of value.split(/[,;]/)) {
      const match = /^\s*wait\s*=\s*"?(\d{1,9})"?\s*$/i.exec(part);
      if (match?.[1] !== undefined) return Math.min(Number(match[1]), maxSeconds);
    }
  }
  return undefined;
}
