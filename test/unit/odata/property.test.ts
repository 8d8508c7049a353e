/**
 * Property-based tests (fast-check): random and mutated inputs never make the OData layer throw,
 * every reported range lies inside the input, and parsing time grows linearly with input size.
 */

import * as assert from 'assert';
import fc from 'fast-check';
import { loadCatalog } from '../../../src/core/catalog';
import {
  compileFilter, compileOrderBy, compileSelect, completeQueryAt, FilterExpr, parseEncodedQueryString, parseFilter,
  parseQueryString, validateQuery,
} from '../../../src/core/odata';
import { filterCorpus } from './corpus';

const catalog = loadCatalog();

/** Pieces that hit the interesting lexer and parser states, plus single characters of every sort. */
const PIECES = [
  ' ', '(', ')', ',', "'", "''", 'eq', 'ne', 'gt', 'and', 'or', 'not', 'AND', 'name', 'balance', 'on_hold',
  'customer.', 'customer.name', '/', '.', 'contains(', 'startswith(', 'true', 'null', '1', '-1.5', '1e', '2016-01-01',
  '2016-02-24T09:52:11', 'Z', '+01:00', '{{', '}}', '{{x}}', '&', '=', '$filter=', '$top=', '$select=', '$orderby=',
  '$expand=', '$skip=', '$count=', 'desc', '%', '%20', '%2', '+', '"', '\\', '\n', '\t', '\u00e9', '\ud83d\ude00', '\ud800',
];
const soup = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 2 })), { maxLength: 60 })
  .map((parts) => parts.join(''));

function checkRanges(e: FilterExpr | undefined, lo: number, hi: number, depth = 0): void {
  if (!e || depth > 200) return;
  assert.ok(e.start >= lo && e.end <= hi && e.start <= e.end, `range ${e.start}-${e.end} outside ${lo}-${hi}`);
  switch (e.kind) {
    case 'logical': e.operands.forEach((o) => checkRanges(o, lo, hi, depth + 1)); break;
    case 'not': checkRanges(e.operand, lo, hi, depth + 1); break;
    case 'paren': checkRanges(e.expr, lo, hi, depth + 1); break;
    case 'compare': checkRanges(e.left, lo, hi, depth + 1); checkRanges(e.right, lo, hi, depth + 1); break;
    case 'call': e.args.forEach((a) => checkRanges(a, lo, hi, depth + 1)); break;
    default: break;
  }
}

/** Random edits of a valid expression: delete, insert a piece, duplicate or swap a slice. */
const mutated = fc.tuple(
  fc.constantFrom(...filterCorpus()),
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.constantFrom(...PIECES), fc.nat({ max: 3 })), { minLength: 1, maxLength: 5 }),
).map(([base, edits]) => {
  let s = base;
  for (const [pos, len, piece, kind] of edits) {
    const at = s.length ? pos % s.length : 0;
    if (kind === 0) s = s.slice(0, at) + s.slice(at + len);
    else if (kind === 1) s = s.slice(0, at) + piece + s.slice(at);
    else if (kind === 2) s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
    else s = s.slice(0, at) + s.slice(at + len, at + 2 * len) + s.slice(at, at + len) + s.slice(at + 2 * len);
  }
  return s;
});

function exerciseAll(text: string, offset: number): void {
  const f = parseFilter(text, offset);
  checkRanges(f.expr, offset, offset + text.length);
  for (const e of f.errors) assert.ok(e.start >= offset && e.end <= offset + text.length && e.start <= e.end, `error range ${e.start}-${e.end}`);
  const q = parseQueryString(text, offset);
  for (const e of q.errors) assert.ok(e.start >= offset && e.end <= offset + text.length, `query error range ${e.start}-${e.end}`);
  if (q.filter) checkRanges(q.filter.expr, offset, offset + text.length);
  for (const d of validateQuery(q, { catalog, schema: 'sop_order', edition: 'standard', isItem: false })) {
    assert.ok(d.start >= offset && d.end <= offset + text.length + 1, `diagnostic range ${d.start}-${d.end}`);
  }
  const enc = parseEncodedQueryString(text);
  validateQuery(enc, { catalog, schema: 'customer' });
  for (const e of enc.errors) {
    const r = enc.rawPosition(e.start);
    assert.ok(r >= 0 && r <= text.length, `raw position ${r}`);
  }
}

