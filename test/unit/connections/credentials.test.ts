import * as assert from 'assert';
import { RunningSandbox, SANDBOX_PUBLIC_CLIENT_ID, startSandbox } from '../../../src/core/sandbox';
import { isAuthError } from '../../../src/core/auth';
import { ConnectionCredentials, SecretStore, clientSecretKey, credentialOriginOf, describeOriginChange, sessionKey, subscriptionKeyKey } from '../../../src/core/connections/credentials';
import { ConnectionResolver } from '../../../src/core/connections/resolve';
import { ConnectionConfig } from '../../../src/core/connections/types';
import { Sage200Client } from '../../../src/core/http/client';
import { SecretRegistry } from '../../../src/core/http/redact';
import { TestServer, json, startServer } from '../http/servers';

function memoryStore(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (k) => values.get(k),
    store: async (k, v) => void values.set(k, v),
    delete: async (k) => void values.delete(k),
  };
}

const API_PATH = '/uk/sage200extra/accounts/v1';
const KEY = 'subscription-key-core-test';

describe('origin-bound credentials (core)', () => {
  let sandbox: RunningSandbox;
  let recorder: TestServer;
  before(async () => {
    sandbox = await startSandbox({ scale: 0 });
  });
  after(async () => sandbox?.close());
  beforeEach(async () => {
    recorder = await startServer((_req, res) => json(res, 200, { access_token: 'attacker-token', refresh_token: 'attacker-refresh' }));
  });
  afterEach(async () => recorder?.close());

  const conn = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
    id: 'live', name: 'Live', edition: 'custom', baseUrl: sandbox.url + API_PATH, clientId: SANDBOX_PUBLIC_CLIENT_ID, authority: sandbox.url, ...over,
  });

  /** A store holding a real session (refresh token from the sandbox) and a subscription key, both bound to `conn()`. */
  async function signedInStore() {
    const store = memoryStore();
    const minted = sandbox.mintToken();
    const creds = new ConnectionCredentials(store, conn());
    await creds.saveSession({ refreshToken: minted.refresh_token, account: { id: 'u', label: 'u' }, scopes: [], signedInAt: Date.now() });
    await creds.setSecret('subscriptionKey', KEY);
    return { store, refreshToken: minted.refresh_token };
  }

  async function sendWith(resolver: ConnectionResolver, c: ConnectionConfig): Promise<string> {
    const client = new Sage200Client({ ...resolver.resolve(c).clientOptions(), retry: { maxAttempts: 1 } });
    try {
      const res = await client.send({ method: 'GET', url: '/sites' });
      return String(res.status);
    } catch (e) {
      return (e as Error).message;
    } finally {
      client.dispose();
    }
  }

  it('normalises the origin: the API origin, and the authority with its path', () => {
    assert.deepStrictEqual(credentialOriginOf(conn({ baseUrl: 'HTTPS://Api.Example.com:443/a/b/', authority: 'https://login.example.com/tenant/' })), {
      api: 'https://api.example.com',
      authority: 'https://login.example.com/tenant',
    });
  });

  it('sends the session and key to the origin they were made for, and nothing to another API origin', async () => {
    const { store, refreshToken } = await signedInStore();
    const resolver = new ConnectionResolver({ secrets: store, registry: new SecretRegistry() });
    assert.strictEqual(await sendWith(resolver, conn()), '200');
    const moved = conn({ baseUrl: recorder.url + API_PATH });
    const outcome = await sendWith(resolver, moved);
    assert.deepStrictEqual(recorder.seen, [], 'the new origin received nothing');
    assert.match(outcome, /Your sign-in to "Live" was made for the API at http:\/\/127\.0\.0\.1:\d+, but the connection now points to the API at http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(outcome.includes(recorder.url) && outcome.includes(sandbox.url));
    assert.ok(!outcome.includes(refreshToken));
    // The subscription key is never handed out for the new origin, and the glue is told why.
    const resolved = resolver.resolve(moved);
    assert.strictEqual(await resolved.subscriptionKey(), undefined);
    assert.deepStrictEqual((await resolved.originChanges()).map((c) => c.kind), ['session', 'subscriptionKey']);
  });

  it('never refreshes at another authority, and never sends the client secret there', async () => {
    const { store, refreshToken } = await signedInStore();
    await new ConnectionCredentials(store, conn()).setSecret('clientSecret', 'client-secret-for-sandbox');
    const resolver = new ConnectionResolver({ secrets: store });
    const resolved = resolver.resolve(conn({ authority: recorder.url }));
    const e = await resolved.tokens.getAccessToken().then(() => undefined, (err: unknown) => err);
    assert.ok(isAuthError(e, 'origin_changed'), String(e));
    await assert.rejects(resolved.oauthConfig(), (err: Error) => isAuthError(err, 'origin_changed') && err.message.includes(`the sign-in server ${recorder.url}`));
    assert.deepStrictEqual(recorder.seen, []);
    // Nothing was deleted: pointing the connection back makes the session work again.
    assert.ok(store.values.get(sessionKey('live'))?.includes(refreshToken));
    assert.strictEqual((await resolver.resolve(conn()).credentials.session()).state, 'ok');
  });

  it('a new configuration starts without the tokens the old one held in memory', async () => {
    const { store } = await signedInStore();
    const resolver = new ConnectionResolver({ secrets: store });
    const before = resolver.resolve(conn());
    await before.tokens.getAccessToken();
    assert.strictEqual(resolver.resolve(conn()), before, 'the same configuration shares one token source');
    const after = resolver.resolve(conn({ baseUrl: recorder.url + API_PATH }));
    assert.notStrictEqual(after, before);
    assert.strictEqual(after.tokens.current, undefined);
  });

  it('treats secrets saved before binding as bound to nothing, and says so', async () => {
    const store = memoryStore();
    store.values.set(subscriptionKeyKey('live'), 'legacy-plain-key');
    store.values.set(clientSecretKey('live'), 'legacy-plain-secret');
    store.values.set(sessionKey('live'), JSON.stringify({ refreshToken: 'legacy-rt', account: { id: 'u', label: 'u' }, scopes: [], signedInAt: 1, authority: sandbox.url }));
    const creds = new ConnectionCredentials(store, conn());
    for (const read of [await creds.session(), await creds.subscriptionKey(), await creds.clientSecret()]) {
      assert.strictEqual(read.state, 'moved');
      if (read.state !== 'moved') continue;
      const text = describeOriginChange(read.change);
      assert.match(text, /saved by an earlier version that did not record which servers it belongs to, so it is not used\. .* for the API at http:\/\/127\.0\.0\.1:\d+ and the sign-in server http:\/\/127\.0\.0\.1:\d+\.$/);
      assert.ok(!/legacy-/.test(text));
    }
  });

  it('ignores what is not a credential in the store', async () => {
    const store = memoryStore();
    store.values.set(sessionKey('live'), '{not json');
    assert.deepStrictEqual(await new ConnectionCredentials(store, conn()).session(), { state: 'none' });
    store.values.set(sessionKey('live'), JSON.stringify({ refreshToken: 5 }));
    assert.deepStrictEqual(await new ConnectionCredentials(store, conn()).session(), { state: 'none' });
  });
});
