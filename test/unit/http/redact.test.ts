import * as assert from 'assert';
import { REDACTED, SecretRegistry, isSecretHeader, redactHeaders, redactRequest, redactText, redactUrl } from '../../../src/core/http/redact';
import { sageMessage, sageMessageOf } from '../../../src/core/http/sageMessage';

describe('redaction (the one owner)', () => {
  it('redacts secret headers, keeping the scheme', () => {
    assert.deepStrictEqual(redactHeaders({ Authorization: 'Bearer abc.def.ghi', 'Ocp-Apim-Subscription-Key': 'k123', 'X-Site': 's', Cookie: 'a=b' }), {
      Authorization: `Bearer ${REDACTED}`,
      'Ocp-Apim-Subscription-Key': REDACTED,
      'X-Site': 's',
      Cookie: REDACTED,
    });
  });

  it('treats any header named like a credential as one, whatever its case', () => {
    for (const name of ['X-Auth-Token', 'x-my-secret', 'API-KEY', 'X-Api-Key', 'proxy-authorization', 'X-Password', 'x-session-token']) {
      assert.ok(isSecretHeader(name), name);
      assert.strictEqual(redactHeaders({ [name]: 'hand-written-value' })[name], REDACTED, name);
    }
    for (const name of ['X-Site', 'X-Company', 'Accept', 'Content-Type', 'If-Match']) assert.ok(!isSecretHeader(name), name);
  });

  it('redacts tokens, client_secret and code in JSON, form bodies and URLs', () => {
    const json = '{"access_token":"AAA","refresh_token" : "RRR","id_token":"III","expires_in":3600,"name":"ok"}';
    assert.strictEqual(redactText(json), `{"access_token":"${REDACTED}","refresh_token" : "${REDACTED}","id_token":"${REDACTED}","expires_in":3600,"name":"ok"}`);
    const form = 'grant_type=authorization_code&code=CODE123&client_secret=S3CR3T&redirect_uri=http%3A%2F%2F127.0.0.1';
    assert.strictEqual(redactText(form), `grant_type=authorization_code&code=${REDACTED}&client_secret=${REDACTED}&redirect_uri=http%3A%2F%2F127.0.0.1`);
    assert.strictEqual(redactUrl('http://127.0.0.1:5/callback?code=XYZ&state=abc'), `http://127.0.0.1:5/callback?code=${REDACTED}&state=abc`);
    assert.strictEqual(redactUrl('https://h/cb?code=abc&state=s&access_token=t'), `https://h/cb?code=${REDACTED}&state=s&access_token=${REDACTED}`);
    assert.strictEqual(redactUrl('/customers?$filter=code%20eq%20%27A%27'), '/customers?$filter=code%20eq%20%27A%27');
    assert.strictEqual(redactText('sent Authorization: Bearer eyJhbGciOi.x-y_z'), `sent Authorization: Bearer ${REDACTED}`);
    const cut = redactText('{"access_token": "AT-partial-secret", "more": "x');
    assert.ok(!cut.includes('AT-partial-secret'));
  });

  it('masks JSON keys ending in token at any depth, but never a record field such as code', () => {
    const body = JSON.stringify({ code: 'WIDGET-01', token: 'T0K3N', nested: { sessionToken: 'S1', refresh_token: 'RT' }, password: 'pw', token_type: 'Bearer', name: 'x' });
    assert.deepStrictEqual(JSON.parse(redactText(body)), {
      code: 'WIDGET-01', token: REDACTED, nested: { sessionToken: REDACTED, refresh_token: REDACTED }, password: REDACTED, token_type: 'Bearer', name: 'x',
    });
  });

  it('redacts a whole request', () => {
    const r = redactRequest({ method: 'POST', url: '/token?client_secret=zz', headers: { authorization: 'Basic abc' }, body: '{"password":"pw"}' });
    assert.deepStrictEqual(r, { method: 'POST', url: `/token?client_secret=${REDACTED}`, headers: { authorization: `Basic ${REDACTED}` }, body: `{"password":"${REDACTED}"}` });
  });

  it('scrubs registered values anywhere, raw or URL-encoded, and ignores very short ones', () => {
    const r = new SecretRegistry();
    r.add('my/secret+value==');
    r.add('hunter2');
    r.add('abc');
    assert.strictEqual(r.scrub('x my/secret+value== y my%2Fsecret%2Bvalue%3D%3D z hunter2 abc'), `x ${REDACTED} y ${REDACTED} z ${REDACTED} abc`);
    assert.strictEqual(redactHeaders({ 'X-Note': 'pw hunter2' }, r)['X-Note'], `pw ${REDACTED}`);
  });

  it('ends in time proportional to the input on hostile text', () => {
    const hostile = '"'.repeat(200_000) + '='.repeat(200_000) + 'a&'.repeat(100_000);
    const started = Date.now();
    redactText(hostile);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });
});

describe("Sage's error message (the one owner)", () => {
  it("pulls Sage's message out of the body", () => {
    const dup = 'The account reference already exists. You cannot have two accounts with the same account reference.';
    assert.strictEqual(sageMessage({ Message: dup }), dup);
    assert.strictEqual(sageMessage({ message: 'x' }), 'x');
    assert.strictEqual(sageMessage({ error: { message: 'inner' } }), 'inner');
    assert.strictEqual(sageMessage({ error: 'invalid_grant', error_description: 'The code has expired' }), 'The code has expired');
    assert.strictEqual(sageMessage({ error: 'invalid_grant' }), 'invalid_grant');
    assert.strictEqual(sageMessage([{ Message: 'a' }, { Message: 'b' }]), 'a\nb');
    assert.strictEqual(sageMessage('{"Message":"from text"}'), 'from text');
    assert.strictEqual(sageMessage('plain failure'), 'plain failure');
    assert.strictEqual(sageMessage('<html><body>IIS</body></html>'), undefined);
    assert.strictEqual(sageMessage({ id: 1 }), undefined);
  });

  it('reads a response: its JSON, else the start of its text', () => {
    assert.strictEqual(sageMessageOf({ json: { Message: 'from json' }, body: new TextEncoder().encode('ignored') }), 'from json');
    assert.strictEqual(sageMessageOf({ body: new TextEncoder().encode('Service Unavailable') }), 'Service Unavailable');
    assert.strictEqual(sageMessageOf({ body: new Uint8Array() }), undefined);
  });
});
