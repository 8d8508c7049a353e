/**
 * Query-string level parsing: splits `name=value&…`, records ranges, and parses each known option.
 * Two entry points share one builder:
 * - `parseQueryString` for readable text as typed in a request file (raw spaces, quotes containing `&`);
 * - `parseEncodedQueryString` for what a server receives (percent-encoding, `+` for space).
 */

import {
  BooleanOption, FilterOption, KNOWN_OPTIONS, KnownOption, NumberOption, ODataSyntaxError, OrderByItem,
  OrderByOption, PathItem, PathListOption, PathSegment, QueryOption, QueryOptions,
} from './ast';
import { parseFilter } from './filter';
import { EMPTY_LIST as EMPTY, Scratch } from '../scratch';

const KNOWN_BY_LOWER = new Map<string, KnownOption>(KNOWN_OPTIONS.map((o) => [o.toLowerCase(), o]));

/**
 * The known option written exactly (same case) at [s, e), without slicing it out. By char codes:
 * `startsWith` at an offset of a sliced string (every query text is one) cost more per call than
 * reading the few characters, and with the second character choosing among the 7-letter names each
 * option is compared with one candidate only.
 */
function knownAt(text: string, s: number, e: number): KnownOption | undefined {
  if (text.charCodeAt(s) !== 36 /* $ */) return undefined;
  switch (e - s) {
    case 4: return sameAt(text, s, '$top') ? '$top' : undefined;
    case 5: return sameAt(text, s, '$skip') ? '$skip' : undefined;
    case 6: return sameAt(text, s, '$count') ? '$count' : undefined;
    case 7: {
      const c = text.charCodeAt(s + 1);
      if (c === 102 /* f */) return sameAt(text, s, '$filter') ? '$filter' : undefined;
      if (c === 115 /* s */) return sameAt(text, s, '$select') ? '$select' : undefined;
      if (c === 101 /* e */) return sameAt(text, s, '$expand') ? '$expand' : undefined;
      return undefined;
    }
    case 8: return sameAt(text, s, '$orderby') ? '$orderby' : undefined;
    case 9: return sameAt(text, s, '$metadata') ? '$metadata' : undefined;
    default: return undefined;
  }
}

/** Whether `word` is written at `s` in `text` (its first character, `$`, is already checked). */
function sameAt(text: string, s: number, word: string): boolean {
  for (let k = 1; k < word.length; k++) if (text.charCodeAt(s + k) !== word.charCodeAt(k)) return false;
  return true;
}

/** `&$name=` (or `&name=`) inside a quoted value still ends the option: a quote left open must not swallow the rest. */
const OPTION_START = /[$]?[A-Za-z_][A-Za-z0-9_]*=/y;

/**
 * Parses a query string without its leading `?`. Ranges are absolute (`offset` + index).
 * Never throws; problems are collected in `errors`.
 */
