/**
 * One `###` block of a `.sage200` file, read on its own. Blocks are independent: nothing read in
 * one changes how another is read, so an edit re-reads only the blocks it touches. The grammar,
 * line by line (blanks before a line's first character are ignored):
 *
 *   ### Customers on hold             separator: starts the block, the rest is its title
 *   # a comment   // a comment        comments, anywhere
 *   # @name onHold                    metadata: a comment of the form `@key value`, before the request line
 *   @top = 10                         a file variable, before the request line
 *   GET /customers?$top=1 HTTP/1.1    the request line: [method] url [HTTP version]
 *       &$select=id,name              query continuation: indented `?` or `&`, before the first header
 *   Content-Type: application/json    headers, up to the first blank line
 *
 *   { "name": "x" }                   the body: the rest of the block
 *   ?? status == 200                  assertions: in any state; they end the body
 *
 * The reader never throws: whatever it cannot understand becomes a `SyntaxIssue` and reading goes on.
 */
import { classifyRef, scanRefs } from './refs';
import {
  AssertionLine, FileVariable, Header, Metadata, QueryPart, QueryPiece, RequestBlock, RequestLine, Span, SyntaxIssue, VariableRef,
} from './types';
import { OffsetMap } from './types';
import {
  ASSERTION, AT, EQUALS, HASH_COMMENT, HEADER_COLON, isBlank, isLineBreak, isTrailingSpace, JSON_ARRAY, JSON_OBJECT, QUERY_JOIN,
  QUERY_START, REF_OPEN, SEPARATOR, SLASH_COMMENT, isWordChar, HTTP_VERSION_PREFIX,
} from './chars';

/** Methods the request line accepts. Sage 200 uses the first four; the rest are kept for absolute URLs. */
export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;
const METHOD_SET = new Set<string>(METHODS);

/** The parts of lines that are checked by their shape. */
const GRAMMAR = {
  headerName: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/,
  variableName: /^[A-Za-z_][\w.-]*$/,
  requestName: /^[A-Za-z_][\w-]*$/,
  httpVersion: /^HTTP\/\d(?:\.\d)?$/,
  absoluteUrl: /^https?:/i,
  /** A header line that is really a request line: the `###` before it is missing. */
  requestLike: /^([A-Z]+)\s+\S/,
};

/** A block as read from one version of the document: its spans are offsets into that text. */
export interface ParsedBlock {
  /** Where the block lay when it was read: [start, end) of that text. */
  readonly start: number;
  readonly end: number;
  /** The block's request; undefined for a head of comments and variables before the first `###`. */
  readonly request: RequestBlock | undefined;
  readonly fileVariables: readonly FileVariable[];
  readonly issues: readonly SyntaxIssue[];
}

type State = 'preamble' | 'headers' | 'body';

/** Reads the block at [start, end) of `text`; its request gets `index`. `onlyLf`: the block has no `\r`. */
export function parseBlock(text: string, start: number, end: number, index: number, onlyLf = false): ParsedBlock {
  return new BlockReader(text, start, end, onlyLf).read(index);
}

class BlockReader {
  private state: State = 'preamble';
  private afterAssertion = false;
  private readonly issues: SyntaxIssue[] = [];
  private readonly fileVariables: FileVariable[] = [];
  private readonly metadata: Metadata[] = [];
  private readonly headers: Header[] = [];
  private readonly assertions: AssertionLine[] = [];
  private readonly refs: VariableRef[] = [];
  private readonly comments: Span[] = [];
  private readonly pieces: QueryPiece[] = [];
  private separatorSpan: Span | undefined;
  private title: string | undefined;
  private titleSpan: Span | undefined;
  private name: string | undefined;
  private nameSpan: Span | undefined;
  private requestLine: RequestLine | undefined;
  private bodyStart = -1;
  private bodyEnd = -1;

  /** `issue` as a function, for the reference scanner (made once per block). */
  private readonly report = (code: string, message: string, start: number, end: number): void => this.issue(code, message, start, end);

