/**
 * Re-send sends exactly what the request file resolved to, never the masked copy that history and
 * the webview show: against the sandbox (a real Sage-like API over loopback HTTP) and a recording
 * server, through the real request-file resolver, the real client and the viewer's message handler.
 */
import * as assert from 'assert';
import { fake, installFakeVscode, state, Memento, until } from './fakeVscode';
import { startSandbox, RunningSandbox } from '../../../src/core/sandbox';
import { Sage200Client, SecretRegistry } from '../../../src/core/http';
import type { HttpResponse } from '../../../src/core/http/types';
import { FileAnalysis } from '../../../src/core/language';
import { resolveRequest } from '../../../src/core/requestFile';
import { HISTORY_KEY } from '../../../src/core/history';
import { startServer, json as answer, TestServer } from '../http/servers';

installFakeVscode();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ResponseViewer } = require('../../../src/viewer') as typeof import('../../../src/viewer');

/** What the user answered to each modal question, and what was asked. */
const dialogs = { asked: [] as string[], answer: 'yes' as 'yes' | 'no' };
const commandsRun: unknown[][] = [];
const window = fake.window as Record<string, unknown>;
window.showWarningMessage = async (message: string, _options: unknown, ...items: string[]) => {
  dialogs.asked.push(message);
  return dialogs.answer === 'yes' ? items[0] : undefined;
};
(fake.commands as Record<string, unknown>).executeCommand = async (...args: unknown[]) => {
  commandsRun.push(args);
  return undefined;
};

/** Resolves request `name` of a .sage200 text as Send does (relative URL, `$dotenv` from `env`). */
async function resolved(text: string, name: string, env: Record<string, string>, secrets: SecretRegistry) {
  const fa = new FileAnalysis(text);
  const request = fa.file.requests.find((r) => r.name === name);
  assert.ok(request, `request ${name}`);
  return resolveRequest(fa.file, request, {
    host: {
      dotenv: (n) => {
        secrets.add(env[n]);
        return env[n];
      },
    },
  });
}

interface Harness {
  client: Sage200Client;
  secrets: SecretRegistry;
  sends: { method: string; url: string; body?: string }[];
  api: { send(req: { method: string; url: string; headers?: Record<string, string>; body?: string }): Promise<HttpResponse> };
}

function harness(baseUrl: string, token: string, site?: { site_id: string; company_id: number }): Harness {
  const secrets = new SecretRegistry();
  secrets.add(token);
  const client = new Sage200Client({
    baseUrl,
    tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined },
    retry: { maxAttempts: 1 },
    secrets,
  });
  const sends: Harness['sends'] = [];
  return {
    client,
    secrets,
    sends,
    api: {
      send: (req) => {
        sends.push({ method: req.method, url: req.url, ...(req.body !== undefined ? { body: req.body } : {}) });
        return client.send(req, site ? { site: site.site_id, company: site.company_id } : {});
      },
    },
  };
}

