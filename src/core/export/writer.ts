import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CSV_BOM, CsvColumns, CsvWidener, csvRow } from './csv';

export type ExportFormat = 'jsonl' | 'json' | 'csv';

export const EXPORT_FORMATS: readonly { readonly format: ExportFormat; readonly label: string; readonly extension: string }[] = [
  { format: 'csv', label: 'CSV', extension: 'csv' },
  { format: 'jsonl', label: 'JSON Lines', extension: 'jsonl' },
  { format: 'json', label: 'JSON', extension: 'json' },
];

/** The format a file name asks for, by its extension. */
export function formatOfPath(file: string): ExportFormat | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'json';
  return undefined;
}

/** An open file being written. */
export interface ExportFileHandle {
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** The few file operations an export needs; tests pass one that fails on purpose. */
export interface ExportFileSystem {
  /** Creates a new file; fails if it exists. */
  create(file: string): Promise<ExportFileHandle>;
  /** Reads a file as UTF-8 text in chunks. */
  read(file: string): AsyncIterable<string>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
}

export const nodeFileSystem: ExportFileSystem = {
  async create(file) {
    const handle = await fs.promises.open(file, 'wx');
    return {
      async write(data) {
        let offset = 0;
        while (offset < data.length) {
          const { bytesWritten } = await handle.write(data, offset, data.length - offset);
          offset += bytesWritten;
        }
      },
      close: () => handle.close(),
    };
  },
  read: (file) => fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }),
  rename: (from, to) => fs.promises.rename(from, to),
  unlink: (file) => fs.promises.unlink(file),
};

/** A failed write, in words for the user; `code` is the system error code when there is one. */
export class ExportError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'ExportError';
  }
}

export class ExportCancelledError extends Error {
  constructor() {
    super('The export was cancelled; no file was written.');
    this.name = 'ExportCancelledError';
  }
}

const CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a part of the path is not a folder',
  EIO: 'an input/output error occurred',
  EMFILE: 'too many files are open',
  EISDIR: 'the target is a folder',
  EBUSY: 'the file is in use',
};

function toExportError(err: unknown, target: string, action: string): ExportError {
  if (err instanceof ExportError) return err;
  const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined;
  const cause = code ? CAUSES[code] ?? code : err instanceof Error ? err.message : String(err);
  return new ExportError(`Could not ${action} "${target}": ${cause}${code && CAUSES[code] ? ` (${code})` : ''}.`, code);
}

export interface ExportWriterOptions {
  readonly formulaGuard?: boolean;
}

export interface ExportSummary {
  readonly file: string;
  readonly format: ExportFormat;
  readonly records: number;
  readonly bytes: number;
}

/** Text is gathered to about this many bytes before it goes to disk: few syscalls, bounded memory. */
const FLUSH_AT = 256 * 1024;