  constructor(private readonly text: string, private readonly start: number, private readonly end: number, private readonly onlyLf: boolean) {}

  read(index: number): ParsedBlock {
    const { text, start, end } = this;
    // Without a CR in the block, lines end at each `\n`, found natively; with one, character by character.
    const onlyLf = this.onlyLf;
    for (let ls = start; ls < end || ls === start;) {
      let le: number;
      if (onlyLf) {
        const lf = text.indexOf('\n', ls);
        le = lf === -1 || lf > end ? end : lf;
      } else {
        le = ls;
        while (le < end && !isLineBreak(text.charCodeAt(le))) le++;
      }
      this.line(ls, le);
      if (le >= end) break;
      ls = text.charCodeAt(le) === 13 && text.charCodeAt(le + 1) === 10 ? le + 2 : le + 1;
    }
    // A head with nothing but comments and variables is not a request.
    const isRequest = this.separatorSpan !== undefined || this.requestLine !== undefined;
    const request: RequestBlock | undefined = isRequest ? {
      index,
      span: { start, end: trimEndAcrossLines(text, start, end) },
      separatorSpan: this.separatorSpan,
      title: this.title,
      titleSpan: this.titleSpan,
      name: this.name,
      nameSpan: this.nameSpan,
      metadata: exact(this.metadata),
      requestLine: this.requestLine,
      query: this.pieces.length ? joinQuery(text, this.pieces) : undefined,
      headers: exact(this.headers),
      body: this.bodyStart < 0 ? undefined : { text: text.slice(this.bodyStart, this.bodyEnd), span: { start: this.bodyStart, end: this.bodyEnd } },
      assertions: exact(this.assertions),
      refs: exact(this.refs),
      comments: exact(this.comments),
    } : undefined;
    return { start, end, request, fileVariables: exact(this.fileVariables), issues: exact(this.issues) };
  }

  private issue(code: string, message: string, start: number, end: number, severity: SyntaxIssue['severity'] = 'error'): void {
    this.issues.push({ code, message, span: { start, end: Math.max(start, end) }, severity });
  }

  /** One line, [ls, le) without its line break. */
  private line(ls: number, le: number): void {
    const text = this.text;
    let first = ls;
    while (first < le && isBlank(text.charCodeAt(first))) first++;
    const blank = first === le;
    // The line's first character chooses what it can be; the marks are compared in full only then.
    const c = blank ? '' : text[first];
    if (ls === this.start && c === HASH_COMMENT && text.startsWith(SEPARATOR, first)) return this.separator(ls, first, le);
    if (c === ASSERTION[0] && text.startsWith(ASSERTION, first)) return this.assertion(first, le);
    const comment = c === HASH_COMMENT || (c === SLASH_COMMENT[0] && text.startsWith(SLASH_COMMENT, first));
    if (this.afterAssertion) {
      if (comment) this.comments.push({ start: first, end: le });
      else if (!blank) this.issue('content-after-assertion', 'Lines after an assertion are ignored; put `??` assertions after the body.', first, trimEnd(text, first, le), 'warning');
      return;
    }
    if (this.state === 'body') return this.bodyLine(first, le, blank, comment);
    if (blank) {
      if (this.state === 'headers') this.state = 'body';
      return;
    }
    if (comment) {
      this.comments.push({ start: first, end: le });
      if (this.state === 'preamble') this.metadataLine(first + (c === HASH_COMMENT ? HASH_COMMENT.length : SLASH_COMMENT.length), le);
      return;
    }
    if (this.state === 'headers') return this.headerAreaLine(ls, first, le, c);
    if (c === AT) return this.fileVariable(first, le);
    this.requestLineAt(first, le);
    this.state = 'headers';
  }

  private separator(ls: number, first: number, le: number): void {
    this.separatorSpan = { start: ls, end: le };
    const t = trimmed(this.text, first + SEPARATOR.length, stripTrailingComment(this.text, first + SEPARATOR.length, le));
    if (t.end > t.start) {
      this.title = this.text.slice(t.start, t.end);
      this.titleSpan = t;
    }
  }

