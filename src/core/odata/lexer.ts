/**
 * Tokenizer for `$filter` text. One left-to-right pass with sticky regular expressions, so it is
 * linear in the input and never backtracks over more than one token.
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
  /** ident: dotted/slashed path segments. */
  readonly segments?: readonly PathSegment[];
  /** string: unescaped value; number: numeric value. */
  readonly value?: string | number;
  readonly terminated?: boolean;
  readonly integer?: boolean;
  readonly zone?: string;
}

const WS = /\s/;
const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_]/;
// A date, optionally followed by a time and a zone. Lengths are bounded, so each match is O(1).
const DATE_RE = /(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:\d{2})?)?(?![\w:.-])/y;
const BAD_DATE_RE = /\d{4}-\d{2}-\d{2}[\w:.+-]*/y;
const NUMBER_RE = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

export function isIdentStart(ch: string): boolean {
  return IDENT_START.test(ch);
}

export function isIdentPart(ch: string): boolean {
  return IDENT_PART.test(ch);
}

/** Splits `text` (starting at absolute `offset`) into tokens, always ending with an `eof` token. */
export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const ch = text[i];
    if (WS.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', start: offset + i, end: offset + i + 1, text: ch });
      i++;
      continue;
    }
    if (ch === "'") {
      // '' inside a string is an escaped quote.
      let value = '';
      let terminated = false;
      i++;
      let chunk = i;
      while (i < n) {
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += text.slice(chunk, i + 1);
            i += 2;
            chunk = i;
            continue;
          }
          value += text.slice(chunk, i);
          i++;
          terminated = true;
          break;
        }
        i++;
      }
      if (!terminated) value += text.slice(chunk, i);
      tokens.push({ kind: 'string', start: offset + start, end: offset + i, text: text.slice(start, i), value, terminated });
      continue;
    }
    if (ch === '{' && text[i + 1] === '{') {
      const close = text.indexOf('}}', i + 2);
      const end = close < 0 ? n : close + 2;
      const inner = text.slice(i + 2, close < 0 ? n : close).trim();
      tokens.push({ kind: 'variable', start: offset + i, end: offset + end, text: text.slice(i, end), value: inner, terminated: close >= 0 });
      i = end;
      continue;
    }
    const isDigit = ch >= '0' && ch <= '9';
    if (isDigit || (ch === '-' && text[i + 1] >= '0' && text[i + 1] <= '9')) {
      if (isDigit) {
        DATE_RE.lastIndex = i;
        const m = DATE_RE.exec(text);
        if (m) {
          i = DATE_RE.lastIndex;
          const kind = m[2] !== undefined ? 'datetime' : 'date';
          tokens.push({ kind, start: offset + start, end: offset + i, text: m[0], ...(m[3] ? { zone: m[3] } : {}) });
          continue;
        }
        // Something date-like but malformed (`2016-01-01T9`): one bad token, so the error names all of it.
        BAD_DATE_RE.lastIndex = i;
        const bad = BAD_DATE_RE.exec(text);
        if (bad) {
          i = BAD_DATE_RE.lastIndex;
          tokens.push({ kind: 'unknown', start: offset + start, end: offset + i, text: bad[0] });
          continue;
        }
      }
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(text);
      if (m) {
        i = NUMBER_RE.lastIndex;
        // A number glued to letters (`12abc`) is one bad token, not a number and a field.
        if (i < n && (IDENT_PART.test(text[i]) || text[i] === '.')) {
          while (i < n && (IDENT_PART.test(text[i]) || text[i] === '.' || text[i] === '-' || text[i] === ':')) i++;
          tokens.push({ kind: 'unknown', start: offset + start, end: offset + i, text: text.slice(start, i) });
          continue;
        }
        tokens.push({
          kind: 'number', start: offset + start, end: offset + i, text: m[0], value: Number(m[0]),
          integer: m[1] === undefined && m[2] === undefined,
        });
        continue;
      }
    }
    if (IDENT_START.test(ch)) {
      const segments: PathSegment[] = [];
      let segStart = i;
      i++;
      for (;;) {
        while (i < n && IDENT_PART.test(text[i])) i++;
        segments.push({ name: text.slice(segStart, i), start: offset + segStart, end: offset + i });
        // `customer.name` (Sage's $select style) and `customer/name` (OData navigation) are paths.
        if (i < n && (text[i] === '.' || text[i] === '/')) {
          if (i + 1 < n && IDENT_START.test(text[i + 1])) {
            i++;
            segStart = i;
            i++;
            continue;
          }
          // A trailing dot (`customer.` while typing) is kept as an empty last segment.
          i++;
          segments.push({ name: '', start: offset + i, end: offset + i });
        }
        break;
      }
      tokens.push({ kind: 'ident', start: offset + start, end: offset + i, text: text.slice(start, i), segments });
      continue;
    }
    // Anything else (operators like `=`, `>`, stray symbols) is one unknown token up to the next boundary.
    i++;
    while (i < n && !WS.test(text[i]) && !'(),\''.includes(text[i]) && !IDENT_PART.test(text[i])) i++;
    tokens.push({ kind: 'unknown', start: offset + start, end: offset + i, text: text.slice(start, i) });
  }
  tokens.push({ kind: 'eof', start: offset + n, end: offset + n, text: '' });
  return tokens;
}
