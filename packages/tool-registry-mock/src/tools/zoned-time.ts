// Formats an instant in an IANA time zone as ISO 8601 with the zone's offset, using only Intl.

const MAX_CACHED_ZONES = 1_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter for `timeZone`, or undefined when the zone is unknown. Cached: creating one is slow. */
function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  // Bounded: callers choose the zone strings, and aliases multiply the distinct keys.
  if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
  formatters.set(timeZone, formatter);
  return formatter;
}

/**
 * The name to report for a zone, or undefined when Intl does not know it. ICU resolves some
 * current names to older aliases (`Asia/Kolkata` -> `Asia/Calcutta`), so the caller's spelling
 * is kept; only letter case is corrected (`utc` -> `UTC`, `asia/tokyo` -> `Asia/Tokyo`).
 */
export function resolveTimeZone(timeZone: string): string | undefined {
  const resolved = formatterFor(timeZone)?.resolvedOptions().timeZone;
  if (resolved === undefined) return undefined;
  return resolved.toLowerCase() === timeZone.toLowerCase() ? resolved : timeZone;
}

/** Offset of `timeZone` from UTC at `epochMs`, in whole minutes (east positive). */
export function zoneOffsetMinutes(timeZone: string, epochMs: number): number {
  const formatter = formatterFor(timeZone);
  if (!formatter) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const fields: Record<string, string> = {};
  for (const part of formatter.formatToParts(epochMs)) fields[part.type] = part.value;
  const year = Number(fields.year);
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(
    fields.era === 'BC' ? 1 - year : year,
    Number(fields.month) - 1,
    Number(fields.day),
  );
  wallClock.setUTCHours(Number(fields.hour), Number(fields.minute), Number(fields.second), 0);
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return Math.round((wallClock.getTime() - wholeSeconds) / 60_000);
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

/** `2026-01-01T09:00:00.000+09:00` for 2026-01-01T00:00:00Z in Asia/Tokyo. */
export function formatZonedIso(timeZone: string, epochMs: number): string {
  const offset = zoneOffsetMinutes(timeZone, epochMs);
  const local = new Date(epochMs + offset * 60_000).toISOString(); // ends in `Z`
  return `${local.slice(0, -1)}${formatOffset(offset)}`;
}
