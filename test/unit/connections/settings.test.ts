import * as assert from 'assert';
import { parseConnections, slugify, toSettingsEntry } from '../../../src/core/connections/settings';
import { PROFESSIONAL_BASE_URL, baseUrlOf, displayPath } from '../../../src/core/connections/types';

describe('sage200.connections parsing', () => {
  it('fills defaults, derives ids, and keeps valid entries beside invalid ones', () => {
    const { connections, errors } = parseConnections([
      { name: 'Live Company', edition: 'professional', clientId: ' abc ', production: true },
      { name: 'LAN', edition: 'custom', baseUrl: 'https://s200:8080/uk/sage200extra/accounts/v1/', clientId: 'x', redirectPort: 33333, usePkce: false },
      { name: 'Live Company', edition: 'standard', clientId: 'y' },
      { name: 'Broken', edition: 'custom', clientId: 'z' },
      { edition: 'enterprise', clientId: '' },
      { name: 'Leaky', edition: 'standard', clientId: 'q', clientSecret: 'do-not-put-me-here' },
      'not an object',
    ]);
    assert.deepStrictEqual(connections.map((c) => c.id), ['live-company', 'lan', 'live-company-2']);
    const live = connections[0];
    assert.strictEqual(live.clientId, 'abc');
    assert.strictEqual(live.authority, 'https://id.sage.com');
    assert.strictEqual(live.audience, 's200ukipd/sage200');
    assert.deepStrictEqual(live.scopes, ['openid', 'profile', 'email', 'offline_access']);
    assert.strictEqual(live.usePkce, true);
    assert.strictEqual(live.production, true);
    assert.strictEqual(baseUrlOf(live), PROFESSIONAL_BASE_URL);
    assert.strictEqual(baseUrlOf(connections[1]), 'https://s200:8080/uk/sage200extra/accounts/v1');
    assert.strictEqual(connections[1].usePkce, false);
    assert.deepStrictEqual(errors, [
      'Connection "Broken": a custom connection needs "baseUrl".',
      'Connection #5: "name" is required.',
      'Connection #5: "edition" must be one of standard, professional, custom.',
      'Connection #5: "clientId" is required.',
      'Connection "Leaky": "clientSecret" must not be in settings. Use the command "Sage 200: Set Client Secret" or "Set Subscription Key", which keep it in the secret store.',
      'Connection #7: must be an object.',
    ]);
    assert.ok(!JSON.stringify(connections).includes('do-not-put-me-here'));
  });

  it('rejects a duplicate explicit id, bad ports and non-loopback http redirects', () => {
    const { connections, errors } = parseConnections([
      { id: 'a', name: 'A', edition: 'standard', clientId: 'x' },
      { id: 'a', name: 'B', edition: 'standard', clientId: 'x' },
      { name: 'C', edition: 'standard', clientId: 'x', redirectPort: 70000 },
      { name: 'D', edition: 'standard', clientId: 'x', redirectUri: 'http://evil.example/callback' },
    ]);
    assert.deepStrictEqual(connections.map((c) => c.id), ['a']);
    assert.deepStrictEqual(errors, [
      'Connection "B": the id "a" is used twice.',
      'Connection "C": "redirectPort" must be a port number from 0 to 65535.',
      'Connection "D": "redirectUri" must be an https URL or a loopback http URL.',
    ]);
    assert.deepStrictEqual(parseConnections({}).errors, ['"sage200.connections" must be a list of connections.']);
    assert.deepStrictEqual(parseConnections(undefined), { connections: [], errors: [] });
  });

  it('writes settings entries without defaults, and they parse back to the same connection', () => {
    const [c] = parseConnections([{ name: 'Ünïcode Co', edition: 'standard', clientId: 'id1', redirectPort: 33333 }]).connections;
    assert.strictEqual(c.id, 'unicode-co');
    const entry = toSettingsEntry(c);
    assert.deepStrictEqual(entry, { id: 'unicode-co', name: 'Ünïcode Co', edition: 'standard', clientId: 'id1', redirectPort: 33333 });
    assert.deepStrictEqual(parseConnections([entry]).connections[0], c);
    assert.strictEqual(slugify('!!!'), 'connection');
  });
});

describe('displayPath', () => {
  it('shows the path below Sage API prefix and the query, decoded', () => {
    assert.strictEqual(displayPath(`${PROFESSIONAL_BASE_URL}/customers?$filter=name%20eq%20'A'`), "/customers?$filter=name eq 'A'");
    assert.strictEqual(displayPath('https://api.columbus.sage.com/uk/sage200/accounts/v1/customers/27825'), '/customers/27825');
    assert.strictEqual(displayPath('/sop_orders?$top=5'), '/sop_orders?$top=5');
    assert.strictEqual(displayPath('http://127.0.0.1:9/other/path?x=%ZZ'), '/other/path?x=%ZZ');
  });
});
