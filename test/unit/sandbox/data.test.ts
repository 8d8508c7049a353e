import * as assert from 'assert';
import { open, Ctx, Customer } from './helpers';
import { HOSTILE_STRINGS } from '../../../src/core/sandbox';

describe('sandbox demo data', function () {
  this.timeout(60000);

  it('is deterministic for a seed and differs between seeds', async () => {
    const runs: Ctx[] = [];
    try {
      for (const seed of [7, 7, 8]) runs.push(await open({ seed, scale: 0.1 }));
      const bodies = await Promise.all(runs.map(async (c) => (await c.get('/sop_orders?$top=50&$expand=lines')).text));
      const customers = await Promise.all(runs.map(async (c) => (await c.get('/customers?$top=100')).text));
      assert.strictEqual(bodies[0], bodies[1]);
      assert.strictEqual(customers[0], customers[1]);
      assert.notStrictEqual(customers[0], customers[2]);
      assert.strictEqual(runs[0].site, runs[1].site, 'site ids follow the seed');
      assert.notStrictEqual(runs[0].site, runs[2].site);
    } finally {
      await Promise.all(runs.map((c) => c.sb.close()));
    }
  });

  it('has realistic, related records with unique UK-style references', async () => {
    const c = await open({ scale: 1 });
    try {
      const all = (await c.get('/customers?$top=5000&$expand=main_address')).body as (Customer & { main_address: { postcode: string; city: string } })[];
      assert.strictEqual(all.length, 1000);
      const refs = new Set(all.map((x) => x.reference));
      assert.strictEqual(refs.size, all.length, 'references are unique');
      for (const x of all) {
        assert.match(x.reference, /^[A-Z0-9]{3}\d{3}$/);
        assert.ok(x.name.length > 3 && x.name.length <= 60);
        assert.match(x.main_address.postcode, /^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/);
      }
      assert.ok(all.some((x) => x.on_hold) && all.some((x) => !x.on_hold));
      assert.ok(new Set(all.map((x) => x.balance)).size > 500, 'balances vary');
      // Orders point at real customers and products, and their lines at their order.
      const orders = (await c.get('/sop_orders?$top=20&$expand=customer,lines')).body as { customer_id: number; customer: { id: number } | null; lines: { sop_order_id: number; product_id: number }[]; id: number }[];
      for (const o of orders) {
        assert.strictEqual(o.customer?.id, o.customer_id);
        assert.ok(o.lines.length > 0 && o.lines.every((l) => l.sop_order_id === o.id));
        assert.strictEqual((await c.get(`/products/${o.lines[0].product_id}`)).status, 200);
      }
      for (const path of ['/suppliers', '/products', '/warehouses', '/warehouse_holdings', '/nominal_codes', '/tax_codes', '/currencies', '/country_codes', '/pop_orders', '/customer_contacts']) {
        const r = await c.get(`${path}?$top=3`);
        assert.strictEqual(r.status, 200, path);
        assert.ok((r.body as unknown[]).length > 0, path);
      }
      const scaled = await open({ scale: 2 });
      try {
        assert.strictEqual((await scaled.get('/customers?$count=true')).body, 2000);
      } finally {
        await scaled.sb.close();
      }
    } finally {
      await c.sb.close();
    }
  });

  it('seeds hostile strings, serialized as valid JSON with lone surrogates escaped', async () => {
    const c = await open({ scale: 0.05, hostileData: true });
    try {
      const r = await c.get('/customers?$top=20&$expand=main_address');
      assert.strictEqual(r.status, 200);
      const names = (r.body as Customer[]).map((x) => x.name);
      for (const s of HOSTILE_STRINGS) {
        if (/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) continue; // checked below
        assert.ok(names.includes(s), `missing ${JSON.stringify(s)}`);
      }
      assert.ok(r.text.includes('\\ud800'), 'a lone surrogate travels as a JSON escape');
      assert.ok(r.text.includes('<img src=x onerror=alert(1)>'));
      assert.ok(names.some((n) => n.length >= 1048576), 'a 1 MB string');
      assert.ok((r.body as { website: string }[]).some((x) => x.website.startsWith('javascript:')));
      assert.ok(r.text.includes('\u202E'), 'RTL override');
      const contacts = (await c.get('/customer_contacts?$top=20')).body as { first_name: string }[];
      assert.ok(contacts.some((x) => x.first_name === HOSTILE_STRINGS[0]));
      const plain = await open({ scale: 0.05 });
      try {
        assert.ok(!(await plain.get('/customers?$top=20')).text.includes('onerror'), 'off by default');
      } finally {
        await plain.sb.close();
      }
    } finally {
      await c.sb.close();
    }
  });
});
