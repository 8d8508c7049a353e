import { Catalog, Edition, Field, ResolvedPath } from '../catalog';
import { parseQueryString, QueryOptions } from '../odata';
import { ParsedBlock } from '../requestFile/block';
import { scanJson, JsonScan } from '../requestFile/jsonScan';
import { BlockEdit, movedVariable, placeBlocks, PlacedBlock, placedFile, replaceBlocks } from '../requestFile/placement';
import { FileVariable, ParsedRequestFile, QueryPart, RequestBlock, RequestLine, Span } from '../requestFile/types';
import { LangDiagnostic } from './types';
import { Environments, variableScope, VariableDefinition } from '../requestFile/variables';

/**
 * What the language features know beyond the text: the catalog, the active connection's edition,
 * the environments, and (when signed in) extra fields from `$metadata=true`.
 */
export interface LanguageContext {
  readonly catalog: Catalog;
  /** The active connection's edition; undefined when unknown (no Professional-only checks then). */
  readonly edition?: Edition;
  readonly environments?: Environments;
  readonly environment?: string;
  /** Fields the live API reported for a schema that the catalog lacks (from `$metadata=true`). */
  readonly extraFields?: (schemaName: string) => readonly Field[] | undefined;
}

/** Everything derived from one request, computed lazily and kept for the document version. */
export interface RequestAnalysis {
  readonly request: RequestBlock;
  readonly line?: RequestLine;
  /** The path to resolve against the catalog, variables in the base stripped; undefined for foreign URLs. */
  readonly apiPath?: { readonly text: string; readonly span: Span };
  readonly resolved?: ResolvedPath;
  readonly query?: QueryPart;
  /** The OData parse of the joined query; its ranges are offsets into `query.text`. */
  readonly odata?: QueryOptions;
  readonly json?: JsonScan;
}

/**
 * What the file's requests share: the file variables and the request names. While an edit leaves
 * them as they were, the references of untouched requests need no new check (see diagnostics.ts).
 */
export interface CrossBlockFacts {
  readonly names: readonly string[];
  readonly variables: readonly string[];
  /** Which of `names` repeat an earlier one (positions in `names`). */
  readonly duplicates: readonly number[];
}

/**
 * One version of a document: its blocks (read again only where an edit changed them, see
 * requestFile/placement.ts), the parse that every feature reads, and per-request analysis on demand:
 * completion at one position touches one request, not the 10,000 lines around it.
 */
export class FileAnalysis {
  readonly blocks: readonly PlacedBlock[];
  readonly facts: CrossBlockFacts;
  /** Diagnostics per block reading, carried from version to version (see diagnostics.ts). */
  readonly blockDiagnostics: WeakMap<ParsedBlock, BlockDiagnostics>;
  private parsed?: ParsedRequestFile;
  private readonly perRequest: (RequestAnalysis | undefined)[] = [];
  private scopeCache?: { key: LanguageContext; scope: Map<string, VariableDefinition> };
  private names?: Set<string>;
  private variables?: readonly FileVariable[];

  /** The file's diagnostics, once computed (see diagnostics.ts). */
  diagnostics?: FileDiagnostics;
  /** The edit from the previous version, while this version's diagnostics can still be made from that one's. */
  edit?: { readonly before: FileAnalysis; readonly change: BlockEdit };

  /** With `previous` (an earlier version of the same document), only the blocks that changed are read. */
  constructor(readonly text: string, readonly version?: number, previous?: FileAnalysis) {
    if (previous) {
      const change = replaceBlocks(previous.text, previous.blocks, text);
      this.blocks = change.blocks;
      // Only one version back: an older chain would keep every intermediate text alive.
      if (previous.diagnostics) this.edit = { before: previous, change };
      this.facts = factsAfterEdit(previous, change);
      if (this.facts === previous.facts) this.names = previous.names;
    } else {
      this.blocks = placeBlocks(text);
      this.facts = factsOf(this.blocks);
    }
    this.blockDiagnostics = previous?.blockDiagnostics ?? new WeakMap();
  }

