// Totals the vitest summaries of every package in a test log and prints one plain closing line,
// `Tests: N passed, N failed` (`, N skipped` when any), for readers that look for it.
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2] ?? 0, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
const totals = { passed: 0, failed: 0, skipped: 0 };
let summaries = 0;
for (const line of text.split('\n')) {
  const m = /^(?:\S+:test:)?\s*Tests\s+(.*)$/.exec(line);
  if (!m) continue;
  summaries++;
  for (const [, n, kind] of m[1].matchAll(/(\d+) (passed|failed|skipped)/g))
    totals[kind] += Number(n);
}
if (summaries === 0) {
  console.log('Tests: 0 passed, 1 failed (no test summary found)');
  process.exit(1);
}
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`Tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
