import * as assert from 'assert';
import { History, HISTORY_KEY, HistoryEntry, HistoryInput, isIntact, truncateUtf8 } from '../../../src/core/history';
import { REDACTED, SecretRegistry } from '../../../src/core/http/redact';

class MemoryStore {
  readonly data = new Map<string, unknown>();
  writes = 0;
  get<T>(key: string): T | undefined {
    // Round-trip through JSON as workspaceState does, so nothing non-serialisable survives.
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.writes++;
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

const enc = new TextEncoder();
function input(n: number, body = `[{"id":${n}}]`, extra: Partial<HistoryInput> = {}): HistoryInput {
  return {
    request: { method: 'GET', url: `https://h/customers?$top=${n}`, headers: { Authorization: 'Bearer SECRET-TOKEN', 'X-Site': 's' } },
    response: { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json', 'set-cookie': 'sid=SECRET-COOKIE' }, body: enc.encode(body), timing: { totalMs: 12 } },
    site: 'Site',
    company: 'Co',
    ...extra,
  };
}

describe('history', () => {
  it('keeps the last 50, newest first, and persists them', async () => {
    const store = new MemoryStore();
    const h = new History(store);
    for (let i = 1; i <= 60; i++) await h.add(input(i));
    assert.strictEqual(h.list().length, 50);
    assert.strictEqual(h.list()[0].request.url, 'https://h/customers?$top=60');
    assert.strictEqual(h.list()[49].request.url, 'https://h/customers?$top=11');
    const again = new History(store);
    assert.deepStrictEqual(again.list().map((e) => e.id), h.list().map((e) => e.id));
    assert.strictEqual(new Set(h.list().map((e) => e.id)).size, 50);
  });

  it('marks an entry from a test run passed or failed, and keeps the mark', async () => {
    const store = new MemoryStore();
    const h = new History(store);
    await h.add(input(1, undefined, { test: 'failed' }));
    await h.add(input(2));
    assert.deepStrictEqual(new History(store).list().map((e) => e.test), [undefined, 'failed']);
  });

  it('stores no secrets: headers, URL tokens and token bodies are redacted', async () => {
    const store = new MemoryStore();
    const h = new History(store);
    await h.add(
      input(1, '{"access_token":"SECRET-AT","refresh_token":"SECRET-RT","token_type":"Bearer"}', {
        request: { method: 'POST', url: 'https://id/oauth/token?code=SECRET-CODE', headers: { 'Ocp-Apim-Subscription-Key': 'SECRET-KEY' }, body: 'grant_type=authorization_code&code=SECRET-CODE&client_secret=SECRET-CS' },
      }),
    );
    await h.add(input(2));
    const saved = JSON.stringify(store.data.get(HISTORY_KEY));
    assert.ok(!/SECRET/.test(saved), `history leaked a secret: ${saved.match(/.{40}SECRET.{20}/)?.[0]}`);
    assert.ok(saved.includes(`Bearer ${REDACTED}`));
    assert.ok(saved.includes('token_type'));
  });

  it('truncates bodies above 1 MB without splitting a character, and says so', async () => {
    const h = new History(new MemoryStore());
    const big = JSON.stringify(['€'.repeat(400_000)]); // 1.2 MB in UTF-8
    const e = await h.add(input(1, big));
    assert.strictEqual(e.response.truncated, true);
    assert.strictEqual(e.response.size, enc.encode(big).length);
    assert.ok(enc.encode(e.response.body).length <= 1024 * 1024);
    assert.ok(!e.response.body.includes('\ufffd'));
    const small = await h.add(input(2));
    assert.strictEqual(small.response.truncated, false);
    assert.strictEqual(small.response.body, '[{"id":2}]');
    const t = truncateUtf8(enc.encode('a€'), 2);
    assert.deepStrictEqual(t, { text: 'a', truncated: true });
  });

  it('finds, removes and clears entries; ignores corrupt saved state', async () => {
    const store = new MemoryStore();
    await store.update(HISTORY_KEY, [{ junk: true }, null, 'x']);
    const h = new History(store);
    assert.strictEqual(h.list().length, 0);
    const a: HistoryEntry = await h.add(input(1));
    await h.add(input(2));
    assert.strictEqual(h.get(a.id)?.request.url, 'https://h/customers?$top=1');
    await h.remove(a.id);
    assert.strictEqual(h.get(a.id), undefined);
    await h.clear();
    assert.deepStrictEqual(store.get(HISTORY_KEY), []);
  });

  it('keeps the connection a request went to, and loads entries stored before it did', async () => {
    const store = new MemoryStore();
    const h = new History(store);
    await h.add(input(1));
    const older = JSON.parse(JSON.stringify(h.list()[0])) as Record<string, unknown>;
    delete older.connectionId;
    await h.add(input(2, undefined, { connectionId: 'tenant-1' }));
    const again = new History(store);
    assert.strictEqual(again.list()[0].connectionId, 'tenant-1');
    assert.ok(!('connectionId' in again.list()[1]), 'no connection is made up for an entry without one');
    await store.update(HISTORY_KEY, [older]);
    assert.strictEqual(new History(store).list().length, 1, 'an entry from before is still read');
    assert.ok(!JSON.stringify(store.data.get(HISTORY_KEY)).includes('SECRET'));
  });

  it('keeps hand-written credential headers, JSON keys ending in token and $dotenv/$prompt values out', async () => {
    const store = new MemoryStore();
    const secrets = new SecretRegistry();
    // What Send registers for `{{$dotenv PARTNER_PIN}}` and `{{$prompt memo}}`.
    secrets.add('PIN-778812');
    secrets.add('prompted value 42');
    const h = new History(store, { secrets });
    await h.add(input(1, '{"sessionToken":"SECRET-ST","echo":"PIN-778812","code":"WIDGET-01"}', {
      request: {
        method: 'POST',
        url: 'https://h/products?pin=PIN-778812',
        headers: { 'X-Auth-Token': 'SECRET-XAT', 'x-partner-secret': 'SECRET-PS', 'X-Api-Key': 'SECRET-AK', 'X-Site': 's' },
        body: '{"code":"WIDGET-01","token":"SECRET-T","password":"SECRET-P","memo":"prompted value 42"}',
      },
    }));
    const saved = JSON.stringify(store.data.get(HISTORY_KEY));
    for (const leak of ['SECRET', 'PIN-778812', 'prompted value 42']) assert.ok(!saved.includes(leak), `history kept ${leak}: ${saved}`);
    assert.ok(saved.includes('WIDGET-01'), 'record fields such as code stay readable');
  });

  it('says whether the stored request is what was sent', async () => {
    const h = new History(new MemoryStore());
    const sent = { method: 'POST', url: 'https://h/products', headers: { Authorization: 'Bearer SECRET-TOKEN-1234' }, body: '{"code":"A"}' };
    const plain = await h.add({ ...input(1), request: sent, original: { method: 'POST', url: 'https://h/products', headers: {}, body: '{"code":"A"}' } });
    assert.strictEqual(plain.masked, false);
    assert.ok(isIntact(plain), 'only the client-added credential was masked');
    const withSecret = await h.add({ ...input(2), request: { ...sent, body: '{"password":"p4ssw0rd"}' }, original: { method: 'POST', url: 'https://h/products', headers: {}, body: '{"password":"p4ssw0rd"}' } });
    assert.strictEqual(withSecret.masked, true);
    assert.ok(!isIntact(withSecret));
    // Entries saved before the flag existed are judged from their text.
    assert.ok(isIntact({ request: { method: 'GET', url: 'https://h/c', headers: { Authorization: `Bearer ${REDACTED}` } } }));
    assert.ok(!isIntact({ request: { method: 'PUT', url: 'https://h/c', headers: {}, body: `{"token":"${REDACTED}"}` } }));
    assert.ok(!isIntact({ request: { method: 'GET', url: 'https://h/c', headers: { 'X-Auth-Token': REDACTED } } }));
  });
});
