/**
 * package.json's user-facing strings are `%key%` placeholders that VS Code (and vsce, for the
 * Marketplace) fill from package.nls.json, and from package.nls.<locale>.json in another language.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, name), 'utf8')) as Record<string, unknown>;

/** VS Code replaces a string only when it is exactly `%key%` with this key syntax. */
const PLACEHOLDER = /^%([\w.-]+)%$/;

/** Fields whose strings a user reads: a command's title, a setting's description, a welcome view… */
const SHOWN = new Set(['displayName', 'description', 'markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'title', 'category', 'name', 'contextualTitle', 'label', 'contents']);

/** Every string in `value`, with its path; the bodies of setting snippets are data, not text. */
function* strings(value: unknown, at: string[] = []): Generator<{ path: string[]; text: string }> {
  if (typeof value === 'string') yield { path: at, text: value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...at, String(i)]);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== 'body' && k !== 'default') yield* strings(v, [...at, k]);
  }
}

/** The field a string belongs to: `enumDescriptions` for an item of that array. */
const fieldOf = (p: string[]) => (/^\d+$/.test(p[p.length - 1]) ? p[p.length - 2] : p[p.length - 1]);

describe('package.json and package.nls.json', () => {
  const manifest = read('package.json');
  const nls = read('package.nls.json');
  const used = [...strings(manifest)].map((s) => PLACEHOLDER.exec(s.text)?.[1]).filter((k): k is string => k !== undefined);

  it('has an English string for every %key% in package.json', () => {
    assert.ok(used.length > 100, `only ${used.length} placeholders`);
    const missing = used.filter((k) => typeof nls[k] !== 'string' || !(nls[k] as string).trim());
    assert.deepStrictEqual(missing, []);
  });

  it('has no string that package.json does not use', () => {
    const unused = Object.keys(nls).filter((k) => !used.includes(k));
    assert.deepStrictEqual(unused, []);
  });

  it('leaves no user-facing text of the manifest in English', () => {
    const { contributes, capabilities, displayName, description } = manifest;
    const literal = [...strings({ contributes, capabilities, displayName, description })]
      .filter((s) => SHOWN.has(fieldOf(s.path)) && !PLACEHOLDER.test(s.text))
      // A language's aliases are names, not text.
      .filter((s) => !s.path.includes('aliases'))
      .map((s) => `${s.path.join('.')}: ${s.text}`);
    assert.deepStrictEqual(literal, []);
  });
});
