// The kit's own name and version, read from its package.json (one level above src/ and dist/).
import { readFileSync } from 'node:fs';

interface PackageJson {
  name: string;
  version: string;
}

let cached: PackageJson | undefined;

export function kitInfo(): PackageJson {
  if (!cached) {
    const raw = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    const parsed = JSON.parse(raw) as Partial<PackageJson>;
    cached = { name: parsed.name ?? '@arp-ts/conformance', version: parsed.version ?? '0.0.0' };
  }
  return cached;
}
