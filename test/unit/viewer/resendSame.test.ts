/**
 * History's Re-send sends the same request to the same connection, or nothing: through the real
 * viewer, the real Send (SendController, its parser and resolver), the real client and a recording
 * HTTP server. The file is edited between the first send and the re-send, as users do.
 */
import * as assert from 'assert';
import { fake, FakePanel, installFakeVscode, routeVscode, state, Memento, until } from './fakeVscode';
import { Sage200Client, SecretRegistry } from '../../../src/core/http';
import type { HttpResponse } from '../../../src/core/http/types';
import { HISTORY_KEY } from '../../../src/core/history';
import { startServer, json as answer, TestServer } from '../http/servers';

installFakeVscode();
/** The request files, by URI: the viewer reads them through `state.documents`, Send through `lang`. */
const versions = new Map<string, number>();
const errors: string[] = [];
const anyMember = new Proxy({}, { get: () => 0 });
const lang = {
  ...fake,
  ...Object.fromEntries(['CodeActionKind', 'CompletionItemKind', 'DiagnosticSeverity', 'FoldingRangeKind', 'SymbolKind'].map((k) => [k, anyMember])),
  CancellationError: class extends Error {},
  ProgressLocation: { Window: 10, Notification: 15 },
  workspace: {
    onDidCloseTextDocument: () => ({ dispose() {} }),
    openTextDocument: async (u: { toString(): string; fsPath: string }) => {
      const key = u.toString();
      return {
        uri: u,
        get version() {
          return versions.get(key) ?? 0;
        },
        languageId: 'sage200',
        getText: () => state.documents.get(key) ?? '',
        positionAt: () => ({ line: 0, character: 0 }),
      };
    },
  },
  window: {
    ...fake.window,
    visibleTextEditors: [],
    activeTextEditor: undefined,
    showErrorMessage: async (m: string) => {
      errors.push(m);
      return undefined;
    },
    showInputBox: async () => 'partner-key-99887',
  },
};
routeVscode(/[\\/]src[\\/](language[\\/]|notify\.ts$)/, lang);
// Copies that an earlier suite loaded answer to its stand-in: load our own.
for (const file of Object.keys(require.cache)) if (/[\\/]src[\\/](language[\\/]|notify\.ts$)/.test(file)) delete require.cache[file];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ResponseViewer } = require('../../../src/viewer') as typeof import('../../../src/viewer');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SendController } = require('../../../src/language/sendController') as typeof import('../../../src/language/sendController');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DocumentAnalyses } = require('../../../src/language/providers') as typeof import('../../../src/language/providers');
// These copies answer to `lang`; suites loaded later load their own, with their own stand-in.
for (const file of Object.keys(require.cache)) if (/[\\/]src[\\/](language[\\/]|notify\.ts$)/.test(file)) delete require.cache[file];

const asked: string[] = [];
/** What the user does while the modal question is open; then answers yes. */
let whileAsking: () => void = () => {};
const window = fake.window as Record<string, unknown>;
const commands = fake.commands as Record<string, unknown>;
/** The other viewer suites set their own answers on the shared stand-in: these are put back after. */
let saved: { showWarningMessage: unknown; executeCommand: unknown } | undefined;
function answerYes(): void {
  before(() => {
    saved = { showWarningMessage: window.showWarningMessage, executeCommand: commands.executeCommand };
    window.showWarningMessage = async (m: string, _o: unknown, ...items: string[]) => {
      asked.push(m);
      whileAsking();
      return items[0];
    };
  });
  after(() => {
    window.showWarningMessage = saved?.showWarningMessage;
    commands.executeCommand = saved?.executeCommand;
  });
}

const FILE = 'file:///w/a.sage200';
const uri = fake.Uri.parse(FILE);
function edit(text: string): void {
  state.documents.set(FILE, text);
  versions.set(FILE, (versions.get(FILE) ?? 0) + 1);
}

interface Rig {
  server: TestServer;
  viewer: InstanceType<typeof ResponseViewer>;
  controller: InstanceType<typeof SendController>;
  memento: Memento;
  /** The connection Send sees as active. */
  active: { connectionId?: string };
  seen(): string[];
  resendLatest(): Promise<unknown>;
  dispose(): Promise<void>;
}

