import * as assert from 'assert';
import { loadCatalog } from '../../../src/core/catalog';
import type { ActiveSelection, ConnectionConfig, SiteCompany } from '../../../src/core/connections/types';
import {
  CompanyNode, ConnectionNode, EntityNode, ErrorNode, ExplorerModel, ExplorerNode, ExplorerSource, GroupNode, MessageNode,
  ModuleNode, SiteNode,
} from '../../../src/core/explorer';
import { HttpStatusError } from '../../../src/core/http';
import { HttpResponse, NetworkError } from '../../../src/core/http/types';

const catalog = loadCatalog();

const SITES: SiteCompany[] = [
  { site_id: 'aaaa-1', site_name: 'Head Office', site_short_name: 'HO', company_id: 1, company_name: 'Stationery & Computer Mart UK' },
  { site_id: 'aaaa-1', site_name: 'Head Office', site_short_name: 'HO', company_id: 2, company_name: 'Demo Data Ltd' },
  { site_id: 'bbbb-2', site_name: 'Branch', company_id: 7, company_name: 'Branch Ltd' },
];

class FakeSource implements ExplorerSource {
  conns: ConnectionConfig[] = [
    { id: 'pro', name: 'Pro', edition: 'professional', clientId: 'x' },
    { id: 'std', name: 'Std', edition: 'standard', clientId: 'y' },
  ];
  signedIn = new Set(['pro', 'std']);
  active: ActiveSelection | undefined;
  sitesCalls = 0;
  next: () => Promise<readonly SiteCompany[]> = async () => SITES;
  connections(): readonly ConnectionConfig[] { return this.conns; }
  isSignedIn(id: string): boolean { return this.signedIn.has(id); }
  account(id: string): string | undefined { return id === 'pro' ? 'ann@example.com' : undefined; }
  getSites(): Promise<readonly SiteCompany[]> { this.sitesCalls++; return this.next(); }
  activeSelection(): ActiveSelection | undefined { return this.active; }
}

async function path(model: ExplorerModel, ...labels: string[]): Promise<ExplorerNode> {
  let node: ExplorerNode | undefined;
  for (const label of labels) {
    const kids: ExplorerNode[] = await model.children(node);
    node = kids.find((k) => k.label === label);
    assert.ok(node, `no "${label}" among ${kids.map((k) => k.label).join(', ')}`);
  }
  return node!;
}

function response(status: number, json: unknown): HttpResponse {
  const body = Buffer.from(JSON.stringify(json));
  return {
    status, statusText: '', headers: {}, body, json, size: body.length, timing: { totalMs: 1 },
    request: { method: 'GET', url: 'http://127.0.0.1/sites', headers: {} }, attempts: 1,
  };
}

