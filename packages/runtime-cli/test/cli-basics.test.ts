import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli-process.js';
import { runMain } from './helpers/in-process.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('arp-runtime process: version and usage errors', () => {
  it('prints its version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
  });

  it('rejects an unknown flag in one line with the closest known flag (exit 2)', async () => {
    const { code, stdout, stderr } = await runCli(['run', '--requst', 'hi']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "error: unknown flag --requst for 'arp-runtime run' (did you mean --request?)\n",
    );
  });

  it('shows the help on stderr with exit 2 when no command is given', async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: arp-runtime <command> [options]');
  });
});

describe('arp-runtime help and usage (in-process)', () => {
  it('lists the subcommands in --help', async () => {
    const { code, stdout } = await runMain(['--help']);
    expect(code).toBe(0);
    for (const name of ['run', 'demo', 'replay', 'serve', 'tool-registry']) {
      expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it.each(['run', 'demo', 'replay', 'serve', 'tool-registry'])(
    'has --help with options and examples for %s',
    async (name) => {
      for (const argv of [
        [name, '--help'],
        ['help', name],
      ]) {
        const { code, stdout, stderr } = await runMain(argv);
        expect(code).toBe(0);
        expect(stderr).toBe('');
        expect(stdout).toContain(`Usage: arp-runtime ${name}`);
        expect(stdout).toContain('Options:');
        expect(stdout).toMatch(new RegExp(`Examples:\\n  arp-runtime ${name}`));
      }
    },
  );

  it('documents flags with their env variables and defaults', async () => {
    const { stdout } = await runMain(['run', '-h']);
    expect(stdout).toContain('--tool-registry-url <url>');
    expect(stdout).toContain('env: ARP_TOOL_REGISTRY_URL, JARVIS_TOOL_REGISTRY_URL');
    expect(stdout).toContain('env: JARVIS_TRACE_DIR; default: ./runs');
    expect(stdout).toContain('OPENAI_API_KEY / JARVIS_OPENAI_API_KEY');
    const serve = await runMain(['serve', '--help']);
    expect(serve.stdout).toContain('env: ARP_RUNTIME_PORT; default: 8081');
    expect(serve.stdout).toContain('--workers <n|auto>');
    expect(serve.stdout).toContain('env: ARP_RUNTIME_WORKERS; default: 1');
    const registry = await runMain(['tool-registry', '--help']);
    expect(registry.stdout).toContain('env: TOOL_REGISTRY_PORT; default: 8000');
  });

  it('suggests flags per subcommand', async () => {
    const serve = await runMain(['serve', '--max-concurent-runs', '4']);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain('(did you mean --max-concurrent-runs?)');
    const workers = await runMain(['serve', '--worker', '2']);
    expect(workers.stderr).toContain('(did you mean --workers?)');
    const replay = await runMain(['replay', '--orignal']);
    expect(replay.stderr).toContain('(did you mean --original?)');
  });

  it('suggests the closest subcommand for a typo (exit 2)', async () => {
    const { code, stderr } = await runMain(['dmeo']);
    expect(code).toBe(2);
    expect(stderr).toContain("error: unknown command 'dmeo' (did you mean 'demo'?)");
  });

  it('names the variable and the allowed values for a bad environment value', async () => {
    const { code, stderr } = await runMain(['run', '--request', 'hi'], {
      JARVIS_RUNTIME_MODE: 'gpt',
    });
    expect(code).toBe(2);
    expect(stderr).toBe('error: JARVIS_RUNTIME_MODE must be stub or openai (got "gpt")\n');
  });

  it('needs a URL for --tool-registry http (exit 2)', async () => {
    const { code, stderr } = await runMain(['run', '--request', 'hi', '--tool-registry', 'http']);
    expect(code).toBe(2);
    expect(stderr).toContain('error: the http tool registry needs a URL');
    expect(stderr).toContain('ARP_TOOL_REGISTRY_URL');
    const fromEnv = await runMain(['run', '--request', 'hi'], {
      JARVIS_TOOL_REGISTRY_MODE: 'http',
    });
    expect(fromEnv.code).toBe(2);
  });

  it('asks for the request or the trace when missing (exit 2)', async () => {
    const run = await runMain(['run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: missing the request to run');
    const replay = await runMain(['replay']);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toContain('error: missing --trace <path>');
  });

  it('rejects bad server options before starting (exit 2)', async () => {
    const { code, stderr } = await runMain(['serve', '--max-concurrent-runs', '0']);
    expect(code).toBe(2);
    expect(stderr).toContain('--max-concurrent-runs must be an integer from 1');
    const body = await runMain(['serve', '--body-limit', 'huge']);
    expect(body.code).toBe(2);
    expect(body.stderr).toContain('--body-limit must be a size');
    const workers = await runMain(['serve', '--workers', 'none']);
    expect(workers.code).toBe(2);
    expect(workers.stderr).toBe(
      'error: --workers must be an integer from 1 to 64 or auto (got "none")\n',
    );
    const workersEnv = await runMain(['serve'], { ARP_RUNTIME_WORKERS: '0' });
    expect(workersEnv.code).toBe(2);
    expect(workersEnv.stderr).toBe(
      'error: ARP_RUNTIME_WORKERS must be an integer from 1 to 64 or auto (got "0")\n',
    );
    const auth = await runMain(['serve', '--auth-audience', 'arp']);
    expect(auth.code).toBe(2);
    expect(auth.stderr).toContain('--auth-jwt-secret or --auth-jwks-url');
  });

  it('runs a request through main() as the README shows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'arp-cli-main-'));
    try {
      const { code, stdout, stderr } = await runMain([
        'run',
        '-q',
        '--request',
        'What is (19*23)?',
        '--trace-dir',
        dir,
      ]);
      expect(code).toBe(0);
      expect(stdout).toBe('19*23 = 437\n');
      expect(stderr).toBe('');
      expect(readdirSync(dir)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
