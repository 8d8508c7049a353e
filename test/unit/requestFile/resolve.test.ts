import * as assert from 'assert';
import {
  encodeQuery, NamedExchange, parseRequestFile, queryJsonPath, resolveRequest, toCSharp, toCurl, toFetch, VariableContext, VariableError,
} from '../../../src/core/requestFile';

const BASE = 'https://api.columbus.sage.com/uk/sage200/accounts/v1';

async function resolve(text: string, ctx: VariableContext & { baseUrl?: string } = {}, index = 0) {
  const file = parseRequestFile(text);
  return resolveRequest(file, file.requests[index], { baseUrl: BASE, ...ctx });
}

describe('request resolution', () => {
  it('joins a relative path to the base URL and URL-encodes the query (spaces as %20)', async () => {
    const req = await resolve("GET /customers?$filter=name eq 'A&B Ltd' and on_hold eq true&$top=10");
    assert.strictEqual(req.url, `${BASE}/customers?$filter=name%20eq%20'A%26B%20Ltd'%20and%20on_hold%20eq%20true&$top=10`);
    assert.strictEqual(req.method, 'GET');
  });

  it('joins continuation lines with & and keeps absolute URLs', async () => {
    const req = await resolve('GET https://example.test/x\n    ?a=1 2\n    &b=#3\n');
    assert.strictEqual(req.url, 'https://example.test/x?a=1%202&b=%233');
  });

  it('does not double the base path when the file repeats it, and keeps %XX escapes', async () => {
    const req = await resolve('GET /uk/sage200/accounts/v1/customers?$filter=name eq %27x%27');
    assert.strictEqual(req.url, `${BASE}/customers?$filter=name%20eq%20%27x%27`);
  });

  it('leaves the path relative without a base URL (the client joins it)', async () => {
    const file = parseRequestFile('GET /customers?$top=1');
    const req = await resolveRequest(file, file.requests[0], {});
    assert.strictEqual(req.url, '/customers?$top=1');
  });

  it('adds X-Site and X-Company from the selection unless the request sets them', async () => {
    const a = await resolve('GET /customers', { site: 'S1', company: 7 });
    assert.deepStrictEqual(a.headers, { 'X-Site': 'S1', 'X-Company': '7' });
    const b = await resolve('GET /customers\nx-site: mine\n', { site: 'S1', company: 7 });
    assert.deepStrictEqual(b.headers, { 'x-site': 'mine', 'X-Company': '7' });
  });

  it('substitutes file variables (recursively), environments and $shared, file variables winning', async () => {
    const text = '@id = {{prefix}}7\n@prefix = 2\n@top = 5\n###\nPUT /customers/{{id}}?$top={{top}}\nX-Env: {{envOnly}}/{{shared}}\n\n{"n": "{{top}}"}';
    const req = await resolve(text, { environments: { $shared: { shared: 'S', top: '99' }, dev: { envOnly: 'E' } }, environment: 'dev' });
    assert.strictEqual(req.url, `${BASE}/customers/27?$top=5`);
    assert.strictEqual(req.headers['X-Env'], 'E/S');
    assert.strictEqual(req.body, '{"n": "5"}');
    assert.strictEqual(req.headers['Content-Type'], 'application/json');
  });

  it('resolves system variables with injected time and ids', async () => {
    const now = new Date('2024-03-01T10:00:00.000Z');
    const req = await resolve('GET /x?a={{$guid}}&b={{$timestamp}}&c={{$datetime iso8601 -1 d}}&d={{$site}}&e={{$company}}&f={{$datetime rfc1123}}', {
      now: () => now, uuid: () => 'G-1', site: 'SITE', company: 3,
    });
    assert.strictEqual(req.url, `${BASE}/x?a=G-1&b=1709287200&c=2024-02-29T10:00:00.000Z&d=SITE&e=3&f=Fri,%2001%20Mar%202024%2010:00:00%20GMT`);
  });

  it('asks the host for $dotenv and $prompt (once per name)', async () => {
    let prompts = 0;
    const req = await resolve('GET /x?k={{$dotenv KEY}}&p={{$prompt ref Reference}}&q={{$prompt ref}}', {
      host: { dotenv: (n) => (n === 'KEY' ? 'v1' : undefined), prompt: async (n, d) => { prompts++; return `${n}:${d}`; } },
    });
    assert.strictEqual(req.url, `${BASE}/x?k=v1&p=ref:Reference&q=ref:Reference`);
    assert.strictEqual(prompts, 1);
  });

  it('takes values from named responses with JSONPath and headers', async () => {
    const text = '### a\n# @name list\nGET /customers\n\n### b\nPUT /customers/{{list.response.body.$[1].id}}\nX-Etag: {{list.response.headers.ETag}}\n\n{"ids": {{list.response.body.$[*].id}}}';
    const exchange: NamedExchange = { response: { status: 200, headers: { etag: 'W/1' }, body: '[{"id":1},{"id":2}]' } };
    const asked: string[] = [];
    const req = await resolve(text, { host: { exchange: (n) => { asked.push(n); return exchange; } } }, 1);
    assert.strictEqual(req.url, `${BASE}/customers/2`);
    assert.strictEqual(req.headers['X-Etag'], 'W/1');
    assert.strictEqual(req.body, '{"ids": [1,2]}');
    assert.deepStrictEqual([...new Set(asked)], ['list']);
  });

  it('fails with the span of the reference when a value is missing', async () => {
    const text = 'GET /x/{{nope}}';
    await assert.rejects(resolve(text), (e: unknown) => e instanceof VariableError && text.slice(e.span.start, e.span.end) === '{{nope}}' && /Undefined variable "nope"/.test(e.message));
    await assert.rejects(resolve('### a\n# @name a\nGET /x\n###\nGET /y/{{a.response.body.$.id}}', { host: { exchange: () => undefined } }, 1), /has not been sent yet/);
    await assert.rejects(resolve('@a = {{b}}\n@b = {{a}}\n###\nGET /{{a}}'), /refers to itself/);
    await assert.rejects(resolve('GET /x?p={{$prompt name}}', { host: { prompt: async () => undefined } }), /No value given for "name"/);
  });
});

