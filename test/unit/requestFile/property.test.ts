import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { loadCatalog } from '../../../src/core/catalog';
import { complete, computeDiagnostics, FileAnalysis, hover } from '../../../src/core/language';
import { parseRequestFile, scanJson } from '../../../src/core/requestFile';

const ROOT = path.join(__dirname, '..', '..', '..');
const SAMPLES = fs.readdirSync(path.join(ROOT, 'samples')).filter((f) => f.endsWith('.sage200'))
  .map((f) => fs.readFileSync(path.join(ROOT, 'samples', f), 'utf8'));
const catalog = loadCatalog();
const ctx = { catalog, edition: 'standard' as const, environments: { $shared: { top: '5' } } };

/** Characters that matter to the grammar, so random text hits the interesting paths often. */
const ALPHABET = ['#', '##', '###', '//', '@', '=', '{{', '}}', '{', '}', '[', ']', '"', "'", ':', ',', '?', '&', '$', ' ', '    ', '\n', '\r\n', '\t',
  'GET ', 'POST ', 'PUT ', 'DELETE ', '/customers', '/sop_orders', '$filter=', '$select=', '$top=', '$skip=', '$orderby=', 'eq', 'and', 'or', '(', ')',
  'name', 'id', '1', '2016-01-01T00:00:00', 'true', 'Content-Type', '# @name ', 'x.response.body.$[0].id', '$guid', '\u0000', '\ud800', 'é'];

const tokenText = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 200 }).map((a) => a.join(''));

/** A sample file with random edits: deletions, insertions and swaps at random places. */
const mutated = fc.tuple(fc.constantFrom(...SAMPLES), fc.array(fc.tuple(fc.nat(), fc.nat(20), fc.oneof(tokenText, fc.string({ maxLength: 20 }))), { maxLength: 12 }))
  .map(([base, edits]) => edits.reduce((t, [at, del, ins]) => {
    const i = t.length ? at % t.length : 0;
    return t.slice(0, i) + ins + t.slice(i + del);
  }, base));

function exercise(text: string, offsets: number[]): void {
  const file = parseRequestFile(text);
  // Every range lies inside the text and is ordered.
  for (const i of file.issues) assert.ok(i.span.start >= 0 && i.span.start <= i.span.end && i.span.end <= text.length, JSON.stringify(i));
  for (const r of file.requests) {
    assert.ok(r.span.start <= r.span.end && r.span.end <= text.length);
    if (r.query) for (let j = 0; j <= r.query.text.length; j += Math.max(1, r.query.text.length >> 3)) {
      const d = r.query.map.toDoc(j);
      assert.ok(d >= 0 && d <= text.length);
    }
  }
  const fa = new FileAnalysis(text, 1);
  for (const d of computeDiagnostics(fa, ctx)) assert.ok(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length, JSON.stringify(d));
  for (const o of offsets) {
    const at = text.length ? o % (text.length + 1) : 0;
    for (const c of complete(fa, at, ctx)) assert.ok(c.replace.start <= c.replace.end && c.replace.end <= text.length, JSON.stringify(c));
    hover(fa, at, ctx);
  }
}

describe('request file parser: properties', () => {
  it('never throws on random token soup, and its ranges stay inside the text', () => {
    fc.assert(fc.property(tokenText, fc.array(fc.nat(), { maxLength: 5 }), (t, o) => exercise(t, o)), { numRuns: 300 });
  });

  it('never throws on mutated sample files', () => {
    fc.assert(fc.property(mutated, fc.array(fc.nat(), { maxLength: 5 }), (t, o) => exercise(t, o)), { numRuns: 300 });
  });

  it('never throws on arbitrary unicode', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (t) => exercise(t, [0, 7, 31])), { numRuns: 200 });
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (t) => { scanJson(t); }), { numRuns: 200 });
  });

  it('runs in linear time, also on adversarial inputs', () => {
    // CPU time, not the clock: on a shared machine the clock also counts other processes' turns.
    const time = (text: string): number => {
      const t0 = process.cpuUsage();
      computeDiagnostics(new FileAnalysis(text, 1), ctx);
      const t = process.cpuUsage(t0);
      return (t.user + t.system) / 1000;
    };
    const shapes: Record<string, (n: number) => string> = {
      samples: (n) => SAMPLES.join('\n').repeat(n),
      unclosedVariables: (n) => 'GET /customers?$top={{top\n'.repeat(n * 20),
      linesWithoutQuery: (n) => 'GET /customers\nX-A b\n'.repeat(n * 20),
      jsonBody: (n) => `POST /customers\n\n{${'"name": "x", '.repeat(n * 40)}}`,
      quotes: (n) => `POST /customers\n\n${"'a".repeat(n * 50)}`,
      longQuery: (n) => `GET /customers?$filter=${'name eq \'x\' and '.repeat(n * 20)}id eq 1`,
    };
    for (const [name, make] of Object.entries(shapes)) {
      // Warm up, then compare n with 8n: linear gives about 8x; quadratic would give about 64x.
      const a = make(20);
      const b = make(160);
      time(a);
      time(b);
      // Best of several runs: the machine is shared, and a single run can be stalled by others.
      const small = Math.min(...[0, 1, 2, 3, 4].map(() => time(a)));
      const large = Math.min(...[0, 1, 2, 3, 4].map(() => time(b)));
      const ratio = large / Math.max(small, 0.2);
      // Linear gives about 8x; quadratic about 64x. Allow GC and cache effects up to 32x.
      assert.ok(ratio < 32, `${name}: 8x the input took ${ratio.toFixed(1)}x the time (${small.toFixed(2)} ms -> ${large.toFixed(2)} ms)`);
    }
  });
});
