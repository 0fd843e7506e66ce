// Creating runs and following them to their end, shared by the runtime checks.
import {
  isTerminalRunState,
  validateRunResult,
  validateRunStatus,
  type RunRequest,
  type RunResult,
  type RunState,
  type RunStatus,
} from '@arp-ts/sdk';
import type { HttpClient } from '../http.js';
import { expectOkJson } from './expect.js';
import { CheckFailure } from './suite.js';

/** The seed tutorial's goal: a deterministic runtime answers it with one calc step. */
export const SIMPLE_GOAL = 'What is (19*23)?';
/** A goal with two intents, so it needs two tool steps. */
export const MULTI_STEP_GOAL = 'What is (2+3) and what time is it in Tokyo?';

const FIRST_POLL_MS = 25;
const MAX_POLL_MS = 500;

export function newRunId(label: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `arp-conformance-${label}-${Date.now().toString(36)}-${random}`;
}

export function runPath(runId: string, suffix = ''): string {
  return `/v1/runs/${encodeURIComponent(runId)}${suffix}`;
}

/** POST /v1/runs that must be accepted: 200 with a valid RunStatus for the same run_id. */
export async function createRun(http: HttpClient, request: RunRequest): Promise<RunStatus> {
  const res = await http.send({ method: 'POST', path: '/v1/runs', body: request });
  const status = expectOkJson(res, validateRunStatus, 'POST /v1/runs');
  if (request.run_id !== undefined && status.run_id !== request.run_id) {
    throw new CheckFailure(
      `POST /v1/runs: run_id "${status.run_id}" differs from the client's "${request.run_id}"`,
    );
  }
  return status;
}

export async function getRunStatus(http: HttpClient, runId: string): Promise<RunStatus> {
  const res = await http.send({ method: 'GET', path: runPath(runId) });
  const status = expectOkJson(res, validateRunStatus, `GET ${runPath(runId)}`);
  if (status.run_id !== runId) {
    throw new CheckFailure(`GET ${runPath(runId)}: answered for run "${status.run_id}"`);
  }
  return status;
}

export interface TerminalRun {
  status: RunStatus;
  polls: number;
  /** States seen in order, without repeats. */
  states: RunState[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls GET /v1/runs/{run_id} until the state is terminal; fails on an invalid answer or time out. */
export async function waitForTerminal(
  http: HttpClient,
  runId: string,
  pollTimeoutMs: number,
): Promise<TerminalRun> {
  const deadline = Date.now() + pollTimeoutMs;
  const states: RunState[] = [];
  let delay = FIRST_POLL_MS;
  for (let polls = 1; ; polls++) {
    const status = await getRunStatus(http, runId);
    if (states[states.length - 1] !== status.state) states.push(status.state);
    if (isTerminalRunState(status.state)) return { status, polls, states };
    if (Date.now() + delay > deadline) {
      throw new CheckFailure(
        `run ${runId} is not terminal after ${pollTimeoutMs} ms (states seen: ${states.join(' -> ')})`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, MAX_POLL_MS);
  }
}

export async function getRunResult(http: HttpClient, runId: string): Promise<RunResult> {
  const path = runPath(runId, '/result');
  const res = await http.send({ method: 'GET', path });
  const result = expectOkJson(res, validateRunResult, `GET ${path}`);
  if (result.run_id !== runId) {
    throw new CheckFailure(`GET ${path}: answered for run "${result.run_id}"`);
  }
  return result;
}

/** Why a result does not fit the run's terminal state, or undefined when it fits. */
export function resultStateMismatch(state: RunState, result: RunResult): string | undefined {
  if (state === 'succeeded' && !result.ok) return 'the run succeeded but the result has ok: false';
  if (state !== 'succeeded' && result.ok)
    return `the run ended ${state} but the result has ok: true`;
  return undefined;
}
