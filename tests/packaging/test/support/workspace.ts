// The publishable packages of the workspace, read from their package.json files.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../../..');

export type ExportTarget = string | { [condition: string]: ExportTarget } | null;

export interface Manifest {
  name: string;
  version?: string;
  private?: boolean;
  license?: string;
  files?: string[];
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: Record<string, ExportTarget>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  dir: string;
  manifest: Manifest;
}

export function readManifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** Every package under packages/ that is not private, sorted by name. */
export function publishablePackages(): WorkspacePackage[] {
  const root = path.join(repoRoot, 'packages');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(root, entry.name))
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readManifest(path.join(dir, 'package.json')) }))
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/** The bin commands of a manifest as name -> relative file. */
export function binsOf(manifest: Manifest): Record<string, string> {
  if (manifest.bin === undefined) return {};
  if (typeof manifest.bin === 'string') {
    return { [manifest.name.split('/').pop() ?? manifest.name]: manifest.bin };
  }
  return manifest.bin;
}

/** Subpaths a user can import (`.`, `./msw`, ...), without `./package.json`. */
export function importableSubpaths(manifest: Manifest): string[] {
  return Object.keys(manifest.exports ?? {}).filter(
    (subpath) => subpath !== './package.json' && !subpath.includes('*'),
  );
}

/** The files an export target resolves to for plain Node (`default`/`import`) and for types. */
export function exportFiles(target: ExportTarget): { runtime?: string; types?: string } {
  if (typeof target === 'string') return { runtime: target };
  if (target === null) return {};
  const pick = (key: string) => {
    const value = target[key];
    return typeof value === 'string' ? value : undefined;
  };
  const runtime = pick('import') ?? pick('node') ?? pick('default');
  const types = pick('types');
  return { ...(runtime ? { runtime } : {}), ...(types ? { types } : {}) };
}
