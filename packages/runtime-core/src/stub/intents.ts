// The stub planner's understanding of a goal: arithmetic -> calc, time/date questions (with an
// optional zone) -> time_now, `say X` / `echo X` -> echo. Several intents may be joined with
// `and`, `then`, `,` or `;`. All regular expressions are compiled once, here.

export type Intent =
  | { kind: 'calc'; expression: string }
  | { kind: 'time'; zone?: string }
  | { kind: 'echo'; text: string };

/** Clause separators; a comma between two digits (1,000) is not one. */
const SEPARATOR = /\s*(?:;|,(?!\d)|(?<!\d),|\b(?:and|then)\b)\s*/gi;
const HAS_SEPARATOR = /[,;]|\b(?:and|then)\b/i;

/** A run of characters that can make up an arithmetic expression, starting at a digit. */
const ARITHMETIC_RUN = /[-+(]*\s*\d[\d\s.+\-*/%^()]*/g;
/** An operator between two operands: what tells `19*23` from `2026`. */
const BINARY_OPERATOR = /[\d.)]\s*[-+*/%^]\s*[-+(]*\s*[\d.(]/;
const TRAILING_JUNK = /[\s+\-*/%^.]+$/;

const TIME_QUESTION = /\b(?:time|date|clock|what day)\b/i;
const IANA_ZONE = /\bin\s+([A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2})/;
const UTC_ZONE = /\bin\s+(UTC|GMT|Z)\b/i;
const NAMED_ZONE = /\bin\s+([A-Z][A-Za-z]*(?:\s+[A-Z][A-Za-z]*){0,2})/;

const EXPLICIT_ECHO = /^\s*(?:echo|say|repeat)\b[\s:]+(.+?)\s*$/i;
const QUOTED = /^(["'])(.*)\1$/;

/** Friendly place names the stub understands, mapped to IANA zones. */
export const FRIENDLY_ZONES: Readonly<Record<string, string>> = Object.freeze({
  utc: 'UTC',
  gmt: 'UTC',
  z: 'UTC',
  tokyo: 'Asia/Tokyo',
  japan: 'Asia/Tokyo',
  london: 'Europe/London',
  paris: 'Europe/Paris',
  berlin: 'Europe/Berlin',
  'new york': 'America/New_York',
  'los angeles': 'America/Los_Angeles',
  chicago: 'America/Chicago',
  sydney: 'Australia/Sydney',
  singapore: 'Asia/Singapore',
  'hong kong': 'Asia/Hong_Kong',
  mumbai: 'Asia/Kolkata',
});

/** Splits a goal into clauses at separators outside parentheses. */
export function splitClauses(goal: string): string[] {
  if (!HAS_SEPARATOR.test(goal)) return [goal.trim()];
  const clauses: string[] = [];
  let start = 0;
  let depth = 0;
  let scanned = 0;
  SEPARATOR.lastIndex = 0;
  for (let match = SEPARATOR.exec(goal); match !== null; match = SEPARATOR.exec(goal)) {
    for (let i = scanned; i < match.index; i++) {
      const c = goal.charCodeAt(i);
      if (c === 40) depth++;
      else if (c === 41 && depth > 0) depth--;
    }
    scanned = match.index;
    if (depth > 0) continue;
    clauses.push(goal.slice(start, match.index).trim());
    start = match.index + match[0].length;
  }
  clauses.push(goal.slice(start).trim());
  return clauses.filter((clause) => clause.length > 0);
}

function balanced(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41 && --depth < 0) return false;
  }
  return depth === 0;
}

/** Removes parentheses that wrap the whole expression: `((1+2)*3)` -> `(1+2)*3`. */
function unwrap(expression: string): string {
  let text = expression;
  while (text.startsWith('(') && text.endsWith(')') && balanced(text.slice(1, -1))) {
    text = text.slice(1, -1).trim();
  }
  return text;
}

/** The first arithmetic expression in the text, without wrapping parentheses. */
export function findExpression(text: string): string | undefined {
  ARITHMETIC_RUN.lastIndex = 0;
  for (let match = ARITHMETIC_RUN.exec(text); match !== null; match = ARITHMETIC_RUN.exec(text)) {
    let candidate = match[0].trim().replace(TRAILING_JUNK, '');
    // A run may end with closing parentheses of the sentence around it, or start inside one.
    while (candidate.endsWith(')') && !balanced(candidate))
      candidate = candidate.slice(0, -1).trim();
    while (candidate.startsWith('(') && !balanced(candidate)) candidate = candidate.slice(1).trim();
    if (balanced(candidate) && BINARY_OPERATOR.test(candidate)) return unwrap(candidate);
  }
  return undefined;
}

const FRIENDLY_ZONE = new RegExp(
  `\\bin\\s+(${Object.keys(FRIENDLY_ZONES)
    .sort((a, b) => b.length - a.length)
    .join('|')})\\b`,
  'i',
);

/** The time zone a time question names, as an IANA name when the stub knows the place. */
export function findZone(text: string): string | undefined {
  const iana = IANA_ZONE.exec(text);
  if (iana?.[1] !== undefined) return iana[1];
  const utc = UTC_ZONE.exec(text);
  if (utc?.[1] !== undefined) return 'UTC';
  const friendly = FRIENDLY_ZONE.exec(text);
  if (friendly?.[1] !== undefined) return FRIENDLY_ZONES[friendly[1].toLowerCase()];
  const named = NAMED_ZONE.exec(text);
  if (named?.[1] !== undefined) {
    const name = named[1];
    return FRIENDLY_ZONES[name.toLowerCase()] ?? name;
  }
  return undefined;
}

function classify(clause: string): Intent | undefined {
  if (TIME_QUESTION.test(clause)) {
    const zone = findZone(clause);
    return zone === undefined ? { kind: 'time' } : { kind: 'time', zone };
  }
  const expression = findExpression(clause);
  if (expression !== undefined) return { kind: 'calc', expression };
  const echo = EXPLICIT_ECHO.exec(clause);
  if (echo?.[1] !== undefined) {
    const quoted = QUOTED.exec(echo[1]);
    return { kind: 'echo', text: quoted?.[2] ?? echo[1] };
  }
  return undefined;
}

/**
 * The intents of a goal, in order. Clauses the stub does not understand are left out; a goal
 * with no understood calc or time clause (and at most one clause) is echoed whole.
 */
export function intentsOf(goal: string, options: { echoFallback: boolean }): Intent[] {
  const clauses = splitClauses(goal);
  const intents: Intent[] = [];
  let substantive = false;
  for (const clause of clauses) {
    const intent = classify(clause);
    if (!intent) continue;
    if (intent.kind !== 'echo') substantive = true;
    intents.push(intent);
  }
  if (substantive || (clauses.length > 1 && intents.length > 0)) return intents;
  if (!options.echoFallback) return intents;
  return [{ kind: 'echo', text: goal }];
}
