// Assertions on HTTP answers. Each throws CheckFailure with a message that says what was expected
// and what arrived, so a failing check explains itself.
import {
  formatValidationIssues,
  validateErrorEnvelope,
  type ErrorEnvelope,
  type Validator,
} from '@arp-ts/sdk';
import type { HttpResponse } from '../http.js';
import { CheckFailure } from './suite.js';

const MAX_SNIPPET = 200;

export function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SNIPPET ? `${flat.slice(0, MAX_SNIPPET)}...` : flat;
}

function describeAnswer(res: HttpResponse): string {
  const body = res.text.length > 0 ? `: ${snippet(res.text)}` : '';
  return `${res.status}${body}`;
}

export function expectStatus(res: HttpResponse, expected: number, what: string): void {
  if (res.status !== expected) {
    throw new CheckFailure(`${what}: expected HTTP ${expected}, got ${describeAnswer(res)}`);
  }
}

export function isJsonContentType(contentType: string): boolean {
  return /^application\/([\w.+-]*\+)?json\b/i.test(contentType.trim());
}

/** The parsed JSON body; fails when the body is not JSON or not labelled as JSON. */
export function expectJson(res: HttpResponse, what: string): unknown {
  if (res.jsonError !== undefined) {
    throw new CheckFailure(`${what}: the body is ${res.jsonError}`);
  }
  if (!isJsonContentType(res.contentType)) {
    throw new CheckFailure(
      `${what}: Content-Type is "${res.contentType || '(none)'}", expected application/json`,
    );
  }
  return res.json;
}

export function expectValid<T>(validator: Validator<T>, value: unknown, what: string): T {
  const result = validator(value);
  if (!result.ok) {
    throw new CheckFailure(
      `${what} does not validate: ${formatValidationIssues(result.errors)}`,
      result.errors,
    );
  }
  return result.value;
}

/** A 2xx answer with a JSON body that validates. */
export function expectOkJson<T>(res: HttpResponse, validator: Validator<T>, what: string): T {
  expectStatus(res, 200, what);
  return expectValid(validator, expectJson(res, what), what);
}

/**
 * An error answer: the status (or any 4xx) and an ErrorEnvelope body.
 * Returns the envelope so the caller can look at the code.
 */
export function expectErrorEnvelope(
  res: HttpResponse,
  expected: number | '4xx',
  what: string,
): ErrorEnvelope {
  const statusOk =
    expected === '4xx' ? res.status >= 400 && res.status < 500 : res.status === expected;
  if (!statusOk) {
    const wanted = expected === '4xx' ? 'a 4xx status' : `HTTP ${expected}`;
    throw new CheckFailure(`${what}: expected ${wanted}, got ${describeAnswer(res)}`);
  }
  return expectValid(validateErrorEnvelope, expectJson(res, what), `${what}: the ErrorEnvelope`);
}

/** The error code of a body when it is an ErrorEnvelope, without failing otherwise. */
export function envelopeCode(body: unknown): string | undefined {
  const result = validateErrorEnvelope(body);
  return result.ok ? result.value.error.code : undefined;
}
