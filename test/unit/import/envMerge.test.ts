/**
 * Importing a Postman environment into existing `http-client.env.json` and
 * `http-client.private.env.json` files: only the imported environment changes, and a file that
 * cannot be read as environments is refused, never written over.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../../src/cli';
import { ENV_FILE, PRIVATE_ENV_FILE } from '../../../src/core/envFiles';
import { importFile, ImportError, writeImport } from '../../../src/core/import';

describe('Postman environment import into existing environment files', () => {
  let dir: string;
  let source: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-envmerge-'));
    source = path.join(dir, 'Staging.postman_environment.json');
    fs.writeFileSync(source, JSON.stringify({
      name: 'staging',
      _postman_variable_scope: 'environment',
      values: [
        { key: 'region', value: 'uk', enabled: true },
        { key: 'baseUrl', value: 'https://staging.example/v2', enabled: true },
        { key: 'apiToken', value: 'imported-secret', type: 'secret', enabled: true },
      ],
    }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const read = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));

  it('changes only the imported environment of http-client.env.json', () => {
    const existing = {
      $schema: 'https://example.invalid/http-client.env.schema.json',
      dev: { baseUrl: 'http://localhost:5000', companyId: 42, retry: true, paging: { top: 50 }, tags: ['a'], none: null },
      staging: { baseUrl: 'https://staging.example', companyId: 7 },
      prod: { baseUrl: 'https://prod.example' },
    };
    fs.writeFileSync(path.join(dir, ENV_FILE), JSON.stringify(existing, null, 2));
    writeImport(importFile(source), dir);
    const after = read(ENV_FILE) as Record<string, unknown>;
    assert.deepStrictEqual(after, {
      ...existing,
      // Imported values win; the environment's other variables keep their types.
      staging: { baseUrl: 'https://staging.example/v2', companyId: 7, region: 'uk' },
    });
    assert.deepStrictEqual(Object.keys(after), ['$schema', 'dev', 'staging', 'prod']);
  });

  it('keeps the private file the same way', () => {
    const existing = { $shared: { timeoutMs: 500 }, dev: { apiToken: 'dev-secret', port: 8080 } };
    fs.writeFileSync(path.join(dir, PRIVATE_ENV_FILE), JSON.stringify(existing, null, 2));
    writeImport(importFile(source), dir);
    assert.deepStrictEqual(read(PRIVATE_ENV_FILE), { ...existing, staging: { apiToken: 'imported-secret' } });
    assert.deepStrictEqual(read(ENV_FILE), { staging: { region: 'uk', baseUrl: 'https://staging.example/v2' } });
  });

  for (const [what, text] of [
    ['not valid JSON', '{ "dev": { "baseUrl": "http://localhost" }, }'],
    ['not an object', '[{ "dev": {} }]'],
    ['not an environment under the imported name', '{ "dev": {}, "staging": "https://staging.example" }'],
    // Parses, but writing the merged file back out would overflow the stack.
    ['nested 8000 deep', `{ "dev": { "a": ${'['.repeat(8000)}${']'.repeat(8000)} } }`],
  ]) {
    for (const name of [ENV_FILE, PRIVATE_ENV_FILE]) {
      it(`refuses, naming the file and writing nothing, when ${name} is ${what}`, async () => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        const before = fs.readdirSync(dir).sort();
        assert.throws(() => writeImport(importFile(source), dir), (e: Error) => {
          assert.ok(e instanceof ImportError, String(e));
          assert.ok(e.message.startsWith(file), e.message);
          assert.match(e.message, /Nothing was imported/);
          return true;
        });
        const logs: string[] = [];
        assert.strictEqual(await main(['import', source, '--out', dir], { stdout: (s) => logs.push(s), stderr: (s) => logs.push(s) }), 2);
        assert.match(logs.join(''), new RegExp(`^sage200: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*Nothing was imported`));
        assert.strictEqual(fs.readFileSync(file, 'utf8'), text);
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), before);
      });
    }
  }

  it('keeps a secret of a broken private file out of the message', () => {
    fs.writeFileSync(path.join(dir, PRIVATE_ENV_FILE), '{ "dev": { "apiToken": s3cret-do-not-leak } }');
    assert.throws(() => writeImport(importFile(source), dir), (e: Error) => !e.message.includes('s3cret') && /is not valid JSON/.test(e.message));
  });
});
