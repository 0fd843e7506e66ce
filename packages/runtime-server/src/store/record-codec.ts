// status.json holds the public RunStatus plus two namespaced extensions the server needs back on
// restart (creation time and owner); they are stripped again before a status is served.
import { validateRunStatus } from '@arp-ts/sdk';
import type { RunRecord } from './run-store.js';

const CREATED_AT = 'arp-ts.created_at';
const OWNER = 'arp-ts.owner';

export function encodeRecord(record: RunRecord): string {
  const extensions: Record<string, unknown> = {
    ...record.status.extensions,
    [CREATED_AT]: record.createdAt,
  };
  if (record.owner !== undefined) extensions[OWNER] = record.owner;
  return JSON.stringify({ ...record.status, extensions });
}

/** Parses a status.json; undefined when it is not a valid RunStatus for `runId`. */
export function decodeRecord(runId: string, text: string): RunRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const checked = validateRunStatus(parsed);
  if (!checked.ok || checked.value.run_id !== runId) return undefined;
  const { extensions, ...status } = checked.value;
  const rest: Record<string, unknown> = { ...extensions };
  const createdAt = rest[CREATED_AT];
  const owner = rest[OWNER];
  delete rest[CREATED_AT];
  delete rest[OWNER];
  const record: RunRecord = {
    status: Object.keys(rest).length > 0 ? { ...status, extensions: rest } : status,
    createdAt:
      typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt))
        ? createdAt
        : (status.started_at ?? new Date(0).toISOString()),
  };
  if (typeof owner === 'string') record.owner = owner;
  return record;
}
