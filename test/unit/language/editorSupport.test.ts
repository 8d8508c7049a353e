import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AnalysisCache } from '../../../src/core/language';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('editor support files', () => {
  const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, 'media', 'sage200.tmLanguage.json'), 'utf8')) as {
    scopeName: string; repository: Record<string, { match?: string; begin?: string; end?: string; patterns?: { match?: string }[] }>;
  };

  it('the grammar is registered in package.json and its patterns compile', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { grammars: { scopeName: string; path: string }[]; snippets: { path: string }[]; keybindings: { command: string; key: string; mac?: string }[] } };
    assert.ok(pkg.contributes.grammars.some((g) => g.scopeName === grammar.scopeName && g.path.endsWith('sage200.tmLanguage.json')));
    assert.ok(pkg.contributes.snippets.some((s) => s.path.endsWith('snippets.json')));
    const keys = Object.fromEntries(pkg.contributes.keybindings.map((k) => [k.command, `${k.key}|${k.mac}`]));
    assert.strictEqual(keys['sage200.sendRequest'], 'ctrl+alt+r|cmd+alt+r');
    assert.strictEqual(keys['sage200.cancelRequest'], 'ctrl+alt+k|cmd+alt+k');
    for (const [name, rule] of Object.entries(grammar.repository)) {
      for (const re of [rule.match, rule.begin, rule.end, ...(rule.patterns ?? []).map((p) => p.match)]) {
        if (re) assert.doesNotThrow(() => new RegExp(re), `${name}: ${re}`);
      }
    }
  });

  it('the request-line rule splits method, path, query and version', () => {
    const re = new RegExp(grammar.repository.requestLine.match!);
    const m = re.exec("GET /customers/{{id}}?$filter=name eq 'x'&$top=5 HTTP/1.1")!;
    assert.deepStrictEqual([m[1], m[2], m[3], m[4]], ['GET', '/customers/{{id}}', "?$filter=name eq 'x'&$top=5", ' HTTP/1.1']);
    const q = new RegExp(grammar.repository.queryContinuation.match!);
    assert.ok(q.test('    &$expand=customer'));
  });

  it('snippets are valid JSON with a prefix and body each', () => {
    const snippets = JSON.parse(fs.readFileSync(path.join(ROOT, 'media', 'snippets.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    assert.ok(Object.keys(snippets).length >= 8);
    for (const [name, s] of Object.entries(snippets)) assert.ok(s.prefix && Array.isArray(s.body) && s.body.length, name);
  });
});

describe('analysis cache', () => {
  it('parses once per document version', () => {
    const cache = new AnalysisCache(2);
    let reads = 0;
    const text = (t: string) => () => { reads++; return t; };
    const a = cache.get('file:///a', 1, text('GET /customers'));
    assert.strictEqual(cache.get('file:///a', 1, text('ignored')), a);
    assert.strictEqual(reads, 1);
    const b = cache.get('file:///a', 2, text('GET /sop_orders'));
    assert.notStrictEqual(b, a);
    assert.strictEqual(b.file.requests[0].requestLine?.path, '/sop_orders');
    cache.get('file:///b', 1, text('GET /x'));
    cache.get('file:///c', 1, text('GET /y'));
    cache.get('file:///a', 2, text('GET /z'));
    assert.strictEqual(reads, 5, 'the least recently used entry was evicted');
  });
});
