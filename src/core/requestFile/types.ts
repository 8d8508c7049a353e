/**
 * The syntax tree of a `.sage200` request file. Every piece carries its document offsets
 * (`start` inclusive, `end` exclusive); `LineIndex` turns them into line/column positions.
 * Editor features, Send and the CLI all read this one structure, so it stays plain data.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Zero-based line and column (UTF-16 code units), as VS Code counts them. */
export interface LineCol {
  readonly line: number;
  readonly col: number;
}

export interface LineColRange {
  readonly start: LineCol;
  readonly end: LineCol;
}

export type IssueSeverity = 'error' | 'warning' | 'info';

/** A syntax problem the parser found; it never throws, it records these instead. */
export interface SyntaxIssue {
  readonly code: string;
  readonly message: string;
  readonly span: Span;
  readonly severity: IssueSeverity;
}

/**
 * A `{{…}}` reference. `kind` tells the four variable sources apart by their shape alone:
 * `$name args` is a system variable, `req.response.body.$.x` a named-response reference,
 * anything else a file or environment variable.
 */
export interface VariableRef {
  /** The whole `{{…}}`. */
  readonly span: Span;
  /** The trimmed text between the braces. */
  readonly expression: string;
  readonly expressionSpan: Span;
  readonly kind: 'plain' | 'system' | 'response';
  /** Variable name; for system variables including the `$`; for responses the request name. */
  readonly name: string;
  /** System variables: the words after the name (`iso8601`, a dotenv key, a prompt name). */
  readonly args?: readonly string[];
  /** Named-response references: which part and the path inside it. */
  readonly part?: 'body' | 'headers';
  readonly source?: 'response' | 'request';
  readonly path?: string;
}

export interface FileVariable {
  readonly name: string;
  readonly nameSpan: Span;
  /** Raw value text, variables unresolved. */
  readonly value: string;
  readonly valueSpan: Span;
  readonly span: Span;
  readonly refs: readonly VariableRef[];
}

/** `# @name x`, `// @note`, … : request metadata. */
export interface Metadata {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: string;
  readonly valueSpan: Span;
  readonly span: Span;
}

export interface Header {
  readonly name: string;
  readonly nameSpan: Span;
  readonly value: string;
  readonly valueSpan: Span;
  readonly span: Span;
  readonly refs: readonly VariableRef[];
}

/**
 * The query string of a request, joined across continuation lines. `text` has no leading `?`.
 * `map` turns offsets in `text` back into document offsets and the other way round, so ranges
 * that the OData parser reports on `text` land exactly on what the user typed.
 */
export interface QueryPart {
  readonly text: string;
  readonly map: OffsetMap;
  /** The document spans the query was joined from (each without its leading `?` or `&`). */
  readonly pieces: readonly QueryPiece[];
}

export interface QueryPiece {
  /** Document span of the piece's text, from just after its `?`/`&` lead (continuations keep `&`). */
  readonly span: Span;
  /** The joined text inserted before this piece's document text (`''` or `'&'`). */
  readonly lead: string;
  /** Document offset of the lead character the joined text maps `lead` onto. */
  readonly leadAt: number;
}

export interface RequestLine {
  readonly span: Span;
  readonly method: string;
  readonly methodSpan: Span;
  /** True when the line has no method word and GET is implied. */
  readonly implicitMethod: boolean;
  /** The URL as typed on the request line (without continuation lines). */
  readonly url: string;
  readonly urlSpan: Span;
  /** The part before `?`. */
  readonly path: string;
  readonly pathSpan: Span;
  readonly httpVersion?: string;
  readonly httpVersionSpan?: Span;
}

/** A `?? …` line: an assertion on the response. The parser only finds it; src/core/testing reads it. */
export interface AssertionLine {
  /** The whole line, from `??` to the end of its content. */
  readonly span: Span;
  /** The text after `??`, trimmed. */
  readonly text: string;
  readonly textSpan: Span;
  /** `{{…}}` references in the text. */
  readonly refs: readonly VariableRef[];
}

export interface RequestBlock {
  readonly index: number;
  /** From the `###` line (or the file start) to the end of the block. */
  readonly span: Span;
  /** The `###` line, when there is one. */
  readonly separatorSpan?: Span;
  readonly title?: string;
  readonly titleSpan?: Span;
  /** `# @name x` */
  readonly name?: string;
  readonly nameSpan?: Span;
  readonly metadata: readonly Metadata[];
  readonly requestLine?: RequestLine;
  readonly query?: QueryPart;
  readonly headers: readonly Header[];
  readonly body?: { readonly text: string; readonly span: Span };
  /** Every `{{…}}` of the request line, query, headers and body, in document order. */
  readonly refs: readonly VariableRef[];
  /** Comment lines inside the block. */
  readonly comments: readonly Span[];
  /** `?? …` lines, in document order. */
  readonly assertions: readonly AssertionLine[];
}

export interface ParsedRequestFile {
  readonly text: string;
  readonly lines: LineIndex;
  readonly requests: readonly RequestBlock[];
  readonly fileVariables: readonly FileVariable[];
  readonly issues: readonly SyntaxIssue[];
}

/**
 * Offsets <-> line/column, by binary search over the line starts (built once, linear). The one owner
 * of where lines break: `\n`, `\r\n` and a lone `\r` each end a line, as in the editor (a file
 * saved with CR-only endings is many lines, not one giant one).
 */