export function parseQueryString(input: string, offset = 0): QueryOptions {
  const text = typeof input === 'string' ? input : String(input ?? '');
  // Flat [start, end, eq] triples in a reused scratch list: no object, and no list, per query.
  const pieces = PIECES;
  let np = 0;
  const n = text.length;
  let inQuote = false;
  let pieceStart = 0;
  let i = 0;
  let eq = -1;
  let nextClose = -2; // -2: not searched yet; -1: no '}}' after the last search
  // Tolerate a leading '?' (a pasted search string): it separates, like '&'.
  if (text.charCodeAt(0) === 63 /* ? */) {
    pieceStart = 1;
    i = 1;
  }
  // The characters that matter are found with indexOf, one search per kind, each remembered until
  // the scan passes it: a query is mostly names and values, and reading every character of it by
  // charCodeAt is slow here because query texts are slices of the request file (each read goes
  // through the slice), where indexOf searches the underlying text natively. Measured on the 1 MB
  // benchmark file: about 8 searches per query instead of ~60 character reads, half the splitter's
  // time. The order of events, and what each does, is that of a left-to-right character scan:
  // `'` toggles the quote only after the piece's '=', `{{` (outside a quote) skips a variable when
  // a `}}` follows, the first '=' of a piece is its separator, and '&' ends a piece.
  let nAmp = -1; // next '&' at or after i (n: none); -1: not searched yet
  let nEq = -1; // next '=' (searched only while the piece has none)
  let nQuote = -1; // next "'" (searched only after the piece's '=')
  let nVar = -1; // next '{{' (searched only outside a quote); n once there is no '}}' left
  for (;;) {
    if (nAmp < i) nAmp = find(text, '&', i, n);
    let p = nAmp;
    let kind = 0; // 0 '&', 1 '=', 2 quote, 3 '{{'
    if (eq < 0) {
      if (nEq < i) nEq = find(text, '=', i, n);
      if (nEq < p) {
        p = nEq;
        kind = 1;
      }
    } else {
      if (nQuote < i) nQuote = find(text, "'", i, n);
      if (nQuote < p) {
        p = nQuote;
        kind = 2;
      }
    }
    if (!inQuote) {
      if (nVar < i) nVar = find(text, '{{', i, n);
      if (nVar < p) {
        p = nVar;
        kind = 3;
      }
    }
    if (p >= n) break;
    i = p + 1;
    if (kind === 1) {
      eq = p;
    } else if (kind === 2) {
      inQuote = !inQuote;
    } else if (kind === 3) {
      // A request-file variable may hold any character; skip to its end. The search result is
      // remembered, so many unclosed `{{` cannot make this quadratic.
      if (nextClose !== -1 && nextClose < p + 2) nextClose = text.indexOf('}}', p + 2);
      if (nextClose >= 0) i = nextClose + 2;
      else nVar = n; // no '}}' after here: no later '{{' can start a variable either
    } else {
      let split = !inQuote;
      if (inQuote) {
        OPTION_START.lastIndex = p + 1;
        split = text.charCodeAt(p + 1) === 36 /* $ */ && OPTION_START.test(text);
      }
      if (split) {
        pieces[np++] = pieceStart;
        pieces[np++] = p;
        pieces[np++] = eq;
        eq = -1;
        inQuote = false;
        pieceStart = p + 1;
      }
    }
  }
  pieces[np++] = pieceStart;
  pieces[np++] = n;
  pieces[np++] = eq;
  return build(text, offset, pieces, np, undefined);
}

/**
 * Scratch lists reused by every parse (the parser never re-enters itself). A list literal grown by
 * push reserves 17 slots (about 180 bytes) on its first push; a 1 MB request file parses thousands
 * of queries, and those throwaway lists were most of what a small query allocated. Results are
 * copied out at their exact length (`take`), or share the one empty list.
 */
const PIECES: number[] = [];

/** The next index of `what` in `text` from `from`, or `n` (the text's length) when there is none. */
function find(text: string, what: string, from: number, n: number): number {
  const at = text.indexOf(what, from);
  return at < 0 ? n : at;
}

const ERRORS: ODataSyntaxError[] = [];
const OPTIONS = new Scratch<QueryOption>();
const UNKNOWN = new Scratch<QueryOption>();
const PATH_ITEMS = new Scratch<PathItem>();
const ORDER_ITEMS = new Scratch<OrderByItem>();

/** Result of `parseEncodedQueryString`: ranges refer to `text`, the decoded query. */
export interface EncodedQueryOptions extends QueryOptions {
  /** The query as received (without `?`). */
  readonly raw: string;
  /** Maps an absolute position in the decoded `text` to the matching absolute position in `raw`. */
  rawPosition(decodedPos: number): number;
}

/**
 * Parses a URL-encoded query string as a server receives it (a leading `?` is allowed). Names and
 * values are percent-decoded and `+` means a space (form encoding, as ASP.NET reads it; a literal
 * plus arrives as `%2B`). Positions refer to the decoded text, so an error column is a column of the
 * value the user wrote: `pos - option.valueStart + 1`. `rawPosition` maps back when needed.
 */
