/**
 * Facts about a response that the viewer shows and acts on: its records, the last segment of its
 * path (for titles and file names), and what to send again for Re-send, paging and Load all.
 */
import type { HttpRequest, HttpResponse } from '../http/types';
import { originalRequestOf } from '../http/client';
import { headerGet } from '../http/headers';
import { isIntact, withoutClientCredentials } from '../history';

/** Byte-order mark and whitespace before a JSON value. */
const LEADING = new Set([0x20, 0x0a, 0x0d, 0x09, 0xef, 0xbb, 0xbf]);
const OPEN_BRACKET = 0x5b;

/** The records of an array body (parsed here if the client did not), or undefined. */
export function recordArray(r: Pick<HttpResponse, 'json' | 'body'>): unknown[] | undefined {
  if (Array.isArray(r.json)) return r.json;
  if (r.json !== undefined || r.body.length === 0) return undefined;
  // Only a body that starts like an array is decoded and parsed: a 50 MB object is not.
  if (r.body.find((b) => !LEADING.has(b)) !== OPEN_BRACKET) return undefined;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(r.body));
    return Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** `{ records: n }` for an array body, `{}` otherwise: spread into a display. */
export function recordsOf(r: Pick<HttpResponse, 'json' | 'body'>): { records?: number } {
  const a = recordArray(r);
  return a ? { records: a.length } : {};
}

/** The last segment of an absolute URL's path (`customers`); undefined for a relative URL or an empty path. */
export function lastPathSegment(url: string): string | undefined {
  try {
    return new URL(url).pathname.split('/').filter(Boolean).pop();
  } catch {
    return undefined;
  }
}

/** A file name for a saved body or an export: `customers-2026-12-07.csv`, safe on every file system. */
export function responseFileName(url: string, extension: string, now = new Date()): string {
  const name = lastPathSegment(url) ?? 'response';
  return `${name.replace(/[^\w.-]+/g, '_')}-${now.toISOString().slice(0, 10)}.${extension}`;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether sending the request again changes data in Sage 200 a second time. */
export function isWrite(method: string): boolean {
  return !READS.has(method.toUpperCase());
}

/** X-Site and X-Company as the request carried them. */
export function requestScope(headers: Readonly<Record<string, string>>): { site?: string; company?: string } {
  const site = headerGet(headers, 'X-Site');
  const company = headerGet(headers, 'X-Company');
  return { ...(site ? { site } : {}), ...(company ? { company } : {}) };
}

/**
 * What to send again for a response on screen: the request its caller resolved (kept in memory
 * while the response is shown), with the site and company it went to; or else the stored record
 * when masking changed nothing. Never a record with masks in it: that would write `***` into the
 * user's data. Undefined when only the request file can resolve it again.
 */
export function resendableRequest(response: HttpResponse, masked?: boolean): HttpRequest | undefined {
  const original = originalRequestOf(response);
  if (original) return withScopeOf(original, response.request);
  const entry = { request: response.request, ...(masked !== undefined ? { masked } : {}) };
  return isIntact(entry) ? withoutClientCredentials(response.request) : undefined;
}

/** The original keeps the site and company it was sent to, not whichever is active at re-send time. */
function withScopeOf(original: HttpRequest, sent: HttpRequest): HttpRequest {
  const headers = { ...original.headers };
  for (const name of ['X-Site', 'X-Company']) {
    const value = headerGet(sent.headers, name);
    if (value !== undefined && headerGet(headers, name) === undefined) headers[name] = value;
  }
  return { ...original, headers };
}
