import type { HttpResponse } from './types';
import { HttpStatusError, Sage200Client, SendOptions } from './client';

/** Sage 200 caps `$top` at 5000. */
export const MAX_PAGE_SIZE = 5000;

export interface PageInfo {
  /** 1-based page number. */
  readonly page: number;
  /** Records received so far, this page included. */
  readonly records: number;
  readonly response: HttpResponse;
}

export interface FetchAllOptions extends Omit<SendOptions, 'onWarning'> {
  /** Default and maximum 5000. */
  readonly pageSize?: number;
  /** Used when the path has no `$orderby` (Sage rejects `$skip` without one). Default `id asc`. */
  readonly defaultOrderBy?: string;
  readonly onWarning?: (message: string) => void;
}

export interface FetchAllResult {
  readonly pages: number;
  readonly records: number;
  /** True when `$orderby` was added because the path had none. */
  readonly addedOrderBy: boolean;
}

interface QueryPart {
  readonly key: string;
  readonly raw: string;
}

function splitQuery(path: string): { base: string; parts: QueryPart[] } {
  const q = path.indexOf('?');
  if (q < 0) return { base: path, parts: [] };
  const parts = path
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((raw) => {
      const eq = raw.indexOf('=');
      let key = eq < 0 ? raw : raw.slice(0, eq);
      try {
        key = decodeURIComponent(key);
      } catch {
        /* keep as typed */
      }
      return { key: key.toLowerCase(), raw };
    });
  return { base: path.slice(0, q), parts };
}

function valueOf(part: QueryPart): string {
  const eq = part.raw.indexOf('=');
  const v = eq < 0 ? '' : part.raw.slice(eq + 1);
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

/**
 * Plans the page URLs for a path: keeps the caller's filters, adds `$orderby` when missing, and
 * turns the caller's own `$top`/`$skip` into an overall limit and a starting offset.
 */
export function planPages(path: string, pageSize = MAX_PAGE_SIZE, defaultOrderBy = 'id asc'): {
  pageUrl(index: number): { url: string; top: number } | undefined;
  addedOrderBy: boolean;
} {
  const size = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(pageSize)));
  const { base, parts } = splitQuery(path);
  const topPart = parts.find((p) => p.key === '$top');
  const skipPart = parts.find((p) => p.key === '$skip');
  const limit = topPart ? Number.parseInt(valueOf(topPart), 10) : Number.POSITIVE_INFINITY;
  const start = skipPart ? Math.max(0, Number.parseInt(valueOf(skipPart), 10) || 0) : 0;
  const kept = parts.filter((p) => p.key !== '$top' && p.key !== '$skip').map((p) => p.raw);
  const addedOrderBy = !parts.some((p) => p.key === '$orderby');
  if (addedOrderBy) kept.push(`$orderby=${encodeURIComponent(defaultOrderBy)}`);
  return {
    addedOrderBy,
    pageUrl(index) {
      const offset = index * size;
      const remaining = (Number.isFinite(limit) ? limit : Number.POSITIVE_INFINITY) - offset;
      if (remaining <= 0) return undefined;
      const top = Math.min(size, remaining);
      return { url: `${base}?${[...kept, `$top=${top}`, `$skip=${start + offset}`].join('&')}`, top };
    },
  };
}

/**
 * Yields the records page by page. The next page is requested as soon as the current one turns
 * out to be full, so the network works while the consumer handles the page it was given; at most
 * two pages are ever held.
 */
export async function* pages(client: Sage200Client, path: string, options: FetchAllOptions = {}): AsyncGenerator<{ records: unknown[]; info: PageInfo }, FetchAllResult> {
  const plan = planPages(path, options.pageSize, options.defaultOrderBy);
  if (plan.addedOrderBy) options.onWarning?.(`Added $orderby=${options.defaultOrderBy ?? 'id asc'} so that pages are stable ($skip needs $orderby).`);
  // Our own controller so that a consumer that stops early also stops the prefetched request.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const fetchPage = (index: number): { top: number; promise: Promise<HttpResponse> } | undefined => {
    const next = plan.pageUrl(index);
    if (!next) return undefined;
    const promise = client.send({ method: 'GET', url: next.url }, { ...options, signal: controller.signal });
    promise.catch(() => undefined); // observed below; avoids an unhandled rejection when abandoned
    return { top: next.top, promise };
  };
  let index = 0;
  let total = 0;
  let pending = fetchPage(0);
  try {
    while (pending) {
      const res = await pending.promise;
      if (res.status < 200 || res.status >= 300) throw new HttpStatusError(res);
      if (!Array.isArray(res.json)) {
        throw new Error(`Expected a JSON array of records from ${res.request.url}, but the answer was ${res.json === undefined ? 'not JSON' : typeof res.json}.`);
      }
      const records = res.json as unknown[];
      total += records.length;
      const full = records.length >= pending.top;
      pending = full ? fetchPage(index + 1) : undefined;
      index++;
      yield { records, info: { page: index, records: total, response: res } };
    }
    return { pages: index, records: total, addedOrderBy: plan.addedOrderBy };
  } finally {
    controller.abort();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Streams every page to `onPage` (awaited, so a slow consumer applies back-pressure). */
export async function fetchAll(
  client: Sage200Client,
  path: string,
  options: FetchAllOptions & { onPage(records: unknown[], info: PageInfo): Promise<void> | void },
): Promise<FetchAllResult> {
  const it = pages(client, path, options);
  for (;;) {
    const step = await it.next();
    if (step.done) return step.value;
    await options.onPage(step.value.records, step.value.info);
  }
}
