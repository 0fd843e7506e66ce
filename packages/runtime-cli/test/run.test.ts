import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateRunResult, validateTraceEvent, type TraceEvent } from '@arp-ts/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, closedPort, runCli, tempDir } from './helpers/cli-process.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

function tracePathOf(stderr: string): string {
  const match = /^trace: (.+)$/m.exec(stderr);
  if (!match?.[1]) throw new Error(`no trace line in:\n${stderr}`);
  return match[1];
}

function readTrace(file: string): TraceEvent[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const checked = validateTraceEvent(JSON.parse(line));
      if (!checked.ok) throw new Error(`invalid trace line: ${line}`);
      return checked.value;
    });
}

describe('arp-runtime run', () => {
  const traceDir = path.join(tmp.dir, 'runs');
  let tracePath = '';

  beforeAll(async () => {
    const { code, stdout, stderr } = await runCli([
      'run',
      '--request',
      'What is (19*23)?',
      '--trace-dir',
      traceDir,
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe('19*23 = 437\n');
    tracePath = tracePathOf(stderr);
  });

  it('prints the steps on stderr and the trace path in the JARVIS layout', () => {
    expect(tracePath).toMatch(
      new RegExp(
        `^${traceDir.replace(/[/\\]/g, '[/\\\\]')}[/\\\\]run_[0-9a-f]{32}[/\\\\]trace\\.jsonl$`,
      ),
    );
  });

  it('writes a trace whose every line is a valid TraceEvent', () => {
    const events = readTrace(tracePath);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('flow_started');
    expect(types.at(-1)).toBe('flow_completed');
    expect(types).toContain('tool_invocation');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  });

  it('replays that trace to the same final text, and prints the recorded one with --original', async () => {
    const replayed = await runCli(['replay', '--trace', tracePath]);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(replayed.stdout).toBe('19*23 = 437\n');
    const original = await runCli(['replay', '--trace', tracePath, '--original']);
    expect(original.code).toBe(0);
    expect(original.stdout).toBe('19*23 = 437\n');
  });

  it('reports a missing trace file as a usage error', async () => {
    const { code, stderr } = await runCli(['replay', '--trace', path.join(tmp.dir, 'nope.jsonl')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`error: no trace at ${path.join(tmp.dir, 'nope.jsonl')}`);
  });

  it('prints exactly the RunResult JSON on stdout with --json', async () => {
    const { code, stdout } = await runCli([
      'run',
      '--request',
      'What time is it in Asia/Tokyo?',
      '--json',
      '--trace-dir',
      traceDir,
    ]);
    expect(code).toBe(0);
    const result: unknown = JSON.parse(stdout);
    const checked = validateRunResult(result);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value.ok).toBe(true);
    expect(checked.value.output?.final_text).toContain('Asia/Tokyo');
    expect(existsSync(path.join(traceDir, checked.value.run_id, 'trace.jsonl'))).toBe(true);
  });

  it('prints progress as plain lines (no spinner) when stderr is not a terminal; --quiet silences it', async () => {
    const loud = await runCli(['run', '--request', 'What is (2+3)?', '--trace-dir', traceDir]);
    expect(loud.stderr).toContain('… calc {"expression":"2+3"}\n');
    expect(loud.stderr).toMatch(/✔ calc → 5 \(\d+ ms\)\n/);
    expect(loud.stderr).not.toContain('\u001b[');
    const quiet = await runCli([
      'run',
      '-q',
      '--request',
      'What is (2+3)?',
      '--trace-dir',
      traceDir,
    ]);
    expect(quiet.stdout).toBe('2+3 = 5\n');
    expect(quiet.stderr).toBe('');
  });

  it('exits 1 with the error code and message when the run fails', async () => {
    const { code, stdout, stderr } = await runCli([
      'run',
      '--request',
      'What is (2+3) and what time is it in UTC?',
      '--max-steps',
      '1',
      '--trace-dir',
      traceDir,
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: limits\.max_steps_exceeded: .+$/m);
    expect(stderr).toContain('hint: raise the limit with --max-steps <n>');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reads the trace dir from JARVIS_TRACE_DIR', async () => {
    const envDir = path.join(tmp.dir, 'from-env');
    const { code, stderr } = await runCli(['run', '--request', 'hello'], {
      env: cleanEnv({ JARVIS_TRACE_DIR: envDir }),
    });
    expect(code).toBe(0);
    expect(tracePathOf(stderr).startsWith(envDir + path.sep)).toBe(true);
  });

  it('redacts prompts in the trace with JARVIS_REDACT_PROMPTS=1', async () => {
    const { stderr } = await runCli(
      ['run', '--request', 'What is (6*7)?', '--trace-dir', traceDir],
      {
        env: cleanEnv({ JARVIS_REDACT_PROMPTS: 'yes' }),
      },
    );
    const calls = readTrace(tracePathOf(stderr)).filter((e) => e.type === 'llm_call');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.data?.prompt).toMatchObject({
        sha256: expect.any(String),
        length: expect.any(Number),
      });
    }
  });

  it('names the variables to set when OpenAI mode has no key (exit 2)', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--request', 'hi', '--mode', 'openai']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('OPENAI_API_KEY');
    expect(stderr).toContain('JARVIS_OPENAI_API_KEY');
    expect(stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
    const viaEnv = await runCli(['run', '--request', 'hi'], {
      env: cleanEnv({ JARVIS_RUNTIME_MODE: 'openai' }),
    });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toContain('OPENAI_API_KEY');
  });

  it.each([
    ['--tool-registry-url', undefined],
    ['ARP_TOOL_REGISTRY_URL', 'ARP_TOOL_REGISTRY_URL'],
    ['JARVIS_TOOL_REGISTRY_URL', 'JARVIS_TOOL_REGISTRY_URL'],
  ])('names an unreachable registry URL (%s) and how to start one', async (_, envName) => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const args = ['run', '--request', 'What is (1+1)?', '--trace-dir', traceDir];
    const { code, stderr } = await runCli(envName ? args : [...args, '--tool-registry-url', url], {
      env: cleanEnv(envName ? { [envName]: url } : {}),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: tool_registry\.unavailable: /m);
    expect(stderr).toContain(url);
    expect(stderr).toContain('arp-runtime tool-registry');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
