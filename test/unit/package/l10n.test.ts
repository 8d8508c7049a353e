/** l10n/bundle.l10n.json holds every message that src/ passes to vscode.l10n.t, and nothing else. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { BUNDLE, bundleText, extractAll, extractFrom } from '../../../scripts/l10nBundle';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('the l10n bundle', () => {
  it('is named by package.json', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { l10n?: string };
    assert.strictEqual(path.resolve(ROOT, manifest.l10n ?? '', 'bundle.l10n.json'), BUNDLE);
  });

  it('is in step with the source (run `npm run l10n` after changing a message)', () => {
    const { messages, errors } = extractAll();
    assert.deepStrictEqual(errors, []);
    assert.ok(messages.size > 200, `only ${messages.size} messages found in src/`);
    const bundle = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as Record<string, string>;
    const missing = [...messages.keys()].filter((m) => !(m in bundle)).map((m) => `${messages.get(m)}: ${m}`);
    const stale = Object.keys(bundle).filter((m) => !messages.has(m));
    assert.deepStrictEqual({ missing, stale }, { missing: [], stale: [] });
    assert.strictEqual(fs.readFileSync(BUNDLE, 'utf8'), bundleText(messages.keys()));
  });

  it('finds calls through vscode.l10n, l10n and an alias, and rejects a message that is not a literal', () => {
    const source = [
      "import * as vscode from 'vscode';",
      "import { l10n } from 'vscode';",
      "vscode.l10n.t('Direct {0}', 1);",
      'l10n.t(`Imported`);',
      'function f(name: string) {',
      '  const t = vscode.l10n.t;',
      "  t('Through an alias');",
      '  t(`Hello ${name}`);',
      '}',
      "other.t('Not a message');",
    ].join('\n');
    const { messages, errors } = extractFrom('sample.ts', source);
    assert.deepStrictEqual([...messages], [
      ['Direct {0}', 'sample.ts:3'],
      ['Imported', 'sample.ts:4'],
      ['Through an alias', 'sample.ts:7'],
    ]);
    assert.strictEqual(errors.length, 1);
    assert.match(errors[0], /^sample\.ts:8: .*string literal/);
  });
});
