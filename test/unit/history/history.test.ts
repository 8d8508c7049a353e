import * as assert from 'assert';
import { History, HISTORY_KEY, HistoryEntry, HistoryInput, truncateUtf8 } from '../../../src/core/history';

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
    assert.ok(saved.includes('Bearer [redacted]'));
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
});
