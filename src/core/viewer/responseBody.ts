/**
 * A response body as the webview receives it: text chunks, the records parsed from them as they
 * arrive, the columns inferred from those records, and at the end the whole value. Plain state with
 * no DOM, so the tabs read one model and the tests can drive it without a browser.
 */
import { JsonArrayStream } from './arrayStream';
import { ColumnInfo, inferColumns } from './columns';

export class ResponseBody {
  readonly chunks: string[] = [];
  /** Characters received so far. */
  chars = 0;
  /** Elements of an array body, growing while chunks arrive (the table shares this array). */
  readonly records: unknown[] = [];
  /** Inferred from the records, growing with them (the table shares this list). */
  readonly columns: ColumnInfo[] = [];
  /** The parsed body once complete: the records for an array body. */
  value: unknown;
  parsed = false;
  parseError?: string;
  complete = false;
  private readonly stream = new JsonArrayStream();

  /** Whether the body is (so far) a JSON array. */
  get isArray(): boolean {
    return this.stream.kind === 'array' || Array.isArray(this.value);
  }

  /** Adds a chunk; returns the records it completed (none once the body is known to be bad JSON). */
  push(text: string): unknown[] {
    this.chunks.push(text);
    this.chars += text.length;
    if (this.parseError) return [];
    let elements: unknown[];
    try {
      elements = this.stream.push(text);
    } catch (e) {
      this.parseError = (e as Error).message;
      return [];
    }
    this.add(elements);
    return elements;
  }

  /**
   * The last chunk is in: parses what is left. Returns the records that completed. A body cut by
   * history (`truncated`) that does not parse still shows the whole records before the cut.
   */
  finish(truncated = false): unknown[] {
    let last: unknown[] = [];
    if (!this.parseError && this.chars > 0) {
      try {
        const rest = this.stream.finish();
        if ('elements' in rest) {
          last = rest.elements;
          this.add(last);
          this.value = this.records;
        } else {
          this.value = rest.value;
        }
        this.parsed = true;
      } catch (e) {
        this.parseError = (e as Error).message;
      }
    }
    if (!this.parsed && truncated && this.records.length > 0) {
      this.value = this.records;
      this.parsed = true;
    }
    this.complete = true;
    return last;
  }

  /** Whether the records so far look like table rows: objects (the first 51 checked, as they arrive). */
  get hasRows(): boolean {
    const r = this.records;
    return r.length > 0 && r.every((x, i) => i > 50 || isObject(x));
  }

  /** Whether the complete body parsed as an array of objects, every one checked. */
  get isRecordArray(): boolean {
    return this.parsed && Array.isArray(this.value) && this.records.length > 0 && this.records.every(isObject);
  }

  /** The first `limit` characters of the body. */
  text(limit = Infinity): string {
    let out = '';
    for (const ch of this.chunks) {
      if (out.length >= limit) break;
      out += ch;
    }
    return out.length > limit ? out.slice(0, limit) : out;
  }

  /** How often `query` occurs in the body, case-insensitive, matches across chunk borders included. */
  count(query: string): number {
    if (!query) return 0;
    const needle = query.toLowerCase();
    let n = 0;
    let carry = '';
    for (const ch of this.chunks) {
      const text = (carry + ch).toLowerCase();
      let i = text.indexOf(needle);
      while (i >= 0) {
        // A match wholly inside the carried tail was counted with the previous chunk.
        if (i + needle.length > carry.length) n++;
        i = text.indexOf(needle, i + needle.length);
      }
      carry = needle.length > 1 ? ch.slice(-(needle.length - 1)) : '';
    }
    return n;
  }

  private add(elements: unknown[]): void {
    if (!elements.length) return;
    // The first records decide the columns; later chunks are sampled for keys they add.
    inferColumns(elements, this.records.length === 0 ? 500 : 20, this.columns);
    for (let i = 0; i < elements.length; i++) this.records.push(elements[i]);
  }
}

function isObject(r: unknown): boolean {
  return r !== null && typeof r === 'object' && !Array.isArray(r);
}
