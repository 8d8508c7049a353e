/**
 * Error-tolerant recursive-descent parser for `$filter`. It always returns (never throws), builds a
 * partial tree around mistakes, and is linear: every loop consumes a token, and nesting deeper than
 * MAX_DEPTH is skipped in one forward scan instead of recursing (so hostile input cannot blow the stack).
 */

import {
  CallNode, CompareOp, COMPARE_OPS, ErrorNode, FilterExpr, LiteralNode, LogicalNode, ODataSyntaxError, SyntaxErrorCode,
} from './ast';
import { Scanner, segmentsOf, Token } from './lexer';

/** Parentheses, `not` and function calls deeper than this are reported instead of parsed. */
export const MAX_DEPTH = 100;


export interface FilterParseResult {
  expr?: FilterExpr;
  errors: ODataSyntaxError[];
}

/** Parses `$filter` text. Ranges are absolute: `offset` plus the index in `text`. */
export function parseFilter(text: string, offset = 0): FilterParseResult {
  // Callers from plain JS (or a decoded URL param that is missing) may pass a non-string.
  return new FilterParser(typeof text === 'string' ? text : String(text ?? ''), Number.isFinite(offset) ? offset : 0).parse();
}

class FilterParser {
  private readonly scanner: Scanner;
  /**
   * Lookahead: at most two tokens are ever buffered, so two fields rather than a list (a list that
   * is pushed to reserves 17 slots, for every filter of a large file).
   */
  private ahead0: Token | undefined = undefined;
  private ahead1: Token | undefined = undefined;
  /** The last consumed token: where "unexpected end" errors point. */
  private last: Token | undefined;
  readonly errors: ODataSyntaxError[] = [];

  constructor(private readonly text: string, private readonly offset: number) {
    this.scanner = new Scanner(text, offset);
  }

