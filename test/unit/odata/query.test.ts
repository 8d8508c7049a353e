import * as assert from 'assert';
import fc from 'fast-check';
import { parseEncodedQueryString, parseQueryString, queryPairs } from '../../../src/core/odata';

describe('odata query string', () => {
  it('splits options and records name and value ranges with the offset', () => {
    const text = '$top=10&$select=id,name';
    const q = parseQueryString(text, 50);
    assert.deepStrictEqual(q.options.map((o) => [o.name, o.known, o.nameStart, o.nameEnd, o.value, o.valueStart, o.valueEnd]), [
      ['$top', '$top', 50, 54, '10', 55, 57],
      ['$select', '$select', 58, 65, 'id,name', 66, 73],
    ]);
    assert.strictEqual(q.top?.value, 10);
    assert.deepStrictEqual(q.errors, []);
  });

  it('parses every known option', () => {
    const q = parseQueryString("$filter=on_hold eq true&$select=id,customer.name&$expand=customer,lines&$orderby=name desc,id&$top=5&$skip=10&$count=true&$metadata=false");
    assert.strictEqual(q.filter?.expr?.kind, 'compare');
    assert.deepStrictEqual(q.select?.items.map((i) => i.path), ['id', 'customer.name']);
    assert.deepStrictEqual(q.select?.items[1].segments.map((s) => s.name), ['customer', 'name']);
    assert.deepStrictEqual(q.expand?.items.map((i) => i.path), ['customer', 'lines']);
    assert.deepStrictEqual(q.orderby?.items.map((i) => [i.path, i.dir, i.dirRange !== undefined]), [['name', 'desc', true], ['id', 'asc', false]]);
    assert.deepStrictEqual([q.top?.value, q.skip?.value, q.count?.value, q.metadata?.value], [5, 10, true, false]);
    assert.deepStrictEqual(q.errors, []);
    assert.deepStrictEqual(q.unknown, []);
  });

  it('keeps unknown parameters, and recognises option names case-insensitively', () => {
    const q = parseQueryString('foo=bar&$Top=3&$search=x');
    assert.deepStrictEqual(q.unknown.map((o) => o.name), ['foo', '$search']);
    assert.strictEqual(q.top?.value, 3);
    assert.strictEqual(q.top?.option.name, '$Top');
  });

  it('recognises a known option only when every character matches (names of the same length are near misses)', () => {
    // Option names are matched by char codes, chosen by length and second character.
    const q = parseQueryString('$filtex=1&$selecT=a&$expanx=b&$exPand=c&$xelect=d&$orderbx=e&$tox=1&$skix=1&$counx=1&$metadatx=1&$sel=a&$filter=id eq 1&$select=id&$expand=x&$orderby=id&$top=1&$skip=1&$count=true&$metadata=true');
    assert.deepStrictEqual(q.unknown.map((o) => o.name), ['$filtex', '$expanx', '$xelect', '$orderbx', '$tox', '$skix', '$counx', '$metadatx', '$sel']);
    // Case-insensitive matches are still known options (first one wins, the exact one is a duplicate).
    assert.deepStrictEqual(q.options.filter((o) => o.known).map((o) => o.name), ['$selecT', '$exPand', '$filter', '$select', '$expand', '$orderby', '$top', '$skip', '$count', '$metadata']);
    assert.strictEqual(q.select?.option.name, '$selecT');
    assert.strictEqual(q.top?.value, 1);
    assert.strictEqual(q.metadata?.value, true);
  });

  it('allows raw spaces, and & inside a quoted string', () => {
    const q = parseQueryString("$filter=name eq 'A & B' and balance gt 1&$top=2");
    assert.strictEqual(q.options.length, 2);
    assert.deepStrictEqual(q.errors, []);
    const e = q.filter?.expr;
    assert.ok(e?.kind === 'logical');
    assert.strictEqual(q.top?.value, 2);
  });

  it('does not let an unclosed quote swallow the next option', () => {
    const q = parseQueryString("$filter=name eq 'abc&$top=2");
    assert.strictEqual(q.top?.value, 2);
    assert.ok(q.errors.some((e) => /Unterminated string/.test(e.message)));
  });

  it('keeps request-file variables intact and does not judge them', () => {
    const q = parseQueryString('$top={{top}}&$filter=id eq {{id}}&$count={{c}}');
    assert.deepStrictEqual([q.top?.variable, q.top?.value, q.count?.variable], [true, undefined, true]);
    assert.deepStrictEqual(q.errors, []);
    // $count and $metadata follow the same rule as $top and $skip: any variable defers judgement.
    const mixed = parseQueryString('$count={{a}} {{b}}&$metadata=tr{{ue}}&$skip=1{{0}}');
    assert.deepStrictEqual([mixed.count?.variable, mixed.metadata?.variable, mixed.skip?.variable], [true, true, true]);
    assert.deepStrictEqual(mixed.errors, []);
    // In lists, an item with a variable is left out; the items around it are read as usual.
    const lists = parseQueryString('$select=id,{{fields}},name&$orderby={{sort}}, id desc&$expand=customer.{{child}}');
    assert.deepStrictEqual(lists.errors, []);
    assert.deepStrictEqual(lists.select?.items.map((i) => i.path), ['id', 'name']);
    assert.deepStrictEqual(lists.orderby?.items.map((i) => `${i.path} ${i.dir}`), ['id desc']);
    assert.deepStrictEqual(lists.expand?.items, []);
  });

  it('reads continuation-line layout (newlines and indentation around &)', () => {
    const text = "$filter=a eq 1\n    &$expand=customer\n    &$orderby=document_date desc";
    const q = parseQueryString(text);
    assert.deepStrictEqual(q.options.map((o) => o.name), ['$filter', '$expand', '$orderby']);
    assert.strictEqual(text.slice(q.expand!.option.start, q.expand!.option.end), '$expand=customer');
    assert.deepStrictEqual(q.errors, []);
  });

  it('reports bad numbers and booleans with the value range', () => {
    const text = '$top=abc&$skip=1.5&$count=yes&$metadata=';
    const q = parseQueryString(text);
    assert.deepStrictEqual(q.errors.map((e) => [e.code, text.slice(e.start, e.end)]), [
      ['bad-number', 'abc'], ['bad-number', '1.5'], ['bad-boolean', 'yes'], ['bad-boolean', ''],
    ]);
    assert.strictEqual(q.top?.value, undefined);
  });

  it('returns negative and huge numbers for the validator to judge', () => {
    assert.strictEqual(parseQueryString('$top=-1').top?.value, -1);
    assert.strictEqual(parseQueryString('$top=5001').top?.value, 5001);
    assert.strictEqual(parseQueryString('$top=0').top?.value, 0);
    assert.deepStrictEqual(parseQueryString('$top=-1').errors, []);
  });

  it('reports duplicates (first wins), a missing =, empty names and empty items', () => {
    const text = '$top=1&$top=2&$filter&=x&$select=id,,name&$orderby=name sideways';
    const q = parseQueryString(text);
    assert.strictEqual(q.top?.value, 1);
    const got = q.errors.map((e) => [e.code, text.slice(e.start, e.end)]);
    assert.deepStrictEqual(got, [
      ['duplicate-option', '$top'],
      ['syntax', '$filter'],
      ['syntax', '='],
      ['syntax', ','],
      ['syntax', 'sideways'],
    ]);
  });

  it('checks paths in $select and $expand and keeps nested $expand text', () => {
    const text = '$select=id,9x,*&$expand=lines($select=id)';
    const q = parseQueryString(text);
    assert.deepStrictEqual(q.errors.map((e) => text.slice(e.start, e.end)), ['9x']);
    assert.deepStrictEqual(q.select?.items.map((i) => i.path), ['id', '9x', '*']);
    assert.strictEqual(q.expand?.items[0].path, 'lines');
    assert.strictEqual(q.expand?.items[0].nested?.text, '($select=id)');
  });

  it('tolerates a leading ? with correct ranges', () => {
    const q = parseQueryString('?$top=1&$skip=2', 10);
    assert.deepStrictEqual(q.options.map((o) => [o.name, o.nameStart]), [['$top', 11], ['$skip', 18]]);
    assert.deepStrictEqual(q.errors, []);
  });

  it('queryPairs: names and raw values by the same split, empty pieces left out', () => {
    assert.deepStrictEqual(queryPairs("$filter=name eq 'A & B'&$count&&x={{a&b}}&$top=5&"), [
      { name: '$filter', value: "name eq 'A & B'" },
      { name: '$count', value: null },
      { name: 'x', value: '{{a&b}}' },
      { name: '$top', value: '5' },
    ]);
    // A quote left open does not swallow the next option; a quote in a name is not a string.
    assert.deepStrictEqual(queryPairs("$filter=name eq 'O&$top=1&it's=1&b=2").map((p) => p.name), ['$filter', '$top', "it's", 'b']);
  });

  it('ignores empty pieces and a trailing &', () => {
    const q = parseQueryString('&&$top=1&');
    assert.deepStrictEqual(q.options.map((o) => o.name), ['$top']);
    assert.deepStrictEqual(parseQueryString('').options, []);
  });

  describe('URL-encoded (server side)', () => {
    it('decodes %20 and + as spaces and parses the decoded filter', () => {
      const q = parseEncodedQueryString("?$filter=name%20eq%20'A+%26+B'%20and%20balance%20gt%201000&$top=5");
      assert.strictEqual(q.filter?.option.value, "name eq 'A & B' and balance gt 1000");
      assert.deepStrictEqual(q.errors, []);
      assert.strictEqual(q.top?.value, 5);
    });

    it('keeps a literal plus sent as %2B', () => {
      const q = parseEncodedQueryString('$filter=d%20gt%202016-02-24T09:52:11%2B01:00');
      const e = q.filter?.expr;
      assert.ok(e?.kind === 'compare' && e.right.kind === 'literal');
      assert.strictEqual(e.right.kind === 'literal' && e.right.zone, '+01:00');
    });

    it('reports positions as columns of the decoded value, and maps back to the raw text', () => {
      const raw = '$top=1&$filter=name%20eq%20%27x%27%20and%20balance%20gt';
      const q = parseEncodedQueryString(raw);
      const err = q.errors[0];
      const opt = q.filter!.option;
      assert.strictEqual(opt.value, "name eq 'x' and balance gt");
      // The column inside the decoded $filter value (1-based), as a server would report it.
      assert.strictEqual(err.start - opt.valueStart + 1, opt.value.indexOf('gt') + 1);
      assert.strictEqual(raw.slice(q.rawPosition(err.start), q.rawPosition(err.end)), 'gt');
      assert.strictEqual(raw.slice(q.rawPosition(opt.valueStart), q.rawPosition(opt.valueStart) + 4), 'name');
    });

    it('decodes multi-byte UTF-8 and reports malformed escapes without throwing', () => {
      const q = parseEncodedQueryString("$filter=name%20eq%20'Caf%C3%A9'");
      const e = q.filter?.expr;
      assert.ok(e?.kind === 'compare' && e.right.kind === 'literal' && e.right.value === 'Café');
      const bad = parseEncodedQueryString('$filter=name%zzeq%20%E2%28');
      assert.ok(bad.errors.some((x) => x.code === 'bad-encoding' && /Malformed/.test(x.message)));
      assert.ok(bad.errors.some((x) => x.code === 'bad-encoding' && /UTF-8/.test(x.message)));
    });

    it('does not split on an encoded &', () => {
      const q = parseEncodedQueryString("$filter=contains(name,'a%26b')&$top=1");
      assert.deepStrictEqual(q.options.map((o) => o.name), ['$filter', '$top']);
      assert.deepStrictEqual(q.errors, []);
    });
  });
});

