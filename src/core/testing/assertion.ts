/**
 * The grammar of an assertion line's text (the part after `??`), a superset of httpYac's:
 *
 *   subject   := status | duration | count | header <name> | body [<JSONPath>]
 *   predicate := == | != | < | <= | > | >= | contains | startsWith | endsWith | matches
 *              | exists | isTrue | isFalse | isNumber | isString | isArray
 *   line      := subject predicate [expected]
 *
 * The expected value is the rest of the line, raw (its `{{…}}` are resolved when the test runs).
 * Offsets are relative to the text; the caller adds the text's document offset.
 */
import { parseJsonPath } from '../requestFile/jsonPath';

export const SUBJECTS = [
  { name: 'status', detail: 'The HTTP status code, e.g. status == 200' },
  { name: 'header', detail: 'A response header by name, e.g. header content-type contains json' },
  { name: 'duration', detail: 'The time to the whole answer, in ms, e.g. duration < 2000' },
  { name: 'body', detail: 'A value of the JSON body by JSONPath, e.g. body $[0].reference exists' },
  { name: 'count', detail: 'The number of records (an array body, or the $count=true answer)' },
] as const;

export type SubjectKind = (typeof SUBJECTS)[number]['name'];

/** Predicates that compare with an expected value. */
export const BINARY_PREDICATES = ['==', '!=', '<', '<=', '>', '>=', 'contains', 'startsWith', 'endsWith', 'matches'] as const;
/** Predicates that take no value. */
export const UNARY_PREDICATES = ['exists', 'isTrue', 'isFalse', 'isNumber', 'isString', 'isArray'] as const;

export type BinaryPredicate = (typeof BINARY_PREDICATES)[number];
export type UnaryPredicate = (typeof UNARY_PREDICATES)[number];
export type Predicate = BinaryPredicate | UnaryPredicate;

export const PREDICATE_DETAILS: Readonly<Record<Predicate, string>> = {
  '==': 'equals (numbers as numbers, text as text; quotes optional)',
  '!=': 'does not equal',
  '<': 'less than (numbers, or text such as ISO dates)',
  '<=': 'less than or equal',
  '>': 'greater than',
  '>=': 'greater than or equal',
  contains: 'the text contains the value, or the array has an element equal to it',
  startsWith: 'the text starts with the value',
  endsWith: 'the text ends with the value',
  matches: 'the text matches a regular expression (/…/flags or bare)',
  exists: 'the value is present (a header is set, the JSONPath matches)',
  isTrue: 'the value is true',
  isFalse: 'the value is false',
  isNumber: 'the value is a number',
  isString: 'the value is a string',
  isArray: 'the value is an array',
};

const PREDICATES = new Set<string>([...BINARY_PREDICATES, ...UNARY_PREDICATES]);
const UNARY = new Set<string>(UNARY_PREDICATES);
const SUBJECT_NAMES = new Set<string>(SUBJECTS.map((s) => s.name));

export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

export type Subject =
  | { readonly kind: 'status' | 'duration' | 'count' }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'body'; readonly path: string };

export interface Assertion {
  readonly subject: Subject;
  /** The subject with its argument, e.g. `body $[0].id`. */
  readonly subjectSpan: TextSpan;
  /** The JSONPath of a body subject, or the header name. */
  readonly argumentSpan?: TextSpan;
  readonly predicate: Predicate;
  readonly predicateSpan: TextSpan;
  /** Raw expected text (binary predicates only). */
  readonly expected?: string;
  readonly expectedSpan?: TextSpan;
}

export interface AssertionSyntaxError {
  readonly message: string;
  readonly span: TextSpan;
}

export type AssertionParse = { readonly ok: true; readonly assertion: Assertion } | { readonly ok: false; readonly error: AssertionSyntaxError };

export function isPredicate(word: string): word is Predicate {
  return PREDICATES.has(word);
}

/**
 * Whether the character `c` matches `\s`. Printable ASCII is settled without the regex: the
 * scanners ask this of every character of every assertion line in the file.
 */
function isSpace(c: string): boolean {
  return c === ' ' || (!(c > ' ' && c <= '~') && /\s/.test(c));
}