describe('explorer model', () => {
  let source: FakeSource;
  let model: ExplorerModel;
  beforeEach(() => {
    source = new FakeSource();
    model = new ExplorerModel(() => catalog, source);
  });

  it('reads the catalog when a company is expanded (its modules hold entities), not before', async () => {
    let reads = 0;
    const counted = new ExplorerModel(() => { reads++; return catalog; }, source);
    const company = await path(counted, 'Pro', 'Head Office', 'Demo Data Ltd');
    assert.strictEqual(reads, 0, 'connections, sites and companies need no catalog');
    const modules = await counted.children(company);
    assert.ok(reads > 0);
    assert.ok(modules.some((n) => n.label === 'Sales'));
  });

  it('is empty when nobody is signed in, so that the welcome view shows', async () => {
    source.signedIn.clear();
    assert.deepStrictEqual(await model.children(), []);
    source.conns = [];
    assert.deepStrictEqual(await model.children(), []);
  });

  it('lists connections with edition and account; a signed-out one offers sign-in', async () => {
    source.signedIn.delete('std');
    const roots = await model.children() as ConnectionNode[];
    assert.deepStrictEqual(roots.map((r) => [r.label, r.description]), [
      ['Pro', 'Professional · ann@example.com'],
      ['Std', 'Standard · signed out'],
    ]);
    const kids = await model.children(roots[1]) as MessageNode[];
    assert.strictEqual(kids.length, 1);
    assert.strictEqual(kids[0].action, 'signIn');
    assert.strictEqual(kids[0].connectionId, 'std');
  });

  it('groups /sites by site, lists companies, and marks the active one', async () => {
    source.active = { connectionId: 'pro', siteId: 'aaaa-1', companyId: 2 };
    const pro = await path(model, 'Pro');
    const sites = await model.children(pro) as SiteNode[];
    assert.deepStrictEqual(sites.map((s) => [s.label, s.active]), [['Head Office', true], ['Branch', false]]);
    const companies = await model.children(sites[0]) as CompanyNode[];
    assert.deepStrictEqual(companies.map((c) => [c.label, c.active]), [['Stationery & Computer Mart UK', false], ['Demo Data Ltd', true]]);
    assert.match(companies[1].description ?? '', /active/);
    assert.deepStrictEqual(companies[1].scope, {
      connectionId: 'pro', siteId: 'aaaa-1', siteName: 'Head Office', companyId: 2, companyName: 'Demo Data Ltd', edition: 'professional',
    });
    // Same connection on the other connection's branch: nothing active there.
    const std = await model.children(await path(model, 'Std')) as SiteNode[];
    assert.ok(std.every((s) => !s.active));
    assert.strictEqual(source.sitesCalls, 2, 'sites are read once per connection');
  });

  it('shows the 11 modules in Sage order, with every GET collection of the catalog below them', async () => {
    const company = await path(model, 'Pro', 'Head Office', 'Demo Data Ltd');
    const modules = await model.children(company) as ModuleNode[];
    assert.deepStrictEqual(modules.map((m) => m.label), [
      'Sales', 'Purchases', 'SOP', 'POP', 'Stock', 'Nominal', 'Cash Book', 'Price Book', 'Financials', 'General', 'Commercials',
    ]);
    let total = 0;
    for (const m of modules) {
      const kids = await model.children(m);
      const entities = kids.filter((k): k is EntityNode => k.kind === 'entity');
      for (const g of kids.filter((k): k is GroupNode => k.kind === 'group')) {
        const inGroup = await model.children(g) as EntityNode[];
        assert.ok(inGroup.length > 0);
        for (const e of inGroup) {
          assert.ok(g.group === 'views' ? e.name.endsWith('_views') : e.name.startsWith('lookup_'), `${e.name} in ${g.group}`);
        }
        entities.push(...inGroup);
      }
      assert.ok(entities.every((e) => !e.name.endsWith('_views') || kids.every((k) => k !== e)), 'views never sit at module level');
      assert.strictEqual(entities.length, catalog.entities({ module: m.module }).length, m.label);
      assert.strictEqual(m.description, String(entities.length));
      total += entities.length;
    }
    assert.strictEqual(total, catalog.entities().length);
  });

  it('puts verbs in the tooltip and hides Professional-only entities on Standard', async () => {
    const proSales = await model.children(await path(model, 'Pro', 'Head Office', 'Demo Data Ltd', 'Sales'));
    const customers = proSales.find((n) => n.label === 'customers') as EntityNode;
    assert.match(customers.tooltip ?? '', /^GET, POST \/customers/);
    assert.strictEqual(customers.description, undefined, 'nothing beside the name until counted');
    assert.ok(proSales.some((n) => n.label === 'finance_charges'), 'Professional shows finance_charges');
    const stdSales = await model.children(await path(model, 'Std', 'Head Office', 'Demo Data Ltd', 'Sales'));
    assert.ok(!stdSales.some((n) => n.label === 'finance_charges'), 'Standard hides finance_charges');
    assert.ok(stdSales.some((n) => n.label === 'customers'));
    assert.strictEqual(
      stdSales.filter((n) => n.kind === 'entity').length + 0,
      catalog.entities({ module: 'sales', edition: 'standard' }).filter((o) => !/^\/(lookup_.*|.*_views)$/.test(o.path)).length,
    );
  });

  it('a custom connection shows the edition it emulates', async () => {
    source.conns = [{ id: 'sb', name: 'Sandbox', edition: 'custom', baseUrl: 'http://127.0.0.1:1', clientId: 'c', apiEdition: 'standard' }];
    source.signedIn = new Set(['sb']);
    const [root] = await model.children();
    // The description is short for the side bar: the API it speaks; the tooltip says it is custom.
    assert.match(root.description ?? '', /^Standard · /);
    assert.match(String(root.tooltip), /Custom \(Standard\)/);
    const sales = await model.children(await path(model, 'Sandbox', 'Head Office', 'Demo Data Ltd', 'Sales'));
    assert.ok(!sales.some((n) => n.label === 'sales_trading_periods'));
  });

  it('filters entities by name across modules, and says so when nothing matches', async () => {
    let changes = 0;
    model.onDidChange(() => changes++);
    model.setFilter('customer view');
    assert.strictEqual(changes, 1);
    const company = await path(model, 'Pro', 'Head Office', 'Demo Data Ltd');
    const modules = await model.children(company) as ModuleNode[];
    assert.deepStrictEqual(modules.map((m) => m.label), ['Sales']);
    const [views] = await model.children(modules[0]) as GroupNode[];
    assert.strictEqual(views.kind, 'group');
    const names = (await model.children(views)).map((n) => n.label);
    assert.ok(names.includes('customer_views') && names.every((n) => n.includes('customer') && n.includes('view')), names.join());
    model.setFilter('zzz-no-such');
    const none = await model.children(company) as MessageNode[];
    assert.strictEqual(none.length, 1);
    assert.strictEqual(none[0].action, 'clearFilter');
    assert.match(none[0].label, /zzz-no-such/);
    model.setFilter('');
    assert.strictEqual((await model.children(company)).length, 11);
  });

  it('shows a 401 as an error node that says to sign in again, and retries on refresh', async () => {
    source.next = async () => { throw new HttpStatusError(response(401, { message: 'Token expired' })); };
    const pro = await path(model, 'Pro');
    const [err] = await model.children(pro) as ErrorNode[];
    assert.strictEqual(err.kind, 'error');
    assert.strictEqual(err.errorKind, 'unauthorized');
    assert.match(err.message, /401/);
    assert.match(err.message, /Sign in again/);
    assert.match(err.message, /Token expired/);
    // Cached: expanding again does not hammer the API.
    await model.children(pro);
    assert.strictEqual(source.sitesCalls, 1);
    source.next = async () => SITES;
    model.refresh('pro');
    const sites = await model.children(pro);
    assert.deepStrictEqual(sites.map((s) => s.kind), ['site', 'site']);
    assert.strictEqual(source.sitesCalls, 2);
  });

  it('shows network failures and 403 with their causes, never an empty branch', async () => {
    source.next = async () => {
      throw new NetworkError('connect ECONNREFUSED 127.0.0.1:9', 'refused', { method: 'GET', url: 'http://127.0.0.1:9/sites', headers: {} });
    };
    const [net] = await model.children(await path(model, 'Pro')) as ErrorNode[];
    assert.strictEqual(net.errorKind, 'network');
    assert.match(net.message, /Cannot reach the Sage 200 API: the connection was refused/);
    source.next = async () => { throw new HttpStatusError(response(403, { Message: 'The requested operation is forbidden for this account.' })); };
    model.refresh();
    const [forbidden] = await model.children(await path(model, 'Pro')) as ErrorNode[];
    assert.strictEqual(forbidden.errorKind, 'forbidden');
    assert.match(forbidden.message, /403.*forbidden for this account/);
    source.next = async () => [];
    model.refresh();
    const [empty] = await model.children(await path(model, 'Pro'));
    assert.strictEqual(empty.kind, 'message');
  });

  it('never leaks a bearer token into an error node', async () => {
    source.next = async () => { throw new Error('failed with Authorization: Bearer eyJhbGciOi.secret.token'); };
    const [err] = await model.children(await path(model, 'Pro')) as ErrorNode[];
    assert.ok(!err.message.includes('eyJhbGciOi'), err.message);
  });

  it('a refresh during a slow /sites call does not cache the stale answer', async () => {
    let release!: (v: readonly SiteCompany[]) => void;
    source.next = () => new Promise((r) => { release = r; });
    const pro = await path(model, 'Pro');
    const first = model.children(pro);
    while (!release) await new Promise((r) => setImmediate(r));
    model.refresh('pro');
    source.next = async () => [SITES[2]];
    release(SITES);
    await first;
    const after = await model.children(pro);
    assert.deepStrictEqual(after.map((n) => n.label), ['Branch']);
  });

  it('shows a count in the entity description', async () => {
    const sales = await path(model, 'Pro', 'Head Office', 'Demo Data Ltd', 'Sales');
    const customers = (await model.children(sales)).find((n) => n.label === 'customers') as EntityNode;
    model.setCount(customers, 1234);
    const again = (await model.children(sales)).find((n) => n.label === 'customers') as EntityNode;
    assert.strictEqual(again.count, 1234);
    assert.match(again.description ?? '', /1234 records/);
    assert.strictEqual(again.id, customers.id, 'ids are stable');
    // Another company's node is not affected.
    const other = (await model.children(await path(model, 'Pro', 'Head Office', 'Stationery & Computer Mart UK', 'Sales')))
      .find((n) => n.label === 'customers') as EntityNode;
    assert.strictEqual(other.count, undefined);
  });

  it('gives every node a unique id', async () => {
    const ids = new Set<string>();
    const walk = async (node?: ExplorerNode): Promise<void> => {
      for (const k of await model.children(node)) {
        assert.ok(!ids.has(k.id), `duplicate id ${k.id}`);
        ids.add(k.id);
        await walk(k);
      }
    };
    await walk();
    assert.ok(ids.size > 2 * 3 * catalog.entities({ edition: 'standard' }).length);
  });
});
