/**
 * Postman import on hostile collections: every shape that once took quadratic (or cubic) time grows
 * about linearly, and nesting that once threw a RangeError gives a clear ImportError instead.
 */
import * as assert from 'assert';
import { importText, ImportError, renderRequestFile } from '../../../src/core/import';
import { MAX_FOLDER_DEPTH } from '../../../src/core/import/postman';
import { scriptComments, statusOnlyScript } from '../../../src/core/import/postmanScripts';
import { ImportSummary } from '../../../src/core/import/types';
import { assertLinear } from '../linearTime';

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

function collection(item: unknown[], variable: unknown[] = []): string {
  return JSON.stringify({ info: { name: 'c', schema: SCHEMA }, item, variable });
}

function importCollection(text: string) {
  return importText(text, 'c.postman_collection.json');
}

describe('Postman import: bounded time and clear errors on hostile collections', function () {
  // A regression takes minutes, not milliseconds: fail it in reasonable time.
  this.timeout(30_000);

  describe('scripts', () => {
    const comments = (script: string) => scriptComments([{ listen: 'prerequest', script: { exec: [script] } }], 'r', new ImportSummary());

    it('masks credentials in a script of one long word in linear time (was cubic)', () => {
      assertLinear('"token" repeated', (n) => 'token'.repeat(n), comments, 400);
      assertLinear('"b" repeated', (n) => 'b'.repeat(n), comments, 5000);
      assertLinear('unclosed literals', (n) => 'apiToken = "x\\\n'.repeat(n), comments, 1000);
    });

    it('still masks the literal after a credential\'s name, and only that', () => {
      const out = comments(`pm.environment.set('apiToken', 'abc');\nconst body = { "password": "p\\"w", user: 'me' };\nlet key = \`k\`; token2 : 'unclosed\nauth = "x"`).join('\n');
      assert.ok(out.includes(`set('apiToken', '***')`), out);
      assert.ok(out.includes(`"password": "***"`), out);
      assert.ok(out.includes(`user: 'me'`), out);
      assert.ok(out.includes('let key = `***`'), out);
      assert.ok(out.includes(`token2 : 'unclosed`) && out.includes('auth = "***"'), out);
    });

    it('reads a test script of many blank lines in linear time (was quadratic)', () => {
      assertLinear('blank lines', (n) => `${'\n'.repeat(n)}x`, statusOnlyScript, 5000);
      assertLinear('blank lines and comments', (n) => `${'\n \n// c\n'.repeat(n)}pm.test("s", () => { pm.response.to.have.status(200); });`, statusOnlyScript, 2000);
      assert.deepStrictEqual(statusOnlyScript('\n\n  // a comment\n\npm.test("s", function () { pm.response.to.have.status(204); });\n// end'), [204]);
      assert.strictEqual(statusOnlyScript('x // pm.test("s", function () { pm.response.to.have.status(204); });'), undefined);
    });
  });

  describe('collections', () => {
    it('names a file from a folder name with a long run of spaces in linear time (was quadratic)', () => {
      assertLinear('folder "a<spaces>b"', (n) => collection([{ name: `a${' '.repeat(n)}b`, item: [{ name: 'r', request: { url: '/c' } }] }]), importCollection, 5000);
      const r = importCollection(collection([{ name: ' .. Sales. . ', item: [{ name: 'r', request: { url: '/c' } }] }]));
      assert.deepStrictEqual(r.files.map((f) => f.name), ['Sales.sage200']);
    });

    it('cuts the fragment of a URL with many "#" in linear time (was quadratic)', () => {
      // After "?", so that only the query is long: the path goes on to relativeUrl, which is not under test here.
      assertLinear('url "/c?###…\\nx"', (n) => collection([{ name: 'r', request: { url: `/c?${'#'.repeat(n)}\nx` } }]), importCollection, 5000);
      const r = importCollection(collection([{ name: 'r', request: { url: '/customers?$top=1#frag' } }]));
      assert.strictEqual(r.files[0].requests[0].url, '/customers?$top=1');
    });

    it('names files for many folders of one name in linear time (was quadratic)', () => {
      const folders = (n: number) => collection(Array.from({ length: n }, () => ({ name: 'same', item: [{ name: 'r', request: { url: '/c' } }] })));
      assertLinear('folders all named "same"', folders, importCollection, 250);
      const r = importCollection(collection(['Same', 'same (2)', 'same', 'SAME'].map((name) => ({ name, item: [{ name: 'r', request: { url: '/c' } }] }))));
      assert.deepStrictEqual(r.files.map((f) => f.name), ['Same.sage200', 'same (2).sage200', 'same (3).sage200', 'SAME (4).sage200']);
    });

    it('names path variables for many examples in linear time (was quadratic)', () => {
      const requests = (n: number) => collection(Array.from({ length: n }, (_, i) => ({ name: 'r', request: { url: { raw: '/c/:id', variable: [{ key: 'id', value: String(i) }] } } })));
      assertLinear('/c/:id with n examples', requests, importCollection, 500);
      const examples = ['1', '2', '1', '3', '2'];
      const r = importCollection(collection(examples.map((value) => ({ name: 'r', request: { url: { raw: '/c/:id', variable: [{ key: 'id', value }] } } }))));
      assert.deepStrictEqual(r.files[0].requests.map((q) => q.url), ['/c/{{id}}', '/c/{{id_2}}', '/c/{{id}}', '/c/{{id_3}}', '/c/{{id_2}}']);
      assert.deepStrictEqual(r.files[0].variables, [['id', '1'], ['id_2', '2'], ['id_3', '3']]);
    });

    it('reads many requests with many collection variables in linear time (was quadratic)', () => {
      const make = (n: number) => collection(
        Array.from({ length: n }, () => ({ name: 'r', request: { url: '{{baseUrl}}/c' } })),
        Array.from({ length: n }, (_, i) => ({ key: `v${i}`, value: 'x' })),
      );
      assertLinear('n requests x n variables', make, importCollection, 250);
    });

    it(`refuses folders nested more than ${MAX_FOLDER_DEPTH} deep with an ImportError (was a RangeError)`, () => {
      // Built as text: JSON.stringify itself runs out of stack on a few thousand levels.
      const nested = (depth: number) => `{"info":{"name":"c","schema":"${SCHEMA}"},"item":${'[{"name":"f","item":'.repeat(depth)}[{"name":"r","request":{"url":"/customers"}}]${'}]'.repeat(depth)}}`;
      for (const layout of ['files', 'sections'] as const) {
        const r = importText(nested(MAX_FOLDER_DEPTH), 'c.json', { layout });
        assert.strictEqual(r.files[0].requests.length, 1);
        for (const depth of [MAX_FOLDER_DEPTH + 1, 3000, 20_000]) {
          assert.throws(() => importText(nested(depth), 'c.json', { layout }), (e: Error) => e instanceof ImportError && /nest more than 100 deep/.test(e.message), `${layout}, ${depth} deep`);
        }
      }
    });

    it('follows a chain of 32,000 collection variables without recursion (was a RangeError)', () => {
      const n = 32_000;
      const text = collection([{ name: 'r', request: { url: '/c/{{v0}}' } }], Array.from({ length: n }, (_, i) => ({ key: `v${i}`, value: i + 1 < n ? `{{v${i + 1}}}` : 'end' })));
      const r = importCollection(text);
      assert.strictEqual(r.files[0].variables.length, n);
      assert.deepStrictEqual(r.files[0].variables[n - 1], [`v${n - 1}`, 'end']);
    });

    it('imports a body, a script and a description of 200,000 lines (was a RangeError from push(...lines))', () => {
      const lines = Array.from({ length: 200_000 }, (_, i) => `l${i}`).join('\n');
      const text = collection([{
        name: 'r', description: lines,
        request: { method: 'POST', url: '/c', body: { mode: 'raw', raw: lines } },
        event: [{ listen: 'prerequest', script: { exec: lines.split('\n') } }],
      }]);
      const r = importCollection(text);
      const rendered = renderRequestFile(r.files[0]);
      assert.ok(rendered.includes('l199999'), 'the last line is there');
    });
  });
});
