// What the file store adds to the JARVIS files so a restart can rebuild its index: the creation
// time and the owner, as namespaced extensions (`arp-ts.*`). request.json carries them from the
// moment a run is accepted (so no status.json is needed then); status.json repeats them. They
// are stripped again before a status is served or a request is handed to the engine.
import { validateRunRequest, validateRunStatus, type RunRequest } from '@arp-ts/sdk';
import type { RunRecord } from './run-store.js';

const CREATED_AT = 'arp-ts.created_at';
const OWNER = 'arp-ts.owner';

interface Stamp {
  createdAt: string;
  owner?: string;
}

function withStamp<T extends { extensions?: Record<string, unknown> }>(value: T, stamp: Stamp): T {
  const extensions: Record<string, unknown> = {
    ...value.extensions,
    [CREATED_AT]: stamp.createdAt,
  };
  if (stamp.owner !== undefined) extensions[OWNER] = stamp.owner;
  return { ...value, extensions };
}

/** Splits the stamp off `extensions`; `fallbackCreatedAt` when the stamp has no valid time. */
function withoutStamp<T extends { extensions?: Record<string, unknown> }>(
  value: T,
  fallbackCreatedAt: string,
): { value: T; stamp: Stamp } {
  const { extensions, ...rest } = value;
  const others: Record<string, unknown> = { ...extensions };
  const createdAt = others[CREATED_AT];
  const owner = others[OWNER];
  delete others[CREATED_AT];
  delete others[OWNER];
  const stamp: Stamp = {
    createdAt:
      typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt))
        ? createdAt
        : fallbackCreatedAt,
  };
  if (typeof owner === 'string') stamp.owner = owner;
  const clean = (Object.keys(others).length > 0 ? { ...rest, extensions: others } : rest) as T;
  return { value: clean, stamp };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function encodeRecord(record: RunRecord): string {
  return JSON.stringify(withStamp(record.status, record));
}

/** Parses a status.json; undefined when it is not a valid RunStatus of `runId`. */
export function decodeRecord(runId: string, text: string): RunRecord | undefined {
  const checked = validateRunStatus(parse(text));
  if (!checked.ok || checked.value.run_id !== runId) return undefined;
  const fallback = checked.value.started_at ?? new Date(0).toISOString();
  const { value: status, stamp } = withoutStamp(checked.value, fallback);
  return { status, ...stamp };
}

export function encodeRequest(record: RunRecord, request: RunRequest): string {
  return JSON.stringify(withStamp({ ...request, run_id: record.status.run_id }, record));
}

/** Parses a request.json into the request and the record of a run accepted but not yet started. */
export function decodeRequest(
  runId: string,
  text: string,
): { request: RunRequest; record: RunRecord } | undefined {
  const checked = validateRunRequest(parse(text));
  if (!checked.ok || checked.value.run_id !== runId) return undefined;
  const { value: request, stamp } = withoutStamp(checked.value, new Date(0).toISOString());
  return { request, record: { status: { run_id: runId, state: 'queued' }, ...stamp } };
}