export function parseEncodedQueryString(rawSearch: string, offset = 0): EncodedQueryOptions {
  let raw = typeof rawSearch === 'string' ? rawSearch : String(rawSearch ?? '');
  let base = 0;
  if (raw.startsWith('?')) {
    raw = raw.slice(1);
    base = 1;
  }
  const parts: string[] = [];
  // Position map as anchors: from an anchor on, decoded index d maps to raw index r + (d - anchor.d),
  // or to r itself inside a collapsed %XX run. Only escapes add anchors, so plain text costs nothing.
  const anchors: Anchor[] = [{ d: 0, r: base, flat: false }];
  const errors: ODataSyntaxError[] = [];
  const pieces: number[] = [];
  let dlen = 0;
  const decodeInto = (rawStart: number, rawEnd: number) => {
    let chunk = rawStart;
    const flushChunk = (to: number) => {
      if (to > chunk) {
        // '+' is a space in form encoding; it keeps the length, so no anchor is needed.
        const piece = raw.slice(chunk, to);
        parts.push(piece.includes('+') ? piece.replace(/\+/g, ' ') : piece);
        dlen += to - chunk;
      }
      chunk = to;
    };
    let i = rawStart;
    while (i < rawEnd) {
      const pct = raw.indexOf('%', i);
      if (pct < 0 || pct >= rawEnd) break;
      flushChunk(pct);
      // Collect a run of %XX bytes so multi-byte UTF-8 decodes as one character.
      const bytes: number[] = [];
      let j = pct;
      while (j + 2 < rawEnd && raw.charCodeAt(j) === 37 && isHex(raw.charCodeAt(j + 1)) && isHex(raw.charCodeAt(j + 2))) {
        bytes.push(parseInt(raw.slice(j + 1, j + 3), 16));
        j += 3;
      }
      if (bytes.length === 0) {
        // A lone '%': kept as it is (length-preserving), reported.
        errors.push({ code: 'bad-encoding', message: `Malformed percent-encoding '${raw.slice(pct, Math.min(pct + 3, rawEnd))}'`, start: offset + dlen, end: offset + dlen + 1 });
        i = pct + 1;
        flushChunk(i);
        continue;
      }
      const decoded = Buffer.from(bytes).toString('utf8');
      if (decoded.includes('\uFFFD') && !raw.slice(pct, j).toUpperCase().includes('%EF%BF%BD')) {
        errors.push({ code: 'bad-encoding', message: 'Invalid UTF-8 in percent-encoding', start: offset + dlen, end: offset + dlen + decoded.length });
      }
      // Every decoded unit of the run maps to the run's start; after it, mapping resumes 1:1.
      anchors.push({ d: dlen, r: pct + base, flat: true });
      parts.push(decoded);
      dlen += decoded.length;
      anchors.push({ d: dlen, r: j + base, flat: false });
      i = j;
      chunk = j;
    }
    flushChunk(rawEnd);
  };
  let rawPos = 0;
  for (;;) {
    let amp = raw.indexOf('&', rawPos);
    if (amp < 0) amp = raw.length;
    const pieceStart = dlen;
    let rawEq = raw.indexOf('=', rawPos);
    if (rawEq >= amp) rawEq = -1;
    let eq = -1;
    if (rawEq < 0) {
      decodeInto(rawPos, amp);
    } else {
      decodeInto(rawPos, rawEq);
      eq = dlen;
      decodeInto(rawEq, amp); // the '=' itself passes through unchanged
    }
    pieces.push(pieceStart, dlen, eq);
    if (amp >= raw.length) break;
    parts.push('&');
    dlen++;
    rawPos = amp + 1;
  }
  const text = parts.join('');
  const q = build(text, offset, pieces, pieces.length, errors);
  return {
    ...q,
    raw,
    rawPosition: (pos: number) => {
      const d = Math.max(0, Math.min(pos - offset, text.length));
      // Binary search for the last anchor at or before d.
      let lo = 0;
      let hi = anchors.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (anchors[mid].d <= d) lo = mid;
        else hi = mid - 1;
      }
      const a = anchors[lo];
      return offset + (a.flat ? a.r : Math.min(a.r + (d - a.d), raw.length + base));
    },
  };
}

