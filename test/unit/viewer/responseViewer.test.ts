/**
 * src/viewer against a real sandbox, with a stand-in for the `vscode` module: the test plays the
 * webview's side of the protocol (`ready`, then buttons) and checks what the extension posts.
 */
import * as assert from 'assert';
import { installFakeVscode, state, FakePanel, Memento, until } from './fakeVscode';
import { startSandbox, RunningSandbox } from '../../../src/core/sandbox';
import type { HttpResponse } from '../../../src/core/http/types';
import { SecretRegistry } from '../../../src/core/http/redact';
import { FIRST_CHUNK_CHARS } from '../../../src/core/viewer/arrayStream';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ResponseViewer } = require('../../../src/viewer') as typeof import('../../../src/viewer');

/** A minimal client over plain fetch, the way Sage200Api answers (redacted request recorded). */
function sandboxApi(sb: RunningSandbox, site: { site_id: string; company_id: number }, token: string) {
  const calls: string[] = [];
  const send = async (req: { method: string; url: string; headers?: Record<string, string>; body?: string }): Promise<HttpResponse> => {
    const url = req.url.startsWith('http') ? req.url : `${sb.standardBaseUrl}${req.url}`;
    calls.push(url);
    const started = Date.now();
    const headers = { 'X-Site': site.site_id, 'X-Company': String(site.company_id), ...req.headers };
    const res = await fetch(url, { method: req.method, headers: { ...headers, Authorization: `Bearer ${token}` }, body: req.body });
    const body = new Uint8Array(await res.arrayBuffer());
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(body));
    } catch {
      json = undefined;
    }
    return {
      status: res.status,
      statusText: res.statusText,
      headers: Object.fromEntries(res.headers.entries()),
      body,
      json,
      size: body.length,
      timing: { totalMs: Date.now() - started },
      request: { method: req.method, url, headers: { ...headers, Authorization: 'Bearer ***' } },
      attempts: 1,
    };
  };
  const fetchAllCalls: { site?: string; company?: number | string }[] = [];
  const fetchAll = async (path: string, o: { site?: string; company?: number | string; onPage(records: unknown[], info: { page: number; records: number }): unknown }) => {
    fetchAllCalls.push({ site: o.site, company: o.company });
    const pair: Record<string, string> = {};
    if (o.site !== undefined) pair['X-Site'] = o.site;
    if (o.company !== undefined) pair['X-Company'] = String(o.company);
    let records = 0;
    let page = 0;
    for (;;) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await send({ method: 'GET', url: `${path}${sep}$orderby=id%20asc&$top=400&$skip=${page * 400}`, headers: pair });
      const recs = r.json as unknown[];
      page++;
      records += recs.length;
      await o.onPage(recs, { page, records });
      if (recs.length < 400) return { pages: page, records, addedOrderBy: true };
    }
  };
  return { send, fetchAll, calls, fetchAllCalls };
}

/** The body the webview would assemble from the last `response` + chunks + `end`. */
function lastBody(p: FakePanel): { meta: Record<string, unknown>; text: string } | undefined {
  const posted = p.webview.posted;
  const endAt = posted.map((m) => m.type).lastIndexOf('end');
  if (endAt < 0) return undefined;
  const id = posted[endAt].id;
  const start = posted.findIndex((m) => m.type === 'response' && (m.meta as { id: string }).id === id);
  const chunks = posted.slice(start + 1, endAt).filter((m) => m.type === 'chunk' && m.id === id);
  chunks.forEach((c, i) => assert.strictEqual(c.seq, i, 'chunks arrive in order'));
  return { meta: posted[start].meta as Record<string, unknown>, text: chunks.map((c) => c.text as string).join('') };
}

