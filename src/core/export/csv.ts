/**
 * CSV as RFC 4180 says: CRLF between records, fields quoted when they hold a comma, a quote, CR or
 * LF, and quotes doubled inside. Nested objects and arrays are written as JSON text in one cell,
 * so that nothing is lost and the file still opens in a spreadsheet.
 *
 * With `guard` (the default for exports), text that a spreadsheet would evaluate as a formula
 * (starting with = + - @, tab or CR) gets a leading apostrophe: customer names and notes come from
 * many hands, and the file is usually opened in Excel. Numbers are never touched, so a negative
 * balance stays a number. The response viewer's CSV behaves the same way.
 */
export function csvCell(value: unknown, guard = false): string {
  let text: string;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else {
    text = typeof value === 'string' ? value : JSON.stringify(value);
    if (guard && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly unknown[], guard = false): string {
  return `${cells.map((c) => csvCell(c, guard)).join(',')}\r\n`;
}

/**
 * Tracks the header: the union of keys in first-seen order. Keys that first appear after the header
 * was written are appended as new columns; `CsvRepair` later widens the rows written before them.
 */
export class CsvColumns {
  private readonly index = new Map<string, number>();
  readonly names: string[] = [];

  constructor(private readonly guard = false) {}

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
