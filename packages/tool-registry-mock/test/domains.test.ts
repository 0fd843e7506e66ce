import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  coreDomain,
  createToolRegistry,
  DomainError,
  loadDomains,
  parseDomainList,
} from '../src/index.js';
import { invoke } from './helpers.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(packageDir, 'test', 'fixtures');

describe('parseDomainList', () => {
  it('splits and trims a comma-separated list', () => {
    expect(parseDomainList(' core , ./a.js,,/x/b.mjs ')).toEqual(['core', './a.js', '/x/b.mjs']);
    expect(parseDomainList(' , ')).toEqual([]);
  });
});

describe('loadDomains', () => {
  it("resolves 'core' to the built-in domain", async () => {
    expect(await loadDomains(['core'])).toEqual([coreDomain]);
  });

  it('loads a default export relative to cwd, and a named `domain` export by absolute path', async () => {
    const domains = await loadDomains(
      [
        'core',
        './examples/unit-conversion-domain.js',
        path.join(fixtures, 'named-export-domain.js'),
      ],
      { cwd: packageDir },
    );
    expect(domains.map((d) => d.name)).toEqual(['core', 'units', 'greetings']);
    const registry = createToolRegistry({ domains });
    const greeting = await invoke(registry, 'greet', { who: 'Ada' });
    expect(greeting.result).toEqual({ greeting: 'Hello, Ada!' });
  });

  it('refuses an unknown built-in name, suggesting a path', async () => {
    await expect(loadDomains(['weather'])).rejects.toThrow(
      new DomainError(
        "Unknown domain 'weather': use a built-in domain (core) or the path of a module such as ./my-domain.js.",
      ),
    );
  });

  it('names the module when it cannot be imported', async () => {
    await expect(loadDomains(['./missing-domain.js'], { cwd: fixtures })).rejects.toThrow(
      /^Cannot load domain module \.\/missing-domain\.js: /,
    );
    await expect(loadDomains(['./throwing-domain.js'], { cwd: fixtures })).rejects.toThrow(
      new DomainError(
        'Cannot load domain module ./throwing-domain.js: cannot reach the weather service',
      ),
    );
  });

  it('names the module when it exports no domain', async () => {
    await expect(loadDomains(['./no-export-domain.js'], { cwd: fixtures })).rejects.toThrow(
      new DomainError(
        'Domain module ./no-export-domain.js has neither a default export nor an export named `domain`.',
      ),
    );
  });

  it('names the module and the problems when the export is malformed', async () => {
    const failure = loadDomains(['./malformed-domain.js'], { cwd: fixtures });
    await expect(failure).rejects.toThrow(DomainError);
    await expect(failure).rejects.toThrow(
      /^The domain exported by \.\/malformed-domain\.js is not a valid tool domain: tools\[0\]\.definition is not a valid ToolDefinition \(\$\.input_schema is required\); tools\[0\]\.handler must be a function\.$/,
    );
  });

  it('loads a clashing domain, which the registry then refuses with a clear message', async () => {
    const domains = await loadDomains(['core', './clashing-domain.js'], { cwd: fixtures });
    expect(() => createToolRegistry({ domains })).toThrow(
      "Tool 'echo' (tool_other_echo) of domain 'clashing' clashes with tool 'echo' (tool_echo) of domain 'core'",
    );
  });
});

describe('the example unit-conversion domain', () => {
  const load = async () =>
    createToolRegistry({
      domains: await loadDomains(['core', './examples/unit-conversion-domain.js'], {
        cwd: packageDir,
      }),
    });

  it('converts length, mass and temperature', async () => {
    const registry = await load();
    const cases = [
      [{ value: 1, from: 'mi', to: 'km' }, 1.609344],
      [{ value: 12, from: 'in', to: 'ft' }, 1],
      [{ value: 1, from: 'lb', to: 'g' }, 453.59237],
      [{ value: 100, from: 'C', to: 'F' }, 212],
      [{ value: 32, from: 'F', to: 'K' }, 273.15],
    ] as const;
    for (const [args, expected] of cases) {
      const result = await invoke(registry, 'convert_units', { ...args });
      expect(result.result).toEqual({ ...args, result: expected });
    }
  });

  it('fails expectedly across quantities and below absolute zero', async () => {
    const registry = await load();
    expect(
      (await invoke(registry, 'convert_units', { value: 1, from: 'm', to: 'kg' })).error,
    ).toEqual({
      code: 'tool.execution_error',
      message: 'Cannot convert length (m) to mass (kg).',
      details: { from_quantity: 'length', to_quantity: 'mass' },
    });
    expect(
      (await invoke(registry, 'convert_units', { value: -500, from: 'C', to: 'K' })).error?.message,
    ).toBe('-500 C is below absolute zero.');
  });

  it('refuses unknown units through its schema', async () => {
    const registry = await load();
    const result = await invoke(registry, 'convert_units', { value: 1, from: 'parsec', to: 'm' });
    expect(result.error?.code).toBe('tool.invalid_args');
    expect(result.error?.details?.errors).toEqual([
      expect.objectContaining({ path: '$.from', keyword: 'enum' }),
    ]);
  });
});
