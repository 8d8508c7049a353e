import { FileVariable, LineIndex, ParsedRequestFile, RequestBlock, Span, SyntaxIssue, VariableRef } from './types';
import { ASSERT, Block, HDR, IMPLICIT_GET, META, METHODS, OTHER_METHOD, PAIR, PIECE, R, TreeStore } from './tree';
import { IntList } from '../scratch';
import { classifyRef } from './refs';
import { isBlank, isWordChar } from './chars';

export { METHODS, joinQuery } from './tree';
export { classifyRef } from './refs';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VARIABLE_NAME = /^[A-Za-z_][\w.-]*$/;

type State = 'preamble' | 'headers' | 'body';
type Report = (c: string, m: string, s: number, e: number, sev?: SyntaxIssue['severity']) => void;

/**
 * The block being parsed: its row (see tree.ts) as plain fields, and where its parts begin in the
 * file-wide lists. One object serves every block of a parse.
 */
interface MutableBlock {
  start: number;
  sepEnd: number;
  titleStart: number;
  titleEnd: number;
  name: string | undefined;
  nameStart: number;
  nameEnd: number;
  lineStart: number;
  lineEnd: number;
  methodEnd: number;
  urlStart: number;
  urlEnd: number;
  pathEnd: number;
  versionStart: number;
  method: number;
  bodyStart: number;
  bodyEnd: number;
  metaFrom: number;
  hdrFrom: number;
  refFrom: number;
  comFrom: number;
  pieceFrom: number;
  assertFrom: number;
  /** A `??` line was seen: later content lines are out of place. */
  asserted: boolean;
  state: State;
}

/*
 * The file-wide lists the parse appends to: one row per request, and the parts of every request.
 * They are reused by every parse (the parser never re-enters itself) and copied out at their exact
 * length when it ends.
 */
const ROWS = new IntList();
const METAS = new IntList();
const HDRS = new IntList();
const REFS = new IntList();
const COMS = new IntList();
const PIECES = new IntList();
const ASSERTS = new IntList();
/** References of a file variable's value, or of the exported `scanRefs`, before they become objects. */
const LOOSE_REFS = new IntList();

/**
 * Parses a `.sage200` file. Line-oriented, one pass, linear in the size of the text. It never throws:
 * whatever it cannot understand becomes a `SyntaxIssue` with a range, and parsing goes on.
 */
export function parseRequestFile(text: string): ParsedRequestFile {
  memoOn = true;
  try {
    return parse(text);
  } finally {
    memoOn = false;
    for (const f of FINDERS) f.reset();
    for (const l of [ROWS, METAS, HDRS, REFS, COMS, PIECES, ASSERTS, LOOSE_REFS]) l.n = 0;
  }
}

