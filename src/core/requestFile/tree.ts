/**
 * How a parsed request file is stored: numbers in a few typed arrays, with small view objects that
 * read them on demand.
 *
 * Why: a 1 MB request file has thousands of requests. Kept as objects (a block, its request line,
 * spans, headers, references, query pieces and their strings) the tree was about 5.6 MB of small
 * objects, and every young-generation garbage collection that ran while it was alive copied them;
 * that copying cost as much as parsing itself. Offsets in typed arrays are not traced by the
 * collector at all. The views (`RequestBlock`, `RequestLine`, `Header`, …) are made when a feature
 * asks for them and die young, which costs the collector nothing. Getters return a new object or
 * string each time: compare them by content, never by identity.
 */
import { AssertionLine, Header, Metadata, OffsetMap, QueryPart, QueryPiece, RequestBlock, RequestLine, Span, VariableRef } from './types';
import { classifyRef } from './refs';
import { EMPTY_LIST } from '../scratch';

/** Methods the request line accepts. Sage 200 uses the first four; the rest are kept for absolute URLs. */
export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] as const;

/** Fields of one request's row in `TreeStore.rows` (offsets into the document, or -1 when absent). */
export const enum R {
  SpanStart, SpanEnd, SepEnd, TitleStart, TitleEnd, NameStart, NameEnd,
  LineStart, LineEnd, MethodEnd, UrlStart, UrlEnd, PathEnd, VersionStart, Method,
  BodyStart, BodyEnd, MetaFrom, MetaTo, HdrFrom, HdrTo, RefFrom, RefTo, ComFrom, ComTo, PieceFrom, PieceTo,
  AssertFrom, AssertTo,
  Size,
}

/** `R.Method` values beyond an index into METHODS. */
export const IMPLICIT_GET = -1;
/** The method word is not written as one of METHODS: it is read from the text and upper-cased. */
export const OTHER_METHOD = -2;

/** Strides of the list stores. */
export const META = 6; // at (the `@`), keyStart, keyEnd, valueStart, valueEnd, end
export const HDR = 7; // nameStart, nameEnd, valueStart, valueEnd, end, refFrom, refTo
export const PAIR = 2; // refs and comments: start, end
export const PIECE = 4; // start, end, leadAt, lead (1 for '&', 0 for none)
export const ASSERT = 6; // start, end, textStart, textEnd, refFrom, refTo

/** Everything a parse keeps besides the text: plain numbers, one array per kind of part. */
export interface TreeStore {
  readonly text: string;
  readonly rows: Int32Array;
  readonly meta: Int32Array;
  readonly hdr: Int32Array;
  readonly refs: Int32Array;
  readonly comments: Int32Array;
  readonly pieces: Int32Array;
  readonly assertions: Int32Array;
}

function span(start: number, end: number): Span {
  return { start, end };
}

/** One request of the file: its index, its name (read often, so kept), and views made on demand. */
export class Block implements RequestBlock {
  constructor(private readonly s: TreeStore, readonly index: number, readonly name: string | undefined) {}

  /** Field `f` of this request's row. */
  at(f: R): number {
    return this.s.rows[this.index * R.Size + f];
  }

  get span(): Span {
    return span(this.at(R.SpanStart), this.at(R.SpanEnd));
  }

  get separatorSpan(): Span | undefined {
    const e = this.at(R.SepEnd);
    return e < 0 ? undefined : span(this.at(R.SpanStart), e);
  }

  get title(): string | undefined {
    const s = this.at(R.TitleStart);
    return s < 0 ? undefined : this.s.text.slice(s, this.at(R.TitleEnd));
  }

  get titleSpan(): Span | undefined {
    const s = this.at(R.TitleStart);
    return s < 0 ? undefined : span(s, this.at(R.TitleEnd));
  }

  get nameSpan(): Span | undefined {
    return this.name === undefined ? undefined : span(this.at(R.NameStart), this.at(R.NameEnd));
  }

  get requestLine(): RequestLine | undefined {
    return this.at(R.LineStart) < 0 ? undefined : new Line(this.s.text, this);
  }

