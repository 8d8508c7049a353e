import * as vscode from 'vscode';
import { CatalogSource, Field, FieldType } from '../core/catalog';
import { parseMetadata } from '../core/explorer';
import { Disposable } from '../lifecycle';
import type { ApiSender } from '../connections/apiSender';

const RETRY_AFTER_FAILURE_MS = 10 * 60_000;

const TYPE_OF: Record<string, FieldType> = {
  string: 'string', datetime: 'datetime', date: 'datetime', int16: 'integer', int32: 'integer', int64: 'integer', integer: 'integer',
  decimal: 'number', double: 'number', single: 'number', number: 'number', boolean: 'boolean', bool: 'boolean', object: 'object', array: 'array',
};

/**
 * Fields the live API reports (`$metadata=true`) that the shipped catalog lacks: custom fields and
 * newer Sage versions. Read once per connection and entity, in the background, and only when the
 * connection is already signed in: completion never triggers a sign-in prompt.
 */
export class LiveFields extends Disposable {
  private readonly cache = new Map<string, { fields?: readonly Field[]; failedAt?: number; pending?: boolean }>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly catalog: CatalogSource,
    private readonly sender: ApiSender,
    private readonly isSignedIn: (connectionId: string) => Promise<boolean>,
  ) {
    super();
  }

  clear(): void {
    this.cache.clear();
  }

  /** Extra fields of a schema for a connection, or undefined while unknown (a read starts). */
  get(connectionId: string | undefined, schemaName: string): readonly Field[] | undefined {
    if (!connectionId) return undefined;
    const key = `${connectionId}\u0000${schemaName}`;
    const hit = this.cache.get(key);
    if (hit?.fields || hit?.pending) return hit.fields;
    if (hit?.failedAt !== undefined && Date.now() - hit.failedAt < RETRY_AFTER_FAILURE_MS) return undefined;
    const collection = this.catalog().operations.find((o) => o.schema === schemaName && o.verbs.includes('GET') && !o.isItem && o.params.length === 0);
    if (!collection) return undefined;
    this.cache.set(key, { pending: true });
    void this.read(connectionId, key, schemaName, collection.path);
    return undefined;
  }

  private async read(connectionId: string, key: string, schemaName: string, path: string): Promise<void> {
    try {
      if (!(await this.isSignedIn(connectionId))) {
        this.cache.delete(key);
        return;
      }
      const res = await this.sender.send({ method: 'GET', url: `${path}?$metadata=true` }, { connectionId });
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      const live = parseMetadata(res.json) ?? [];
      const known = new Set(this.catalog().fields(schemaName).map((f) => f.name.toLowerCase()));
      const extra: Field[] = live.filter((f) => !known.has(f.name.toLowerCase())).map((f) => ({
        name: f.name,
        type: TYPE_OF[(f.type ?? 'string').toLowerCase()] ?? 'string',
        readOnly: false,
        required: false,
        professionalOnly: false,
      }));
      this.cache.set(key, { fields: extra });
      if (extra.length) this.changed.fire();
    } catch {
      this.cache.set(key, { failedAt: Date.now() });
    }
  }
}
