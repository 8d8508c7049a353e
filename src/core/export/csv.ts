/**
 * The one owner of CSV text: cells, rows, the byte order mark and the formula guard, for Export All
 * and for the response viewer's Export CSV alike.
 *
 * CSV as RFC 4180 says: CRLF between records, fields quoted when they hold a comma, a quote, CR or
 * LF, and quotes doubled inside. Nested objects and arrays are written as JSON text in one cell,
 * so that nothing is lost and the file still opens in a spreadsheet.
 */

/**
 * Starts every CSV file: without it Excel reads the file in the system code page, and names such
 * as Zoë or amounts in £ come out garbled.
 */
export const CSV_BOM = '\ufeff';

/** `=`, `+`, `-`, `@`, and their fullwidth forms, which Excel reads as the same in East Asian input. */
const FORMULA_LEAD = /[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
/**
 * What a spreadsheet passes over before it sees a formula's first character: whitespace, quotes, and
 * invisible format characters (soft hyphen, zero-width space and joiners, direction marks, BOM).
 */
const PASSED_OVER = /[\s"\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/;

/**
 * Where a spreadsheet may start a new cell inside our one cell: `;` is the list separator in
 * semicolon locales (German, French, Dutch Excel split a .csv on it and ignore our commas and, for a
 * field that does not start with a quote, our quotes), a tab when the text is pasted, and a line
 * break for a reader that does not honour the quotes. Quoting cannot protect such a split, so the
 * part after it is defused on its own.
 */
function isSplit(c: number): boolean {
  return c === 59 /* ; */ || c === 9 || c === 10 || c === 13;
}

/**
 * Defuses text that a spreadsheet would run as a formula, with an apostrophe: Excel and LibreOffice
 * show the text and drop the apostrophe. Customer names and notes come from many hands, and the file
 * is usually opened in Excel. Guarded are text whose first visible character is `= + - @` (or a
 * fullwidth one), text starting with a tab or CR, and each part after a split (see `isSplit`) that
 * would start a formula: `a;=1+1` becomes `a;'=1+1`, which reads as `a` and `=1+1` as text in a
 * semicolon locale. One pass from the end: linear whatever the text.
 */
export function defuseFormula(text: string): string {
  if (!FORMULA_LEAD.test(text) && !/^[\t\r]/.test(text)) return text;
  const insertAt: number[] = [];
  let leadAhead = false; // the text after i, past whitespace and invisibles, starts with a formula lead
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (leadAhead && isSplit(c)) insertAt.push(i + 1);
    const ch = text[i];
    if (FORMULA_LEAD.test(ch)) leadAhead = true;
    else if (!PASSED_OVER.test(ch)) leadAhead = false;
  }
  let out = '';
  let from = 0;
  for (let k = insertAt.length - 1; k >= 0; k--) {
    out += `${text.slice(from, insertAt[k])}'`;
    from = insertAt[k];
  }
  out += text.slice(from);
  return leadAhead || /^[\t\r]/.test(text) ? `'${out}` : out;
}

/**
 * One field. Numbers and booleans are data and never guarded, so a negative balance stays a
 * number; every text (JSON of nested values included) is guarded unless `guard` is false.
 */
export function csvCell(value: unknown, guard = true): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else {
    text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
    if (guard) text = defuseFormula(text);
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, with its CRLF. */
export function csvRow(cells: readonly unknown[], guard = true): string {
  return `${cells.map((c) => csvCell(c, guard)).join(',')}\r\n`;
}

/**
 * Tracks the header: the union of keys in first-seen order. Keys that first appear after the header
 * was written are appended as new columns; `CsvRepair` later widens the rows written before them.
 */
export class CsvColumns {
  private readonly index = new Map<string, number>();
  readonly names: string[] = [];

  constructor(private readonly guard = true) {}

  /** Adds any keys not seen yet; returns how many were new. */
  add(records: readonly unknown[]): number {
    let added = 0;
    for (const r of records) {
      if (!r || typeof r !== 'object' || Array.isArray(r)) {
        if (!this.index.has('value')) { this.index.set('value', this.names.length); this.names.push('value'); added++; }
        continue;
      }
      for (const key of Object.keys(r)) {
        if (!this.index.has(key)) {
          this.index.set(key, this.names.length);
          this.names.push(key);
          added++;
        }
      }
    }
    return added;
  }

  row(record: unknown): string {
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      const cells = new Array<unknown>(this.names.length).fill(undefined);
      cells[this.index.get('value') ?? 0] = record;
      return csvRow(cells, this.guard);
    }
    const rec = record as Record<string, unknown>;
    return csvRow(this.names.map((n) => rec[n]), this.guard);
  }
}

/**
 * Rewrites a finished CSV in one streaming pass: a new header, and each data record padded with
 * empty cells to the final width. `widthAt(i)` is the number of columns record i was written with.
 * Record boundaries are CRLFs outside quotes, which is unambiguous because this module wrote them.
 */
export class CsvWidener {
  private inQuotes = false;
  private pendingCr = false;
  private record = -1; // -1 is the old header, which is dropped
  private started = false;

  constructor(
    private readonly header: string,
    private readonly finalWidth: number,
    private readonly widthAt: (record: number) => number,
  ) {}

  /** Transforms one chunk of the old file into the text of the new one. */
  push(chunk: string): string {
    let out = '';
    if (!this.started) {
      out += this.header;
      this.started = true;
    }
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.pendingCr) {
        // A CR outside quotes was held back: with an LF it ends the record, so pad before the CRLF.
        this.pendingCr = false;
        if (c === 10) {
          if (this.record >= 0) out += `${','.repeat(Math.max(0, this.finalWidth - this.widthAt(this.record)))}\r\n`;
          this.record++;
          from = i + 1;
          continue;
        }
        if (this.record >= 0) out += '\r';
      }
      if (c === 34) {
        this.inQuotes = !this.inQuotes;
      } else if (c === 13 && !this.inQuotes) {
        if (this.record >= 0) out += chunk.slice(from, i);
        from = i + 1;
        this.pendingCr = true;
      }
    }
    if (this.record >= 0) out += chunk.slice(from);
    return out;
  }
}
