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
  /** `?? …` lines: assertions on the response, in document order. */
  readonly assertions: readonly AssertionLine[];
  /** Every `{{…}}` of the request line, query, headers, body and assertions, in document order. */
  readonly refs: readonly VariableRef[];
  /** Comment lines inside the block. */
  readonly comments: readonly Span[];
}

export interface ParsedRequestFile {
  readonly text: string;
  readonly lines: LineIndex;
  readonly requests: readonly RequestBlock[];
  readonly fileVariables: readonly FileVariable[];
  readonly issues: readonly SyntaxIssue[];
}

/**
 * Offsets <-> line/column, by binary search over the line starts. The one owner of where lines
 * break: `\n`, `\r\n` and a lone `\r` each end a line, as in the editor (a file saved with CR-only
 * endings is many lines, not one giant one). The starts are found on first use: after a keystroke,
 * diagnostics need no line numbers, and a large file has tens of thousands of lines.
 */
export class LineIndex {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** Offset of each line's first character. */
  get starts(): readonly number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.text;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 /* \n */) starts.push(i + 1);
        else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
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
    const starts = this.starts;
    const next = line + 1 < starts.length ? starts[line + 1] - 1 : this.text.length;
    return next > starts[line] && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }

  rangeOf(span: Span): LineColRange {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }
}

/** A run of joined text: either a copy of the document span, or a stand-in for it (a joining `&`). */
interface Segment {
  readonly joinedStart: number;
  readonly docStart: number;
  readonly docEnd: number;
  readonly length: number;
}

/**
 * Maps offsets of a joined text onto the document. Each segment is a run of the joined text that
 * either copies document text one-for-one or stands in for something else (a `&` that joins
 * lines, a substituted variable), in which case all its offsets map into the replaced span.
 */
export class OffsetMap {
  private readonly segments: Segment[] = [];
  private joinedLength = 0;

  /** Appends `length` joined characters standing for document span [docStart, docEnd). */
  add(length: number, docStart: number, docEnd: number): void {
    if (length <= 0) return;
    this.segments.push({ joinedStart: this.joinedLength, docStart, docEnd, length });
    this.joinedLength += length;
  }

  get length(): number {
    return this.joinedLength;
  }

  /** The segment that holds joined offset `joined` (the last one that starts at or before it). */
  private segmentAt(joined: number): Segment {
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].joinedStart <= joined) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo];
  }

  /** Document offset of a joined offset. The end of the text maps to the end of the last segment. */
  toDoc(joined: number): number {
    if (this.segments.length === 0) return 0;
    const seg = this.segmentAt(Math.max(0, joined));
    const rel = joined - seg.joinedStart;
    if (rel >= seg.length) return seg.docEnd;
    if (isCopy(seg)) return seg.docStart + rel;
    // A stand-in segment: its first character maps to the start of what it replaces.
    return rel === 0 ? seg.docStart : seg.docEnd;
  }

  /** A document span for a joined span; an end maps to the end of its last character. */
  spanToDoc(start: number, end: number): Span {
    const s = this.toDoc(start);
    const e = end > start ? this.endToDoc(end) : s;
    return { start: s, end: Math.max(s, e) };
  }

  private endToDoc(joinedEnd: number): number {
    if (joinedEnd <= 0) return this.toDoc(0);
    const seg = this.segmentAt(joinedEnd - 1);
    const rel = joinedEnd - seg.joinedStart;
    if (rel >= seg.length) return seg.docEnd;
    return isCopy(seg) ? seg.docStart + rel : seg.docEnd;
  }

  /** Joined offset for a document offset, or -1 when the offset is outside every segment. */
  toJoined(doc: number): number {
    const segs = this.segments;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i];
      if (doc < seg.docStart) return -1;
      if (doc <= seg.docEnd) {
        // The boundary between two adjacent segments belongs to the later one, except at the very end.
        if (doc === seg.docEnd && i + 1 < segs.length && segs[i + 1].docStart === seg.docEnd) continue;
        if (isCopy(seg)) return seg.joinedStart + (doc - seg.docStart);
        return doc === seg.docEnd ? seg.joinedStart + seg.length : seg.joinedStart;
      }
    }
    return -1;
  }
}

function isCopy(seg: Segment): boolean {
  return seg.docEnd - seg.docStart === seg.length;
}
