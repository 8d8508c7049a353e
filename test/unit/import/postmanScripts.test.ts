/**
 * Postman scripts on import: status-only tests are found and other scripts kept as comments with
 * credential literals masked, both in time linear in the script's length whatever it holds.
 */
import * as assert from 'assert';
import { scriptComments, statusOnlyScript } from '../../../src/core/import/postmanScripts';
import { ImportSummary } from '../../../src/core/import/types';

const comments = (source: string): string[] => scriptComments([{ listen: 'prerequest', script: { exec: source } }], 'r', new ImportSummary());

/** Best-of-3 time of `fn()`. */
function time(fn: () => unknown): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

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
      const reps = Math.ceil(4000 / chunk.length);
      const run = (n: number) => () => statusOnlyScript(`${chunk.repeat(n)}x`);
      run(reps)(); // warm up
      let best = Infinity;
      for (let attempt = 0; attempt < 5 && best >= 32; attempt++) best = Math.min(best, time(run(reps * 16)) / Math.max(time(run(reps)), 2));
      assert.ok(best < 64, `${JSON.stringify(chunk)}: ratio ${best.toFixed(1)}`);
    }
  });

  // The name was once `[\w-]*keyword[\w-]*`, tried from every position with every split of the word:
  // 5 KB of repeated `token` took 30 s.
  for (const chunk of ['token', 'a', 'token: "', 'a token', "token:'x\\", 'key-', '"secret" ', 'auth =  ']) {
    it(`masks repeated ${JSON.stringify(chunk)} in linear time`, () => {
      const reps = Math.ceil(4000 / chunk.length);
      const small = chunk.repeat(reps);
      const big = chunk.repeat(reps * 16);
      comments(small); // warm up
      // Linear gives about 16 (up to about 34 with caches); quadratic 256. Best of five tries.
      let best = Infinity;
      for (let attempt = 0; attempt < 5 && best >= 32; attempt++) {
        best = Math.min(best, time(() => comments(big)) / Math.max(time(() => comments(small)), 2));
      }
      assert.ok(best < 64, `ratio ${best.toFixed(1)}`);
    });
  }
});