function parse(text: string): ParsedRequestFile {
  const lines = new LineIndex(text);
  const issues: SyntaxIssue[] = [];
  const fileVariables: FileVariable[] = [];
  const names: (string | undefined)[] = [];
  const issue: Report = (code, message, start, end, severity = 'error') => {
    issues.push({ code, message, span: { start, end: Math.max(start, end) }, severity });
  };

  const block: MutableBlock = {
    start: 0, sepEnd: -1, titleStart: -1, titleEnd: -1, name: undefined, nameStart: -1, nameEnd: -1,
    lineStart: -1, lineEnd: -1, methodEnd: -1, urlStart: -1, urlEnd: -1, pathEnd: -1, versionStart: -1, method: IMPLICIT_GET,
    bodyStart: -1, bodyEnd: -1, metaFrom: 0, hdrFrom: 0, refFrom: 0, comFrom: 0, pieceFrom: 0, assertFrom: 0, asserted: false, state: 'preamble',
  };

  const finish = (b: MutableBlock, end: number): void => {
    // A leading block with nothing but comments and variables is the file's head, not a request.
    if (b.sepEnd >= 0 || b.lineStart >= 0) {
      pushRow(b, trimEndAcrossLines(text, b.start, end));
      names.push(b.name);
    }
  };

  for (let line = 0; line < lines.lineCount; line++) {
    const ls = lines.starts[line];
    const le = lines.lineEnd(line);
    let first = ls;
    while (first < le && isBlank(text.charCodeAt(first))) first++;
    const blank = first === le;

    // By char codes: `startsWith` is a call per line, and most lines of a file start with `#`.
    const c0 = text.charCodeAt(first);
    if (c0 === 35 /* # */ && text.charCodeAt(first + 1) === 35 && text.charCodeAt(first + 2) === 35) {
      finish(block, ls);
      resetBlock(block, ls);
      block.sepEnd = le;
      let ts = first + 3;
      let te = stripTrailingComment(text, ts, le);
      while (ts < te && isBlank(text.charCodeAt(ts))) ts++;
      while (te > ts && isBlank(text.charCodeAt(te - 1))) te--;
      if (te > ts) {
        block.titleStart = ts;
        block.titleEnd = te;
      }
      continue;
    }

    if (c0 === 63 /* ? */ && text.charCodeAt(first + 1) === 63) {
      parseAssertion(text, first, le, block, issue);
      continue;
    }
    if (block.asserted) {
      if (c0 === 35 /* # */ || (c0 === 47 /* / */ && text.charCodeAt(first + 1) === 47)) COMS.push2(first, le);
      else if (!blank) issue('content-after-assertion', 'Only assertions and comments may follow a "??" line; move this above the assertions.', first, trimEnd(text, first, le), 'warning');
      continue;
    }

    if (block.state === 'body') {
      // Before the body's first line, `#` and `//` lines are comments: a note typed below a GET
      // after a blank line is not a body, and no JSON body starts that way.
      if (!blank && block.bodyStart < 0 && (c0 === 35 /* # */ || (c0 === 47 /* / */ && text.charCodeAt(first + 1) === 47))) {
        COMS.push2(first, le);
        continue;
      }
      if (!blank) {
        if (block.bodyStart < 0) block.bodyStart = first;
        block.bodyEnd = trimEnd(text, first, le);
        scanRefsInto(text, first, le, REFS, issue);
      }
      continue;
    }

    if (blank) {
      if (block.state === 'headers') block.state = 'body';
      continue;
    }

    const isHash = c0 === 35; /* # */
    const isSlashes = c0 === 47 /* / */ && text.charCodeAt(first + 1) === 47;
    if (isHash || isSlashes) {
      const afterMarker = first + (isHash ? 1 : 2);
      COMS.push2(first, le);
      if (block.state === 'preamble') parseMetadata(text, afterMarker, le, block, issue);
      continue;
    }

    if (block.state === 'headers') {
      const c = c0;
      if (first > ls && (c === 63 /* ? */ || c === 38 /* & */) && HDRS.n === block.hdrFrom * HDR && block.lineStart >= 0) {
        addQueryPiece(text, block, first, le);
        scanRefsInto(text, first, le, REFS, issue);
        continue;
      }
      if (c === 123 /* { */ || c === 91 /* [ */) {
        issue('body-needs-blank-line', 'Put a blank line between the headers and the body.', first, le);
        block.state = 'body';
        block.bodyStart = first;
        block.bodyEnd = trimEnd(text, first, le);
        scanRefsInto(text, first, le, REFS, issue);
        continue;
      }
      parseHeader(text, first, le, issue);
      continue;
    }

    // Preamble: a file variable or the request line.
    if (c0 === 64 /* @ */) {
      const v = parseFileVariable(text, first, le, issue);
      if (v) fileVariables.push(v);
      continue;
    }
    parseRequestLine(text, first, le, block, issue);
    block.state = 'headers';
  }
  finish(block, text.length);
  const store: TreeStore = {
    text, rows: ROWS.done(), meta: METAS.done(), hdr: HDRS.done(), refs: REFS.done(), comments: COMS.done(), pieces: PIECES.done(),
    assertions: ASSERTS.done(),
  };
  const requests: RequestBlock[] = new Array(names.length);
  for (let k = 0; k < names.length; k++) requests[k] = new Block(store, k, names[k]);
  checkDuplicateNames(requests, issue);
  return { text, lines, requests, fileVariables, issues };
}

