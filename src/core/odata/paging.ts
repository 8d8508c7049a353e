/**
 * Sage 200's paging options in a URL's query string, and Sage's page-size limits: the one place
 * that reads and rewrites `$top`, `$skip` and `$orderby` for the viewer's Next/Previous, the HTTP
 * client's fetch-all and the explorer. Editing works on the encoded URL as it is sent: options
 * that are not changed keep their order and their encoding exactly.
 */

/** The page Sage 200 returns when a request gives no `$top`. */
export const SAGE_DEFAULT_TOP = 500;
/** Sage 200 refuses a larger `$top`. */
export const SAGE_MAX_TOP = 5000;
/** The order added when a request has none: Sage 200 rejects `$skip` without `$orderby`. */
export const DEFAULT_ORDERBY = 'id asc';

/** The paging options a URL asks for; each is undefined when absent or not valid. */
export interface PagingOptions {
  /** A whole number, 0 or more. */
  readonly top?: number;
  /** A whole number, 0 or more. */
  readonly skip?: number;
  /** The `$orderby` text, decoded; undefined when missing or blank. */
  readonly orderby?: string;
}

interface QueryPart {
  /** As written in the URL. */
  readonly raw: string;
  /** Decoded, trimmed and lower-cased, for matching (`%24top` and `$TOP` are `$top`). */
  readonly key: string;
  readonly value: string;
}

function splitUrl(url: string): { base: string; parts: QueryPart[]; hash: string } {
  const hashAt = url.indexOf('#');
  const hash = hashAt >= 0 ? url.slice(hashAt) : '';
  const noHash = hashAt >= 0 ? url.slice(0, hashAt) : url;
  const q = noHash.indexOf('?');
  if (q < 0) return { base: noHash, parts: [], hash };
  const parts = noHash
    .slice(q + 1)
    .split('&')
    .filter((p) => p.length > 0)
    .map((raw) => {
      const eq = raw.indexOf('=');
      const key = decode(eq >= 0 ? raw.slice(0, eq) : raw).trim().toLowerCase();
      return { raw, key, value: decode(eq >= 0 ? raw.slice(eq + 1) : '') };
    });
  return { base: noHash.slice(0, q), parts, hash };
}

/** Form decoding as a server reads it (`+` is a space); text that is not valid escapes stays as typed. */
function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function wholeNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function hasOrderby(parts: readonly QueryPart[]): boolean {
  return parts.some((p) => p.key === '$orderby' && p.value.trim() !== '');
}

/** Reads `$top`, `$skip` and `$orderby` from a URL or a path with a query. */
export function readPaging(url: string): PagingOptions {
  const { parts } = splitUrl(url);
  const get = (k: string): string | undefined => parts.find((p) => p.key === k)?.value;
  const top = wholeNumber(get('$top'));
  const skip = wholeNumber(get('$skip'));
  const orderby = parts.find((p) => p.key === '$orderby' && p.value.trim() !== '')?.value;
  return { ...(top !== undefined ? { top } : {}), ...(skip !== undefined ? { skip } : {}), ...(orderby !== undefined ? { orderby } : {}) };
}

export interface SetPaging {
  /** Written as `$top`; any `$top` already there is removed either way. */
  readonly top?: number;
  /** Written as `$skip`; any `$skip` already there is removed either way. */
  readonly skip?: number;
  /** Added when the URL has no `$orderby` (a blank one is replaced). Default `id asc`. */
  readonly orderbyIfMissing?: string;
}

/**
 * The URL with `$top` and `$skip` set (replacing any), and an `$orderby` added when it has none, so
 * that Sage accepts the `$skip`. Other options keep their order and encoding.
 */
export function setPaging(url: string, paging: SetPaging): { readonly url: string; readonly orderbyAdded: boolean } {
  const { base, parts, hash } = splitUrl(url);
  const orderbyAdded = !hasOrderby(parts);
  const kept = parts.filter((p) => p.key !== '$top' && p.key !== '$skip' && !(orderbyAdded && p.key === '$orderby')).map((p) => p.raw);
  if (orderbyAdded) kept.push(`$orderby=${encodeURIComponent(paging.orderbyIfMissing ?? DEFAULT_ORDERBY)}`);
  if (paging.top !== undefined) kept.push(`$top=${paging.top}`);
  if (paging.skip !== undefined) kept.push(`$skip=${paging.skip}`);
  return { url: `${base}?${kept.join('&')}${hash}`, orderbyAdded };
}

/** The URL without `$top` and `$skip` (matched as a server would); other options keep their order. */
export function withoutPaging(url: string): string {
  const { base, parts, hash } = splitUrl(url);
  const kept = parts.filter((p) => p.key !== '$top' && p.key !== '$skip').map((p) => p.raw);
  return `${base}${kept.length ? `?${kept.join('&')}` : ''}${hash}`;
}

/** The URL with one query option set to `value` (replacing any of that name, matched as a server would). */
export function withQueryOption(url: string, name: string, value: string): string {
  const { base, parts, hash } = splitUrl(url);
  const key = name.toLowerCase();
  const kept = parts.filter((p) => p.key !== key).map((p) => p.raw);
  kept.push(`${name}=${encodeURIComponent(value)}`);
  return `${base}?${kept.join('&')}${hash}`;
}

/** Where a page sits, for the viewer's Next and Previous. */
export interface PagePosition {
  readonly top: number;
  readonly skip: number;
  /** True when the request had no explicit `$top` and Sage's default was assumed. */
  readonly topAssumed: boolean;
  readonly hasOrderby: boolean;
}

export interface PageTarget {
  readonly url: string;
  readonly skip: number;
  readonly top: number;
  /** `$orderby=id asc` was added because the request had none. */
  readonly orderbyAdded: boolean;
}

/** The page a request URL asks for: its `$top` (Sage's default when absent), `$skip` and whether it orders. */
export function pagePosition(url: string): PagePosition {
  const { top, skip, orderby } = readPaging(url);
  return {
    top: top && top > 0 ? top : SAGE_DEFAULT_TOP,
    topAssumed: !(top && top > 0),
    skip: skip ?? 0,
    hasOrderby: orderby !== undefined,
  };
}

/**
 * The URL of the next or previous page, or undefined when there is none (previous from the first
 * page; next after a page that came back short, when `received` is known). Sage 200 has no next
 * link, so a page is `$skip` moved by `$top`, with `$orderby=id asc` added when missing.
 */
export function pageTarget(url: string, direction: 'next' | 'previous', received?: number): PageTarget | undefined {
  const at = pagePosition(url);
  if (direction === 'previous' && at.skip === 0) return undefined;
  if (direction === 'next' && received !== undefined && received < at.top) return undefined;
  const skip = direction === 'next' ? at.skip + at.top : Math.max(0, at.skip - at.top);
  const { url: target, orderbyAdded } = setPaging(url, { top: at.top, ...(skip > 0 ? { skip } : {}) });
  return { url: target, skip, top: at.top, orderbyAdded };
}
