import * as assert from 'assert';
import { DOMParser } from '@xmldom/xmldom';
import { startSandbox, RunningSandbox } from '../../../src/core/sandbox';
import { HttpResponse, Sage200Client, SecretRegistry } from '../../../src/core/http';
import { parseRequestFile } from '../../../src/core/requestFile';
import { FileReport, githubAnnotations, junitReport, RequestResult, runFile, summarize, textReport } from '../../../src/core/testing';

describe('test runner: a file against the sandbox over HTTP', function () {
  this.timeout(30_000);
  let sb: RunningSandbox;
  let client: Sage200Client;
  let site: string;
  let company: number;
  let sent: string[];
  const secrets = new SecretRegistry();

  before(async () => {
    sb = await startSandbox({ scale: 0.2 });
    const token = sb.mintToken().access_token;
    secrets.add(token);
    client = new Sage200Client({ baseUrl: sb.standardBaseUrl, tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined }, secrets, retry: { maxAttempts: 1 } });
    const sites = (await (await fetch(`${sb.standardBaseUrl}/sites`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { site_id: string; company_id: number }[];
    site = sites[0].site_id;
    company = sites[0].company_id;
  });
  after(async () => {
    client?.dispose();
    await sb?.close();
  });

  const run = async (text: string, extra: Partial<Parameters<typeof runFile>[0]> = {}) => {
    sent = [];
    const file = parseRequestFile(text);
    const results: RequestResult[] = [];
    const out = await runFile({
      file, context: { site, company, environments: { $shared: { ref: 'TESTREF1' } } }, baseUrl: sb.standardBaseUrl,
      send: (req) => {
        sent.push(`${req.method} ${new URL(req.url).pathname}`);
        return client.send(req, { site, company });
      },
      onResult: (r) => results.push(r),
      scrub: (s) => secrets.scrub(s),
      ...extra,
    });
    assert.deepStrictEqual(out.results.map((r) => r.index).sort(), results.map((r) => r.index).sort(), 'each result is told once');
    return { file, results: out.results };
  };

  it('runs top to bottom, references first, teardown last; a failed assertion does not stop', async () => {
    const { results, file } = await run([
      '### Clean up',
      '# @teardown',
      'DELETE /customers/{{created.response.body.$.id}}',
      '?? status < 300',
      '',
      '### One of them, by id',
      'GET /customers/{{firstCustomers.response.body.$[0].id}}',
      '?? body $.reference == {{firstCustomers.response.body.$[0].reference}}',
      '?? status == 418',
      '',
      '### First customers',
      '# @name firstCustomers',
      'GET /customers?$orderby=id asc&$top=5',
      '?? status == 200',
      '?? header content-type contains json',
      '?? count == 5',
      '?? body $[0].reference exists',
      '?? duration < 20000',
      '',
      '### Create',
      '# @name created',
      'POST /customers',
      '',
      '{ "reference": "{{ref}}", "name": "Runner test" }',
      '?? status < 300',
      '?? body $.reference == {{ref}}',
    ].join('\n'));
    assert.deepStrictEqual(sent.map((s) => s.replace(/\d+$/, 'N')), ['GET /uk/sage200/accounts/v1/customers', 'GET /uk/sage200/accounts/v1/customers/N', 'POST /uk/sage200/accounts/v1/customers', 'DELETE /uk/sage200/accounts/v1/customers/N']);
    assert.deepStrictEqual(results.map((r) => [r.title, r.status]), [['One of them, by id', 'failed'], ['First customers', 'passed'], ['Create', 'passed'], ['Clean up', 'passed']]);
    const failed = results[0].assertions.filter((a) => !a.passed);
    assert.deepStrictEqual(failed.map((a) => [a.line.text, a.expected, a.actual]), [['status == 418', '418', '200']]);
    const report: FileReport = { file: 'a.sage200', lines: file.lines, results, durationMs: 10 };
    const text = textReport([report]);
    assert.match(text, /line 9: expected status == 418, actual 200/);
    assert.strictEqual(text.trimEnd().split('\n').pop(), '3 passed, 1 failed');
  });

  it('no answer stops the file: the rest is skipped, teardown still runs, the token never shows', async () => {
    const { results } = await run([
      '### ok',
      'GET /customers?$top=1',
      '?? status == 200',
      '### away',
      'GET http://127.0.0.1:1/nothing',
      '?? status == 200',
      '### after',
      'GET /customers?$top=1',
      '?? status == 200',
      '### bye',
      '# @teardown',
      'GET /sites',
      '?? status == 200',
    ].join('\n'));
    assert.deepStrictEqual(results.map((r) => r.status), ['passed', 'error', 'skipped', 'passed']);
    assert.ok(results[1].noAnswer);
    assert.match(results[2].reason!, /skipped: "away" got no answer/);
    const all = JSON.stringify(results.map((r) => [r.reason, r.assertions.map((a) => a.message)]));
    for (const [k, v] of Object.entries(sb.mintToken())) if (k === 'access_token') assert.ok(!all.includes(String(v)));
  });

  it('an unresolved variable stops the file unless it says # @continueOnError', async () => {
    const text = ['### a', 'GET /customers/{{nope}}', '?? status == 200', '### b', 'GET /customers?$top=1', '?? status == 200'].join('\n');
    let { results } = await run(text);
    assert.deepStrictEqual(results.map((r) => r.status), ['error', 'skipped']);
    assert.match(results[0].reason!, /Undefined variable "nope"/);
    ({ results } = await run(`# @continueOnError\n${text}`));
    assert.deepStrictEqual(results.map((r) => r.status), ['error', 'passed']);
  });

  it('sends a request the checker flags when it has assertions, and skips it when it has none', async () => {
    const text = ['### flagged test', 'GET /customers?$skip=5', '?? status == 400', '### flagged', 'GET /customers?$skip=5'].join('\n');
    const { results } = await run(text, { flagged: (r) => (r.requestLine?.url.includes('$skip') ? '$skip needs $orderby' : undefined), context: { site, company } });
    assert.deepStrictEqual(results.map((r) => [r.status, r.reason]), [['passed', undefined], ['skipped', 'not sent: $skip needs $orderby']]);
    assert.deepStrictEqual(sent, ['GET /uk/sage200/accounts/v1/customers']);
  });

  it('runs only the chosen test with what it references; shouldStop skips the rest', async () => {
    const text = ['### a', '# @name a', 'GET /customers?$top=1', '### b', 'GET /sites', '?? status == 200', '### c', 'GET /customers/{{a.response.body.$[0].id}}', '?? status == 200'].join('\n');
    let { results } = await run(text, { only: new Set([2]) });
    assert.deepStrictEqual(results.map((r) => [r.title, r.status]), [['a', 'sent'], ['c', 'passed']]);
    ({ results } = await run(text, { shouldStop: () => sent.length > 0 }));
    assert.deepStrictEqual(results.map((r) => r.status), ['sent', 'skipped', 'skipped']);
  });
});

describe('test reporters', () => {
  const file = parseRequestFile(['### Good <one>', 'GET /a', '?? status == 200', '### Bad & "quoted"', 'GET /b', '?? status == 200', '?? count == 2', '### Gone', 'GET /c', '?? status == 200', '### Later', 'GET /d', '?? status == 200', '### setup', 'GET /e'].join('\n'));
  const [a, b, c, d, e] = file.requests;
  const results: RequestResult[] = [
    { index: 0, title: 'Good <one>', teardown: false, isTest: true, status: 'passed', assertions: [{ line: a.assertions[0], passed: true, message: 'status == 200' }], httpStatus: 200, durationMs: 12 },
    {
      index: 1, title: 'Bad & "quoted"', teardown: false, isTest: true, status: 'failed', httpStatus: 404, durationMs: 8,
      assertions: [
        { line: b.assertions[0], passed: false, actual: '404', expected: '200', message: 'expected status == 200, actual 404' },
        { line: b.assertions[1], passed: false, actual: '(none)', expected: '2', message: 'expected count == 2, actual (none)' },
      ],
    },
    { index: 2, title: 'Gone', teardown: false, isTest: true, status: 'error', noAnswer: true, reason: 'connect ECONNREFUSED: a,b:c%', assertions: [] },
    { index: 3, title: 'Later', teardown: false, isTest: true, status: 'skipped', reason: 'skipped: "Gone" got no answer', assertions: [] },
    { index: 4, title: 'setup', teardown: false, isTest: false, status: 'sent', httpStatus: 200, assertions: [] },
  ];
  void c; void d; void e;
  const reports: FileReport[] = [{ file: 'tests/a.sage200', lines: file.lines, results, durationMs: 1234 }];

  it('summarises tests only', () => {
    assert.deepStrictEqual(summarize(reports), { passed: 1, failed: 2, skipped: 1, errors: 1, noAnswer: 1 });
  });

  it('JUnit: well-formed XML in the shape JUnit consumers read, counts matching the cases', () => {
    const xml = junitReport(reports, new Date('2026-12-07T10:00:00.000Z'));
    const problems: string[] = [];
    const doc = new DOMParser({ onError: (level, msg) => problems.push(`${level}: ${msg}`) }).parseFromString(xml, 'text/xml');
    assert.deepStrictEqual(problems, []);
    const root = doc.documentElement!;
    assert.strictEqual(root.nodeName, 'testsuites');
    const suites = Array.from(root.getElementsByTagName('testsuite'));
    assert.strictEqual(suites.length, 1);
    const s = suites[0];
    const cases = Array.from(s.getElementsByTagName('testcase'));
    const count = (tag: string): number => cases.filter((k) => k.getElementsByTagName(tag).length > 0).length;
    // The attributes Jenkins' JUnit plugin, GitLab and dorny/test-reporter read, consistent with the children.
    assert.deepStrictEqual(
      ['tests', 'failures', 'errors', 'skipped'].map((k) => Number(s.getAttribute(k))),
      [cases.length, count('failure'), count('error'), count('skipped')],
    );
    assert.deepStrictEqual(['tests', 'failures', 'errors', 'skipped'].map((k) => root.getAttribute(k)), ['4', '1', '1', '1']);
    assert.strictEqual(s.getAttribute('name'), 'tests/a.sage200');
    assert.strictEqual(s.getAttribute('timestamp'), '2026-12-07T10:00:00');
    assert.match(s.getAttribute('time')!, /^\d+\.\d{3}$/);
    assert.deepStrictEqual(cases.map((k) => k.getAttribute('name')), ['Good <one>', 'Bad & "quoted"', 'Gone', 'Later']);
    for (const k of cases) assert.strictEqual(k.getAttribute('classname'), 'tests/a.sage200');
    const failure = cases[1].getElementsByTagName('failure')[0];
    assert.strictEqual(failure.getAttribute('message'), 'expected status == 200, actual 404');
    assert.match(failure.textContent!, /line 6: \?\? status == 200\n {2}expected status == 200, actual 404\nline 7: \?\? count == 2/);
  });

  it('GitHub annotations: one ::error per failed assertion and per error, escaped, then the summary', () => {
    const lines = githubAnnotations(reports).trimEnd().split('\n');
    assert.deepStrictEqual(lines, [
      '::error file=tests/a.sage200,line=6,title=Bad & "quoted"::expected status == 200, actual 404',
      '::error file=tests/a.sage200,line=7,title=Bad & "quoted"::expected count == 2, actual (none)',
      '::error file=tests/a.sage200,title=Gone::connect ECONNREFUSED: a,b:c%25',
      '1 passed, 2 failed',
    ]);
  });
});

describe('test runner: an assertion that cannot be checked', () => {
  it('fails that line and goes on with the run', async () => {
    // Nothing in a parsed body makes evaluation throw any more; a BigInt stands in for an unforeseen bug.
    const answer = (json: unknown) => ({
      status: 200, statusText: 'OK', headers: {}, body: new TextEncoder().encode('{}'), json, size: 2,
      timing: { totalMs: 1 }, attempts: 1,
    });
    const file = parseRequestFile('### A\nGET https://example.test/a\n?? body == {"a":1}\n?? status == 200\n\n### B\nGET https://example.test/b\n?? status == 200\n');
    const out = await runFile({
      file, context: {},
      send: async (req) => ({ ...answer(req.url.endsWith('/a') ? { a: BigInt(1) } : {}), request: req }) as unknown as HttpResponse,
    });
    assert.deepStrictEqual(out.results.map((r) => r.status), ['failed', 'passed']);
    const [bad, good] = out.results[0].assertions;
    assert.match(bad.message, /^the assertion could not be checked: .*BigInt/);
    assert.ok(good.passed);
  });
});