  get body(): { readonly text: string; readonly span: Span } | undefined {
    const s = this.at(R.BodyStart);
    return s < 0 ? undefined : new Body(this.s.text, s, this.at(R.BodyEnd));
  }

  get metadata(): readonly Metadata[] {
    const { meta, text } = this.s;
    const from = this.at(R.MetaFrom);
    const to = this.at(R.MetaTo);
    if (from === to) return EMPTY_LIST;
    const out: Metadata[] = [];
    for (let k = from; k < to; k++) out.push(new Meta(text, meta, k * META));
    return out;
  }

  get headers(): readonly Header[] {
    const from = this.at(R.HdrFrom);
    const to = this.at(R.HdrTo);
    if (from === to) return EMPTY_LIST;
    const out: Header[] = [];
    for (let k = from; k < to; k++) out.push(new Hdr(this.s, k * HDR));
    return out;
  }

  get refs(): readonly VariableRef[] {
    return refsOf(this.s, this.at(R.RefFrom), this.at(R.RefTo));
  }

  get comments(): readonly Span[] {
    const c = this.s.comments;
    const from = this.at(R.ComFrom);
    const to = this.at(R.ComTo);
    if (from === to) return EMPTY_LIST;
    const out: Span[] = [];
    for (let k = from; k < to; k++) out.push(span(c[k * PAIR], c[k * PAIR + 1]));
    return out;
  }

  get assertions(): readonly AssertionLine[] {
    const from = this.at(R.AssertFrom);
    const to = this.at(R.AssertTo);
    if (from === to) return EMPTY_LIST;
    const out: AssertionLine[] = [];
    for (let k = from; k < to; k++) out.push(new Assertion(this.s, k * ASSERT));
    return out;
  }

  get query(): QueryPart | undefined {
    const from = this.at(R.PieceFrom);
    const to = this.at(R.PieceTo);
    if (from === to) return undefined;
    const p = this.s.pieces;
    // At its exact length: a list grown by push reserves 17 slots, for a query that is nearly always one piece.
    const pieces: QueryPiece[] = new Array(to - from);
    for (let k = 0; k < to - from; k++) {
      const at = (from + k) * PIECE;
      pieces[k] = new Piece(p[at], p[at + 1], p[at + 3] ? '&' : '', p[at + 2]);
    }
    return joinQuery(this.s.text, pieces);
  }
}

function refsOf(s: TreeStore, from: number, to: number): readonly VariableRef[] {
  if (from === to) return EMPTY_LIST;
  // At its exact length (a pushed-to list reserves 17 slots; a request has one or two references).
  const out: VariableRef[] = new Array(to - from);
  for (let k = from; k < to; k++) out[k - from] = classifyRef(s.text, s.refs[k * PAIR], s.refs[k * PAIR + 1]);
  return out;
}

/** Joins query pieces into one string with a map back to the document. */
export function joinQuery(text: string, pieces: readonly QueryPiece[]): QueryPart {
  const map = new OffsetMap();
  let joined = '';
  for (const p of pieces) {
    if (p.lead) {
      joined += p.lead;
      map.add(p.lead.length, p.leadAt, p.leadAt + 1);
    }
    const sp = p.span; // made on demand: read it once
    joined += text.slice(sp.start, sp.end);
    map.add(sp.end - sp.start, sp.start, sp.end);
  }
  return { text: joined, map, pieces };
}

/** The request line of a block, read from its row. */
class Line implements RequestLine {
  constructor(private readonly text: string, private readonly b: Block) {}

  get method(): string {
    const m = this.b.at(R.Method);
    if (m >= 0) return METHODS[m];
    if (m === IMPLICIT_GET) return 'GET';
    return this.text.slice(this.b.at(R.LineStart), this.b.at(R.MethodEnd)).toUpperCase();
  }

  get implicitMethod(): boolean {
    return this.b.at(R.Method) === IMPLICIT_GET;
  }

  get url(): string {
    return this.text.slice(this.b.at(R.UrlStart), this.b.at(R.UrlEnd));
  }