describe('JSONPath subset', () => {
  const doc = { a: [{ id: 1, n: { x: 'p' } }, { id: 2 }], 'odd key': true };
  it('supports $, .field, [n], negative [n], [*] and [\'key\']', () => {
    assert.deepStrictEqual(queryJsonPath(doc, '$.a[0].id'), [1]);
    assert.deepStrictEqual(queryJsonPath(doc, '$.a[-1].id'), [2]);
    assert.deepStrictEqual(queryJsonPath(doc, '$.a[*].id'), [1, 2]);
    assert.deepStrictEqual(queryJsonPath(doc, "$['odd key']"), [true]);
    assert.deepStrictEqual(queryJsonPath(doc, 'a[0].n.x'), ['p']);
    assert.deepStrictEqual(queryJsonPath(doc, '$.missing.x'), []);
    assert.throws(() => queryJsonPath(doc, '$.a[?(@.id)]'), /not supported/);
  });

  it('[*] fans out arrays and objects longer than the call stack allows', async () => {
    // 300,000 arguments to one push() overflow the stack (a RangeError from about 130,000).
    const n = 300000;
    const items = Array.from({ length: n }, (_, i) => i);
    assert.strictEqual(queryJsonPath(items, '$[*]').length, n);
    assert.strictEqual(queryJsonPath({ a: Object.fromEntries(items.map((i) => [`k${i}`, i])) }, '$.a[*]').length, n);
    // Through a response reference: zeros keep it under the expansion limit, and it is no "Invalid JSONPath".
    const zeros = JSON.stringify(new Array(200000).fill(0));
    const exchange: NamedExchange = { response: { status: 200, headers: {}, body: zeros } };
    const req = await resolve('### a\n# @name list\nGET /x\n\n### b\nPOST /y\n\n{{list.response.body.$[*]}}', { host: { exchange: () => exchange } }, 1);
    assert.strictEqual(req.body, zeros);
  });
});

describe('encodeQuery', () => {
  it('encodes what a URL cannot carry and keeps OData punctuation readable', () => {
    assert.strictEqual(encodeQuery("$filter=contains(name,'O''Brien + Co')&$select=id,name"), "$filter=contains(name,'O''Brien%20%2B%20Co')&$select=id,name");
    assert.strictEqual(encodeQuery('a=é€😀'), 'a=%C3%A9%E2%82%AC%F0%9F%98%80');
    assert.strictEqual(encodeQuery('a=\ud800'), 'a=%EF%BF%BD');
  });
});

describe('copy as code', () => {
  const req = { method: 'POST', url: `${BASE}/customers`, headers: { 'Content-Type': 'application/json', 'X-Site': 's', 'Ocp-Apim-Subscription-Key': 'sub-secret' }, body: '{"name":"O\'Neil"}' };
  it('curl: token and secret headers become placeholders unless the token is given', () => {
    const curl = toCurl(req, { withAuthorization: true });
    assert.ok(curl.includes('"Authorization: Bearer $SAGE200_TOKEN"'));
    assert.ok(!curl.includes('sub-secret'));
    assert.ok(curl.includes(`--data-raw '{"name":"O'\\''Neil"}'`));
    const withToken = toCurl(req, { withAuthorization: true, token: 'tok-123' });
    assert.ok(withToken.includes("'Authorization: Bearer tok-123'"));
  });
  it('TypeScript fetch and C# HttpClient read the token from the environment', () => {
    const ts = toFetch(req, { withAuthorization: true });
    assert.ok(ts.includes('process.env.SAGE200_TOKEN'));
    assert.ok(ts.includes('method: "POST"'));
    const cs = toCSharp(req, { withAuthorization: true });
    assert.ok(cs.includes('HttpMethod.Post'));
    assert.ok(cs.includes('Environment.GetEnvironmentVariable("SAGE200_TOKEN")'));
    assert.ok(cs.includes('new StringContent("{\\"name\\":\\"O\'Neil\\"}", System.Text.Encoding.UTF8, "application/json")'));
    assert.ok(!cs.includes('sub-secret') && !ts.includes('sub-secret'));
  });
});
