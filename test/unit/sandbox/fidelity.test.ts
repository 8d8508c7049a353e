import * as assert from 'assert';
import * as http from 'http';
import { open, Ctx, enc, msg } from './helpers';
import { loadCatalog } from '../../../src/core/catalog';
import { parseArgs, UsageError } from '../../../src/core/sandbox/cli';

/** The sandbox answers with the shapes public sources show for Sage 200 (docs/sage200-fidelity.md). */
describe('sandbox fidelity (HTTP)', () => {
  let c: Ctx;
  const catalog = loadCatalog();
  before(async () => { c = await open(); });
  after(async () => { await c.sb.close(); });

  it('writes only enum values that a public source shows, or the default where none does', async () => {
    for (const [path, schema] of [['/customers', 'customer'], ['/sop_orders', 'sop_order'], ['/sop_orders/1001/sop_order_lines', 'sop_order_line'], ['/currencies', 'currency'], ['/bank_views', 'bank_view']] as const) {
      const rows = (await c.get(`${path}?$top=5000`)).body as Record<string, unknown>[];
      assert.ok(rows.length > 0, path);
      for (const f of catalog.fields(schema)) {
        if (f.type !== 'string' || !/_(type|status)$/.test(f.name)) continue;
        const set = catalog.enumValues(schema, f.name);
        for (const r of rows) {
          const v = r[f.name] as string;
          if (set) assert.ok(v === '' || set.values.includes(v), `${schema}.${f.name} = ${v}`);
          else assert.ok(!/^Enum/.test(v), `${schema}.${f.name} holds an invented value ${v}`);
        }
      }
    }
    const customers = (await c.get('/customers?$top=5000')).body as Record<string, unknown>[];
    assert.ok(customers.some((x) => x.account_status_type === 'AccountStatusHidden'));
    assert.ok(customers.some((x) => x.on_hold === true && x.account_status_type === 'AccountStatusActive'), 'on hold is its own flag');
  });

  it('writes date-only fields without a zone, and timestamps as Json.NET does', async () => {
    const rows = (await c.get('/customers?$top=200')).body as Record<string, string>[];
    for (const r of rows) {
      assert.match(r.account_opened, /^\d{4}-\d\d-\d\dT00:00:00$/);
      assert.match(r.date_time_updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/);
    }
    assert.ok(rows.some((r) => /\.\d{1,2}Z$/.test(r.date_time_updated)), 'some fractions lose their trailing zeros');
    const orders = (await c.get(`/sop_orders?$top=5&$filter=${enc('document_date ge 2015-01-01')}`)).body as Record<string, string>[];
    assert.ok(orders.length > 0);
    for (const o of orders) assert.match(o.document_date, /T00:00:00$/);
    // Written dates come back in the same shapes, whatever form they were sent in.
    const created = await c.send('POST', '/customers', { reference: 'DATE01', name: 'Dates', account_opened: '2024-03-31T10:15:00Z' });
    assert.strictEqual(created.status, 200, created.text);
    assert.strictEqual((created.body as Record<string, string>).account_opened, '2024-03-31T00:00:00');
  });

  it("answers 400 for an enum name that Sage's list lacks, naming the near one", async () => {
    const r = await c.get(`/sop_orders?$filter=${enc("document_status eq 'EnumDocumentStatusDisputed'")}`);
    assert.strictEqual(r.status, 400);
    assert.match(r.text, /EnumDocumentStatusDispute'/);
  });

  /** Raw headers, as the wire carries them (fetch hides Transfer-Encoding). */
  function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      http.get(`${c.sb.standardBaseUrl}${path}`, { headers: { Authorization: `Bearer ${c.token}`, 'X-Site': c.site, 'X-Company': String(c.company), ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      }).on('error', reject);
    });
  }

  it("sends Sage's caching headers, and large answers chunked", async () => {
    const big = await rawGet('/customers?$top=500');
    assert.strictEqual(big.headers['cache-control'], 'no-cache,no-store');
    assert.strictEqual(big.headers.pragma, 'no-cache');
    assert.strictEqual(big.headers['transfer-encoding'], 'chunked');
    assert.strictEqual(big.headers['content-length'], undefined);
    assert.strictEqual((JSON.parse(big.body) as unknown[]).length, (await c.get('/customers?$count=true')).body);
    const small = await rawGet('/customers/1001?$select=id');
    assert.strictEqual(small.headers['content-length'], String(Buffer.byteLength(small.body)));
    assert.strictEqual(small.headers['cache-control'], 'no-cache,no-store');
    const error = await rawGet('/customers/9');
    assert.strictEqual(error.status, 404);
    assert.strictEqual(error.headers.pragma, 'no-cache');
  });

  it('accepts $metadata on a single record', async () => {
    for (const v of ['true', 'false']) {
      const r = await c.get(`/customers/1001?$metadata=${v}`);
      assert.strictEqual(r.status, 200, r.text);
      const names = (r.body as { name: string }[]).map((f) => f.name);
      assert.ok(names.includes('reference'));
      assert.strictEqual(names.includes('contacts'), v === 'true');
    }
  });

  it('answers bad tokens in the gateway shape and validation failures with ModelState', async () => {
    const r = await c.get('/customers?$top=1', { headers: { Authorization: 'Bearer nope' } });
    assert.strictEqual(r.status, 401);
    assert.strictEqual((r.body as { statusCode: number }).statusCode, 401);
    assert.match((r.body as { message: string }).message, /access token/i);
    const bad = await c.send('POST', '/customers', { reference: 'MS001', name: 'x', credit_limit: 'lots' });
    assert.strictEqual(bad.status, 400);
    const body = bad.body as { Message: string; ModelState: Record<string, string[]> };
    assert.strictEqual(body.Message, 'The request is invalid.');
    assert.match(body.ModelState.credit_limit[0], /must be a number/);
    assert.match(msg(bad.body), /credit_limit: The field 'credit_limit' must be a number/);
    // Business rules keep the plain application shape.
    const first = (c.get('/customers?$top=1'));
    const ref = ((await first).body as { reference: string }[])[0].reference;
    const dup = await c.send('POST', '/customers', { reference: ref, name: 'x' });
    assert.deepStrictEqual(Object.keys(dup.body as object), ['Message']);
  });
});

