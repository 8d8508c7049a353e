/**
 * Send registers every `$dotenv` and `$prompt` value as a secret, and still sends the values
 * themselves. Runs src/language/sendController.ts under mocha with a small stand-in for `vscode`.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';
import { SecretRegistry } from '../../../src/core/http/redact';
import type { HttpResponse } from '../../../src/core/http/types';
import { EventEmitter } from '../viewer/fakeVscode';

const errors: string[] = [];
const progressTitles: string[] = [];
const prompted: { title?: string; password?: boolean }[] = [];
class CancellationTokenSource {
  token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
  cancel(): void {
    this.token.isCancellationRequested = true;
  }
  dispose(): void {}
}
const documents = new Map<string, unknown>();
const fakeVscode = {
  CancellationTokenSource,
  EventEmitter,
  CancellationError: class extends Error {},
  ProgressLocation: { Notification: 15, Window: 10 },
  ViewColumn: { Beside: -2 },
  l10n: { t: (s: string, ...args: unknown[]) => s.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)])) },
  workspace: {
    onDidCloseTextDocument: () => ({ dispose() {} }),
    openTextDocument: async (uri: { toString(): string }) => documents.get(uri.toString()),
  },
  window: {
    withProgress: (o: { title: string }, task: (p: unknown, t: unknown) => unknown) => {
      progressTitles.push(o.title);
      return task({ report() {} }, new CancellationTokenSource().token);
    },
    showInputBox: async (o: { title?: string; password?: boolean }) => {
      prompted.push(o);
      return 'prompted-pass-9731';
    },
    showErrorMessage: async (m: string) => {
      errors.push(m);
      return undefined;
    },
    showWarningMessage: async () => undefined,
    showInformationMessage: async () => undefined,
    setStatusBarMessage: () => ({ dispose() {} }),
    visibleTextEditors: [],
    activeTextEditor: undefined,
  },
};
// The enums that providers.ts reads when it loads; their values do not matter here.
const anyMember = new Proxy({}, { get: () => 0 });
const vscodeStandIn = {
  ...fakeVscode,
  ...Object.fromEntries(['CodeActionKind', 'CompletionItemKind', 'DiagnosticSeverity', 'FoldingRangeKind', 'SymbolKind'].map((k) => [k, anyMember])),
};
const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const originalLoad = loader._load;
loader._load = function (request: string, parent: unknown, isMain: boolean) {
  const from = (parent as { filename?: string } | null)?.filename ?? '';
  if (request === 'vscode' && /[\\/]src[\\/](language[\\/]|notify\.ts$)/.test(from)) return vscodeStandIn;
  return originalLoad.call(this, request, parent, isMain);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SendController } = require('../../../src/language/sendController') as typeof import('../../../src/language/sendController');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DocumentAnalyses } = require('../../../src/language/providers') as typeof import('../../../src/language/providers');

describe('Send: $dotenv and $prompt values are secrets', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-send-'));
  });
  after(() => {
    loader._load = originalLoad;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers each value, and sends the values themselves', async () => {
    const file = path.join(dir, 'a.sage200');
    const text = '### Create\nPOST /products\nX-Partner: {{$dotenv PARTNER}}\nContent-Type: application/json\n\n{ "code": "W-1", "password": "{{$prompt password}}" }\n';
    fs.writeFileSync(path.join(dir, '.env'), 'PARTNER=partner-key-5521\n');
    const uri = { scheme: 'file', fsPath: file, path: file, toString: () => `file://${file}` };
    documents.set(uri.toString(), { uri, version: 1, languageId: 'sage200', getText: () => text, positionAt: () => ({ line: 1, character: 0 }) });
    const sent: { method: string; url: string; headers?: Record<string, string>; body?: string }[] = [];
    const secrets = new SecretRegistry();
    const body = new TextEncoder().encode('{}');
    const shown: { status: number; title: string }[] = [];
    const controller = new SendController({
      analyses: new DocumentAnalyses(),
      sender: {
        send: async (req) => {
          sent.push(req);
          const res: HttpResponse = { status: 201, statusText: 'Created', headers: {}, body, size: 2, timing: { totalMs: 1 }, request: { method: req.method, url: req.url, headers: {} }, attempts: 1 };
          return res;
        },
      },
      context: () => ({}),
      variables: () => ({ environments: {} }),
      showResponse: (res, info) => shown.push({ status: res.status, title: info.title }),
      accessToken: async () => undefined,
      secrets,
    });
    try {
      assert.strictEqual(secrets.size, 0);
      assert.ok(await controller.send(uri as never, 0), errors.join('\n'));
      assert.strictEqual(sent.length, 1);
      assert.deepStrictEqual(shown, [{ status: 201, title: 'Create' }], 'the answer goes to the response viewer');
      assert.strictEqual(sent[0].headers?.['X-Partner'], 'partner-key-5521', 'the value itself is sent');
      assert.strictEqual(sent[0].body, '{ "code": "W-1", "password": "prompted-pass-9731" }');
      assert.strictEqual(prompted[0].password, true, 'the prompt hides what is typed');
      const scrubbed = secrets.scrub(JSON.stringify(sent[0]));
      assert.ok(!scrubbed.includes('partner-key-5521') && !scrubbed.includes('prompted-pass-9731'), scrubbed);
      assert.ok(scrubbed.includes('W-1'));
    } finally {
      controller.dispose();
    }
  });

  it('the status-bar progress and the error notification do not show a $dotenv value of the URL', async () => {
    const file = path.join(dir, 'b.sage200');
    const text = '### Partner\nPOST /partner_hook?signature={{$dotenv API_SECRET}}&mode={{$dotenv MODE}}\n\n{ "a": 1 }\n';
    fs.writeFileSync(path.join(dir, '.env'), 'API_SECRET=s3cret-value-7781\nMODE=a b&c=d\n');
    const uri = { scheme: 'file', fsPath: file, path: file, toString: () => `file://${file}` };
    documents.set(uri.toString(), { uri, version: 1, languageId: 'sage200', getText: () => text, positionAt: () => ({ line: 1, character: 0 }) });
    const secrets = new SecretRegistry();
    const controller = new SendController({
      analyses: new DocumentAnalyses(),
      // The error quotes the URL, as a network error may.
      sender: { send: async (req) => { throw new Error(`POST ${req.url}: connection refused.`); } },
      context: () => ({}),
      variables: () => ({ environments: {} }),
      showResponse: () => undefined,
      accessToken: async () => undefined,
      secrets,
    });
    errors.length = 0;
    progressTitles.length = 0;
    try {
      assert.strictEqual(await controller.send(uri as never, 0), false);
      assert.ok(secrets.holds('s3cret-value-7781'), 'the value is registered');
      assert.strictEqual(progressTitles.length, 1);
      assert.strictEqual(errors.length, 1);
      for (const shown of [...progressTitles, ...errors]) {
        assert.ok(shown.includes('/partner_hook?signature=***'), shown);
        assert.ok(!shown.includes('s3cret-value-7781') && !shown.includes('7781'), shown);
      }
      assert.match(errors[0], /failed: POST .*connection refused\.$/);
    } finally {
      controller.dispose();
    }
  });
});
