/**
 * The viewer's Export CSV: the table's columns (field names or dotted paths) as a CSV file. Cells,
 * rows, the BOM and the formula guard come from the one CSV owner, shared with Export All.
 */
import { CSV_BOM, csvRow } from '../export/csv';
import { columnValue } from './columns';

/** The file in pieces to stream: the BOM, the header row, then one row per record. */
export function* csvLines(records: Iterable<unknown>, columns: readonly string[]): Generator<string> {
  yield CSV_BOM;
  yield csvRow(columns);
  for (const r of records) {
    yield csvRow(columns.map((c) => columnValue(r, c)));
  }
}

export function toCsv(records: Iterable<unknown>, columns: readonly string[]): string {
  let out = '';
  for (const line of csvLines(records, columns)) out += line;
  return out;
}
