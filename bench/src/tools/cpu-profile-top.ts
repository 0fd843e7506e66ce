// Prints where a .cpuprofile (node --cpu-prof) spent its time: the functions with the most self
// time, and self time summed per package or file, to find what to optimize.
//   node dist/tools/cpu-profile-top.js <file.cpuprofile> [top=30]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string): string {
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/\.pnpm\/([^/]+)\//.exec(path)?.[1];
  if (pkg) return pkg.replace(/@(\d[^_]*)(_.*)?$/, '');
  const ours = /\/(packages|bench)\/([^/]+)\/(?:dist|src)\/(.*)$/.exec(path);
  if (ours) return `${ours[2]}/${ours[3]}`;
  if (path.startsWith('node:')) return path;
  return path;
}

function main(): void {
  // Piped into `head`: stop quietly when the reader goes away.
  process.stdout.on('error', () => process.exit(0));
  const [file, topArg] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: cpu-profile-top <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const top = Number(topArg ?? 30);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    total += dt;
  });

  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = where(url);
    const key = `${functionName || '(anonymous)'}  ${place}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const group = place.split('/')[0] ?? place;
    byPlace.set(group, (byPlace.get(group) ?? 0) + us);
  }
  const print = (title: string, map: Map<string, number>, n: number): void => {
    process.stdout.write(`\n${title}\n`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      const share = ((us / total) * 100).toFixed(1).padStart(5);
      process.stdout.write(`${share}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}\n`);
    }
  };
  process.stdout.write(`${file}: ${(total / 1e6).toFixed(2)} s sampled\n`);
  print('Self time by package / file group', byPlace, 15);
  print('Self time by function', byFunction, top);
}

main();
