/**
 * A `.sage200` file is a head (comments and file variables) and `###` blocks, each read on its own
 * by block.ts. This module finds the blocks, reads them, and adds what only the whole file knows:
 * each request's index and names used twice. Editors re-read only the blocks an edit touched
 * (see placement.ts); a full read is the same steps over every block.
 */
import { isBlank, isLineBreak, SEPARATOR } from './chars';
import { ParsedBlock, parseBlock } from './block';
import { FileVariable, LineIndex, ParsedRequestFile, RequestBlock, Span, SyntaxIssue } from './types';

export { METHODS, joinQuery } from './block';
export { classifyRef, scanRefs } from './refs';

/** Parses a `.sage200` file. It never throws: what it cannot understand becomes a `SyntaxIssue`. */
export function parseRequestFile(text: string): ParsedRequestFile {
  return assembleFile(text, parseRegion(text, 0, text.length, 0));
}

/** Reads every block of [from, to) (which starts a block and ends before one); requests are numbered from `firstIndex`. */
export function parseRegion(text: string, from: number, to: number, firstIndex: number): ParsedBlock[] {
  const blocks: ParsedBlock[] = [];
  if (from === to) return blocks;
  let index = firstIndex;
  const starts = blockStarts(text, from, to);
  // The next `\r`, searched again only once a block passes it: most files have none.
  let cr = text.indexOf('\r', from);
  for (let k = 0; k < starts.length; k++) {
    const end = k + 1 < starts.length ? starts[k + 1] : to;
    if (cr !== -1 && cr < starts[k]) cr = text.indexOf('\r', starts[k]);
    const block = parseBlock(text, starts[k], end, index, cr === -1 || cr >= end);
    if (block.request) index++;
    blocks.push(block);
  }
  return blocks;
}

/** Where blocks begin in [from, to): `from`, and the start of every `###` line after it. */
function blockStarts(text: string, from: number, to: number): number[] {
  const starts = [from];
  for (let at = text.indexOf(SEPARATOR, from); at !== -1 && at < to; at = text.indexOf(SEPARATOR, at + SEPARATOR.length)) {
    const ls = separatorLineStart(text, at);
    if (ls > from) starts.push(ls);
  }
  return starts;
}

/** The start of the line when the `###` at `at` is the first thing on it, else -1. */
function separatorLineStart(text: string, at: number): number {
  let ls = at;
  while (ls > 0 && isBlank(text.charCodeAt(ls - 1)) && !isLineBreak(text.charCodeAt(ls - 1))) ls--;
  return ls === 0 || isLineBreak(text.charCodeAt(ls - 1)) ? ls : -1;
}

/** Whether a `###` line starts at `at` (a line start). */
export function isSeparatorLineAt(text: string, at: number): boolean {
  let first = at;
  while (first < text.length && isBlank(text.charCodeAt(first)) && !isLineBreak(text.charCodeAt(first))) first++;
  return text.startsWith(SEPARATOR, first);
}

/** The file made of blocks whose spans are offsets into `text`. */
export function assembleFile(text: string, blocks: readonly ParsedBlock[]): ParsedRequestFile {
  const requests: RequestBlock[] = [];
  const fileVariables: FileVariable[] = [];
  const issues: SyntaxIssue[] = [];
  for (const b of blocks) {
    if (b.request) requests.push(b.request);
    // Loops, not `push(...list)`: a hostile block's list can be longer than the call stack allows.
    for (const v of b.fileVariables) fileVariables.push(v);
    for (const i of b.issues) issues.push(i);
  }
  for (const i of duplicateNames(requests)) issues.push(i);
  return { text, lines: new LineIndex(text), requests, fileVariables, issues };
}

/** A name given to a second request: references to it would be ambiguous. */
export function duplicateNames(named: Iterable<{ readonly name?: string; readonly nameSpan?: Span }>): SyntaxIssue[] {
  const seen = new Set<string>();
  const out: SyntaxIssue[] = [];
  for (const r of named) {
    if (r.name === undefined) continue;
    if (seen.has(r.name)) {
      out.push({ code: 'duplicate-name', message: `Another request is already named "${r.name}".`, span: r.nameSpan!, severity: 'error' });
    }
    seen.add(r.name);
  }
  return out;
}

/** The request whose block contains `offset`, or undefined (the file's head, between blocks). */
export function requestAt(file: ParsedRequestFile, offset: number): RequestBlock | undefined {
  const rs = file.requests;
  let lo = 0;
  let hi = rs.length - 1;
  let found: RequestBlock | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rs[mid].span.start <= offset) {
      found = rs[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (!found) return undefined;
  // A block owns everything up to the next separator, blank lines included.
  const next = rs[found.index + 1];
  return next === undefined || offset < next.span.start ? found : undefined;
}
