import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadCatalog } from '../../../src/core/catalog';
import type { ConnectionConfig, SiteCompany } from '../../../src/core/connections/types';
import {
  CompanyNode, EntityNode, ErrorNode, ExplorerModel, ExplorerNode, compareFields, countUrl, describeFailure, describeResponse,
  parseCount, parseMetadata, requestText,
} from '../../../src/core/explorer';
import { EXPORT_PAGE_SIZE, runExport } from '../../../src/core/export';
import { HttpStatusError, Sage200Client, fetchAll } from '../../../src/core/http';
import { RunningSandbox, startSandbox } from '../../../src/core/sandbox';

const catalog = loadCatalog();

/** The explorer model and its actions' core logic against the real sandbox over loopback HTTP. */
describe('explorer against the sandbox', function () {
  this.timeout(60_000);
  let sandbox: RunningSandbox;
  let token: string;
  before(async () => {
    sandbox = await startSandbox({ scale: 1 });
    token = sandbox.mintToken().access_token;
  });
  after(async () => { await sandbox.close(); });

  const clientFor = (baseUrl: string, bearer = token): Sage200Client => new Sage200Client({
    baseUrl,
    tokens: { getAccessToken: async () => bearer, refreshAfterUnauthorized: async () => undefined },
    retry: { maxAttempts: 1 },
  });

  async function sites(client: Sage200Client): Promise<SiteCompany[]> {
    const res = await client.send({ method: 'GET', url: '/sites' });
    if (res.status !== 200) throw new HttpStatusError(res);
    return res.json as SiteCompany[];
  }

  function modelFor(conn: ConnectionConfig, client: Sage200Client): ExplorerModel {
    return new ExplorerModel(() => catalog, {
      connections: () => [conn],
      isSignedIn: async () => true,
      getSites: () => sites(client),
      activeSelection: () => undefined,
    });
  }

  async function find(model: ExplorerModel, pred: (n: ExplorerNode) => boolean, node?: ExplorerNode, depth = 0): Promise<ExplorerNode | undefined> {
    for (const k of await model.children(node)) {
      if (pred(k)) return k;
      if (depth < 4 && k.kind !== 'entity' && k.kind !== 'module' && k.kind !== 'group') {
        const hit = await find(model, pred, k, depth + 1);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  it('lists the sandbox sites and companies, then counts, describes and exports customers', async () => {
    const client = clientFor(sandbox.professionalBaseUrl);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-explorer-sb-'));
    try {
      const conn: ConnectionConfig = { id: 'sb', name: 'Sandbox', edition: 'custom', apiEdition: 'professional', baseUrl: sandbox.professionalBaseUrl, clientId: 'c' };
      const model = modelFor(conn, client);
      const raw = await sites(client);
      const company = await find(model, (n) => n.kind === 'company') as CompanyNode;
      assert.ok(company, 'a company node');
      assert.strictEqual(company.scope.companyId, raw[0].company_id);
      const sales = (await model.children(company)).find((n) => n.label === 'Sales')!;
      const customers = (await model.children(sales)).find((n) => n.label === 'customers') as EntityNode;
      const opts = { site: customers.scope.siteId, company: customers.scope.companyId };

      // Count: the sandbox answers a bare number.
      const countRes = await client.send({ method: 'GET', url: countUrl(customers.path) }, opts);
      const count = parseCount(countRes.json, Buffer.from(countRes.body).toString('utf8'));
      assert.ok(count !== undefined && count >= 1000, `count ${count}`);
      model.setCount(customers, count);

      // Show fields: the live $metadata parses and agrees with the catalog the sandbox is built from.
      const metaRes = await client.send({ method: 'GET', url: `${customers.path}?$metadata=true` }, opts);
      const live = parseMetadata(metaRes.json);
      assert.ok(live && live.length > 50, 'a field list');
      const rows = compareFields(catalog, customers.schema, live);
      const differing = rows.filter((r) => r.difference !== 'same');
      assert.deepStrictEqual(differing.map((r) => `${r.name}: ${r.difference} (${r.live?.type})`), []);

      // Open request: the generated request runs as written.
      const line = requestText(catalog, { path: customers.path, module: customers.module, schema: customers.schema }).split('\n')[1];
      const first = await client.send({ method: 'GET', url: line.slice(4) }, opts);
      assert.strictEqual(first.status, 200, Buffer.from(first.body).toString('utf8'));
      assert.deepStrictEqual(Object.keys((first.json as Record<string, unknown>[])[0]).sort(), ['id', 'name', 'reference', 'short_name']);

      // Export all: every counted record reaches the file.
      const target = path.join(dir, 'customers.jsonl');
      const summary = await runExport({
        target, format: 'jsonl',
        pages: (onPage, signal) => fetchAll(client, customers.path, { onPage, signal, ...opts, pageSize: EXPORT_PAGE_SIZE }),
      });
      assert.strictEqual(summary.records, count);
      const ids = new Set(fs.readFileSync(target, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id));
      assert.strictEqual(ids.size, count, 'no record is repeated or missing across pages');
    } finally {
      client.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an expired token mid-export is refreshed silently and the export completes', async () => {
    let current = token;
    let refreshes = 0;
    let served = 0;
    const client = new Sage200Client({
      baseUrl: sandbox.professionalBaseUrl,
      tokens: {
        // The token "expires" after the first page: the API then answers 401.
        getAccessToken: async () => (served++ >= 1 && refreshes === 0 ? 'expired-token' : current),
        refreshAfterUnauthorized: async () => { refreshes++; current = sandbox.mintToken().access_token; return current; },
      },
      retry: { maxAttempts: 1 },
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-explorer-sb-'));
    try {
      const [first] = await sites(clientFor(sandbox.professionalBaseUrl));
      const target = path.join(dir, 'customers.csv');
      const summary = await runExport({
        target, format: 'csv',
        pages: (onPage, signal) => fetchAll(client, '/customers', { onPage, signal, site: first.site_id, company: first.company_id, pageSize: 400 }),
      });
      assert.strictEqual(refreshes, 1, 'one refresh');
      assert.ok(summary.records >= 1000);
      assert.strictEqual(fs.readFileSync(target, 'utf8').split('\r\n').length - 2, summary.records);
    } finally {
      client.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hides Professional-only entities on the Standard endpoint, which also rejects them', async () => {
    const client = clientFor(sandbox.standardBaseUrl);
    try {
      const conn: ConnectionConfig = { id: 'std', name: 'Std', edition: 'custom', apiEdition: 'standard', baseUrl: sandbox.standardBaseUrl, clientId: 'c' };
      const model = modelFor(conn, client);
      const company = await find(model, (n) => n.kind === 'company') as CompanyNode;
      const sales = (await model.children(company)).find((n) => n.label === 'Sales')!;
      const names = (await model.children(sales)).map((n) => n.label);
      assert.ok(names.includes('customers') && !names.includes('finance_charges'), names.join());
      const res = await client.send({ method: 'GET', url: '/finance_charges' }, { site: company.scope.siteId, company: company.scope.companyId });
      assert.ok(res.status >= 400, `Standard answers ${res.status} for a Professional-only path`);
    } finally {
      client.dispose();
    }
  });

  it('shows a rejected token as a 401 error node, and an unreachable API as a network error node', async () => {
    const bad = clientFor(sandbox.professionalBaseUrl, 'not-a-valid-token');
    const conn: ConnectionConfig = { id: 'sb', name: 'Sandbox', edition: 'custom', baseUrl: sandbox.professionalBaseUrl, clientId: 'c' };
    try {
      const [err] = await modelFor(conn, bad).children((await modelFor(conn, bad).children())[0]) as ErrorNode[];
      assert.strictEqual(err.kind, 'error');
      assert.strictEqual(err.errorKind, 'unauthorized');
      assert.ok(!err.message.includes('not-a-valid-token'));
      const res = await bad.send({ method: 'GET', url: '/customers' });
      assert.strictEqual(describeResponse(res)?.kind, 'unauthorized');
    } finally {
      bad.dispose();
    }
    // A port that nobody listens on: take one from a closed sandbox.
    const gone = await startSandbox({ scale: 0 });
    const goneUrl = gone.professionalBaseUrl;
    await gone.close();
    const offline = clientFor(goneUrl);
    try {
      const model = modelFor({ ...conn, baseUrl: goneUrl }, offline);
      const [err] = await model.children((await model.children())[0]) as ErrorNode[];
      assert.strictEqual(err.errorKind, 'network', err.message);
      assert.match(err.message, /Cannot reach the Sage 200 API/);
      await assert.rejects(offline.send({ method: 'GET', url: '/customers' }), (e: unknown) => describeFailure(e).kind === 'network');
    } finally {
      offline.dispose();
    }
  });
});
