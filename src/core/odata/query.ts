/**
 * Query-string level parsing: splits `name=value&…`, records ranges, and parses each known option.
 * Two entry points share one builder:
 * - `parseQueryString` for readable text as typed in a request file (raw spaces, quotes containing `&`);
 * - `parseEncodedQueryString` for what a server receives (percent-encoding, `+` for space).
 *
 * The grammar of readable text: options separated by `&`, each `name` or `name=value`. Inside a value
 * a `'…'` string may hold `&` (unless the `&` starts what looks like the next option, `&$name=`: a
 * quote left open must not swallow the rest), and a `{{…}}` request-file variable may hold anything.
 */

import {
  BooleanOption, FilterOption, KNOWN_OPTIONS, KnownOption, NumberOption, ODataSyntaxError, OrderByOption, PathListOption,
  QueryOption, QueryOptions,
} from './ast';
import { parseFilter } from './filter';
import { clipValue, holdsVariable, isWsCode, parseOrderBy, parsePathList, VARIABLE_OPEN } from './queryLists';

const KNOWN_BY_LOWER = new Map<string, KnownOption>(KNOWN_OPTIONS.map((o) => [o.toLowerCase(), o]));

const OPTION_SEPARATOR = 38; // &
const NAME_VALUE = 61; // =
const QUOTE = 39; // '
const VARIABLE_CLOSE = '}}';
/** What follows an `&` that ends an option even inside a quoted value. */
const NEXT_OPTION = /^\$[A-Za-z_][A-Za-z0-9_]*=/;

/** One `name=value` of the text: [start, end), and its first `=` (or -1). */
interface RawOption {
  readonly start: number;
  readonly end: number;
  readonly eq: number;
}

/**
 * Parses a query string without its leading `?`. Ranges are absolute (`offset` + index).
 * Never throws; problems are collected in `errors`.
 */
export function parseQueryString(input: string, offset = 0): QueryOptions {
  const text = typeof input === 'string' ? input : String(input ?? '');
  return build(text, offset, splitOptions(text), []);
}

/**
 * Readable query text as its options, in order: the name and the raw value (`null` when there is no
 * `=`), split by the grammar above; empty options (`a&&b`) are left out.
 */
export function queryPairs(text: string): { name: string; value: string | null }[] {
  const out: { name: string; value: string | null }[] = [];
  for (const o of splitOptions(text)) {
    if (o.end <= o.start) continue;
    out.push(o.eq < 0 ? { name: text.slice(o.start, o.end), value: null } : { name: text.slice(o.start, o.eq), value: text.slice(o.eq + 1, o.end) });
  }
  return out;
}

/** Splits readable query text at the `&`s that separate options (see the grammar above). */
function splitOptions(text: string): RawOption[] {
  const out: RawOption[] = [];
  // Tolerate a leading '?' (a pasted search string): it separates, like '&'.
  let start = text.startsWith('?') ? 1 : 0;
  let eq = -1;
  let inQuote = false;
  // Once no `}}` follows, no later `{{` can open a variable: stop looking (keeps this linear).
  let variablesLeft = true;
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === OPTION_SEPARATOR && (!inQuote || NEXT_OPTION.test(text.slice(i + 1)))) {
      out.push({ start, end: i, eq });
      start = i + 1;
      eq = -1;
      inQuote = false;
    } else if (c === NAME_VALUE && eq < 0) {
      eq = i;
    } else if (c === QUOTE && eq >= 0) {
      // Quotes matter in values only.
      inQuote = !inQuote;
    } else if (!inQuote && variablesLeft && text.startsWith(VARIABLE_OPEN, i)) {
      const close = text.indexOf(VARIABLE_CLOSE, i + VARIABLE_OPEN.length);
      if (close >= 0) {
        i = close + VARIABLE_CLOSE.length;
        continue;
      }
      variablesLeft = false;
    }
    i++;
  }
  out.push({ start, end: text.length, eq });
  return out;
}

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
  const pieces: RawOption[] = [];
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
    pieces.push({ start: pieceStart, end: dlen, eq });
    if (amp >= raw.length) break;
    parts.push('&');
    dlen++;
    rawPos = amp + 1;
  }
  const text = parts.join('');
  const q = build(text, offset, pieces, errors);
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