  parse(): FilterParseResult {
    if (this.peek().kind === 'eof') {
      this.error('syntax', 'Empty $filter: expected a condition such as name eq \'x\'', this.offset, this.offset + this.text.length);
      return { errors: this.errors };
    }
    let expr = this.parseOr(0);
    // Conditions recovered after junk join one flat list under the first recovered operator. The
    // tree of an erroneous filter is only read for diagnostics, and a flat list keeps it shallow:
    // nesting a node per junk segment let ' or%2' repeated overflow the stack of every tree walker.
    let recovered: FilterExpr[] | undefined;
    // Recover from trailing junk: report it, skip to the next and/or, and keep parsing so later
    // conditions still get a tree (and diagnostics).
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind === 'rparen') {
        this.error('syntax', "Unmatched ')'", t.start, t.end);
        this.advance();
        continue;
      }
      this.error('syntax', `Expected 'and' or 'or' before '${clip(t.text)}'`, t.start, t.end);
      this.skipUntilLogical();
      const op = this.peek();
      if (op.kind === 'ident' && (op.text === 'and' || op.text === 'or')) {
        this.advance();
        const right = this.parseOr(0);
        if (recovered) {
          recovered.push(right);
          expr = logical((expr as LogicalNode).op, recovered);
        } else {
          recovered = [expr, right];
          expr = logical(op.text, recovered);
        }
      }
    }
    return { expr, errors: this.errors };
  }

  private peek(k = 0): Token {
    if (this.ahead0 === undefined) this.ahead0 = this.scanner.next();
    if (k === 0) return this.ahead0;
    if (this.ahead1 === undefined) this.ahead1 = this.scanner.next();
    return this.ahead1;
  }

  private advance(): Token {
    const t = this.peek();
    this.ahead0 = this.ahead1;
    this.ahead1 = undefined;
    this.last = t;
    return t;
  }

  private error(code: SyntaxErrorCode, message: string, start: number, end: number): void {
    // Cap the list: a 1 MB garbage filter should not produce a million diagnostics.
    if (this.errors.length < 100) this.errors.push({ code, message, start, end });
  }

  private isWord(t: Token, word: string): boolean {
    return t.kind === 'ident' && t.text === word;
  }

  /**
   * Keyword match that tolerates case (`AND`) but reports it, since OData keywords are lowercase.
   * `is` compares strings rather than looking them up in a set: a token's text is a fresh string,
   * which a set lookup first hashes, and this runs after every operand of every filter of a file.
   */
  private keyword(t: Token, is: (word: string) => boolean): string | undefined {
    const text = t.text;
    if (t.kind !== 'ident' || text.length > 3) return undefined;
    if (is(text)) return text;
    const lower = text.toLowerCase();
    if (lower === text || !is(lower)) return undefined;
    this.error('syntax', `OData keywords are lowercase: write '${lower}' instead of '${t.text}'`, t.start, t.end);
    return lower;
  }

  private skipUntilLogical(): void {
    let depth = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind === 'lparen') depth++;
      else if (t.kind === 'rparen') {
        if (depth === 0) return;
        depth--;
      } else if (depth === 0 && (this.isWord(t, 'and') || this.isWord(t, 'or'))) return;
      this.advance();
    }
  }

  // The operand list is only made once a second operand shows up: most levels have one.
  private parseOr(depth: number): FilterExpr {
    const first = this.parseAnd(depth);
    if (!this.keyword(this.peek(), isOr)) return first;
    const operands = [first];
    // keyword() reports `AND`/`OR` in capitals, so it runs exactly once per operator.
    do {
      this.advance();
      operands.push(this.parseAnd(depth));
    } while (this.keyword(this.peek(), isOr));
    return logical('or', operands);
  }

  private parseAnd(depth: number): FilterExpr {
    const first = this.parseUnary(depth);
    if (!this.keyword(this.peek(), isAnd)) return first;
    const operands = [first];
    // keyword() reports `AND`/`OR` in capitals, so it runs exactly once per operator.
    do {
      this.advance();
      operands.push(this.parseUnary(depth));
    } while (this.keyword(this.peek(), isAnd));
    return logical('and', operands);
  }

  private parseUnary(depth: number): FilterExpr {
    const t = this.peek();
    if (this.keyword(t, isNot)) {
      if (depth >= MAX_DEPTH) return this.tooDeep(t);
      this.advance();
      const operand = this.parseUnary(depth + 1);
      return { kind: 'not', operand, start: t.start, end: Math.max(t.end, operand.end) };
    }
    return this.parseComparison(depth);
  }

  private parseComparison(depth: number): FilterExpr {
    const left = this.parsePrimary(depth);
    const t = this.peek();
    let op = this.keyword(t, isCompareOp) as CompareOp | undefined;
    if (!op && t.kind === 'unknown' && SYMBOL_OPS[t.text]) {
      op = SYMBOL_OPS[t.text];
      this.error('syntax', `Use '${op}' instead of '${t.text}' in OData`, t.start, t.end);
    }
    if (!op) {
      // `name 'x'` or `name foo`: a missing operator. Say so where it is clear, then let the caller recover.
      if (left.kind === 'field' && (t.kind === 'string' || t.kind === 'number' || t.kind === 'date' || t.kind === 'datetime')) {
        this.error('syntax', `Expected an operator (eq, ne, gt, ge, lt, le) after '${left.path}'`, left.end, t.start);
        const right = this.parsePrimary(depth);
        return { kind: 'compare', op: 'eq', opStart: left.end, opEnd: left.end, left, right, start: left.start, end: right.end };
      }
      return left;
    }
    this.advance();
    const next = this.peek();
    let right: FilterExpr;
    if (next.kind === 'eof' || next.kind === 'rparen' || (next.kind === 'ident' && (next.text === 'and' || next.text === 'or'))) {
      this.error('syntax', `Expected a value after '${op}'`, t.start, t.end);
      right = { kind: 'error', start: t.end, end: t.end };
    } else {
      right = this.parsePrimary(depth);
    }
    return { kind: 'compare', op, opStart: t.start, opEnd: t.end, left, right, start: left.start, end: Math.max(right.end, t.end) };
  }

  private tooDeep(t: Token): ErrorNode {
    this.error('too-deep', `Nesting is deeper than ${MAX_DEPTH} levels`, t.start, t.end);
    // Skip the whole over-deep region in one scan: to the ')' that closes the enclosing level.
    let depth = 0;
    let end = t.end;
    while (this.peek().kind !== 'eof') {
      const cur = this.peek();
      if (cur.kind === 'lparen') depth++;
      else if (cur.kind === 'rparen') {
        if (depth === 0) break;
        depth--;
      }
      end = cur.end;
      this.advance();
    }
    return { kind: 'error', start: t.start, end };
  }

  private parsePrimary(depth: number): FilterExpr {
    const t = this.peek();
    switch (t.kind) {
      case 'lparen': {
        if (depth >= MAX_DEPTH) return this.tooDeep(t);
        this.advance();
        if (this.peek().kind === 'rparen') {
          const close = this.peek();
          this.error('syntax', 'Empty parentheses: expected a condition', t.start, close.end);
          this.advance();
          return { kind: 'paren', expr: { kind: 'error', start: t.end, end: t.end }, closed: true, start: t.start, end: close.end };
        }
        const expr = this.parseOr(depth + 1);
        const close = this.peek();
        if (close.kind === 'rparen') {
          this.advance();
          return { kind: 'paren', expr, closed: true, start: t.start, end: close.end };
        }
        this.error('syntax', "Missing ')' to close this '('", t.start, t.end);
        return { kind: 'paren', expr, closed: false, start: t.start, end: expr.end };
      }
      case 'ident': {
        if (!t.segments && this.peek(1).kind === 'lparen' && !isKeyword(t.text)) {
          return this.parseCall(t, depth);
        }
        if (t.text.length <= 3 && isKeyword(t.text.toLowerCase())) {
          this.error('syntax', `Expected a field or value before '${t.text}'`, t.start, t.end);
          // Not consumed: the caller's loop treats it as the operator it is.
          return { kind: 'error', start: t.start, end: t.start };
        }
        this.advance();
        if (t.text === 'true' || t.text === 'false') return lit(t, 'boolean', t.text === 'true');
        if (t.text === 'null') return lit(t, 'null', null);
        if (!t.segments) {
          // A plain name (the usual case): one segment, and the path is the token's text.
          return { kind: 'field', path: t.text, segments: [{ name: t.text, start: t.start, end: t.end }], start: t.start, end: t.end };
        }
        const segments = segmentsOf(t);
        if (segments.some((s) => s.name === '')) {
          this.error('syntax', `Incomplete path '${t.text}': expected a field name after the dot`, t.start, t.end);
        }
        return { kind: 'field', path: segments.map((s) => s.name).join('.'), segments, start: t.start, end: t.end };
      }
      case 'string':
        this.advance();
        if (!t.terminated) this.error('syntax', 'Unterminated string: add the closing quote (\')', t.start, t.end);
        return { kind: 'literal', type: 'string', value: t.value as string, raw: t.text, terminated: t.terminated, start: t.start, end: t.end };
      case 'number':
        this.advance();
        return { kind: 'literal', type: 'number', value: t.value as number, raw: t.text, integer: t.integer, start: t.start, end: t.end };
      case 'date':
        this.advance();
        if (!validDate(t.text)) this.error('syntax', `'${t.text}' is not a valid date`, t.start, t.end);
        return lit(t, 'date', t.text);
      case 'datetime':
        this.advance();
        if (!validDate(t.text)) this.error('syntax', `'${t.text}' is not a valid date-time`, t.start, t.end);
        return t.zone ? { kind: 'literal', type: 'datetime', value: t.text, raw: t.text, zone: t.zone, start: t.start, end: t.end } : lit(t, 'datetime', t.text);
      case 'variable':
        this.advance();
        if (!t.terminated) this.error('syntax', "Unterminated variable: add '}}'", t.start, t.end);
        return { kind: 'variable', name: t.value as string, start: t.start, end: t.end };
      case 'unknown':
        this.advance();
        if (/^\d{4}-\d\d-\d\d/.test(t.text)) {
          this.error('syntax', `'${clip(t.text)}' is not a valid date or date-time: write 2016-01-31 or 2016-01-31T09:30:00Z`, t.start, t.end);
        } else if (t.text === '"' || t.text.startsWith('"')) {
          this.error('syntax', "Strings use single quotes in OData: 'text'", t.start, t.end);
        } else {
          this.error('syntax', `Unexpected '${clip(t.text)}'`, t.start, t.end);
        }
        return { kind: 'error', start: t.start, end: t.end };
      default:
        // ')' ',' or the end: an operand is missing here. Do not consume; the caller decides.
        if (t.kind === 'eof') {
          const at = this.last ?? t;
          this.error('syntax', `Unexpected end of $filter: expected a field or value after '${clip(at.text)}'`, at.start, at.end);
        } else {
          this.error('syntax', `Expected a field or value before '${t.text}'`, t.start, t.end);
        }
        return { kind: 'error', start: t.start, end: t.start };
    }
  }

  private parseCall(name: Token, depth: number): CallNode {
    if (depth >= MAX_DEPTH) {
      const node = this.tooDeep(name);
      return { kind: 'call', name: name.text, nameStart: name.start, nameEnd: name.end, args: [], closed: false, start: node.start, end: node.end };
    }
    this.advance(); // name
    const args: FilterExpr[] = [];
    let end = this.advance().end; // '('
    if (this.peek().kind === 'rparen') {
      end = this.peek().end;
      this.advance();
      return { kind: 'call', name: name.text, nameStart: name.start, nameEnd: name.end, args, closed: true, start: name.start, end };
    }
    for (;;) {
      const arg = this.parseOr(depth + 1);
      args.push(arg);
      end = Math.max(end, arg.end);
      const t = this.peek();
      if (t.kind === 'comma') {
        this.advance();
        end = t.end;
        continue;
      }
      if (t.kind === 'rparen') {
        this.advance();
        return { kind: 'call', name: name.text, nameStart: name.start, nameEnd: name.end, args, closed: true, start: name.start, end: t.end };
      }
      this.error('syntax', `Missing ')' to close ${name.text}(`, name.start, name.end + 1);
      return { kind: 'call', name: name.text, nameStart: name.start, nameEnd: name.end, args, closed: false, start: name.start, end };
    }
  }
}

