import { clippedJson, MAX_JSON_DEPTH, nestedDeeperThan } from '../boundedJson';
import { parseCount } from '../explorer/requests';
import { headerGet } from '../http/headers';
import { isMultiPath, queryJsonPath } from '../requestFile/jsonPath';
import { Assertion, Predicate, regexOf } from './assertion';

/** The parts of an answer that assertions read. */
export interface ResponseFacts {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
  /** The parsed body, when it is JSON. */
  readonly json?: unknown;
  readonly durationMs: number;
}

export interface Outcome {
  readonly passed: boolean;
  /** The actual value as shown to the user (`(none)` when there is none). */
  readonly actual: string;
  /** The expected value after variables, for binary predicates. */
  readonly expected?: string;
  /** One line: what was checked and what was found. */
  readonly message: string;
}

const MISSING = Symbol('missing');
type Value = unknown | typeof MISSING;

function actualOf(a: Assertion, r: ResponseFacts): Value {
  const s = a.subject;
  switch (s.kind) {
    case 'status': return r.status;
    case 'duration': return Math.round(r.durationMs);
    case 'header': return headerGet(r.headers, s.name) ?? MISSING;
    case 'count': {
      const json = bodyJson(r);
      if (Array.isArray(json)) return json.length;
      return parseCount(json, r.bodyText) ?? MISSING;
    }
    case 'body': {
      const json = bodyJson(r);
      if (!s.path || s.path === '$') return json === undefined ? r.bodyText : json;
      if (json === undefined) return MISSING;
      const matches = queryJsonPath(json, s.path);
      if (isMultiPath(s.path)) return matches;
      return matches.length ? matches[0] : MISSING;
    }
  }
}

function bodyJson(r: ResponseFacts): unknown {
  if (r.json !== undefined) return r.json;
  try {
    return JSON.parse(r.bodyText);
  } catch {
    return undefined;
  }
}

/** How a value reads in a result: text as JSON-quoted, objects as compact JSON, cut at 200 characters. */
export function showValue(v: Value): string {
  if (v === MISSING || v === undefined) return '(none)';
  return typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : clippedJson(v, 200);
}

/** The expected text as a value: a quoted string loses its quotes, JSON literals and numbers parse. */
function expectedValue(text: string): unknown {
  const t = text.trim();
  if (/^"(?:[^"\\]|\\.)*"$/s.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      return t.slice(1, -1);
    }
  }
  if (/^'.*'$/s.test(t)) return t.slice(1, -1);
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  if (/^[[{]/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      return t;
    }
  }
  return t;
}

function asText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? '';
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function equal(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  const an = asNumber(actual);
  const en = asNumber(expected);
  if (typeof actual === 'number' || typeof expected === 'number') return an !== undefined && an === en;
  if (actual === null || expected === null || typeof actual === 'boolean' || typeof expected === 'boolean') return String(actual) === String(expected);
  if (typeof actual === 'object' && typeof expected === 'object') return canonical(actual) === canonical(expected);
  return asText(actual) === asText(expected);
}

/** JSON with keys sorted, so that objects compare by content. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : x));
}

function compare(actual: unknown, expected: unknown): number | undefined {
  const an = asNumber(actual);
  const en = asNumber(expected);
  if (an !== undefined && en !== undefined) return an - en;
  // Text such as ISO dates compares as text.
  if (typeof actual === 'string' && typeof expected === 'string') return actual < expected ? -1 : actual > expected ? 1 : 0;
  return undefined;
}

function holds(p: Predicate, actual: Value, expectedText: string | undefined): boolean | string {
  if (p === 'exists') return actual !== MISSING && actual !== undefined;
  // Nothing there differs from any value, and has no other property.
  if (actual === MISSING) return p === '!=';
  switch (p) {
    case 'isTrue': return actual === true;
    case 'isFalse': return actual === false;
    case 'isNumber': return typeof actual === 'number';
    case 'isString': return typeof actual === 'string';
    case 'isArray': return Array.isArray(actual);
    default: break;
  }
  const raw = expectedText ?? '';
  const expected = expectedValue(raw);
  // Comparing and matching write objects out as JSON, which recursion cannot do at any depth.
  const tooDeep = nestedDeeperThan(actual) ? 'value' : nestedDeeperThan(expected) ? 'expected value' : undefined;
  if (tooDeep) return `the ${tooDeep} is nested more than ${MAX_JSON_DEPTH} deep, too deep to compare`;
  switch (p) {
    case '==': return equal(actual, expected);
    case '!=': return !equal(actual, expected);
    case '<': case '<=': case '>': case '>=': {
      const c = compare(actual, expected);
      if (c === undefined) return `cannot compare ${showValue(actual)} with ${raw} by ${p}`;
      return p === '<' ? c < 0 : p === '<=' ? c <= 0 : p === '>' ? c > 0 : c >= 0;
    }
    case 'contains':
      if (Array.isArray(actual)) return actual.some((x) => equal(x, expected));
      return asText(actual).includes(asText(expected));
    case 'startsWith': return asText(actual).startsWith(asText(expected));
    case 'endsWith': return asText(actual).endsWith(asText(expected));
    case 'matches': {
      const re = regexOf(raw);
      if (typeof re === 'string') return re;
      return re.test(asText(actual));
    }
    default: return false;
  }
}

/** Checks one assertion against an answer; `expected` is the expected text with its variables resolved. */
export function evaluateAssertion(a: Assertion, expected: string | undefined, r: ResponseFacts): Outcome {
  const value = actualOf(a, r);
  const result = holds(a.predicate, value, expected);
  const actual = showValue(value);
  const subject = a.subject.kind === 'header' ? `header ${a.subject.name}` : a.subject.kind === 'body' ? `body ${a.subject.path}`.trim() : a.subject.kind;
  const wanted = expected === undefined ? `${subject} ${a.predicate}` : `${subject} ${a.predicate} ${expected}`;
  if (typeof result === 'string') return { passed: false, actual, ...(expected !== undefined ? { expected } : {}), message: `${wanted}: ${result}` };
  return {
    passed: result,
    actual,
    ...(expected !== undefined ? { expected } : {}),
    message: result ? wanted : `expected ${wanted}, actual ${actual}`,
  };
}
