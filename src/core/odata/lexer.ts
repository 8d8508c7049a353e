/**
 * Tokenizer for `$filter` text: a pull scanner (`Scanner.next()`) over char codes, so the parser
 * holds only a one-token lookahead and large inputs do not build big token arrays. Linear in the
 * input: every step consumes at least one character and never looks back.
 */

import { PathSegment } from './ast';

export type TokenKind =
  | 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'variable'
  | 'lparen' | 'rparen' | 'comma' | 'unknown' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Absolute offsets. */
  readonly start: number;
  readonly end: number;
  /** Source text of the token. */
  readonly text: string;
  /** ident: path segments, only when the path has more than one (`customer.name`); else the text is the name. */
  readonly segments?: readonly PathSegment[];
  /** string: unescaped value; number: numeric value; variable: the name. */
  readonly value?: string | number;
  readonly terminated?: boolean;
  readonly integer?: boolean;
  readonly zone?: string;
}

// Character classes as a lookup table: the scanner runs per keystroke and over megabytes in benchmarks.
const CLASS = new Uint8Array(128);
const C_WS = 1;
const C_START = 2;
const C_PART = 4;
const C_DIGIT = 8;
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/\s/.test(ch)) CLASS[c] |= C_WS;
  if (/[A-Za-z_$]/.test(ch)) CLASS[c] |= C_START;
  if (/[A-Za-z0-9_]/.test(ch)) CLASS[c] |= C_PART;
  if (/[0-9]/.test(ch)) CLASS[c] |= C_DIGIT;
}

function isWsCode(c: number): boolean {
  return c < 128 ? (CLASS[c] & C_WS) !== 0 : c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;
}
function isStartCode(c: number): boolean {
  return c < 128 && (CLASS[c] & C_START) !== 0;
}
function isPartCode(c: number): boolean {
  return c < 128 && (CLASS[c] & C_PART) !== 0;
}
function isDigitCode(c: number): boolean {
  return c < 128 && (CLASS[c] & C_DIGIT) !== 0;
}

export function isIdentStart(ch: string): boolean {
  return ch.length > 0 && isStartCode(ch.charCodeAt(0));
}

export function isIdentPart(ch: string): boolean {
  return ch.length > 0 && isPartCode(ch.charCodeAt(0));
}

// A date, optionally followed by a time and a zone. Lengths are bounded, so each match is O(1).
const DATE_RE = /(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:\d{2})?)?(?![\w:.-])/y;
const BAD_DATE_RE = /\d{4}-\d{2}-\d{2}[\w:.+-]*/y;

const CH_QUOTE = 39; // '
const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_LBRACE = 123;
const CH_E = 101;
const CH_UPPER_E = 69;
const CH_PLUS = 43;
const CH_COLON = 58;

/** Every token has the same shape (absent facts are undefined), which keeps the parser's property reads fast. */
function tok(
  kind: TokenKind, start: number, end: number, text: string, segments?: readonly PathSegment[],
  value?: string | number, terminated?: boolean, integer?: boolean, zone?: string,
): Token {
  return { kind, start, end, text, segments, value, terminated, integer, zone };
}

const PUNCT: Record<number, Token['kind']> = { [CH_LPAREN]: 'lparen', [CH_RPAREN]: 'rparen', [CH_COMMA]: 'comma' };

/** Pull-based scanner; `next()` returns `eof` forever once the text is consumed. */
export class Scanner {
  private i = 0;
  private readonly n: number;

  constructor(private readonly text: string, private readonly offset = 0) {
    this.n = text.length;
  }

  next(): Token {
    const { text, n, offset } = this;
    let i = this.i;
    while (i < n && isWsCode(text.charCodeAt(i))) i++;
    if (i >= n) {
      this.i = n;
      return tok('eof', offset + n, offset + n, '');
    }
    const start = i;
    const c = text.charCodeAt(i);
    const punct = PUNCT[c];
    if (punct) {
      this.i = i + 1;
      return tok(punct, offset + i, offset + i + 1, text[i]);
    }
    if (c === CH_QUOTE) return this.string(i);
    if (c === CH_LBRACE && text.charCodeAt(i + 1) === CH_LBRACE) {
      const close = text.indexOf('}}', i + 2);
      const end = close < 0 ? n : close + 2;
      this.i = end;
      return tok('variable', offset + i, offset + end, text.slice(i, end), undefined, text.slice(i + 2, close < 0 ? n : close).trim(), close >= 0);
    }
    const digit = isDigitCode(c);
    if (digit || (c === CH_MINUS && isDigitCode(text.charCodeAt(i + 1)))) {
      if (digit && text.charCodeAt(i + 4) === CH_MINUS) {
        DATE_RE.lastIndex = i;
        const m = DATE_RE.exec(text);
        if (m) {
          this.i = DATE_RE.lastIndex;
          return tok(m[2] !== undefined ? 'datetime' : 'date', offset + start, offset + this.i, m[0], undefined, undefined, undefined, undefined, m[3]);
        }
        // Something date-like but malformed (`2016-01-01T9`): one bad token, so the error names all of it.
        BAD_DATE_RE.lastIndex = i;
        const bad = BAD_DATE_RE.exec(text);
        if (bad) {
          this.i = BAD_DATE_RE.lastIndex;
          return tok('unknown', offset + start, offset + this.i, bad[0]);
        }
      }
      return this.number(i);
    }
    if (isStartCode(c)) return this.ident(i);
    // Anything else (operators like `=`, `>`, stray symbols) is one unknown token up to the next boundary.
    i++;
    while (i < n) {
      const d = text.charCodeAt(i);
      if (isWsCode(d) || d === CH_LPAREN || d === CH_RPAREN || d === CH_COMMA || d === CH_QUOTE || isPartCode(d)) break;
      i++;
    }
    this.i = i;
    return tok('unknown', offset + start, offset + i, text.slice(start, i));
  }

