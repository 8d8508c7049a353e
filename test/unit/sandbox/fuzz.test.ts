import * as assert from 'assert';
import fc from 'fast-check';
import { open, Ctx } from './helpers';

/** Bad input never crashes the server: random queries and bodies get 200 or 4xx, and the next request is served. */
describe('sandbox under random input', function () {
  this.timeout(120000);
  let c: Ctx;
  before(async () => { c = await open({ scale: 0.05 }); });
  after(async () => { await c.sb.close(); });

  const token = fc.constantFrom('name', 'balance', 'on_hold', 'account_opened', 'contacts', 'main_address.city', 'nope', 'eq', 'ne', 'gt', 'and', 'or', 'not', '(', ')', ',',
    "'x'", "'", "''", '1', '-1', '1.5e3', 'true', 'null', '2020-01-01', '2020-01-01T00:00:00Z', 'contains(', 'startswith(', 'desc', ' ', '%', '%ZZ', '&', '=', '$top', '$skip', '{{v}}', '\u202E', '😀', '%ED%A0%80', '%FF');
  const option = fc.constantFrom('$filter', '$select', '$expand', '$orderby', '$top', '$skip', '$count', '$metadata', '$search', 'x');

  it('answers random query strings with 200 or 400', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(option, fc.array(token, { maxLength: 12 })), { maxLength: 4 }), async (opts) => {
      const query = opts.map(([o, toks]) => `${encodeURIComponent(o)}=${toks.map((t) => (t.startsWith('%') ? t : encodeURIComponent(t))).join('')}`).join('&');
      const r = await c.get(`/customers?${query}`);
      assert.ok(r.status === 200 || r.status === 400, `${query} -> ${r.status} ${r.text.slice(0, 200)}`);
      if (r.status === 400) assert.ok(typeof (r.body as { Message?: unknown }).Message === 'string');
    }), { numRuns: 150 });
    assert.strictEqual((await c.get('/customers?$top=1')).status, 200);
  });

  it('answers random JSON bodies with 200 or 400', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
      const r = await c.send('POST', '/customer_contacts/1001/customer_emails', body);
      assert.ok(r.status === 200 || r.status === 400, `${JSON.stringify(body).slice(0, 100)} -> ${r.status}`);
    }), { numRuns: 100 });
    await fc.assert(fc.asyncProperty(fc.dictionary(fc.constantFrom('reference', 'name', 'credit_limit', 'on_hold', 'account_opened', 'main_address', 'contacts'), fc.jsonValue({ maxDepth: 2 })), async (body) => {
      const r = await c.send('PUT', '/customers/1002', body);
      assert.ok(r.status === 200 || r.status === 400, `${JSON.stringify(body).slice(0, 100)} -> ${r.status}`);
    }), { numRuns: 100 });
    assert.strictEqual((await c.get('/customers/1002')).status, 200);
  });
});