describe('Re-send sends what the request resolved to', function () {
  this.timeout(60_000);
  let sb: RunningSandbox;
  let token = '';
  let site: { site_id: string; company_id: number };
  before(async () => {
    sb = await startSandbox({ scale: 1 });
    token = sb.mintToken().access_token;
    const sites = (await (await fetch(`${sb.standardBaseUrl}/sites`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { site_id: string; company_id: number }[];
    site = sites[0];
  });
  after(async () => {
    await sb?.close();
  });
  beforeEach(() => {
    state.panels.length = 0;
    dialogs.asked.length = 0;
    dialogs.answer = 'yes';
    commandsRun.length = 0;
  });

  /** The viewer sends the URL the client resolved; Send gave the client the relative one. */
  const sameTarget = (s: { method: string; url: string; body?: string }) => ({ ...s, url: s.url.startsWith('http') ? s.url : sb.standardBaseUrl + s.url });

  async function bank(h: Harness, id: number): Promise<Record<string, unknown>> {
    const res = await h.client.send({ method: 'GET', url: `/banks/${id}` }, { site: site.site_id, company: site.company_id });
    assert.strictEqual(res.status, 200);
    return res.json as Record<string, unknown>;
  }

  it('a POST and a PUT re-sent from the viewer store exactly what the file says in the sandbox, after a confirmation', async () => {
    const h = harness(sb.standardBaseUrl, token, site);
    const memento = new Memento();
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: memento as never, api: h.api as never, secrets: h.secrets });
    const file = [
      '### New bank',
      '# @name create',
      'POST /banks',
      'Content-Type: application/json',
      '',
      '{ "code": "WIDGET01", "sort_code": "{{$dotenv SORT_CODE}}", "description": "Widget bank", "account_name": "{{$dotenv ACCOUNT}}" }',
      '',
      '### Rename bank',
      '# @name rename',
      'PUT /banks/{{id}}',
      'Content-Type: application/json',
      '',
      '{ "code": "WIDGET02", "description": "renamed", "account_name": "{{$dotenv ACCOUNT}}" }',
      '',
    ].join('\n');
    const env = { SORT_CODE: '40-11-62', ACCOUNT: 'Acct-93561' };
    try {
      const create = await resolved(file, 'create', env, h.secrets);
      const first = await h.api.send(create);
      assert.ok(first.status < 300, new TextDecoder().decode(first.body));
      const firstId = (first.json as { id: number }).id;
      assert.ok(JSON.stringify(first.request).includes('***'), 'the recorded request is masked ($dotenv values)');
      await viewer.show({ response: first, source: { uri: 'file:///w/banks.sage200', requestIndex: 0 } });
      const panel = state.panels[0];
      panel.webview.received.fire({ type: 'ready' });
      await until(() => panel.webview.posted.some((m) => m.type === 'end'), 'the first response');

      panel.webview.received.fire({ type: 'resend' });
      await until(() => h.sends.length === 2, 'the re-sent POST');
      await until(() => panel.webview.posted.filter((m) => m.type === 'end').length === 2, 'the re-sent response');
      assert.deepStrictEqual(sameTarget(h.sends[1]), sameTarget(h.sends[0]), 'Re-send sent the resolved request itself');
      assert.match(dialogs.asked[0], /^Send POST \/banks again\?/);
      const listed = await h.client.send({ method: 'GET', url: "/banks?$filter=code eq 'WIDGET01'&$orderby=id desc" }, { site: site.site_id, company: site.company_id });
      const copies = listed.json as { id: number; code: string; sort_code: string; account_name: string }[];
      assert.strictEqual(copies.length, 2, 'the POST was sent twice');
      for (const b of copies) assert.deepStrictEqual([b.code, b.sort_code, b.account_name], ['WIDGET01', '40-11-62', 'Acct-93561']);

      const rename = await resolved(file.replace('{{id}}', String(firstId)), 'rename', env, h.secrets);
      const put = await h.api.send(rename);
      assert.strictEqual(put.status, 200);
      await viewer.show({ response: put });
      await until(() => panel.webview.posted.filter((m) => m.type === 'end').length === 3, 'the PUT response');
      // Someone changes the record; Re-send puts the file's values back.
      await h.client.send({ method: 'PUT', url: `/banks/${firstId}`, body: JSON.stringify({ code: 'OTHER', account_name: 'other' }) }, { site: site.site_id, company: site.company_id });
      panel.webview.received.fire({ type: 'resend' });
      await until(() => h.sends.length === 4, 'the re-sent PUT');
      await until(() => panel.webview.posted.filter((m) => m.type === 'end').length === 4, 'the re-sent PUT response');
      assert.deepStrictEqual(sameTarget(h.sends[3]), sameTarget(h.sends[2]));
      const stored = await bank(h, firstId);
      assert.deepStrictEqual([stored.code, stored.description, stored.account_name], ['WIDGET02', 'renamed', 'Acct-93561']);
      assert.strictEqual(dialogs.asked.length, 2, 'each write re-sent was confirmed');
      assert.ok(!memento.raw().includes('Acct-93561') && !memento.raw().includes(token), 'history keeps neither the $dotenv value nor the token');
    } finally {
      viewer.dispose();
      h.client.dispose();
    }
  });

  it('a POST and a PUT with code, token and password fields are re-sent byte for byte', async () => {
    let server: TestServer | undefined;
    server = await startServer((_req, res, body) => answer(res, 200, { stored: JSON.parse(body || 'null') as unknown }));
    const h = harness(server.url, 'api-token-0123456789');
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: new Memento() as never, api: h.api as never, secrets: h.secrets });
    try {
      const file = [
        '### create', '# @name create', 'POST /products', 'Content-Type: application/json', '',
        '{ "code": "WIDGET-01", "token": "{{$dotenv PARTNER_TOKEN}}", "password": "{{$dotenv PASSWORD}}", "name": "Widget" }', '',
        '### update', '# @name update', 'PUT /products/7', 'Content-Type: application/json', '',
        '{\n  "code": "WIDGET-01",\n  "token": "tok-plain-1",\n  "password": "hunter22"\n}', '',
      ].join('\n');
      const env = { PARTNER_TOKEN: 'ptok-55aa66bb', PASSWORD: 's3cret-pass' };
      for (const [i, name] of ['create', 'update'].entries()) {
        const req = await resolved(file, name, env, h.secrets);
        const res = await h.api.send(req);
        await viewer.show({ response: res });
        const panel = state.panels[0];
        if (i === 0) panel.webview.received.fire({ type: 'ready' });
        const before = server.seen.length;
        panel.webview.received.fire({ type: 'resend' });
        await until(() => server!.seen.length === before + 1, `the re-sent ${name}`);
        const [original, again] = server.seen.slice(-2);
        assert.strictEqual(again.method, req.method);
        assert.strictEqual(again.body, req.body, `${name}: the body re-sent is the file's`);
        assert.strictEqual(again.body, original.body);
        assert.ok(!again.body.includes('***'));
      }
      assert.deepStrictEqual(JSON.parse(server.seen[1].body), { code: 'WIDGET-01', token: 'ptok-55aa66bb', password: 's3cret-pass', name: 'Widget' });
    } finally {
      viewer.dispose();
      h.client.dispose();
      await server?.close();
      server = undefined;
    }
  });

  it('the question before a write is re-sent does not show a $dotenv value of its URL', async () => {
    const server = await startServer((_req, res) => answer(res, 200, {}));
    const h = harness(server.url, 'api-token-0123456789');
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: new Memento() as never, api: h.api as never, secrets: h.secrets });
    try {
      const file = '### hook\n# @name hook\nPOST /partner_hook?signature={{$dotenv API_SECRET}}\n\n{ "a": 1 }\n';
      const req = await resolved(file, 'hook', { API_SECRET: 'Pa$$ word@2024' }, h.secrets);
      await viewer.show({ response: await h.api.send(req) });
      const panel = state.panels[0];
      panel.webview.received.fire({ type: 'ready' });
      dialogs.answer = 'no';
      panel.webview.received.fire({ type: 'resend' });
      await until(() => dialogs.asked.length === 1, 'the question');
      assert.strictEqual(dialogs.asked[0], 'Send POST /partner_hook?signature=*** again?');
    } finally {
      viewer.dispose();
      h.client.dispose();
      await server.close();
    }
  });

  it('a write that is not confirmed is not sent', async () => {
    const server = await startServer((_req, res) => answer(res, 200, {}));
    const h = harness(server.url, 'api-token-0123456789');
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: new Memento() as never, api: h.api as never });
    try {
      await viewer.show({ response: await h.api.send({ method: 'DELETE', url: '/products/7' }) });
      const panel = state.panels[0];
      panel.webview.received.fire({ type: 'ready' });
      dialogs.answer = 'no';
      panel.webview.received.fire({ type: 'resend' });
      await until(() => dialogs.asked.length === 1, 'the question');
      await new Promise((r) => setTimeout(r, 100));
      assert.strictEqual(server.seen.length, 1, 'nothing was sent again');
      // A read is sent again without a question.
      await viewer.show({ response: await h.api.send({ method: 'GET', url: '/products/7' }) });
      panel.webview.received.fire({ type: 'resend' });
      await until(() => server.seen.length === 3, 'the re-sent GET');
      assert.strictEqual(dialogs.asked.length, 1);
    } finally {
      viewer.dispose();
      h.client.dispose();
      await server.close();
    }
  });

  it('from history, a masked request is resolved again from its file, or refused when it has none', async () => {
    const server = await startServer((_req, res) => answer(res, 200, { ok: true }));
    const h = harness(server.url, 'api-token-0123456789');
    const memento = new Memento();
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: memento as never, api: h.api as never, secrets: h.secrets });
    try {
      h.secrets.add('pw-from-dotenv');
      const masked = await h.api.send({ method: 'POST', url: '/products', body: '{"code":"A1","password":"pw-from-dotenv"}' });
      state.documents.set('file:///w/products.sage200', ['GET /a', 'GET /b', 'GET /c', 'POST /products', ''].join('\n###\n'));
      await viewer.show({ response: masked, connectionId: 'tenant-1', source: { uri: 'file:///w/products.sage200', requestIndex: 3 } });
      const noSource = await h.api.send({ method: 'PUT', url: '/products/1', body: '{"token":"tok-abcdef"}' });
      await viewer.show({ response: noSource });
      const read = await h.api.send({ method: 'GET', url: '/products?$top=5' });
      await viewer.show({ response: read });
      const entries = memento.get<{ id: string; request: { method: string } }[]>(HISTORY_KEY) ?? [];
      assert.deepStrictEqual(entries.map((e) => e.request.method), ['GET', 'PUT', 'POST']);
      const resendCommand = viewer.commands['sage200.history.resend'];
      const seen = server.seen.length;

      await resendCommand({ id: entries[2].id });
      assert.strictEqual(server.seen.length, seen, 'the masked POST was not sent from history');
      assert.match(dialogs.asked[0], /^Send POST \/products again\?/);
      assert.deepStrictEqual(commandsRun.map((c) => [c[0], String(c[1]), c[2]]), [['sage200.sendRequest', 'file:///w/products.sage200', 3]]);
      assert.deepStrictEqual(commandsRun[0][3], { method: 'POST', url: masked.request.url, connectionId: 'tenant-1' }, 'Send checks that it is the same request, to the same connection');

      await assert.rejects(Promise.resolve(resendCommand({ id: entries[1].id })), /stored with its secrets masked and did not come from a request file/);
      assert.strictEqual(server.seen.length, seen);

      await resendCommand({ id: entries[0].id });
      await until(() => server.seen.length === seen + 1, 'the re-sent GET');
      assert.strictEqual(server.seen[seen].url, '/products?$top=5');
      assert.strictEqual(server.seen[seen].headers.authorization, 'Bearer api-token-0123456789', 'the client adds the credential itself');
    } finally {
      viewer.dispose();
      h.client.dispose();
      await server.close();
    }
  });
});