describe('odata properties (fast-check)', () => {
  it('random token soup never throws, and every range is inside the input', () => {
    fc.assert(fc.property(soup, fc.nat({ max: 1000 }), (text, offset) => {
      exerciseAll(text, offset);
      exerciseAll(`$filter=${text}`, offset);
    }), { numRuns: 400 });
  });

  it('mutated valid filters never throw and keep ranges inside the input', () => {
    fc.assert(fc.property(mutated, (text) => {
      exerciseAll(text, 0);
      exerciseAll(`$filter=${text}&$select=id,customer.name&$top=5`, 3);
    }), { numRuns: 400 });
  });

  it('compiled filters from random and mutated (partial) trees never throw on any record', () => {
    const records = [
      {}, { id: 1, name: 'Acme', balance: 10, on_hold: true, document_date: '2016-01-01T00:00:00Z', customer: { name: 'x' } },
      { id: null, name: null, balance: 'abc', on_hold: 'yes', document_date: 'garbage', customer: [1, 2] },
      { name: 42, balance: { a: 1 }, document_date: new Date(0), lines: [{ id: 1 }] },
    ];
    fc.assert(fc.property(fc.oneof(soup, mutated), fc.constantFrom('customer', 'sop_order', 'no_such_schema'), (text, schema) => {
      const pred = compileFilter(parseFilter(text).expr, { catalog, schema, enumValues: { document_status: ['A', 'B'] } });
      for (const r of records) assert.strictEqual(typeof pred(r), 'boolean');
      const q = parseQueryString(`$select=${text}&$expand=${text}&$orderby=${text}`);
      const project = compileSelect(q.select?.items, q.expand?.items);
      const order = compileOrderBy(q.orderby?.items ?? []);
      for (const r of records) project(r);
      [...records].sort(order);
    }), { numRuns: 300 });
  });

  it('non-string input from plain JS callers does not throw', () => {
    for (const v of [undefined, null, 42, {}]) {
      assert.doesNotThrow(() => parseFilter(v as unknown as string));
      assert.doesNotThrow(() => parseQueryString(v as unknown as string));
      assert.doesNotThrow(() => parseEncodedQueryString(v as unknown as string));
    }
  });

  it('completion never throws at any cursor of random and mutated queries', () => {
    fc.assert(fc.property(fc.oneof(soup, mutated.map((m) => `$filter=${m}`)), fc.nat(), (text, c) => {
      const cursor = c % (text.length + 1);
      const r = completeQueryAt(text, cursor, { catalog, schema: 'sop_order' });
      assert.ok(r.replaceStart <= r.replaceEnd && r.replaceStart >= 0 && r.replaceEnd <= text.length, `replace ${r.replaceStart}-${r.replaceEnd}`);
    }), { numRuns: 300 });
  });

  describe('linear time', () => {
    /** Best-of-3 time of `fn(input)`. */
    function time(fn: (s: string) => unknown, input: string): number {
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        const t = performance.now();
        fn(input);
        best = Math.min(best, performance.now() - t);
      }
      return best;
    }

    /**
     * Builds inputs of size n and 16n by repeating a chunk, and checks the time ratio. Linear gives 16
     * (up to about 34 here: the small input fits caches better); quadratic gives 256. The wide gap
     * keeps a busy machine from failing a linear parser, and tiny times get a floor so that timer
     * noise cannot fail the test either.
     */
    function ratio(fn: (s: string) => unknown, chunk: string, n: number): number {
      const reps = Math.max(1, Math.ceil(n / Math.max(1, chunk.length)));
      const small = chunk.repeat(reps);
      const big = chunk.repeat(reps * 16);
      fn(small); // warm up
      // A GC pause or a busy neighbour can spoil one measurement; a quadratic cost spoils all of
      // them. So measure up to five times and keep the best ratio.
      let best = Infinity;
      for (let attempt = 0; attempt < 5 && best >= 32; attempt++) {
        const a = Math.max(time(fn, small), 2);
        const b = time(fn, big);
        best = Math.min(best, b / a);
      }
      return best;
    }

    const ADVERSARIAL = [
      '(', ')', 'not ', "'", "a eq 'x''y' and ", 'contains(', '(a eq 1 or ', 'a eq 1 ) ', '# ', '{{', '&$filter=',
      '2016-01-01T', 'customer.', 'a eq and ', 'AND ', ',', '= ', 'x', 'a.b.c.d.e.f ', '%2', '%20',
    ];

    for (const chunk of ADVERSARIAL) {
      it(`parses repeated ${JSON.stringify(chunk)} in linear time`, () => {
        const rf = ratio((s) => parseFilter(s), chunk, 20000);
        const rq = ratio((s) => parseQueryString(`$filter=${s}&$select=${s}&$orderby=${s}`), chunk, 10000);
        const re = ratio((s) => parseEncodedQueryString(`$filter=${s}`), chunk, 10000);
        assert.ok(rf < 64 && rq < 64 && re < 64, `ratios filter ${rf.toFixed(1)}, query ${rq.toFixed(1)}, encoded ${re.toFixed(1)}`);
      });
    }

    // A regex once judged "only variables" here, and backtracked exponentially on spaced variables
    // followed by other text: 24 of them took 7 s, and the editor froze on one line.
    for (const chunk of ['{{a}} ', '{{a}}  ', ' {{a}}', '{{a}}\t{{b}} ', '{{', '}} ']) {
      it(`parses $count and $metadata holding repeated ${JSON.stringify(chunk)} in linear time`, () => {
        const r = ratio((s) => parseQueryString(`$count=${s}x&$metadata=${s}x`), chunk, 10000);
        assert.ok(r < 64, `ratio ${r.toFixed(1)}`);
      });
    }

    it('random chunks repeat in linear time (fast-check)', () => {
      fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }).map((p) => p.join('')), (chunk) => {
        const r = ratio((s) => {
          const q = parseQueryString(`$filter=${s}`);
          validateQuery(q, { catalog, schema: 'customer' });
        }, chunk, 20000);
        assert.ok(r < 64, `ratio ${r.toFixed(1)} for chunk ${JSON.stringify(chunk)}`);
      }), { numRuns: 12 });
    });
  });
});
