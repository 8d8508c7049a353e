/**
 * Paging maths for "Next page" / "Previous page". Sage 200 has no next link: a page is chosen by
 * `$skip` and `$top`, and `$skip` is rejected unless `$orderby` is given, so paging adds
 * `$orderby=id asc` when the request has none (and says so through `orderbyAdded`).
 */

/** Sage's default page size when a request gives no `$top`. */
export const SAGE_DEFAULT_TOP = 500;
export const SAGE_MAX_TOP = 5000;

export interface PageInfo {
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

interface QueryPart {
  readonly raw: string;
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
      const rawKey = eq >= 0 ? raw.slice(0, eq) : raw;
      const rawValue = eq >= 0 ? raw.slice(eq + 1) : '';
      return { raw, key: safeDecode(rawKey).trim().toLowerCase(), value: safeDecode(rawValue) };
    });
  return { base: noHash.slice(0, q), parts, hash };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function nonNegativeInt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Reads `$top`, `$skip` and whether `$orderby` is present from a request URL. */
export function pageInfo(url: string): PageInfo {
  const { parts } = splitUrl(url);
  const get = (k: string) => parts.find((p) => p.key === k)?.value;
  const explicitTop = nonNegativeInt(get('$top'));
  return {
    top: explicitTop && explicitTop > 0 ? explicitTop : SAGE_DEFAULT_TOP,
    topAssumed: !(explicitTop && explicitTop > 0),
    skip: nonNegativeInt(get('$skip')) ?? 0,
    hasOrderby: parts.some((p) => p.key === '$orderby' && p.value.trim() !== ''),
  };
}

/**
 * The URL of the next or previous page, or undefined when there is none (previous from the first
 * page; next after a page that came back short, when `received` is known).
 * Other query options keep their order and encoding; only `$skip`, `$top` and `$orderby` change.
 */
export function pageTarget(url: string, direction: 'next' | 'previous', received?: number): PageTarget | undefined {
  const info = pageInfo(url);
  if (direction === 'previous' && info.skip === 0) return undefined;
  if (direction === 'next' && received !== undefined && received < info.top) return undefined;
  const skip = direction === 'next' ? info.skip + info.top : Math.max(0, info.skip - info.top);
  return { url: withPaging(url, skip, info.top), skip, top: info.top, orderbyAdded: !info.hasOrderby };
}

/** Sets `$skip` and `$top` (replacing any), and adds `$orderby=id asc` when missing. */
export function withPaging(url: string, skip: number, top: number): string {
  const { base, parts, hash } = splitUrl(url);
  const kept = parts.filter((p) => p.key !== '$skip' && p.key !== '$top').map((p) => p.raw);
  if (!parts.some((p) => p.key === '$orderby' && p.value.trim() !== '')) kept.push('$orderby=id%20asc');
  kept.push(`$top=${top}`);
  if (skip > 0) kept.push(`$skip=${skip}`);
  return `${base}?${kept.join('&')}${hash}`;
}
