/**
 * "Set $select in the request file": the table's columns become the `$select` of the request that
 * produced the response. The request is found and edited through the one `.sage200` parser, so the
 * edit lands on that request's `$select` and nowhere else, on continuation lines too.
 *
 * The column names are response keys, which come from the server: a key holding a line break, `&`
 * or `{{…}}` could otherwise add a request, a query option or a `$dotenv` lookup to the user's file.
 * Only field names are written; anything else is refused and the file is left as it was.
 */
import { parseQueryString } from '../odata/query';
import { parseRequestFile } from '../requestFile/parser';
import type { ParsedRequestFile, RequestBlock } from '../requestFile/types';
import { isFieldName } from './fieldName';


/** Why `$select` was not set; the file is unchanged. */
export class SelectError extends Error {
  constructor(readonly reason: 'not-a-field' | 'no-request', message: string) {
    super(message);
    this.name = 'SelectError';
  }
}

/** Where the response came from: what Send knew, and what was sent. */
export interface RequestLocation {
  /** Zero-based line of the request line when it was sent. */
  readonly line?: number;
  readonly requestIndex?: number;
  readonly method: string;
  readonly url: string;
}

/** One replacement in the file, in offsets of the text given. */
export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/**
 * The request that produced a response: the one at the line (or index) Send gave when its method
 * still matches, else the first whose method and path match what was sent.
 */
export function findRequest(file: ParsedRequestFile, where: RequestLocation): RequestBlock | undefined {
  const method = where.method.toUpperCase();
  const sameMethod = (r: RequestBlock | undefined): r is RequestBlock => r?.requestLine?.method.toUpperCase() === method;
  if (where.line !== undefined) {
    const atLine = file.requests.find((r) => r.requestLine && file.lines.lineOf(r.requestLine.span.start) === where.line);
    if (sameMethod(atLine)) return atLine;
  }
  const sent = pathSegments(where.url);
  const byIndex = where.requestIndex !== undefined ? file.requests[where.requestIndex] : undefined;
  if (sameMethod(byIndex) && pathMatches(byIndex.requestLine!.path, sent)) return byIndex;
  return file.requests.find((r) => sameMethod(r) && pathMatches(r.requestLine!.path, sent));
}

/** What history knows of a request sent from a file: where it was, and what went out. */
export interface SentFrom {
  readonly requestIndex?: number;
  readonly requestName?: string;
  readonly method: string;
  readonly url: string;
}

/** The request in the file now, or why it is not the one that was sent. */
export type SameRequest =
  | { readonly found: true; readonly request: RequestBlock }
  | { readonly found: false; readonly reason: 'missing' }
  | { readonly found: false; readonly reason: 'changed'; readonly now: { readonly method: string; readonly path: string } };

/**
 * The request that was sent, in the file as it is now: found by its name when it had one, else at
 * its index, and only while its method and path are still those sent. Unlike `findRequest` it never
 * settles for a look-alike: sending whatever now sits there could write where the user only read.
 */
export function sameRequest(file: ParsedRequestFile, sent: SentFrom): SameRequest {
  let request: RequestBlock | undefined;
  if (sent.requestName !== undefined) {
    const named = file.requests.filter((r) => r.name === sent.requestName);
    // Two requests with one name: neither is known to be the one sent.
    request = named.length === 1 ? named[0] : undefined;
  } else if (sent.requestIndex !== undefined) {
    request = file.requests[sent.requestIndex];
  }
  const line = request?.requestLine;
  if (!request || !line) return { found: false, reason: 'missing' };
  if (line.method.toUpperCase() !== sent.method.toUpperCase() || !pathMatches(line.path, pathSegments(sent.url))) {
    return { found: false, reason: 'changed', now: { method: line.method.toUpperCase(), path: line.path } };
  }
  return { found: true, request };
}

function pathSegments(url: string): string[] {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/)[0];
  }
  return path.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

/**
 * Whether a path as typed ends the URL that was sent: the client puts the base URL, site and company
 * in front of a relative path, and a `{{variable}}` segment stands for whatever it resolved to.
 */
function pathMatches(typed: string, sent: readonly string[]): boolean {
  const path = typed.replace(/^[A-Za-z][\w+.-]*:\/\/[^/]*/, '').replace(/^\{\{[^}]*\}\}/, '');
  const segments = path.split('/').filter(Boolean);
  if (segments.length === 0 || segments.length > sent.length) return false;
  const tail = sent.slice(sent.length - segments.length);
  return segments.every((s, i) => s.includes('{{') || s === tail[i]);
}

/**
 * The change that sets the `$select` of the request to `fields` (or removes it when `fields` is
 * empty), or undefined when there is nothing to change. Throws `SelectError` when a field is not a
 * field name or the request is not in the text.
 */
export function selectChange(text: string, where: RequestLocation, fields: readonly string[]): TextChange | undefined {
  const bad = fields.filter((f) => !isFieldName(f));
  if (bad.length) {
    const shown = bad.slice(0, 3).map(quoted).join(', ');
    throw new SelectError('not-a-field', `$select was not changed: ${shown} ${bad.length > 1 ? 'are not field names' : 'is not a field name'}. Only names such as account_number or address.city are written into the request file.`);
  }
  const file = parseRequestFile(text);
  const request = findRequest(file, where);
  if (!request?.requestLine) throw new SelectError('no-request', 'The request was not found in the file; was it edited?');
  const value = fields.join(',');
  const query = request.query;
  const select = query ? parseQueryString(query.text).select?.option : undefined;
  if (query && select) {
    if (fields.length === 0) return removal(text, query.map.spanToDoc(select.start, select.end));
    const span = query.map.spanToDoc(select.valueStart, select.valueEnd);
    return { start: span.start, end: span.end, newText: value };
  }
  if (fields.length === 0) return undefined;
  const last = query?.pieces[query.pieces.length - 1];
  if (!last) {
    const at = request.requestLine.pathSpan.end;
    return { start: at, end: at, newText: `?$select=${value}` };
  }
  return { start: last.span.end, end: last.span.end, newText: `${query!.text.trim() === '' ? '' : '&'}$select=${value}` };
}

/** A key as it can be shown on one line: quoted, cut short, anything but printable ASCII escaped. */
function quoted(key: string): string {
  const text = String(key);
  const short = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return JSON.stringify(short).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Removes an option with its separator; a continuation line left empty goes with its line break. */
function removal(text: string, option: { start: number; end: number }): TextChange {
  let { start, end } = option;
  if (text[start - 1] === '&') start--;
  else if (text[start - 1] === '?') {
    if (text[end] === '&') end++;
    else start--;
  }
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nextBreak = text.indexOf('\n', end);
  const lineEnd = nextBreak < 0 ? text.length : nextBreak;
  const rest = text.slice(lineStart, start) + text.slice(end, lineEnd);
  if (rest.trim() === '' && lineStart > 0) {
    // A whitespace-only line would end the request's headers: remove the whole line.
    const prevBreak = text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1;
    return { start: prevBreak, end: lineEnd > 0 && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd, newText: '' };
  }
  return { start, end, newText: '' };
}
