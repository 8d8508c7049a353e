import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DOMParser } from '@xmldom/xmldom';
import { startSandbox, RunningSandbox } from '../../../src/core/sandbox';
import { expandGlob } from '../../../src/cli/test';
import { main } from '../../../src/cli';
import { PRIVATE_VALUE, writeEnvFixture } from './envFixture';

/** The CLI in this process: faster than a child, for everything but the one run that proves the binary. */
async function inProcess(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const here = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(['test', ...args], { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
    return { code, stdout, stderr };
  } finally {
    process.chdir(here);
    for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
  }
}

const ROOT = path.join(__dirname, '..', '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** The real CLI in a child process (through tsx: no build step). */
function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(ROOT, 'src', 'cli.ts'), 'test', ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const PASSING = [
  '### First customers',
  '# @name first',
  'GET /customers?$orderby=id asc&$top=5',
  '?? status == 200',
  '?? count == 5',
  '?? body $[0].reference exists',
  '',
  '### One of them',
  'GET /customers/{{first.response.body.$[0].id}}',
  '?? body $.reference == {{first.response.body.$[0].reference}}',
  '',
  '### Sage refuses $skip without $orderby',
  'GET /customers?$skip=5',
  '?? status == 400',
  '',
].join('\n');

describe('sage200 test', function () {
  this.timeout(90_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-test-'));
    fs.mkdirSync(path.join(dir, 'suite', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'suite', 'pass.sage200'), PASSING);
    fs.writeFileSync(path.join(dir, 'suite', 'deep', 'fail.sage200'), [
      '### Wrong count',
      'GET /customers?$top=3',
      '?? status == 200',
      '?? count == 4',
      '',
      '### Create',
      '# @name made',
      'POST /customers',
      '',
      '{ "reference": "CLITEST1", "name": "CLI test" }',
      '?? status < 300',
      '',
      '### Remove it',
      '# @teardown',
      'DELETE /customers/{{made.response.body.$.id}}',
      '?? status < 300',
    ].join('\n'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--sandbox: runs the files a glob names, prints N passed, N failed, writes JUnit, exits 1 on a failure', async () => {
    const r = await run(['suite/**/*.sage200', '--sandbox', '--reporter', 'junit', '--output', 'out/junit.xml', '--parallel', '2'], {}, dir);
    assert.strictEqual(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.strictEqual(lines[lines.length - 1], '5 passed, 1 failed');
    assert.match(r.stdout, /suite\/deep\/fail\.sage200\n {2}✗ Wrong count \(200, \d+ ms\)\n {6}line 4: expected count == 4, actual 3/);
    assert.match(r.stdout, /✓ Remove it \(teardown\)/);
    const xml = fs.readFileSync(path.join(dir, 'out', 'junit.xml'), 'utf8');
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const cases = Array.from(doc.getElementsByTagName('testcase'));
    assert.deepStrictEqual(cases.map((c) => c.getAttribute('name')), ['Wrong count', 'Create', 'Remove it', 'First customers', 'One of them', 'Sage refuses $skip without $orderby']);
    assert.strictEqual(doc.documentElement!.getAttribute('failures'), '1');
  });

  it('--sandbox --format github: annotations only for failures; exit 0 when all pass', async () => {
    const ok = await inProcess([path.join(dir, 'suite', 'pass.sage200'), '--sandbox', '--format', 'github']);
    assert.strictEqual(ok.code, 0, ok.stdout + ok.stderr);
    assert.strictEqual(ok.stdout, '3 passed, 0 failed\n');
    const bad = await inProcess([path.join(dir, 'suite', 'deep', 'fail.sage200'), '--sandbox', '--format', 'github', '--bail']);
    assert.strictEqual(bad.code, 1);
    assert.match(bad.stdout, /^::error file=.*fail\.sage200,line=4,title=Wrong count::expected count == 4, actual 3$/m);
    // --bail: the write is skipped, and the teardown has nothing to delete.
    assert.strictEqual(bad.stdout.trimEnd().split('\n').pop(), '0 passed, 1 failed');
  });

  describe('against --base-url', () => {
    let sb: RunningSandbox;
    let site: string;
    let company: number;
    let token: string;
    before(async () => {
      sb = await startSandbox({ scale: 0.2 });
      token = sb.mintToken().access_token;
      const sites = (await (await fetch(`${sb.standardBaseUrl}/sites`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { site_id: string; company_id: number }[];
      site = sites[0].site_id;
      company = sites[0].company_id;
    });
    after(async () => sb?.close());

    it('sends the token from --token-env to a loopback base URL with --site and --company, never printing it', async () => {
      const r = await inProcess([path.join(dir, 'suite', '**', '*.sage200'), '--base-url', sb.standardBaseUrl, '--token-env', 'T_SAGE', '--site', site, '--company', String(company)], { T_SAGE: token });
      assert.strictEqual(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /5 passed, 1 failed\n$/);
      assert.ok(!(r.stdout + r.stderr).includes(token));
    });

    it('--env dev: environment values from the files, the private one never in the output or JUnit', async () => {
      const envDir = path.join(dir, 'env');
      writeEnvFixture(envDir);
      const args = ['--base-url', sb.standardBaseUrl, '--token-env', 'T_SAGE', '--site', site, '--company', String(company), '--env', 'dev'];
      const ok = await inProcess(['api/customers.sage200', ...args], { T_SAGE: token }, envDir);
      assert.strictEqual(ok.code, 0, ok.stdout + ok.stderr);
      assert.match(ok.stdout, /✓ Top customers \(200, \d+ ms\)\n\n1 passed, 0 failed\n$/);
      const leak = await inProcess(['api/*.sage200', ...args, '--reporter', 'junit', '--output', 'out/env.xml'], { T_SAGE: token }, envDir);
      assert.strictEqual(leak.code, 1, leak.stdout + leak.stderr);
      assert.match(leak.stdout, /expected body \$\[0\]\.reference == \*\*\*, actual/);
      const xml = fs.readFileSync(path.join(envDir, 'out', 'env.xml'), 'utf8');
      assert.match(xml, /<failure message="expected body/);
      assert.ok(!(leak.stdout + leak.stderr + xml).includes(PRIVATE_VALUE));
      const unknown = await inProcess(['api/customers.sage200', ...args.slice(0, -1), 'qa'], { T_SAGE: token }, envDir);
      assert.strictEqual(unknown.code, 2);
      assert.match(unknown.stderr, /--env qa: .*Environments: dev, prod \(read /);
      const broken = await inProcess(['broken/customers.sage200', ...args], { T_SAGE: token }, envDir);
      assert.strictEqual(broken.code, 2);
      assert.match(broken.stderr, /http-client\.private\.env\.json is not valid JSON/);
      assert.ok(!broken.stderr.includes(PRIVATE_VALUE.slice(0, 7)), broken.stderr);
    });

    it('refuses writes to a host that is not loopback unless --allow-writes; no answer exits 3', async () => {
      const refused = await inProcess([path.join(dir, 'suite', 'deep', 'fail.sage200'), '--base-url', 'https://api.example.invalid/v1']);
      assert.strictEqual(refused.code, 2);
      assert.match(refused.stderr, /Not run: 2 requests would write to https:\/\/api\.example\.invalid:\n {2}.*fail\.sage200: POST \/customers\n {2}.*DELETE \/customers\/\{\{made\.response\.body\.\$\.id\}\}\nGive --allow-writes/);
      // A local base URL does not cover a write whose line names another host.
      const elsewhere = path.join(dir, 'elsewhere.sage200');
      fs.writeFileSync(elsewhere, '### Local\nPOST /customers\n\n{}\n\n### Live\nPUT https://live.example.invalid/v1/customers/1\n\n{}\n');
      const absolute = await inProcess([elsewhere, '--base-url', 'http://127.0.0.1:1/v1']);
      assert.strictEqual(absolute.code, 2);
      assert.match(absolute.stderr, /Not run: 1 request would write to https:\/\/live\.example\.invalid:\n {2}.*elsewhere\.sage200: PUT https:\/\/live\.example\.invalid\/v1\/customers\/1\nGive --allow-writes/);
      const none = await inProcess([path.join(dir, 'suite', 'pass.sage200'), '--base-url', 'http://127.0.0.1:1/v1', '--timeout', '5']);
      assert.strictEqual(none.code, 3, none.stdout + none.stderr);
      assert.match(none.stdout, /✗ First customers: .*\n {2}- One of them: skipped: "First customers" got no answer/);
    });
  });

  it('bad usage exits 2 with the reason', async () => {
    const cases: [string[], RegExp][] = [
      [[], /test needs at least one file or glob/],
      [['x.sage200', '--sandbox', '--base-url', 'http://127.0.0.1:9'], /--sandbox or --base-url, not both/],
      [['nothing/*.sage200', '--sandbox'], /No file matches nothing\/\*\.sage200/],
      [['x.sage200', '--sandbox', '--parallel', '0'], /--parallel must be a whole number/],
      [['x.sage200', '--sandbox', '--reporter', 'tap'], /--reporter must be junit/],
      [['x.sage200', '--sandbox', '--colour'], /Unknown option --colour for test\. It takes: .*--proxy, --ca, --insecure/],
      [['x.sage200', '--sandbox', '--bail=yes'], /--bail takes no value/],
      [['x.sage200', '--base-url', 'http://127.0.0.1:9', '--timeout', 'soon'], /--timeout must be a number of seconds/],
      [['x.sage200', '--sandbox', '--proxy', 'http://127.0.0.1:9'], /--proxy, --ca and --insecure go with --base-url/],
      [[path.join(dir, 'suite', 'pass.sage200'), '--base-url', 'https://api.example.invalid/v1', '--proxy', 'socks5://127.0.0.1:9'], /The proxy must be an http:\/\/ or https:\/\/ URL/],
      [[path.join(dir, 'suite', 'pass.sage200'), '--base-url', 'https://api.example.invalid/v1', '--ca', path.join(dir, 'suite', 'pass.sage200')], /holds no PEM certificate/],
      [['missing.sage200', '--sandbox'], /Cannot read missing\.sage200: no such file/],
    ];
    for (const [args, message] of cases) {
      const r = await inProcess(args, {}, dir);
      assert.strictEqual(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('--help and -h print the usage of test, network options included', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await inProcess([flag]);
      assert.strictEqual(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Usage:\n {2}sage200 test <files or globs…>/);
      assert.match(r.stdout, /\[--timeout SECONDS\] \[--proxy URL\] \[--ca FILE\]… \[--insecure\]/);
    }
  });

  it('expands *, ? and ** like a shell, skipping dot-directories', () => {
    fs.mkdirSync(path.join(dir, '.hidden'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.hidden', 'h.sage200'), '');
    assert.deepStrictEqual(expandGlob('**/*.sage200', dir), ['suite/deep/fail.sage200', 'suite/pass.sage200']);
    assert.deepStrictEqual(expandGlob('suite/p?ss.sage200', dir), ['suite/pass.sage200']);
    assert.deepStrictEqual(expandGlob('suite/*.sage200', dir), ['suite/pass.sage200']);
    assert.deepStrictEqual(expandGlob(path.join(dir, 'suite', '*', '*.sage200'), '/'), [path.join(dir, 'suite', 'deep', 'fail.sage200')]);
  });
});
