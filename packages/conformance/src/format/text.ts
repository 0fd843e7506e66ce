// Human-readable report: one line per check, then the details of what failed or warned, then the
// summary line.
import type { CheckResult, HttpExchange, Report, ReportSummary } from '../types.js';

const DETAIL_BODY_CHARS = 600;

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function cut(text: string, max = DETAIL_BODY_CHARS): string {
  const flat = oneLine(text);
  return flat.length > max ? `${flat.slice(0, max)}...` : flat;
}

export function formatCheckLine(check: CheckResult): string {
  return `${check.status.padEnd(4)}  ${check.id}  ${check.name}: ${oneLine(check.message)}`;
}

export function formatSummaryLine(summary: ReportSummary): string {
  return `${summary.passed} passed, ${summary.failed} failed, ${summary.warned} warned, ${summary.skipped} skipped`;
}

function formatExchange(exchange: HttpExchange): string[] {
  const lines = [`    > ${exchange.request.method} ${exchange.request.url}`];
  if (exchange.request.body !== undefined) lines.push(`      ${cut(exchange.request.body, 300)}`);
  if (exchange.response) {
    lines.push(`    < ${exchange.response.status} (${exchange.durationMs} ms)`);
    if (exchange.response.body) lines.push(`      ${cut(exchange.response.body)}`);
  } else {
    lines.push(`    < no answer: ${exchange.error ?? 'unknown error'}`);
  }
  return lines;
}

function formatDetails(check: CheckResult): string[] {
  const lines = [`${check.status} ${check.id}`, `  ${oneLine(check.message)}`];
  for (const issue of check.schemaErrors ?? []) {
    lines.push(`  schema: ${issue.path} ${issue.message}`);
  }
  // The last exchanges are the ones that went wrong; earlier ones were setup.
  for (const exchange of (check.exchanges ?? []).slice(-3)) lines.push(...formatExchange(exchange));
  return lines;
}

export function formatTextHeader(report: Pick<Report, 'kit' | 'target' | 'url' | 'tier'>): string {
  return `${report.kit.name} ${report.kit.version}: ${report.target} at ${report.url}, tier ${report.tier}\n\n`;
}

/** What follows the check lines: details of FAIL and WARN checks, and the summary line. */
export function formatTextFooter(report: Report): string {
  const lines: string[] = [];
  const noteworthy = report.checks.filter((c) => c.status === 'FAIL' || c.status === 'WARN');
  if (noteworthy.length > 0) {
    lines.push('', 'Details:');
    for (const check of noteworthy) lines.push(...formatDetails(check));
  }
  lines.push('', formatSummaryLine(report.summary));
  return `${lines.join('\n')}\n`;
}

export function formatText(report: Report): string {
  const checks = report.checks.map((c) => `${formatCheckLine(c)}\n`).join('');
  return formatTextHeader(report) + checks + formatTextFooter(report);
}
