/**
 * Re-reading only what an edit touched. A file is a list of blocks (see block.ts), each read once
 * and kept while its text is unchanged; a block that only moved keeps its reading, and its spans
 * are moved when a feature asks for the file (`placedFile`).
 */
import { isLineBreak } from './chars';
import { ParsedBlock } from './block';
import { assembleFile, isSeparatorLineAt, parseRegion } from './parser';
import { joinQuery } from './block';
import { FileVariable, ParsedRequestFile, RequestBlock, Span, SyntaxIssue, VariableRef } from './types';

/** A block read from some version of the document, and where it lies in the current one. */
export interface PlacedBlock {
  /** The reading; its spans are offsets into the text it was read from, at `parsed.start`. */
  readonly parsed: ParsedBlock;
  /** [start, end) in the current text. */
  readonly start: number;
  readonly end: number;
  /** The index its request has in the current file (the number of requests before it). */
  readonly index: number;
}

/** Reads every block of `text`. */
export function placeBlocks(text: string): PlacedBlock[] {
  return place(parseRegion(text, 0, text.length, 0), 0);
}

/** Blocks just read, where they were read; their requests are numbered from `firstIndex`. */
function place(blocks: readonly ParsedBlock[], firstIndex: number): PlacedBlock[] {
  let index = firstIndex;
  return blocks.map((parsed) => {
    const placed = { parsed, start: parsed.start, end: parsed.end, index };
    if (parsed.request) index++;
    return placed;
  });
}

/**
 * The blocks of `text`, which is `previousText` after an edit: the blocks before and after the
 * changed text are kept (those after it moved by the change in length), and only the blocks in
 * between are read again. The result equals `placeBlocks(text)`, reading for reading.
 */
export function replaceBlocks(previousText: string, previous: readonly PlacedBlock[], text: string): BlockEdit {
  const n = previous.length;
  const prefix = commonPrefix(previousText, text);
  if (prefix === text.length && prefix === previousText.length) return { blocks: [...previous], first: n, keep: n, added: 0, delta: 0 };
  const suffix = commonSuffix(previousText, text, Math.min(previousText.length, text.length) - prefix);
  const delta = text.length - previousText.length;
  const changedEnd = previousText.length - suffix;
  const boundary = (k: number): number => (k < n ? previous[k].start : previousText.length);
  // Kept before: the blocks that end before the first changed character...
  let first = countWhile(previous, (b) => b.end <= prefix);
  // ...and after: those that start after the last one.
  let keep = Math.max(first, countWhile(previous, (b) => b.start < changedEnd));
  // The edit may have removed the `###` line that started the first changed block, or the line
  // break before the `###` of the block after: then those are read again too.
  while (first > 0 && !startsBlock(text, boundary(first))) first--;
  while (keep < n && !startsBlock(text, previous[keep].start + delta)) keep++;
  const from = boundary(first);
  const to = keep < n ? previous[keep].start + delta : text.length;
  const firstIndex = first < n ? previous[first].index : requestCount(previous);
  const read = place(parseRegion(text, from, to, firstIndex), firstIndex);
  const requests = (blocks: readonly PlacedBlock[]): number => blocks.filter((b) => b.parsed.request).length;
  const indexShift = requests(read) - requests(previous.slice(first, keep));
  const moved = previous.slice(keep).map((b) => (delta === 0 && indexShift === 0 ? b
    : { parsed: b.parsed, start: b.start + delta, end: b.end + delta, index: b.index + indexShift }));
  return { blocks: [...previous.slice(0, first), ...read, ...moved], first, keep, added: read.length, delta };
}

/**
 * The blocks after an edit, and what changed: blocks [first, keep) of the previous list were
 * replaced by `added` blocks read anew; those from `keep` on moved by `delta` characters.
 */
export interface BlockEdit {
  readonly blocks: readonly PlacedBlock[];
  readonly first: number;
  readonly keep: number;
  readonly added: number;
  readonly delta: number;
}