/*
 * The path lists are read by a one-pass char-code reader. This oracle reads them the plain way
 * (split on commas, trim, a regex for the path, split on separators) and the two must agree on every
 * item's path, segments, offsets and direction, for any list of names, separators, blanks and words.
 */
describe('odata query string: path lists against a plain reader', () => {
  const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:[./][A-Za-z_][A-Za-z0-9_]*)*$/;
  const part = fc.constantFrom('id', 'customer', 'name', 'a1', '_x', '.', '/', ',', ' ', '  ', 'asc', 'desc', 'ASC', '9', '-', 'é');
  const list = fc.array(part, { maxLength: 12 }).map((a) => a.join(''));

  function oracle(value: string, base: number, orderby: boolean): unknown[] {
    const out: unknown[] = [];
    let at = 0;
    for (const raw of value.split(',')) {
      const lead = raw.length - raw.trimStart().length;
      const item = raw.trim();
      const start = base + at + lead;
      at += raw.length + 1;
      // An $orderby item is a path, then optionally a word (asc/desc in any case; anything else is an
      // error but still reads as ascending), then anything (an error too).
      const m = orderby ? /^(\S+)(?:\s+(\S+))?(\s+.*)?$/s.exec(item) : [item, item];
      if (!item || !m || !PATH.test(m[1])) continue;
      const word = m[2]?.toLowerCase();
      let s = start;
      const segments = m[1].split(/[./]/).map((name) => {
        const seg = { name, start: s, end: s + name.length };
        s += name.length + 1;
        return seg;
      });
      out.push({ path: m[1].replace(/\//g, '.'), segments, start, end: start + item.length, ...(orderby ? { dir: word === 'desc' ? 'desc' : 'asc' } : {}) });
    }
    return out;
  }

  function simpleItems(items: readonly { path: string; segments: readonly unknown[]; start: number; end: number; dir?: string }[], orderby: boolean): unknown[] {
    // Items the plain reader also accepts; anything else went through the general (error-reporting) path.
    return items.filter((i) => PATH.test(i.path)).map((i) => ({
      path: i.path, segments: i.segments.map((s) => ({ ...(s as object) })), start: i.start, end: i.end, ...(orderby ? { dir: i.dir } : {}),
    }));
  }

  it('reads $select and $orderby items exactly as the plain reader does', () => {
    fc.assert(fc.property(list, (value) => {
      const q = parseQueryString(`$select=${value}&$orderby=${value}`);
      const selectBase = '$select='.length;
      const orderBase = selectBase + value.length + '&$orderby='.length;
      if (value.trim() === '') return;
      assert.deepStrictEqual(simpleItems(q.select?.items ?? [], false), oracle(value, selectBase, false));
      assert.deepStrictEqual(simpleItems(q.orderby?.items ?? [], true), oracle(value, orderBase, true));
    }), { numRuns: 2000 });
  });
});

/*
 * The splitter finds `&`, `=`, quotes and `{{` with indexOf, and a value without '(' is split on its
 * commas with indexOf (both faster than reading every character of a slice of the request file).
 * These oracles are the character-by-character readers they replaced; the parse must agree with
 * them on every piece and every item, for any mix of the characters that matter.
 */
describe('odata query string: indexOf splitting against a character scan', () => {
  const OPTION_START = /[$]?[A-Za-z_][A-Za-z0-9_]*=/y;
  const part = fc.constantFrom("'", '{{', '}}', '{', '}', '=', '&', '&$', '$top=', '$select=', '$filter=', 'a', 'x y', ' ', '?', ',', '(', ')', 'id');
  const query = fc.array(part, { maxLength: 16 }).map((a) => a.join(''));

  /** The pieces [start, end, eq] as the previous char-code loop found them. */
  function scanPieces(text: string): number[] {
    const out: number[] = [];
    const n = text.length;
    let inQuote = false;
    let pieceStart = 0;
    let i = 0;
    let eq = -1;
    let nextClose = -2;
    if (text.charCodeAt(0) === 63) {
      pieceStart = 1;
      i = 1;
    }
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 39 && eq >= 0) {
        inQuote = !inQuote;
      } else if (c === 123 && text.charCodeAt(i + 1) === 123 && !inQuote) {
        if (nextClose !== -1 && nextClose < i + 2) nextClose = text.indexOf('}}', i + 2);
        if (nextClose >= 0) {
          i = nextClose + 1;
          continue;
        }
      } else if (c === 61 && eq < 0) {
        eq = i;
      } else if (c === 38) {
        let split = !inQuote;
        if (inQuote) {
          OPTION_START.lastIndex = i + 1;
          split = text.charCodeAt(i + 1) === 36 && OPTION_START.test(text);
        }
        if (split) {
          out.push(pieceStart, i, eq);
          eq = -1;
          inQuote = false;
          pieceStart = i + 1;
        }
      }
    }
    out.push(pieceStart, n, eq);
    return out;
  }

  /** What build keeps of each piece: its trimmed range, and whether the '=' lies inside it. */
  function expectedOptions(text: string): unknown[] {
    const p = scanPieces(text);
    const out: unknown[] = [];
    for (let k = 0; k < p.length; k += 3) {
      let s = p[k];
      let e = p[k + 1];
      while (s < e && /\s/.test(text[s])) s++;
      while (e > s && /\s/.test(text[e - 1])) e--;
      if (s === e) continue;
      out.push({ start: s, end: e, hasEquals: p[k + 2] >= s && p[k + 2] < e });
    }
    return out;
  }

  it('splits options exactly where a character scan does', () => {
    fc.assert(fc.property(query, (text) => {
      const q = parseQueryString(text);
      assert.deepStrictEqual(q.options.map((o) => ({ start: o.start, end: o.end, hasEquals: o.hasEquals })), expectedOptions(text));
    }), { numRuns: 3000 });
  });

  it('reads $top as the regex /^[+-]?\\d+$/ does', () => {
    const value = fc.array(fc.constantFrom('1', '0', '9', '+', '-', ' ', 'a', '.', '٣', '{{', '}}'), { maxLength: 6 }).map((a) => a.join(''));
    fc.assert(fc.property(value, (v) => {
      const q = parseQueryString(`$top=${v}`);
      const raw = q.top!.option.value;
      const expected = raw.includes('{{') ? undefined : /^[+-]?\d+$/.test(raw) ? Number(raw) : undefined;
      assert.strictEqual(q.top?.value, expected);
    }), { numRuns: 2000 });
  });

  it('splits path lists at top-level commas, with or without parentheses', () => {
    const item = fc.constantFrom('id', ' name ', 'a.b', '', ' ', 'x(y,z)', '(', ')', 'c/d', '*');
    const value = fc.array(item, { maxLength: 8 }).map((a) => a.join(','));
    fc.assert(fc.property(value, (v) => {
      const q = parseQueryString(`$expand=${v}`);
      // The character scan: depth-counted parentheses, commas split only at depth 0.
      const ranges: [number, number][] = [];
      let depth = 0;
      let start = 0;
      for (let i = 0; i <= v.length; i++) {
        const c = i < v.length ? v[i] : ',';
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && (depth === 0 || i === v.length)) {
          const raw = v.slice(start, i);
          const s = start + raw.length - raw.trimStart().length;
          ranges.push([s, s + raw.trim().length]);
          start = i + 1;
        }
      }
      const base = '$expand='.length;
      const expected = v.trim() === '' ? [] : ranges.filter(([s, e]) => s < e).map(([s]) => base + s);
      assert.deepStrictEqual((q.expand?.items ?? []).map((i) => i.start), expected);
    }), { numRuns: 3000 });
  });
});