  private assertion(first: number, le: number): void {
    const end = trimEnd(this.text, first, le);
    const textSpan = trimmed(this.text, first + ASSERTION.length, end);
    const refs: VariableRef[] = [];
    scanRefs(this.text, textSpan.start, textSpan.end, refs, this.report);
    for (const r of refs) this.refs.push(r);
    this.assertions.push({ span: { start: first, end }, text: this.text.slice(textSpan.start, textSpan.end), textSpan, refs: exact(refs) });
    this.afterAssertion = true;
  }

  private bodyLine(first: number, le: number, blank: boolean, comment: boolean): void {
    if (blank) return;
    // Before the body's first line, `#` and `//` lines are comments: a note typed below a GET
    // after a blank line is not a body, and no JSON body starts that way.
    if (comment && this.bodyStart < 0) {
      this.comments.push({ start: first, end: le });
      return;
    }
    if (this.bodyStart < 0) this.bodyStart = first;
    this.bodyEnd = trimEnd(this.text, first, le);
    this.scanRefs(first, le);
  }

  /** A line after the request line and before the blank line: a query continuation, a header, or a body too early. */
  private headerAreaLine(ls: number, first: number, le: number, c: string): void {
    const text = this.text;
    const indented = first > ls;
    if (indented && this.headers.length === 0 && (c === QUERY_START || c === QUERY_JOIN)) {
      // The query's first part: its `?` (or a stray `&`) only opens the query. Later parts are
      // joined by a `&`; on a second `?` line that `&` stands on the `?`.
      const lead = this.pieces.length === 0 ? '' : QUERY_JOIN;
      this.pieces.push({ span: { start: first + 1, end: trimEnd(text, first, le) }, lead, leadAt: first });
      this.scanRefs(first, le);
      return;
    }
    if (c === JSON_OBJECT || c === JSON_ARRAY) {
      this.issue('body-needs-blank-line', 'Put a blank line between the headers and the body.', first, le);
      this.state = 'body';
      this.bodyLine(first, le, false, false);
      return;
    }
    this.header(first, le);
  }

  private header(first: number, le: number): void {
    const text = this.text;
    const end = trimEnd(text, first, le);
    const colon = indexWithin(text, HEADER_COLON, first, end);
    // Only a line without a colon, or with a blank before it, can be a request line.
    const asRequest = (colon === -1 || indexWithin(text, ' ', first, colon) !== -1)
      && GRAMMAR.requestLike.exec(text.slice(first, Math.min(end, first + 12)));
    if (asRequest && METHOD_SET.has(asRequest[1])) {
      this.issue('missing-separator', 'Start each request with a "###" line.', first, end);
      return;
    }
    if (colon === -1) {
      this.issue('header-syntax', 'Expected a header "Name: value", or a blank line before the body.', first, end);
      return;
    }
    const nameSpan = trimmed(text, first, colon);
    const name = text.slice(nameSpan.start, nameSpan.end);
    if (!GRAMMAR.headerName.test(name)) {
      this.issue('header-name', name ? `"${name}" is not a valid header name.` : 'The header needs a name before ":".', first, colon);
    }
    const valueSpan = trimmed(text, colon + 1, end);
    const refs: VariableRef[] = [];
    scanRefs(text, valueSpan.start, valueSpan.end, refs, this.report);
    for (const r of refs) this.refs.push(r);
    this.headers.push({ name, nameSpan, value: text.slice(valueSpan.start, valueSpan.end), valueSpan, span: { start: nameSpan.start, end }, refs: exact(refs) });
  }

