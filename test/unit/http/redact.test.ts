import * as assert from 'assert';
import { REDACTED, SecretRegistry, redactHeaders, redactText, redactUrl } from '../../../src/core/http/redact';

describe('redaction', () => {
  it('redacts secret headers, keeping the scheme', () => {
    assert.deepStrictEqual(redactHeaders({ Authorization: 'Bearer abc.def.ghi', 'Ocp-Apim-Subscription-Key': 'k123', 'X-Site': 's' }), {
      Authorization: `Bearer ${REDACTED}`,
      'Ocp-Apim-Subscription-Key': REDACTED,
      'X-Site': 's',
    });
  });

  it('redacts tokens, client_secret and code in JSON, form bodies and URLs', () => {
    const json = '{"access_token":"AAA","refresh_token" : "RRR","id_token":"III","expires_in":3600,"name":"ok"}';
    assert.strictEqual(redactText(json), `{"access_token":"${REDACTED}","refresh_token" : "${REDACTED}","id_token":"${REDACTED}","expires_in":3600,"name":"ok"}`);
    const form = 'grant_type=authorization_code&code=CODE123&client_secret=S3CR3T&redirect_uri=http%3A%2F%2F127.0.0.1';
    const out = redactText(form);
    assert.ok(!out.includes('CODE123') && !out.includes('S3CR3T') && out.includes('grant_type=authorization_code') && out.includes('redirect_uri='));
    assert.strictEqual(redactUrl('http://127.0.0.1:5/callback?code=XYZ&state=abc'), `http://127.0.0.1:5/callback?code=${REDACTED}&state=abc`);
    assert.strictEqual(redactText('sent Authorization: Bearer eyJhbGciOi.x-y_z'), `sent Authorization: Bearer ${REDACTED}`);
  });

  it('scrubs registered values anywhere, raw or URL-encoded, and ignores short ones', () => {
    const r = new SecretRegistry();
    r.add('my/secret+value==');
    r.add('short');
    assert.strictEqual(r.scrub('x my/secret+value== y my%2Fsecret%2Bvalue%3D%3D z short'), `x ${REDACTED} y ${REDACTED} z short`);
  });
});
