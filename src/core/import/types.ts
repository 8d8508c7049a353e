/**
 * What an import produces, before anything is written: request files as text, environment files as
 * data, a suggested connection, and a summary that says what happened to every part of the source.
 */
import type { ConnectionConfig } from '../connections/types';

/** One line of the summary. `dropped` parts are gone; `comment` parts are in the file but not run. */
export interface SummaryEntry {
  readonly kind: 'converted' | 'dropped' | 'comment' | 'warning';
  /** What it is about: a request's title, a header name, a variable name (never a value). */
  readonly subject: string;
  readonly reason: string;
}

export class ImportSummary {
  readonly entries: SummaryEntry[] = [];

  add(kind: SummaryEntry['kind'], subject: string, reason: string): void {
    this.entries.push({ kind, subject, reason });
  }

  count(kind: SummaryEntry['kind']): number {
    return this.entries.filter((e) => e.kind === kind).length;
  }

  /** Plain text for the CLI and the editor's output channel: counts first, then each entry but the conversions. */
  format(): string {
    const lines = [
      `Converted: ${this.count('converted')}, dropped: ${this.count('dropped')}, kept as comments: ${this.count('comment')}, warnings: ${this.count('warning')}.`,
    ];
    const label = { converted: 'converted', dropped: 'dropped', comment: 'kept as comment', warning: 'warning' } as const;
    for (const e of this.entries) if (e.kind !== 'converted') lines.push(`  ${label[e.kind]}: ${e.subject}: ${e.reason}`);
    return lines.join('\n');
  }
}

/** A request on its way to `.sage200` text. */
export interface ImportedRequest {
  readonly title: string;
  /** Comment lines above the request line (descriptions, disabled parts, scripts that are not run). */
  readonly comments: string[];
  /** `# @key value` lines. */
  readonly metadata: [string, string][];
  method: string;
  /** Path (relative to the connection's base URL) or absolute URL, with its query. */
  url: string;
  readonly headers: { name: string; value: string }[];
  body?: string;
  /** `?? …` lines. */
  readonly assertions: string[];
}

export interface ImportedRequestFile {
  /** File name, without folders. */
  readonly name: string;
  readonly comments: string[];
  readonly variables: [string, string][];
  readonly requests: ImportedRequest[];
}

/** `http-client.env.json` content: environment name → variable → value. */
export type EnvironmentFile = Record<string, Record<string, string>>;

/** A connection to offer the user, from a collection's OAuth 2.0 settings. Never holds a secret. */
export type SuggestedConnection = Pick<ConnectionConfig, 'name' | 'clientId'> &
  Partial<Pick<ConnectionConfig, 'authority' | 'audience' | 'scopes' | 'redirectUri' | 'usePkce' | 'baseUrl'>>;

export interface ImportResult {
  readonly kind: ImportKind;
  readonly files: readonly ImportedRequestFile[];
  /** Values that go to `http-client.env.json`. */
  readonly environments?: EnvironmentFile;
  /** Values that go to `http-client.private.env.json` only. */
  readonly privateEnvironments?: EnvironmentFile;
  readonly connection?: SuggestedConnection;
  readonly summary: ImportSummary;
}

export type ImportKind = 'postman-collection' | 'postman-environment' | 'http-file' | 'curl';

/** Bad input: a message to show as it is. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}
