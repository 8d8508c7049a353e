import type { Catalog } from '../catalog/catalog';
import type { Edition } from '../catalog/types';
import { completeQueryAt, parseQueryString, validateQuery } from '../odata';
import type { ODataDiagnostic } from '../odata';

/**
 * The explorer's `$filter` box, checked and completed by the project's one OData parser exactly as
 * a `$filter=` in a request file is: the text is read as the value of a `$filter` option.
 */

const PREFIX = '$filter=';

export interface FilterTarget {
  readonly catalog: Catalog;
  /** The schema of the list's records. */
  readonly schema: string;
  readonly edition: Edition;
}

/** The parser's diagnostics for a `$filter` value, with ranges into the value; an empty text has none. */
export function checkRecordFilter(target: FilterTarget, text: string): ODataDiagnostic[] {
  if (text.trim() === '') return [];
  const q = parseQueryString(`${PREFIX}${text}`);
  return validateQuery(q, { catalog: target.catalog, schema: target.schema, edition: target.edition, method: 'GET' })
    .map((d) => ({ ...d, start: Math.max(0, d.start - PREFIX.length), end: Math.max(0, d.end - PREFIX.length) }));
}

/** The first error, as one line for an input's validation message; undefined when the filter can be sent. */
export function filterProblem(target: FilterTarget, text: string): string | undefined {
  const d = checkRecordFilter(target, text).find((x) => x.severity === 'error');
  return d ? `${d.message} (column ${d.start + 1})` : undefined;
}

export interface FilterCompletion {
  readonly label: string;
  readonly detail: string;
  /** The whole filter text with the completion applied. */
  readonly value: string;
}

/**
 * Completions at the end of what was typed (a quick input has no cursor to report): fields,
 * operators, functions and values that fit, narrowed to the word being typed.
 */
export function completeRecordFilter(target: FilterTarget, text: string, limit = 30): FilterCompletion[] {
  const wrapped = `${PREFIX}${text}`;
  const result = completeQueryAt(wrapped, wrapped.length, { catalog: target.catalog, schema: target.schema, edition: target.edition });
  const start = Math.max(PREFIX.length, result.replaceStart);
  const typed = wrapped.slice(start, wrapped.length).toLowerCase();
  const out: FilterCompletion[] = [];
  for (const item of [...result.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label))) {
    if (!item.label.toLowerCase().startsWith(typed) || item.label.toLowerCase() === typed) continue;
    const insert = item.insertText ?? item.label;
    out.push({ label: item.label, detail: item.detail, value: `${wrapped.slice(PREFIX.length, start)}${insert}` });
    if (out.length >= limit) break;
  }
  return out;
}
