// The report as JUnit XML, which CI systems display: one testcase per check; FAIL is a failure,
// SKIP is skipped, WARN is a failure only in strict mode (otherwise a note in system-out).
import type { CheckResult, Report } from '../types.js';

function xml(text: string): string {
  return (
    text
      // Characters XML 1.0 cannot carry at all.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function details(check: CheckResult): string {
  const lines = [check.message];
  for (const issue of check.schemaErrors ?? [])
    lines.push(`schema: ${issue.path} ${issue.message}`);
  for (const exchange of check.exchanges ?? []) {
    lines.push(`> ${exchange.request.method} ${exchange.request.url}`);
    if (exchange.request.body !== undefined) lines.push(`  ${exchange.request.body}`);
    lines.push(
      exchange.response
        ? `< ${exchange.response.status}\n  ${exchange.response.body}`
        : `< no answer: ${exchange.error ?? 'unknown error'}`,
    );
  }
  return lines.join('\n');
}

function testcase(check: CheckResult, strict: boolean): string {
  const classname = check.id.split('.').slice(0, 2).join('.');
  const open = `    <testcase classname="${xml(classname)}" name="${xml(`${check.id}: ${check.name}`)}" time="${seconds(check.durationMs)}"`;
  const failed = check.status === 'FAIL' || (strict && check.status === 'WARN');
  if (failed) {
    return `${open}>\n      <failure message="${xml(check.message)}" type="${check.status}">${xml(details(check))}</failure>\n    </testcase>`;
  }
  if (check.status === 'SKIP') {
    return `${open}>\n      <skipped message="${xml(check.message)}"/>\n    </testcase>`;
  }
  if (check.status === 'WARN') {
    return `${open}>\n      <system-out>${xml(`WARN: ${details(check)}`)}</system-out>\n    </testcase>`;
  }
  return `${open}/>`;
}

export function formatJunit(report: Report, options: { strict?: boolean } = {}): string {
  const strict = options.strict === true;
  const failures = report.checks.filter(
    (c) => c.status === 'FAIL' || (strict && c.status === 'WARN'),
  ).length;
  const { total, skipped } = report.summary;
  const suiteName = `arp-conformance ${report.target} ${report.tier} ${report.url}`;
  const attrs = `tests="${total}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(report.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="arp-conformance" ${attrs}>`,
    `  <testsuite name="${xml(suiteName)}" ${attrs} timestamp="${xml(report.startedAt)}">`,
    ...report.checks.map((c) => testcase(c, strict)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
