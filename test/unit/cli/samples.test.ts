import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../../src/cli';
import { parseRequestFile } from '../../../src/core/requestFile';

const ROOT = path.join(__dirname, '..', '..', '..');

// The project's CI runs the samples as tests against the sandbox, as a user's CI would.
describe('samples as tests: sage200 test samples/*.sage200 --sandbox', function () {
  this.timeout(60_000);

  it('every sample passes, and every request with assertions is a test', async () => {
    let stdout = '';
    let stderr = '';
    const code = await main(['test', path.join(ROOT, 'samples', '*.sage200'), '--sandbox'], { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; } });
    assert.strictEqual(code, 0, stdout + stderr);
    const tests = fs.readdirSync(path.join(ROOT, 'samples')).filter((f) => f.endsWith('.sage200'))
      .map((f) => parseRequestFile(fs.readFileSync(path.join(ROOT, 'samples', f), 'utf8')))
      .reduce((n, f) => n + f.requests.filter((r) => r.assertions.length).length, 0);
    assert.ok(tests >= 15, `only ${tests} tests in the samples`);
    assert.strictEqual(stdout.trimEnd().split('\n').pop(), `${tests} passed, 0 failed`);
  });
});
