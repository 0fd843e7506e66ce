// Keeps the changesets setup usable: its config names only real packages, and every pending
// changeset names publishable packages with a valid bump, so `changeset version` cannot fail
// at release time on a typo.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, repoRoot, type Manifest } from './support/workspace.js';

const changesetDir = path.join(repoRoot, '.changeset');

interface ChangesetConfig {
  ignore?: string[];
  fixed?: string[][];
  linked?: string[][];
  access?: string;
  baseBranch?: string;
}

/** Every package of the workspace (packages/*, tests/*, bench, specs) by name. */
function workspaceManifests(): Map<string, Manifest> {
  const dirs = ['specs', 'bench'].map((d) => path.join(repoRoot, d));
  for (const group of ['packages', 'tests']) {
    const root = path.join(repoRoot, group);
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(path.join(root, entry.name));
    }
  }
  const manifests = new Map<string, Manifest>();
  for (const dir of dirs) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = readManifest(file);
    manifests.set(manifest.name, manifest);
  }
  return manifests;
}

/** Parses a changeset's front matter: `'<package>': patch|minor|major` lines between `---`. */
function parseChangeset(text: string): { releases: [string, string][]; summary: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!match) throw new Error('no front matter');
  const releases: [string, string][] = [];
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const release = /^\s*(['"]?)([^'":]+)\1\s*:\s*(\S+)\s*$/.exec(line);
    if (!release) throw new Error(`unreadable line: ${line}`);
    releases.push([release[2] ?? '', release[3] ?? '']);
  }
  return { releases, summary: (match[2] ?? '').trim() };
}

/** What is wrong with one changeset file, as readable lines (none when it is fine). */
function changesetProblems(file: string, text: string): string[] {
  let parsed: ReturnType<typeof parseChangeset>;
  try {
    parsed = parseChangeset(text);
  } catch (error) {
    return [`${file}: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  for (const [name, bump] of parsed.releases) {
    const manifest = manifests.get(name);
    if (!manifest) problems.push(`${file}: no package ${name}`);
    else if (manifest.private === true) problems.push(`${file}: ${name} is private`);
    else if ((config.ignore ?? []).includes(name)) problems.push(`${file}: ${name} is ignored`);
    if (!['patch', 'minor', 'major'].includes(bump))
      problems.push(`${file}: bump of ${name} is ${bump}`);
  }
  if (parsed.summary === '') problems.push(`${file}: empty summary`);
  return problems;
}

const manifests = workspaceManifests();
const config = JSON.parse(
  readFileSync(path.join(changesetDir, 'config.json'), 'utf8'),
) as ChangesetConfig;
const pending = readdirSync(changesetDir).filter(
  (file) => file.endsWith('.md') && file !== 'README.md',
);

describe('changesets setup', () => {
  it('names only packages of the workspace in config.json', () => {
    const named = [
      ...(config.ignore ?? []),
      ...(config.fixed ?? []).flat(),
      ...(config.linked ?? []).flat(),
    ];
    expect(named.filter((name) => !manifests.has(name))).toEqual([]);
    expect(config.access).toBe('public');
  });

  it('explains how to add a changeset', () => {
    expect(readFileSync(path.join(changesetDir, 'README.md'), 'utf8')).toContain('changeset');
  });

  it('reads the front matter of a changeset', () => {
    expect(
      parseChangeset('---\n\'@arp-ts/sdk\': minor\n"@arp-ts/runtime-core": patch\n---\n\nFix.\n'),
    ).toEqual({
      releases: [
        ['@arp-ts/sdk', 'minor'],
        ['@arp-ts/runtime-core', 'patch'],
      ],
      summary: 'Fix.',
    });
    expect(() => parseChangeset('no front matter')).toThrow();
  });

  it('every pending changeset names publishable packages with a valid bump', () => {
    const problems = pending.flatMap((file) =>
      changesetProblems(file, readFileSync(path.join(changesetDir, file), 'utf8')),
    );
    expect(problems).toEqual([]);
  });

  it('finds the problems of a bad changeset', () => {
    const text = "---\n'@arp-ts/sdk': huge\n'@arp-ts/nope': patch\n'@arp-ts/bench': patch\n---\n";
    expect(changesetProblems('bad.md', text)).toEqual([
      'bad.md: bump of @arp-ts/sdk is huge',
      'bad.md: no package @arp-ts/nope',
      'bad.md: @arp-ts/bench is private',
      'bad.md: empty summary',
    ]);
    expect(changesetProblems('good.md', "---\n'@arp-ts/sdk': patch\n---\n\nFix.\n")).toEqual([]);
  });
});
