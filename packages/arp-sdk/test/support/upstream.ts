// Where the ARP Standard v1 reference data lives, and how its vector paths map to our schemas.
import path from 'node:path';
import { repoRoot } from './vector-files.js';

/** The API areas whose vectors we check (the standard's daemon and memory APIs are out of scope). */
export const UPSTREAM_AREAS = ['common', 'runtime', 'tool_registry', 'trace'] as const;

export function upstreamStandardDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.ARP_STANDARD_DIR;
  return override ? path.resolve(override) : path.resolve(repoRoot, '../shared/arp-standard-v1');
}

/**
 * Maps an upstream vector path to our schema key, or undefined when it is outside our areas.
 * Upstream nests some areas one level deeper (`runtime/runs/run_request.json`); ours are flat
 * (`runtime/run_request.schema.json`).
 */
export function schemaKeyForUpstream(relativePath: string): string | undefined {
  const parts = relativePath.split('/');
  const area = parts[0];
  const file = parts[parts.length - 1];
  if (parts.length < 2 || !file?.endsWith('.json')) return undefined;
  if (!(UPSTREAM_AREAS as readonly (string | undefined)[]).includes(area)) return undefined;
  return `${area}/${file.slice(0, -'.json'.length)}.schema.json`;
}
