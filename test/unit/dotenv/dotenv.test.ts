import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { MAX_DOTENV_LENGTH, parseDotenv, readDotenv } from '../../../src/core/dotenv';

const ROOT = path.join(__dirname, '..', '..', '..');

/** A .env file as people write them: comments, inline comments, quotes, `export`, CRLF. */
const SAMPLE = [
  '# the demo company',
  'SHORT=abc # the short name',
  'QUOTED="x # not a comment"',
  'export EXPORTED=yes',
  '  SPACED = padded  ',
  'HASH=a#b',
  'EMPTY=',
  'MULTI="line one',
  'line two"',
  'WINDOWS=crlf\r',
  '  # an indented comment',
  'AFTER_COMMENT=1',
  'a stray line',
  'AFTER_STRAY=2',
  '',
].join('\n');

describe('.env reading (one owner: src/core/dotenv)', () => {
  it('drops inline comments after an unquoted value and keeps # inside quotes', () => {
    const env = parseDotenv(SAMPLE);
    assert.strictEqual(env.get('SHORT'), 'abc');
    assert.strictEqual(env.get('QUOTED'), 'x # not a comment');
    assert.strictEqual(env.get('EXPORTED'), 'yes');
    assert.strictEqual(env.get('SPACED'), 'padded');
    assert.strictEqual(env.get('EMPTY'), '');
    assert.strictEqual(env.get('MULTI'), 'line one\nline two');
    assert.strictEqual(env.get('WINDOWS'), 'crlf');
    // Lines that are not NAME=value do not swallow the next variable.
    assert.strictEqual(env.get('AFTER_COMMENT'), '1');
    assert.strictEqual(env.get('AFTER_STRAY'), '2');
    assert.ok([...env.keys()].every((k) => /^[\w.-]+$/.test(k)), [...env.keys()].join(' | '));
    assert.ok(!env.has('# the demo company') && ![...env.keys()].some((k) => k.startsWith('#')));
  });

  it('reads a file fresh each time; a missing file has no variables; an unreadable one is a clear error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-dotenv-'));
    try {
      const file = path.join(dir, '.env');
      assert.strictEqual(readDotenv(file).size, 0);
      fs.writeFileSync(file, 'A=1 # one\n');
      assert.strictEqual(readDotenv(file).get('A'), '1');
      fs.writeFileSync(file, 'A=2\n');
      assert.strictEqual(readDotenv(file).get('A'), '2');
      // A folder where the file should be: reading fails, and the error names the file.
      assert.throws(() => readDotenv(dir), (e: Error) => e.message.includes(dir) && /EISDIR/.test(e.message));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses text over 256 KB, naming the file, instead of parsing it in quadratic time', () => {
    // An unclosed quote made Node's parser re-read every line: 1.6 MB took 21 s.
    const hostile = (length: number) => `A="${'x\n'.repeat(Math.ceil(length / 2))}`.slice(0, length);
    assert.throws(() => parseDotenv(hostile(MAX_DOTENV_LENGTH + 1)), /^Error: \.env is 257 KB; a \.env file over 256 KB is not read\.$/);
    assert.throws(() => parseDotenv(hostile(16 * MAX_DOTENV_LENGTH)), /is 4,096 KB; a \.env file over 256 KB/);
    assert.doesNotThrow(() => parseDotenv(hostile(MAX_DOTENV_LENGTH)));
    assert.strictEqual(parseDotenv(`A=1\n${'#'.repeat(MAX_DOTENV_LENGTH - 4)}`).get('A'), '1');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-dotenv-big-'));
    try {
      const file = path.join(dir, '.env');
      fs.writeFileSync(file, `A=1\n${'#'.repeat(MAX_DOTENV_LENGTH)}`);
      assert.throws(() => readDotenv(file), (e: Error) => e.message.startsWith(`${file} is 257 KB`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CLI sends the value without its inline comment ({{$dotenv}} through a loopback server)', async function () {
    this.timeout(60000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-dotenv-cli-'));
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        bodies.push(body);
        res.setHeader('Content-Type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const file = path.join(dir, 'put.sage200');
      fs.writeFileSync(file, '### Put\n# @name put\nPUT /customers/1\nContent-Type: application/json\n\n{ "short_name": "{{$dotenv SHORT}}", "q": "{{$dotenv QUOTED}}" }\n');
      fs.writeFileSync(path.join(dir, '.env'), SAMPLE);
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'src', 'cli.ts'), 'send', file, '--name', 'put', '--base-url', base], { cwd: ROOT, stdio: 'ignore' });
        child.on('error', reject);
        child.on('close', (c) => resolve(c ?? -1));
      });
      assert.strictEqual(code, 0);
      assert.deepStrictEqual(bodies, ['{ "short_name": "abc", "q": "x # not a comment" }']);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