  /** The parse of the whole file, every span an offset into `text`. */
  get file(): ParsedRequestFile {
    this.parsed ??= placedFile(this.text, this.blocks);
    return this.parsed;
  }

  /** The file variables, in document order (without making the whole parse). */
  get fileVariables(): readonly FileVariable[] {
    if (!this.variables) {
      this.variables = this.parsed?.fileVariables
        ?? this.blocks.filter((b) => b.parsed.fileVariables.length).flatMap((b) => b.parsed.fileVariables.map((v) => movedVariable(v, b.start - b.parsed.start)));
    }
    return this.variables;
  }

  /** Names of the file's requests (`# @name`), for named-response references. */
  get requestNames(): ReadonlySet<string> {
    this.names ??= new Set(this.facts.names);
    return this.names;
  }

  scope(ctx: LanguageContext): Map<string, VariableDefinition> {
    if (this.scopeCache?.key !== ctx) this.scopeCache = { key: ctx, scope: variableScope(this, ctx) };
    return this.scopeCache.scope;
  }

  request(index: number, ctx: LanguageContext): RequestAnalysis {
    let a = this.perRequest[index];
    if (!a) {
      a = analyzeRequest(this.text, this.file.requests[index], ctx);
      this.perRequest[index] = a;
    }
    return a;
  }
}

/** A file's diagnostics per block (aligned with `FileAnalysis.blocks`, spans in its text), for one context and one set of facts. */
export interface FileDiagnostics {
  readonly ctx: LanguageContext;
  readonly facts: CrossBlockFacts;
  readonly issues: readonly (readonly LangDiagnostic[])[];
  readonly variables: readonly (readonly LangDiagnostic[])[];
  readonly requests: readonly (readonly LangDiagnostic[])[];
}

/** Diagnostics of one block reading, with the block's start when they were made (they move with it). */
export interface BlockDiagnostics {
  readonly ctx: LanguageContext;
  readonly at: number;
  readonly local: readonly LangDiagnostic[];
  /** Problems of references and file variables: they hold while the file's names and variables do. */
  refs?: { readonly facts: CrossBlockFacts; readonly at: number; readonly items: readonly LangDiagnostic[]; readonly variables: readonly LangDiagnostic[] };
}

function factsOf(blocks: readonly PlacedBlock[]): CrossBlockFacts {
  const { names, variables } = namesAndVariables(blocks);
  const seen = new Set<string>();
  const duplicates: number[] = [];
  names.forEach((name, k) => (seen.has(name) ? duplicates.push(k) : seen.add(name)));
  return { names, variables, duplicates };
}

/** The request names and the file variables (name, value, name, value…) of `blocks`, in order. */
function namesAndVariables(blocks: readonly PlacedBlock[]): { names: string[]; variables: string[] } {
  const names: string[] = [];
  const variables: string[] = [];
  for (const b of blocks) {
    const name = b.parsed.request?.name;
    if (name !== undefined) names.push(name);
    for (const v of b.parsed.fileVariables) variables.push(v.name, v.value);
  }
  return { names, variables };
}

/**
 * The facts of a new version: the previous ones when the blocks read again name the same requests
 * and set the same variables as the blocks they replaced, which a keystroke in a body or a query
 * does. Only the changed blocks are looked at then, however long the file.
 */
function factsAfterEdit(previous: FileAnalysis, change: BlockEdit): CrossBlockFacts {
  const before = namesAndVariables(previous.blocks.slice(change.first, change.keep));
  const after = namesAndVariables(change.blocks.slice(change.first, change.first + change.added));
  if (sameStrings(before.names, after.names) && sameStrings(before.variables, after.variables)) return previous.facts;
  const facts = factsOf(change.blocks);
  return sameStrings(previous.facts.names, facts.names) && sameStrings(previous.facts.variables, facts.variables) ? previous.facts : facts;
}

function sameStrings(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((v, k) => v === y[k]);
}

const ABSOLUTE = /^https?:\/\//i;

const resolveCache = new WeakMap<Catalog, Map<string, ResolvedPath | null>>();

