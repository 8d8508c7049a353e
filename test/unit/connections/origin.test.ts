import * as assert from 'assert';
import type * as http from 'http';
import fetch from 'node-fetch';
import { RunningSandbox, SANDBOX_PUBLIC_CLIENT_ID, SANDBOX_WEB_CLIENT_ID, SANDBOX_WEB_CLIENT_SECRET, startSandbox } from '../../../src/core/sandbox';
import { Seen, TestServer, json, startServer } from '../http/servers';
import * as fs from 'fs';
import * as path from 'path';
import { fakeSandbox, grantTrust, installConnectionsFakeVscode, memoryChannel, memorySecrets, memoryState, settings, setWorkspaceSetting, ui } from './fakeVscode';

installConnectionsFakeVscode();
// After the stand-in is installed: these modules import 'vscode'.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ConnectionsFeature } = require('../../../src/connections') as typeof import('../../../src/connections');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Commands } = require('../../../src/commandIds') as typeof import('../../../src/commandIds');

const API_PATH = '/uk/sage200extra/accounts/v1';
const SUBSCRIPTION_KEY = 'sub-key-4b1d-origin-test';

/** A loopback server that records what it gets and, given a target, forwards it there (a real API or authority behind it). */
function recorder(target?: string): Promise<TestServer> {
  return startServer((req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    if (!target) return json(res, 200, []);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'content-length')) as Record<string, string>;
    void fetch(target + (req.url ?? '/'), { method: req.method, headers, body: body || undefined, redirect: 'manual' }).then(
      async (r) => {
        const out: Record<string, string> = {};
        r.headers.forEach((v, k) => {
          if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-encoding') out[k] = v;
        });
        res.writeHead(r.status, out).end(Buffer.from(await r.arrayBuffer()));
      },
      () => res.writeHead(502).end(),
    );
  });
}

/** Sends, and says how it ended: 'sent', or the error's message. */
const attempt = (p: Promise<unknown>): Promise<string> => p.then(() => 'sent', (e: Error) => e.message);

const credentialsIn = (seen: Seen[], secrets: string[]): string[] =>
  seen.flatMap((s) => {
    const found: string[] = [];
    if (s.headers.authorization) found.push(`Authorization on ${s.method} ${s.url}`);
    if (s.headers['ocp-apim-subscription-key']) found.push(`Ocp-Apim-Subscription-Key on ${s.method} ${s.url}`);
    for (const v of secrets) if (v && (s.body.includes(v) || s.body.includes(encodeURIComponent(v)))) found.push(`a secret in the body of ${s.method} ${s.url}`);
    return found;
  });

/** The secret values in the store (refresh token, keys), whichever way they are wrapped. */
function storedSecrets(values: Map<string, string>): string[] {
  return [...values.values()].flatMap((v) => {
    try {
      const o = JSON.parse(v) as { refreshToken?: unknown; value?: unknown };
      return [o.refreshToken, o.value].filter((x): x is string => typeof x === 'string' && x.length > 0);
    } catch {
      return [v];
    }
  });
}

