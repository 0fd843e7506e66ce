import { formatValidationIssues, validateToolDefinition } from '@arp-ts/sdk';
import { isRecord } from '../is-record.js';
import type { ToolDomain } from '../types.js';

// Domain and tool names end up in health checks, logs and model prompts: keep them plain.
const DOMAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_TOOLS_PER_DOMAIN = 1_000;
const MAX_TIMEOUT_MS = 3_600_000;

/** Thrown when a domain is malformed or clashes with another one; the message says which. */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Checks that `value` has the shape of a ToolDomain; returns the problems found (none: usable). */
export function domainProblems(value: unknown): string[] {
  if (!isRecord(value)) return ['it is not an object with `name` and `tools`'];
  const problems: string[] = [];
  if (typeof value.name !== 'string' || !DOMAIN_NAME.test(value.name)) {
    problems.push('`name` must be 1-64 letters, digits, `_`, `.` or `-`');
  }
  if (!Array.isArray(value.tools)) {
    problems.push('`tools` must be an array');
    return problems;
  }
  if (value.tools.length > MAX_TOOLS_PER_DOMAIN) {
    problems.push(`\`tools\` has more than ${MAX_TOOLS_PER_DOMAIN} entries`);
    return problems;
  }
  value.tools.forEach((tool: unknown, i) => {
    const at = `tools[${i}]`;
    if (!isRecord(tool)) {
      problems.push(`${at} is not an object`);
      return;
    }
    const checked = validateToolDefinition(tool.definition);
    if (!checked.ok) {
      problems.push(
        `${at}.definition is not a valid ToolDefinition (${formatValidationIssues(checked.errors)})`,
      );
    } else if (checked.value.input_schema.type !== 'object') {
      problems.push(`${at}.definition.input_schema must have "type": "object"`);
    }
    if (typeof tool.handler !== 'function') problems.push(`${at}.handler must be a function`);
    if (
      tool.timeoutMs !== undefined &&
      (typeof tool.timeoutMs !== 'number' ||
        !Number.isFinite(tool.timeoutMs) ||
        tool.timeoutMs <= 0 ||
        tool.timeoutMs > MAX_TIMEOUT_MS)
    ) {
      problems.push(
        `${at}.timeoutMs must be a number of milliseconds between 1 and ${MAX_TIMEOUT_MS}`,
      );
    }
  });
  return problems;
}

/** Returns `value` as a ToolDomain, or throws a DomainError naming `source` and every problem. */
export function assertToolDomain(value: unknown, source: string): ToolDomain {
  const problems = domainProblems(value);
  if (problems.length > 0) {
    throw new DomainError(`${source} is not a valid tool domain: ${problems.join('; ')}.`);
  }
  return value as ToolDomain;
}
