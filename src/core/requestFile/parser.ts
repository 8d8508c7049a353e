import {
  FileVariable, Header, LineIndex, Metadata, OffsetMap, ParsedRequestFile, QueryPart, QueryPiece, RequestBlock,
  RequestLine, Span, SyntaxIssue, VariableRef,
} from './types';
import { Scratch } from '../scratch';

/** Methods the request line accepts. Sage 200 uses the first four; the rest are kept for absolute URLs. */
export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;
const METHOD_SET = new Set<string>(METHODS);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const VARIABLE_NAME = /^[A-Za-z_][\w.-]*$/;
const REQUEST_NAME = /^[A-Za-z_][\w-]*$/;

type State = 'preamble' | 'headers' | 'body';

interface MutableBlock {
  index: number;
  start: number;
  end: number;
  /** End of the `###` line, or -1 when the block has none (the separator starts at `start`). */
  sepEnd: number;
  title?: string;
  titleStart: number;
  titleEnd: number;
  name?: string;
  nameStart: number;
  nameEnd: number;
  metadata: Scratch<Metadata>;
  requestLine?: RequestLine;
  queryPieces: Scratch<QueryPiece>;
  headers: Scratch<Header>;
  bodyStart: number;
  bodyEnd: number;
  refs: Scratch<VariableRef>;
  comments: Scratch<Span>;
  state: State;
}

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
  }
}

