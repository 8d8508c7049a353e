/**
 * The secret registry masks a value in every spelling the project itself gives it on the wire (the
 * request-file encoders, encodeURIComponent, form encoding), and the viewer's chunked body too.
 */
import * as assert from 'assert';
import { REDACTED, SecretRegistry, redactText, scrubChunks } from '../../../src/core/http/redact';
import { encodePath, encodeQuery } from '../../../src/core/http/urlEncoding';
import { Sage200Client } from '../../../src/core/http';
import { History } from '../../../src/core/history';
import { FileAnalysis } from '../../../src/core/language';
import { resolveRequest } from '../../../src/core/requestFile';
import { startServer, json as answer } from './servers';

const SECRET = "Pa$$ word@2024&x=1+y#'z";

describe('secret registry: every spelling the project encodes', () => {
  it('masks the value raw, URL-encoded, in a request-file path and query (quoted or not) and form-encoded', () => {
    const secrets = new SecretRegistry();
    secrets.add(SECRET);
    const quoted = encodeQuery(`'${SECRET}'`).slice(1);
    const spellings = {
      raw: SECRET,
      encodeURIComponent: encodeURIComponent(SECRET),
      path: encodePath(SECRET),
      query: encodeQuery(SECRET),
      quotedQuery: quoted.slice(0, quoted.lastIndexOf("'")),
      form: new URLSearchParams({ p: SECRET }).toString().slice(2),
    };
    assert.ok(new Set(Object.values(spellings)).size >= 5, 'the spellings differ');
    for (const [name, s] of Object.entries(spellings)) {
      assert.strictEqual(secrets.scrub(`GET /x?a=${s}&b=2`), `GET /x?a=${REDACTED}&b=2`, name);
    }
  });

  it('a $dotenv value inside an OData string stays out of the log and history', async () => {
    const server = await startServer((_q, res) => answer(res, 200, []));
    const secrets = new SecretRegistry();
    const lines: string[] = [];
    const logger = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
    const client = new Sage200Client({ baseUrl: server.url, secrets, logger, retry: { maxAttempts: 1 } });
    try {
      const value = 'Pa$$ word@2024';
      const fa = new FileAnalysis("### Find\nGET /customers?$filter=analysis_code_1 eq '{{$dotenv PARTNER_PASS}}'\n");
      const req = await resolveRequest(fa.file, fa.file.requests[0], { host: { dotenv: () => (secrets.add(value), value) } });
      const res = await client.send(req);
      assert.ok(server.seen[0].url.includes('Pa$$%20word@2024'), 'the value itself went out');
      const store = new Map<string, unknown>();
      const history = new History({ get: (k) => store.get(k) as never, update: async (k, v) => void store.set(k, v) }, { secrets });
      await history.add({ request: res.request, response: res });
      const logged = lines.map((l) => redactText(l, secrets)).join('\n');
      const stored = JSON.stringify([...store.values()]);
      const leaks = (s: string) => s.includes('Pa$$%20word@2024') || decodeURIComponent(s).includes(value);
      assert.ok(logged.includes('customers'), logged);
      assert.ok(!leaks(logged), logged);
      assert.ok(!leaks(stored), stored);
    } finally {
      client.dispose();
      await server.close();
    }
  });

  it('scrubs a chunked text as a whole: a value cut by a chunk boundary is masked, the count is kept', () => {
    const secrets = new SecretRegistry();
    secrets.add('dotenv-pass-5566');
    const text = `[{"a":"dotenv-pass-5566"},{"b":"x dotenv-pass-5566 y"},{"c":"😀"}]`;
    for (let cut = 1; cut < text.length - 1; cut++) {
      const chunks = [text.slice(0, cut), text.slice(cut, cut + 7), text.slice(cut + 7)];
      const out = [...scrubChunks(chunks, secrets)];
      assert.strictEqual(out.length, 3, `cut ${cut}`);
      assert.strictEqual(out.join(''), secrets.scrub(text), `cut ${cut}`);
      assert.ok(out.every((c) => !/[\ud800-\udbff]$/.test(c)), `cut ${cut}: a surrogate pair split between chunks`);
    }
    const none = ['a', 'b'];
    assert.deepStrictEqual([...scrubChunks(none, new SecretRegistry())], none, 'no secret registered, no work');
  });
});
