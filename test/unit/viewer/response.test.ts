import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { HttpResponse } from '../../../src/core/http/types';
import { isWrite, lastPathSegment, recordArray, recordsOf, requestScope, resendableRequest, responseFileName } from '../../../src/core/viewer/response';
import { ExportError, ExportFileSystem, nodeFileSystem, writeCsvFile, writeFileAtomically } from '../../../src/core/export';

function response(body: string, over: Partial<HttpResponse> = {}): HttpResponse {
  const bytes = new TextEncoder().encode(body);
  return {
    status: 200,
    statusText: 'OK',
    headers: {},
    body: bytes,
    size: bytes.length,
    timing: { totalMs: 1 },
    request: { method: 'GET', url: 'https://h/uk/sage200/accounts/v1/customers?$top=2', headers: { 'X-Site': 's1', 'x-company': '7' } },
    attempts: 1,
    ...over,
  };
}

describe('viewer: facts about a response', () => {
  it('finds the records of an array body, parsed or not, behind a BOM and whitespace', () => {
    assert.deepStrictEqual(recordArray(response('\ufeff \n[{"id":1},{"id":2}]')), [{ id: 1 }, { id: 2 }]);
    assert.deepStrictEqual(recordArray(response('', { json: [{ id: 3 }] })), [{ id: 3 }]);
    assert.deepStrictEqual(recordsOf(response('[1,2,3]')), { records: 3 });
    for (const body of ['{"id":1}', '', '[1,', 'not json']) assert.strictEqual(recordArray(response(body)), undefined, body);
    assert.deepStrictEqual(recordsOf(response('{"items":[]}')), {});
  });

  it('names titles and files after the last path segment, safely', () => {
    assert.strictEqual(lastPathSegment('https://h/uk/sage200/accounts/v1/customers?$top=2'), 'customers');
    assert.strictEqual(lastPathSegment('/customers'), undefined);
    const day = new Date('2026-12-07T10:00:00Z');
    assert.strictEqual(responseFileName('https://h/v1/sop_orders?$top=1', 'csv', day), 'sop_orders-2026-12-07.csv');
    assert.strictEqual(responseFileName('https://h/v1/a%20b:c', 'json', day), 'a_20b_c-2026-12-07.json');
    assert.strictEqual(responseFileName('relative/path', 'txt', day), 'response-2026-12-07.txt');
  });

  it('knows writes from reads and reads the scope headers in any case', () => {
    assert.deepStrictEqual(['GET', 'head', 'OPTIONS', 'POST', 'put', 'DELETE', 'PATCH'].map(isWrite), [false, false, false, true, true, true, true]);
    assert.deepStrictEqual(requestScope({ 'x-site': 'a', 'X-COMPANY': '2' }), { site: 'a', company: '2' });
    assert.deepStrictEqual(requestScope({}), {});
  });

  it('re-sends a stored request only when masking changed nothing, without the client credentials', () => {
    const stored = response('[]', {
      request: { method: 'POST', url: 'https://h/v1/customers', headers: { Authorization: 'Bearer ***', 'X-Site': 's1' }, body: '{"name":"A"}' },
    });
    assert.deepStrictEqual(resendableRequest(stored), { method: 'POST', url: 'https://h/v1/customers', headers: { 'X-Site': 's1' }, body: '{"name":"A"}' });
    assert.strictEqual(resendableRequest(stored, true), undefined, 'history says masking changed it');
    const masked = response('[]', { request: { method: 'GET', url: 'https://h/v1/customers?key=***', headers: {} } });
    assert.strictEqual(resendableRequest(masked), undefined);
  });
});

describe('export: a file written whole or not at all', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-viewer-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes the viewer's CSV in the visible columns, dotted paths included, with the BOM", async () => {
    const target = path.join(dir, 'customers.csv');
    const bytes = await writeCsvFile(target, [{ id: 1, name: '=SUM(A1)', address: { city: 'Leeds, West' } }, { id: 2 }], ['id', 'name', 'address.city']);
    const text = fs.readFileSync(target, 'utf8');
    assert.strictEqual(text, "\ufeffid,name,address.city\r\n1,'=SUM(A1),\"Leeds, West\"\r\n2,,\r\n");
    assert.strictEqual(bytes, Buffer.byteLength(text));
    assert.deepStrictEqual(fs.readdirSync(dir), ['customers.csv']);
  });

  it('writes bytes as they are, and leaves the earlier file and no temporary file when a write fails', async () => {
    const target = path.join(dir, 'body.json');
    await writeFileAtomically(target, [new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x5d])]);
    assert.deepStrictEqual([...fs.readFileSync(target)], [0xef, 0xbb, 0xbf, 0x5b, 0x5d]);
    let writes = 0;
    const fullDisk: ExportFileSystem = {
      ...nodeFileSystem,
      async create(file) {
        const h = await nodeFileSystem.create(file);
        return {
          async write(data) {
            if (++writes > 1) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            await h.write(data);
          },
          close: () => h.close(),
        };
      },
    };
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: i, note: 'x'.repeat(40) }));
    await assert.rejects(writeCsvFile(target, rows, ['id', 'note'], fullDisk), (err: unknown) => {
      assert.ok(err instanceof ExportError);
      assert.match(err.message, /Could not write ".*body\.json": the disk is full \(ENOSPC\)\./);
      return true;
    });
    assert.ok(writes > 1, 'the rows went out in more than one write');
    assert.deepStrictEqual(fs.readdirSync(dir), ['body.json']);
    assert.deepStrictEqual([...fs.readFileSync(target)], [0xef, 0xbb, 0xbf, 0x5b, 0x5d], 'the earlier file is untouched');
  });
});
