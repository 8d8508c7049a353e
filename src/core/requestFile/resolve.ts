import { HttpRequest } from '../http/types';
import { encodePath, encodeQuery } from '../http/urlEncoding';
import { RequestBlock, ParsedRequestFile, Span, VariableRef } from './types';
import { VariableContext, VariableResolver } from './variables';

export interface ResolveOptions extends VariableContext {
  /** The active connection's base URL, e.g. https://api.columbus.sage.com/uk/sage200/accounts/v1. */
  readonly baseUrl?: string;
}

// The encoders live in core/http so that the secret registry recognises what they produce (one owner).
export { encodePath, encodeQuery };

export class ResolveError extends Error {
  constructor(message: string, readonly span?: Span) {
    super(message);
    this.name = 'ResolveError';
  }
}

/**
 * Turns one parsed request into the HttpRequest that Send, the CLI and "Copy as code" use:
 * variables substituted, the query URL-encoded (the file stays readable), a relative path joined
 * to the base URL, and X-Site / X-Company filled from the active selection unless the request sets them.
 * Throws `ResolveError` or `VariableError` (both with the span to point at).
 */
export async function resolveRequest(file: ParsedRequestFile, request: RequestBlock, options: ResolveOptions): Promise<HttpRequest> {
  const line = request.requestLine;
  if (!line) throw new ResolveError('This block has no request line.', request.span);
  if (line.urlSpan.end <= line.urlSpan.start) throw new ResolveError('The request has no URL.', line.span);
  const vars = new VariableResolver(file, options);
  const text = file.text;
  // Made anew on each read of `refs`: read once, in document order, and searched per span (a request
  // of many query lines must not read every reference once per line).
  const refs = request.refs;
  const refsIn = (span: Span): VariableRef[] => {
    let lo = 0;
    let hi = refs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (refs[mid].span.start < span.start) lo = mid + 1;
      else hi = mid;
    }
    const out: VariableRef[] = [];
    for (let k = lo; k < refs.length && refs[k].span.start < span.end; k++) if (refs[k].span.end <= span.end) out.push(refs[k]);
    return out;
  };
  const sub = (span: Span): Promise<string> => vars.substitute(text.slice(span.start, span.end), span.start, refsIn(span));

  const path = (await sub(line.pathSpan)).trim();
  let query = '';
  for (const piece of request.query?.pieces ?? []) {
    query += piece.lead + await sub(piece.span);
  }
  const url = joinUrl(options.baseUrl, encodePath(path), query ? encodeQuery(query) : '', line.span);

  const headers: Record<string, string> = {};
  const has = (name: string): boolean => Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
  for (const h of request.headers) {
    if (!h.name) continue;
    headers[h.name] = await vars.substitute(h.value, h.valueSpan.start, h.refs);
  }
  let body: string | undefined;
  if (request.body) body = await sub(request.body.span);
  if (options.site && !has('X-Site')) headers['X-Site'] = options.site;
  if (options.company !== undefined && !has('X-Company')) headers['X-Company'] = String(options.company);
  if (body !== undefined && body.length && !has('Content-Type') && /^\s*[[{]/.test(body)) headers['Content-Type'] = 'application/json';
  return { method: line.method, url, headers, ...(body !== undefined ? { body } : {}) };
}

function joinUrl(baseUrl: string | undefined, path: string, query: string, span: Span): string {
  const q = query ? `?${query}` : '';
  if (/^https?:\/\//i.test(path)) return path + q;
  // Without a base URL the path stays relative: the caller's client joins it to its connection.
  if (!baseUrl) return (path.startsWith('/') ? path : `/${path}`) + q;
  const base = baseUrl.replace(/\/+$/, '');
  // A path that repeats the base URL's own prefix (copied from Sage's docs) is not doubled.
  let basePath = '';
  try {
    basePath = new URL(base).pathname.replace(/\/+$/, '');
  } catch {
    throw new ResolveError(`"${baseUrl}" is not a valid base URL.`, span);
  }
  const rel = path.startsWith('/') ? path : `/${path}`;
  if (basePath && (rel === basePath || rel.startsWith(basePath + '/'))) return new URL(base).origin + rel + q;
  return base + rel + q;
}
