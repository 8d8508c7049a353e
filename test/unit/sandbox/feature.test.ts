import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Module from 'module';
import { routeVscode } from '../viewer/fakeVscode';

/**
 * The VS Code glue under mocha: `vscode` is replaced by a minimal stand-in (EventEmitter, l10n,
 * messages) so that start/stop, single-flight and the change events run against the real sandbox.
 */
const messages: string[] = [];
class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  event = (l: (e: T) => void) => {
    this.listeners.push(l);
    return { dispose: () => { this.listeners = this.listeners.filter((x) => x !== l); } };
  };
  fire(e: T): void { for (const l of [...this.listeners]) l(e); }
  dispose(): void { this.listeners = []; }
}
const fmt = (m: string, ...args: unknown[]) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
const vscodeStub = {
  EventEmitter,
  l10n: { t: fmt },
  window: {
    showInformationMessage: (m: string) => { messages.push(`info: ${m}`); return Promise.resolve(undefined); },
    showErrorMessage: (m: string) => { messages.push(`error: ${m}`); return Promise.resolve(undefined); },
  },
};

type Resolver = (request: string, ...rest: unknown[]) => string;
const mod = Module as unknown as { _resolveFilename: Resolver; _cache: Record<string, unknown> };
const STUB_ID = path.join(os.tmpdir(), 'sage200-vscode-stub.js');

describe('SandboxFeature (VS Code glue)', function () {
  this.timeout(30000);
  const original = mod._resolveFilename;
  let SandboxFeature: typeof import('../../../src/sandbox/sandboxFeature').SandboxFeature;
  let Commands: typeof import('../../../src/commandIds').Commands;
  let dir: string;

  before(() => {
    mod._resolveFilename = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? STUB_ID : original.call(this, request, ...rest);
    };
    mod._cache[STUB_ID] = { id: STUB_ID, filename: STUB_ID, loaded: true, exports: vscodeStub } as unknown;
    // Messages go through src/notify.ts, which another test file may have loaded with its own stand-in.
    routeVscode(/[\\/]src[\\/]notify\.ts$/, vscodeStub);
    delete require.cache[require.resolve('../../../src/notify')];
    /* eslint-disable @typescript-eslint/no-require-imports */
    SandboxFeature = (require('../../../src/sandbox/sandboxFeature') as typeof import('../../../src/sandbox/sandboxFeature')).SandboxFeature;
    Commands = (require('../../../src/commandIds') as typeof import('../../../src/commandIds')).Commands;
    /* eslint-enable @typescript-eslint/no-require-imports */
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-feature-'));
  });
  after(() => {
    mod._resolveFilename = original;
    delete mod._cache[STUB_ID];
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts once, tells listeners, offers the commands, and stops', async () => {
    const logs: string[] = [];
    const feature = new SandboxFeature({ log: { info: (m) => logs.push(m), error: (m) => logs.push(String(m)) }, storageDir: path.join(dir, 'storage') });
    const events: (string | undefined)[] = [];
    feature.onDidChange((r) => events.push(r?.url));
    assert.deepStrictEqual(Object.keys(feature.commands).sort(), [Commands.startSandbox, Commands.stopSandbox].sort());
    assert.strictEqual(feature.running, undefined);
    const [a, b] = await Promise.all([feature.start(), feature.start()]);
    assert.strictEqual(a, b, 'concurrent starts share one sandbox');
    assert.strictEqual(feature.running, a);
    assert.deepStrictEqual(events, [a.url]);
    const token = a.mintToken().access_token;
    const sites = await fetch(`${a.professionalBaseUrl}/sites`, { headers: { Authorization: `Bearer ${token}` } });
    assert.strictEqual(sites.status, 200);
    const site = ((await sites.json()) as { site_id: string }[])[0].site_id;
    const put = await fetch(`${a.professionalBaseUrl}/customers/1001`, { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'X-Site': site, 'X-Company': '1', 'Content-Type': 'application/json' }, body: '{"name":"Kept across sessions"}' });
    assert.strictEqual(put.status, 200);
    await feature.commands[Commands.startSandbox]();
    assert.match(messages[messages.length - 1], /already running/);
    await feature.commands[Commands.stopSandbox]();
    assert.strictEqual(feature.running, undefined);
    assert.deepStrictEqual(events, [a.url, undefined]);
    assert.ok(fs.existsSync(path.join(dir, 'storage', 'sandbox-data.json')), 'writes are kept in global storage');
    await feature.commands[Commands.stopSandbox]();
    assert.match(messages[messages.length - 1], /not running/);
    const again = await feature.start();
    const r = await fetch(`${again.professionalBaseUrl}/customers/1001`, { headers: { Authorization: `Bearer ${again.mintToken().access_token}`, 'X-Site': site, 'X-Company': '1' } });
    assert.strictEqual(((await r.json()) as { name: string }).name, 'Kept across sessions');
    feature.dispose();
    await new Promise((res) => setTimeout(res, 300));
    await assert.rejects(fetch(`${again.url}/`), 'dispose stops the server');
    assert.ok(logs.some((l) => /listening on http:\/\/127\.0\.0\.1:\d+/.test(l)));
  });

  it('shows a clear error when the sandbox cannot start', async () => {
    const storage = path.join(dir, 'broken');
    fs.mkdirSync(storage, { recursive: true });
    fs.writeFileSync(path.join(storage, 'sandbox-data.json'), '{ not json');
    const feature = new SandboxFeature({ log: { info: () => undefined, error: () => undefined }, storageDir: storage });
    const result = await feature.commands[Commands.startSandbox]();
    assert.strictEqual(result, undefined);
    assert.match(messages[messages.length - 1], /^error: Could not start the demo sandbox: .*not valid JSON/);
    assert.strictEqual(feature.running, undefined);
    assert.strictEqual(fs.readFileSync(path.join(storage, 'sandbox-data.json'), 'utf8'), '{ not json');
    feature.dispose();
  });
});
