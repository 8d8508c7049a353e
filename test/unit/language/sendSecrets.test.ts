/**
 * Send registers every `$dotenv` and `$prompt` value as a secret, and still sends the values
 * themselves. Runs src/language/sendController.ts under mocha (see sendHarness.ts).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SecretRegistry } from '../../../src/core/http/redact';
import type { HttpResponse } from '../../../src/core/http/types';
import { DocumentAnalyses, openDocument, resetWindow, SendController, shown as notices, window } from './sendHarness';

describe('Send: $dotenv and $prompt values are secrets', () => {
  let dir: string;
  const prompted: { title?: string; password?: boolean }[] = [];
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-send-'));
    resetWindow();
    window.showInputBox = async (o) => {
      prompted.push(o);
      return 'prompted-pass-9731';
    };
  });
  after(() => {
    resetWindow();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers each value, and sends the values themselves', async () => {
    const file = path.join(dir, 'a.sage200');
    const text = '### Create\nPOST /products\nX-Partner: {{$dotenv PARTNER}}\nContent-Type: application/json\n\n{ "code": "W-1", "password": "{{$prompt password}}" }\n';
    fs.writeFileSync(path.join(dir, '.env'), 'PARTNER=partner-key-5521\n');
    const { uri } = openDocument(file, text);
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
      assert.ok(await controller.send(uri as never, 0), notices.errors.join('\n'));
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
    const { uri } = openDocument(file, text);
    const secrets = new SecretRegistry();
    const progressTitles: string[] = [];
    const withProgress = window.withProgress;
    window.withProgress = (o, task) => {
      progressTitles.push((o as { title: string }).title);
      return withProgress(o, task);
    };
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
    notices.errors.length = 0;
    try {
      assert.strictEqual(await controller.send(uri as never, 0), false);
      assert.ok(secrets.holds('s3cret-value-7781'), 'the value is registered');
      assert.strictEqual(progressTitles.length, 1);
      assert.strictEqual(notices.errors.length, 1);
      for (const shown of [...progressTitles, ...notices.errors]) {
        assert.ok(shown.includes('/partner_hook?signature=***'), shown);
        assert.ok(!shown.includes('s3cret-value-7781') && !shown.includes('7781'), shown);
      }
      assert.match(notices.errors[0], /failed: POST .*connection refused\.$/);
    } finally {
      window.withProgress = withProgress;
      controller.dispose();
    }
  });
});