describe('response viewer (extension side) with the sandbox', function () {
  this.timeout(60_000);
  let sb: RunningSandbox;
  let api: ReturnType<typeof sandboxApi>;
  let token = '';
  before(async () => {
    sb = await startSandbox({ scale: 1 });
    token = sb.mintToken().access_token;
    const sites = (await (await fetch(`${sb.standardBaseUrl}/sites`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { site_id: string; company_id: number }[];
    api = sandboxApi(sb, sites[0], token);
  });
  after(async () => {
    await sb?.close();
  });
  beforeEach(() => {
    state.panels.length = 0;
  });

  it('waits for ready, sends the body in ordered chunks, pages with $skip and $orderby, and keeps history without secrets', async () => {
    const memento = new Memento();
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: memento as never, api });
    try {
      const first = await api.send({ method: 'GET', url: '/customers?$top=300' });
      await viewer.show({ response: first, site: 'Demo', company: 'Bramley' });
      const panel = state.panels[0];
      assert.ok(panel, 'a panel opened');
      assert.match(panel.webview.html, /default-src 'none'/);
      assert.match(panel.webview.html, /script-src 'nonce-[A-Za-z0-9+/=]{24}'/);
      assert.strictEqual(panel.webview.posted.length, 0, 'nothing is posted before the webview is ready');
      panel.webview.received.fire({ type: 'ready' });
      const shown = await until(() => lastBody(panel), 'the first page');
      assert.strictEqual(shown.text, new TextDecoder().decode(first.body));
      assert.strictEqual((shown.meta.paging as { canNext: boolean }).canNext, true);
      assert.match(String((shown.meta.paging as { note?: string }).note), /\$orderby=id asc/);
      assert.ok(panel.webview.posted.filter((m) => m.type === 'chunk').length > 1, 'a 1 MB body travels in several chunks');

      panel.webview.received.fire({ type: 'page', direction: 'next' });
      await until(() => (lastBody(panel)?.meta.url as string | undefined)?.includes('$skip=300'), 'the next page');
      assert.match(api.calls[api.calls.length - 1], /\$orderby=id%20asc&\$top=300&\$skip=300$/);
      const page2 = JSON.parse(lastBody(panel)?.text ?? '[]') as { id: number }[];
      const page1 = JSON.parse(shown.text) as { id: number }[];
      assert.strictEqual(page2.length, 300);
      assert.ok(page2[0].id > page1[page1.length - 1].id, 'the next page continues after the first');
      assert.match(String(lastBody(panel)?.meta.paging && (lastBody(panel)?.meta.paging as { note: string }).note), /Added \$orderby=id asc/);

      panel.webview.received.fire({ type: 'page', direction: 'previous' });
      await until(() => (lastBody(panel)?.meta.url as string | undefined)?.endsWith('$top=300'), 'the previous page');

      panel.webview.received.fire({ type: 'copyBody' });
      await until(() => state.clipboard.startsWith('[{'), 'the copied body');

      const items = state.treeProvider?.getChildren() ?? [];
      assert.strictEqual(items.length, 3, 'three requests in history');
      assert.ok(!/Bearer (?!\*\*\*|\[redacted\])/.test(memento.raw()), 'no bearer token in workspace state');
      assert.ok(token.length > 10 && !memento.raw().includes(token), 'the access token is not in workspace state');
    } finally {
      viewer.dispose();
    }
  });

  it('loads all pages into one response, and restores a panel from history after a reload', async () => {
    const memento = new Memento();
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: memento as never, api });
    try {
      const firstPage = await api.send({ method: 'GET', url: '/customers?$top=50&$select=id,name' });
      await viewer.show({ response: firstPage });
      const panel = state.panels[0];
      panel.webview.received.fire({ type: 'ready' });
      await until(() => lastBody(panel), 'the first page');
      panel.webview.received.fire({ type: 'loadAll' });
      const all = await until(() => {
        const b = lastBody(panel);
        return b && (JSON.parse(b.text) as unknown[]).length > 50 ? b : undefined;
      }, 'all pages', 30_000);
      const records = JSON.parse(all.text) as { id: number }[];
      assert.strictEqual(records.length, 1000, 'every sandbox customer at scale 1');
      // Load all pages through the site and company the response came from, not the active pair.
      const sent = firstPage.request.headers;
      assert.ok(sent['X-Site'] && sent['X-Company'], 'the first page was sent with a site and company');
      assert.deepStrictEqual(api.fetchAllCalls[api.fetchAllCalls.length - 1], { site: sent['X-Site'], company: sent['X-Company'] });
      assert.strictEqual(new Set(records.map((r) => r.id)).size, 1000);
      assert.ok(panel.webview.posted.some((m) => m.type === 'progress'), 'progress was reported');
      assert.ok(panel.webview.posted.some((m) => m.type === 'idle'));

      // A window reload: VS Code hands a new panel to the serializer, the webview says ready with its state.
      const restored = new FakePanel('sage200.response');
      await state.serializer?.deserializeWebviewPanel(restored, undefined);
      restored.webview.received.fire({ type: 'ready', state: { responseId: String(all.meta.id) } });
      const again = await until(() => lastBody(restored), 'the restored response');
      assert.strictEqual(again.meta.fromHistory, true);
      assert.strictEqual(again.meta.truncated, undefined, 'a 1,000-customer body fits in history');

      const gone = new FakePanel('sage200.response');
      await state.serializer?.deserializeWebviewPanel(gone, undefined);
      gone.webview.received.fire({ type: 'ready', state: { responseId: 'no-such-entry#1' } });
      await until(() => gone.webview.posted.find((m) => m.type === 'empty'), 'the empty message');
    } finally {
      viewer.dispose();
    }
  });
});

describe('response viewer: the body in the webview', () => {
  it('has registered secret values masked, as history has, also where a chunk boundary cuts one', async () => {
    const secrets = new SecretRegistry();
    secrets.add('dotenv-pass-5566');
    const memento = new Memento();
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: memento as never, secrets });
    try {
      // The second value starts 5 characters before the end of the first 64 KB chunk.
      const head = '[{"id":7,"web_password":"dotenv-pass-5566","notes":"';
      const text = `${head}${'x'.repeat(FIRST_CHUNK_CHARS - 5 - head.length)}dotenv-pass-5566"}]`;
      const body = new TextEncoder().encode(text);
      const json = JSON.parse(text) as unknown;
      const res: HttpResponse = {
        status: 201, statusText: 'Created', headers: { 'content-type': 'application/json' }, body, json, size: body.length,
        timing: { totalMs: 1 }, request: { method: 'POST', url: 'http://x/customers', headers: {} }, attempts: 1,
      };
      await viewer.show({ response: res });
      const panel = state.panels[state.panels.length - 1];
      panel.webview.received.fire({ type: 'ready' });
      await until(() => panel.webview.posted.some((m) => m.type === 'end'), 'the body');
      const chunks = panel.webview.posted.filter((m) => m.type === 'chunk').map((m) => String(m.text));
      assert.strictEqual(chunks.length, 2, 'the body crossed a chunk boundary');
      const shown = chunks.join('');
      assert.ok(!shown.includes('dotenv-pass-5566') && !shown.includes('5566'), 'a registered secret reached the webview');
      assert.strictEqual(shown, text.split('dotenv-pass-5566').join('***'));
      assert.ok(!memento.raw().includes('dotenv-pass-5566'), 'history masks it too');
    } finally {
      viewer.dispose();
    }
  });
});
