/**
 * Postman scripts on import: status-only tests are found and other scripts kept as comments with
 * credential literals masked, both in time linear in the script's length whatever it holds.
 */
import * as assert from 'assert';
import { scriptComments, statusOnlyScript } from '../../../src/core/import/postmanScripts';
import { ImportSummary } from '../../../src/core/import/types';
import { assertLinear } from '../linearTime';

const comments = (source: string): string[] => scriptComments([{ listen: 'prerequest', script: { exec: source } }], 'r', new ImportSummary());

describe('postman scripts kept as comments', () => {
  it('masks the literal after a credential name, quoted or not, and nothing else', () => {
    const out = comments([
      "pm.environment.set('apiToken', 'abc123');",
      'const body = { "client_secret": "s3cret", password: `p`, name: "kept" };',
      'let x-key = "v"; const authHeader="h"; const monkey = "m";',
      'const note = "token: \'inner\'"; const tokens, other = "no";',
    ].join('\n')).join('\n');
    for (const secret of ['abc123', 's3cret', '`p`', '"v"', '"h"', '"m"', "'inner'"]) assert.ok(!out.includes(secret), `${secret} in ${out}`);
    assert.match(out, /'apiToken', '\*\*\*'/);
    assert.match(out, /"client_secret": "\*\*\*", password: `\*\*\*`, name: "kept"/);
    assert.match(out, /const tokens, other = "no"/);
  });

  it('reads status-only tests around comment lines', () => {
    const source = '\n\n  // first\npm.test("a", function () {\n\n    // why\n    pm.response.to.have.status(201);\n});\n\t// last\r\n';
    assert.deepStrictEqual(statusOnlyScript(source), [201]);
    assert.strictEqual(statusOnlyScript('// only a comment\n'), undefined);
  });

  it('finds status-only tests in linear time, whatever the blank lines', () => {
    for (const chunk of ['\n', '\n  ', '\n// c', ' \r\n']) {
      assertLinear(JSON.stringify(chunk), (n) => `${chunk.repeat(n)}x`, statusOnlyScript, Math.ceil(4000 / chunk.length));
    }
  });

  // The name was once `[\w-]*keyword[\w-]*`, tried from every position with every split of the word:
  // 5 KB of repeated `token` took 30 s.
  for (const chunk of ['token', 'a', 'token: "', 'a token', "token:'x\\", 'key-', '"secret" ', 'auth =  ']) {
    it(`masks repeated ${JSON.stringify(chunk)} in linear time`, () => {
      assertLinear(JSON.stringify(chunk), (n) => chunk.repeat(n), comments, Math.ceil(4000 / chunk.length));
    });
  }
});
