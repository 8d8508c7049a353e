import * as assert from 'assert';
import { loadCatalog } from '../../../src/core/catalog';
import type { SiteCompany } from '../../../src/core/connections/types';
import {
  appendRequest, checkRecordFilter, completeRecordFilter, filterProblem, recordRequestText, writableBody,
} from '../../../src/core/explorer';
import { Sage200Client } from '../../../src/core/http';
import { parseRequestFile, resolveRequest } from '../../../src/core/requestFile';
import { RunningSandbox, startSandbox } from '../../../src/core/sandbox';

const catalog = loadCatalog();
const customers = { catalog, schema: 'customer', edition: 'professional' as const };

describe('explorer record filter (the one OData parser)', () => {
  it('accepts what request files accept and reports errors with their column in the filter', () => {
    assert.deepStrictEqual(checkRecordFilter(customers, "contains(name,'Ltd') and balance gt 1000"), []);
    assert.deepStrictEqual(checkRecordFilter(customers, '   '), []);
    const unknown = checkRecordFilter(customers, "nmae eq 'x'");
    assert.strictEqual(unknown[0].code, 'unknown-field');
    assert.deepStrictEqual([unknown[0].start, unknown[0].end], [0, 4]);
    assert.match(filterProblem(customers, "nmae eq 'x'") ?? '', /nmae.*column 1/s);
    assert.match(filterProblem(customers, 'name eq') ?? '', /column/);
    assert.match(filterProblem(customers, "balance eq 'a lot'") ?? '', /column 12/);
    assert.strictEqual(filterProblem(customers, "name eq 'x'"), undefined);
  });

  it('completes fields, functions and operators of the entity at the end of the text', () => {
    const fields = completeRecordFilter(customers, 'na');
    assert.ok(fields.some((c) => c.label === 'name' && c.value === 'name'), fields.map((c) => c.label).join(', '));
    assert.ok(fields.every((c) => c.label.startsWith('na')));
    const inFunction = completeRecordFilter(customers, 'contains(refe');
    assert.ok(inFunction.some((c) => c.value === 'contains(reference'), inFunction.map((c) => c.value).join(', '));
    const operators = completeRecordFilter(customers, 'balance ').map((c) => c.label);
    for (const op of ['eq', 'gt', 'lt']) assert.ok(operators.includes(op), operators.join(', '));
    // Another entity, other fields.
    assert.ok(completeRecordFilter({ ...customers, schema: 'sop_order' }, 'document_').some((c) => c.label === 'document_no'));
  });
});