describe('credentials are bound to the origin they were created for (extension glue, fake vscode)', function () {
  this.timeout(30_000);
  let sandbox: RunningSandbox;
  let api: TestServer; // the connection's API: forwards to the sandbox and records
  let elsewhere: TestServer; // where a workspace setting points the connection: records only

  before(async () => {
    sandbox = await startSandbox({ scale: 0 });
    api = await recorder(sandbox.url);
  });
  after(async () => {
    await api?.close();
    await sandbox?.close();
  });
  beforeEach(async () => {
    elsewhere = await recorder();
    settings.user = {};
    settings.workspace = {};
    ui.shown = [];
    ui.opened = [];
    ui.trusted = true;
    ui.answer = () => undefined;
    ui.input = () => undefined;
    ui.pick = () => undefined;
  });
  afterEach(async () => {
    await elsewhere?.close();
  });

  function connection(over: Record<string, unknown> = {}): Record<string, unknown> {
    return { id: 'live', name: 'Live', edition: 'custom', baseUrl: api.url + API_PATH, clientId: SANDBOX_PUBLIC_CLIENT_ID, authority: sandbox.url, redirectPort: 0, ...over };
  }

  function start(secrets = memorySecrets()) {
    const channel = memoryChannel();
    const context = { secrets, workspaceState: memoryState() };
    const feature = new ConnectionsFeature(context as never, channel as never, fakeSandbox() as never);
    return { feature, secrets, channel };
  }

  /** Signs in through the browser flow and saves a subscription key, as a user would. */
  async function signedIn(over: Record<string, unknown> = {}, secrets = memorySecrets()) {
    settings.user = { connections: [connection(over)] };
    const s = start(secrets);
    ui.input = (title) => (/subscription key/.test(title) ? SUBSCRIPTION_KEY : /client secret/.test(title) ? SANDBOX_WEB_CLIENT_SECRET : undefined);
    await s.feature.commands[Commands.setSubscriptionKey]('live');
    if (over.clientId === SANDBOX_WEB_CLIENT_ID) await s.feature.commands[Commands.setClientSecret]('live');
    assert.strictEqual(await s.feature.api.signIn('live'), true);
    ui.input = () => undefined;
    // Before the change, the API gets both credentials (so the checks below are not vacuous).
    const ok = await s.feature.api.send({ method: 'GET', url: '/sites' }, { connectionId: 'live' });
    assert.strictEqual(ok.status, 200);
    const last = api.seen[api.seen.length - 1];
    assert.match(String(last.headers.authorization), /^Bearer \S{16,}/);
    assert.strictEqual(last.headers['ocp-apim-subscription-key'], SUBSCRIPTION_KEY);
    return { ...s, token: String(last.headers.authorization).slice('Bearer '.length), stored: storedSecrets(s.secrets.values) };
  }

  it('a workspace that redefines a signed-in connection\'s baseUrl gets no token and no subscription key', async () => {
    const { feature, token, channel } = await signedIn();
    setWorkspaceSetting('connections', [connection({ baseUrl: elsewhere.url + API_PATH })]);

    const sent = await attempt(feature.api.send({ method: 'GET', url: '/sites' }, { connectionId: 'live' }));
    const paged = await attempt(feature.api.fetchAll('/customers', { connectionId: 'live', onPage: () => undefined }));
    assert.deepStrictEqual(credentialsIn(elsewhere.seen, [token, SUBSCRIPTION_KEY]), []);
    assert.strictEqual(elsewhere.seen.length, 0, 'nothing at all goes to the new origin before the user agrees');
    assert.match(sent, /Not sent/);
    assert.match(paged, /Not sent/);
    // The user was told why, with both addresses.
    const why = ui.shown.find((s) => s.level === 'warning' && s.message.includes(elsewhere.url));
    assert.ok(why, `no warning names the new origin: ${JSON.stringify(ui.shown)}`);
    assert.ok(why.message.includes(api.url), 'the warning names the origin the sign-in was made for');
    assert.deepStrictEqual(why.items, ['Sign In']);
    // Other extensions (Accounts menu) and "Copy as curl with secrets" get no token for it either.
    assert.strictEqual(await feature.sessions.accessTokenFor('live'), '');
    assert.ok(!channel.lines.some((l) => l.includes(token) || l.includes(SUBSCRIPTION_KEY)), 'no secret in the log');
    feature.dispose();
  });

  it('after a restart, a workspace baseUrl gets neither a refreshed token nor the key, even once the user signs in again', async () => {
    const first = await signedIn();
    first.feature.dispose();
    settings.workspace = { connections: [connection({ baseUrl: elsewhere.url + API_PATH })] };
    const { feature } = start(first.secrets);
    const sent = await attempt(feature.api.send({ method: 'GET', url: '/sites' }, { connectionId: 'live' }));
    assert.deepStrictEqual(credentialsIn(elsewhere.seen, [first.token, SUBSCRIPTION_KEY, ...first.stored]), []);
    assert.match(sent, /Not sent/);

    // The user trusts the new address and signs in again: the new token may go there, the old key may not.
    ui.answer = (s) => (s.items.includes('Sign In') ? 'Sign In' : s.items.includes('Remove It and Send') ? 'Remove It and Send' : undefined);
    const res = await feature.api.send({ method: 'GET', url: '/sites' }, { connectionId: 'live' });
    assert.strictEqual(res.status, 200);
    const keyWarning = ui.shown.find((s) => s.message.startsWith('The subscription key of "Live"'));
    assert.ok(keyWarning && keyWarning.message.includes(elsewhere.url), 'the user is told why the key is not sent');
    assert.deepStrictEqual(credentialsIn(elsewhere.seen, [first.token, SUBSCRIPTION_KEY, ...first.stored]).filter((f) => !f.startsWith('Authorization')), []);
    assert.ok(elsewhere.seen.every((s) => s.headers.authorization !== `Bearer ${first.token}`));
    feature.dispose();
  });

  it('a workspace that redefines the authority gets neither the refresh token nor the client secret', async () => {
    const other = await startSandbox({ scale: 0 });
    const authority = await recorder(other.url); // a working authority, so a sign-in there would complete
    try {
      const first = await signedIn({ clientId: SANDBOX_WEB_CLIENT_ID });
      first.feature.dispose();
      const secrets = [first.token, SUBSCRIPTION_KEY, SANDBOX_WEB_CLIENT_SECRET, ...first.stored];
      // A new window: the access token is gone from memory, so sending needs a refresh.
      settings.workspace = { connections: [connection({ clientId: SANDBOX_WEB_CLIENT_ID, authority: authority.url })] };
      const { feature } = start(first.secrets);
      const declined = await attempt(feature.api.send({ method: 'GET', url: '/sites' }, { connectionId: 'live' }));
      // The user agrees to sign in again but not to hand the old client secret to the new server.
      ui.answer = (s) => (s.items.includes('Sign In') ? 'Sign In' : undefined);
      const signedInAgain = await attempt(feature.api.send({ method: 'GET', url: '/sites' }, { connectionId: 'live' }));
      assert.deepStrictEqual(credentialsIn(authority.seen, secrets), []);
      assert.match(declined, /Not sent/);
      assert.match(signedInAgain, /Not sent/);
      const why = ui.shown.find((s) => s.level === 'warning' && s.message.includes(authority.url));
      assert.ok(why && why.message.includes(sandbox.url), `the warning names both sign-in servers: ${JSON.stringify(ui.shown)}`);
      assert.ok(ui.shown.some((s) => s.message.startsWith('The client secret of "Live"') && s.message.includes(authority.url)));
      assert.deepStrictEqual(credentialsIn(api.seen.slice(-1), []).length, 2, 'the last call to the API was the one before the change');
      feature.dispose();
    } finally {
      await authority.close();
      await other.close();
    }
  });

  it('in Restricted Mode the workspace\'s connections are ignored, and sending and sign-in say they need trust', async () => {
    const { feature, secrets } = await signedIn();
    feature.dispose();
    settings.workspace = { connections: [connection({ baseUrl: elsewhere.url + API_PATH })] };
    ui.trusted = false;
    const again = start(secrets);
    await assert.rejects(again.feature.api.send({ method: 'GET', url: '/sites' }, { connectionId: 'live' }), /needs a trusted workspace/);
    await assert.rejects(again.feature.sessions.signIn('live'), /needs a trusted workspace/);
    assert.strictEqual(await again.feature.commands[Commands.signIn]('live'), false);
    assert.ok(ui.shown.some((s) => /Signing in to Sage 200 needs a trusted workspace/.test(s.message) && s.items.includes('Manage Workspace Trust')));
    assert.strictEqual(elsewhere.seen.length, 0);
    again.feature.dispose();
  });

  it('the manifest runs in Restricted Mode with the connection and environment settings restricted', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] } };
      contributes: { configuration: { properties: Record<string, unknown> }[] };
    };
    const declared = manifest.contributes.configuration.flatMap((c) => Object.keys(c.properties));
    const trust = manifest.capabilities?.untrustedWorkspaces;
    assert.strictEqual(trust?.supported, 'limited');
    assert.deepStrictEqual(trust?.restrictedConfigurations, ['sage200.connections', 'sage200.environments']);
    for (const name of trust.restrictedConfigurations) assert.ok(declared.includes(name), `${name} is a setting of this extension`);
  });

  it('granting trust brings in the workspace\'s connections', async () => {
    settings.user = { connections: [connection()] };
    settings.workspace = { connections: [connection({ baseUrl: elsewhere.url + API_PATH })] };
    ui.trusted = false;
    const { feature } = start();
    assert.strictEqual(feature.connections.get('live')?.baseUrl, api.url + API_PATH);
    grantTrust();
    assert.strictEqual(feature.connections.get('live')?.baseUrl, elsewhere.url + API_PATH);
    feature.dispose();
  });

  it('editing a connection\'s base URL with the command also asks again before anything goes to the new address', async () => {
    const { feature, token } = await signedIn();
    ui.pick = (items) => items.find((i) => i.label === 'Base URL');
    ui.input = () => elsewhere.url + API_PATH;
    await feature.commands[Commands.editConnection]('live');
    assert.strictEqual(feature.connections.get('live')?.baseUrl, elsewhere.url + API_PATH);
    const told = ui.shown.find((s) => s.message.startsWith('"Live" now uses'));
    assert.ok(told && told.message.includes(elsewhere.url) && told.message.includes(api.url), JSON.stringify(ui.shown));
    const sent = await attempt(feature.api.send({ method: 'GET', url: '/sites' }, { connectionId: 'live' }));
    assert.deepStrictEqual(credentialsIn(elsewhere.seen, [token, SUBSCRIPTION_KEY]), []);
    assert.match(sent, /Not sent/);
    feature.dispose();
  });
});
