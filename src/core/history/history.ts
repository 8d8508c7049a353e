/**
 * Request history: the last N requests of a workspace, newest first, stored without secrets.
 * Storage is injected (VS Code's workspaceState in the extension, a Map in tests).
 */
import { redactHeaders, redactRequest, redactBodyText } from '../viewer/redact';

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
  readonly source?: { readonly uri: string; readonly requestIndex?: number };
}

export interface HistoryInput {
  readonly request: { method: string; url: string; headers?: Readonly<Record<string, string>>; body?: string };
  readonly response: {
    status: number;
    statusText: string;
    headers: Readonly<Record<string, string>>;
    body: Uint8Array;
    timing: { totalMs: number };
  };
  readonly site?: string;
  readonly company?: string;
  readonly source?: { readonly uri: string; readonly requestIndex?: number };
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

  constructor(
    private readonly store: KeyValueStore,
    private readonly limit = HISTORY_LIMIT,
    private readonly bodyLimit = HISTORY_BODY_LIMIT,
    private readonly now: () => number = Date.now,
  ) {
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
      request: redactRequest(input.request),
      response: {
        status: input.response.status,
        statusText: input.response.statusText,
        headers: redactHeaders(input.response.headers),
        // Token endpoints and hand-made requests can echo secrets; history never keeps them.
        body: redactBodyText(text) ?? '',
        size: input.response.body.length,
        truncated,
        totalMs: input.response.timing.totalMs,
      },
      site: input.site,
      company: input.company,
      source: input.source,
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

function isEntry(e: unknown): e is HistoryEntry {
  if (e === null || typeof e !== 'object') return false;
  const x = e as Partial<HistoryEntry>;
  return typeof x.id === 'string' && typeof x.time === 'number' && !!x.request && !!x.response;
}
