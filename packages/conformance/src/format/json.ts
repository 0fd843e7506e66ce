// The report as JSON, for tools.
import type { Report } from '../types.js';

export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