/** Appends the finished block's row, in the field order of `R`, with each part list's end. */
function pushRow(b: MutableBlock, end: number): void {
  // Written by field name, so the row always follows the order `R` declares; every field is
  // written, straight into the list's storage.
  const at = ROWS.n;
  const r = ROWS.reserve(R.Size);
  r[at + R.SpanStart] = b.start;
  r[at + R.SpanEnd] = end;
  r[at + R.SepEnd] = b.sepEnd;
  r[at + R.TitleStart] = b.titleStart;
  r[at + R.TitleEnd] = b.titleEnd;
  r[at + R.NameStart] = b.nameStart;
  r[at + R.NameEnd] = b.nameEnd;
  r[at + R.LineStart] = b.lineStart;
  r[at + R.LineEnd] = b.lineEnd;
  r[at + R.MethodEnd] = b.methodEnd;
  r[at + R.UrlStart] = b.urlStart;
  r[at + R.UrlEnd] = b.urlEnd;
  r[at + R.PathEnd] = b.pathEnd;
  r[at + R.VersionStart] = b.versionStart;
  r[at + R.Method] = b.method;
  r[at + R.BodyStart] = b.bodyStart;
  r[at + R.BodyEnd] = b.bodyEnd;
  r[at + R.MetaFrom] = b.metaFrom;
  r[at + R.MetaTo] = METAS.n / META;
  r[at + R.HdrFrom] = b.hdrFrom;
  r[at + R.HdrTo] = HDRS.n / HDR;
  r[at + R.RefFrom] = b.refFrom;
  r[at + R.RefTo] = REFS.n / PAIR;
  r[at + R.ComFrom] = b.comFrom;
  r[at + R.ComTo] = COMS.n / PAIR;
  r[at + R.PieceFrom] = b.pieceFrom;
  r[at + R.PieceTo] = PIECES.n / PIECE;
  r[at + R.AssertFrom] = b.assertFrom;
  r[at + R.AssertTo] = ASSERTS.n / ASSERT;
}

function resetBlock(b: MutableBlock, start: number): void {
  b.start = start;
  b.sepEnd = -1;
  b.titleStart = -1;
  b.titleEnd = -1;
  b.name = undefined;
  b.nameStart = -1;
  b.nameEnd = -1;
  b.lineStart = -1;
  b.lineEnd = -1;
  b.methodEnd = -1;
  b.urlStart = -1;
  b.urlEnd = -1;
  b.pathEnd = -1;
  b.versionStart = -1;
  b.method = IMPLICIT_GET;
  b.bodyStart = -1;
  b.bodyEnd = -1;
  b.state = 'preamble';
  b.metaFrom = METAS.n / META;
  b.hdrFrom = HDRS.n / HDR;
  b.refFrom = REFS.n / PAIR;
  b.comFrom = COMS.n / PAIR;
  b.pieceFrom = PIECES.n / PIECE;
  b.assertFrom = ASSERTS.n / ASSERT;
  b.asserted = false;
}

/** A `?? …` line: kept as spans and references; src/core/testing reads its grammar. */
function parseAssertion(text: string, first: number, le: number, block: MutableBlock, issue: Report): void {
  const end = trimEnd(text, first, le);
  const t = trimmedSpan(text, first + 2, end);
  const refFrom = REFS.n / PAIR;
  scanRefsInto(text, t.start, t.end, REFS, issue);
  ASSERTS.push2(first, end);
  ASSERTS.push2(t.start, t.end);
  ASSERTS.push2(refFrom, REFS.n / PAIR);
  block.asserted = true;
  // A `??` line ends the headers and the body.
  if (block.state !== 'preamble') block.state = 'body';
}

