import * as assert from 'assert';
import { startSandbox, RunningSandbox, demoCompanies } from '../../../src/core/sandbox';
import { Sage200Client, TokenSource } from '../../../src/core/http/client';
import { fetchAll, pages, planPages } from '../../../src/core/http/paging';
import { NetworkError } from '../../../src/core/http/types';

describe('fetchAll against the sandbox', function () {
  this.timeout(60_000);
  let sandbox: RunningSandbox;
  let client: Sage200Client;
  const company = demoCompanies(200)[0];

  before(async () => {
    sandbox = await startSandbox({ scale: 3 });
    const token = sandbox.mintToken().access_token;
    const tokens: TokenSource = { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined };
    client = new Sage200Client({ baseUrl: sandbox.professionalBaseUrl, tokens });
  });
  after(async () => {
    client?.dispose();
    await sandbox?.close();
  });

  const opts = (): { site: string; company: number } => ({ site: company.siteId, company: company.companyId });

  it('plans pages with $orderby, $top and $skip, keeping the filters', () => {
    const plan = planPages('/customers?$filter=balance%20gt%200&$top=12000&$skip=100', 5000);
    assert.ok(plan.addedOrderBy);
    assert.strictEqual(plan.pageUrl(0)?.url, '/customers?$filter=balance%20gt%200&$orderby=id%20asc&$top=5000&$skip=100');
    assert.strictEqual(plan.pageUrl(2)?.url, '/customers?$filter=balance%20gt%200&$orderby=id%20asc&$top=2000&$skip=10100');
    assert.strictEqual(plan.pageUrl(3), undefined);
    const own = planPages('/customers?$orderby=name desc', 9999);
    assert.ok(!own.addedOrderBy);
    assert.strictEqual(own.pageUrl(1)?.url, '/customers?$orderby=name desc&$top=5000&$skip=5000', 'page size is capped at 5000');
  });

  it('streams every customer page by page, in order, with progress, and agrees with $count', async () => {
    const countRes = await client.send({ method: 'GET', url: '/customers?$count=true' }, opts());
    const expected = Number(typeof countRes.json === 'number' ? countRes.json : (countRes.json as Record<string, unknown>)?.['@odata.count'] ?? Buffer.from(countRes.body).toString());
    assert.ok(expected > 2000, `sandbox has customers: ${expected}`);
    const ids: number[] = [];
    const progress: number[] = [];
    const result = await fetchAll(client, '/customers?$select=id,name', {
      ...opts(),
      pageSize: 1000,
      onPage: (records, info) => {
        for (const r of records) ids.push((r as { id: number }).id);
        progress.push(info.records);
      },
    });
    assert.strictEqual(result.records, expected);
    assert.strictEqual(ids.length, expected);
    assert.strictEqual(new Set(ids).size, ids.length, 'no record twice');
    assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]), 'ordered by id');
    assert.strictEqual(result.pages, Math.floor(expected / 1000) + 1);
    assert.deepStrictEqual(progress, progress.slice().sort((a, b) => a - b));
    assert.strictEqual(progress.at(-1), expected);
  });

  it('is an async iterator too, and stopping early stops the requests', async () => {
    let seen = 0;
    for await (const p of pages(client, '/customers', { ...opts(), pageSize: 100 })) {
      seen += p.records.length;
      if (p.info.page === 2) break;
    }
    assert.strictEqual(seen, 200);
  });

  it('cancels mid-way with a NetworkError of kind cancelled', async () => {
    const ac = new AbortController();
    let got = 0;
    await assert.rejects(
      fetchAll(client, '/customers', {
        ...opts(),
        pageSize: 500,
        signal: ac.signal,
        onPage: (records) => {
          got += records.length;
          if (got >= 1000) ac.abort();
        },
      }),
      (e: unknown) => e instanceof NetworkError && e.kind === 'cancelled',
    );
    assert.strictEqual(got, 1000);
  });

  it('fails with the Sage message on an error answer, and on a non-array', async () => {
    await assert.rejects(fetchAll(client, '/customers?$filter=nosuchfield eq 1', { ...opts(), onPage: () => undefined }), /answered 400/);
    await assert.rejects(fetchAll(client, '/customers', { onPage: () => undefined }), /X-Site header is missing/);
  });

  it('retries a 429 from the sandbox after Retry-After and carries on', async () => {
    sandbox.setFaults({ rateLimit: { count: 1, retryAfterSeconds: 1 } });
    const t0 = Date.now();
    const res = await client.send({ method: 'GET', url: '/customers?$top=1' }, opts());
    assert.strictEqual(res.status, 200);
    assert.strictEqual(res.attempts, 2);
    assert.ok(Date.now() - t0 >= 950, 'waited for Retry-After');
    sandbox.setFaults({});
  });
});
