/**
 * The response viewer's Export CSV: the records on screen, in the table's visible columns (field
 * names or dotted paths), streamed to a temporary file and renamed into place like every export.
 * Cells, rows, the BOM and the formula guard come from the one CSV owner, shared with Export All.
 */
import { columnValue } from '../viewer/columns';
import { CSV_BOM, csvRow } from './csv';
import { ExportFileSystem, nodeFileSystem, writeFileAtomically } from './writer';

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

/** Writes `records` as CSV to `target`; the file appears whole or not at all. Returns the bytes written. */
export function writeCsvFile(target: string, records: Iterable<unknown>, columns: readonly string[], fsys: ExportFileSystem = nodeFileSystem): Promise<number> {
  return writeFileAtomically(target, csvLines(records, columns), fsys);
}