/** Whether `text` is one of COMPARE_OPS: compared in turn, not hashed (see `keyword`). */
function isCompareOp(text: string): boolean {
  return text.length === 2 && (COMPARE_OPS as readonly string[]).includes(text);
}

const isAnd = (text: string): boolean => text === 'and';
const isOr = (text: string): boolean => text === 'or';
const isNot = (text: string): boolean => text === 'not';

/** Any operator keyword, written exactly (lowercase). */
function isKeyword(text: string): boolean {
  return isCompareOp(text) || isAnd(text) || isOr(text) || isNot(text);
}

const SYMBOL_OPS: Record<string, CompareOp | undefined> = {
  '=': 'eq', '==': 'eq', '!=': 'ne', '<>': 'ne', '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le',
};

function logical(op: 'and' | 'or', operands: FilterExpr[]): FilterExpr {
  return { kind: 'logical', op, operands, start: operands[0].start, end: operands[operands.length - 1].end };
}

function lit(t: Token, type: LiteralNode['type'], value: LiteralNode['value']): LiteralNode {
  return { kind: 'literal', type, value, raw: t.text, start: t.start, end: t.end };
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** Checks month/day/hour ranges (the lexer only checks the shape). */
function validDate(text: string): boolean {
  // By char codes, not a regex and Date: every date literal of a large file comes through here.
  // The lexer only makes date tokens of `dddd-dd-dd[Thh:mm[:ss[.f]]][zone]`.
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  if (mo < 1 || mo > 12 || d < 1) return false;
  if (d > daysInMonth(y, mo)) return false;
  if (text.charCodeAt(10) === 84 /* T */) {
    const h = digits(text, 11, 2);
    const mi = digits(text, 14, 2);
    if (h >= 0 && mi >= 0 && text.charCodeAt(13) === 58) {
      if (h > 23 || mi > 59) return false;
      const sec = text.charCodeAt(16) === 58 ? digits(text, 17, 2) : -1;
      if (sec > 59) return false;
    }
  }
  return true;
}

/** The number written by `len` ASCII digits at `at`, or -1. */
function digits(text: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 48 && c <= 57)) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

function daysInMonth(year: number, mo: number): number {
  // As Date.UTC reads it (which the check used before): years 0-99 mean 1900-1999.
  const y = year <= 99 ? year + 1900 : year;
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}
