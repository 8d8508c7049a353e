import * as assert from 'assert';
import * as net from 'net';
import { open, Ctx, msg, Customer, enc } from './helpers';
import { DUPLICATE_REFERENCE } from '../../../src/core/sandbox';
import { loadCatalog } from '../../../src/core/catalog';
import { isoToMs } from '../../../src/core/odata';

describe('sandbox API (HTTP)', function () {
  this.timeout(60000);
  let c: Ctx;
  let all: Customer[];
  before(async () => {
    c = await open({ scale: 1 });
    const r = await c.get('/customers?$top=5000');
    all = r.body as Customer[];
  });
  after(async () => { await c.sb.close(); });

  describe('authorization and headers', () => {
    it('answers 401 without a bearer token, and with a token it did not issue', async () => {
      const none = await fetch(`${c.sb.standardBaseUrl}/sites`);
      assert.strictEqual(none.status, 401);
      assert.match(String(none.headers.get('www-authenticate')), /^Bearer/);
      const bogus = await fetch(`${c.sb.standardBaseUrl}/customers`, { headers: { Authorization: 'Bearer nope', 'X-Site': c.site, 'X-Company': '1' } });
      assert.strictEqual(bogus.status, 401);
      assert.match(String(bogus.headers.get('www-authenticate')), /invalid_token/);
    });

    it('lists two sites, the first with two companies', async () => {
      const r = await c.get('/sites', { noCompany: true });
      assert.strictEqual(r.status, 200);
      const sites = r.body as { site_id: string; company_id: number; company_name: string; site_name: string }[];
      assert.strictEqual(sites.length, 3);
      assert.strictEqual(new Set(sites.map((s) => s.site_id)).size, 2);
      assert.strictEqual(sites.filter((s) => s.site_id === sites[0].site_id).length, 2);
      for (const s of sites) assert.match(s.site_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    it('names the missing or unknown header', async () => {
      let r = await c.get('/customers', { noCompany: true });
      assert.strictEqual(r.status, 400);
      assert.match(msg(r.body), /X-Site/);
      r = await c.get('/customers', { noCompany: true, headers: { 'X-Site': c.site } });
      assert.strictEqual(r.status, 400);
      assert.match(msg(r.body), /X-Company/);
      r = await c.get('/customers', { headers: { 'X-Site': '00000000-0000-0000-0000-000000000000' } });
      assert.strictEqual(r.status, 404);
      assert.match(msg(r.body), /X-Site/);
      r = await c.get('/customers', { headers: { 'X-Company': '99' } });
      assert.strictEqual(r.status, 404);
      assert.match(msg(r.body), /X-Company/);
      r = await c.get('/customers', { headers: { 'X-Company': 'abc' } });
      assert.strictEqual(r.status, 400);
      assert.match(msg(r.body), /X-Company/);
    });

    it('keeps each company\'s data apart', async () => {
      const r = await c.get('/customers?$top=3', { headers: { 'X-Site': c.site, 'X-Company': '2' } });
      assert.strictEqual(r.status, 200);
      assert.notDeepStrictEqual((r.body as Customer[]).map((x) => x.name), all.slice(0, 3).map((x) => x.name));
    });
  });

  describe('paths and verbs', () => {
    it('404s a Professional-only path on the Standard prefix and serves it on the Professional one', async () => {
      const catalog = loadCatalog();
      const pro = catalog.entities({ edition: 'professional' }).find((op) => op.professionalOnly);
      assert.ok(pro, 'the catalog has a Professional-only collection');
      const std = await c.get(pro.path);
      assert.strictEqual(std.status, 404);
      assert.match(msg(std.body), /Professional/);
      const ok = await c.get(pro.path, { pro: true });
      assert.strictEqual(ok.status, 200);
    });

    it('hides Professional-only fields on the Standard prefix', async () => {
      const std = (await c.get('/customers/1001')).body as Record<string, unknown>;
      const pro = (await c.get('/customers/1001', { pro: true })).body as Record<string, unknown>;
      assert.ok('finance_charge_id' in pro);
      assert.ok(!('finance_charge_id' in std));
      const sel = await c.get('/customers?$select=finance_charge_id');
      assert.strictEqual(sel.status, 400);
      assert.match(msg(sel.body), /finance_charge_id/);
    });

    it('answers 405 with Allow for a verb the catalog does not list, and 404 for unknown paths', async () => {
      let r = await c.send('DELETE', '/customers', undefined);
      assert.strictEqual(r.status, 405);
      assert.match(String(r.headers.get('allow')), /GET/);
      r = await c.send('PATCH', '/customers/1001', { name: 'x' });
      assert.strictEqual(r.status, 405);
      r = await c.send('POST', '/tax_codes', { code: 3, name: 'x' });
      assert.strictEqual(r.status, 405);
      r = await c.get('/no_such_things');
      assert.strictEqual(r.status, 404);
      r = await c.get('/customers/99999999');
      assert.strictEqual(r.status, 404);
      r = await c.get('/customers/abc');
      assert.strictEqual(r.status, 400);
    });

    it('answers every GET collection path of the catalog, and an item of each', async () => {
      const catalog = loadCatalog();
      const failures: string[] = [];
      for (const op of catalog.entities({ edition: 'professional' })) {
        const r = await c.get(op.path, { pro: true });
        if (r.status !== 200 || !Array.isArray(r.body)) {
          failures.push(`${op.path}: ${r.status} ${r.text.slice(0, 100)}`);
          continue;
        }
        const item = catalog.operations.find((o) => o.path === `${op.path}/{Id}` && o.verbs.includes('GET'));
        const first = (r.body as { id?: number }[])[0];
        if (item && first?.id !== undefined) {
          const one = await c.get(`${op.path}/${first.id}`, { pro: true });
          if (one.status !== 200 || (one.body as { id: number }).id !== first.id) failures.push(`${item.path}: ${one.status}`);
        }
      }
      assert.deepStrictEqual(failures, []);
    });

    it('answers every GET path with parameters (nested collections and items)', async () => {
      const catalog = loadCatalog();
      const failures: string[] = [];
      let items200 = 0;
      for (const op of catalog.operations.filter((o) => o.verbs.includes('GET') && o.params.length > 0)) {
        const path = op.path.replace(/\{[^}]+\}/g, '1001');
        const r = await c.get(path, { pro: true });
        if (!op.isItem) {
          if (r.status !== 200 || !Array.isArray(r.body)) failures.push(`${op.path}: ${r.status} ${r.text.slice(0, 120)}`);
        } else if (r.status === 200) {
          items200++;
        } else if (r.status !== 404 || !msg(r.body)) {
          failures.push(`${op.path}: ${r.status} ${r.text.slice(0, 120)}`);
        }
      }
      assert.deepStrictEqual(failures, []);
      assert.ok(items200 > 50, `${items200} item paths found record 1001`);
    });

    it('filters nested routes by their parent', async () => {
      const r = await c.get('/customers/1004/customer_contacts');
      assert.strictEqual(r.status, 200);
      const contacts = r.body as { customer_id: number }[];
      assert.ok(contacts.length >= 1);
      assert.ok(contacts.every((x) => x.customer_id === 1004));
      const missing = await c.get('/customers/99999999/customer_contacts');
      assert.strictEqual(missing.status, 404);
    });
  });

  describe('OData', () => {
    it('returns 500 records by default, as a bare array in id order', async () => {
      const r = await c.get('/customers');
      const rows = r.body as Customer[];
      assert.strictEqual(rows.length, 500);
      assert.deepStrictEqual(rows.map((x) => x.id), all.slice(0, 500).map((x) => x.id));
      assert.strictEqual(all.length, 1000);
    });

    for (const bad of ['0', '-1', '5001', 'abc', '']) {
      it(`rejects $top=${bad} with 400`, async () => {
        const r = await c.get(`/customers?$top=${bad}`);
        assert.strictEqual(r.status, 400, r.text);
        assert.match(msg(r.body), /\$top/);
      });
    }

    it('accepts $top=5000 and rejects $skip without $orderby', async () => {
      assert.strictEqual((await c.get('/customers?$top=5000')).status, 200);
      const r = await c.get('/customers?$skip=10');
      assert.strictEqual(r.status, 400);
      assert.match(msg(r.body), /\$orderby/);
      assert.strictEqual((await c.get('/customers?$skip=-1&$orderby=id')).status, 400);
    });

    it('pages with $orderby, $top and $skip', async () => {
      // Text sorts case-insensitively (SQL Server's collation); ties keep id order.
      const byLower = [...all].sort((a, b) => {
        const x = a.name.toLowerCase();
        const y = b.name.toLowerCase();
        return x < y ? -1 : x > y ? 1 : a.id - b.id;
      });
      const page = (await c.get(`/customers?$orderby=name&$top=7&$skip=100`)).body as Customer[];
      assert.deepStrictEqual(page.map((x) => x.id), byLower.slice(100, 107).map((x) => x.id));
    });

    it('pages by id in both directions, including records created later', async () => {
      const created = await c.send('POST', '/customers', { reference: 'IDO001', name: 'Id Order Ltd' });
      const newId = (created.body as Customer).id;
      const asc = (await c.get('/customers?$orderby=id&$top=5000&$select=id')).body as Customer[];
      const desc = (await c.get('/customers?$orderby=id%20desc&$top=3&$skip=0&$select=id')).body as Customer[];
      const ids = asc.map((x) => x.id);
      assert.deepStrictEqual(ids, [...ids].sort((a, b) => a - b));
      assert.strictEqual(ids[ids.length - 1], newId);
      assert.strictEqual(desc[0].id, newId);
      assert.ok(desc[0].id > desc[1].id && desc[1].id > desc[2].id);
      assert.strictEqual((await c.send('DELETE', `/customers/${newId}`, undefined)).status, 200, 'leave the data as the other tests expect it');
    });

    it('orders by several fields, each with its direction', async () => {
      const rows = (await c.get(`/customers?$orderby=${enc('on_hold desc, balance asc')}&$top=5000&$select=id,on_hold,balance`)).body as Customer[];
      assert.strictEqual(rows.length, all.length);
      for (let i = 1; i < rows.length; i++) {
        const a = rows[i - 1];
        const b = rows[i];
        const ok = (a.on_hold && !b.on_hold) || (a.on_hold === b.on_hold && a.balance <= b.balance);
        assert.ok(ok, `rows ${i - 1} and ${i} out of order`);
      }
      assert.ok(rows[0].on_hold, 'some customers are on hold');
    });

    const filterCases: [string, (x: Customer) => boolean][] = [
      ['balance gt 1000 and on_hold eq false', (x) => x.balance > 1000 && !x.on_hold],
      ['balance ge 1000 or credit_limit eq 50000', (x) => x.balance >= 1000 || x.credit_limit === 50000],
      ['not (balance lt 0) and (on_hold eq true or payment_terms_days ne 30)', (x) => !(x.balance < 0) && (x.on_hold || x.payment_terms_days !== 30)],
      ["contains(name,'plumbing')", (x) => x.name.toLowerCase().includes('plumbing')],
      ["startswith(reference,'A') and endswith(name,'Ltd')", (x) => x.reference.startsWith('A') && x.name.toLowerCase().endsWith('ltd')],
      ['account_opened gt 2020-06-01', (x) => isoToMs(String(x.account_opened)) > Date.parse('2020-06-01T00:00:00Z')],
      ['date_time_created le 2019-03-01T09:00:00.000Z', (x) => Date.parse(String(x.date_time_created)) <= Date.parse('2019-03-01T09:00:00Z')],
      ["account_status_type eq 'AccountStatusHidden'", (x) => x.account_status_type === 'AccountStatusHidden'],
      ["account_status_type eq '1'", (x) => x.account_status_type === 'AccountStatusHidden'],
      ['on_hold', (x) => x.on_hold],
      ["name eq 'no such name'", () => false],
      ['vat_number eq null', () => false],
    ];
    for (const [filter, predicate] of filterCases) {
      it(`$filter=${filter}`, async () => {
        const r = await c.get(`/customers?$top=5000&$filter=${enc(filter)}`);
        assert.strictEqual(r.status, 200, r.text);
        const got = (r.body as Customer[]).map((x) => x.id);
        const want = all.filter(predicate).map((x) => x.id);
        assert.deepStrictEqual(got, want);
        const count = await c.get(`/customers?$count=true&$filter=${enc(filter)}`);
        assert.strictEqual(count.body, want.length);
      });
    }

    it('filters enums by name or number on sales orders, and through an expanded link', async () => {
      const byName = (await c.get(`/sop_orders?$top=5000&$filter=${enc("document_status eq 'EnumDocumentStatusComplete'")}`)).body as { id: number; document_status: string }[];
      const byNumber = (await c.get(`/sop_orders?$top=5000&$filter=${enc("document_status eq '2'")}`)).body as { id: number }[];
      assert.ok(byName.length > 0);
      assert.deepStrictEqual(byNumber.map((x) => x.id), byName.map((x) => x.id));
      assert.ok(byName.every((x) => x.document_status === 'EnumDocumentStatusComplete'));
      const linked = (await c.get(`/sop_orders?$top=5000&$expand=customer&$select=id,customer.name&$filter=${enc("startswith(customer.name,'Apex')")}`)).body as { customer: { name: string } }[];
      assert.ok(linked.length > 0);
      assert.ok(linked.every((x) => x.customer.name.startsWith('Apex')));
    });

    it('answers a malformed $filter with 400 and the column', async () => {
      const r = await c.get(`/customers?$filter=${enc("name eq 'x' and (balance gt")}`);
      assert.strictEqual(r.status, 400);
      assert.match(msg(r.body), /\$filter/);
      assert.match(msg(r.body), /column \d+/);
      const col = Number(/column (\d+)/.exec(msg(r.body))?.[1]);
      assert.ok(col >= 17 && col <= 29, `column ${col} points into the broken part`);
      const r2 = await c.get(`/customers?$filter=${enc("name eq 'unterminated")}`);
      assert.strictEqual(r2.status, 400);
    });

    it('names unknown fields in $filter, $select, $orderby and $expand', async () => {
      for (const q of ['$filter=nmae eq 1', '$select=id,nmae', '$orderby=nmae', '$expand=nmae']) {
        const r = await c.get(`/customers?${q.replace(/ /g, '%20')}`);
        assert.strictEqual(r.status, 400, q);
        assert.match(msg(r.body), /'nmae'/, q);
      }
    });

    it('rejects comparisons of the wrong type', async () => {
      for (const f of ["balance gt 'abc'", 'on_hold eq 1', 'name eq 3', "account_opened gt 'soon'"]) {
        const r = await c.get(`/customers?$filter=${enc(f)}`);
        assert.strictEqual(r.status, 400, f);
      }
    });

    it('selects fields, including dotted paths into expanded children', async () => {
      const r = await c.get(`/customers?$top=2&$select=id,name`);
      assert.deepStrictEqual(Object.keys((r.body as object[])[0]), ['id', 'name']);
      const e = await c.get(`/customers/1001?$expand=contacts,main_address&$select=id,contacts.first_name,main_address.postcode`);
      const one = e.body as { id: number; contacts: { first_name: string }[]; main_address: { postcode: string } };
      assert.strictEqual(one.id, 1001);
      assert.ok(one.contacts.length >= 1);
      assert.deepStrictEqual(Object.keys(one.contacts[0]), ['first_name']);
      assert.match(one.main_address.postcode, /^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/);
    });

    it('expands nested links (lines.product) and selects inside them', async () => {
      const r = await c.get(`/sop_orders/1001?$expand=lines,lines.product&$select=document_no,lines.code,lines.product.name`);
      assert.strictEqual(r.status, 200, r.text);
      const o = r.body as { document_no: string; lines: { code: string; product: { name: string } }[] };
      assert.ok(o.lines.length > 0);
      for (const line of o.lines) {
        assert.deepStrictEqual(Object.keys(line).sort(), ['code', 'product']);
        assert.ok(line.product.name.length > 0);
      }
    });

    it('expands linked objects and arrays', async () => {
      const r = await c.get('/customers/1001?$expand=currency,default_tax_code,contacts');
      const one = r.body as { currency: { symbol: string }; default_tax_code: { tax_rate: number }; contacts: { customer_id: number }[]; currency_id: number };
      assert.ok(one.currency && typeof one.currency.symbol === 'string');
      assert.strictEqual(one.default_tax_code.tax_rate, 20);
      assert.ok(one.contacts.every((x) => x.customer_id === 1001));
      const bad = await c.get('/customers?$expand=name');
      assert.strictEqual(bad.status, 400);
    });

    it('answers $metadata=true with every field and $metadata=false without links', async () => {
      const t = (await c.get('/customers?$metadata=true&$orderby=name desc')).body as { name: string; type: string; sort_order: number | null; sort_direction: string | null }[];
      const f = (await c.get('/customers?$metadata=false')).body as { name: string; type: string }[];
      assert.ok(t.some((x) => x.name === 'contacts' && x.type === 'Array'));
      assert.ok(!f.some((x) => x.name === 'contacts'));
      assert.ok(f.some((x) => x.name === 'reference' && x.type === 'String'));
      const name = t.find((x) => x.name === 'name');
      assert.strictEqual(name?.sort_order, 1);
      assert.strictEqual(name?.sort_direction, 'Descending');
      assert.strictEqual((await c.get('/customers?$metadata=maybe')).status, 400);
    });
  });

  describe('writes', () => {
    it('creates a customer, ignoring read-only fields, and returns it with a new id', async () => {
      const r = await c.send('POST', '/customers', { reference: 'QQX001', name: 'New Customer Ltd', balance: 999, credit_limit: 1500, main_address: { city: 'Leeds' } });
      assert.strictEqual(r.status, 200, r.text);
      const created = r.body as Customer;
      assert.ok(created.id > 1000 + all.length);
      assert.strictEqual(created.balance, 0, 'balance is read-only');
      assert.strictEqual(created.credit_limit, 1500);
      const back = await c.get(`/customers/${created.id}?$expand=main_address`);
      assert.strictEqual((back.body as Customer).name, 'New Customer Ltd');
      assert.strictEqual(((back.body as Customer).main_address as { city: string }).city, 'Leeds');
      const found = await c.get(`/customers?$filter=${enc("reference eq 'QQX001'")}`);
      assert.strictEqual((found.body as Customer[]).length, 1);
    });

    it('refuses a duplicate account reference with Sage\'s message', async () => {
      const first = await c.send('POST', '/customers', { reference: 'DUP001', name: 'First' });
      assert.strictEqual(first.status, 200);
      for (const ref of ['DUP001', 'dup001', all[0].reference]) {
        const r = await c.send('POST', '/customers', { reference: ref, name: 'Second' });
        assert.strictEqual(r.status, 400);
        assert.strictEqual(msg(r.body), DUPLICATE_REFERENCE);
      }
      const put = await c.send('PUT', `/customers/${(first.body as Customer).id}`, { reference: all[1].reference });
      assert.strictEqual(put.status, 400);
      assert.strictEqual(msg(put.body), DUPLICATE_REFERENCE);
    });

    it('checks required fields, lengths, types and unknown fields', async () => {
      const cases: [unknown, RegExp][] = [
        [{ name: 'No reference' }, /'reference' is required/],
        [{ reference: 'LONGREF001', name: 'x' }, /'reference'.*at most 8/],
        [{ reference: 'TYP001', name: 'x', credit_limit: 'lots' }, /'credit_limit' must be a number/],
        [{ reference: 'TYP002', name: 'x', on_hold: 'yes' }, /'on_hold' must be true or false/],
        [{ reference: 'TYP003', name: 'x', payment_terms_days: 1.5 }, /'payment_terms_days' must be a whole number/],
        [{ reference: 'TYP004', name: 'x', account_opened: 'yesterday' }, /'account_opened' must be a date/],
        [{ reference: 'TYP005', name: 'x', colour: 'red' }, /'colour'/],
        [{ reference: 'TYP006', name: null }, /'name' is required/],
        [[{ reference: 'ARR001', name: 'x' }], /JSON object/],
      ];
      for (const [body, re] of cases) {
        const r = await c.send('POST', '/customers', body);
        assert.strictEqual(r.status, 400, JSON.stringify(body));
        assert.match(msg(r.body), re, JSON.stringify(body));
      }
    });

    it('updates partially with PUT and deletes with DELETE', async () => {
      const before = (await c.get('/customers/1010')).body as Customer;
      const r = await c.send('PUT', '/customers/1010', { name: 'Renamed Ltd' });
      assert.strictEqual(r.status, 200);
      const after = r.body as Customer;
      assert.strictEqual(after.name, 'Renamed Ltd');
      assert.strictEqual(after.reference, before.reference);
      assert.strictEqual(after.balance, before.balance);
      assert.strictEqual(((await c.get('/customers/1010')).body as Customer).name, 'Renamed Ltd');
      const d = await c.send('DELETE', '/customers/1011', undefined);
      assert.strictEqual(d.status, 200);
      assert.strictEqual(d.text, '');
      assert.strictEqual((await c.get('/customers/1011')).status, 404);
      assert.strictEqual((await c.send('DELETE', '/customers/1011', undefined)).status, 404);
      assert.strictEqual((await c.send('PUT', '/customers/1011', { name: 'x' })).status, 404);
    });

    it('creates an order\'s lines as rows of their own table', async () => {
      const r = await c.send('POST', '/sop_orders', { customer_id: 1001, document_no: 'SO-TEST-1', lines: [{ code: 'A', description: 'First', line_quantity: 2 }, { code: 'B', description: 'Second', line_quantity: 1 }] });
      assert.strictEqual(r.status, 200, r.text);
      const id = (r.body as { id: number }).id;
      const lines = (await c.get(`/sop_orders/${id}/sop_order_lines`)).body as { code: string; sop_order_id: number; line_number: number }[];
      assert.deepStrictEqual(lines.map((l) => [l.code, l.sop_order_id, l.line_number]), [['A', id, 1], ['B', id, 2]]);
      const expanded = (await c.get(`/sop_orders/${id}?$expand=lines,customer`)).body as { lines: unknown[]; customer: { id: number } };
      assert.strictEqual(expanded.lines.length, 2);
      assert.strictEqual(expanded.customer.id, 1001);
      const bad = await c.send('POST', '/sop_orders', { customer_id: 1001, document_no: 'SO-TEST-2', lines: [{ line_quantity: 'two' }] });
      assert.strictEqual(bad.status, 400);
      assert.match(msg(bad.body), /lines\[0\]/);
    });

    it('creates records under a nested route with the parent\'s key', async () => {
      const r = await c.send('POST', '/customers/1002/customer_contacts', { first_name: 'Nia', last_name: 'Jones' });
      assert.strictEqual(r.status, 200, r.text);
      assert.strictEqual((r.body as { customer_id: number }).customer_id, 1002);
      const list = (await c.get('/customers/1002/customer_contacts')).body as { first_name: string }[];
      assert.ok(list.some((x) => x.first_name === 'Nia'));
    });

    it('rejects bad bodies: not JSON, wrong content type, empty, oversized', async () => {
      let r = await c.send('POST', '/customers', undefined, { raw: '{"reference": "BAD001", name: }' });
      assert.strictEqual(r.status, 400);
      assert.match(msg(r.body), /not valid JSON/);
      r = await c.send('POST', '/customers', undefined, { raw: 'reference=BAD002', contentType: 'application/x-www-form-urlencoded' });
      assert.strictEqual(r.status, 415);
      r = await c.send('POST', '/customers', undefined, { raw: '{"reference":"BAD003","name":"x"}', contentType: 'text/plain' });
      assert.strictEqual(r.status, 415);
      r = await c.send('POST', '/customers', undefined, { raw: '' });
      assert.strictEqual(r.status, 400);
      r = await c.send('POST', '/customers', undefined, { raw: JSON.stringify({ reference: 'BIG001', name: 'x', spare_text_1: 'y'.repeat(5 * 1024 * 1024) }) });
      assert.strictEqual(r.status, 413);
      const after = await c.get('/customers?$top=1');
      assert.strictEqual(after.status, 200, 'still serving after an oversized body');
    });
  });

  describe('robustness', () => {
    it('keeps serving after garbage on the socket and hostile query strings', async () => {
      await new Promise<void>((resolve) => {
        const s = net.connect(c.sb.port, '127.0.0.1', () => s.end('NOT HTTP AT ALL\r\n\r\n\x00\xff'));
        s.on('close', () => resolve());
        s.on('error', () => resolve());
        s.resume();
      });
      const nasty = ['$filter=' + '('.repeat(5000), '$filter=%E0%A4%A', '$select=' + 'a,'.repeat(10000), '$orderby=%00', '$top=99999999999999999999', '$filter=name%20eq%20%27%F0%9F%98%80%27', '$expand=contacts($select=name)'];
      for (const q of nasty) {
        const r = await c.get(`/customers?${q}`);
        assert.ok(r.status === 400 || r.status === 200, `${q.slice(0, 40)} -> ${r.status}`);
      }
      const ok = await c.get('/customers?$top=1');
      assert.strictEqual(ok.status, 200);
    });
  });
});
