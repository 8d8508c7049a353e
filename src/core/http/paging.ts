import type { HttpResponse } from './types';
import { HttpStatusError, Sage200Client, SendOptions } from './client';
import { DEFAULT_ORDERBY, readPaging, SAGE_MAX_TOP, setPaging } from '../odata/paging';

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

/**
 * Plans the page URLs for a path: keeps the caller's filters, adds `$orderby` when missing, and
 * turns the caller's own `$top`/`$skip` into an overall limit and a starting offset.
 */
export function planPages(path: string, pageSize = SAGE_MAX_TOP, defaultOrderBy = DEFAULT_ORDERBY): {
  pageUrl(index: number): { url: string; top: number } | undefined;
  addedOrderBy: boolean;
} {
  const size = Math.max(1, Math.min(SAGE_MAX_TOP, Math.floor(pageSize)));
  const asked = readPaging(path);
  const limit = asked.top ?? Number.POSITIVE_INFINITY;
  const start = asked.skip ?? 0;
  return {
    addedOrderBy: asked.orderby === undefined,
    pageUrl(index) {
      const offset = index * size;
      const remaining = limit - offset;
      if (remaining <= 0) return undefined;
      const top = Math.min(size, remaining);
      return { url: setPaging(path, { top, skip: start + offset, orderbyIfMissing: defaultOrderBy }).url, top };
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
  if (plan.addedOrderBy) options.onWarning?.(`Added $orderby=${options.defaultOrderBy ?? DEFAULT_ORDERBY} so that pages are stable ($skip needs $orderby).`);
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
