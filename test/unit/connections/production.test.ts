import * as assert from 'assert';
import { writeConfirmation } from '../../../src/core/connections/production';
import { ConnectionConfig } from '../../../src/core/connections/types';
import { SecretRegistry } from '../../../src/core/http/redact';

const base = 'https://api.columbus.sage.com/uk/sage200/accounts/v1';
const prod: ConnectionConfig = { id: 'live', name: 'Live', edition: 'standard', clientId: 'x', production: true };
const sel = { connectionId: 'live', siteId: 'SITE-GUID', siteName: 'Head Office', companyId: 2, companyName: 'Acme Ltd' };

describe('production write confirmation', () => {
  it('asks for POST, PUT and DELETE on production, naming method, path, site and company', () => {
    assert.deepStrictEqual(writeConfirmation(prod, 'post', `${base}/customers`, base, sel, { site: 'SITE-GUID', company: '2' }, true), {
      method: 'POST',
      path: '/customers',
      site: 'Head Office (SITE-GUID)',
      company: 'Acme Ltd (2)',
    });
    assert.strictEqual(writeConfirmation(prod, 'DELETE', `${base}/customers/12`, base, sel, { site: 'SITE-GUID', company: '2' }, true)?.path, '/customers/12');
    assert.strictEqual(writeConfirmation(prod, 'PUT', `${base}/customers/12?x=a%20b`, base, sel, {}, true)?.path, '/customers/12?x=a b');
  });

  it('names the ids actually sent when the request overrides X-Site / X-Company', () => {
    const c = writeConfirmation(prod, 'POST', `${base}/customers`, base, sel, { site: 'OTHER', company: '9' }, true);
    assert.strictEqual(c?.site, 'OTHER');
    assert.strictEqual(c?.company, '9');
  });

  it('does not ask for reads, non-production connections, or when the setting is off', () => {
    assert.strictEqual(writeConfirmation(prod, 'GET', `${base}/customers`, base, sel, {}, true), undefined);
    assert.strictEqual(writeConfirmation({ ...prod, production: false }, 'POST', `${base}/customers`, base, sel, {}, true), undefined);
    assert.strictEqual(writeConfirmation(prod, 'POST', `${base}/customers`, base, sel, {}, false), undefined);
  });

  it('names the path with its secrets masked: the URL was resolved for sending', () => {
    const secrets = new SecretRegistry();
    secrets.add('Pa$$ word@2024');
    const url = `${base}/partner_hook?signature=Pa$$%20word@2024&access_token=eyJhbGciOi.abc.def`;
    const c = writeConfirmation(prod, 'POST', url, base, sel, {}, true, secrets);
    assert.strictEqual(c?.path, '/partner_hook?signature=***&access_token=***');
  });
});