interface Anchor {
  readonly d: number;
  readonly r: number;
  readonly flat: boolean;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function build(text: string, offset: number, pieces: readonly number[], np: number, initialErrors: ODataSyntaxError[] | undefined): QueryOptions {
  // Errors are rare: a scratch list (reset, which costs nothing while it is empty), copied out only
  // when there are some.
  const errors = ERRORS;
  // Setting a length is a call into the runtime: only when there is something to drop.
  if (errors.length !== 0) errors.length = 0;
  if (initialErrors) for (const e of initialErrors) errors.push(e);
  const options = OPTIONS;
  const unknown = UNKNOWN;
  options.n = 0;
  unknown.n = 0;
  // The options found so far, in locals rather than a temporary object (one less per query).
  let filter: FilterOption | undefined;
  let select: PathListOption | undefined;
  let expand: PathListOption | undefined;
  let orderby: OrderByOption | undefined;
  let top: NumberOption | undefined;
  let skip: NumberOption | undefined;
  let count: BooleanOption | undefined;
  let metadata: BooleanOption | undefined;
  for (let k = 0; k < np; k += 3) {
    let s = pieces[k];
    let e = pieces[k + 1];
    const eq = pieces[k + 2];
    while (s < e && isWsCode(text.charCodeAt(s))) s++;
    while (e > s && isWsCode(text.charCodeAt(e - 1))) e--;
    if (s === e) continue; // `&&` or a trailing `&`
    const hasEquals = eq >= 0 && eq >= s && eq < e;
    let nameEnd = hasEquals ? eq : e;
    while (nameEnd > s && isWsCode(text.charCodeAt(nameEnd - 1))) nameEnd--;
    let valueStart = hasEquals ? eq + 1 : e;
    // Leading spaces after '=' are not part of the value (continuation lines often indent).
    while (valueStart < e && isWsCode(text.charCodeAt(valueStart))) valueStart++;
    // Options are nearly always written as they are documented: then the name is the constant
    // string (no slice), else it is looked up case-insensitively.
    let known = knownAt(text, s, nameEnd);
    const name = known ?? text.slice(s, nameEnd);
    if (known === undefined) known = KNOWN_BY_LOWER.get(name.toLowerCase());
    const option: QueryOption = {
      name, known, hasEquals,
      start: offset + s, end: offset + e, nameStart: offset + s, nameEnd: offset + nameEnd,
      value: text.slice(valueStart, e), valueStart: offset + valueStart, valueEnd: offset + e,
    };
    options.add(option);
    if (!known) {
      if (name === '') errors.push({ code: 'syntax', message: 'Missing option name before \'=\'', start: option.start, end: option.start + 1 });
      unknown.add(option);
      continue;
    }
    const seen = known === '$filter' ? filter : known === '$select' ? select : known === '$expand' ? expand
      : known === '$orderby' ? orderby : known === '$top' ? top : known === '$skip' ? skip : known === '$count' ? count : metadata;
    if (seen) {
      errors.push({ code: 'duplicate-option', message: `${known} is given more than once; only the first is used`, start: option.nameStart, end: option.nameEnd });
      continue;
    }
    if (!hasEquals) {
      errors.push({ code: 'syntax', message: `Expected '=' and a value after ${name}`, start: option.nameStart, end: option.nameEnd });
    }
    switch (known) {
      case '$filter': {
        if (!hasEquals) {
          filter = { option };
          break;
        }
        const r = parseFilter(option.value, option.valueStart);
        for (const e of r.errors) errors.push(e);
        filter = r.expr ? { option, expr: r.expr } : { option };
        break;
      }
      case '$select':
        select = { option, items: parsePathList(option, false, errors) };
        break;
      case '$expand':
        expand = { option, items: parsePathList(option, true, errors) };
        break;
      case '$orderby':
        orderby = { option, items: parseOrderBy(option, errors) };
        break;
      case '$top':
        top = parseNumberOption(option, errors, hasEquals);
        break;
      case '$skip':
        skip = parseNumberOption(option, errors, hasEquals);
        break;
      case '$count':
        count = parseBooleanOption(option, errors, hasEquals);
        break;
      case '$metadata':
        metadata = parseBooleanOption(option, errors, hasEquals);
        break;
    }
  }
  return {
    text, offset, options: options.take(), unknown: unknown.take(), errors: errors.length ? errors.slice() : EMPTY,
    filter, select, expand, orderby, top, skip, count, metadata,
  };
}

const VARIABLE_ONLY = /^(?:\s*\{\{[^}]*\}\}\s*)+$/;

