import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_REQUESTS } from '../src/commands/demo.js';
import { closedPort, runCli, tempDir } from './helpers/cli-process.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('arp-runtime demo', () => {
  it('answers every request with the embedded registry, showing each step', async () => {
    const traceDir = path.join(tmp.dir, 'runs');
    const { code, stdout, stderr } = await runCli(['demo', '--trace-dir', traceDir]);
    expect(code, stderr).toBe(0);
    for (const [i, request] of DEMO_REQUESTS.entries()) {
      expect(stdout).toContain(`[${i + 1}/${DEMO_REQUESTS.length}] ${request.goal}`);
    }
    expect(stdout).toContain('⇒ 19*23 = 437');
    expect(stdout).toMatch(/⇒ 2\+3 = 5\n {4}The time in UTC is /);
    expect(stdout).toMatch(/⇒ .*Division by zero/);
    expect(stdout).toContain(
      `✔ ${DEMO_REQUESTS.length} of ${DEMO_REQUESTS.length} requests answered`,
    );
    expect(stdout).toContain('1 tool error handled');
    // Steps, live, on stderr: the tool, its arguments and its outcome.
    expect(stderr).toContain('… calc {"expression":"19*23"}');
    expect(stderr).toMatch(/✔ calc → 437 \(\d+ ms\)/);
    expect(stderr).toMatch(/✖ calc → tool\.execution_error: Division by zero/);
    expect(readdirSync(traceDir)).toHaveLength(DEMO_REQUESTS.length);
  });

  it('stops with one clear error when the HTTP registry is unreachable', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { code, stdout, stderr } = await runCli([
      'demo',
      '--tool-registry-url',
      url,
      '--trace-dir',
      path.join(tmp.dir, 'unreachable'),
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^error: cannot reach the Tool Registry at ${url}`));
    expect(stderr).toContain('hint: no Tool Registry answered at');
    expect(stderr.trimEnd().split('\n')).toHaveLength(2);
  });
});