describe('explorer record requests against the sandbox', function () {
  this.timeout(60_000);
  let sandbox: RunningSandbox;
  let client: Sage200Client;
  let site: SiteCompany;
  before(async () => {
    sandbox = await startSandbox({ scale: 0.1 });
    const token = sandbox.mintToken().access_token;
    client = new Sage200Client({
      baseUrl: sandbox.professionalBaseUrl,
      tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined },
      retry: { maxAttempts: 1 },
    });
    site = ((await client.send({ method: 'GET', url: '/sites' })).json as SiteCompany[])[1];
  });
  after(async () => {
    client.dispose();
    await sandbox.close();
  });

  async function sendText(text: string, index = 0): Promise<{ status: number; json: unknown; sent: string | undefined }> {
    const file = parseRequestFile(text);
    const req = await resolveRequest(file, file.requests[index], { baseUrl: sandbox.professionalBaseUrl });
    const res = await client.send({ method: req.method, url: req.url, headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) });
    return { status: res.status, json: res.json, sent: req.body };
  }

  it('Edit as request: a PUT of the writable fields, for the record\'s own company, that sends and changes the record', async () => {
    const list = await client.send({ method: 'GET', url: '/customers?$top=1&$orderby=id desc' }, { site: site.site_id, company: site.company_id });
    const id = (list.json as { id: number }[])[0].id;
    const read = await client.send({ method: 'GET', url: `/customers/${id}` }, { site: site.site_id, company: site.company_id });
    const rec = read.json as Record<string, unknown>;
    const body = writableBody(catalog, 'customer', rec, 'professional');
    const readOnly = catalog.fields('customer').filter((f) => f.readOnly).map((f) => f.name);
    assert.ok(readOnly.includes('id') && readOnly.includes('balance'));
    for (const name of readOnly) assert.ok(!(name in body), `read-only ${name} left out`);
    assert.ok(!Object.values(body).some((v) => v !== null && typeof v === 'object'), 'no child objects or lists');
    assert.strictEqual(body.reference, rec.reference);
    assert.strictEqual(body.name, rec.name);

    const text = recordRequestText({
      method: 'PUT', path: `/customers/${id}`, title: `Edit customers ${String(rec.reference)}`,
      siteId: site.site_id, companyId: site.company_id, companyName: site.company_name, body,
    });
    // The user edits the name in the appended request, then sends it.
    const file = appendRequest('### something else\nGET /sites\n', text).replace(`"name": ${JSON.stringify(rec.name)}`, '"name": "Renamed by the explorer test"');
    const sent = await sendText(file, 1);
    assert.strictEqual(sent.status, 200, JSON.stringify(sent.json));
    const after = await client.send({ method: 'GET', url: `/customers/${id}` }, { site: site.site_id, company: site.company_id });
    assert.strictEqual((after.json as { name: string }).name, 'Renamed by the explorer test');
    assert.strictEqual((after.json as { reference: string }).reference, rec.reference);
  });

  it('a record read and written back with its writable fields is accepted, for each kind the tree edits', async () => {
    const opts = { site: site.site_id, company: site.company_id };
    for (const [path, schema] of [['/customers', 'customer'], ['/suppliers', 'supplier'], ['/sop_orders', 'sop_order'], ['/products', 'product'], ['/banks', 'bank']]) {
      const ids = ((await client.send({ method: 'GET', url: `${path}?$select=id&$top=5` }, opts)).json as { id: number }[]).map((r) => r.id);
      assert.ok(ids.length > 0, path);
      for (const id of ids) {
        const rec = (await client.send({ method: 'GET', url: `${path}/${id}` }, opts)).json as Record<string, unknown>;
        const res = await client.send({ method: 'PUT', url: `${path}/${id}`, body: JSON.stringify(writableBody(catalog, schema, rec, 'professional')) }, opts);
        assert.strictEqual(res.status, 200, `${path}/${id}: ${Buffer.from(res.body).toString('utf8')}`);
      }
    }
  });

  it('Open as request reads the record in its company, and data with {{ is sent as written', async () => {
    const tricky = '{{constructor}} & {{$guid}}';
    const created = await client.send(
      { method: 'POST', url: '/customers', body: JSON.stringify({ reference: 'BRACES1', name: 'Braces Ltd', short_name: 'Braces' }) },
      { site: site.site_id, company: site.company_id },
    );
    const id = (created.json as { id: number }).id;
    const put = recordRequestText({ method: 'PUT', path: `/customers/${id}`, title: `Edit customers {{x}}`, siteId: site.site_id, companyId: site.company_id, body: { short_name: 'S', spare_text_1: tricky } });
    const sent = await sendText(put);
    assert.strictEqual(sent.status, 200, JSON.stringify(sent.json));
    assert.strictEqual((JSON.parse(sent.sent!) as { spare_text_1: string }).spare_text_1, tricky);
    const get = recordRequestText({ method: 'GET', path: `/customers/${id}`, title: 'customers BRACES1', siteId: site.site_id, companyId: site.company_id });
    assert.match(get, /^### customers BRACES1\nGET \/customers\/\d+\nX-Site: .+\nX-Company: \d+\n$/);
    const read = await sendText(get);
    assert.strictEqual(read.status, 200);
    assert.strictEqual((read.json as { spare_text_1: string }).spare_text_1, tricky);
  });
});