async function rig(): Promise<Rig> {
  const server = await startServer((_q, res) => answer(res, 200, []));
  const secrets = new SecretRegistry();
  const client = new Sage200Client({ baseUrl: server.url, secrets, retry: { maxAttempts: 1 } });
  const api = { send: (req: { method: string; url: string; headers?: Record<string, string>; body?: string }) => client.send(req) };
  const memento = new Memento();
  const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: memento as never, api: api as never, secrets });
  const active: Rig['active'] = { connectionId: 'tenant-1' };
  const controller = new SendController({
    analyses: new DocumentAnalyses(),
    sender: api as never,
    context: () => ({ ...active }),
    variables: () => ({ environments: {} }),
    showResponse: viewer.showResponse,
    accessToken: async () => undefined,
    secrets,
  });
  commands.executeCommand = async (_c: string, u: unknown, i: number, expected: unknown) =>
    controller.send(u as never, i, expected as never);
  return {
    server, viewer, controller, memento, active,
    seen: () => server.seen.map((s) => `${s.method} ${s.url}`),
    resendLatest: () => {
      const entries = memento.get<{ id: string }[]>(HISTORY_KEY) ?? [];
      return Promise.resolve(viewer.commands['sage200.history.resend']({ id: entries[0].id }));
    },
    dispose: async () => {
      controller.dispose();
      viewer.dispose();
      client.dispose();
      await server.close();
    },
  };
}

const LIST = '### List\n# @name list\nGET /customers\nX-Partner: {{$prompt partnerKey}}\n';
const DELETE_ABOVE = '### Remove test customer\nDELETE /customers/1269\n\n';

describe('History Re-send sends the same request from its file, or nothing', () => {
  answerYes();
  beforeEach(() => {
    asked.length = 0;
    errors.length = 0;
    whileAsking = () => {};
    state.documents.clear();
  });

  it('finds a named request by its name when a DELETE was added above it', async () => {
    const r = await rig();
    try {
      edit(LIST);
      assert.ok(await r.controller.send(uri as never, 0));
      edit(DELETE_ABOVE + LIST);
      await r.resendLatest();
      assert.deepStrictEqual(r.seen(), ['GET /customers', 'GET /customers']);
      assert.deepStrictEqual(asked, [], 'a read is not confirmed');
    } finally {
      await r.dispose();
    }
  });

  it('sends nothing when the request at the index of an unnamed one is now another', async () => {
    const r = await rig();
    try {
      edit(LIST.replace('# @name list\n', ''));
      assert.ok(await r.controller.send(uri as never, 0));
      edit(DELETE_ABOVE + LIST.replace('# @name list\n', ''));
      await assert.rejects(
        Promise.resolve(r.resendLatest()),
        /^Error: Not sent: the request in a\.sage200 is now DELETE \/customers\/1269, not the GET \/customers that was sent\. Send it from the file instead\.$/,
      );
      assert.deepStrictEqual(r.seen(), ['GET /customers'], 'the DELETE now at that index was not sent');
      assert.deepStrictEqual(asked, []);
    } finally {
      await r.dispose();
    }
  });

  it('sends nothing when the named request became a DELETE or is gone', async () => {
    const r = await rig();
    try {
      edit(LIST);
      assert.ok(await r.controller.send(uri as never, 0));
      edit(LIST.replace('GET /customers', 'DELETE /customers/1269'));
      await assert.rejects(Promise.resolve(r.resendLatest()), /Not sent: the request in a\.sage200 is now DELETE \/customers\/1269, not the GET \/customers that was sent/);
      edit(DELETE_ABOVE);
      await assert.rejects(Promise.resolve(r.resendLatest()), /Not sent: a\.sage200 has no request named "list" any more\. Send it from the file instead\./);
      assert.deepStrictEqual(r.seen(), ['GET /customers']);
      assert.deepStrictEqual(asked, []);
    } finally {
      await r.dispose();
    }
  });

  it('checks again at Send: a file edited while the write was being confirmed sends nothing', async () => {
    const r = await rig();
    const create = '### New\n# @name create\nPOST /customers\nX-Partner: {{$prompt partnerKey}}\n';
    try {
      edit(create);
      assert.ok(await r.controller.send(uri as never, 0));
      whileAsking = () => edit(create.replace('POST /customers', 'DELETE /customers/1269'));
      await r.resendLatest();
      assert.match(asked[0], /^Send POST \/customers again\?/, 'the write going out is confirmed');
      assert.deepStrictEqual(r.seen(), ['POST /customers'], 'nothing was sent again');
      assert.deepStrictEqual(errors, ['Not sent: the request changed in a.sage200 before it could be sent again. Send it from the file instead.']);
    } finally {
      await r.dispose();
    }
  });

  it('goes only to the connection the request went to', async () => {
    const r = await rig();
    try {
      edit(LIST);
      assert.ok(await r.controller.send(uri as never, 0));
      const stored = r.memento.get<{ connectionId?: string }[]>(HISTORY_KEY) ?? [];
      assert.strictEqual(stored[0].connectionId, 'tenant-1', 'history keeps the connection');
      assert.ok(!r.memento.raw().includes('partner-key-99887'), 'history keeps no $prompt value');
      r.active.connectionId = 'tenant-2';
      await r.resendLatest();
      assert.deepStrictEqual(r.seen(), ['GET /customers'], 'nothing went to the connection active now');
      assert.match(errors[0], /^Not sent: this request went to another Sage 200 connection than the active one\./);
    } finally {
      await r.dispose();
    }
  });
});

