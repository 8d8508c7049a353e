import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import type { CompanyStore, Rec, Table } from './store';

/**
 * `--data file.json`: the demo data is regenerated from its seed and scale, so the file holds only
 * what writes changed (created or updated records and deleted ids). That keeps a scale-100 data
 * file small and its save fast. Every save writes a temporary file and renames it over the old one.
 */

export const DATA_FORMAT = 'sage200-sandbox-data';

interface TableChanges {
  upserts: Record<string, Record<string, unknown>>;
  deleted: number[];
  nextId?: number;
}

export interface DataFile {
  format: typeof DATA_FORMAT;
  version: 1;
  seed: number;
  scale: number;
  hostileData: boolean;
  savedAt?: string;
  companies: Record<string, Record<string, TableChanges>>;
}

export class DataFileError extends Error {}

/** Fails early when the data file could never be written (missing folder, a folder in its place). */
export function checkWritable(file: string): void {
  const dir = path.dirname(path.resolve(file));
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new DataFileError(`The folder of the sandbox data file does not exist: ${dir}`);
  }
  if (!st.isDirectory()) throw new DataFileError(`${dir} is not a folder, so the sandbox data file cannot be written there.`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new DataFileError(`${file} is a folder, not a sandbox data file.`);
}

/** Reads a data file, or returns undefined when it does not exist. A damaged file is an error, never overwritten. */
export function readDataFile(file: string): DataFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataFileError(`Cannot read the sandbox data file ${file}: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DataFileError(`The sandbox data file ${file} is not valid JSON (${(e as Error).message}). Fix or move it; the sandbox will not overwrite it.`);
  }
  const d = data as Partial<DataFile>;
  if (!d || typeof d !== 'object' || d.format !== DATA_FORMAT || d.version !== 1 || typeof d.seed !== 'number' || typeof d.scale !== 'number' || typeof d.companies !== 'object' || d.companies === null) {
    throw new DataFileError(`The file ${file} is not sandbox data (expected "format": "${DATA_FORMAT}", "version": 1). Fix or move it; the sandbox will not overwrite it.`);
  }
  return d as DataFile;
}

export class Persistence {
  private timer?: NodeJS.Timeout;
  private pending?: Promise<void>;
  private dirty = false;
  /** The last failed background save, reported by close(). */
  lastError?: Error;

  constructor(private readonly file: string | undefined, readonly data: DataFile) {}

  private changes(company: CompanyStore, table: Table): TableChanges {
    const key = `${company.info.siteId}/${company.info.companyId}`;
    const byTable = (this.data.companies[key] ??= {});
    return (byTable[table.schema.name] ??= { upserts: {}, deleted: [] });
  }

  /** Replays saved changes onto a freshly generated table. */
  apply(table: Table, company: CompanyStore): void {
    const key = `${company.info.siteId}/${company.info.companyId}`;
    const ch = this.data.companies[key]?.[table.schema.name];
    if (!ch) return;
    for (const id of Array.isArray(ch.deleted) ? ch.deleted : []) table.remove(Number(id));
    const known = new Set(table.schema.fields.map((f) => f.name));
    for (const [idText, saved] of Object.entries(ch.upserts ?? {})) {
      const id = Number(idText);
      if (!Number.isSafeInteger(id) || !saved || typeof saved !== 'object') continue;
      // Only the schema's fields come back from the file, whatever else it holds.
      const fields = Object.fromEntries(Object.entries(saved).filter(([k]) => known.has(k)));
      const existing = table.byId.get(id);
      if (existing) {
        for (const k of Object.keys(existing)) if (k !== 'id') delete existing[k];
        for (const [k, v] of Object.entries(fields)) if (k !== 'id') existing[k] = v;
        table.changed(existing);
      } else {
        table.insert(table.create(fields, id));
      }
    }
    if (ch.nextId && ch.nextId > table.nextId) table.nextId = ch.nextId;
    table.touched();
  }

  recordUpsert(company: CompanyStore, table: Table, rec: Rec): void {
    const ch = this.changes(company, table);
    ch.upserts[String(rec.id)] = { ...ownFields(rec) };
    ch.nextId = table.nextId;
    this.schedule();
  }

  recordDelete(company: CompanyStore, table: Table, id: number): void {
    const ch = this.changes(company, table);
    delete ch.upserts[String(id)];
    if (!ch.deleted.includes(id)) ch.deleted.push(id);
    ch.nextId = table.nextId;
    this.schedule();
  }

  private schedule(): void {
    if (!this.file) return;
    this.dirty = true;
    if (this.timer) return;
    // Coalesce bursts of writes into one save.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A failed save must not crash the server: keep the error for close() to report, and retry on the next write.
      this.flush().catch((e: unknown) => {
        this.lastError = e instanceof Error ? e : new Error(String(e));
        this.dirty = true;
      });
    }, 50);
    this.timer.unref?.();
  }

  /** Writes the file now if anything changed (called on close). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.pending;
    if (!this.file || !this.dirty) return;
    this.dirty = false;
    this.pending = writeAtomic(this.file, JSON.stringify({ ...this.data, savedAt: new Date().toISOString() }));
    try {
      await this.pending;
    } finally {
      this.pending = undefined;
    }
  }

  /** Synchronous save for process exit paths. */
  flushSync(): void {
    if (!this.file || !this.dirty) return;
    this.dirty = false;
    writeAtomicSync(this.file, JSON.stringify({ ...this.data, savedAt: new Date().toISOString() }));
  }
}

function ownFields(rec: Rec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) out[k] = rec[k];
  return out;
}

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
}

export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = tempName(file);
  try {
    const fh = await fs.promises.open(tmp, 'w');
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

export function writeAtomicSync(file: string, text: string): void {
  const tmp = tempName(file);
  try {
    fs.writeFileSync(tmp, text, 'utf8');
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
