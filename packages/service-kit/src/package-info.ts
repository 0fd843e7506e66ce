import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  name: string;
  version: string;
}

/** Reads the nearest package.json above a module (pass import.meta.url); works from src and dist. */
export function readPackageInfo(moduleUrl: string): PackageInfo {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as Partial<PackageInfo>;
      return { name: String(pkg.name ?? 'unknown'), version: String(pkg.version ?? '0.0.0') };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { name: 'unknown', version: '0.0.0' };
    dir = parent;
  }
}
