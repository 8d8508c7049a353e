import * as assert from 'assert';
import { RunningSandbox, SANDBOX_PUBLIC_CLIENT_ID, startSandbox } from '../../../src/core/sandbox';
import type { AnsweredRequest } from '../../../src/core/http/types';
import { affectedLists } from '../../../src/core/explorer';
import { fakeSandbox, installConnectionsFakeVscode, memoryChannel, memorySecrets, memoryState, settings, ui } from './fakeVscode';

installConnectionsFakeVscode();
// After the stand-in is installed: these modules import 'vscode'.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ConnectionsFeature } = require('../../../src/connections') as typeof import('../../../src/connections');

const API_PATH = '/uk/sage200/accounts/v1';

/**
 * Sage200Api.onDidAnswer is how the explorer learns of writes, whoever sends them: Send in a request
 * file, the viewer's Re-send, a Test Explorer run and the tree's own Delete all go through `send`.
 */
describe('every answered request is reported once, with where it went (extension glue, fake vscode, sandbox)', function () {
  this.timeout(30_000);
  let sandbox: RunningSandbox;

  before(async () => {
    sandbox = await startSandbox({ scale: 0.02 });
  });
  after(async () => {
    await sandbox?.close();
    settings.user = {};
  });

  it('reports reads, writes and refused writes with their connection, site, company and base URL', async () => {
    settings.workspace = {};
    settings.user = { connections: [{ id: 'live', name: 'Live', edition: 'custom', baseUrl: sandbox.url + API_PATH, clientId: SANDBOX_PUBLIC_CLIENT_ID, authority: sandbox.url, redirectPort: 0 }] };
    ui.answer = () => undefined;
    ui.input = () => undefined;
    const feature = new ConnectionsFeature({ secrets: memorySecrets(), workspaceState: memoryState() } as never, memoryChannel() as never, fakeSandbox() as never);
    const answered: AnsweredRequest[] = [];
    feature.api.onDidAnswer((e) => answered.push(e));
    try {
      assert.strictEqual(await feature.api.signIn('live'), true);
      const sites = await feature.api.getSites('live');
      const { site_id: site, company_id: company } = sites[0];
      const scope = { 'X-Site': site, 'X-Company': String(company) };
      const list = await feature.api.send({ method: 'GET', url: '/customers?$select=id,name&$top=1', headers: scope }, { connectionId: 'live' });
      const [customer] = list.json as { id: number; name: string }[];
      const put = await feature.api.send({ method: 'PUT', url: `/customers/${customer.id}`, headers: { ...scope, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: `${customer.name} B` }) }, { connectionId: 'live' });
      assert.strictEqual(put.status, 200, new TextDecoder().decode(put.body));
      // The viewer's Re-send sends the stored request, whose URL is absolute.
      const again = await feature.api.send({ method: 'PUT', url: `${sandbox.url}${API_PATH}/customers/${customer.id}`, headers: { ...scope, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: `${customer.name} B` }) }, { connectionId: 'live' });
      assert.strictEqual(again.status, 200);
      const refused = await feature.api.send({ method: 'DELETE', url: '/customers/999999999', headers: scope }, { connectionId: 'live' });
      assert.strictEqual(refused.status, 404);

      const where = { connectionId: 'live', site, company: String(company), baseUrl: sandbox.url + API_PATH };
      assert.deepStrictEqual(answered, [
        { method: 'GET', url: '/customers?$select=id,name&$top=1', status: 200, ...where },
        { method: 'PUT', url: `/customers/${customer.id}`, status: 200, ...where },
        { method: 'PUT', url: `${sandbox.url}${API_PATH}/customers/${customer.id}`, status: 200, ...where },
        { method: 'DELETE', url: '/customers/999999999', status: 404, ...where },
      ]);
      // What the explorer makes of them: only the successful writes make the list stale.
      const held = [{ id: 'customers', scope: { connectionId: 'live', siteId: site, companyId: company }, path: '/customers' }];
      assert.deepStrictEqual(answered.map((a) => affectedLists(a, held)), [[], ['customers'], ['customers'], []]);
    } finally {
      feature.dispose();
    }
  });
});