  /** `# @key value` (from just after the comment marker). */
  private metadataLine(from: number, le: number): void {
    const text = this.text;
    let at = from;
    while (at < le && isBlank(text.charCodeAt(at))) at++;
    if (!text.startsWith(AT, at)) return;
    let keyEnd = at + 1;
    while (keyEnd < le && isWordChar(text.charCodeAt(keyEnd))) keyEnd++;
    if (keyEnd === at + 1) return;
    const key = text.slice(at + 1, keyEnd);
    const keySpan = { start: at + 1, end: keyEnd };
    // `# @top = 10` is a commented-out file variable, not metadata.
    let j = keySpan.end;
    while (j < le && isBlank(text.charCodeAt(j))) j++;
    if (text.startsWith(EQUALS, j) && j < le) return;
    const valueSpan = trimmed(text, keySpan.end, le);
    const value = text.slice(valueSpan.start, valueSpan.end);
    this.metadata.push({ key, keySpan, value, valueSpan, span: { start: at, end: le } });
    if (key !== 'name') return;
    if (!value) {
      this.issue('name-missing', 'Give the request a name after "@name".', at, keySpan.end);
    } else if (!GRAMMAR.requestName.test(value)) {
      this.issue('name-invalid', `"${value}" is not a valid request name: use letters, digits, "_" and "-".`, valueSpan.start, valueSpan.end);
    } else if (this.name !== undefined) {
      this.issue('name-twice', 'This request already has a name.', valueSpan.start, valueSpan.end);
    } else {
      this.name = value;
      this.nameSpan = valueSpan;
    }
  }

  /** `@name = value`. */
  private fileVariable(at: number, le: number): void {
    const text = this.text;
    const eq = indexWithin(text, EQUALS, at, le);
    const nameSpan = trimmed(text, at + 1, eq === -1 ? le : eq);
    const name = text.slice(nameSpan.start, nameSpan.end);
    if (eq === -1) {
      this.issue('variable-no-value', `Expected "=" and a value after "@${name}".`, at, le);
      return;
    }
    if (!GRAMMAR.variableName.test(name)) {
      this.issue('variable-name', name ? `"${name}" is not a valid variable name.` : 'The variable needs a name before "=".', at, eq);
      return;
    }
    const valueSpan = trimmed(text, eq + 1, stripTrailingComment(text, eq + 1, le));
    const refs: VariableRef[] = [];
    scanRefs(text, valueSpan.start, valueSpan.end, refs, this.report);
    this.fileVariables.push({ name, nameSpan, value: text.slice(valueSpan.start, valueSpan.end), valueSpan, span: { start: at, end: le }, refs: exact(refs) });
  }