/** The next run of non-blank characters at or after `from`; a body path keeps quoted or bracketed blanks. */
function word(text: string, from: number, path = false): TextSpan {
  let s = from;
  while (s < text.length && isSpace(text[s])) s++;
  let e = s;
  let depth = 0;
  let quote = '';
  while (e < text.length) {
    const c = text[e];
    if (quote) {
      if (c === quote) quote = '';
    } else if (path && (c === "'" || c === '"') && depth > 0) {
      quote = c;
    } else if (path && c === '[') {
      depth++;
    } else if (path && c === ']') {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0 && isSpace(c)) {
      break;
    }
    e++;
  }
  return { start: s, end: e };
}

const fail = (message: string, start: number, end: number): AssertionParse => ({ ok: false, error: { message, span: { start, end: Math.max(start, end) } } });

/** Parses the text after `??`. Never throws: a problem comes back with the span to underline. */
export function parseAssertion(text: string): AssertionParse {
  const sw = word(text, 0);
  const subjectWord = text.slice(sw.start, sw.end);
  if (!subjectWord) return fail('Write an assertion after "??", for example ?? status == 200.', 0, text.length);
  if (!SUBJECT_NAMES.has(subjectWord)) {
    return fail(`"${subjectWord}" is not a subject: use status, header <name>, duration, body <JSONPath> or count.`, sw.start, sw.end);
  }
  let subject: Subject;
  let argumentSpan: TextSpan | undefined;
  let at = sw.end;
  if (subjectWord === 'header') {
    const nw = word(text, at);
    const name = text.slice(nw.start, nw.end);
    if (!name || isPredicate(name)) return fail('Name the header: header <name> …, for example header content-type contains json.', sw.start, nw.end);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return fail(`"${name}" is not a valid header name.`, nw.start, nw.end);
    subject = { kind: 'header', name };
    argumentSpan = nw;
    at = nw.end;
  } else if (subjectWord === 'body') {
    const pw = word(text, at, true);
    const path = text.slice(pw.start, pw.end);
    if (path && !isPredicate(path)) {
      try {
        parseJsonPath(path);
      } catch (e) {
        const offset = typeof (e as { at?: unknown }).at === 'number' ? (e as { at: number }).at : 0;
        return fail(`Invalid JSONPath "${path}": ${(e as Error).message}.`, pw.start + Math.min(offset, path.length), pw.end);
      }
      subject = { kind: 'body', path };
      argumentSpan = pw;
      at = pw.end;
    } else {
      // `body == …` compares the whole body.
      subject = { kind: 'body', path: '' };
    }
  } else {
    subject = { kind: subjectWord as 'status' | 'duration' | 'count' };
  }
  const subjectSpan = { start: sw.start, end: at };
  const pw = word(text, at);
  const predicate = text.slice(pw.start, pw.end);
  if (!predicate) return fail(`Add a predicate after "${text.slice(subjectSpan.start, subjectSpan.end)}", for example ==, contains or exists.`, subjectSpan.start, subjectSpan.end);
  if (!isPredicate(predicate)) {
    return fail(`"${predicate}" is not a predicate: use ==, !=, <, <=, >, >=, contains, startsWith, endsWith, matches, exists, isTrue, isFalse, isNumber, isString or isArray.`, pw.start, pw.end);
  }
  let es = pw.end;
  while (es < text.length && isSpace(text[es])) es++;
  let ee = text.length;
  while (ee > es && isSpace(text[ee - 1])) ee--;
  // One literal per outcome, no spreads: a file's diagnostics parse every assertion line in it.
  if (UNARY.has(predicate)) {
    if (ee > es) return fail(`"${predicate}" takes no value.`, es, ee);
    return { ok: true, assertion: { subject, subjectSpan, argumentSpan, predicate, predicateSpan: pw } };
  }
  if (ee <= es) return fail(`Add the expected value after "${predicate}".`, pw.start, pw.end);
  if (predicate === 'matches') {
    const re = regexOf(text.slice(es, ee));
    if (typeof re === 'string' && !/\{\{/.test(text.slice(es, ee))) return fail(re, es, ee);
  }
  const expectedSpan = { start: es, end: ee };
  return { ok: true, assertion: { subject, subjectSpan, argumentSpan, predicate, predicateSpan: pw, expected: text.slice(es, ee), expectedSpan } };
}

/** A `matches` value as a RegExp: `/…/flags` or the bare pattern. A string is the reason it is not one. */
export function regexOf(source: string): RegExp | string {
  const m = /^\/(.*)\/([dgimsuy]*)$/s.exec(source);
  try {
    return m ? new RegExp(m[1], m[2]) : new RegExp(source);
  } catch (e) {
    return `Not a regular expression: ${(e as Error).message}.`;
  }
}
