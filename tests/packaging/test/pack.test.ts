// Packs every publishable package as the registry would get it (`pnpm pack` rewrites
// `workspace:^` ranges), installs all tarballs into an empty project outside the repository,
// then imports each package, type-checks an import of it and runs its bins there: what a user
// installs must work without the monorepo around it. Needs every package's dist/ (turbo builds
// them first, because this package devDepends on all of them).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRun, run, type RunResult } from './support/run.js';
import {
  binsOf,
  exportFiles,
  importableSubpaths,
  publishablePackages,
  readManifest,
  repoRoot,
  type Manifest,
  type WorkspacePackage,
} from './support/workspace.js';

const PNPM = 'pnpm@10.34.9';
const INSTALL_TIMEOUT_MS = 10 * 60_000;

const all = publishablePackages();
const versions = new Map(all.map((pkg) => [pkg.manifest.name, pkg.manifest.version ?? '']));

/** ARP_PACK_ONLY=a,b narrows a local run to those packages and the siblings they need. */
function selectPackages(): WorkspacePackage[] {
  const only = (process.env.ARP_PACK_ONLY ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (only.length === 0) return all;
  const wanted = new Set<string>();
  const visit = (name: string) => {
    const pkg = all.find((p) => p.manifest.name === name);
    if (!pkg || wanted.has(name)) return;
    wanted.add(name);
    for (const dep of Object.keys(pkg.manifest.dependencies ?? {})) visit(dep);
  };
  only.forEach(visit);
  console.log(`ARP_PACK_ONLY: checking only ${[...wanted].join(', ')}`);
  return all.filter((pkg) => wanted.has(pkg.manifest.name));
}

const selected = selectPackages();
const work = mkdtempSync(path.join(tmpdir(), 'arp-pack-'));
const tarballDir = path.join(work, 'tarballs');
const projectDir = path.join(work, 'consumer');
const packed = new Map<string, { result: RunResult; tarball?: string }>();
let install: RunResult | undefined;

function installedDir(name: string): string {
  return path.join(projectDir, 'node_modules', ...name.split('/'));
}

function installFailure(): string {
  return install ? describeRun('npm install', install) : 'npm install did not run';
}

/** Optional peer dependencies are what a user installs to use the subpaths that need them. */
function optionalPeers(manifest: Manifest): Record<string, string> {
  const peers: Record<string, string> = {};
  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    if (!versions.has(name)) peers[name] = range;
  }
  return peers;
}

beforeAll(
  async () => {
    mkdirSync(tarballDir, { recursive: true });
    mkdirSync(projectDir, { recursive: true });
    for (const pkg of selected) {
      const result = await run(
        'npx',
        ['-y', PNPM, 'pack', '--json', '--pack-destination', tarballDir],
        { cwd: pkg.dir },
      );
      let tarball: string | undefined;
      if (result.code === 0) {
        const start = result.stdout.indexOf('{');
        const info = JSON.parse(result.stdout.slice(start)) as { filename?: string };
        tarball = info.filename;
      }
      packed.set(pkg.manifest.name, { result, ...(tarball ? { tarball } : {}) });
    }

    const dependencies: Record<string, string> = {};
    const overrides: Record<string, string> = {};
    for (const pkg of selected) Object.assign(dependencies, optionalPeers(pkg.manifest));
    for (const [name, { tarball }] of packed) {
      if (!tarball) continue;
      // The same spec as a dependency and as an override: siblings' `^x.y.z` ranges resolve to
      // these tarballs, never to whatever the registry has under that name.
      dependencies[name] = `file:${tarball}`;
      overrides[name] = `file:${tarball}`;
    }
    writeFileSync(
      path.join(projectDir, 'package.json'),
      JSON.stringify(
        {
          name: 'arp-ts-pack-consumer',
          version: '0.0.0',
          private: true,
          type: 'module',
          dependencies,
          overrides,
        },
        null,
        2,
      ),
    );
    install = await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--ignore-scripts',
        '--loglevel=error',
      ],
      { cwd: projectDir, timeoutMs: INSTALL_TIMEOUT_MS },
    );
  },
  INSTALL_TIMEOUT_MS + 5 * 60_000,
);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

it('finds publishable packages', () => {
  expect(selected.length).toBeGreaterThan(0);
});

it('installs every tarball into an empty project outside the repository', () => {
  expect(path.relative(repoRoot, projectDir).startsWith('..')).toBe(true);
  expect(install?.code, installFailure()).toBe(0);
});

