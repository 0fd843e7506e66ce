// The command's logic in-process (no child process): exit codes and one-line messages.
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.js';

const packageVersion = (
  (await import('../package.json', { with: { type: 'json' } })) as { default: { version: string } }
).default.version;

async function runMain(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
  const code = await main(argv, { LOG_LEVEL: 'silent', ...env }, io);
  return { code, out, err };
}

describe('main', () => {
  it('prints the version', async () => {
    expect(await runMain(['--version'])).toEqual({ code: 0, out: [packageVersion], err: [] });
  });

  it('prints usage', async () => {
    const { code, out } = await runMain(['-h']);
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('--domains <list>');
  });

  it('reports usage errors with exit code 2 and a pointer to --help', async () => {
    expect(await runMain(['--port', '99999'])).toEqual({
      code: 2,
      out: [],
      err: [
        "arp-tool-registry: --port must be a port number between 0 and 65535, got '99999'.",
        "Run 'arp-tool-registry --help' for usage.",
      ],
    });
  });

  it('reports domain problems with exit code 2 in one line', async () => {
    const cases: Array<[string, RegExp]> = [
      ['weather', /^arp-tool-registry: Unknown domain 'weather': use a built-in domain \(core\)/],
      [
        './test/fixtures/missing.js',
        /^arp-tool-registry: Cannot load domain module \.\/test\/fixtures\/missing\.js: /,
      ],
      [
        './test/fixtures/malformed-domain.js',
        /^arp-tool-registry: The domain exported by \.\/test\/fixtures\/malformed-domain\.js is not a valid tool domain: /,
      ],
      [
        'core,./test/fixtures/clashing-domain.js',
        /^arp-tool-registry: Tool 'echo' \(tool_other_echo\) of domain 'clashing' clashes with tool 'echo' \(tool_echo\) of domain 'core'/,
      ],
      ['core,core', /^arp-tool-registry: Domain 'core' is enabled more than once\.$/],
    ];
    for (const [domains, message] of cases) {
      const { code, out, err } = await runMain(['--port', '0', '--domains', domains]);
      expect(code).toBe(2);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(message);
    }
  });

  it('reads TOOL_REGISTRY_DOMAINS', async () => {
    const { code, err } = await runMain([], { TOOL_REGISTRY_DOMAINS: 'nope' });
    expect(code).toBe(2);
    expect(err[0]).toMatch(/Unknown domain 'nope'/);
  });
});
