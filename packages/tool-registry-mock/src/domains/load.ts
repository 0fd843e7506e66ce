import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ToolDomain } from '../types.js';
import { coreDomain } from './core.js';
import { assertToolDomain, DomainError } from './validate-domain.js';

/** Built-in domains, enabled by name. */
export const BUILTIN_DOMAINS: ReadonlyMap<string, ToolDomain> = new Map([['core', coreDomain]]);

export interface LoadDomainsOptions {
  /** Directory that relative module paths are resolved against (default: process.cwd()). */
  cwd?: string;
}

function looksLikePath(spec: string): boolean {
  return (
    spec.startsWith('.') ||
    path.isAbsolute(spec) ||
    spec.includes('/') ||
    spec.includes('\\') ||
    /\.[cm]?js$/.test(spec)
  );
}

/**
 * Splits a `--domains` value (`core,./weather.js`) into its entries, trimming blanks.
 * Paths that contain commas are not supported.
 */
export function parseDomainList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Resolves domain specs: a built-in name (`core`) or the path of an ES module whose default
 * export, or named export `domain`, is a ToolDomain. Module paths are the operator's own
 * configuration (like a config file), so any readable path is accepted.
 */
export async function loadDomains(
  specs: readonly string[],
  options: LoadDomainsOptions = {},
): Promise<ToolDomain[]> {
  const cwd = options.cwd ?? process.cwd();
  const domains: ToolDomain[] = [];
  for (const spec of specs) {
    const builtin = BUILTIN_DOMAINS.get(spec);
    if (builtin) {
      domains.push(builtin);
      continue;
    }
    if (!looksLikePath(spec)) {
      const known = [...BUILTIN_DOMAINS.keys()].join(', ');
      throw new DomainError(
        `Unknown domain '${spec}': use a built-in domain (${known}) or the path of a module such as ./my-domain.js.`,
      );
    }
    domains.push(await importDomain(spec, cwd));
  }
  return domains;
}

async function importDomain(spec: string, cwd: string): Promise<ToolDomain> {
  const url = pathToFileURL(path.resolve(cwd, spec)).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new DomainError(`Cannot load domain module ${spec}: ${reason}`);
  }
  const exported = mod.default ?? mod.domain;
  if (exported === undefined) {
    throw new DomainError(
      `Domain module ${spec} has neither a default export nor an export named \`domain\`.`,
    );
  }
  return assertToolDomain(exported, `The domain exported by ${spec}`);
}