describe.each(selected)('$manifest.name', ({ dir, manifest }) => {
  const name = manifest.name;
  const subpaths = importableSubpaths(manifest);
  const bins = binsOf(manifest);
  const installedManifest = (): Manifest =>
    readManifest(path.join(installedDir(name), 'package.json'));

  it('has a built dist/ to pack', () => {
    expect(
      existsSync(path.join(dir, 'dist')),
      `${path.relative(repoRoot, dir)}/dist is missing: build the package first (turbo's test task does)`,
    ).toBe(true);
  });

  it('packs', () => {
    const outcome = packed.get(name);
    expect(
      outcome?.result.code,
      outcome ? describeRun('pnpm pack', outcome.result) : 'not packed',
    ).toBe(0);
    expect(outcome?.tarball).toBeDefined();
  });

  it('has a publishable manifest: version, license, files, typed exports, no workspace: ranges', () => {
    expect(install?.code, installFailure()).toBe(0);
    const packedManifest = installedManifest();
    const raw = readFileSync(path.join(installedDir(name), 'package.json'), 'utf8');
    expect(raw).not.toContain('workspace:');
    // The monorepo-only export condition points at src/, which is not published.
    expect(raw).not.toContain('arp-source');
    expect(packedManifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(packedManifest.version).toBe(manifest.version);
    expect(packedManifest.license ?? '').not.toBe('');
    expect(packedManifest.files?.length ?? 0).toBeGreaterThan(0);
    expect(subpaths).toContain('.');
    for (const subpath of subpaths) {
      const target = packedManifest.exports?.[subpath];
      expect(target, `exports["${subpath}"]`).toBeDefined();
      const files = exportFiles(target ?? null);
      expect(files.types, `exports["${subpath}"] has no types`).toBeDefined();
      expect(files.runtime, `exports["${subpath}"] has no import/default`).toBeDefined();
      for (const file of [files.types, files.runtime]) {
        if (file === undefined) continue;
        expect(
          existsSync(path.join(installedDir(name), file)),
          `${name}/${file} is not in the package`,
        ).toBe(true);
      }
    }
    // workspace:^ must have become ^<the sibling's version>.
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      if (!range.startsWith('workspace:')) continue;
      const version = versions.get(dep) ?? '';
      const expected = {
        'workspace:^': `^${version}`,
        'workspace:~': `~${version}`,
        'workspace:*': version,
      }[range];
      expect(packedManifest.dependencies?.[dep], `dependency ${dep}`).toBe(
        expected ?? packedManifest.dependencies?.[dep],
      );
    }
    expect(existsSync(path.join(installedDir(name), 'README.md')), 'README.md is not packed').toBe(
      true,
    );
  });

  it.each(subpaths)('imports %s from the installed package', async (subpath) => {
    expect(install?.code, installFailure()).toBe(0);
    const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
    const script = `import(${JSON.stringify(specifier)}).then((m) => console.log(JSON.stringify(Object.keys(m))))`;
    const result = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: projectDir,
    });
    expect(result.code, describeRun(`import('${specifier}')`, result)).toBe(0);
    const names = JSON.parse(result.stdout.trim()) as string[];
    expect(names.length, `${specifier} exports nothing`).toBeGreaterThan(0);
  });

  it('resolves its types for a NodeNext TypeScript consumer', async () => {
    expect(install?.code, installFailure()).toBe(0);
    const safe = name.replace(/[^a-z0-9]+/gi, '-');
    const source = subpaths
      .map((subpath, i) => {
        const specifier = subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
        return `import * as m${i} from '${specifier}';\nexport const names${i}: string[] = Object.keys(m${i});\n`;
      })
      .join('');
    writeFileSync(path.join(projectDir, `check-${safe}.ts`), source);
    const tsconfig = `tsconfig.${safe}.json`;
    writeFileSync(
      path.join(projectDir, tsconfig),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: [`check-${safe}.ts`],
      }),
    );
    const tsc = createRequire(path.join(repoRoot, 'package.json')).resolve('typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', tsconfig], { cwd: projectDir });
    expect(result.code, describeRun('tsc', result)).toBe(0);
  }, 60_000);

  const binCases = Object.keys(bins).flatMap((bin) => [
    { bin, flag: '--help' },
    { bin, flag: '--version' },
  ]);
  it.each(binCases)(
    'runs $bin $flag',
    async ({ bin, flag }) => {
      expect(install?.code, installFailure()).toBe(0);
      const result = await run(path.join(projectDir, 'node_modules/.bin', bin), [flag], {
        cwd: projectDir,
        timeoutMs: 30_000,
      });
      expect(result.code, describeRun(`${bin} ${flag}`, result)).toBe(0);
      expect(result.stdout.trim()).not.toBe('');
      if (flag === '--version') expect(result.stdout).toContain(installedManifest().version ?? '?');
    },
    60_000,
  );
});

if (selected.some((pkg) => pkg.manifest.name === '@arp-ts/sdk')) {
  it('the installed SDK validates with its packed schemas', async () => {
    expect(install?.code, installFailure()).toBe(0);
    const script =
      "import('@arp-ts/sdk').then((sdk) => console.log(JSON.stringify([" +
      "sdk.validateRunRequest({ input: { goal: 'hi' } }).ok, " +
      'sdk.validateRunRequest({ input: {} }).ok, ' +
      'typeof sdk.RuntimeClient, typeof sdk.ToolRegistryClient])))';
    const result = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: projectDir,
    });
    expect(result.code, describeRun('sdk smoke', result)).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toEqual([true, false, 'function', 'function']);
  });
}

if (selected.some((pkg) => pkg.manifest.name === '@arp-ts/runtime-server')) {
  it('the installed runtime server stores a run through its writer thread (worker file packed)', async () => {
    expect(install?.code, installFailure()).toBe(0);
    // A missing worker file would not fail a run (the store falls back to the pool): it shows as
    // the writer's kind and a report through onError.
    const script = [
      "const fs = await import('node:fs');",
      "const path = await import('node:path');",
      "const os = await import('node:os');",
      "const { FileRunStore } = await import('@arp-ts/runtime-server');",
      "const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arp-pack-store-'));",
      'const errors = [];',
      'const store = new FileRunStore({ traceDir: dir, onError: (e) => errors.push(String(e)) });',
      'await store.init();',
      "await store.createRun({ status: { run_id: 'r1', state: 'queued' }, createdAt: new Date().toISOString() }, { input: { goal: 'hi' } });",
      'const kind = store.writer.kind;',
      'await store.close();',
      "const written = fs.existsSync(path.join(dir, 'r1', 'request.json'));",
      'fs.rmSync(dir, { recursive: true, force: true });',
      'console.log(JSON.stringify([kind, written, errors]));',
    ].join('\n');
    const result = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: projectDir,
    });
    expect(result.code, describeRun('runtime-server store smoke', result)).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toEqual(['thread', true, []]);
  });
}