describe('sandbox compatibility profiles (HTTP)', () => {
  it('defaults: $top above 5000 and a missing X-Site are 400', async () => {
    const c = await open({ scale: 0.01 });
    try {
      assert.strictEqual((await c.get('/customers?$top=5001')).status, 400);
      const r = await c.get('/customers', { noCompany: true });
      assert.strictEqual(r.status, 400);
      assert.match(msg(r.body), /X-Site/);
    } finally {
      await c.sb.close();
    }
  });

  it('the alternatives: clamp $top, empty or 403 without X-Site, application-shaped gateway errors, plain validation messages', async () => {
    const c = await open({ scale: 6, compatibility: { topOverMax: 'clamp', missingSite: 'empty', gatewayErrors: 'application', validationErrors: 'message' } });
    const d = await open({ scale: 0.01, compatibility: { missingSite: 'forbidden' } });
    try {
      const r = await c.get('/customers?$top=6000');
      assert.strictEqual(r.status, 200);
      assert.strictEqual((r.body as unknown[]).length, 5000);
      const empty = await c.get('/customers', { noCompany: true });
      assert.strictEqual(empty.status, 200);
      assert.deepStrictEqual(empty.body, []);
      assert.strictEqual((await d.get('/customers', { noCompany: true })).status, 403);
      const unauth = await c.get('/customers?$top=1', { headers: { Authorization: 'Bearer nope' } });
      assert.deepStrictEqual(Object.keys(unauth.body as object), ['Message']);
      const bad = await c.send('POST', '/customers', { reference: 'MS001', name: 'x', credit_limit: 'lots' });
      assert.deepStrictEqual(bad.body, { Message: "The field 'credit_limit' must be a number." });
    } finally {
      await c.sb.close();
      await d.sb.close();
    }
  });
});

describe('sandbox --compat', () => {
  it('reads a profile and explains a bad one', () => {
    assert.deepStrictEqual(parseArgs(['--compat', 'topOverMax=clamp,missingSite=empty']).compatibility, { topOverMax: 'clamp', missingSite: 'empty' });
    assert.throws(() => parseArgs(['--compat=topOverMax=maybe']), (e: Error) => e instanceof UsageError && /topOverMax takes error or clamp/.test(e.message));
    assert.throws(() => parseArgs(['--compat', 'colour=red']), /unknown key 'colour'/);
  });
});

describe('sandbox enum lists (HTTP)', () => {
  it('answer the names that the records use, numbered as the filters number them', async () => {
    const c = await open({ scale: 0.05 });
    try {
      const list = (await c.get('/sop_document_status_types')).body as { id: number; description: string; value: string }[];
      assert.deepStrictEqual(list.map((x) => x.value), catalogValues('sop_order', 'document_status'));
      assert.deepStrictEqual(list.find((x) => x.value === 'EnumDocumentStatusOnHold'), { id: 1, description: 'On Hold', value: 'EnumDocumentStatusOnHold' });
      const statuses = (await c.get('/account_status_types')).body as { id: number; description: string; value: string }[];
      assert.deepStrictEqual(statuses.map((x) => x.description), ['Active', 'Hidden']);
      // The number of a name in the list is the number a filter takes for it.
      for (const s of list) {
        const byNumber = (await c.get(`/sop_orders?$count=true&$filter=${enc(`document_status eq '${s.id}'`)}`)).body;
        const byName = (await c.get(`/sop_orders?$count=true&$filter=${enc(`document_status eq '${s.value}'`)}`)).body;
        assert.strictEqual(byNumber, byName, s.value);
      }
    } finally {
      await c.sb.close();
    }
  });
});

function catalogValues(schema: string, field: string): readonly string[] {
  return loadCatalog().enumValues(schema, field)?.values ?? [];
}
