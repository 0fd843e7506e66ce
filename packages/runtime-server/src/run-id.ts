// Run ids become directory names under the trace dir, so they are checked against a strict
// pattern before any path is built from them.
import { randomUUID } from 'node:crypto';

/** Letters, digits and `._:-`, 1 to 128 characters. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** True when `value` can safely name a run directory: the pattern, and never `.` or `..`. */
export function isSafeRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID_PATTERN.test(value) && value !== '.' && value !== '..';
}

/** A fresh run id: `run_` and 32 hex digits. */
export function newRunId(): string {
  return `run_${randomUUID().replaceAll('-', '')}`;
}
