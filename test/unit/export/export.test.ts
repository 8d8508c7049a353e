import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import {
  CsvColumns, CsvWidener, ExportCancelledError, ExportError, ExportFileSystem, ExportWriter, csvRow, nodeFileSystem, runExport,
} from '../../../src/core/export';
import { Sage200Client, fetchAll } from '../../../src/core/http';
import { describeFailure } from '../../../src/core/explorer';

/** A small RFC 4180 reader for checking what the writer wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; i++;
    } else cell += c;
  }
  assert.strictEqual(cell + row.join(''), '', 'file ends with CRLF');
  return rows;
}

/** Reads an exported CSV file: it must start with exactly one UTF-8 BOM (so that Excel reads UTF-8). */
function readCsv(file: string): string[][] {
  const bytes = fs.readFileSync(file);
  assert.deepStrictEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${path.basename(file)} starts with a UTF-8 BOM`);
  const text = bytes.subarray(3).toString('utf8');
  assert.ok(!text.startsWith('\ufeff'), 'only one BOM');
  return parseCsv(text);
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-export-'));
}

const pagesOf = (pages: unknown[][]) => async (onPage: (r: unknown[]) => Promise<void>): Promise<void> => {
  for (const p of pages) await onPage(p);
};

describe('export writers', () => {
  let dir: string;
  beforeEach(() => { dir = tmpDir(); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const records = [
    { id: 1, reference: 'ABC001', name: 'Comma, Ltd', balance: 12.5, on_hold: false },
    { id: 2, reference: 'Q"UOTE', name: 'Line\r\nbreak', balance: null, contacts: [{ id: 9, name: 'Ann' }] },
    { id: 3, reference: 'UNI', name: 'Zoë Ünïcode ✓ 日本', balance: -1, address: { city: 'Newcastle' } },
  ];

  it('writes JSON Lines, one record a line', async () => {
    const target = path.join(dir, 'out.jsonl');
    const summary = await runExport({ target, format: 'jsonl', pages: pagesOf([records.slice(0, 2), records.slice(2)]) });
    const lines = fs.readFileSync(target, 'utf8').split('\n');
    assert.strictEqual(lines.pop(), '');
    assert.deepStrictEqual(lines.map((l) => JSON.parse(l)), records);
    assert.strictEqual(summary.records, 3);
    assert.strictEqual(summary.bytes, fs.statSync(target).size);
    assert.deepStrictEqual(fs.readdirSync(dir), ['out.jsonl']);
  });

  it('writes a JSON array, also when empty', async () => {
    const target = path.join(dir, 'out.json');
    await runExport({ target, format: 'json', pages: pagesOf([records, []]) });
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(target, 'utf8')), records);
    await runExport({ target: path.join(dir, 'empty.json'), format: 'json', pages: pagesOf([[]]) });
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(dir, 'empty.json'), 'utf8')), []);
  });

  it('writes RFC 4180 CSV with nested values as JSON and a header from the union of keys', async () => {
    const target = path.join(dir, 'out.csv');
    await runExport({ target, format: 'csv', pages: pagesOf([records]) });
    const rows = readCsv(target);
    assert.deepStrictEqual(rows[0], ['id', 'reference', 'name', 'balance', 'on_hold', 'contacts', 'address']);
    assert.deepStrictEqual(rows[1], ['1', 'ABC001', 'Comma, Ltd', '12.5', 'false', '', '']);
    assert.deepStrictEqual(rows[2], ['2', 'Q"UOTE', 'Line\r\nbreak', '', '', '[{"id":9,"name":"Ann"}]', '']);
    assert.deepStrictEqual(JSON.parse(rows[3][6]), { city: 'Newcastle' });
    assert.strictEqual(rows[3][2], 'Zoë Ünïcode ✓ 日本');
    assert.ok(rows.every((r) => r.length === 7));
  });

  it('defuses spreadsheet formulas in text cells, never in numbers, unless asked not to', async () => {
    const hostile = [{ id: -5, name: '=HYPERLINK("http://x","y")', note: '+1', at: '@SUM(A1)', tab: '\tx', plain: 'a-b', nested: { f: 1 }, semi: 'a;=1+1', space: ' =1+1', zw: '\u200b=1+1', full: '\uff1d1+1' }];
    const guarded = path.join(dir, 'guarded.csv');
    await runExport({ target: guarded, format: 'csv', pages: pagesOf([hostile]) });
    const rows = readCsv(guarded);
    assert.deepStrictEqual(rows[1], [
      '-5', '\'=HYPERLINK("http://x","y")', "'+1", "'@SUM(A1)", "'\tx", 'a-b', '{"f":1}', "a;'=1+1", "' =1+1", "'\u200b=1+1", "'\uff1d1+1",
    ]);
    const raw = path.join(dir, 'raw.csv');
    await runExport({ target: raw, format: 'csv', pages: pagesOf([hostile]), formulaGuard: false });
    assert.deepStrictEqual(readCsv(raw)[1], ['-5', '=HYPERLINK("http://x","y")', '+1', '@SUM(A1)', '\tx', 'a-b', '{"f":1}', 'a;=1+1', ' =1+1', '\u200b=1+1', '\uff1d1+1']);
  });

  it('widens the CSV when a later page brings new keys, padding the earlier rows', async () => {
    const target = path.join(dir, 'wide.csv');
    const first = Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `n,${i}\n"x"` }));
    const second = [{ id: 2000, name: 'late', extra: 'E' }, { id: 2001, other: { a: 1 } }];
    const summary = await runExport({ target, format: 'csv', pages: pagesOf([first, second, [{ id: 2002 }]]) });
    const rows = readCsv(target);
    assert.deepStrictEqual(rows[0], ['id', 'name', 'extra', 'other']);
    assert.strictEqual(rows.length, 2004);
    assert.ok(rows.every((r) => r.length === 4), 'every record has the header\'s width');
    assert.deepStrictEqual(rows[1], ['0', 'n,0\n"x"', '', '']);
    assert.deepStrictEqual(rows[2001], ['2000', 'late', 'E', '']);
    assert.deepStrictEqual(rows[2002], ['2001', '', '', '{"a":1}']);
    assert.deepStrictEqual(rows[2003], ['2002', '', '', '']);
    assert.strictEqual(summary.bytes, fs.statSync(target).size);
    assert.deepStrictEqual(fs.readdirSync(dir), ['wide.csv'], 'no temporary files are left');
  });

  it('widening is independent of how the file is cut into chunks', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('"', ',', '\r\n', '\r', '\n', '""', ''), fc.integer());
    fc.assert(fc.property(
      fc.array(fc.array(cell, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      (rows, cuts) => {
        const cols = new CsvColumns();
        cols.add([Object.fromEntries(['a', 'b', 'c'].map((k) => [k, 0]))]);
        const old = csvRow(['a']) + rows.map((r) => csvRow(r, false)).join('');
        const widths = rows.map((r) => r.length);
        const w = new CsvWidener(csvRow(['a', 'b', 'c', 'd']), 4, (i) => widths[i]);
        const points = [...new Set(cuts.map((c) => c % (old.length + 1)))].sort((x, y) => x - y);
        let out = '';
        let from = 0;
        for (const p of [...points, old.length]) { out += w.push(old.slice(from, p)); from = p; }
        const parsed = parseCsv(out);
        assert.deepStrictEqual(parsed[0], ['a', 'b', 'c', 'd']);
        assert.deepStrictEqual(parsed.slice(1), rows.map((r) => [...r.map((x) => String(x)), ...new Array(4 - r.length).fill('')]));
      },
    ), { numRuns: 300 });
  });

  it('leaves nothing behind on a disk write error and says what failed', async () => {
    const target = path.join(dir, 'full.csv');
    fs.writeFileSync(target, 'previous export\n');
    let written = 0;
    const fullDisk: ExportFileSystem = {
      ...nodeFileSystem,
      async create(file) {
        const h = await nodeFileSystem.create(file);
        return {
          async write(data) {
            if (written + data.length > 300_000) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            written += data.length;
            await h.write(data);
          },
          close: () => h.close(),
        };
      },
    };
    const big = Array.from({ length: 5000 }, (_, i) => ({ id: i, name: `Customer ${i}`, notes: 'x'.repeat(50) }));
    let pagesAsked = 0;
    await assert.rejects(
      runExport({
        target, format: 'csv', fs: fullDisk,
        pages: async (onPage) => { for (let p = 0; p < 10; p++) { pagesAsked++; await onPage(big); } },
      }),
      (err: unknown) => {
        assert.ok(err instanceof ExportError);
        assert.strictEqual(err.code, 'ENOSPC');
        assert.match(err.message, /Could not write ".*full\.csv": the disk is full \(ENOSPC\)\./);
        return true;
      },
    );
    assert.ok(pagesAsked < 10, 'the download stops at the failure');
    assert.deepStrictEqual(fs.readdirSync(dir), ['full.csv']);
    assert.strictEqual(fs.readFileSync(target, 'utf8'), 'previous export\n', 'the earlier file at the target is untouched');
  });

  it('reports a folder that cannot be written', async () => {
    await assert.rejects(
      runExport({ target: path.join(dir, 'missing', 'x.csv'), format: 'csv', pages: pagesOf([records]) }),
      /Could not write to the folder ".*missing": the folder does not exist \(ENOENT\)\./,
    );
  });

  it('removes the temporary file when cancelled mid-export', async () => {
    const target = path.join(dir, 'cancel.jsonl');
    const controller = new AbortController();
    let sawTemp = false;
    await assert.rejects(
      runExport({
        target, format: 'jsonl', signal: controller.signal,
        pages: async (onPage, signal) => {
          for (let p = 0; p < 100; p++) {
            if (signal.aborted) throw new Error('aborted by signal');
            await onPage([{ id: p }]);
            sawTemp ||= fs.readdirSync(dir).some((f) => f.endsWith('.part'));
            if (p === 3) controller.abort();
          }
        },
        onProgress: ({ pages, records }) => assert.strictEqual(pages, records),
      }),
      ExportCancelledError,
    );
    assert.ok(sawTemp, 'it streamed to a temporary file in the target folder');
    assert.deepStrictEqual(fs.readdirSync(dir), []);
  });

  it('a writer aborted after commit failure or twice is harmless', async () => {
    const w = await ExportWriter.create(path.join(dir, 'a.json'), 'json');
    await w.writePage([{ a: 1 }]);
    await w.abort();
    await w.abort();
    assert.deepStrictEqual(fs.readdirSync(dir), []);
  });

  describe('with the HTTP client over a real loopback server', () => {
    let server: http.Server;
    let base: string;
    let dropAtSkip = -1;
    let forbidAtSkip = -1;
    const TOTAL = 12_345;
    before(async () => {
      server = http.createServer((req, res) => {
        const u = new URL(req.url ?? '/', 'http://x');
        const top = Number(u.searchParams.get('$top'));
        const skip = Number(u.searchParams.get('$skip'));
        if (skip === dropAtSkip) { req.socket.destroy(); return; }
        if (skip === forbidAtSkip) {
          res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: 'The requested operation is forbidden for this account.' }));
          return;
        }
        if (req.headers.authorization !== 'Bearer t0ken') { res.writeHead(401).end(); return; }
        const rows = [];
        for (let i = skip; i < Math.min(TOTAL, skip + top); i++) rows.push({ id: i, reference: `C${i}`, name: `Name, "${i}"` });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/uk/sage200/accounts/v1`;
    });
    after(async () => { await new Promise((r) => server.close(r)); });

    const client = (): Sage200Client => new Sage200Client({
      baseUrl: base,
      tokens: { getAccessToken: async () => 't0ken', refreshAfterUnauthorized: async () => undefined },
      retry: { maxAttempts: 1 },
    });

    it('exports every record, page by page', async () => {
      const c = client();
      try {
        const target = path.join(dir, 'customers.csv');
        const progress: number[] = [];
        await runExport({
          target, format: 'csv',
          pages: (onPage, signal) => fetchAll(c, '/customers', { onPage, signal, pageSize: 5000 }),
          onProgress: (p) => progress.push(p.records),
        });
        const rows = readCsv(target);
        assert.strictEqual(rows.length, TOTAL + 1);
        assert.deepStrictEqual(rows[TOTAL], [String(TOTAL - 1), `C${TOTAL - 1}`, `Name, "${TOTAL - 1}"`]);
        assert.deepStrictEqual(progress, [5000, 10000, TOTAL]);
      } finally { c.dispose(); }
    });

    it('a 403 on a later page names the cause and leaves no file', async () => {
      const c = client();
      forbidAtSkip = 5000;
      try {
        const target = path.join(dir, 'customers.csv');
        await assert.rejects(runExport({
          target, format: 'csv',
          pages: (onPage, signal) => fetchAll(c, '/customers', { onPage, signal, pageSize: 5000 }),
        }), (err: unknown) => {
          const f = describeFailure(err);
          assert.strictEqual(f.kind, 'forbidden');
          assert.match(f.message, /403.*forbidden for this account/);
          return true;
        });
        assert.deepStrictEqual(fs.readdirSync(dir), []);
      } finally { forbidAtSkip = -1; c.dispose(); }
    });

    it('a connection dropped mid-export leaves no file', async () => {
      const c = client();
      dropAtSkip = 10_000;
      try {
        const target = path.join(dir, 'customers.jsonl');
        await assert.rejects(runExport({
          target, format: 'jsonl',
          pages: (onPage, signal) => fetchAll(c, '/customers', { onPage, signal, pageSize: 5000 }),
        }));
        assert.deepStrictEqual(fs.readdirSync(dir), []);
      } finally { dropAtSkip = -1; c.dispose(); }
    });
  });
});
