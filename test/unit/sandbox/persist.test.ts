import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, ChildProcess } from 'child_process';
import { open, msg } from './helpers';
import { startSandbox } from '../../../src/core/sandbox';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('sandbox --data persistence', function () {
  this.timeout(30000);
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-data-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('saves writes atomically and loads them back', async () => {
    const file = path.join(dir, 'data.json');
    const a = await open({ scale: 0.05, dataFile: file });
    let createdId: number;
    try {
      const created = await a.send('POST', '/customers', { reference: 'KEEP01', name: 'Kept Ltd', main_address: { city: 'Bath' } });
      assert.strictEqual(created.status, 200, created.text);
      createdId = (created.body as { id: number }).id;
      assert.strictEqual((await a.send('PUT', '/customers/1003', { name: 'Changed Name' })).status, 200);
      assert.strictEqual((await a.send('DELETE', '/customers/1004', undefined)).status, 200);
    } finally {
      await a.sb.close();
    }
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: string; seed: number; scale: number };
    assert.strictEqual(saved.format, 'sage200-sandbox-data');
    assert.strictEqual(saved.scale, 0.05);
    assert.deepStrictEqual(fs.readdirSync(dir), ['data.json'], 'no temporary files are left behind');

    const b = await open({ scale: 3, seed: 999, dataFile: file });
    try {
      const total = await b.get('/customers?$count=true');
      assert.strictEqual(total.body, 50, 'seed and scale come from the file, minus one deleted plus one created');
      const kept = await b.get(`/customers/${createdId}?$expand=main_address`);
      assert.strictEqual((kept.body as { name: string }).name, 'Kept Ltd');
      assert.strictEqual((kept.body as { main_address: { city: string } }).main_address.city, 'Bath');
      assert.strictEqual(((await b.get('/customers/1003')).body as { name: string }).name, 'Changed Name');
      assert.strictEqual((await b.get('/customers/1004')).status, 404);
      const dup = await b.send('POST', '/customers', { reference: 'KEEP01', name: 'Again' });
      assert.strictEqual(dup.status, 400);
      assert.match(msg(dup.body), /already exists/);
      const next = await b.send('POST', '/customers', { reference: 'KEEP02', name: 'Next' });
      assert.ok((next.body as { id: number }).id > createdId, 'ids continue after the saved ones');
    } finally {
      await b.sb.close();
    }
  });

  it('refuses a damaged data file and leaves it untouched', async () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{"format": "sage200-sandbox-data", "version": 1, "seed": 200,');
    await assert.rejects(startSandbox({ dataFile: file }), /not valid JSON/);
    fs.writeFileSync(file, '{"hello": "world"}');
    await assert.rejects(startSandbox({ dataFile: file }), /not sandbox data/);
    assert.strictEqual(fs.readFileSync(file, 'utf8'), '{"hello": "world"}');
    await assert.rejects(startSandbox({ dataFile: path.join(dir, 'missing', 'data.json') }), /folder of the sandbox data file does not exist/);
    await assert.rejects(startSandbox({ dataFile: dir }), /is a folder/);
  });

  it('keeps serving when a save fails, and reports it on close', async () => {
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    const c = await open({ scale: 0.05, dataFile: path.join(sub, 'data.json') });
    fs.rmSync(sub, { recursive: true });
    assert.strictEqual((await c.send('PUT', '/customers/1002', { name: 'Unsaved' })).status, 200);
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual((await c.get('/customers/1002')).status, 200, 'still serving after the failed save');
    await assert.rejects(c.sb.close(), /ENOENT/);
  });
});

function runCli(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/core/sandbox/cli.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function waitFor(pred: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm run sandbox (CLI)', function () {
  this.timeout(60000);

  it('prints the listening line, serves, and stops cleanly on SIGTERM and SIGINT', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cli-'));
    const clients = path.join(dir, 'clients.json');
    fs.writeFileSync(clients, JSON.stringify([{ clientId: 'my-app', clientSecret: 's3cret', redirectUris: ['https://my.example/cb'] }]));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const cli = runCli(['--port', '0', '--scale', '0.01', '--auto-approve', '--clients', clients, '--access-token-ttl', '60', '--faults', '{"latencyMs":1}', '--data', path.join(dir, 'd.json')]);
      try {
        await waitFor(() => /\n/.test(cli.out()), 30000);
        const m = /^Sage 200 sandbox listening on http:\/\/127\.0\.0\.1:(\d+)\n$/.exec(cli.out());
        assert.ok(m, `exact line, got ${JSON.stringify(cli.out())}`);
        const url = `http://127.0.0.1:${m[1]}`;
        const a = await fetch(`${url}/authorize?response_type=code&client_id=my-app&redirect_uri=${encodeURIComponent('https://my.example/cb')}&state=z`, { redirect: 'manual' });
        assert.strictEqual(a.status, 302, 'auto-approve and the registered client work');
        const t = await (await fetch(`${url}/__sandbox/token`, { method: 'POST' })).json() as { expires_in: number };
        assert.strictEqual(t.expires_in, 60);
      } finally {
        cli.child.kill(signal);
      }
      assert.strictEqual(await cli.exited, 0, `${signal}: ${cli.err()}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('explains bad options and exits non-zero', async () => {
    for (const [args, re] of [
      [['--port', 'abc'], /--port needs a number/],
      [['--frobnicate'], /Unknown option/],
      [['--faults', '{oops'], /--faults needs JSON/],
      [['--faults', '{"hang":{"count":"x"}}'], /hang.count/],
      [['--clients', '/nonexistent/clients.json'], /Cannot read the clients file/],
    ] as [string[], RegExp][]) {
      const cli = runCli(args);
      const code = await cli.exited;
      assert.strictEqual(code, 2, args.join(' '));
      assert.match(cli.err(), re);
    }
  });

  it('reports a port already in use', async () => {
    const sb = await startSandbox({ scale: 0.01 });
    try {
      const cli = runCli(['--port', String(sb.port)]);
      assert.strictEqual(await cli.exited, 1);
      assert.match(cli.err(), /Cannot start the sandbox: .*EADDRINUSE/);
    } finally {
      await sb.close();
    }
  });
});
