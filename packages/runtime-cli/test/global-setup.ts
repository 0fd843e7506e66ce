// The process tests run the real `arp-runtime` bin, which imports dist/. In CI turbo builds
// before testing; run on its own, this builds the package when dist/ is missing or older than
// src/, and asks for a workspace build when a dependency has no dist/ yet.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEPENDENCIES = [
  'arp-sdk',
  'service-kit',
  'runtime-core',
  'runtime-server',
  'tool-registry-mock',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const missing = DEPENDENCIES.filter(
    (name) => !existsSync(path.join(packageDir, '..', name, 'dist', 'index.js')),
  );
  if (missing.length > 0) {
    throw new Error(
      `build the workspace first (missing dist/ in ${missing.join(', ')}): npx -y pnpm@10.34.9 turbo run build --filter=@arp-ts/runtime-cli...`,
    );
  }
  const cli = path.join(packageDir, 'dist', 'cli.js');
  const stale =
    !existsSync(cli) || statSync(cli).mtimeMs < newestMtime(path.join(packageDir, 'src'));
  if (stale) {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: packageDir,
      stdio: 'inherit',
    });
  }
}