describe('History keeps the connection a request went to', () => {
  answerYes();
  let server: TestServer;
  let client: Sage200Client;
  let calls: { method: string; url: string; connectionId?: string }[];
  let api: { send(req: { method: string; url: string; headers?: Record<string, string>; body?: string }, o?: { connectionId?: string }): Promise<HttpResponse> };
  const token = 'tok-aaaaaaaa-1234';
  beforeEach(async () => {
    asked.length = 0;
    state.panels.length = 0;
    server = await startServer((q, res) => answer(res, q.method === 'GET' ? 200 : 201, q.method === 'GET' ? [{ id: 1 }, { id: 2 }] : { id: 1 }));
    client = new Sage200Client({ baseUrl: server.url, tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined }, retry: { maxAttempts: 1 } });
    calls = [];
    api = {
      send: async (req, o = {}) => {
        calls.push({ method: req.method, url: req.url, ...(o.connectionId ? { connectionId: o.connectionId } : {}) });
        return client.send(req, { site: 'site-TEST', company: 1 });
      },
    };
  });
  afterEach(async () => {
    client.dispose();
    await server.close();
  });

  it('re-sends a write from history to that connection, not the active one', async () => {
    const memento = new Memento();
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: memento as never, api: api as never });
    try {
      const res = await api.send({ method: 'POST', url: '/customers', body: '{"reference":"A1"}' }, { connectionId: 'test-tenant' });
      await viewer.showResponse(res, { title: 'New customer', connectionId: 'test-tenant' });
      const entries = memento.get<{ id: string; connectionId?: string }[]>(HISTORY_KEY) ?? [];
      assert.strictEqual(entries[0].connectionId, 'test-tenant');
      assert.ok(!memento.raw().includes(token), 'history keeps no token');
      await viewer.commands['sage200.history.resend']({ id: entries[0].id });
      await until(() => calls.length === 2, 'the re-send');
      assert.deepStrictEqual(calls[1], { method: 'POST', url: `${server.url}/customers`, connectionId: 'test-tenant' });
    } finally {
      viewer.dispose();
    }
  });

  it('pages a panel restored from history on its connection', async () => {
    const memento = new Memento();
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: memento as never, api: api as never });
    try {
      const res = await api.send({ method: 'GET', url: '/customers?$top=2&$orderby=id asc' }, { connectionId: 'test-tenant' });
      await viewer.show({ response: res, connectionId: 'test-tenant' });
      const id = (memento.get<{ id: string }[]>(HISTORY_KEY) ?? [])[0].id;
      const restored = new FakePanel('sage200.response');
      await state.serializer?.deserializeWebviewPanel(restored, undefined);
      restored.webview.received.fire({ type: 'ready', state: { responseId: id } });
      await until(() => restored.webview.posted.some((m) => m.type === 'end'), 'the restored response');
      restored.webview.received.fire({ type: 'page', direction: 'next' });
      await until(() => calls.length === 2, 'the next page');
      assert.strictEqual(calls[1].connectionId, 'test-tenant');
      assert.match(calls[1].url, /\$skip=2/);
    } finally {
      viewer.dispose();
    }
  });

  it('loads entries stored without a connection, and sends their writes nowhere; reads go to the active one', async () => {
    const memento = new Memento();
    const old = (method: string, id: string) => ({
      id,
      time: 1,
      request: { method, url: `${server.url}/customers`, headers: { 'X-Site': 'old-site', 'X-Company': '7' }, ...(method === 'GET' ? {} : { body: '{}' }) },
      response: { status: 200, statusText: 'OK', headers: {}, body: '[]', size: 2, truncated: false, totalMs: 1 },
      masked: false,
    });
    await memento.update(HISTORY_KEY, [old('POST', 'old-post'), old('GET', 'old-get')]);
    const viewer = new ResponseViewer({ extensionUri: { path: '/ext' } as never, workspaceState: memento as never, api: api as never });
    try {
      await assert.rejects(
        Promise.resolve(viewer.commands['sage200.history.resend']({ id: 'old-post' })),
        /^Error: Not sent: it is not known which Sage 200 connection this POST went to .* Send it from the file instead\.$/,
      );
      assert.deepStrictEqual(calls, []);
      assert.deepStrictEqual(asked, [], 'nothing to confirm: it is refused first');
      await viewer.commands['sage200.history.resend']({ id: 'old-get' });
      await until(() => calls.length === 1, 'the re-sent read');
      assert.deepStrictEqual(calls[0], { method: 'GET', url: `${server.url}/customers` });
    } finally {
      viewer.dispose();
    }
  });
});
