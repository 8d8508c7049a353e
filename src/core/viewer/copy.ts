/**
 * What copying from the table puts on the clipboard: one cell's value as it is, or a range of
 * cells as tab-separated text, which spreadsheets and editors paste back as rows and columns.
 */
import { columnValue } from './columns';

/** A rectangle of cells in view rows and visible columns, both ends included, in any order. */
export interface CellRange {
  readonly anchor: { readonly row: number; readonly col: number };
  readonly focus: { readonly row: number; readonly col: number };
}

/** The range's rows and columns, low to high. */
export function rangeBounds(r: CellRange): { top: number; bottom: number; left: number; right: number } {
  return {
    top: Math.min(r.anchor.row, r.focus.row),
    bottom: Math.max(r.anchor.row, r.focus.row),
    left: Math.min(r.anchor.col, r.focus.col),
    right: Math.max(r.anchor.col, r.focus.col),
  };
}

/** One cell's value as copied alone: text as it is, anything else as (pretty) JSON. */
export function cellCopyText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v ?? null, null, 2);
}

/**
 * A field of tab-separated text: empty for a missing value or null, nested values as compact
 * JSON, and quoted (quotes doubled) when it holds a tab, a line break or a quote, as spreadsheets
 * read it back.
 */
export function tsvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[\t\r\n"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The cells of a range as tab-separated lines (one per row, `\n` between them), optionally with
 * the column names first. `recordAt` maps a view row to its record; `columns` are the visible
 * columns' keys.
 */
export function rangeText(range: CellRange, recordAt: (row: number) => unknown, columns: readonly string[], withHeader = false): string {
  const { top, bottom, left, right } = rangeBounds(range);
  const keys = columns.slice(left, right + 1);
  const lines: string[] = withHeader ? [keys.map(tsvField).join('\t')] : [];
  for (let row = top; row <= bottom; row++) {
    const record = recordAt(row);
    lines.push(keys.map((k) => tsvField(columnValue(record, k))).join('\t'));
  }
  return lines.join('\n');
}
