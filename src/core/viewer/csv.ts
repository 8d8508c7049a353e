/**
 * CSV export (RFC 4180): every field that holds a comma, quote, CR or LF is quoted, quotes are
 * doubled, and records end with CRLF. Nested objects and arrays are written as JSON. A text cell
 * that a spreadsheet would run as a formula (starting with = + - @, or a tab/CR) is prefixed with
 * an apostrophe, because accounting data comes from many hands and is opened in Excel.
 */
import { columnValue } from './columns';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell's text, quoted when needed. Numbers stay numbers (a negative balance is not a formula). */
export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (typeof value === 'string') text = FORMULA_START.test(value) ? `'${value}` : value;
  else text = guardFormula(JSON.stringify(value) ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function guardFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

export function csvRow(values: readonly unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}

/** The header row plus one row per record; `columns` are field names or dotted paths. */
export function* csvLines(records: Iterable<unknown>, columns: readonly string[]): Generator<string> {
  yield columns.map((c) => csvCell(c)).join(',') + '\r\n';
  for (const r of records) {
    yield csvRow(columns.map((c) => columnValue(r, c)));
  }
}

export function toCsv(records: Iterable<unknown>, columns: readonly string[]): string {
  let out = '';
  for (const line of csvLines(records, columns)) out += line;
  return out;
}
