import type { AnsweredRequest } from '../http/types';
import type { Scope } from './nodes';

/**
 * Which record lists a write makes stale, wherever it was sent from (a request file, the viewer, a
 * test run, the tree). Pure: the explorer passes the lists it holds, and reads again only those
 * named here.
 */

/** A list of records the explorer holds. */
export interface HeldList {
  readonly id: string;
  readonly scope: Pick<Scope, 'connectionId' | 'siteId' | 'companyId'>;
  /** The list's own path (for a list embedded in a record: the record's item path). */
  readonly path: string;
  /** The top-level collection it is read from, when it has no GET of its own. */
  readonly source?: string;
  /** The collection of its records' item paths (`bank_posted_transactions` for a bank's transactions). */
  readonly itemCollection?: string;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A collection's name (`customer_contacts`); anything else in a path is an id. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function segments(path: string): string[] {
  return path.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

/**
 * The path segments of a written URL relative to the API (`['customers', '1269']`), or undefined
 * for a URL outside the connection's API.
 */
export function writtenSegments(url: string, baseUrl?: string): string[] | undefined {
  let base: URL | undefined;
  try {
    base = baseUrl ? new URL(baseUrl) : undefined;
  } catch {
    base = undefined;
  }
  const basePath = base ? segments(base.pathname) : [];
  let path: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return undefined;
    }
    if (!base || u.origin !== base.origin) return undefined;
    path = u.pathname;
  } else {
    path = url.replace(/[?#].*$/, '');
  }
  const segs = segments(path);
  // A path that repeats the base URL's own prefix (copied from Sage's docs) is the same path.
  const prefixed = basePath.length > 0 && basePath.every((s, i) => segs[i] === s);
  return prefixed ? segs.slice(basePath.length) : segs;
}

function sameScope(write: AnsweredRequest, scope: HeldList['scope']): boolean {
  return write.connectionId === scope.connectionId && write.site === scope.siteId
    && write.company !== undefined && String(write.company) === String(scope.companyId);
}

/**
 * The ids of the held lists that a successful write can change: lists of the written collection
 * (by name, on any parent unless the write names one) and lists whose records live in it, on the
 * same connection, site and company; and a list embedded in the written record. None for reads,
 * failures, or a URL outside the API.
 */
export function affectedLists(write: AnsweredRequest, lists: readonly HeldList[]): string[] {
  if (!WRITES.has(write.method.toUpperCase()) || write.status < 200 || write.status > 299) return [];
  const segs = writtenSegments(write.url, write.baseUrl);
  if (!segs?.length) return [];
  // `/customers/1269` writes in `customers`; `/customers/1269/customer_contacts` (a POST) in `customer_contacts`.
  const item = !NAME.test(segs[segs.length - 1]);
  const collectionAt = item ? segs.length - 2 : segs.length - 1;
  if (collectionAt < 0) return [];
  const collection = segs[collectionAt];
  const parent = segs.slice(0, collectionAt).join('/');
  const written = segs.join('/');
  return lists.filter((list) => {
    if (!sameScope(write, list.scope)) return false;
    const own = segments(list.path);
    if (own.join('/') === written) return true;
    const names = [own[own.length - 1], list.source ? segments(list.source).pop() : undefined, list.itemCollection];
    if (!names.includes(collection)) return false;
    // `/customers/1269/customer_contacts/5` is not in the contacts of customer 1300.
    const listParent = own.slice(0, -1).join('/');
    return !parent || !listParent || own[own.length - 1] !== collection || parent === listParent;
  }).map((l) => l.id);
}