export class LineIndex {
  /** Offset of each line's first character. */
  readonly starts: ArrayLike<number>;

  constructor(readonly text: string) {
    // Native passes into a typed array sized for about 16 characters a line (doubled if that is
    // short), instead of a list grown by push: a 1 MB file has tens of thousands of lines, and every
    // regrowth of a list copied and discarded it. The result is an exact-length view.
    let starts = new Int32Array((text.length >> 4) + 16);
    let n = 1;
    // The next LF and the next CR, each searched once past the last break: linear overall.
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    while (lf !== -1 || cr !== -1) {
      let next: number;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        next = lf + 1;
      } else {
        // A CR followed by LF is one break (CRLF); a lone CR is a break of its own.
        next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      }
      if (n === starts.length) {
        const grown = new Int32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[n++] = next;
      if (lf !== -1 && lf < next) lf = text.indexOf('\n', next);
      if (cr !== -1 && cr < next) cr = text.indexOf('\r', next);
    }
    this.starts = starts.subarray(0, n);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineOf(offset: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): LineCol {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(o);
    return { line, col: o - this.starts[line] };
  }

  offsetAt(line: number, col: number): number {
    if (line < 0) return 0;
    if (line >= this.starts.length) return this.text.length;
    const lineEnd = this.lineEnd(line);
    return Math.min(this.starts[line] + Math.max(0, col), lineEnd);
  }

  /** End of a line's content, before its `\r\n`, `\n` or `\r`. */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next > this.starts[line] && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }

  rangeOf(span: Span): LineColRange {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }
}

/**
 * Maps offsets of a joined text onto the document. Each segment is a run of the joined text that
 * either copies document text one-for-one or stands in for something else (a `&` that joins
 * lines, a substituted variable), in which case all its offsets map into the replaced span.
 */
export class OffsetMap {
  /**
   * Flattened [joinedStart, docStart, docEnd, length] per segment, in order. Made only when a second
   * segment comes: most queries are one piece, kept in the four fields below, and a large file's
   * tree holds thousands of maps (one list less each for the collector to copy).
   */
  private more: number[] | undefined = undefined;
  private j0 = 0;
  private d0 = 0;
  private e0 = 0;
  private l0 = 0;
  private count = 0;
  private joinedLength = 0;

  /** Every segment as the flat list the lookups read (a one-segment map makes it for the call). */
  private get segs(): readonly number[] {
    if (this.more) return this.more;
    return this.count === 0 ? [] : [this.j0, this.d0, this.e0, this.l0];
  }

  /** Appends `length` joined characters standing for document span [docStart, docEnd). */
  add(length: number, docStart: number, docEnd: number): void {
    if (length <= 0) return;
    if (this.count === 0) {
      this.j0 = this.joinedLength;
      this.d0 = docStart;
      this.e0 = docEnd;
      this.l0 = length;
    } else {
      if (!this.more) this.more = [this.j0, this.d0, this.e0, this.l0];
      this.more.push(this.joinedLength, docStart, docEnd, length);
    }
    this.count++;
    this.joinedLength += length;
  }

  get length(): number {
    return this.joinedLength;
  }

  private segmentFor(segs: readonly number[], joined: number): number {
    const n = segs.length / 4;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid * 4] <= joined) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Document offset of a joined offset. The end of the text maps to the end of the last segment. */
  toDoc(joined: number): number {
    const segs = this.segs;
    if (segs.length === 0) return 0;
    const i = this.segmentFor(segs, Math.max(0, joined)) * 4;
    const [jStart, dStart, dEnd, len] = [segs[i], segs[i + 1], segs[i + 2], segs[i + 3]];
    const rel = joined - jStart;
    if (rel >= len) return dEnd;
    if (dEnd - dStart === len) return dStart + rel;
    // A stand-in segment: its first character maps to the start of what it replaces.
    return rel === 0 ? dStart : dEnd;
  }

  /** A document span for a joined span; an end maps to the end of its last character. */
  spanToDoc(start: number, end: number): Span {
    const s = this.toDoc(start);
    const e = end > start ? this.endToDoc(end) : s;
    return { start: s, end: Math.max(s, e) };
  }

  private endToDoc(joinedEnd: number): number {
    if (joinedEnd <= 0) return this.toDoc(0);
    const segs = this.segs;
    const i = this.segmentFor(segs, joinedEnd - 1) * 4;
    const [jStart, dStart, dEnd, len] = [segs[i], segs[i + 1], segs[i + 2], segs[i + 3]];
    const rel = joinedEnd - jStart;
    if (rel >= len) return dEnd;
    return dEnd - dStart === len ? dStart + rel : dEnd;
  }

  /** Joined offset for a document offset, or -1 when the offset is outside every segment. */
  toJoined(doc: number): number {
    const segs = this.segs;
    for (let i = 0; i < segs.length; i += 4) {
      const [jStart, dStart, dEnd, len] = [segs[i], segs[i + 1], segs[i + 2], segs[i + 3]];
      if (doc < dStart) return -1;
      if (doc <= dEnd) {
        // The boundary between two adjacent segments belongs to the later one, except at the very end.
        if (doc === dEnd && i + 4 < segs.length && segs[i + 5] === dEnd) continue;
        if (dEnd - dStart === len) return jStart + (doc - dStart);
        return doc === dEnd ? jStart + len : jStart;
      }
    }
    return -1;
  }
}
