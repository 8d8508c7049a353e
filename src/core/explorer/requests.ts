import type { Catalog } from '../catalog/catalog';
import { MODULE_TITLES, ModuleId } from '../catalog/types';
import { SAGE_DEFAULT_TOP, withQueryOption } from '../odata/paging';
import { keyFields } from './records';

export interface RequestTextOptions {
  readonly path: string;
  readonly module: ModuleId;
  readonly schema?: string;
  readonly top?: number;
  readonly siteName?: string;
  readonly companyName?: string;
}

/**
 * A ready-to-send `.sage200` request for an entity. The path is relative so that it follows the
 * active connection, site and company, like any request the user writes by hand.
 */
export function requestText(catalog: Catalog, options: RequestTextOptions): string {
  const select = keyFields(catalog, options.schema);
  const query = [
    select.length ? `$select=${select.join(',')}` : undefined,
    `$top=${options.top ?? 20}`,
  ].filter(Boolean).join('&');
  const where = options.companyName ? ` (${options.companyName})` : '';
  return `### ${MODULE_TITLES[options.module]}: ${options.path.replace(/^\//, '')}${where}\nGET ${options.path}?${query}\n`;
}

/** Appends a request to existing file text with exactly one blank line between requests. */
export function appendRequest(existing: string, request: string): string {
  if (existing.trim() === '') return request;
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const body = request.replace(/\n/g, eol);
  return `${existing.replace(/\s+$/, '')}${eol}${eol}${body}`;
}

/** The `$count=true` request for a collection path. */
export function countUrl(path: string): string {
  return withQueryOption(path, '$count', 'true');
}

/** Fetch first page: Sage's default page size, written into the URL so that the user and the viewer's paging see it. */
export function firstPageUrl(path: string): string {
  return withQueryOption(path, '$top', String(SAGE_DEFAULT_TOP));
}

/**
 * Reads the number out of a `$count=true` answer. Sage's shape is not documented: accept a bare
 * number, a number as text, `{ "@odata.count": n }`, `{ count | Count | total: n }`, or fall back to
 * the length of an array answer.
 */
export function parseCount(json: unknown, bodyText?: string): number | undefined {
  if (typeof json === 'number' && Number.isFinite(json)) return json;
  if (typeof json === 'string' && /^\d+$/.test(json.trim())) return Number(json.trim());
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const rec = json as Record<string, unknown>;
    for (const k of ['@odata.count', 'odata.count', 'count', 'Count', 'total', 'Total', 'total_count']) {
      const v = rec[k];
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
    }
  }
  if (json === undefined && bodyText !== undefined && /^\s*\d+\s*$/.test(bodyText)) return Number(bodyText.trim());
  // An array here means the server ignored $count: its length is a page size, not a count.
  return undefined;
}

export interface RecordRequestOptions {
  readonly method: 'GET' | 'PUT' | 'DELETE';
  /** The record's item path, relative to the API: `/customers/12`. */
  readonly path: string;
  /** What the record is, for the `###` line: `customers ABC001 Acme Ltd`. */
  readonly title: string;
  /** The site and company the record was read from: ids repeat across companies. */
  readonly siteId: string;
  readonly companyId: number;
  readonly companyName?: string;
  /** The JSON body of a PUT. */
  readonly body?: Readonly<Record<string, unknown>>;
}

/**
 * A `.sage200` request on one record. It names its site and company in headers, because the same
 * id is another record in another company; a `{{` in the record's data is escaped so that it is
 * sent as written and not read as a variable.
 */
export function recordRequestText(o: RecordRequestOptions): string {
  const noVars = (s: string): string => s.replace(/\{\{/g, '{\\u007b');
  const where = o.companyName ? ` (${o.companyName})` : '';
  const lines = [
    `### ${o.title.replace(/[\r\n]+/g, ' ').replace(/\{\{/g, '{ {')}${where}`,
    `${o.method} ${o.path}`,
    `X-Site: ${o.siteId}`,
    `X-Company: ${o.companyId}`,
  ];
  if (o.body !== undefined) {
    lines.push('Content-Type: application/json', '', noVars(JSON.stringify(o.body, null, 2)));
  }
  return `${lines.join('\n')}\n`;
}
