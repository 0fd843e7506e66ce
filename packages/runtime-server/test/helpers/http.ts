// Plain-fetch helpers for the runtime's HTTP API; every body is checked with the SDK validators.
import {
  validateErrorEnvelope,
  validateRunResult,
  validateRunStatus,
  type ErrorEnvelope,
  type RunRequest,
  type RunResult,
  type RunStatus,
  type Validator,
} from '@arp-ts/sdk';
import { expect } from 'vitest';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export async function call(
  baseUrl: string,
  path: string,
  init: RequestInit & { token?: string; json?: unknown } = {},
): Promise<Answer> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(`${baseUrl}${path}`, { ...init, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Asserts a 2xx answer whose body passes `validator`, and returns the typed body. */
export function expectOk<T>(answer: Answer, validator: Validator<T>, status = 200): T {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('x-request-id')).toBeTruthy();
  const checked = validator(answer.body);
  if (!checked.ok)
    throw new Error(`invalid body: ${JSON.stringify(checked.errors)}: ${answer.text}`);
  return checked.value;
}

/** Asserts an ErrorEnvelope answer with this status and code; returns the envelope. */
export function expectError(answer: Answer, status: number, code: string): ErrorEnvelope {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.headers.get('x-request-id')).toBeTruthy();
  const checked = validateErrorEnvelope(answer.body);
  if (!checked.ok) throw new Error(`not an ErrorEnvelope: ${answer.text}`);
  expect(checked.value.error.code).toBe(code);
  return checked.value;
}

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
}

export async function postRun(
  baseUrl: string,
  request: RunRequest | Record<string, unknown>,
  options: CallOptions & { wait?: number } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.wait !== undefined) headers.prefer = `wait=${options.wait}`;
  return call(baseUrl, '/v1/runs', {
    method: 'POST',
    json: request,
    headers,
    ...(options.token ? { token: options.token } : {}),
  });
}

export async function createRun(
  baseUrl: string,
  request: RunRequest,
  options: CallOptions & { wait?: number } = {},
): Promise<RunStatus> {
  return expectOk(await postRun(baseUrl, request, options), validateRunStatus);
}

export async function getStatus(
  baseUrl: string,
  runId: string,
  token?: string,
): Promise<RunStatus> {
  const answer = await call(
    baseUrl,
    `/v1/runs/${encodeURIComponent(runId)}`,
    token ? { token } : {},
  );
  return expectOk(answer, validateRunStatus);
}

export async function getResult(
  baseUrl: string,
  runId: string,
  token?: string,
): Promise<RunResult> {
  const answer = await call(
    baseUrl,
    `/v1/runs/${encodeURIComponent(runId)}/result`,
    token ? { token } : {},
  );
  return expectOk(answer, validateRunResult);
}

export async function cancelRun(baseUrl: string, runId: string, token?: string): Promise<Answer> {
  return call(baseUrl, `/v1/runs/${encodeURIComponent(runId)}:cancel`, {
    method: 'POST',
    ...(token ? { token } : {}),
  });
}

/**
 * Polls the status until `predicate` holds (tests of asynchronous state changes). The deadline
 * only bounds a failing test: a loaded machine may need seconds for what takes milliseconds here.
 */
export async function waitForStatus(
  baseUrl: string,
  runId: string,
  predicate: (status: RunStatus) => boolean,
  timeoutMs = 15_000,
): Promise<RunStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await getStatus(baseUrl, runId);
    if (predicate(status)) return status;
    if (Date.now() > deadline) throw new Error(`status never matched: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