/** The options of a split query: each one's ranges, and the known ones parsed. */
function build(text: string, offset: number, raw: readonly RawOption[], errors: ODataSyntaxError[]): QueryOptions {
  const options: QueryOption[] = [];
  const unknown: QueryOption[] = [];
  const parsed: {
    filter?: FilterOption; select?: PathListOption; expand?: PathListOption; orderby?: OrderByOption;
    top?: NumberOption; skip?: NumberOption; count?: BooleanOption; metadata?: BooleanOption;
  } = { filter: undefined, select: undefined, expand: undefined, orderby: undefined, top: undefined, skip: undefined, count: undefined, metadata: undefined };
  for (const r of raw) {
    let s = r.start;
    let e = r.end;
    while (s < e && isWsCode(text.charCodeAt(s))) s++;
    while (e > s && isWsCode(text.charCodeAt(e - 1))) e--;
    if (s === e) continue; // `&&` or a trailing `&`
    const hasEquals = r.eq >= s && r.eq < e;
    let nameEnd = hasEquals ? r.eq : e;
    while (nameEnd > s && isWsCode(text.charCodeAt(nameEnd - 1))) nameEnd--;
    let valueStart = hasEquals ? r.eq + 1 : e;
    // Leading spaces after '=' are not part of the value (continuation lines often indent).
    while (valueStart < e && isWsCode(text.charCodeAt(valueStart))) valueStart++;
    const name = text.slice(s, nameEnd);
    const known = KNOWN_BY_LOWER.get(name.toLowerCase());
    const option: QueryOption = {
      name, known, hasEquals,
      start: offset + s, end: offset + e, nameStart: offset + s, nameEnd: offset + nameEnd,
      value: text.slice(valueStart, e), valueStart: offset + valueStart, valueEnd: offset + e,
    };
    options.push(option);
    if (!known) {
      if (name === '') errors.push({ code: 'syntax', message: 'Missing option name before \'=\'', start: option.start, end: option.start + 1 });
      unknown.push(option);
      continue;
    }
    const key = known.slice(1) as keyof typeof parsed;
    if (parsed[key]) {
      errors.push({ code: 'duplicate-option', message: `${known} is given more than once; only the first is used`, start: option.nameStart, end: option.nameEnd });
      continue;
    }
    if (!hasEquals) {
      errors.push({ code: 'syntax', message: `Expected '=' and a value after ${name}`, start: option.nameStart, end: option.nameEnd });
    }
    switch (known) {
      case '$filter': {
        if (!hasEquals) {
          parsed.filter = { option };
          break;
        }
        const r = parseFilter(option.value, option.valueStart);
        for (const e of r.errors) errors.push(e);
        parsed.filter = r.expr ? { option, expr: r.expr } : { option };
        break;
      }
      case '$select': parsed.select = { option, items: parsePathList(option, false, errors) }; break;
      case '$expand': parsed.expand = { option, items: parsePathList(option, true, errors) }; break;
      case '$orderby': parsed.orderby = { option, items: parseOrderBy(option, errors) }; break;
      case '$top': parsed.top = parseNumberOption(option, errors, hasEquals); break;
      case '$skip': parsed.skip = parseNumberOption(option, errors, hasEquals); break;
      case '$count': parsed.count = parseBooleanOption(option, errors, hasEquals); break;
      case '$metadata': parsed.metadata = parseBooleanOption(option, errors, hasEquals); break;
    }
  }
  const { filter, select, expand, orderby, top, skip, count, metadata } = parsed;
  return { text, offset, options, unknown, errors, filter, select, expand, orderby, top, skip, count, metadata };
}

function parseNumberOption(option: QueryOption, errors: ODataSyntaxError[], hasEquals: boolean): NumberOption {
  const v = option.value;
  if (holdsVariable(v)) return { option, variable: true };
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

function isWholeNumber(v: string): boolean {
  return /^[+-]?\d+$/.test(v);
}

function parseBooleanOption(option: QueryOption, errors: ODataSyntaxError[], hasEquals: boolean): BooleanOption {
  const v = option.value;
  if (holdsVariable(v)) return { option, variable: true };
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
