import * as assert from 'assert';
import { TestServer, startServer, json } from '../http/servers';
import { fakeSandbox, installConnectionsFakeVscode, memoryChannel, memorySecrets, memoryState, settings, setWorkspaceSetting, ui } from './fakeVscode';

installConnectionsFakeVscode();
// After the stand-in is installed: these modules import 'vscode'.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ConnectionsFeature } = require('../../../src/connections') as typeof import('../../../src/connections');

const API_PATH = '/uk/sage200/accounts/v1';

describe('the active connection never changes without the user (extension glue, fake vscode)', () => {
  let other: TestServer; // the connection that is left: it must get nothing the user did not choose to send

  beforeEach(async () => {
    other = await startServer((_req, res) => json(res, 200, []));
    ui.shown = [];
    ui.answer = () => undefined;
    ui.pick = () => undefined;
    settings.workspace = {};
    settings.user = {
      connections: [
        { id: 'first', name: 'First', edition: 'custom', baseUrl: 'http://127.0.0.1:9/uk/sage200/accounts/v1', clientId: 'c', authority: 'http://127.0.0.1:9' },
        { id: 'other', name: 'Other', edition: 'custom', baseUrl: other.url + API_PATH, clientId: 'c', authority: other.url },
      ],
    };
  });
  afterEach(async () => {
    await other.close();
    settings.workspace = {};
  });

  function start() {
    return new ConnectionsFeature({ secrets: memorySecrets(), workspaceState: memoryState() } as never, memoryChannel() as never, fakeSandbox() as never);
  }

  it('when the active connection goes away, nothing else becomes active, and Send asks in a modal', async () => {
    const feature = start();
    await feature.activeContext.select('first');
    // The active connection disappears; one connection is left, the "obvious" one to fall back to.
    setWorkspaceSetting('connections', [(settings.user.connections as unknown[])[1]]);
    assert.strictEqual(feature.activeContext.selection, undefined, 'no connection is chosen for the user');
    assert.match(feature.activeContext.lostReason ?? '', /First/);

    await assert.rejects(feature.api.send({ method: 'GET', url: '/customers' }), /Not sent/);
    const asked = ui.shown.find((s) => /Nothing was sent/.test(s.message));
    assert.ok(asked, `Send asks: ${JSON.stringify(ui.shown)}`);
    assert.match(asked.message, /First is no longer configured/);
    assert.deepStrictEqual(asked.items, ['Choose Connection…']);
    assert.strictEqual(other.seen.length, 0, 'nothing reached the connection the user did not choose');
    feature.dispose();
  });

  it('sends only to the connection the user then picks, and comes back to the lost one when it returns', async () => {
    const feature = start();
    await feature.activeContext.select('first');
    const both = settings.user.connections;
    setWorkspaceSetting('connections', [(both as unknown[])[1]]);
    // The user declines to choose in the picker: still nothing is sent, nothing is active.
    ui.answer = (s) => s.items.find((i) => /Choose Connection/.test(i));
    await assert.rejects(feature.api.send({ method: 'GET', url: '/customers' }), /Not sent/);
    assert.strictEqual(feature.activeContext.selection, undefined);
    assert.strictEqual(other.seen.length, 0);
    // The connection comes back (as the sandbox does when it starts again): it is active again.
    setWorkspaceSetting('connections', both);
    const active = (): string | undefined => feature.activeContext.selection?.connectionId;
    assert.strictEqual(active(), 'first');
    assert.strictEqual(feature.activeContext.lostReason, undefined);
    feature.dispose();
  });
});

describe('the demo sandbox connection (extension glue, fake vscode)', () => {
  it('follows the sandbox given at construction: listed exactly while it runs, already running included', () => {
    settings.workspace = {};
    settings.user = {};
    const sandbox = fakeSandbox();
    sandbox.running = { url: 'http://127.0.0.1:5001', professionalBaseUrl: 'http://127.0.0.1:5001/uk/sage200extra/accounts/v1' };
    const feature = new ConnectionsFeature({ secrets: memorySecrets(), workspaceState: memoryState() } as never, memoryChannel() as never, sandbox as never);
    const ids = (): string[] => feature.connections.list().map((c) => c.id);
    assert.deepStrictEqual(ids(), ['demo-sandbox'], 'a sandbox that runs before the connections are built is listed');
    let changes = 0;
    feature.connections.onDidChange(() => changes++);
    sandbox.set(undefined);
    assert.deepStrictEqual(ids(), []);
    sandbox.set({ url: 'http://127.0.0.1:5002', professionalBaseUrl: 'http://127.0.0.1:5002/uk/sage200extra/accounts/v1' });
    assert.strictEqual(feature.connections.get('demo-sandbox')?.authority, 'http://127.0.0.1:5002');
    assert.strictEqual(changes, 2);
    feature.dispose();
    sandbox.set(undefined);
    assert.strictEqual(changes, 2, 'a disposed feature no longer follows the sandbox');
  });
});
