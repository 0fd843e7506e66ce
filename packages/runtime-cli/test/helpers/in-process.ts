// Runs main() in this process with captured output: for checks that need no real process
// (help texts, usage errors), so they stay fast.
import { tmpdir } from 'node:os';
import { main } from '../../src/main.js';

export async function runMain(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, env, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    cwd: tmpdir(),
    waitForShutdown: () => new Promise<string>(() => undefined),
  });
  return { code, stdout, stderr };
}