/** How many blocks from the start satisfy `test` (which holds for a prefix of the list), by binary search. */
function countWhile(blocks: readonly PlacedBlock[], test: (b: PlacedBlock) => boolean): number {
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(blocks[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Compared a chunk at a time: comparing equal strings is native, reading characters one by one is not. */
const CHUNK = 1024;

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= max && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of the common end of `a` and `b`, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (i + CHUNK <= max && a.slice(a.length - i - CHUNK, a.length - i) === b.slice(b.length - i - CHUNK, b.length - i)) i += CHUNK;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

function requestCount(blocks: readonly PlacedBlock[]): number {
  const last = blocks[blocks.length - 1];
  return last ? last.index + (last.parsed.request ? 1 : 0) : 0;
}

/** Whether a block begins at `at`: the start of the text, or a `###` line. */
function startsBlock(text: string, at: number): boolean {
  if (at === 0) return true;
  const before = text.charCodeAt(at - 1);
  // `\r` then `\n` is one line break: `at` would be in the middle of it.
  const lineStart = isLineBreak(before) && !(before === 13 && text.charCodeAt(at) === 10);
  return lineStart && isSeparatorLineAt(text, at);
}

/** The file of the placed blocks, every span an offset into `text`. */
export function placedFile(text: string, blocks: readonly PlacedBlock[]): ParsedRequestFile {
  return assembleFile(text, blocks.map((b) => placedReading(text, b)));
}

/** A block's reading with spans in the current text (the reading itself when it has not moved). */
export function placedReading(text: string, b: PlacedBlock): ParsedBlock {
  const delta = b.start - b.parsed.start;
  if (delta === 0 && (b.parsed.request?.index ?? b.index) === b.index) return b.parsed;
  return moveBlock(b.parsed, text, delta, b.index);
}

/** A copy of a block's reading with every span moved by `delta`, and its request numbered `index`. */
function moveBlock(block: ParsedBlock, text: string, delta: number, index: number): ParsedBlock {
  const span = (s: Span): Span => ({ start: s.start + delta, end: s.end + delta });
  const maybe = (s: Span | undefined): Span | undefined => (s ? span(s) : undefined);
  const ref = (r: VariableRef): VariableRef => ({ ...r, span: span(r.span), expressionSpan: span(r.expressionSpan) });
  const r = block.request;
  let request: RequestBlock | undefined;
  if (r) {
    const line = r.requestLine;
    request = {
      ...r,
      index,
      span: span(r.span),
      separatorSpan: maybe(r.separatorSpan),
      titleSpan: maybe(r.titleSpan),
      nameSpan: maybe(r.nameSpan),
      metadata: r.metadata.map((m) => ({ ...m, keySpan: span(m.keySpan), valueSpan: span(m.valueSpan), span: span(m.span) })),
      requestLine: line && {
        ...line, span: span(line.span), methodSpan: span(line.methodSpan), urlSpan: span(line.urlSpan), pathSpan: span(line.pathSpan),
        httpVersionSpan: maybe(line.httpVersionSpan),
      },
      query: r.query && joinQuery(text, r.query.pieces.map((p) => ({ ...p, span: span(p.span), leadAt: p.leadAt + delta }))),
      headers: r.headers.map((h) => ({ ...h, nameSpan: span(h.nameSpan), valueSpan: span(h.valueSpan), span: span(h.span), refs: h.refs.map(ref) })),
      body: r.body && { text: r.body.text, span: span(r.body.span) },
      assertions: r.assertions.map((a) => ({ ...a, span: span(a.span), textSpan: span(a.textSpan), refs: a.refs.map(ref) })),
      refs: r.refs.map(ref),
      comments: r.comments.map(span),
    };
  }
  const variable = (v: FileVariable): FileVariable => movedVariable(v, delta);
  const issue = (i: SyntaxIssue): SyntaxIssue => ({ ...i, span: span(i.span) });
  return {
    start: block.start + delta, end: block.end + delta, request, fileVariables: block.fileVariables.map(variable), issues: block.issues.map(issue),
  };
}

/** A file variable of a block that moved by `delta`. */
export function movedVariable(v: FileVariable, delta: number): FileVariable {
  if (delta === 0) return v;
  const span = (s: Span): Span => ({ start: s.start + delta, end: s.end + delta });
  const refs = v.refs.map((r) => ({ ...r, span: span(r.span), expressionSpan: span(r.expressionSpan) }));
  return { ...v, nameSpan: span(v.nameSpan), valueSpan: span(v.valueSpan), span: span(v.span), refs };
}
