/**
 * Incremental parsing of a JSON body that arrives in text chunks, so that the viewer can paint the
 * first records of a 50 MB array long before the last byte is in.
 *
 * The scanner only tracks string state and nesting depth, to find the commas that separate the
 * top-level array's elements. Each chunk's complete elements are then handed to the native
 * `JSON.parse` in one call (`'[' + slice + ']'`), so the costly part stays native and the result is
 * exactly what `JSON.parse` of the whole body would give. A body that is not an array is kept
 * whole and parsed at the end.
 */
export class JsonArrayStream {
  private pending = '';
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private closed = false;
  private mode: 'unknown' | 'array' | 'other' = 'unknown';
  /** A separating comma was consumed, so another element must follow (`[1,]` is not JSON). */
  private needElement = false;

  /** 'array' once the body is known to start with `[`; 'other' for anything else. */
  get kind(): 'unknown' | 'array' | 'other' {
    return this.mode;
  }

  /** Adds text; returns the elements completed by it (possibly none). Throws SyntaxError on bad JSON. */
  push(chunk: string): unknown[] {
    this.pending += chunk;
    if (this.mode === 'unknown') {
      const start = firstNonSpace(this.pending);
      if (start < 0) {
        this.pending = '';
        return [];
      }
      if (this.pending.charCodeAt(start) !== 0x5b /* [ */) {
        this.mode = 'other';
        return [];
      }
      this.mode = 'array';
      this.pending = this.pending.slice(start + 1);
      this.scanned = 0;
    }
    if (this.mode !== 'array') return [];
    const cut = this.scan();
    if (cut < 0) return [];
    const slice = this.pending.slice(0, cut);
    // '[' + '' + ']' would parse: an empty element (`[,1]`, `[1,,2]`) must fail as JSON.parse fails.
    if (firstNonSpace(slice) < 0) throw new SyntaxError('Unexpected token , in JSON');
    this.pending = this.pending.slice(cut + 1);
    this.scanned -= cut + 1;
    this.needElement = true;
    return JSON.parse('[' + slice + ']') as unknown[];
  }

  /**
   * Ends the stream. For an array, returns the last elements; for anything else, the whole parsed
   * value as `{ value }`. Throws SyntaxError when the body is not valid JSON.
   */
  finish(): { elements: unknown[] } | { value: unknown } {
    if (this.mode === 'array') {
      this.scan();
      if (!this.closed) throw new SyntaxError('Unexpected end of JSON input');
      if (this.needElement && this.pending.charCodeAt(firstNonSpace(this.pending)) === 0x5d) {
        throw new SyntaxError('Unexpected token ] in JSON');
      }
      const rest = JSON.parse('[' + this.pending) as unknown[];
      this.pending = '';
      return { elements: rest };
    }
    const text = this.pending;
    this.pending = '';
    return { value: JSON.parse(text) };
  }

  /** Scans new text; returns the index of the last top-level comma, or -1. */
  private scan(): number {
    const s = this.pending;
    const n = s.length;
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    let lastComma = -1;
    let i = this.scanned;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (inString) {
        if (escape) escape = false;
        else if (c === 0x5c) escape = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      switch (c) {
        case 0x22:
          inString = true;
          break;
        case 0x7b:
        case 0x5b:
          depth++;
          break;
        case 0x7d:
        case 0x5d:
          if (depth === 0) {
            // The closing bracket of the top-level array: the rest is left for finish().
            this.closed = true;
          } else {
            depth--;
          }
          break;
        case 0x2c:
          if (depth === 0 && !this.closed) lastComma = i;
          break;
      }
    }
    this.scanned = i;
    this.depth = depth;
    this.inString = inString;
    this.escape = escape;
    return lastComma;
  }
}

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return i;
  }
  return -1;
}

/** Sizes of the text chunks that carry a body to the webview: a small first one, so rows show early. */
export const FIRST_CHUNK_CHARS = 64 * 1024;
export const CHUNK_CHARS = 1024 * 1024;

/**
 * Decodes a UTF-8 body into text chunks for postMessage (never one giant string). Multi-byte
 * characters split across byte slices are kept whole by the streaming decoder.
 */
export function* textChunks(body: Uint8Array, first = FIRST_CHUNK_CHARS, size = CHUNK_CHARS): Generator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  let at = 0;
  let step = first;
  while (at < body.length) {
    const end = Math.min(body.length, at + step);
    const text = decoder.decode(body.subarray(at, end), { stream: end < body.length });
    at = end;
    step = size;
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** Splits text that is already decoded (the same chunk sizes as `textChunks`). */
export function* splitText(text: string, first = FIRST_CHUNK_CHARS, size = CHUNK_CHARS): Generator<string> {
  let at = 0;
  let step = first;
  while (at < text.length) {
    let end = Math.min(text.length, at + step);
    // Keep surrogate pairs whole.
    const c = text.charCodeAt(end - 1);
    if (end < text.length && c >= 0xd800 && c <= 0xdbff) end++;
    yield text.slice(at, end);
    at = end;
    step = size;
  }
}