  get path(): string {
    return this.text.slice(this.b.at(R.UrlStart), this.b.at(R.PathEnd));
  }

  get httpVersion(): string | undefined {
    const v = this.b.at(R.VersionStart);
    return v < 0 ? undefined : this.text.slice(v, this.b.at(R.LineEnd));
  }

  get span(): Span {
    return span(this.b.at(R.LineStart), this.b.at(R.LineEnd));
  }

  get methodSpan(): Span {
    return span(this.b.at(R.LineStart), this.b.at(R.MethodEnd));
  }

  get urlSpan(): Span {
    return span(this.b.at(R.UrlStart), this.b.at(R.UrlEnd));
  }

  get pathSpan(): Span {
    return span(this.b.at(R.UrlStart), this.b.at(R.PathEnd));
  }

  get httpVersionSpan(): Span | undefined {
    const v = this.b.at(R.VersionStart);
    return v < 0 ? undefined : span(v, this.b.at(R.LineEnd));
  }
}

/** A request body; its text is cut from the document when asked for. */
class Body {
  constructor(private readonly doc: string, private readonly start: number, private readonly end: number) {}

  get text(): string {
    return this.doc.slice(this.start, this.end);
  }

  get span(): Span {
    return span(this.start, this.end);
  }
}

/** `# @key value`. */
class Meta implements Metadata {
  constructor(private readonly text: string, private readonly m: Int32Array, private readonly k: number) {}

  get key(): string {
    const s = this.m[this.k + 1];
    const e = this.m[this.k + 2];
    // `@name` (nearly every key) as the constant string, not a slice.
    return e - s === 4 && this.text.startsWith('name', s) ? 'name' : this.text.slice(s, e);
  }

  get value(): string {
    return this.text.slice(this.m[this.k + 3], this.m[this.k + 4]);
  }

  get keySpan(): Span {
    return span(this.m[this.k + 1], this.m[this.k + 2]);
  }

  get valueSpan(): Span {
    return span(this.m[this.k + 3], this.m[this.k + 4]);
  }

  get span(): Span {
    return span(this.m[this.k], this.m[this.k + 5]);
  }
}

/** A header line. */
class Hdr implements Header {
  constructor(private readonly s: TreeStore, private readonly k: number) {}

  get name(): string {
    return this.s.text.slice(this.s.hdr[this.k], this.s.hdr[this.k + 1]);
  }

  get value(): string {
    return this.s.text.slice(this.s.hdr[this.k + 2], this.s.hdr[this.k + 3]);
  }

  get refs(): readonly VariableRef[] {
    return refsOf(this.s, this.s.hdr[this.k + 5], this.s.hdr[this.k + 6]);
  }

  get nameSpan(): Span {
    return span(this.s.hdr[this.k], this.s.hdr[this.k + 1]);
  }

  get valueSpan(): Span {
    return span(this.s.hdr[this.k + 2], this.s.hdr[this.k + 3]);
  }

  get span(): Span {
    return span(this.s.hdr[this.k], this.s.hdr[this.k + 4]);
  }
}

/** A piece of a query. */
class Piece implements QueryPiece {
  constructor(private readonly start: number, private readonly end: number, readonly lead: string, readonly leadAt: number) {}

  get span(): Span {
    return span(this.start, this.end);
  }
}

/** A `?? …` line. */
class Assertion implements AssertionLine {
  constructor(private readonly s: TreeStore, private readonly k: number) {}

  get span(): Span {
    return span(this.s.assertions[this.k], this.s.assertions[this.k + 1]);
  }

  get text(): string {
    return this.s.text.slice(this.s.assertions[this.k + 2], this.s.assertions[this.k + 3]);
  }

  get textSpan(): Span {
    return span(this.s.assertions[this.k + 2], this.s.assertions[this.k + 3]);
  }

  get refs(): readonly VariableRef[] {
    return refsOf(this.s, this.s.assertions[this.k + 4], this.s.assertions[this.k + 5]);
  }
}
