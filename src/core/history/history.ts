/**
 * Request history: the last N requests of a workspace, newest first, stored without secrets.
 * Storage is injected (VS Code's workspaceState in the extension, a Map in tests).
 *
 * An entry is a record for reading, not a request to send: its secrets are masked, so sending it
 * again would send the masks. Re-sending from history resolves the request again from its file.
 */
import type { HttpResponse } from '../http/types';
import { REDACTED, RequestLike, SecretRegistry, redactHeaders, redactRequest, redactText } from '../http/redact';

export const HISTORY_LIMIT = 50;
/** Bodies above this many bytes are cut, so that workspace state stays small. */
export const HISTORY_BODY_LIMIT = 1024 * 1024;
export const HISTORY_KEY = 'sage200.history.v1';

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface HistoryRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface HistoryEntry {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly request: HistoryRequest;
  readonly response: {
    readonly status: number;
    readonly statusText: string;
    readonly headers: Record<string, string>;
    readonly body: string;
    /** Size of the full body in bytes (before truncation). */
    readonly size: number;
    readonly truncated: boolean;
    readonly totalMs: number;
  };
  readonly site?: string;
  readonly company?: string;
  /**
   * The connection the request went to (its id, not a secret). Absent on entries stored before it
   * was kept: those are never sent again to whichever connection is active as if it were theirs.
   */
  readonly connectionId?: string;
  readonly source?: HistorySource;
  /**
   * True when masking changed the request, so the stored one is not what was sent. Absent on
   * entries whose original was not known; `isIntact` then judges from the stored text.
   */
  readonly masked?: boolean;
  /** Sent by a test run: whether its assertions passed. */
  readonly test?: 'passed' | 'failed';
}

/** Where a request came from in a `.sage200` file, so that it can be resolved again from there. */
export interface HistorySource {
  readonly uri: string;
  readonly requestIndex?: number;
  readonly requestName?: string;
}

export interface HistoryOptions {
  readonly limit?: number;
  readonly bodyLimit?: number;
  readonly now?: () => number;
  /** Values scrubbed wherever they appear (tokens, `$dotenv` and `$prompt` values). */
  readonly secrets?: SecretRegistry;
}

export interface HistoryInput {
  readonly request: RequestLike;
  /** The request as its caller resolved it, unmasked: only compared, never stored. */
  readonly original?: RequestLike;
  readonly response: {
    status: number;
    statusText: string;
    headers: Readonly<Record<string, string>>;
    body: Uint8Array;
    timing: { totalMs: number };
  };
  readonly site?: string;
  readonly company?: string;
  readonly connectionId?: string;
  readonly source?: HistorySource;
  readonly test?: 'passed' | 'failed';
}

/**
 * Cuts UTF-8 bytes to at most `limit` bytes without splitting a character, and decodes them.
 */
export function truncateUtf8(bytes: Uint8Array, limit: number): { text: string; truncated: boolean } {
  if (bytes.length <= limit) return { text: new TextDecoder().decode(bytes), truncated: false };
  let end = limit;
  // Step back over continuation bytes (10xxxxxx) so that no character is split.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return { text: new TextDecoder().decode(bytes.subarray(0, end)), truncated: true };
}

export class History {
  private entries: HistoryEntry[];
  private counter = 0;
  private readonly limit: number;
  private readonly bodyLimit: number;
  private readonly now: () => number;
  private readonly secrets?: SecretRegistry;

  constructor(
    private readonly store: KeyValueStore,
    options: HistoryOptions = {},
  ) {
    this.limit = options.limit ?? HISTORY_LIMIT;
    this.bodyLimit = options.bodyLimit ?? HISTORY_BODY_LIMIT;
    this.now = options.now ?? Date.now;
    this.secrets = options.secrets;
    const limit = this.limit;
    const saved = store.get<HistoryEntry[]>(HISTORY_KEY);
    this.entries = Array.isArray(saved) ? saved.filter(isEntry).slice(0, limit) : [];
  }

  /** Newest first. */
  list(): readonly HistoryEntry[] {
    return this.entries;
  }

  get(id: string): HistoryEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  async add(input: HistoryInput): Promise<HistoryEntry> {
    const { text, truncated } = truncateUtf8(input.response.body, this.bodyLimit);
    const time = this.now();
    const entry: HistoryEntry = {
      id: `${time.toString(36)}-${(this.counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      time,
      request: redactRequest(input.request, this.secrets),
      response: {
        status: input.response.status,
        statusText: input.response.statusText,
        headers: redactHeaders(input.response.headers, this.secrets),
        // Token endpoints and hand-made requests can echo secrets; history never keeps them.
        body: redactText(text, this.secrets),
        size: input.response.body.length,
        truncated,
        totalMs: input.response.timing.totalMs,
      },
      site: input.site,
      company: input.company,
      ...(input.connectionId ? { connectionId: input.connectionId } : {}),
      source: input.source,
      ...(input.test ? { test: input.test } : {}),
      ...(input.original ? { masked: !sameRequest(redactRequest(input.original, this.secrets), input.original) } : {}),
    };
    this.entries = [entry, ...this.entries].slice(0, this.limit);
    await this.store.update(HISTORY_KEY, this.entries);
    return entry;
  }

  async remove(id: string): Promise<void> {
    this.entries = this.entries.filter((e) => e.id !== id);
    await this.store.update(HISTORY_KEY, this.entries);
  }

  async clear(): Promise<void> {
    this.entries = [];
    await this.store.update(HISTORY_KEY, this.entries);
  }
}

function sameRequest(a: RequestLike, b: RequestLike): boolean {
  const headers = (r: RequestLike): string => JSON.stringify(Object.entries(r.headers ?? {}));
  return a.method === b.method && a.url === b.url && a.body === b.body && headers(a) === headers(b);
}

/** Headers that the client sets itself on every request to the API: their masks are not the user's. */
const CLIENT_CREDENTIALS = /^(authorization|ocp-apim-subscription-key)$/i;

/**
 * Whether a stored request is what was sent, apart from the credentials the client adds itself (it
 * adds them again on the next send). Only such a request may be sent again as stored.
 */
export function isIntact(entry: Pick<HistoryEntry, 'request' | 'masked'>): boolean {
  if (entry.masked !== undefined) return !entry.masked;
  const r = entry.request;
  if (r.url.includes(REDACTED) || r.body?.includes(REDACTED)) return false;
  return Object.entries(r.headers).every(([k, v]) => CLIENT_CREDENTIALS.test(k) || !v.includes(REDACTED));
}

/** A stored request without the credentials the client adds itself, ready to be sent again. */
export function withoutClientCredentials(r: HistoryRequest): HistoryRequest {
  const headers = Object.fromEntries(Object.entries(r.headers).filter(([k]) => !CLIENT_CREDENTIALS.test(k) && !/^(content-length|host|connection)$/i.test(k)));
  return { ...r, headers };
}

/** The response as history keeps it (its body perhaps cut), in the client's shape, to be shown again. */
export function storedResponse(e: HistoryEntry): HttpResponse {
  const body = new TextEncoder().encode(e.response.body);
  return {
    status: e.response.status,
    statusText: e.response.statusText,
    headers: e.response.headers,
    body,
    size: e.response.size,
    timing: { totalMs: e.response.totalMs },
    request: e.request,
    attempts: 1,
  };
}

function isEntry(e: unknown): e is HistoryEntry {
  if (e === null || typeof e !== 'object') return false;
  const x = e as Partial<HistoryEntry>;
  return typeof x.id === 'string' && typeof x.time === 'number' && !!x.request && !!x.response;
}
