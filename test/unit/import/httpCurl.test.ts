import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { curlToRequest, importFile, importText, ImportSummary, renderRequestFile, shellWords } from '../../../src/core/import';
import { ENV_FILE, PRIVATE_ENV_FILE, readEnvFiles, ignorePrivateEnv, privateEnvIgnored } from '../../../src/core/envFiles';
import { parseRequestFile, resolveRequest } from '../../../src/core/requestFile';

const FIXTURES = path.join(__dirname, 'fixtures');

describe('.http import', () => {
  const text = renderRequestFile(importFile(path.join(FIXTURES, 'rest-client.http')).files[0]);

  it('maps the system variables of REST Client, httpYac and JetBrains to ours', () => {
    assert.match(text, /X-Request-Id: \{\{\$guid\}\}/);
    assert.match(text, /"reference": "R\{\{\$randomInt 1000 9999\}\}"/);
    assert.match(text, /"name": "\{\{\$dotenv CUSTOMER_NAME\}\}"/);
    assert.match(text, /"memo": "\{\{\$dotenv MEMO\}\} at \{\{\$datetime iso8601\}\} \(\{\{\$timestamp\}\}\)"/);
    assert.match(text, /"credit_limit": \{\{\$prompt creditLimit\}\}/);
    assert.match(text, /reference eq '\{\{\$guid\}\}'/);
  });

  it('makes Sage URLs relative and keeps what cannot run as comments', () => {
    assert.match(text, /^GET \/customers\?\$top=\{\{top\}\}$/m);
    assert.match(text, /^GET \/customers\/\{\{customers\.response\.body\.\$\[0\]\.id\}\}\?\$select=id,reference,name$/m);
    assert.doesNotMatch(text, /Authorization|aadToken|X-Site|@baseUrl/);
    assert.match(text, /# Response handler, not run:\n# {3}> \{%\n# {5}client\.global\.set/);
    assert.match(text, /# Script, not run:\n# {3}\{\{\n# {5}console\.log/);
    assert.match(text, /# Body read from the file \.\/customer\.json, not converted/);
    assert.match(text, /^\?\? status == 200$/m);
  });

  it('takes an undefined {{baseUrl}} for the Sage API, with a warning, and leaves other hosts alone', () => {
    const r = importText('GET {{baseUrl}}/customers\n\n###\nGET {{host}}/things\n\n###\nGET https://example.com/uk/other/v1/x\n', 'a.http');
    assert.deepStrictEqual(r.files[0].requests.map((q) => q.url), ['/customers', '{{host}}/things', 'https://example.com/uk/other/v1/x']);
    assert.ok(r.summary.entries.some((e) => e.kind === 'warning' && /\{\{baseUrl\}\} is not defined/.test(e.reason)));
  });

  it('resolves to the same request that REST Client would send', async () => {
    const file = parseRequestFile(text);
    const req = await resolveRequest(file, file.requests[0], { baseUrl: 'https://api.columbus.sage.com/uk/sage200/accounts/v1', site: 's', company: 1 });
    assert.strictEqual(req.url, 'https://api.columbus.sage.com/uk/sage200/accounts/v1/customers?$top=5');
    assert.deepStrictEqual(req.headers, { Accept: 'application/json', 'X-Site': 's', 'X-Company': '1' });
  });
});

describe('curl import', () => {
  it('reads a browser\'s "Copy as cURL" with $\'…\' quoting', () => {
    const summary = new ImportSummary();
    const r = curlToRequest(String.raw`curl 'https://api.columbus.sage.com/uk/sage200/accounts/v1/customers?%24filter=name%20eq%20%27A%26B%27' \
  -H 'accept: application/json' \
  -H 'authorization: Bearer eyJhbGciOiJSUzI1NiJ9.secret' \
  -H 'x-site: 1de232cb' -H 'x-company: 1' \
  -H 'sec-fetch-mode: cors' \
  -H 'user-agent: Mozilla/5.0' \
  --data-raw $'{"name":"O\'Brien\\n"}' \
  --compressed`, { site: '1de232cb', company: 1 }, summary);
    assert.strictEqual(r.method, 'POST');
    assert.strictEqual(r.url, "/customers?$filter=name eq 'A&B'");
    assert.deepStrictEqual(r.headers, [{ name: 'accept', value: 'application/json' }]);
    assert.strictEqual(r.body, '{"name":"O\'Brien\\n"}');
    assert.doesNotMatch(summary.format(), /eyJ/);
    assert.ok(summary.entries.some((e) => e.subject.endsWith('authorization') && e.kind === 'dropped'));
  });

  it('reads the style of Sage\'s documentation, and sends the same query', async () => {
    const result = importText(`curl -X GET "https://api.columbus.sage.com/uk/sage200/accounts/v1/customers?\\$top=10&\\$orderby=name asc" -H "X-Site: {{siteId}}" -H "X-Company: 5" -H "Ocp-Apim-Subscription-Key: abc"`, 'pasted');
    const text = renderRequestFile(result.files[0]);
    assert.match(text, /^GET \/customers\?\$top=10&\$orderby=name asc\nX-Company: 5$/m);
    const file = parseRequestFile(text);
    const req = await resolveRequest(file, file.requests[0], { baseUrl: 'https://h/uk/sage200/accounts/v1' });
    assert.strictEqual(req.url, 'https://h/uk/sage200/accounts/v1/customers?$top=10&$orderby=name%20asc');
  });

  it('splits shell words as a POSIX shell does', () => {
    assert.deepStrictEqual(shellWords(`curl -d "a \\"b\\" \\$x" 'c d'\\\n  -H x:y`), ['curl', '-d', 'a "b" $x', 'c d', '-H', 'x:y']);
    assert.throws(() => shellWords(`curl 'open`), /never closed/);
  });
});

describe('environment files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-env-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('merge the root and the request folder, the private file over the public one', () => {
    const sub = path.join(dir, 'sub');
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(dir, ENV_FILE), JSON.stringify({ dev: { a: 'root', b: 'root' }, prod: { a: 'p' } }));
    fs.writeFileSync(path.join(sub, ENV_FILE), JSON.stringify({ dev: { b: 'near' } }));
    fs.writeFileSync(path.join(sub, PRIVATE_ENV_FILE), JSON.stringify({ dev: { secret: 's', n: 5 } }));
    const { environments, files, secrets } = readEnvFiles([dir, sub]);
    assert.deepStrictEqual(environments, { dev: { a: 'root', b: 'near', secret: 's', n: '5' }, prod: { a: 'p' } });
    assert.deepStrictEqual(secrets, ['s', '5']);
    assert.strictEqual(files.length, 3);
    fs.writeFileSync(path.join(sub, ENV_FILE), '{ nope');
    assert.throws(() => readEnvFiles([sub]), /http-client\.env\.json is not valid JSON/);
    // The message does not quote the file, whose values may be secrets.
    fs.rmSync(path.join(sub, ENV_FILE));
    fs.writeFileSync(path.join(sub, PRIVATE_ENV_FILE), '{ "dev": { "key": s3cret-value } }');
    assert.throws(() => readEnvFiles([sub]), (e: Error) => /private\.env\.json is not valid JSON: Unexpected token 's'$/.test(e.message) && !e.message.includes('s3cret'));
  });

  it('adds the private file to .gitignore once', () => {
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules');
    assert.strictEqual(privateEnvIgnored(dir), false);
    ignorePrivateEnv(dir);
    ignorePrivateEnv(dir);
    assert.strictEqual(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), 'node_modules\n*.private.env.json\n');
    assert.strictEqual(privateEnvIgnored(dir), true);
  });
});
