import { FileVariable, LineIndex, ParsedRequestFile, RequestBlock, Span, SyntaxIssue, VariableRef } from './types';
import { Block, HDR, IMPLICIT_GET, META, METHODS, OTHER_METHOD, PAIR, PIECE, R, TreeStore } from './tree';
import { IntList } from '../scratch';
import { classifyRef } from './refs';
import { isBlank, isWordChar } from './chars';

export { METHODS, joinQuery } from './tree';
export { classifyRef } from './refs';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VARIABLE_NAME = /^[A-Za-z_][\w.-]*$/;
const REQUEST_NAME = /^[A-Za-z_][\w-]*$/;

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
    blankFrom = NO_SEARCH;
    blankAt = -1;
    memoNeedles.length = 0;
    memoFrom.length = 0;
    memoAt.length = 0;
    for (const l of [ROWS, METAS, HDRS, REFS, COMS, PIECES, LOOSE_REFS]) l.n = 0;
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
    bodyStart: -1, bodyEnd: -1, metaFrom: 0, hdrFrom: 0, refFrom: 0, comFrom: 0, pieceFrom: 0, state: 'preamble',
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

    if (text.charCodeAt(first) === 35 /* # */ && text.startsWith('###', first)) {
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

    if (block.state === 'body') {
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

    const isHash = text.charCodeAt(first) === 35; /* # */
    const isSlashes = text.startsWith('//', first);
    if (isHash || isSlashes) {
      const afterMarker = first + (isHash ? 1 : 2);
      COMS.push2(first, le);
      if (block.state === 'preamble') parseMetadata(text, afterMarker, le, block, issue);
      continue;
    }

    if (block.state === 'headers') {
      const c = text.charCodeAt(first);
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
    if (text.charCodeAt(first) === 64 /* @ */) {
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
  };
  const requests: RequestBlock[] = new Array(names.length);
  for (let k = 0; k < names.length; k++) requests[k] = new Block(store, k, names[k]);
  checkDuplicateNames(requests, issue);
  return { text, lines, requests, fileVariables, issues };
}

/** Appends the finished block's row, in the field order of `R`, with each part list's end. */
function pushRow(b: MutableBlock, end: number): void {
  // Written by field name, so the row always follows the order `R` declares.
  const r = ROWS;
  const at = r.append(R.Size);
  r.set(at + R.SpanStart, b.start);
  r.set(at + R.SpanEnd, end);
  r.set(at + R.SepEnd, b.sepEnd);
  r.set(at + R.TitleStart, b.titleStart);
  r.set(at + R.TitleEnd, b.titleEnd);
  r.set(at + R.NameStart, b.nameStart);
  r.set(at + R.NameEnd, b.nameEnd);
  r.set(at + R.LineStart, b.lineStart);
  r.set(at + R.LineEnd, b.lineEnd);
  r.set(at + R.MethodEnd, b.methodEnd);
  r.set(at + R.UrlStart, b.urlStart);
  r.set(at + R.UrlEnd, b.urlEnd);
  r.set(at + R.PathEnd, b.pathEnd);
  r.set(at + R.VersionStart, b.versionStart);
  r.set(at + R.Method, b.method);
  r.set(at + R.BodyStart, b.bodyStart);
  r.set(at + R.BodyEnd, b.bodyEnd);
  r.set(at + R.MetaFrom, b.metaFrom);
  r.set(at + R.MetaTo, METAS.n / META);
  r.set(at + R.HdrFrom, b.hdrFrom);
  r.set(at + R.HdrTo, HDRS.n / HDR);
  r.set(at + R.RefFrom, b.refFrom);
  r.set(at + R.RefTo, REFS.n / PAIR);
  r.set(at + R.ComFrom, b.comFrom);
  r.set(at + R.ComTo, COMS.n / PAIR);
  r.set(at + R.PieceFrom, b.pieceFrom);
  r.set(at + R.PieceTo, PIECES.n / PIECE);
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
  } else if (!REQUEST_NAME.test(value)) {
    issue('name-invalid', `"${value}" is not a valid request name: use letters, digits, "_" and "-".`, vs, ve);
  } else if (block.name !== undefined) {
    issue('name-twice', 'This request already has a name.', vs, ve);
  } else {
    block.name = value;
    block.nameStart = vs;
    block.nameEnd = ve;
  }
}

function parseFileVariable(text: string, at: number, le: number, issue: Report): FileVariable | undefined {
  const eq = indexIn(text, '=', at, le);
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
    const word = methodCode >= 0 ? METHODS[methodCode] : text.slice(first, wordEnd);
    if (methodCode < 0) methodCode = OTHER_METHOD;
    method = methodCode >= 0 ? word : word.toUpperCase();
    if (!METHOD_SET.has(method)) {
      issue('unknown-method', `"${word}" is not an HTTP method: use GET, POST, PUT or DELETE.`, first, wordEnd);
    } else if (word !== method) {
      issue('method-case', `Write the method in capitals: ${method}.`, first, wordEnd, 'warning');
    }
    urlStart = wordEnd;
    while (urlStart < end && isBlank(text.charCodeAt(urlStart))) urlStart++;
  }
  let urlEnd = end;
  let versionStart = -1;
  // `HTTP/1.1` or `HTTP/2` after a blank at the end of the line.
  const last = text.charCodeAt(end - 1);
  if (last >= 48 && last <= 57) {
    for (const len of [8, 6]) {
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
  const q = indexIn(text, '?', urlStart, urlEnd);
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
  const blank = nextBlank(text, urlStart);
  if (blank !== -1 && blank < pathEnd) {
    issue('space-in-path', 'The path contains a space; put the query after "?".', blank, blank + 1);
  }
  if (q !== -1) {
    PIECES.push2(q + 1, urlEnd);
    PIECES.push2(q, 0);
  }
}

const METHOD_SET = new Set<string>(METHODS);

/** The index in METHODS of the word at [from, to) when it is written exactly so, else -1. */
function knownMethod(text: string, from: number, to: number): number {
  for (let k = 0; k < METHODS.length; k++) {
    const m = METHODS[k];
    if (m.length === to - from && text.startsWith(m, from)) return k;
  }
  return -1;
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
  const colon = indexIn(text, ':', first, end);
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
  let i = indexIn(text, '{{', from, to);
  while (i !== -1) {
    const close = indexIn(text, '}}', i + 2, to);
    if (close === -1) {
      issue?.('unclosed-variable', 'Close the variable with "}}".', i, to);
      return;
    }
    // `{{{` : the first brace is literal JSON; the reference starts at the last `{{`.
    let open = i;
    while (text.charCodeAt(open + 2) === 123 && open + 2 < close) open++;
    out.push2(open, close + 2);
    i = indexIn(text, '{{', close + 2, to);
  }
}

/**
 * Where each needle next occurs, remembered during one parse. The parser asks in document order, so
 * each native `indexOf` runs from where the last one stopped: linear overall, and native speed.
 */
let memoOn = false;
// Parallel lists (a handful of needles), so that remembering a hit allocates nothing.
const memoNeedles: string[] = [];
const memoFrom: number[] = [];
const memoAt: number[] = [];

/** The characters `isBlank` accepts, for a native search. */
const BLANK_RE = /[ \t\r\f\v]/g;
// Where the remembered search started (NO_SEARCH: none yet, so the next call searches) and its hit.
const NO_SEARCH = Number.MAX_SAFE_INTEGER;
let blankFrom = NO_SEARCH;
let blankAt = -1;

/**
 * The first blank at or after `from`, or -1. A native regex search instead of a charCodeAt loop
 * over every path, remembered like `indexIn`: paths come in document order, so the searches are
 * linear over the file.
 */
function nextBlank(text: string, from: number): number {
  if (!memoOn || from < blankFrom || (blankAt !== -1 && blankAt < from)) {
    BLANK_RE.lastIndex = from;
    blankAt = BLANK_RE.test(text) ? BLANK_RE.lastIndex - 1 : -1;
    blankFrom = from;
  }
  return blankAt;
}

/** `indexOf` limited to [from, to). */
function indexIn(text: string, needle: string, from: number, to: number): number {
  if (from >= to) return -1;
  if (!memoOn) {
    const i = text.indexOf(needle, from);
    return i !== -1 && i + needle.length <= to ? i : -1;
  }
  let k = 0;
  while (k < memoNeedles.length && memoNeedles[k] !== needle) k++;
  if (k === memoNeedles.length) {
    memoNeedles.push(needle);
    memoFrom.push(from);
    memoAt.push(text.indexOf(needle, from));
  } else if (from < memoFrom[k] || (memoAt[k] !== -1 && memoAt[k] < from)) {
    memoFrom[k] = from;
    memoAt[k] = text.indexOf(needle, from);
  }
  const at = memoAt[k];
  return at !== -1 && at + needle.length <= to ? at : -1;
}

/** Cuts ` # comment` / ` // comment` off the end of a value, when whitespace stands before and after the marker. */
function stripTrailingComment(text: string, from: number, to: number): number {
  // Most titles and values have no marker at all: two native searches (linear over the file, see
  // indexIn) instead of a char loop over every title.
  if (indexIn(text, '#', from, to) === -1 && indexIn(text, '//', from, to) === -1) return to;
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
