import { ToolArgumentsError, ToolExecutionError } from '../tool-errors.js';
import type { ToolImplementation } from '../types.js';
import { formatZonedIso, resolveTimeZone } from './zoned-time.js';

// Longest IANA names are about 30 characters; anything much longer is not a zone.
const MAX_TZ_LENGTH = 64;

export const timeNowTool: ToolImplementation = {
  definition: {
    tool_id: 'tool_time_now',
    name: 'time_now',
    description:
      'Returns the current date and time in a time zone: the zone, an ISO 8601 timestamp with the ' +
      "zone's UTC offset, and Unix epoch milliseconds. Use it whenever the answer depends on " +
      'the current time or date.',
    input_schema: {
      type: 'object',
      additionalProperties: false,
      required: ['tz'],
      properties: {
        tz: {
          type: ['string', 'null'],
          description:
            'An IANA time zone such as "Europe/Paris", "America/New_York" or "Asia/Tokyo"; ' +
            'null for UTC.',
        },
      },
    },
    output_schema: {
      type: 'object',
      additionalProperties: false,
      required: ['tz', 'iso', 'epoch_ms'],
      properties: {
        tz: { type: 'string', description: 'The time zone used (UTC when none was given).' },
        iso: {
          type: 'string',
          format: 'date-time',
          description: 'The local time with its offset, e.g. 2026-01-01T09:00:00.000+09:00.',
        },
        epoch_ms: { type: 'integer', description: 'Milliseconds since 1970-01-01T00:00:00Z.' },
      },
    },
    source: 'registry_local',
  },
  handler: (args, ctx) => {
    const requested = typeof args.tz === 'string' && args.tz.trim() !== '' ? args.tz.trim() : 'UTC';
    const tz = requested.length <= MAX_TZ_LENGTH ? resolveTimeZone(requested) : undefined;
    if (tz === undefined) {
      throw new ToolArgumentsError(`Unknown time zone '${requested.slice(0, MAX_TZ_LENGTH)}'.`, [
        { path: '$.tz', message: 'is not a known IANA time zone', keyword: 'timeZone' },
      ]);
    }
    const epochMs = Math.trunc(ctx.clock.now());
    if (!Number.isFinite(epochMs) || Math.abs(epochMs) > 8.64e15) {
      throw new ToolExecutionError('The clock returned an invalid time.');
    }
    return { tz, iso: formatZonedIso(tz, epochMs), epoch_ms: epochMs };
  },
};
