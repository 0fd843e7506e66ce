import type { Report } from '../types.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatText } from './text.js';

export type ReportFormat = 'text' | 'json' | 'junit';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'junit'];

export function formatReport(
  report: Report,
  format: ReportFormat,
  options: { strict?: boolean } = {},
): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'junit':
      return formatJunit(report, options);
    default:
      return formatText(report);
  }
}

export { formatJson, formatJunit, formatText };
export { formatCheckLine, formatSummaryLine } from './text.js';