function parse(text: string): ParsedRequestFile {
  const lines = new LineIndex(text);
  const issues: SyntaxIssue[] = [];
  const fileVariables: FileVariable[] = [];
  const requests: RequestBlock[] = [];
  const issue = (code: string, message: string, start: number, end: number, severity: SyntaxIssue['severity'] = 'error'): void => {
    issues.push({ code, message, span: { start, end: Math.max(start, end) }, severity });
  };

  // One block under construction, reused for every request: its lists are scratch space, reset per
  // block and copied out at their exact length when the block ends. A fresh object and five fresh
  // lists per request (most of them empty, the rest grown by push to 17 slots) were a large share of
  // what a 1 MB file allocates, and every allocated byte brings the next garbage collection closer.
  const block: MutableBlock = {
    index: 0, start: 0, end: 0, sepEnd: -1, title: undefined, titleStart: 0, titleEnd: 0,
    name: undefined, nameStart: 0, nameEnd: 0, metadata: new Scratch(), requestLine: undefined, queryPieces: new Scratch(),
    headers: new Scratch(), bodyStart: -1, bodyEnd: -1, refs: new Scratch(), comments: new Scratch(), state: 'preamble',
  };

  const finish = (b: MutableBlock, end: number): void => {
    b.end = end;
    // A leading block with nothing but comments and variables is the file's head, not a request.
    if (b.sepEnd >= 0 || b.requestLine) requests.push(toRequestBlock(text, b, requests.length));
  };

  for (let line = 0; line < lines.lineCount; line++) {
    const ls = lines.starts[line];
    const le = lines.lineEnd(line);
    let first = ls;
    while (first < le && isBlank(text.charCodeAt(first))) first++;
    const blank = first === le;

    if (text.charCodeAt(first) === 35 /* # */ && text.startsWith('###', first)) {
      finish(block, ls);
      resetBlock(block, ls, requests.length);
      block.sepEnd = le;
      let ts = first + 3;
      let te = stripTrailingComment(text, ts, le);
      while (ts < te && isBlank(text.charCodeAt(ts))) ts++;
      while (te > ts && isBlank(text.charCodeAt(te - 1))) te--;
      if (te > ts) {
        block.title = text.slice(ts, te);
        block.titleStart = ts;
        block.titleEnd = te;
      }
      continue;
    }

    if (block.state === 'body') {
      if (!blank) {
        if (block.bodyStart < 0) block.bodyStart = first;
        block.bodyEnd = trimEnd(text, first, le);
        scanRefsInto(text, first, le, block.refs, issue);
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
      block.comments.add({ start: first, end: le });
      if (block.state === 'preamble') parseMetadata(text, afterMarker, le, block, issue);
      continue;
    }

    if (block.state === 'headers') {
      const c = text.charCodeAt(first);
      if (first > ls && (c === 63 /* ? */ || c === 38 /* & */) && block.headers.n === 0 && block.requestLine) {
        addQueryPiece(text, block, first, le);
        scanRefsInto(text, first, le, block.refs, issue);
        continue;
      }
      if (c === 123 /* { */ || c === 91 /* [ */) {
        issue('body-needs-blank-line', 'Put a blank line between the headers and the body.', first, le);
        block.state = 'body';
        block.bodyStart = first;
        block.bodyEnd = trimEnd(text, first, le);
        scanRefsInto(text, first, le, block.refs, issue);
        continue;
      }
      parseHeader(text, first, le, block, issue);
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
  checkDuplicateNames(requests, issue);
  return { text, lines, requests, fileVariables, issues };
}

function toRequestBlock(text: string, b: MutableBlock, index: number): RequestBlock {
  // Trailing blank lines belong to the block (folding ends at the next separator) but not the body.
  // One literal with every key (absent parts are undefined): adding optional keys one by one would
  // grow each object's property store several times, once per request of files with thousands.
  return new Block(
    index, b.start, trimEndAcrossLines(text, b.start, b.end), b.sepEnd, b.title, b.titleStart, b.titleEnd,
    b.name, b.nameStart, b.nameEnd, b.metadata.take(), b.requestLine,
    b.queryPieces.n ? joinQuery(text, b.queryPieces.take()) : undefined, b.headers.take(),
    b.bodyStart >= 0 ? new Body(text.slice(b.bodyStart, b.bodyEnd), b.bodyStart, b.bodyEnd) : undefined,
    b.refs.take(), b.comments.take(),
  );
}

/*
 * The tree keeps its offsets as numbers and makes the span objects on demand. A 1 MB file has
 * thousands of requests; each `{ start, end }` kept per request is one more object that every
 * garbage collection of the young generation copies while the tree is alive, and that copying was a
 * large share of parsing. Spans read once (diagnostics, hover) become short-lived objects instead,
 * which cost the collector nothing. The getters return a new object each time: compare spans by
 * their offsets, never by identity.
 */
class Block implements RequestBlock {
  constructor(
    readonly index: number,
    private readonly spanStart: number,
    private readonly spanEnd: number,
    private readonly sepEnd: number,
    readonly title: string | undefined,
    private readonly titleStart: number,
    private readonly titleEnd: number,
    readonly name: string | undefined,
    private readonly nameStart: number,
    private readonly nameEnd: number,
    readonly metadata: readonly Metadata[],
    readonly requestLine: RequestLine | undefined,
    readonly query: QueryPart | undefined,
    readonly headers: readonly Header[],
    readonly body: { readonly text: string; readonly span: Span } | undefined,
    readonly refs: readonly VariableRef[],
    readonly comments: readonly Span[],
  ) {}

  get span(): Span {
    return { start: this.spanStart, end: this.spanEnd };
  }

  get separatorSpan(): Span | undefined {
    return this.sepEnd < 0 ? undefined : { start: this.spanStart, end: this.sepEnd };
  }

  get titleSpan(): Span | undefined {
    return this.title === undefined ? undefined : { start: this.titleStart, end: this.titleEnd };
  }

  get nameSpan(): Span | undefined {
    return this.name === undefined ? undefined : { start: this.nameStart, end: this.nameEnd };
  }
}

/** A request body with its span made on demand (see `Block`). */
class Body {
  constructor(readonly text: string, private readonly start: number, private readonly end: number) {}

  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

/** `# @key value` with its spans made on demand (see `Block`). */
class Meta implements Metadata {
  constructor(
    readonly key: string,
    readonly value: string,
    private readonly start: number,
    private readonly keyStart: number,
    private readonly keyEnd: number,
    private readonly valueStart: number,
    private readonly valueEnd: number,
    private readonly end: number,
  ) {}

  get keySpan(): Span {
    return { start: this.keyStart, end: this.keyEnd };
  }

  get valueSpan(): Span {
    return { start: this.valueStart, end: this.valueEnd };
  }

  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

/** A header line with its spans made on demand (see `Block`). */
class Hdr implements Header {
  constructor(
    readonly name: string,
    readonly value: string,
    readonly refs: readonly VariableRef[],
    private readonly start: number,
    private readonly nameEnd: number,
    private readonly valueStart: number,
    private readonly valueEnd: number,
    private readonly end: number,
  ) {}

  get nameSpan(): Span {
    return { start: this.start, end: this.nameEnd };
  }

  get valueSpan(): Span {
    return { start: this.valueStart, end: this.valueEnd };
  }

  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

/** A piece of a query with its span made on demand (see `Block`). */
class Piece implements QueryPiece {
  constructor(private readonly start: number, private readonly end: number, readonly lead: string, readonly leadAt: number) {}

  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

/** A request line with its spans made on demand (see `Block`). */
class Line implements RequestLine {
  constructor(
    readonly method: string,
    readonly implicitMethod: boolean,
    readonly url: string,
    readonly path: string,
    readonly httpVersion: string | undefined,
    private readonly lineStart: number,
    private readonly lineEnd: number,
    private readonly methodEnd: number,
    private readonly urlStart: number,
    private readonly urlEnd: number,
    private readonly pathEnd: number,
    private readonly versionStart: number,
  ) {}

  get span(): Span {
    return { start: this.lineStart, end: this.lineEnd };
  }

  get methodSpan(): Span {
    return { start: this.lineStart, end: this.methodEnd };
  }

  get urlSpan(): Span {
    return { start: this.urlStart, end: this.urlEnd };
  }

  get pathSpan(): Span {
    return { start: this.urlStart, end: this.pathEnd };
  }

  get httpVersionSpan(): Span | undefined {
    return this.httpVersion === undefined ? undefined : { start: this.versionStart, end: this.lineEnd };
  }
}

// Empty lists of every block share one array (Scratch.take hands it out): most blocks have no metadata, headers or refs.

/** Collects into a caller's plain array (the exported `scanRefs`). */
interface RefSink {
  add(r: VariableRef): void;
}

function resetBlock(b: MutableBlock, start: number, index: number): void {
  b.index = index;
  b.start = start;
  b.end = start;
  b.sepEnd = -1;
  b.title = undefined;
  b.titleStart = 0;
  b.titleEnd = 0;
  b.name = undefined;
  b.nameStart = 0;
  b.nameEnd = 0;
  b.requestLine = undefined;
  b.bodyStart = -1;
  b.bodyEnd = -1;
  b.state = 'preamble';
  b.metadata.n = 0;
  b.queryPieces.n = 0;
  b.headers.n = 0;
  b.refs.n = 0;
  b.comments.n = 0;
}

function checkDuplicateNames(requests: readonly RequestBlock[], issue: (c: string, m: string, s: number, e: number, sev?: SyntaxIssue['severity']) => void): void {
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

function parseMetadata(text: string, from: number, le: number, block: MutableBlock, issue: (c: string, m: string, s: number, e: number, sev?: SyntaxIssue['severity']) => void): void {
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
  // `@name` (nearly every key) as the constant string, not a slice per request.
  const key = keyEnd - keyStart === 4 && text.startsWith('name', keyStart) ? 'name' : text.slice(keyStart, keyEnd);
  const value = text.slice(vs, ve);
  const valueSpan = { start: vs, end: ve };
  block.metadata.add(new Meta(key, value, i, keyStart, keyEnd, vs, ve, le));
  if (key === 'name') {
    if (!value) {
      issue('name-missing', 'Give the request a name after "@name".', i, keyEnd);
    } else if (!REQUEST_NAME.test(value)) {
      issue('name-invalid', `"${value}" is not a valid request name: use letters, digits, "_" and "-".`, valueSpan.start, valueSpan.end);
    } else if (block.name !== undefined) {
      issue('name-twice', 'This request already has a name.', valueSpan.start, valueSpan.end);
    } else {
      block.name = value;
      block.nameStart = vs;
      block.nameEnd = ve;
    }
  }
}

function parseFileVariable(text: string, at: number, le: number, issue: (c: string, m: string, s: number, e: number, sev?: SyntaxIssue['severity']) => void): FileVariable | undefined {
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
  const refs = REF_SCRATCH;
  scanRefsInto(text, valueSpan.start, valueSpan.end, refs, issue);
  return { name, nameSpan, value: text.slice(valueSpan.start, valueSpan.end), valueSpan, span: { start: at, end: le }, refs: refs.take() };
}

function parseRequestLine(text: string, first: number, le: number, block: MutableBlock, issue: (c: string, m: string, s: number, e: number, sev?: SyntaxIssue['severity']) => void): void {
  // Char-code scanning instead of regexes and slices: this runs once per request of large files.
  const end = trimEnd(text, first, le);
  let wordEnd = first;
  while (wordEnd < end && !isBlank(text.charCodeAt(wordEnd))) wordEnd++;
  const c0 = text.charCodeAt(first);
  const looksLikeUrl = c0 === 47 /* / */ || (c0 === 123 && text.charCodeAt(first + 1) === 123) ||
    ((c0 === 104 || c0 === 72) && /^https?:/i.test(text.slice(first, first + 6)));
  let method = 'GET';
  let methodEnd = first;
  let urlStart = first;
  let implicitMethod = true;
  if (!looksLikeUrl) {
    implicitMethod = false;
    methodEnd = wordEnd;
    // The method as one of the constant strings when it is written as such (no slice per request).
    const word = knownMethod(text, first, wordEnd) ?? text.slice(first, wordEnd);
    method = METHOD_SET.has(word) ? word : word.toUpperCase();
    if (!METHOD_SET.has(method)) {
      issue('unknown-method', `"${word}" is not an HTTP method: use GET, POST, PUT or DELETE.`, first, wordEnd);
    } else if (word !== method) {
      issue('method-case', `Write the method in capitals: ${method}.`, first, wordEnd, 'warning');
    }
    urlStart = wordEnd;
    while (urlStart < end && isBlank(text.charCodeAt(urlStart))) urlStart++;
  }
  let urlEnd = end;
  let httpVersion: string | undefined;
  let versionStart = -1;
  // `HTTP/1.1` or `HTTP/2` after a blank at the end of the line.
  const last = text.charCodeAt(end - 1);
  if (last >= 48 && last <= 57) {
    for (const len of [8, 6]) {
      const at = end - len;
      if (at > urlStart && text.startsWith('HTTP/', at) && isBlank(text.charCodeAt(at - 1)) && /^HTTP\/\d(\.\d)?$/.test(text.slice(at, end))) {
        httpVersion = text.slice(at, end);
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
  const urlTo = Math.max(urlStart, urlEnd);
  const pathTo = Math.max(urlStart, pathEnd);
  const url = text.slice(urlStart, urlTo);
  // Without a query the path is the URL: the same string, not a copy.
  const path = pathTo === urlTo ? url : text.slice(urlStart, pathTo);
  block.requestLine = new Line(method, implicitMethod, url, path, httpVersion, first, end, methodEnd, urlStart, urlTo, pathTo, versionStart);
  scanRefsInto(text, urlStart, urlTo, block.refs, issue);
  const blank = nextBlank(text, urlStart);
  if (blank !== -1 && blank < pathEnd) {
    issue('space-in-path', 'The path contains a space; put the query after "?".', blank, blank + 1);
  }
  if (q !== -1) {
    block.queryPieces.add(new Piece(q + 1, urlEnd, '', q));
  }
}

function knownMethod(text: string, from: number, to: number): string | undefined {
  for (const m of METHODS) if (m.length === to - from && text.startsWith(m, from)) return m;
  return undefined;
}

function addQueryPiece(text: string, block: MutableBlock, first: number, le: number): void {
  const end = trimEnd(text, first, le);
  const isAmp = text.charCodeAt(first) === 38;
  if (block.queryPieces.n === 0) {
    // The first part of the query: its `?` (or a stray `&`) only opens the query.
    block.queryPieces.add(new Piece(first + 1, end, '', first));
  } else if (isAmp) {
    block.queryPieces.add(new Piece(first + 1, end, '&', first));
  } else {
    // A second `?` line reads as another option; the `&` that joins it stands on the `?`.
    block.queryPieces.add(new Piece(first + 1, end, '&', first));
  }
}

/** Joins query pieces into one string with a map back to the document. */
export function joinQuery(text: string, pieces: readonly QueryPiece[]): QueryPart {
  const map = new OffsetMap();
  let joined = '';
  for (const p of pieces) {
    if (p.lead) {
      joined += p.lead;
      map.add(p.lead.length, p.leadAt, p.leadAt + 1);
    }
    const span = p.span; // made on demand: read it once
    joined += text.slice(span.start, span.end);
    map.add(span.end - span.start, span.start, span.end);
  }
  return { text: joined, map, pieces };
}

function parseHeader(text: string, first: number, le: number, block: MutableBlock, issue: (c: string, m: string, s: number, e: number, sev?: SyntaxIssue['severity']) => void): void {
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
  const refs = REF_SCRATCH;
  scanRefsInto(text, valueSpan.start, valueSpan.end, refs, issue);
  for (let k = 0; k < refs.n; k++) block.refs.add(refs.items[k]);
  block.headers.add(new Hdr(name, text.slice(valueSpan.start, valueSpan.end), refs.take(), nameSpan.start, nameSpan.end, valueSpan.start, valueSpan.end, end));
}

/** Finds `{{…}}` references in [from, to) (one line). An unclosed `{{` is reported. */
export function scanRefs(text: string, from: number, to: number, out: VariableRef[], issue?: (c: string, m: string, s: number, e: number) => void): void {
  scanRefsInto(text, from, to, { add: (r) => out.push(r) }, issue);
}

/** The refs of a header or file variable value, before they are copied out. */
const REF_SCRATCH = new Scratch<VariableRef>();

function scanRefsInto(text: string, from: number, to: number, out: RefSink, issue?: (c: string, m: string, s: number, e: number) => void): void {
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
    out.add(classifyRef(text, open, close + 2));
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

export function classifyRef(text: string, start: number, end: number): VariableRef {
  let is = start + 2;
  let ie = end - 2;
  while (is < ie && isBlank(text.charCodeAt(is))) is++;
  while (ie > is && isBlank(text.charCodeAt(ie - 1))) ie--;
  const expression = text.slice(is, ie);
  if (expression.charCodeAt(0) === 36 /* $ */) {
    const words = expression.split(/\s+/);
    return new Ref(start, end, is, ie, expression, 'system', words[0] || '$', words.slice(1).filter(Boolean), undefined, undefined, undefined);
  }
  const dot = expression.indexOf('.');
  if (dot > 0) {
    const r = responseRef(expression, dot);
    if (r) return new Ref(start, end, is, ie, expression, 'response', r.name, undefined, r.part, r.source, r.path);
  }
  return new Ref(start, end, is, ie, expression, 'plain', expression, undefined, undefined, undefined, undefined);
}

/** A `{{…}}` reference with its spans made on demand (see `Block`). */
class Ref implements VariableRef {
  constructor(
    private readonly start: number,
    private readonly end: number,
    private readonly innerStart: number,
    private readonly innerEnd: number,
    readonly expression: string,
    readonly kind: VariableRef['kind'],
    readonly name: string,
    readonly args: readonly string[] | undefined,
    readonly part: VariableRef['part'],
    readonly source: VariableRef['source'],
    readonly path: string | undefined,
  ) {}

  get span(): Span {
    return { start: this.start, end: this.end };
  }

  get expressionSpan(): Span {
    return { start: this.innerStart, end: this.innerEnd };
  }
}

/**
 * `name.response.body…` / `name.request.headers…` (`name` of [A-Za-z_][\w-]*), read by char codes:
 * request files repeat such references thousands of times, and a regex match allocates its groups.
 */
function responseRef(e: string, dot: number): { name: string; source: 'response' | 'request'; part: 'body' | 'headers'; path: string } | undefined {
  if (!isNameStartCode(e.charCodeAt(0))) return undefined;
  for (let i = 1; i < dot; i++) {
    const c = e.charCodeAt(i);
    if (!isWordChar(c)) return undefined;
  }
  let i = dot + 1;
  let source: 'response' | 'request';
  if (e.startsWith('response.', i)) {
    source = 'response';
    i += 9;
  } else if (e.startsWith('request.', i)) {
    source = 'request';
    i += 8;
  } else {
    return undefined;
  }
  let part: 'body' | 'headers';
  if (e.startsWith('body', i)) {
    part = 'body';
    i += 4;
  } else if (e.startsWith('headers', i)) {
    part = 'headers';
    i += 7;
  } else {
    return undefined;
  }
  let path = '';
  if (i < e.length) {
    const c = e.charCodeAt(i);
    if (c === 91 /* [ */) path = e.slice(i);
    else if (c === 46 /* . */) path = e.slice(i + 1);
    else return undefined;
  }
  return { name: e.slice(0, dot), source, part, path };
}

function isNameStartCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
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

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
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
