import { Benchmark, median, round } from './harness';
import { loadCatalog } from '../src/core/catalog';
import type { ConnectionConfig, SiteCompany } from '../src/core/connections/types';
import { EntityNode, ExplorerModel, ExplorerNode, PageNode, RECORD_PAGE_SIZE } from '../src/core/explorer';
import { Sage200Client } from '../src/core/http';
import { startSandbox } from '../src/core/sandbox';

const SCALE = 100; // 100 × 1,000 customers
const ROUNDS = 7;
const PAGES = 100;

/**
 * Expanding `customers` with 100,000 of them in the sandbox. The explorer's expand (a fresh model
 * each time, so nothing is cached) and a bare send of the very URL it reads alternate, ROUNDS times
 * each; the ratio compares their medians (1 = expanding costs no more than sending that request).
 * Then 100 pages are read one after another: the records held stay at the window's size.
 */
export const explorerBench: Benchmark = {
  figures: ['explorer.100k.firstPageMs', 'explorer.100k.firstPageRatio', 'explorer.100k.heldAfter100Pages'],
  async run() {
    const sandbox = await startSandbox({ scale: SCALE });
    const token = sandbox.mintToken().access_token;
    const client = new Sage200Client({
      baseUrl: sandbox.professionalBaseUrl,
      tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined },
      retry: { maxAttempts: 1 },
    });
    try {
      const catalog = loadCatalog();
      const sites = (await client.send({ method: 'GET', url: '/sites' })).json as SiteCompany[];
      const conn: ConnectionConfig = { id: 'sb', name: 'Sandbox', edition: 'custom', apiEdition: 'professional', baseUrl: sandbox.professionalBaseUrl, clientId: 'c' };
      let lastUrl = '';
      const newModel = (): ExplorerModel => new ExplorerModel(() => catalog, {
        connections: () => [conn], isSignedIn: () => true, getSites: async () => sites, activeSelection: () => undefined,
        get: (scope, url) => {
          lastUrl = url;
          return client.send({ method: 'GET', url }, { site: scope.siteId, company: scope.companyId });
        },
      });
      const customersOf = async (model: ExplorerModel): Promise<EntityNode> => {
        let node: ExplorerNode | undefined;
        for (const label of ['*', '*', '*', 'Sales', 'customers']) {
          const kids: ExplorerNode[] = await model.children(node);
          node = label === '*' ? kids[0] : kids.find((k) => k.label === label);
        }
        return node as EntityNode;
      };
      const count = await client.send({ method: 'GET', url: '/customers?$count=true' }, { site: sites[0].site_id, company: sites[0].company_id });
      if (Number(count.json) < SCALE * 1000) throw new Error(`expected ${SCALE * 1000} customers, the sandbox has ${String(count.json)}`);

      const expand: number[] = [];
      const send: number[] = [];
      for (let i = 0; i <= ROUNDS; i++) {
        const model = newModel();
        const customers = await customersOf(model);
        let t0 = performance.now();
        const kids = await model.children(customers);
        const tExpand = performance.now() - t0;
        if (kids.filter((k) => k.kind === 'record').length !== RECORD_PAGE_SIZE) throw new Error('the first page is not full');
        t0 = performance.now();
        const res = await client.send({ method: 'GET', url: lastUrl }, { site: sites[0].site_id, company: sites[0].company_id });
        const tSend = performance.now() - t0;
        if (res.status !== 200) throw new Error(`the page request answered ${res.status}`);
        // The first round warms the sandbox and the connection for both sides.
        if (i > 0) {
          expand.push(tExpand);
          send.push(tSend);
        }
      }

      const model = newModel();
      const customers = await customersOf(model);
      let kids = await model.children(customers);
      for (let p = 1; p < PAGES; p++) {
        await model.page(kids.find((k): k is PageNode => k.kind === 'page' && k.direction === 'next')!);
        kids = await model.children(customers);
      }
      const held = model.records.heldRecords();
      process.stdout.write(`(expand ${expand.map((x) => x.toFixed(0)).join('/')} ms, send ${send.map((x) => x.toFixed(0)).join('/')} ms) `);
      return {
        'explorer.100k.firstPageMs': round(median(expand), 1),
        'explorer.100k.firstPageRatio': round(median(expand) / median(send), 3),
        'explorer.100k.heldAfter100Pages': held,
      };
    } finally {
      client.dispose();
      await sandbox.close();
    }
  },
};