/** Creates a hidden, unique temporary file beside `target`, which a rename later makes the target. */
async function createTempBeside(target: string, fsys: ExportFileSystem): Promise<{ temp: string; handle: ExportFileHandle }> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.part`);
  try {
    return { temp, handle: await fsys.create(temp) };
  } catch (err) {
    throw toExportError(err, path.dirname(target), 'write to the folder');
  }
}

/**
 * Writes `parts` to a temporary file beside `target` and renames it over the target once all is
 * written; on any failure the temporary file is removed and an `ExportError` says why. Text is
 * gathered into writes of about FLUSH_AT bytes. Returns the bytes written.
 */
export async function writeFileAtomically(target: string, parts: Iterable<string | Uint8Array>, fsys: ExportFileSystem = nodeFileSystem): Promise<number> {
  const { temp, handle } = await createTempBeside(target, fsys);
  let bytes = 0;
  let open = true;
  try {
    let text: string[] = [];
    let buffered = 0;
    const flush = async (): Promise<void> => {
      if (!text.length) return;
      const data = Buffer.from(text.join(''), 'utf8');
      text = [];
      buffered = 0;
      await handle.write(data);
      bytes += data.length;
    };
    for (const part of parts) {
      if (typeof part === 'string') {
        text.push(part);
        buffered += part.length;
        if (buffered >= FLUSH_AT) await flush();
      } else {
        await flush();
        await handle.write(part);
        bytes += part.length;
      }
    }
    await flush();
    open = false;
    await handle.close();
    await fsys.rename(temp, target);
    return bytes;
  } catch (err) {
    if (open) await handle.close().catch(() => undefined);
    await fsys.unlink(temp).catch(() => undefined);
    throw toExportError(err, target, 'write');
  }
}

/**
 * Streams records to a temporary file beside the target and renames it over the target only when
 * everything is written. Until `commit`, nothing exists at the path the user chose; `abort` (after a
 * cancel or a failure) removes the temporary file, so no partial export is ever left behind.
 */
export class ExportWriter {
  private buffer: string[] = [];
  private buffered = 0;
  private records = 0;
  private bytes = 0;
  private done = false;
  private readonly columns: CsvColumns;
  /** Records written with each width, for widening rows when later pages bring new keys. */
  private readonly widths: { from: number; width: number }[] = [];

  private constructor(
    readonly target: string,
    readonly format: ExportFormat,
    private readonly temp: string,
    private handle: ExportFileHandle,
    private readonly fsys: ExportFileSystem,
    private readonly guard: boolean,
  ) {
    this.columns = new CsvColumns(guard);
  }

  /** `formulaGuard` (default true) defuses CSV cells that a spreadsheet would run as formulas. */
  static async create(
    target: string, format: ExportFormat, fsys: ExportFileSystem = nodeFileSystem, options: ExportWriterOptions = {},
  ): Promise<ExportWriter> {
    const { temp, handle } = await createTempBeside(target, fsys);
    const writer = new ExportWriter(target, format, temp, handle, fsys, options.formulaGuard ?? true);
    if (format === 'json') writer.push('[');
    if (format === 'csv') writer.push(CSV_BOM);
    return writer;
  }

  /** The temporary file's path (for tests and messages). */
  get tempFile(): string {
    return this.temp;
  }

  get recordCount(): number {
    return this.records;
  }

  async writePage(records: readonly unknown[]): Promise<void> {
    if (this.done) throw new Error('The export is already finished.');
    if (this.format === 'csv') {
      const added = this.columns.add(records);
      if (added && this.records === 0 && this.widths.length === 0) {
        this.push(csvRow(this.columns.names, this.guard));
      }
      if (added || this.widths.length === 0) this.widths.push({ from: this.records, width: this.columns.names.length });
    }
    for (const r of records) {
      switch (this.format) {
        case 'jsonl':
          this.push(`${JSON.stringify(r) ?? 'null'}\n`);
          break;
        case 'json':
          this.push(`${this.records === 0 ? '\n' : ',\n'}${JSON.stringify(r) ?? 'null'}`);
          break;
        case 'csv':
          this.push(this.columns.row(r));
          break;
      }
      this.records++;
      if (this.buffered >= FLUSH_AT) await this.flush();
    }
    await this.flush();
  }

  private push(text: string): void {
    this.buffer.push(text);
    this.buffered += text.length;
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const data = Buffer.from(this.buffer.join(''), 'utf8');
    this.buffer = [];
    this.buffered = 0;
    try {
      await this.handle.write(data);
    } catch (err) {
      throw toExportError(err, this.target, 'write');
    }
    this.bytes += data.length;
  }

  /** Finishes the file and moves it into place. */
  async commit(): Promise<ExportSummary> {
    if (this.done) throw new Error('The export is already finished.');
    if (this.format === 'json') this.push(this.records ? '\n]\n' : ']\n');
    if (this.format === 'csv' && this.widths.length === 0) this.push('\r\n'); // no records: an empty header line
    await this.flush();
    try {
      await this.handle.close();
    } catch (err) {
      throw toExportError(err, this.target, 'write');
    }
    this.done = true;
    let finalFile = this.temp;
    const finalWidth = this.columns.names.length;
    if (this.format === 'csv' && this.widths.length > 1) {
      finalFile = await this.widen(finalWidth);
    }
    try {
      await this.fsys.rename(finalFile, this.target);
    } catch (err) {
      await this.removeQuietly(finalFile);
      throw toExportError(err, this.target, 'save');
    }
    if (finalFile !== this.temp) await this.removeQuietly(this.temp);
    return { file: this.target, format: this.format, records: this.records, bytes: this.bytes };
  }

  /**
   * Later pages brought keys that the header did not have: rewrite the file once, streaming, with
   * the full header and the earlier rows padded, so that every record has the same number of fields.
   */
  private async widen(finalWidth: number): Promise<string> {
    const widths = this.widths;
    const widthAt = (record: number): number => {
      let w = widths[0].width;
      for (const step of widths) if (step.from <= record) w = step.width;
      return w;
    };
    const second = `${this.temp}.2`;
    let out: ExportFileHandle | undefined;
    try {
      out = await this.fsys.create(second);
      const widener = new CsvWidener(CSV_BOM + csvRow(this.columns.names, this.guard), finalWidth, widthAt);
      let bytes = 0;
      for await (const chunk of this.fsys.read(this.temp)) {
        const data = Buffer.from(widener.push(chunk), 'utf8');
        bytes += data.length;
        await out.write(data);
      }
      await out.close();
      out = undefined;
      this.bytes = bytes;
      return second;
    } catch (err) {
      if (out) await out.close().catch(() => undefined);
      await this.removeQuietly(second);
      await this.removeQuietly(this.temp);
      throw toExportError(err, this.target, 'write');
    }
  }

  /** Drops everything written so far. Safe to call more than once and after a failure. */
  async abort(): Promise<void> {
    this.buffer = [];
    this.buffered = 0;
    if (!this.done) {
      this.done = true;
      await this.handle.close().catch(() => undefined);
    }
    await this.removeQuietly(this.temp);
    await this.removeQuietly(`${this.temp}.2`);
  }

  private async removeQuietly(file: string): Promise<void> {
    try {
      await this.fsys.unlink(file);
    } catch {
      // Already gone (or never created): nothing to clean.
    }
  }
}
