import * as assert from 'assert';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { loadCatalog } from '../../../src/core/catalog';
import type { ConnectionConfig, SiteCompany } from '../../../src/core/connections/types';
import {
  CollectionNode, EntityNode, ErrorNode, ExplorerModel, ExplorerNode, MAX_HELD_PAGES, PageNode, RECORD_PAGE_SIZE, RecordNode,
  recordShape, templateKey,
} from '../../../src/core/explorer';
import { Sage200Client } from '../../../src/core/http';
import { RunningSandbox, startSandbox } from '../../../src/core/sandbox';

const catalog = loadCatalog();

/** The explorer's records, collections below records and item paths, against the sandbox over loopback HTTP. */
describe('explorer records against the sandbox', function () {
  this.timeout(120_000);
  let sandbox: RunningSandbox;
  let token: string;
  let sites: SiteCompany[];
  const clients: Sage200Client[] = [];

  before(async () => {
    sandbox = await startSandbox({ scale: 1 });
    token = sandbox.mintToken().access_token;
    const res = await clientFor(sandbox.professionalBaseUrl).send({ method: 'GET', url: '/sites' });
    sites = res.json as SiteCompany[];
  });
  after(async () => {
    for (const c of clients) c.dispose();
    await sandbox.close();
  });

  function clientFor(baseUrl: string, bearer = (): string => token): Sage200Client {
    const client = new Sage200Client({
      baseUrl,
      tokens: { getAccessToken: async () => bearer(), refreshAfterUnauthorized: async () => undefined },
      retry: { maxAttempts: 1 },
      timeoutMs: 10_000,
    });
    clients.push(client);
    return client;
  }

  interface Counted { model: ExplorerModel; requests: string[]; client: Sage200Client }

  function modelFor(client = clientFor(sandbox.professionalBaseUrl)): Counted {
    const conn: ConnectionConfig = { id: 'sb', name: 'Sandbox', edition: 'custom', apiEdition: 'professional', baseUrl: client.baseUrl, clientId: 'c' };
    const requests: string[] = [];
    const model = new ExplorerModel(() => catalog, {
      connections: () => [conn],
      isSignedIn: () => true,
      getSites: async () => sites,
      activeSelection: () => undefined,
      get: (scope, url) => {
        requests.push(url);
        return client.send({ method: 'GET', url }, { site: scope.siteId, company: scope.companyId });
      },
    });
    return { model, requests, client };
  }

  async function at(model: ExplorerModel, ...labels: string[]): Promise<ExplorerNode> {
    let node: ExplorerNode | undefined;
    for (const label of labels) {
      const kids: ExplorerNode[] = await model.children(node);
      node = label === '*' ? kids[0] : kids.find((k) => k.label === label);
      assert.ok(node, `no "${label}" among ${kids.map((k) => k.label).slice(0, 20).join(', ')}`);
    }
    return node!;
  }

  async function direct(url: string): Promise<Record<string, unknown>[]> {
    const res = await clientFor(sandbox.professionalBaseUrl).send({ method: 'GET', url }, { site: sites[0].site_id, company: sites[0].company_id });
    assert.strictEqual(res.status, 200, Buffer.from(res.body).toString('utf8'));
    return res.json as Record<string, unknown>[];
  }

  it('expands customers into their first 50, named by reference and name, in reference order, with Load more', async () => {
    const { model, requests } = modelFor();
    const customers = await at(model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    const kids = await model.children(customers);
    assert.strictEqual(requests.length, 1, 'one request for the first page');
    const records = kids.filter((k): k is RecordNode => k.kind === 'record');
    assert.strictEqual(records.length, RECORD_PAGE_SIZE);
    const expected = await direct('/customers?$select=id,reference,name&$orderby=reference asc,id asc&$top=50');
    assert.deepStrictEqual(records.map((r) => r.label), expected.map((c) => `${c.reference} ${c.name}`));
    assert.deepStrictEqual(records.map((r) => r.itemPath), expected.map((c) => `/customers/${c.id}`));
    const refs = expected.map((c) => String(c.reference));
    assert.deepStrictEqual(refs, [...refs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'sorted by the key');
    assert.strictEqual(kids[kids.length - 1].kind, 'page');
    assert.strictEqual(kids[kids.length - 1].label, 'Load more…');
    assert.ok(records.every((r) => r.verbs.includes('PUT') && r.verbs.includes('DELETE') && r.expandable));
  });

  it('holds a window of pages however far the user reads, and reads earlier pages back', async () => {
    const { model } = modelFor();
    const customers = await at(model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    let kids = await model.children(customers);
    const pages = 12;
    for (let i = 1; i < pages; i++) {
      const more = kids.find((k): k is PageNode => k.kind === 'page' && k.direction === 'next')!;
      await model.page(more);
      kids = await model.children(customers);
      assert.ok(model.records.heldRecords() <= MAX_HELD_PAGES * RECORD_PAGE_SIZE, `held ${model.records.heldRecords()} after ${i + 1} pages`);
    }
    const records = kids.filter((k): k is RecordNode => k.kind === 'record');
    assert.strictEqual(records.length, MAX_HELD_PAGES * RECORD_PAGE_SIZE);
    const skip = (pages - MAX_HELD_PAGES) * RECORD_PAGE_SIZE;
    const expected = await direct(`/customers?$select=id,reference,name&$orderby=reference asc,id asc&$top=${records.length}&$skip=${skip}`);
    assert.deepStrictEqual(records.map((r) => r.recordId), expected.map((c) => String(c.id)), 'the last pages read, in order, nothing repeated');
    assert.strictEqual(kids[0].label, 'Earlier records…');
    await model.page(kids[0] as PageNode);
    const back = (await model.children(customers)).filter((k): k is RecordNode => k.kind === 'record');
    const before = await direct(`/customers?$select=id&$orderby=reference asc,id asc&$top=${RECORD_PAGE_SIZE}&$skip=${skip - RECORD_PAGE_SIZE}`);
    assert.deepStrictEqual(back.slice(0, RECORD_PAGE_SIZE).map((r) => r.recordId), before.map((c) => String(c.id)));
    assert.strictEqual(back.length, MAX_HELD_PAGES * RECORD_PAGE_SIZE);
  });

  it('a customer expands to its contacts, which expand to the contact records of that customer', async () => {
    const { model } = modelFor();
    const customers = await at(model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    const customer = (await model.children(customers)).find((k): k is RecordNode => k.kind === 'record')!;
    const below = await model.children(customer);
    const names = below.map((k) => k.label);
    for (const n of ['customer_contacts', 'customer_delivery_addresses', 'sop_orders', 'sales_posted_transactions']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const contacts = below.find((k) => k.label === 'customer_contacts') as CollectionNode;
    assert.strictEqual(contacts.path, `/customers/${customer.recordId}/customer_contacts`);
    const contactRecords = (await model.children(contacts)).filter((k): k is RecordNode => k.kind === 'record');
    const expected = await direct(`/customers/${customer.recordId}/customer_contacts?$select=id,customer_id`);
    assert.ok(expected.length > 0, 'the sandbox customer has contacts');
    assert.deepStrictEqual(new Set(contactRecords.map((r) => r.recordId)), new Set(expected.map((c) => String(c.id))));
    assert.strictEqual(contactRecords[0].itemPath, `/customers/${customer.recordId}/customer_contacts/${contactRecords[0].recordId}`);
    // A contact reached through its customer still leads to its roles, which only exist under /customer_contacts.
    const contactKids = (await model.children(contactRecords[0])).map((k) => (k as CollectionNode).path);
    assert.ok(contactKids.includes(`/customers/${customer.recordId}/customer_contacts/${contactRecords[0].recordId}/customer_emails`), contactKids.join(', '));
    assert.ok(contactKids.includes(`/customer_contacts/${contactRecords[0].recordId}/customer_contact_roles`), contactKids.join(', '));
  });

  it('a $filter shows only the matching records, and clearing it shows all again', async () => {
    const { model } = modelFor();
    const customers = await at(model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    const all = (await model.children(customers)).filter((k): k is RecordNode => k.kind === 'record');
    const word = all[3].label.split(' ')[1];
    model.setRecordFilter(customers, `contains(name,'${word}')`);
    const filtered = await at(model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    assert.strictEqual(filtered.recordFilter, `contains(name,'${word}')`);
    assert.match(filtered.description ?? '', /filter: contains/);
    const hits = (await model.children(filtered)).filter((k): k is RecordNode => k.kind === 'record');
    const expected = await direct(`/customers?$select=id&$filter=${encodeURIComponent(`contains(name,'${word}')`)}&$orderby=reference asc,id asc&$top=50`);
    assert.ok(hits.length > 0);
    assert.deepStrictEqual(hits.map((r) => r.recordId), expected.map((c) => String(c.id)));
    model.setRecordFilter(filtered, `name eq 'no such customer anywhere'`);
    const none = await model.children(filtered);
    assert.deepStrictEqual(none.map((k) => k.kind), ['message']);
    model.setRecordFilter(filtered, '');
    assert.strictEqual((await model.children(filtered)).filter((k) => k.kind === 'record').length, RECORD_PAGE_SIZE);
  });

  it('a PUT sent from a request file re-reads the list holding the record, keeping its filter; a GET reads nothing', async () => {
    const { model, requests, client } = modelFor();
    const customers = await at(model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    const first = (await model.children(customers)).filter((k): k is RecordNode => k.kind === 'record');
    const target = first[2];
    const reference = target.label.split(' ')[0];
    model.setRecordFilter(customers, `reference eq '${reference}'`);
    const filtered = await at(model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    const [record] = (await model.children(filtered)).filter((k): k is RecordNode => k.kind === 'record');
    assert.strictEqual(record.recordId, target.recordId);
    const contacts = (await model.children(record)).find((k) => k.label === 'customer_contacts') as CollectionNode;
    await model.children(contacts);
    const scope = { connectionId: 'sb', site: filtered.scope.siteId, company: String(filtered.scope.companyId) };
    const url = `/customers/${record.recordId}`;
    const renamed = `Renamed ${Date.now()}`;
    const put = await client.send({ method: 'PUT', url, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: renamed }) }, { site: scope.site, company: filtered.scope.companyId });
    assert.strictEqual(put.status, 200, Buffer.from(put.body).toString('utf8'));
    const label = async (): Promise<string> => (await model.children(filtered)).filter((k): k is RecordNode => k.kind === 'record')[0].label;
    const before = requests.length;
    let fired = 0;
    model.onDidChange(() => fired++);

    // A read, a failed write and a write to another company change nothing and read nothing.
    assert.deepStrictEqual(model.reloadAfterWrite({ method: 'GET', url, status: 200, ...scope }), []);
    assert.deepStrictEqual(model.reloadAfterWrite({ method: 'PUT', url, status: 404, ...scope }), []);
    assert.deepStrictEqual(model.reloadAfterWrite({ method: 'PUT', url, status: 200, ...scope, company: '999' }), []);
    assert.strictEqual(await label(), target.label);
    assert.strictEqual(requests.length, before);
    assert.strictEqual(fired, 0);

    // The PUT: the list is read once more, with its filter, and shows the new name; the contacts below are kept.
    assert.deepStrictEqual(model.reloadAfterWrite({ method: 'PUT', url, status: 200, ...scope }), [filtered.id]);
    assert.strictEqual(fired, 1);
    assert.strictEqual(await label(), `${reference} ${renamed}`);
    await model.children(contacts);
    assert.deepStrictEqual(requests.slice(before), [requests[before - 2]]);
    assert.match(requests[before], /\$filter=/);
  });

  it('reaches every GET path of the catalog: collections, collections below records, and item paths', async () => {
    const small = await startSandbox({ scale: 0.05 });
    try {
      const t = small.mintToken().access_token;
      const client = clientFor(small.professionalBaseUrl, () => t);
      const smallSites = (await client.send({ method: 'GET', url: '/sites' })).json as SiteCompany[];
      const conn: ConnectionConfig = { id: 'sb', name: 'Sandbox', edition: 'custom', apiEdition: 'professional', baseUrl: small.professionalBaseUrl, clientId: 'c' };
      const model = new ExplorerModel(() => catalog, {
        connections: () => [conn], isSignedIn: () => true, getSites: async () => smallSites.slice(0, 1), activeSelection: () => undefined,
        get: (scope, url) => client.send({ method: 'GET', url }, { site: scope.siteId, company: scope.companyId }),
      });
      const reached = new Set<string>();
      const errors: string[] = [];
      const gets = catalog.operations.filter((op) => op.verbs.includes('GET') && op.path !== '/sites');
      // A list is walked again (through other records) until it showed records and every path below
      // it was reached; a kind of record is tried on up to 25 records, since demo data leaves some of
      // their collections empty.
      const pendingBelow = (template: string): boolean => gets.some((op) => !reached.has(templateKey(op.path)) && templateKey(op.path).startsWith(`${templateKey(template)}/`));
      const done = new Set<string>();
      const tries = new Map<string, number>();
      const walk = async (node: ExplorerNode | undefined): Promise<boolean> => {
        const kids = await model.children(node);
        for (const k of kids) {
          if (k.kind === 'entity') reached.add(templateKey(k.path));
          if (k.kind === 'collection') reached.add(templateKey(k.template));
          if (k.kind === 'record' && k.itemTemplate) reached.add(templateKey(k.itemTemplate));
          if (k.kind === 'error') errors.push(`${k.id}: ${k.message}`);
          const key = k.kind === 'entity' ? k.path
            : k.kind === 'collection' ? templateKey(k.template)
              : k.kind === 'record' ? `record ${templateKey(k.listTemplate)} ${k.itemTemplate ?? ''}`
                : ['connection', 'site', 'company', 'module', 'group'].includes(k.kind) ? k.id : undefined;
          if (key === undefined || done.has(key)) continue;
          const n = (tries.get(key) ?? 0) + 1;
          tries.set(key, n);
          if (n > 25) continue;
          const showedRecords = await walk(k);
          const list = k.kind === 'entity' ? k.path : k.kind === 'collection' ? k.template : undefined;
          if (list ? showedRecords && !pendingBelow(list) : k.kind !== 'record') done.add(key);
        }
        return kids.some((k) => k.kind === 'record');
      };
      await walk(undefined);
      assert.deepStrictEqual(errors, []);
      assert.deepStrictEqual(gets.filter((op) => !reached.has(templateKey(op.path))).map((op) => op.path), []);
      assert.ok(gets.length > 450, `${gets.length} GET paths`);
    } finally {
      await small.close();
    }
  });

  it('shows 401, 403, a removed record and a network failure as error nodes with a retry', async () => {
    // 401: a token the API does not know.
    let bearer = 'not-a-token';
    const unauthorized = modelFor(clientFor(sandbox.professionalBaseUrl, () => bearer));
    const customers401 = await at(unauthorized.model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    const e401 = await unauthorized.model.children(customers401);
    assert.deepStrictEqual(e401.map((k) => k.kind), ['error']);
    assert.strictEqual((e401[0] as ErrorNode).errorKind, 'unauthorized');
    assert.strictEqual((e401[0] as ErrorNode).listId, customers401.id);
    bearer = token;
    unauthorized.model.retry(e401[0] as ErrorNode);
    assert.strictEqual((await unauthorized.model.children(customers401)).filter((k) => k.kind === 'record').length, RECORD_PAGE_SIZE);

    // 403: a server that refuses, as Sage does for a user without rights.
    const server = http.createServer((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ Message: 'The user does not have access to customers.' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const forbidden = modelFor(clientFor(`http://127.0.0.1:${port}/uk/sage200extra/accounts/v1`));
      const customers403 = await at(forbidden.model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
      const e403 = await forbidden.model.children(customers403) as ErrorNode[];
      assert.strictEqual(e403[0].errorKind, 'forbidden');
      assert.match(e403[0].message, /403.*does not have access to customers/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    // A removed record: its contacts answer 404, shown with Sage's message.
    const { model } = modelFor();
    const customers = await at(model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    const customer = (await model.children(customers)).find((k): k is RecordNode => k.kind === 'record' && k.label.length > 0)!;
    const contacts = (await model.children(customer)).find((k) => k.label === 'customer_contacts') as CollectionNode;
    const gone = await clientFor(sandbox.professionalBaseUrl).send({ method: 'DELETE', url: customer.itemPath! }, { site: customer.scope.siteId, company: customer.scope.companyId });
    assert.strictEqual(gone.status, 200);
    const e404 = await model.children(contacts) as ErrorNode[];
    assert.strictEqual(e404[0].errorKind, 'notFound');
    assert.match(e404[0].message, /404.*not found/i);

    // A page that fails after the first keeps the records read, with the error where "Load more…" was.
    const paging = modelFor();
    const list = await at(paging.model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    const first = await paging.model.children(list);
    sandbox.setFaults({ serverError: { count: 1, status: 500 } });
    try {
      await paging.model.page(first.find((k): k is PageNode => k.kind === 'page')!);
    } finally {
      sandbox.setFaults({});
    }
    const afterFailure = await paging.model.children(list);
    assert.strictEqual(afterFailure.filter((k) => k.kind === 'record').length, RECORD_PAGE_SIZE);
    const e500 = afterFailure[afterFailure.length - 1] as ErrorNode;
    assert.strictEqual(e500.kind, 'error');
    assert.strictEqual(e500.errorKind, 'server');
    paging.model.retry(e500);
    assert.strictEqual((await paging.model.children(list)).filter((k) => k.kind === 'record').length, RECORD_PAGE_SIZE);

    // Network: nothing listens on the port any more.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = modelFor(clientFor(`http://127.0.0.1:${deadPort}/uk/sage200extra/accounts/v1`));
    const customersOff = await at(offline.model, '*', '*', '*', 'Sales', 'customers') as EntityNode;
    const eNet = await offline.model.children(customersOff) as ErrorNode[];
    assert.strictEqual(eNet[0].errorKind, 'network');
    assert.match(eNet[0].message, /refused/);
  });

  it('names records by their natural key from the catalog, with overrides where the names do not say', () => {
    assert.deepStrictEqual([recordShape(catalog, 'customer').key, recordShape(catalog, 'customer').name], ['reference', 'name']);
    assert.strictEqual(recordShape(catalog, 'sop_order').key, 'document_no');
    assert.strictEqual(recordShape(catalog, 'sop_order').orderby, 'document_no asc,id asc');
    assert.strictEqual(recordShape(catalog, 'bank').key, 'code');
    // A view without an id still has a stable order for paging.
    const view = recordShape(catalog, 'customer_period_value_view');
    assert.strictEqual(view.hasId, false);
    assert.ok(view.orderby.length > 0);
  });
});
