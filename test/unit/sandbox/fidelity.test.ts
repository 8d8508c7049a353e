import * as assert from 'assert';
import { open, Ctx, enc } from './helpers';
import { loadCatalog } from '../../../src/core/catalog';

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
  });

  it("answers 400 for an enum name that Sage's list lacks, naming the near one", async () => {
    const r = await c.get(`/sop_orders?$filter=${enc("document_status eq 'EnumDocumentStatusDisputed'")}`);
    assert.strictEqual(r.status, 400);
    assert.match(r.text, /EnumDocumentStatusDispute'/);
  });
});
