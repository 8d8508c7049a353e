/** Command ids have one owner, src/commandIds.ts, and the manifest declares exactly those. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Commands } from '../../../src/commandIds';

const ROOT = path.join(__dirname, '..', '..', '..');
const SRC = path.join(ROOT, 'src');

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
const declared = manifest.contributes.commands.map((c) => c.command);
const owned: string[] = Object.values(Commands);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe('command ids', () => {
  it('package.json contributes exactly the commands of src/commandIds.ts', () => {
    assert.deepStrictEqual(declared.filter((id) => !owned.includes(id)), [], 'declared in package.json but not in commandIds.ts');
    assert.deepStrictEqual(owned.filter((id) => !declared.includes(id)), [], 'in commandIds.ts but not declared in package.json');
    assert.strictEqual(new Set(owned).size, owned.length, 'commandIds.ts names an id twice');
  });

  it('no source file spells a command id itself: each comes from Commands', () => {
    const found: string[] = [];
    for (const file of sourceFiles(SRC)) {
      if (file === path.join(SRC, 'commandIds.ts')) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(['"`])(sage200\.[\w.]+)\1/g)) {
        if (owned.includes(m[2])) found.push(`${path.relative(ROOT, file)}: ${m[2]}`);
      }
    }
    assert.deepStrictEqual(found, []);
  });
});
