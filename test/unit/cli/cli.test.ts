import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { demoCompanies, startSandbox } from '../../../src/core/sandbox';
import { PRIVATE_VALUE, TOP_CUSTOMERS, writeEnvFixture } from './envFixture';

const ROOT = path.join(__dirname, '..', '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs the real CLI in a child process (through tsx, so no build step is needed). */
function run(args: string[], env: NodeJS.ProcessEnv = {}, stdin?: string, cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd, env: { ...process.env, ...env } });
    child.stdin.end(stdin ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr: stderr.split('\n').filter((l) => !l.startsWith('npm warn')).join('\n') }));
  });
}

describe('sage200 CLI', function () {
  this.timeout(60000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('check: prints file:line:col: severity: message and exits 1 on errors', async () => {
    const file = path.join(dir, 'bad.sage200');
    fs.writeFileSync(file, '### a\nGET /custmers\n\n### b\nGET /customers?$skip=5\n');
    const r = await run(['check', file]);
    assert.strictEqual(r.code, 1, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:5: error: Unknown path /custmers`));
    assert.match(lines[1], /:5:16: error: Sage 200 rejects \$skip without \$orderby/);
  });

  it('check: --format json, exit 0 for the samples, --edition validation and --help', async () => {
    const samples = fs.readdirSync(path.join(ROOT, 'samples')).filter((f) => f.endsWith('.sage200')).map((f) => path.join('samples', f));
    const ok = await run(['check', ...samples, '--format', 'json', '--edition', 'professional']);
    assert.strictEqual(ok.code, 0, ok.stdout + ok.stderr);
    assert.deepStrictEqual(JSON.parse(ok.stdout), []);
    const bad = await run(['check', samples[0], '--edition', 'gold']);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--edition must be standard or professional/);
    const missing = await run(['check', path.join(dir, 'nope.sage200')]);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /Cannot read .*nope\.sage200: no such file/);
    const help = await run(['--help']);
    assert.strictEqual(help.code, 0);
    assert.match(help.stdout, /sage200 check <files…/);
  });

  it('--version prints the version from the manifest and exits 0', async () => {
    const r = await run(['--version']);
    assert.strictEqual(r.code, 0, r.stderr);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.strictEqual(r.stdout, `${manifest.version}\n`);
  });

  it('refuses a mistyped flag, a flag without its value and a value on a switch, with exit 2', async () => {
    const typo = await run(['check', 'samples/getting-started.sage200', '--fromat', 'json']);
    assert.strictEqual(typo.code, 2);
    assert.match(typo.stderr, /Unknown option --fromat for check\. It takes: --format, --edition/);
    const missing = await run(['send', 'x.sage200', '--name']);
    assert.strictEqual(missing.code, 2);
    assert.match(missing.stderr, /--name needs a value/);
    const switchValue = await run(['send', 'x.sage200', '--include=yes']);
    assert.strictEqual(switchValue.code, 2);
    assert.match(switchValue.stderr, /--include takes no value/);
    const badTimeout = await run(['send', 'x.sage200', '--timeout', 'soon']);
    assert.strictEqual(badTimeout.code, 2);
    assert.match(badTimeout.stderr, /--timeout must be a number of seconds/);
  });

  it('check - reads standard input; github and sarif formats locate each diagnostic', async () => {
    const input = '### a\nGET /custmers\n';
    const text = await run(['check', '-'], {}, input);
    assert.strictEqual(text.code, 1);
    assert.match(text.stdout, /^<stdin>:2:5: error: Unknown path \/custmers/);
    const gh = await run(['check', '-', '--format', 'github'], {}, input);
    assert.strictEqual(gh.code, 1);
    assert.match(gh.stdout, /^::error file=<stdin>,line=2,col=5,endLine=2,endColumn=\d+,title=sage200 unknown-path::Unknown path \/custmers/);
    const sarif = await run(['check', '-', '--format', 'sarif'], {}, input);
    assert.strictEqual(sarif.code, 1);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[] };
    assert.strictEqual(log.version, '2.1.0');
    const [result] = log.runs[0].results;
    assert.strictEqual(result.level, 'error');
    assert.strictEqual(log.runs[0].tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.deepStrictEqual(result.locations[0].physicalLocation.region, { startLine: 2, startColumn: 5, endLine: 2, endColumn: 14 });
  });

  it('export postman never replaces the collection a request file was imported from', async () => {
    const work = fs.mkdtempSync(path.join(dir, 'roundtrip-'));
    const original = path.join(work, 'Sage 200.postman_collection.json');
    const collection = {
      info: { name: 'Sage 200', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [{
        name: 'List customers',
        request: { method: 'GET', url: '{{baseUrl}}/customers' },
        event: [{ listen: 'test', script: { exec: ["pm.test('my hand-written check', () => pm.response.to.have.status(200));"] } }],
        response: [{ name: 'Saved example', code: 200, body: '[{"id":1}]' }],
      }],
    };
    const originalText = JSON.stringify(collection, null, 2);
    fs.writeFileSync(original, originalText);
    const imported = await run(['import', original, '--out', work]);
    assert.strictEqual(imported.code, 0, imported.stderr);
    const requestFile = path.join(work, 'Sage 200.sage200');
    assert.ok(fs.existsSync(requestFile), imported.stdout);

    // The default name is taken: the export takes " (2)", as the import does, and says so.
    const first = await run(['export', 'postman', requestFile]);
    assert.strictEqual(first.code, 0, first.stderr);
    assert.strictEqual(fs.readFileSync(original, 'utf8'), originalText);
    const second = path.join(work, 'Sage 200 (2).postman_collection.json');
    assert.strictEqual(first.stdout, `${second}\n`);
    assert.match(first.stderr, /Sage 200\.postman_collection\.json exists and is kept; writing Sage 200 \(2\)\.postman_collection\.json/);
    assert.strictEqual((JSON.parse(fs.readFileSync(second, 'utf8')) as { info: { name: string } }).info.name, 'Sage 200');
    const again = await run(['export', 'postman', requestFile]);
    assert.strictEqual(again.stdout, `${path.join(work, 'Sage 200 (3).postman_collection.json')}\n`);

    // A path the user names is written as asked, even over a file; "-" is standard output.
    const named = await run(['export', 'postman', requestFile, '--out', original]);
    assert.strictEqual(named.code, 0, named.stderr);
    assert.doesNotMatch(named.stderr, /exists and is kept/);
    assert.notStrictEqual(fs.readFileSync(original, 'utf8'), originalText);
    const stdout = await run(['export', 'postman', requestFile, '--out', '-']);
    assert.strictEqual((JSON.parse(stdout.stdout) as { info: { name: string } }).info.name, 'Sage 200');
    assert.deepStrictEqual(fs.readdirSync(work).sort(), [
      'Sage 200 (2).postman_collection.json', 'Sage 200 (3).postman_collection.json', 'Sage 200.postman_collection.json', 'Sage 200.sage200',
    ]);
  });

  it('send --timeout gives up on a server that never answers, with exit 3', async () => {
    const sockets = new Set<import('net').Socket>();
    const silent = http.createServer(() => { /* never answers */ });
    silent.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api`;
      const started = Date.now();
      const r = await run(['send', '-', '--name', 'slow', '--base-url', base, '--timeout', '1'], {}, '### slow\nGET /customers\n');
      assert.strictEqual(r.code, 3, r.stderr);
      assert.match(r.stderr, /no answer within 1 s/);
      assert.ok(Date.now() - started < 20000, 'gave up at the limit, not at the 60 s default');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('send: resolves variables, chains named requests, encodes the query, and sends the token only to the base URL origin', async () => {
    const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.setHeader('Content-Type', 'application/json');
        if (req.url?.startsWith('/api/customers?')) res.end(JSON.stringify([{ id: 41 }, { id: 42 }]));
        else if (req.url === '/api/customers/42') res.end(JSON.stringify({ id: 42, short_name: 'APIDemo' }));
        else { res.statusCode = 404; res.end(JSON.stringify({ Message: 'not here' })); }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const file = path.join(dir, 'send.sage200');
      fs.writeFileSync(file, [
        '@top = 2',
        '### List', '# @name list', "GET /customers?$filter=name eq 'A&B Ltd'&$top={{top}}", '',
        '### Update', '# @name update', 'PUT /customers/{{list.response.body.$[1].id}}', 'Content-Type: application/json', '', '{ "short_name": "{{$dotenv SHORT}}" }', '',
        '### Elsewhere', '# @name other', `GET http://localhost:${port}/api/missing`, '',
      ].join('\n'));
      fs.writeFileSync(path.join(dir, '.env'), 'SHORT="APIDemo"\n');
      const base = `http://127.0.0.1:${port}/api`;
      const r = await run(['send', file, '--name', 'update', '--base-url', base, '--token-env', 'T_TOKEN', '--site', 'S1', '--company', '3'], { T_TOKEN: 'secret-token-1' });
      assert.strictEqual(r.code, 0, r.stderr);
      assert.deepStrictEqual(JSON.parse(r.stdout), { id: 42, short_name: 'APIDemo' });
      assert.match(r.stderr, /HTTP 200/);
      assert.strictEqual(seen.length, 2);
      // node-fetch's URL parser further escapes the quote as %27; the server decodes both the same.
      assert.strictEqual(seen[0].url, '/api/customers?$filter=name%20eq%20%27A%26B%20Ltd%27&$top=2');
      assert.strictEqual(seen[1].method, 'PUT');
      assert.strictEqual(seen[1].body, '{ "short_name": "APIDemo" }');
      for (const s of seen) {
        assert.strictEqual(s.headers.authorization, 'Bearer secret-token-1');
        assert.strictEqual(s.headers['x-site'], 'S1');
        assert.strictEqual(s.headers['x-company'], '3');
      }
      // Another origin (localhost, not 127.0.0.1) gets no token, with a warning; a 404 exits 1.
      const other = await run(['send', file, '--name', 'other', '--base-url', base, '--token-env', 'T_TOKEN'], { T_TOKEN: 'secret-token-1' });
      assert.strictEqual(other.code, 1);
      assert.match(other.stderr, /sent without the Sage 200 credentials/);
      assert.strictEqual(seen[2].headers.authorization, undefined);
      assert.ok(!other.stdout.includes('secret-token-1') && !other.stderr.includes('secret-token-1'));
      const usage = await run(['send', file, '--name', 'nope', '--base-url', base]);
      assert.strictEqual(usage.code, 2);
      assert.match(usage.stderr, /No request named "nope".*Requests: list, update, other/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('sage200 CLI against the sandbox', function () {
  this.timeout(90000);

  it('sends the samples\' getting-started requests to the sandbox, chaining a named response', async () => {
    const sandbox = await startSandbox({ port: 0 });
    try {
      const token = sandbox.mintToken().access_token;
      const sites = (await run(['send', 'samples/getting-started.sage200', '--name', 'sites', '--base-url', sandbox.professionalBaseUrl, '--token-env', 'S_TOKEN'], { S_TOKEN: token }));
      assert.strictEqual(sites.code, 0, sites.stderr);
      const list = JSON.parse(sites.stdout) as { site_id: string; company_id: number }[];
      assert.ok(list.length > 0);
      const args = ['--base-url', sandbox.professionalBaseUrl, '--token-env', 'S_TOKEN', '--site', list[0].site_id, '--company', String(list[0].company_id)];
      const customers = await run(['send', 'samples/getting-started.sage200', '--name', 'customers', ...args], { S_TOKEN: token });
      assert.strictEqual(customers.code, 0, customers.stderr);
      const records = JSON.parse(customers.stdout) as { id: number }[];
      assert.strictEqual(records.length, 10, 'the file variable @top = 10 applies');
      // "One customer, by the id of the first one above" refers to {{customers.response.body.$[0].id}}.
      const one = await run(['send', 'samples/getting-started.sage200', '--name', 'One customer, by the id of the first one above', ...args], { S_TOKEN: token });
      assert.strictEqual(one.code, 0, one.stderr);
      assert.strictEqual((JSON.parse(one.stdout) as { id: number }).id, records[0].id);
      assert.ok(!one.stdout.includes(token) && !one.stderr.includes(token), 'the token is never printed');
    } finally {
      await sandbox.close();
    }
  });

  it('says what happened and what to do when the tunnel of an on-premise site is down (504)', async () => {
    const sandbox = await startSandbox({ port: 0, scale: 0.01, faults: { tunnelDown: true } });
    try {
      const token = sandbox.mintToken().access_token;
      const site = demoCompanies(200)[0];
      const r = await run(['send', 'samples/getting-started.sage200', '--name', 'customers', '--base-url', sandbox.professionalBaseUrl, '--token-env', 'S_TOKEN',
        '--site', site.siteId, '--company', String(site.companyId)], { S_TOKEN: token });
      assert.strictEqual(r.code, 1, r.stderr);
      assert.match(r.stderr, /HTTP 504/);
      assert.match(r.stderr, /tunnel\) is down: check that the server publishing the API is running/);
    } finally {
      await sandbox.close();
    }
  });
});

describe('sage200 check and send --env', function () {
  this.timeout(90000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-env-'));
    writeEnvFixture(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('check: clean with --env dev (the nearer file wins); without it, undefined variables with a hint', async () => {
    const ok = await run(['check', 'api/customers.sage200', '--env', 'dev'], {}, undefined, dir);
    assert.strictEqual(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stderr, /1 file checked, no problems/);
    const none = await run(['check', 'api/customers.sage200'], {}, undefined, dir);
    assert.strictEqual(none.code, 1, none.stdout + none.stderr);
    assert.match(none.stdout, /customers\.sage200:3:\d+: error: Undefined variable "customerTop".* \(pass --env dev or --env prod\) \[undefined-variable\]/);
    assert.match(none.stdout, /:4:\d+: error: Undefined variable "apiKey".* \(pass --env dev\) \[undefined-variable\]/);
    // Standard input: the working folder's files only (customerTop, but no apiKey).
    const stdin = await run(['check', '-', '--env', 'dev', '--format', 'json'], {}, TOP_CUSTOMERS, dir);
    assert.strictEqual(stdin.code, 1, stdin.stderr);
    assert.deepStrictEqual((JSON.parse(stdin.stdout) as { message: string }[]).map((f) => f.message), [
      'Undefined variable "apiKey": define it with "@apiKey = value" or in sage200.environments.',
    ]);
  });

  it('an --env no file defines, or an environment file that is not JSON, exits 2 without the secret', async () => {
    const unknown = await run(['check', 'api/customers.sage200', '--env', 'staging'], {}, undefined, dir);
    assert.strictEqual(unknown.code, 2);
    assert.match(unknown.stderr, /--env staging: no environment file read for api\/customers\.sage200 defines it\. Environments: dev, prod \(read http-client\.env\.json, api\/http-client\.env\.json, api\/http-client\.private\.env\.json\)/);
    const send = await run(['send', 'api/customers.sage200', '--name', 'top', '--base-url', 'http://127.0.0.1:9/api', '--env', 'staging'], {}, undefined, dir);
    assert.strictEqual(send.code, 2);
    assert.match(send.stderr, /--env staging: .*Environments: dev, prod/);
    const broken = await run(['check', 'broken/customers.sage200', '--env', 'dev'], {}, undefined, dir);
    assert.strictEqual(broken.code, 2);
    assert.match(broken.stderr, /broken\/http-client\.private\.env\.json is not valid JSON: Unexpected token/);
    assert.ok(!broken.stderr.includes(PRIVATE_VALUE.slice(0, 7)), broken.stderr);
  });

  it('an environment file nested thousands deep exits 2 naming the file, not with a stack overflow', async () => {
    fs.mkdirSync(path.join(dir, 'deep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'deep', 'http-client.env.json'), `{ "dev": { "a": ${'['.repeat(8000)}${']'.repeat(8000)} } }`);
    fs.writeFileSync(path.join(dir, 'deep', 'customers.sage200'), TOP_CUSTOMERS);
    const deep = await run(['check', 'deep/customers.sage200', '--env', 'dev'], {}, undefined, dir);
    assert.strictEqual(deep.code, 2, deep.stdout + deep.stderr);
    assert.match(deep.stderr, /deep\/http-client\.env\.json nests values more than 512 deep\./);
    assert.ok(!/call stack/.test(deep.stderr), deep.stderr);
  });

  it('send --env dev: sends to the sandbox with the environment values, never printing the private one', async () => {
    const sandbox = await startSandbox({ port: 0, scale: 0.05 });
    try {
      const token = sandbox.mintToken().access_token;
      const site = demoCompanies(200)[0];
      const args = ['--base-url', sandbox.professionalBaseUrl, '--token-env', 'S_TOKEN', '--site', site.siteId, '--company', String(site.companyId), '--include'];
      const r = await run(['send', 'api/customers.sage200', '--name', 'top', '--env', 'dev', ...args], { S_TOKEN: token }, undefined, dir);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.strictEqual((JSON.parse(r.stdout.slice(r.stdout.indexOf('\n\n'))) as unknown[]).length, 3, 'customerTop = 3 from api/http-client.env.json');
      assert.ok(!(r.stdout + r.stderr).includes(PRIVATE_VALUE));
      const bad = await run(['send', 'api/leak.sage200', '--name', 'bad', '--env', 'dev', ...args], { S_TOKEN: token }, undefined, dir);
      assert.strictEqual(bad.code, 3, bad.stderr);
      assert.match(bad.stderr, /"http:\/\/exa mple\.invalid\/\*\*\*" is not a valid URL/);
      const none = await run(['send', 'api/customers.sage200', '--name', 'top', ...args], { S_TOKEN: token }, undefined, dir);
      assert.strictEqual(none.code, 3);
      assert.match(none.stderr, /Undefined variable "customerTop"\. \(pass --env dev or --env prod\)/);
    } finally {
      await sandbox.close();
    }
  });
});
