/**
 * Paging maths for "Next page" / "Previous page". Sage 200 has no next link: a page is chosen by
 * `$skip` and `$top`, and `$skip` is rejected unless `$orderby` is given, so paging adds
 * `$orderby=id asc` when the request has none (and says so through `orderbyAdded`).
 */

import { readPaging, SAGE_DEFAULT_TOP, setPaging } from '../odata/paging';

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

/** Reads `$top`, `$skip` and whether `$orderby` is present from a request URL. */
export function pageInfo(url: string): PageInfo {
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
  return setPaging(url, { top, ...(skip > 0 ? { skip } : {}) }).url;
}