  private string(start: number): Token {
    const { text, n, offset } = this;
    // '' inside a string is an escaped quote.
    let i = start + 1;
    let terminated = false;
    let escaped = false;
    while (i < n) {
      const q = text.indexOf("'", i);
      if (q < 0) {
        i = n;
        break;
      }
      if (text.charCodeAt(q + 1) === CH_QUOTE) {
        escaped = true;
        i = q + 2;
        continue;
      }
      i = q + 1;
      terminated = true;
      break;
    }
    this.i = i;
    const inner = text.slice(start + 1, terminated ? i - 1 : i);
    return tok('string', offset + start, offset + i, text.slice(start, i), undefined, escaped ? inner.replace(/''/g, "'") : inner, terminated);
  }

  private number(start: number): Token {
    const { text, n, offset } = this;
    let i = start;
    if (text.charCodeAt(i) === CH_MINUS) i++;
    while (i < n && isDigitCode(text.charCodeAt(i))) i++;
    let integer = true;
    if (text.charCodeAt(i) === CH_DOT && isDigitCode(text.charCodeAt(i + 1))) {
      integer = false;
      i++;
      while (i < n && isDigitCode(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === CH_E || e === CH_UPPER_E) {
      let j = i + 1;
      const sign = text.charCodeAt(j);
      if (sign === CH_PLUS || sign === CH_MINUS) j++;
      if (isDigitCode(text.charCodeAt(j))) {
        integer = false;
        i = j;
        while (i < n && isDigitCode(text.charCodeAt(i))) i++;
      }
    }
    // A number glued to letters (`12abc`, `1.2.3`) is one bad token, not a number and a field.
    const after = text.charCodeAt(i);
    if (i < n && (isPartCode(after) || after === CH_DOT)) {
      while (i < n) {
        const d = text.charCodeAt(i);
        if (!(isPartCode(d) || d === CH_DOT || d === CH_MINUS || d === CH_COLON)) break;
        i++;
      }
      this.i = i;
      return tok('unknown', offset + start, offset + i, text.slice(start, i));
    }
    this.i = i;
    const raw = text.slice(start, i);
    return tok('number', offset + start, offset + i, raw, undefined, Number(raw), undefined, integer);
  }

  private ident(start: number): Token {
    const { text, n, offset } = this;
    let i = start + 1;
    while (i < n && isPartCode(text.charCodeAt(i))) i++;
    let d = text.charCodeAt(i);
    if (i >= n || (d !== CH_DOT && d !== CH_SLASH)) {
      this.i = i;
      return tok('ident', offset + start, offset + i, text.slice(start, i));
    }
    // `customer.name` (Sage's $select style) and `customer/name` (OData navigation) are paths.
    const segments: PathSegment[] = [{ name: text.slice(start, i), start: offset + start, end: offset + i }];
    while (i < n && (d === CH_DOT || d === CH_SLASH)) {
      if (!isStartCode(text.charCodeAt(i + 1))) {
        // A trailing dot (`customer.` while typing) is kept as an empty last segment.
        i++;
        segments.push({ name: '', start: offset + i, end: offset + i });
        break;
      }
      const segStart = i + 1;
      i = segStart + 1;
      while (i < n && isPartCode(text.charCodeAt(i))) i++;
      segments.push({ name: text.slice(segStart, i), start: offset + segStart, end: offset + i });
      d = text.charCodeAt(i);
    }
    this.i = i;
    return tok('ident', offset + start, offset + i, text.slice(start, i), segments);
  }
}

/** All tokens of `text` (starting at absolute `offset`), ending with an `eof` token. */
export function tokenize(text: string, offset = 0): Token[] {
  const scanner = new Scanner(text, offset);
  const tokens: Token[] = [];
  for (;;) {
    const t = scanner.next();
    tokens.push(t);
    if (t.kind === 'eof') return tokens;
  }
}

/** The path segments of an ident token (a single segment when it has no dots). */
export function segmentsOf(t: Token): readonly PathSegment[] {
  return t.segments ?? [{ name: t.text, start: t.start, end: t.end }];
}
