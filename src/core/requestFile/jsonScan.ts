import { Span } from './types';
import { MAX_JSON_DEPTH } from '../boundedJson';

/**
 * A tolerant JSON scanner for request bodies: it builds a tree with document offsets for every key
 * and value, reports the first few problems with exact ranges, and keeps going after errors so that
 * completion and the required-field rules still see the properties that were typed. Linear time;
 * `{{variables}}` stand for values and are accepted wherever a value may stand.
 */
export type JsonNode =
  | { readonly kind: 'object'; readonly span: Span; readonly properties: readonly JsonProperty[]; readonly closed: boolean }
  | { readonly kind: 'array'; readonly span: Span; readonly items: readonly JsonNode[]; readonly closed: boolean }
  | { readonly kind: 'string'; readonly span: Span; readonly value: string }
  | { readonly kind: 'number'; readonly span: Span; readonly value: number }
  | { readonly kind: 'boolean'; readonly span: Span; readonly value: boolean }
  | { readonly kind: 'null'; readonly span: Span }
  | { readonly kind: 'variable'; readonly span: Span }
  | { readonly kind: 'invalid'; readonly span: Span };

export interface JsonProperty {
  readonly key: string;
  readonly keySpan: Span;
  readonly value?: JsonNode;
  readonly span: Span;
}

export interface JsonProblem {
  readonly message: string;
  readonly span: Span;
}

export interface JsonScan {
  readonly root?: JsonNode;
  readonly problems: readonly JsonProblem[];
}

const MAX_PROBLEMS = 20;

/**
 * Properties and items of the objects and arrays being scanned, as two stacks shared by every scan
 * (scans never overlap). A nested value pushes above its parent's entries and pops them again
 * before the parent continues, so each object's entries stay contiguous and are copied out at their
 * exact length when it closes: a list per object grown by push reserved 17 slots, for every body of
 * a large file.
 */
