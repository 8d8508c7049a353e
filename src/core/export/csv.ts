/**
 * CSV as RFC 4180 says: CRLF between records, fields quoted when they hold a comma, a quote, CR or
 * LF, and quotes doubled inside. Nested objects and arrays are written as JSON text in one cell,
 * so that nothing is lost and the file still opens in a spreadsheet.
 */
export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * Tracks the header: the union of keys in first-seen order. Keys that first appear after the header
 * was written are appended as new columns; `CsvRepair` later widens the rows written before them.
 */
export class CsvColumns {
  private readonly index = new Map<string, number>();
  readonly names: string[] = [];

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
      return csvRow(cells);
    }
    const rec = record as Record<string, unknown>;
    return csvRow(this.names.map((n) => rec[n]));
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
