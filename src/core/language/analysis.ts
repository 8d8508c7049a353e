import { Catalog, Edition, Field, ResolvedPath } from '../catalog';
import { parseQueryString, QueryOptions } from '../odata';
import { parseRequestFile } from '../requestFile/parser';
import { scanJson, JsonScan } from '../requestFile/jsonScan';
import { ParsedRequestFile, QueryPart, RequestBlock, RequestLine, Span } from '../requestFile/types';
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
  /** `request.requestLine`, read once (the tree makes it anew on each read). */
  readonly line?: RequestLine;
  /** The path to resolve against the catalog, variables in the base stripped; undefined for foreign URLs. */
  readonly apiPath?: { readonly text: string; readonly span: Span };
  readonly resolved?: ResolvedPath;
  /** The request's joined query (`request.query`, which is made anew on each read, read once). */
  readonly query?: QueryPart;
  /** The OData parse of the joined query; its ranges are offsets into `query.text`. */
  readonly odata?: QueryOptions;
  readonly json?: JsonScan;
}

/**
 * One parse per document version, and per-request analysis on demand: completion at one position
 * touches one request, not the 10,000 lines around it.
 */
export class FileAnalysis {
  readonly file: ParsedRequestFile;
  /** By request index; an array, not a Map: a 1 MB file has thousands of requests. */
  private readonly perRequest: (RequestAnalysis | undefined)[] = [];
  private scopeCache?: { key: LanguageContext; scope: Map<string, VariableDefinition> };

  constructor(readonly text: string, readonly version?: number) {
    this.file = parseRequestFile(text);
  }

  private names?: Set<string>;

  /** Names of the file's requests (`# @name`), for named-response references. */
  get requestNames(): ReadonlySet<string> {
    if (!this.names) {
      this.names = new Set();
      for (const r of this.file.requests) if (r.name !== undefined) this.names.add(r.name);
    }
    return this.names;
  }

  scope(ctx: LanguageContext): Map<string, VariableDefinition> {
    if (this.scopeCache?.key !== ctx) this.scopeCache = { key: ctx, scope: variableScope(this.file, ctx) };
    return this.scopeCache.scope;
  }

  /**
   * The analysis of one request for a pass over the whole file (diagnostics): the cached one when
   * there is one, else computed and not kept. Completion and hover keep the analysis of the request
   * under the cursor; keeping the OData trees of every request of a large file would only make the
   * garbage collector copy them around.
   */
  transientRequest(index: number, ctx: LanguageContext): RequestAnalysis {
    // Bounds first: reading past the end of an array is a slow lookup through the prototype chain,
    // and during a diagnostics pass the list is usually empty.
    const kept = index < this.perRequest.length ? this.perRequest[index] : undefined;
    return kept ?? analyzeRequest(this, this.file.requests[index], ctx);
  }

  request(index: number, ctx: LanguageContext): RequestAnalysis {
    let a = this.perRequest[index];
    if (!a) {
      a = analyzeRequest(this, this.file.requests[index], ctx);
      this.perRequest[index] = a;
    }
    return a;
  }
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

function analyzeRequest(fa: FileAnalysis, request: RequestBlock, ctx: LanguageContext): RequestAnalysis {
  const line = request.requestLine;
  if (!line) return { request, line, apiPath: undefined, resolved: undefined, query: undefined, odata: undefined, json: undefined };
  const apiPath = apiPathOf(line.path, line.pathSpan);
  let resolved: ResolvedPath | undefined;
  if (apiPath) resolved = apiPath.text === '/sites' ? undefined : resolveCached(ctx.catalog, apiPath.text);
  const query = request.query;
  const odata = query ? parseQueryString(query.text, 0) : undefined;
  // The body's first character read from the document: `body.text` would copy the whole body.
  const bodySpan = request.body?.span;
  const c0 = bodySpan ? fa.file.text.charCodeAt(bodySpan.start) : 0;
  const json = bodySpan && (c0 === 123 /* { */ || c0 === 91 /* [ */) ? scanJson(fa.file.text, bodySpan.start, bodySpan.end) : undefined;
  // One literal with every key (absent ones undefined), not keys added one by one: each added key
  // past the literal's own grows a separate property store, once per request of large files.
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

/** Keeps the last few documents' analyses, keyed by URI and version. */
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
    const fa = new FileAnalysis(text(), version);
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