const PROPS: JsonProperty[] = [];
const ITEMS: JsonNode[] = [];
let propsTop = 0;
let itemsTop = 0;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function scanJson(text: string, start = 0, end = text.length): JsonScan {
  propsTop = 0;
  itemsTop = 0;
  const problems: JsonProblem[] = [];
  let i = start;
  const problem = (message: string, s: number, e: number): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ message, span: { start: s, end: Math.max(e, s + 1 > end ? s : s + 1) } });
  };
  // The hot loops below run on a local copy of `i`: the closures share `i` through their context,
  // and a loop over a context variable loads and stores it in memory at every character.
  const ws = (): void => {
    let j = i;
    while (j < end) {
      const c = text.charCodeAt(j);
      if (c === 32 || c === 9 || c === 10 || c === 13) j++;
      else break;
    }
    i = j;
  };

  const value = (depth: number): JsonNode | undefined => {
    ws();
    if (i >= end) return undefined;
    const s = i;
    const c = text.charCodeAt(i);
    if (depth > MAX_JSON_DEPTH) {
      problem('The JSON is nested too deeply.', s, s + 1);
      i = end;
      return { kind: 'invalid', span: { start: s, end } };
    }
    if (c === 123 /* { */) {
      if (text.charCodeAt(i + 1) === 123) return variable();
      return object(depth);
    }
    if (c === 91 /* [ */) return array(depth);
    if (c === 34 /* " */) {
      const str = string();
      return { kind: 'string', span: { start: s, end: i }, value: str };
    }
    if (c === 45 || (c >= 48 && c <= 57)) return number();
    // The three words, tested one by one (a list of pairs here was built anew for every value).
    if (c === 116 && text.startsWith('true', i) && !isIdent(text.charCodeAt(i + 4))) {
      i += 4;
      return { kind: 'boolean', span: { start: s, end: i }, value: true };
    }
    if (c === 102 && text.startsWith('false', i) && !isIdent(text.charCodeAt(i + 5))) {
      i += 5;
      return { kind: 'boolean', span: { start: s, end: i }, value: false };
    }
    if (c === 110 && text.startsWith('null', i) && !isIdent(text.charCodeAt(i + 4))) {
      i += 4;
      return { kind: 'null', span: { start: s, end: i } };
    }
    // Something else: skip a run of word characters (or one character) and report it.
    let e = i + 1;
    while (e < end && isIdent(text.charCodeAt(e))) e++;
    if (c === 39 /* ' */) {
      e = singleQuoted(text, i, end) || e;
      problem('JSON strings use double quotes.', s, e);
    } else {
      problem(`Unexpected "${text.slice(s, Math.min(e, s + 20))}": expected a JSON value.`, s, e);
    }
    i = e;
    return { kind: 'invalid', span: { start: s, end: e } };
  };

  const variable = (): JsonNode => {
    const s = i;
    // Searched within the body only: a file of many bodies with an unclosed `{{` each must not read
    // to the end of the file once per body.
    let close = i + 2;
    while (close + 1 < end && !(text.charCodeAt(close) === 125 && text.charCodeAt(close + 1) === 125)) close++;
    i = close + 1 < end ? close + 2 : end;
    return { kind: 'variable', span: { start: s, end: i } };
  };

  const string = (): string => {
    const s = i;
    i++;
    let out = '';
    let runStart = i;
    // The plain run up to the closing quote (most strings) on a local; escapes go on below.
    let j = i;
    while (j < end) {
      const c = text.charCodeAt(j);
      if (c === 34 /* " */ || c === 10 || c === 13 || c === 92 /* \ */) break;
      j++;
    }
    i = j;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(runStart, i);
        i++;
        return out;
      }
      if (c === 10 || c === 13) break;
      if (c === 92 /* \ */) {
        out += text.slice(runStart, i);
        const n = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (n !== undefined && simple[n] !== undefined) {
          out += simple[n];
          i += 2;
        } else if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          problem('Invalid escape in a JSON string.', i, i + 2);
          i += 2;
        }
        runStart = i;
        continue;
      }
      i++;
    }
    out += text.slice(runStart, i);
    problem('Unterminated string: add the closing ".', s, i);
    return out;
  };

  const number = (): JsonNode => {
    const s = i;
    // One shared sticky regex and `test` (a regex literal here made a new RegExp per number, and
    // `exec` a match list).
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) {
      i++;
      problem('Invalid number.', s, i);
      return { kind: 'invalid', span: { start: s, end: i } };
    }
    i = NUMBER.lastIndex;
    if (i < end && isIdent(text.charCodeAt(i))) {
      let e = i;
      while (e < end && isIdent(text.charCodeAt(e))) e++;
      problem('Invalid number.', s, e);
      i = e;
      return { kind: 'invalid', span: { start: s, end: e } };
    }
    return { kind: 'number', span: { start: s, end: i }, value: Number(text.slice(s, i)) };
  };

  const object = (depth: number): JsonNode => {
    const s = i;
    i++;
    const base = propsTop;
    let closed = false;
    let expectComma = false;
    while (true) {
      ws();
      if (i >= end) break;
      const c = text.charCodeAt(i);
      if (c === 125 /* } */) {
        i++;
        closed = true;
        break;
      }
      if (c === 44 /* , */) {
        if (!expectComma) problem('Unexpected ",".', i, i + 1);
        const comma = i;
        i++;
        ws();
        if (text.charCodeAt(i) === 125) problem('Remove the trailing comma: JSON does not allow it.', comma, comma + 1);
        expectComma = false;
        continue;
      }
      if (expectComma) problem('Expected "," between properties.', i, i + 1);
      if (c === 93 /* ] */ || c === 123 && text.charCodeAt(i + 1) !== 123) {
        problem(`Unexpected "${text[i]}" in an object.`, i, i + 1);
        i++;
        continue;
      }
      const ks = i;
      let key: string;
      if (c === 34) {
        key = string();
      } else {
        let e = i + 1;
        if (c === 39 /* ' */) {
          e = singleQuoted(text, i, end) || e;
          key = text.slice(i + 1, Math.max(i + 1, e - 1));
        } else {
          while (e < end && isIdent(text.charCodeAt(e))) e++;
          key = text.slice(i, e);
        }
        problem('Property names need double quotes.', i, e);
        i = e;
      }
      const keySpan = { start: ks, end: i };
      ws();
      let v: JsonNode | undefined;
      const next = text.charCodeAt(i);
      if (next === 58 /* : */) {
        i++;
        v = value(depth + 1);
        if (!v) problem('Expected a value after ":".', i - 1, i);
      } else {
        problem(`Expected ":" after "${key}".`, keySpan.start, keySpan.end);
        // Read a value that follows anyway, so one missing colon does not cascade.
        if (i < end && next !== 44 && next !== 125 && next !== 93) v = value(depth + 1);
      }
      // Two literals rather than a spread: object spreads are slow, and this runs per property.
      PROPS[propsTop++] = v ? { key, keySpan, value: v, span: { start: ks, end: v.span.end } } : { key, keySpan, span: { start: ks, end: keySpan.end } };
      expectComma = true;
    }
    if (!closed) problem('Unclosed object: add "}".', s, s + 1);
    const properties = PROPS.slice(base, propsTop);
    propsTop = base;
    return { kind: 'object', span: { start: s, end: i }, properties, closed };
  };

  const array = (depth: number): JsonNode => {
    const s = i;
    i++;
    const base = itemsTop;
    let closed = false;
    let expectComma = false;
    while (true) {
      ws();
      if (i >= end) break;
      const c = text.charCodeAt(i);
      if (c === 93) {
        i++;
        closed = true;
        break;
      }
      if (c === 44) {
        if (!expectComma) problem('Unexpected ",".', i, i + 1);
        const comma = i;
        i++;
        ws();
        if (text.charCodeAt(i) === 93) problem('Remove the trailing comma: JSON does not allow it.', comma, comma + 1);
        expectComma = false;
        continue;
      }
      if (c === 125) {
        problem('Unexpected "}" in an array.', i, i + 1);
        i++;
        continue;
      }
      if (expectComma) problem('Expected "," between items.', i, i + 1);
      const before = i;
      const v = value(depth + 1);
      if (v) ITEMS[itemsTop++] = v;
      if (i === before) i++;
      expectComma = true;
    }
    if (!closed) problem('Unclosed array: add "]".', s, s + 1);
    const items = ITEMS.slice(base, itemsTop);
    itemsTop = base;
    return { kind: 'array', span: { start: s, end: i }, items, closed };
  };

  const root = value(0);
  ws();
  if (i < end) problem('Unexpected text after the JSON value.', i, end);
  return root ? { root, problems } : { problems };
}

/**
 * The end (after the closing quote) of a single-quoted word starting at `from`, or 0 when its line or
 * the body ends first. It reads no further than that line: a long line of stray quotes stays linear.
 */
function singleQuoted(text: string, from: number, end: number): number {
  for (let j = from + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 39) return j + 1;
    if (c === 10 || c === 13) return 0;
  }
  return 0;
}

function isIdent(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c === 46 || c === 43 || c === 45;
}

/** The innermost object whose braces contain `offset`, and the property path to it from the root. */
export function objectAt(root: JsonNode | undefined, offset: number): { node: JsonNode & { kind: 'object' }; path: string[] } | undefined {
  let best: { node: JsonNode & { kind: 'object' }; path: string[] } | undefined;
  const visit = (n: JsonNode, path: string[]): void => {
    const inside = offset > n.span.start && (offset < n.span.end || (n.kind === 'object' || n.kind === 'array') && !n.closed && offset <= n.span.end);
    if (!inside) return;
    if (n.kind === 'object') {
      best = { node: n, path };
      for (const p of n.properties) if (p.value) visit(p.value, [...path, p.key]);
    } else if (n.kind === 'array') {
      for (const item of n.items) visit(item, path);
    }
  };
  if (root) visit(root, []);
  return best;
}
