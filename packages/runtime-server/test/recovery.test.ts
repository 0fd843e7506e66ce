import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { RunEvent } from '@arp-ts/sdk';
import { describe, expect, it } from 'vitest';
import { FileRunStore, type RunRecord } from '../src/index.js';
import { call, getResult, getStatus, waitForStatus } from './helpers/http.js';
import { startTestServer, tempDir } from './helpers/server.js';
import { readAllEvents } from './helpers/sse.js';

const CREATED = '2026-01-01T00:00:00.000Z';
const rec = (runId: string, state: RunRecord['status']['state'], extra = {}): RunRecord => ({
  status: { run_id: runId, state, ...extra },
  createdAt: CREATED,
});
const ev = (runId: string, seq: number, type: RunEvent['type'] = 'step'): RunEvent => ({
  run_id: runId,
  seq,
  type,
  time: CREATED,
});

describe('recovery of runs left in every intermediate state on disk', () => {
  it('requeues, interrupts or completes each run as its files say', async () => {
    const dir = await tempDir();
    const store = new FileRunStore({ traceDir: dir });
    await store.init();
    // Accepted, never started: request.json only.
    await store.createRun(rec('accepted', 'queued'), { input: { goal: 'say again' } });
    // Started (events on disk) before any status was written.
    await store.createRun(rec('started', 'queued'), { input: { goal: 'say x' } });
    await store.appendEvents('started', [ev('started', 0), ev('started', 1, 'tool_call')]);
    // Finished: the result was written, the terminal status was not.
    await store.createRun(rec('finished', 'queued'), { input: { goal: 'say y' } });
    await store.saveRecord(rec('finished', 'running', { started_at: CREATED }));
    await store.saveResult({ run_id: 'finished', ok: true, output: { final_text: 'y' } });
    // A status without its request: a run whose request could not be stored was refused (500),
    // so it was never accepted and is not loaded.
    await mkdir(path.join(dir, 'orphan'));
    await store.saveRecord(rec('orphan', 'queued'));

    const server = await startTestServer({ traceDir: dir });
    try {
      await waitForStatus(server.url, 'accepted', (s) => s.state === 'succeeded');
      expect((await getResult(server.url, 'accepted')).output?.final_text).toContain('again');

      expect((await getStatus(server.url, 'started')).state).toBe('failed');
      expect((await getResult(server.url, 'started')).error).toMatchObject({
        code: 'runtime.interrupted',
        retryable: true,
      });
      const events = await readAllEvents(`${server.url}/v1/runs/started/events`);
      expect(events.map((e) => [e.seq, e.type])).toEqual([
        [0, 'step'],
        [1, 'tool_call'],
        [2, 'error'],
      ]);

      expect((await getStatus(server.url, 'finished')).state).toBe('succeeded');
      expect((await getResult(server.url, 'finished')).output).toEqual({ final_text: 'y' });

      expect((await call(server.url, '/v1/runs/orphan')).status).toBe(404);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
