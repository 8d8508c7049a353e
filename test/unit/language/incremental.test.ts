/**
 * Incremental analysis: after an edit only the `###` blocks whose text changed are read and checked
 * again. Whatever the edits, the result must equal a full analysis of the same text.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog } from '../../../src/core/catalog';
import { AnalysisCache, computeDiagnostics, FileAnalysis, LanguageContext } from '../../../src/core/language';
import { parseRequestFile } from '../../../src/core/requestFile';

const ROOT = path.join(__dirname, '..', '..', '..');
const SAMPLES = fs.readdirSync(path.join(ROOT, 'samples')).filter((f) => f.endsWith('.sage200'))
  .map((f) => fs.readFileSync(path.join(ROOT, 'samples', f), 'utf8'));
const ctx: LanguageContext = { catalog: loadCatalog(), edition: 'standard', environments: { $shared: { top: '5' } } };

/** Pieces that make and break blocks, names, variables, queries and bodies. */
const TOKENS = ['###', '### T\n', '\n', '\r\n', '\r', ' ', '#', '# @name a\n', '# @name b', '@top = 1\n', '@x = {{top}}\n', 'GET /customers', 'POST /customers\n',
  '?$top=1', '\n  &$skip=2', 'Content-Type: application/json\n', '\n{ "name": 1 }\n', '{{a.response.body.$.id}}', '{{top}}', '{{', '}}', '?? status == 200\n',
  'x', 'é', '$filter=name eq \'x\''];

const edit = fc.tuple(fc.nat(), fc.nat(30), fc.array(fc.constantFrom(...TOKENS), { maxLength: 4 }).map((t) => t.join('')));

function apply(text: string, [at, del, ins]: [number, number, string]): string {
  const i = text.length ? at % (text.length + 1) : 0;
  return text.slice(0, i) + ins + text.slice(i + del);
}

/** The parts of a parse that features read (the line index is built on first use, so left out). */
function parts(fa: FileAnalysis): unknown {
  const { requests, fileVariables, issues } = fa.file;
  return { requests, fileVariables, issues };
}

describe('incremental analysis', () => {
  it('after random edits gives what a full analysis of the same text gives', () => {
    fc.assert(fc.property(fc.constantFrom(...SAMPLES, SAMPLES.join('\n')), fc.array(edit, { minLength: 1, maxLength: 8 }), (base, edits) => {
      let text = base;
      let fa = new FileAnalysis(text, 1);
      computeDiagnostics(fa, ctx);
      edits.forEach((e, k) => {
        text = apply(text, e);
        fa = new FileAnalysis(text, k + 2, fa);
        const full = new FileAnalysis(text, 1);
        assert.deepStrictEqual(computeDiagnostics(fa, ctx), computeDiagnostics(full, ctx));
        assert.deepStrictEqual(parts(fa), parts(full));
        const parsed = parseRequestFile(text);
        assert.deepStrictEqual(parts(fa), { requests: parsed.requests, fileVariables: parsed.fileVariables, issues: parsed.issues });
      });
    }), { numRuns: 200 });
  });

  it('reuses the blocks an edit did not touch, and moves those after it', () => {
    const text = '### one\n# @name one\nGET /customers?$top=1\n\n### two\nGET /custmers\n\n### three\nGET /suppliers?$top=x\n';
    const before = new FileAnalysis(text, 1);
    const diagnosticsBefore = computeDiagnostics(before, ctx);
    const at = text.indexOf('/custmers') + '/cust'.length;
    const edited = text.slice(0, at) + 'o' + text.slice(at);
    const after = new FileAnalysis(edited, 2, before);
    assert.strictEqual(after.blocks.length, 3);
    assert.strictEqual(after.blocks[0].parsed, before.blocks[0].parsed, 'the block before the edit is kept as it was');
    assert.notStrictEqual(after.blocks[1].parsed, before.blocks[1].parsed, 'the edited block is read again');
    assert.strictEqual(after.blocks[2].parsed, before.blocks[2].parsed, 'the block after the edit keeps its reading');
    assert.strictEqual(after.blocks[2].start, before.blocks[2].start + 1);
    assert.strictEqual(after.facts, before.facts, 'names and variables did not change');
    // Its diagnostics are not made again, only moved: the kept list is the one made before.
    const kept = after.blockDiagnostics.get(after.blocks[2].parsed);
    assert.ok(kept && kept.at === before.blocks[2].start);
    const diagnostics = computeDiagnostics(after, ctx);
    assert.strictEqual(after.blockDiagnostics.get(after.blocks[2].parsed), kept);
    const top = (ds: typeof diagnostics, t: string): string[] => ds.filter((d) => d.code.startsWith('odata/')).map((d) => t.slice(d.span.start, d.span.end));
    assert.deepStrictEqual(top(diagnostics, edited), top(diagnosticsBefore, text));
    assert.ok(!diagnostics.some((d) => d.code === 'unknown-path'), 'the fixed path is no longer reported');
    assert.deepStrictEqual(diagnostics, computeDiagnostics(new FileAnalysis(edited, 1), ctx));
  });

  it('checks references again when a name or a file variable changes', () => {
    const text = '@pageSize = 1\n\n### a\nGET /customers?$top={{pageSize}}\n\n### b\n# @name first\nGET /customers/{{first.response.body.$.id}}\n';
    const before = new FileAnalysis(text, 1);
    assert.deepStrictEqual(computeDiagnostics(before, ctx).filter((d) => d.code === 'undefined-variable'), []);
    const renamed = text.replace('@pageSize', '@size');
    const after = new FileAnalysis(renamed, 2, before);
    assert.notStrictEqual(after.facts, before.facts);
    assert.deepStrictEqual(computeDiagnostics(after, ctx).filter((d) => d.code === 'undefined-variable').map((d) => renamed.slice(d.span.start, d.span.end)), ['{{pageSize}}']);
  });

  it('the editor cache analyses a new version from the previous one', () => {
    const cache = new AnalysisCache();
    const v1 = cache.get('file:///a.sage200', 1, () => '### a\nGET /customers\n\n### b\nGET /suppliers\n');
    const v2 = cache.get('file:///a.sage200', 2, () => '### a\nGET /customers?$top=1\n\n### b\nGET /suppliers\n');
    assert.notStrictEqual(v2, v1);
    assert.strictEqual(v2.blocks[1].parsed, v1.blocks[1].parsed);
  });
});