function checkDuplicateNames(requests: readonly RequestBlock[], issue: Report): void {
  const seen = new Set<string>();
  // An indexed loop: this one runs once per parse, often before it is optimized, and an unoptimized
  // for-of makes an iterator result object per request.
  for (let k = 0; k < requests.length; k++) {
    const r = requests[k];
    if (r.name === undefined) continue;
    if (seen.has(r.name)) {
      const span = r.nameSpan!;
      issue('duplicate-name', `Another request is already named "${r.name}".`, span.start, span.end);
    }
    seen.add(r.name);
  }
}

function parseMetadata(text: string, from: number, le: number, block: MutableBlock, issue: Report): void {
  let i = from;
  while (i < le && isBlank(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 64 /* @ */) return;
  const keyStart = i + 1;
  let keyEnd = keyStart;
  while (keyEnd < le && isWordChar(text.charCodeAt(keyEnd))) keyEnd++;
  if (keyEnd === keyStart) return;
  // `# @top = 10` is a commented-out file variable, not metadata.
  let j = keyEnd;
  while (j < le && isBlank(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) === 61 /* = */) return;
  let vs = keyEnd;
  let ve = le;
  while (vs < ve && isBlank(text.charCodeAt(vs))) vs++;
  while (ve > vs && isBlank(text.charCodeAt(ve - 1))) ve--;
  METAS.push2(i, keyStart);
  METAS.push2(keyEnd, vs);
  METAS.push2(ve, le);
  if (keyEnd - keyStart !== 4 || !text.startsWith('name', keyStart)) return;
  const value = text.slice(vs, ve);
  if (!value) {
    issue('name-missing', 'Give the request a name after "@name".', i, keyEnd);
  } else if (!isRequestName(text, vs, ve)) {
    issue('name-invalid', `"${value}" is not a valid request name: use letters, digits, "_" and "-".`, vs, ve);
  } else if (block.name !== undefined) {
    issue('name-twice', 'This request already has a name.', vs, ve);
  } else {
    block.name = value;
    block.nameStart = vs;
    block.nameEnd = ve;
  }
}

/** Whether [from, to) is a request name, `[A-Za-z_][A-Za-z0-9_-]*`, by char codes (once per `@name`). */
function isRequestName(text: string, from: number, to: number): boolean {
  const c = text.charCodeAt(from);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  for (let i = from + 1; i < to; i++) if (!isWordChar(text.charCodeAt(i))) return false;
  return true;
}

function parseFileVariable(text: string, at: number, le: number, issue: Report): FileVariable | undefined {
  const eq = EQUALS.in(text, at, le);
  const nameSpan = trimmedSpan(text, at + 1, eq === -1 ? le : eq);
  const name = text.slice(nameSpan.start, nameSpan.end);
  if (eq === -1) {
    issue('variable-no-value', `Expected "=" and a value after "@${name}".`, at, le);
    return undefined;
  }
  if (!VARIABLE_NAME.test(name)) {
    issue('variable-name', name ? `"${name}" is not a valid variable name.` : 'The variable needs a name before "=".', at, eq);
    return undefined;
  }
  const valueSpan = trimmedSpan(text, eq + 1, stripTrailingComment(text, eq + 1, le));
  // File variables are few and read everywhere: they stay plain objects.
  const refs: VariableRef[] = [];
  scanRefs(text, valueSpan.start, valueSpan.end, refs, issue);
  return { name, nameSpan, value: text.slice(valueSpan.start, valueSpan.end), valueSpan, span: { start: at, end: le }, refs };
}

function parseRequestLine(text: string, first: number, le: number, block: MutableBlock, issue: Report): void {
  // Char-code scanning instead of regexes and slices: this runs once per request of large files.
  const end = trimEnd(text, first, le);
  let wordEnd = first;
  while (wordEnd < end && !isBlank(text.charCodeAt(wordEnd))) wordEnd++;
  const c0 = text.charCodeAt(first);
  const looksLikeUrl = c0 === 47 /* / */ || (c0 === 123 && text.charCodeAt(first + 1) === 123) ||
    ((c0 === 104 || c0 === 72) && /^https?:/i.test(text.slice(first, first + 6)));
  let method = 'GET';
  let methodCode = IMPLICIT_GET;
  let methodEnd = first;
  let urlStart = first;
  if (!looksLikeUrl) {
    methodEnd = wordEnd;
    // The method as one of the constant strings when it is written as such (no slice per request).
    methodCode = knownMethod(text, first, wordEnd);
    if (methodCode >= 0) {
      method = METHODS[methodCode];
    } else {
      const word = text.slice(first, wordEnd);
      methodCode = OTHER_METHOD;
      method = word.toUpperCase();
      if (!METHOD_SET.has(method)) {
        issue('unknown-method', `"${word}" is not an HTTP method: use GET, POST, PUT or DELETE.`, first, wordEnd);
      } else {
        // Not written exactly as a method (knownMethod said so), yet one in capitals.
        issue('method-case', `Write the method in capitals: ${method}.`, first, wordEnd, 'warning');
      }
    }
    urlStart = wordEnd;
    while (urlStart < end && isBlank(text.charCodeAt(urlStart))) urlStart++;
  }
  let urlEnd = end;
  let versionStart = -1;
  // `HTTP/1.1` or `HTTP/2` after a blank at the end of the line.
  const last = text.charCodeAt(end - 1);
  if (last >= 48 && last <= 57) {
    // Two lengths, 8 then 6, without a list literal (made anew for every line ending in a digit).
    for (let len = 8; len >= 6; len -= 2) {
      const at = end - len;
      if (at > urlStart && text.startsWith('HTTP/', at) && isBlank(text.charCodeAt(at - 1)) && /^HTTP\/\d(\.\d)?$/.test(text.slice(at, end))) {
        versionStart = at;
        urlEnd = trimEnd(text, urlStart, at);
        break;
      }
    }
  }
  if (urlEnd <= urlStart) {
    issue('missing-url', `Expected a path after ${method}, for example ${method} /customers.`, first, end);
  }
  const q = QUESTION.in(text, urlStart, urlEnd);
  const pathEnd = q === -1 ? urlEnd : q;
  block.lineStart = first;
  block.lineEnd = end;
  block.methodEnd = methodEnd;
  block.urlStart = urlStart;
  block.urlEnd = Math.max(urlStart, urlEnd);
  block.pathEnd = Math.max(urlStart, pathEnd);
  block.versionStart = versionStart;
  block.method = methodCode;
  scanRefsInto(text, urlStart, block.urlEnd, REFS, issue);
  // Two remembered native searches (see Finder) rather than reading every character of every
  // path. A form feed, vertical tab or lone CR in a path is not flagged here; such a path does not
  // resolve, and the unknown-path diagnostic reports it.
  const sp = SPACE.in(text, urlStart, pathEnd);
  const tab = TAB.in(text, urlStart, pathEnd);
  const blank = Math.min(sp === -1 ? pathEnd : sp, tab === -1 ? pathEnd : tab);
  if (blank < pathEnd) {
    issue('space-in-path', 'The path contains a space; put the query after "?".', blank, blank + 1);
  }
  if (q !== -1) {
    PIECES.push2(q + 1, urlEnd);
    PIECES.push2(q, 0);
  }
}

const METHOD_SET = new Set<string>(METHODS);

/**
 * The index in METHODS of the word at [from, to) when it is written exactly so, else -1. By length
 * and first letter, so each request line is compared with one candidate (a `startsWith` per method
 * was a tenth of the request line's time).
 */
function knownMethod(text: string, from: number, to: number): number {
  let k: number;
  switch (text.charCodeAt(from)) {
    case 71: k = 0; break; // GET
    case 80: k = to - from === 4 ? 1 : to - from === 3 ? 2 : 4; break; // POST, PUT, PATCH
    case 68: k = 3; break; // DELETE
    case 72: k = 5; break; // HEAD
    case 79: k = 6; break; // OPTIONS
    default: return -1;
  }
  const m = METHODS[k];
  if (m.length !== to - from) return -1;
  for (let i = 1; i < m.length; i++) if (text.charCodeAt(from + i) !== m.charCodeAt(i)) return -1;
  return k;
}

function addQueryPiece(text: string, block: MutableBlock, first: number, le: number): void {
  const end = trimEnd(text, first, le);
  // The first part of the query: its `?` (or a stray `&`) only opens the query. Later parts are
  // joined by a `&`; on a second `?` line that `&` stands on the `?`.
  const lead = PIECES.n / PIECE === block.pieceFrom ? 0 : 1;
  PIECES.push2(first + 1, end);
  PIECES.push2(first, lead);
}

function parseHeader(text: string, first: number, le: number, issue: Report): void {
  const end = trimEnd(text, first, le);
  const colon = COLON.in(text, first, end);
  const asRequest = /^([A-Z]+)\s+\S/.exec(text.slice(first, Math.min(end, first + 12)));
  if (asRequest && METHOD_SET.has(asRequest[1]) && (colon === -1 || colon >= end || text.slice(first, colon).includes(' '))) {
    issue('missing-separator', 'Start each request with a "###" line.', first, end);
    return;
  }
  if (colon === -1 || colon >= end) {
    issue('header-syntax', 'Expected a header "Name: value", or a blank line before the body.', first, end);
    return;
  }
  const nameSpan = trimmedSpan(text, first, colon);
  const name = text.slice(nameSpan.start, nameSpan.end);
  if (!HEADER_NAME.test(name)) {
    issue('header-name', name ? `"${name}" is not a valid header name.` : 'The header needs a name before ":".', first, colon);
  }
  const valueSpan = trimmedSpan(text, colon + 1, end);
  const refFrom = REFS.n / PAIR;
  scanRefsInto(text, valueSpan.start, valueSpan.end, REFS, issue);
  HDRS.push2(nameSpan.start, nameSpan.end);
  HDRS.push2(valueSpan.start, valueSpan.end);
  HDRS.push(end);
  HDRS.push2(refFrom, REFS.n / PAIR);
}

/** Finds `{{…}}` references in [from, to) (one line). An unclosed `{{` is reported. */
export function scanRefs(text: string, from: number, to: number, out: VariableRef[], issue?: (c: string, m: string, s: number, e: number) => void): void {
  const loose = LOOSE_REFS;
  const mark = loose.n;
  scanRefsInto(text, from, to, loose, issue);
  for (let k = mark; k < loose.n; k += 2) out.push(classifyRef(text, loose.at(k), loose.at(k + 1)));
  loose.n = mark;
}

/** Appends the [start, end) of each `{{…}}` in [from, to) to `out`. */
function scanRefsInto(text: string, from: number, to: number, out: IntList, issue?: (c: string, m: string, s: number, e: number) => void): void {
  let i = OPEN_REF.in(text, from, to);
  while (i !== -1) {
    const close = CLOSE_REF.in(text, i + 2, to);
    if (close === -1) {
      issue?.('unclosed-variable', 'Close the variable with "}}".', i, to);
      return;
    }
    // `{{{` : the first brace is literal JSON; the reference starts at the last `{{`.
    let open = i;
    while (text.charCodeAt(open + 2) === 123 && open + 2 < close) open++;
    out.push2(open, close + 2);
    i = OPEN_REF.in(text, close + 2, to);
  }
}

/** Whether searches are remembered: during a parse (`parseRequestFile`), not in calls from outside. */
let memoOn = false;

/**
 * Where one needle next occurs, remembered during one parse. The parser asks in document order, so
 * each native `indexOf` runs from where the last one stopped: linear overall, and native speed.
 * One object per needle, so that finding the memory of a needle costs nothing.
 */
class Finder {
  /** Where the remembered search started (MAX_SAFE_INTEGER: none yet), and what it found. */
  private from = Number.MAX_SAFE_INTEGER;
  private at = -1;

  constructor(private readonly needle: string) {}

  reset(): void {
    this.from = Number.MAX_SAFE_INTEGER;
    this.at = -1;
  }

  /** `indexOf` limited to [from, to). */
  in(text: string, from: number, to: number): number {
    if (from >= to) return -1;
    let at = this.at;
    if (!memoOn || from < this.from || (at !== -1 && at < from)) {
      // The one search of this class, on the branch where the remembered answer does not serve.
      // The optimizing compiler treats `indexOf` as pure: when this memo had a call on each of two
      // branches, it merged them into one call that it ran before the check, on every call. A
      // search for a needle that the file lacks then read to the end of the file each time
      // (measured: 50 ms instead of 7 for the 1 MB benchmark file).
      at = text.indexOf(this.needle, from);
      if (memoOn) {
        this.from = from;
        this.at = at;
      }
    }
    return at !== -1 && at + this.needle.length <= to ? at : -1;
  }
}

const EQUALS = new Finder('=');
const QUESTION = new Finder('?');
const SPACE = new Finder(' ');
const TAB = new Finder('\t');
const COLON = new Finder(':');
const OPEN_REF = new Finder('{{');
const CLOSE_REF = new Finder('}}');
const HASH = new Finder('#');
const SLASHES = new Finder('//');
const FINDERS = [EQUALS, QUESTION, SPACE, TAB, COLON, OPEN_REF, CLOSE_REF, HASH, SLASHES];

/** Cuts ` # comment` / ` // comment` off the end of a value, when whitespace stands before and after the marker. */
function stripTrailingComment(text: string, from: number, to: number): number {
  // Most titles and values have no marker at all: two native searches (linear over the file, see
  // Finder) instead of a char loop over every title.
  if (HASH.in(text, from, to) === -1 && SLASHES.in(text, from, to) === -1) return to;
  let seenValue = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!isBlank(c)) {
      if (seenValue && isBlank(text.charCodeAt(i - 1))) {
        const marker = c === 35 ? 1 : c === 47 && text.charCodeAt(i + 1) === 47 ? 2 : 0;
        if (marker && (i + marker === to || isBlank(text.charCodeAt(i + marker)))) return i;
      }
      seenValue = true;
    }
  }
  return to;
}

function trimmedSpan(text: string, from: number, to: number): Span {
  let s = from;
  let e = to;
  while (s < e && isBlank(text.charCodeAt(s))) s++;
  while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
  return { start: s, end: e };
}

function trimEnd(text: string, from: number, to: number): number {
  let e = to;
  while (e > from && isBlank(text.charCodeAt(e - 1))) e--;
  return e;
}

function trimEndAcrossLines(text: string, from: number, to: number): number {
  let e = to;
  while (e > from) {
    const c = text.charCodeAt(e - 1);
    if (c === 32 || c === 9 || c === 10 || c === 13) e--;
    else break;
  }
  return e;
}

/** The request whose block contains `offset`, or undefined (the file's head, between blocks). */
export function requestAt(file: ParsedRequestFile, offset: number): RequestBlock | undefined {
  const rs = file.requests;
  let lo = 0;
  let hi = rs.length - 1;
  let found: RequestBlock | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rs[mid].span.start <= offset) {
      found = rs[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (!found) return undefined;
  // A block owns everything up to the next separator, blank lines included.
  const next = rs[found.index + 1];
  return next === undefined || offset < next.span.start ? found : undefined;
}