  /** `[method] url [HTTP/version]`; a line that starts with `/`, `{{` or `http(s):` is a GET. */
  private requestLineAt(first: number, le: number): void {
    const text = this.text;
    const end = trimEnd(text, first, le);
    let wordEnd = first;
    while (wordEnd < end && !isBlank(text.charCodeAt(wordEnd))) wordEnd++;
    const c = text[first];
    const implicitMethod = c === '/' || (c === '{' && text.startsWith(REF_OPEN, first))
      || ((c === 'h' || c === 'H') && GRAMMAR.absoluteUrl.test(text.slice(first, first + 6)));
    let method = 'GET';
    let urlStart = first;
    if (!implicitMethod) {
      const word = text.slice(first, wordEnd);
      method = METHOD_SET.has(word) ? word : word.toUpperCase();
      if (!METHOD_SET.has(method)) {
        this.issue('unknown-method', `"${word}" is not an HTTP method: use GET, POST, PUT or DELETE.`, first, wordEnd);
      } else if (word !== method) {
        this.issue('method-case', `Write the method in capitals: ${method}.`, first, wordEnd, 'warning');
      }
      urlStart = wordEnd;
      while (urlStart < end && isBlank(text.charCodeAt(urlStart))) urlStart++;
    }
    const methodSpan = { start: first, end: implicitMethod ? first : wordEnd };
    // `HTTP/1.1` or `HTTP/2`: the last word, after a blank.
    let urlEnd = end;
    let httpVersionSpan: Span | undefined;
    let lastBlank = end - 1;
    while (lastBlank >= urlStart && !isBlank(text.charCodeAt(lastBlank))) lastBlank--;
    if (lastBlank >= urlStart && text.startsWith(HTTP_VERSION_PREFIX, lastBlank + 1) && GRAMMAR.httpVersion.test(text.slice(lastBlank + 1, end))) {
      httpVersionSpan = { start: lastBlank + 1, end };
      urlEnd = trimEnd(text, urlStart, lastBlank);
    }
    if (urlEnd <= urlStart) {
      this.issue('missing-url', `Expected a path after ${method}, for example ${method} /customers.`, first, end);
    }
    urlEnd = Math.max(urlStart, urlEnd);
    const q = indexWithin(text, QUERY_START, urlStart, urlEnd);
    const pathEnd = q === -1 ? urlEnd : q;
    this.scanRefs(urlStart, urlEnd);
    // A form feed, vertical tab or lone CR in a path is not flagged here; such a path does not
    // resolve, and the unknown-path diagnostic reports it.
    for (let i = urlStart; i < pathEnd; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9) {
        this.issue('space-in-path', 'The path contains a space; put the query after "?".', i, i + 1);
        break;
      }
    }
    if (q !== -1) this.pieces.push({ span: { start: q + 1, end: urlEnd }, lead: '', leadAt: q });
    const url = text.slice(urlStart, urlEnd);
    const urlSpan = { start: urlStart, end: urlEnd };
    this.requestLine = {
      span: { start: first, end },
      method,
      methodSpan,
      implicitMethod,
      url,
      urlSpan,
      // Without a query, the path is the whole URL.
      path: q === -1 ? url : text.slice(urlStart, pathEnd),
      pathSpan: q === -1 ? urlSpan : { start: urlStart, end: pathEnd },
      httpVersion: httpVersionSpan ? text.slice(httpVersionSpan.start, httpVersionSpan.end) : undefined,
      httpVersionSpan,
    };
  }

  private scanRefs(from: number, to: number): void {
    scanRefs(this.text, from, to, this.refs, this.report);
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
    joined += text.slice(p.span.start, p.span.end);
    map.add(p.span.end - p.span.start, p.span.start, p.span.end);
  }
  return { text: joined, map, pieces };
}

/**
 * A finished list at its exact length. A list grown by `push` reserves room for 17 items, and a
 * large file keeps thousands of one- or two-item lists alive: the garbage collector copies that room.
 */
function exact<T>(list: T[]): readonly T[] {
  return list.length === 0 ? NONE : list.slice();
}

/** The one empty list that every empty part shares: most requests have no metadata, headers or issues. */
const NONE: readonly never[] = [];

/** The length of the comment marker at `at` (`#` or `//`), or 0. */
function commentMarker(text: string, at: number): number {
  if (text.startsWith(HASH_COMMENT, at)) return HASH_COMMENT.length;
  return text.startsWith(SLASH_COMMENT, at) ? SLASH_COMMENT.length : 0;
}

/** Where the one-character `needle` is in [from, to), or -1: a search of the whole text would read past the line. */
function indexWithin(text: string, needle: string, from: number, to: number): number {
  const code = needle.charCodeAt(0);
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** Cuts ` # comment` / ` // comment` off the end of a value, when whitespace stands before and after the marker. */
function stripTrailingComment(text: string, from: number, to: number): number {
  let seenValue = false;
  for (let i = from; i < to; i++) {
    if (isBlank(text.charCodeAt(i))) continue;
    if (seenValue && isBlank(text.charCodeAt(i - 1))) {
      const marker = commentMarker(text, i);
      if (marker && (i + marker === to || isBlank(text.charCodeAt(i + marker)))) return i;
    }
    seenValue = true;
  }
  return to;
}

function trimmed(text: string, from: number, to: number): Span {
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
  while (e > from && isTrailingSpace(text.charCodeAt(e - 1))) e--;
  return e;
}

export { classifyRef };