/** Files repeat the same few paths; resolving each once keeps large files fast. */
function resolveCached(catalog: Catalog, path: string): ResolvedPath | undefined {
  let cache = resolveCache.get(catalog);
  if (!cache) resolveCache.set(catalog, cache = new Map());
  let hit = cache.get(path);
  if (hit === undefined) {
    hit = catalog.resolve(path) ?? null;
    if (cache.size > 10_000) cache.clear();
    cache.set(path, hit);
  }
  return hit ?? undefined;
}

/** The analysis of a request whose spans are offsets into `text`. */
export function analyzeRequest(text: string, request: RequestBlock, ctx: LanguageContext): RequestAnalysis {
  const line = request.requestLine;
  if (!line) return { request, line, apiPath: undefined, resolved: undefined, query: undefined, odata: undefined, json: undefined };
  const apiPath = apiPathOf(line.path, line.pathSpan);
  let resolved: ResolvedPath | undefined;
  if (apiPath) resolved = apiPath.text === '/sites' ? undefined : resolveCached(ctx.catalog, apiPath.text);
  const query = request.query;
  const odata = query ? parseQueryString(query.text, 0) : undefined;
  const body = request.body;
  const json = body && (body.text.startsWith('{') || body.text.startsWith('[')) ? scanJson(text, body.span.start, body.span.end) : undefined;
  return { request, line, apiPath, resolved, query, odata, json };
}

/**
 * The part of a URL that names a Sage endpoint. `{{baseUrl}}/customers` and full Sage URLs reduce to
 * `/customers`; an absolute URL to another API is not checked against the catalog.
 */
function apiPathOf(path: string, pathSpan: Span): { text: string; span: Span } | undefined {
  let text = path;
  const start = pathSpan.start;
  let at = start;
  const c0 = path.charCodeAt(0);
  // The common case, `/customers…`, without regexes: the path itself, and its span.
  if (c0 === 47 /* / */ && !(path.charCodeAt(1) === 117 || path.charCodeAt(1) === 85) /* u U */) {
    return { text, span: pathSpan.end === start + text.length ? pathSpan : { start, end: start + text.length } };
  }
  // No blanks matched around the name: `\s*` beside a lazy group backtracks quadratically over a long run of blanks.
  const lead = c0 === 123 ? /^\{\{[^{}]*\}\}/.exec(text) : null;
  if (lead) {
    // `{{baseUrl}}/customers`: whatever the base is, the rest names the endpoint.
    text = text.slice(lead[0].length);
    at += lead[0].length;
    if (!text.startsWith('/')) return undefined;
  } else if (ABSOLUTE.test(text)) {
    const m = /^https?:\/\/[^/]+(\/.*)?$/i.exec(text);
    const rest = m?.[1] ?? '/';
    const prefix = /^\/uk\/sage200(?:extra)?\/accounts\/v1(?=\/|$)/i.exec(rest);
    if (!prefix && !/\/accounts\/v1(\/|$)/.test(rest)) return undefined;
    const cut = prefix ? text.length - rest.length + prefix[0].length : text.indexOf('/accounts/v1') + '/accounts/v1'.length;
    at += cut;
    text = text.slice(cut);
  } else if (!text.startsWith('/')) {
    return undefined;
  }
  const prefix = /^\/uk\/sage200(?:extra)?\/accounts\/v1(?=\/|$)/i.exec(text);
  if (prefix) {
    at += prefix[0].length;
    text = text.slice(prefix[0].length);
  }
  return { text, span: { start: at, end: at + text.length } };
}

/**
 * Keeps the last few documents' analyses, keyed by URI and version. A new version of a document
 * is analysed from the previous one: only the blocks that the edit changed are read again.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, FileAnalysis>();

  constructor(private readonly capacity = 20) {}

  get(uri: string, version: number, text: () => string): FileAnalysis {
    const hit = this.entries.get(uri);
    if (hit && hit.version === version) {
      // Re-insert to keep the most recently used last.
      this.entries.delete(uri);
      this.entries.set(uri, hit);
      return hit;
    }
    const fa = new FileAnalysis(text(), version, hit);
    this.entries.delete(uri);
    this.entries.set(uri, fa);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return fa;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
