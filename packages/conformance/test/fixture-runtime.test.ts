// The kit must be able to fail (runtimes): against fixture services that break the standard in
// known ways, exactly the checks aimed at each break fail; against the correct fixture, nothing
// fails.
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS, INVALID_RUN_REQUESTS } from '../src/index.js';
import {
  startFakeRuntime,
  type FakeRuntimeOptions,
  type RuntimeBreak,
} from './fixtures/fake-runtime.js';
import { deep, ids } from './fixtures/report.js';
import type { StartedServer } from './fixtures/server.js';

let server: StartedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const invalidRunRequestChecks = INVALID_RUN_REQUESTS.map(
  (v) => `runtime.deep.invalid_run_request.${v.id}`,
);

describe('against a correct runtime', () => {
  it('passes every check of the deep tier, and reports every runtime check of the catalog', async () => {
    server = await startFakeRuntime();
    const report = await deep('runtime', server.url);
    expect(ids(report, 'FAIL')).toEqual([]);
    expect(ids(report, 'WARN')).toEqual([]);
    expect(ids(report, 'SKIP')).toEqual([]);
    expect(report.checks.map((c) => c.id)).toEqual(
      CHECKS.filter((c) => c.target === 'runtime').map((c) => c.id),
    );
    expect(report.summary).toMatchObject({ failed: 0, passed: report.checks.length });
  });

  it('skips (never fails) cancel and events when the runtime does not offer them', async () => {
    server = await startFakeRuntime({ offerCancel: false, offerEvents: false });
    const report = await deep('runtime', server.url);
    expect(ids(report, 'FAIL')).toEqual([]);
    expect(ids(report, 'SKIP')).toEqual(
      CHECKS.filter((c) => /^runtime\.deep\.(cancel|events)\./.test(c.id))
        .map((c) => c.id)
        .sort(),
    );
    const skipped = report.checks.find((c) => c.id === 'runtime.deep.events.replay');
    expect(skipped?.message).toContain('501');
    // Without events the limits are judged from output.steps, and still pass.
    expect(report.checks.find((c) => c.id === 'runtime.deep.limits.max_steps')?.status).toBe(
      'PASS',
    );
  });
});

const runtimeBreaks: Array<[RuntimeBreak, string[], FakeRuntimeOptions?]> = [
  ['health_missing_status', ['runtime.smoke.health']],
  ['version_without_v1', ['runtime.smoke.api_version_v1']],
  // Slow steps, so the status right after creation is still a valid (non-final) one.
  [
    'run_state_enum',
    ['runtime.core.poll_status', 'runtime.deep.tool_policy.deny'],
    { stepMs: 100 },
  ],
  ['bad_input_500', ['runtime.surface.create_run_empty_body', ...invalidRunRequestChecks]],
  ['invalid_body_accepted', ['runtime.surface.create_run_empty_body', ...invalidRunRequestChecks]],
  ['duplicate_run_accepted', ['runtime.deep.duplicate_run_id']],
  ['stream_without_terminal', ['runtime.deep.events.live', 'runtime.deep.events.replay']],
  [
    'seq_gap',
    ['runtime.deep.events.live', 'runtime.deep.events.replay', 'runtime.deep.events.resume'],
  ],
  [
    'sse_id_missing',
    ['runtime.deep.events.live', 'runtime.deep.events.replay', 'runtime.deep.events.resume'],
  ],
  ['resume_ignored', ['runtime.deep.events.resume']],
  ['ignore_max_steps', ['runtime.deep.limits.max_steps']],
  ['ignore_deny', ['runtime.deep.tool_policy.deny']],
  ['cancel_ignored', ['runtime.deep.cancel.active_run']],
];

describe.each(runtimeBreaks)('against a runtime with break %s', (brk, expected, extra) => {
  it(`fails exactly ${expected.length} targeted check(s)`, async () => {
    server = await startFakeRuntime({ ...extra, breaks: [brk] });
    const report = await deep('runtime', server.url);
    expect(ids(report, 'FAIL')).toEqual([...expected].sort());
    for (const check of report.checks.filter((c) => c.status === 'FAIL')) {
      // A failure carries what the kit saw.
      expect(check.exchanges?.length ?? 0).toBeGreaterThan(0);
      expect(check.message.length).toBeGreaterThan(0);
    }
  });
});