function parseNumberOption(option: QueryOption, errors: ODataSyntaxError[], hasEquals: boolean): NumberOption {
  const v = option.value;
  if (v.includes('{{')) return { option, variable: true };
  if (isWholeNumber(v)) return { option, value: Number(v) };
  if (hasEquals) {
    errors.push({
      code: 'bad-number',
      message: v === '' ? `${option.name} needs a whole number` : `${option.name} must be a whole number, not '${clipValue(v)}'`,
      start: option.valueStart, end: Math.max(option.valueEnd, option.valueStart),
    });
  }
  return { option };
}

/** `/^[+-]?\d+$/.test(v)` by char codes: a regex call costs more than reading the few digits of a `$top`. */
function isWholeNumber(v: string): boolean {
  const n = v.length;
  let i = n > 0 && (v.charCodeAt(0) === 43 /* + */ || v.charCodeAt(0) === 45 /* - */) ? 1 : 0;
  if (i === n) return false;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function parseBooleanOption(option: QueryOption, errors: ODataSyntaxError[], hasEquals: boolean): BooleanOption {
  const v = option.value;
  if (VARIABLE_ONLY.test(v)) return { option, variable: true };
  if (v === 'true' || v === 'false') return { option, value: v === 'true' };
  if (hasEquals) {
    errors.push({
      code: 'bad-boolean',
      message: `${option.name} must be true or false, not '${clipValue(v)}'`,
      start: option.valueStart, end: option.valueEnd,
    });
  }
  return { option };
}

function clipValue(s: string): string {
  return s.length > 30 ? `${s.slice(0, 27)}...` : s;
}

const PATH_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:[./][A-Za-z_][A-Za-z0-9_]*)*$/;

function segmentsOf(text: string, absStart: number): PathSegment[] {
  const segs: PathSegment[] = [];
  let s = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === '.' || text[i] === '/') {
      segs.push({ name: text.slice(s, i), start: absStart + s, end: absStart + i });
      s = i + 1;
    }
  }
  return segs;
}

/**
 * Top-level comma positions of a value, as [itemStart, itemEnd) pairs trimmed of blanks, written into
 * a reused scratch array (no per-item objects): every `$select`, `$expand` and `$orderby` of a large
 * file goes through here.
 */
const bounds: number[] = [];

function splitBounds(value: string): number {
  const n = value.length;
  // Without '(' every comma splits: find them with indexOf rather than reading each character
  // (values are slices of the request file; see parseQueryString).
  const nested = value.indexOf('(') >= 0;
  let count = 0;
  let start = 0;
  for (;;) {
    const comma = nested ? topLevelComma(value, start) : value.indexOf(',', start);
    const end = comma < 0 ? n : comma;
    let s = start;
    let e = end;
    while (s < e && isWsCode(value.charCodeAt(s))) s++;
    while (e > s && isWsCode(value.charCodeAt(e - 1))) e--;
    bounds[count * 3] = s;
    bounds[count * 3 + 1] = e;
    bounds[count * 3 + 2] = comma < 0 ? 0 : 1;
    count++;
    if (comma < 0) return count;
    start = end + 1;
  }
}

