// The requests the HTTP figures send.
import type { LoadRequest } from '../load/load-generator.js';

export const TUTORIAL_GOAL = 'What is (19*23)?';

function succeeded(statusCode: number, body: string): boolean {
  if (statusCode !== 200) return false;
  try {
    return (JSON.parse(body) as { state?: unknown }).state === 'succeeded';
  } catch {
    return false;
  }
}

/** POST /v1/runs, answered once the run is terminal (Prefer: wait), which must have succeeded. */
export const createRunAndWait: LoadRequest = {
  method: 'POST',
  path: '/v1/runs',
  headers: { 'content-type': 'application/json', prefer: 'wait=60' },
  body: JSON.stringify({ input: { goal: TUTORIAL_GOAL } }),
  check: succeeded,
};

/**
 * The framework floor: the tool registry's POST /v1/tool-invocations of echo, i.e. one of our
 * services (service-kit's fast lane in front of express) validating a request and answering at once.
 */
export const invokeEcho: LoadRequest = {
  method: 'POST',
  path: '/v1/tool-invocations',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ invocation_id: 'inv_bench', tool_name: 'echo', args: { text: 'hi' } }),
  check: (statusCode, body) => {
    if (statusCode !== 200) return false;
    try {
      return (JSON.parse(body) as { ok?: unknown }).ok === true;
    } catch {
      return false;
    }
  },
};