/**
 * The next comma outside parentheses from `from` (an item's start, where the depth is 0), or -1. A
 * `)` without its `(` does not go below 0; a `(` left open keeps the rest of the value in one item.
 */
function topLevelComma(value: string, from: number): number {
  let depth = 0;
  for (let i = from; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 40 /* ( */) depth++;
    else if (c === 41 /* ) */) depth = depth > 0 ? depth - 1 : 0;
    else if (c === 44 /* , */ && depth === 0) return i;
  }
  return -1;
}

function isWsCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNamePart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** The `.`-joined form of the path `readPath` read last, and where it ended (results without a wrapper object). */
let simplePathText = '';
let readEnd = 0;

/**
 * Reads a plain or dotted path (what PATH_RE accepts) from `s`, in one pass: its segments, or
 * undefined when [s, e) does not start with a name or a separator is not followed by one. It stops
 * at the first character that cannot continue the path and leaves that offset in `readEnd`.
 */
function readPath(value: string, s: number, e: number, base: number): PathSegment[] | undefined {
  let segStart = s;
  let slash = false;
  let first: PathSegment | undefined;
  let more: PathSegment[] | undefined;
  let i = s;
  for (;;) {
    if (i >= e || !isNameStart(value.charCodeAt(i))) return undefined;
    i++;
    while (i < e && isNamePart(value.charCodeAt(i))) i++;
    const seg = { name: value.slice(segStart, i), start: base + segStart, end: base + i };
    if (!first) first = seg;
    else if (!more) more = [first, seg];
    else more.push(seg);
    const c = i < e ? value.charCodeAt(i) : -1;
    if (c !== 46 /* . */ && c !== 47 /* / */) break;
    if (c === 47) slash = true;
    segStart = ++i;
  }
  readEnd = i;
  // A one-element literal, not a pushed-to array (which reserves 17 slots): most paths are one name.
  if (!more) {
    simplePathText = first.name;
    return [first];
  }
  const text = value.slice(s, i);
  simplePathText = slash ? text.replace(/\//g, '.') : text;
  return more;
}

function parsePathList(option: QueryOption, allowNested: boolean, errors: ODataSyntaxError[]): PathItem[] {
  if (!option.hasEquals) return [];
  const items = PATH_ITEMS;
  items.n = 0;
  const base = option.valueStart;
  const value = option.value;
  const count = splitBounds(value);
  for (let k = 0; k < count; k++) {
    const start = bounds[k * 3];
    const end = bounds[k * 3 + 1];
    const abs = base + start;
    if (start === end) {
      // An empty item is only possible next to a comma, or when the whole value is blank.
      errors.push({ code: 'syntax', message: `Empty item in ${option.name}: expected a field name`, start: abs, end: abs + bounds[k * 3 + 2] });
      continue;
    }
    // The usual item, a plain or dotted field name: no slices beyond the names themselves.
    const simple = readPath(value, start, end, base);
    if (simple && readEnd === end) {
      items.add({ path: simplePathText, segments: simple, start: abs, end: base + end });
      continue;
    }
    let text = value.slice(start, end);
    let nested: PathItem['nested'];
    const paren = text.indexOf('(');
    if (paren >= 0 && allowNested) {
      const close = text.lastIndexOf(')');
      nested = { start: abs + paren, end: abs + (close > paren ? close + 1 : text.length), text: text.slice(paren, close > paren ? close + 1 : text.length) };
      if (close < paren) errors.push({ code: 'syntax', message: "Missing ')' in $expand", start: abs + paren, end: abs + paren + 1 });
      text = text.slice(0, paren).replace(/\s+$/, '');
    }
    if (text === '*') {
      const star = { path: '*', segments: [{ name: '*', start: abs, end: abs + 1 }], start: abs, end: abs + 1 };
      items.add(nested ? { ...star, nested } : star);
      continue;
    }
    if (!PATH_RE.test(text)) {
      errors.push({ code: 'syntax', message: `'${clipValue(text)}' is not a field name or dotted path in ${option.name}`, start: abs, end: abs + text.length });
    }
    const segments = segmentsOf(text, abs);
    const path = text.includes('/') ? text.replace(/\//g, '.') : text;
    items.add(nested ? { path, segments, start: abs, end: abs + text.length, nested } : { path, segments, start: abs, end: abs + text.length });
  }
  return items.take();
}

function parseOrderBy(option: QueryOption, errors: ODataSyntaxError[]): OrderByItem[] {
  if (!option.hasEquals) return [];
  const items = ORDER_ITEMS;
  items.n = 0;
  const base = option.valueStart;
  const value = option.value;
  const count = splitBounds(value);
  for (let k = 0; k < count; k++) {
    const start = bounds[k * 3];
    const end = bounds[k * 3 + 1];
    const abs = base + start;
    if (start === end) {
      errors.push({ code: 'syntax', message: 'Empty item in $orderby: expected a field name', start: abs, end: abs + bounds[k * 3 + 2] });
      continue;
    }
    // The usual item: `path`, or `path asc|desc` with blanks between, checked by char codes.
    const segments = readPath(value, start, end, base);
    const pe = segments ? readEnd : -1;
    if (segments && (pe === end || value.charCodeAt(pe) === 32 || value.charCodeAt(pe) === 9)) {
      let ds = pe;
      while (ds < end && (value.charCodeAt(ds) === 32 || value.charCodeAt(ds) === 9)) ds++;
      let de = ds;
      while (de < end && isNamePart(value.charCodeAt(de))) de++;
      // The direction as one of the two constant strings (no slice per item).
      const dirWord = de !== end || ds === end ? undefined
        : de - ds === 3 && value.startsWith('asc', ds) ? 'asc' as const
          : de - ds === 4 && value.startsWith('desc', ds) ? 'desc' as const : undefined;
      if (pe === end || dirWord !== undefined) {
        items.add(dirWord
          ? { path: simplePathText, segments, dir: dirWord, dirRange: { start: base + ds, end: base + de }, start: abs, end: base + end }
          : { path: simplePathText, segments, dir: 'asc', start: abs, end: base + end });
        continue;
      }
    }
    orderByItem(value.slice(start, end), abs, errors, items);
  }
  return items.take();
}

/** Any other `$orderby` item, with its errors (the general, regex-based reading). */
function orderByItem(text: string, abs: number, errors: ODataSyntaxError[], items: Scratch<OrderByItem>): void {
  const m = /^(\S+)(?:\s+(\S+))?(\s+.*)?$/s.exec(text);
  if (!m) return;
  const pathText = m[1];
  if (!PATH_RE.test(pathText)) {
    errors.push({ code: 'syntax', message: `'${clipValue(pathText)}' is not a field name in $orderby`, start: abs, end: abs + pathText.length });
  }
  let dir: 'asc' | 'desc' = 'asc';
  let dirRange: OrderByItem['dirRange'];
  if (m[2] !== undefined) {
    const dStart = abs + text.indexOf(m[2], pathText.length);
    dirRange = { start: dStart, end: dStart + m[2].length };
    const lower = m[2].toLowerCase();
    if (lower === 'asc' || lower === 'desc') {
      dir = lower;
      if (lower !== m[2]) errors.push({ code: 'syntax', message: `Write '${lower}' in lowercase`, ...dirRange });
    } else {
      errors.push({ code: 'syntax', message: `Expected asc or desc after '${pathText}', not '${clipValue(m[2])}'`, ...dirRange });
    }
  }
  if (m[3] !== undefined) {
    const extraStart = abs + text.length - m[3].trimStart().length;
    errors.push({ code: 'syntax', message: "Unexpected text in $orderby: separate fields with ','", start: extraStart, end: abs + text.length });
  }
  const segments = segmentsOf(pathText, abs);
  const path = pathText.includes('/') ? pathText.replace(/\//g, '.') : pathText;
  items.add(dirRange ? { path, segments, dir, dirRange, start: abs, end: abs + text.length } : { path, segments, dir, start: abs, end: abs + text.length });
}
