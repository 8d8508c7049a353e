import * as assert from 'assert';
import fc from 'fast-check';
import {
  explainStatus,
  statusClass,
  inferColumns,
  columnValue,
  compareValues,
  JsonArrayStream,
  textChunks,
  splitText,
  timingBreakdown,
} from '../../../src/core/viewer';
import { csvCell, defuseFormula, toCsv } from '../../../src/core/export';
import { pagePosition as pageInfo, pageTarget, setPaging } from '../../../src/core/odata/paging';

describe('viewer: paging maths', () => {
  it('moves $skip by $top and adds $orderby=id asc when missing', () => {
    const t = pageTarget('https://h/uk/sage200/accounts/v1/customers?$top=10', 'next');
    assert.ok(t);
    assert.strictEqual(t.url, 'https://h/uk/sage200/accounts/v1/customers?$orderby=id%20asc&$top=10&$skip=10');
    assert.strictEqual(t.orderbyAdded, true);
    assert.strictEqual(t.skip, 10);
  });

  it('keeps an existing $orderby and the other options in order', () => {
    const url = '/customers?$filter=on_hold%20eq%20true&$orderby=name%20desc&$top=25&$skip=50&$select=id,name';
    const next = pageTarget(url, 'next');
    const prev = pageTarget(url, 'previous');
    assert.strictEqual(next?.url, '/customers?$filter=on_hold%20eq%20true&$orderby=name%20desc&$select=id,name&$top=25&$skip=75');
    assert.strictEqual(next?.orderbyAdded, false);
    assert.strictEqual(prev?.url, '/customers?$filter=on_hold%20eq%20true&$orderby=name%20desc&$select=id,name&$top=25&$skip=25');
  });

  it('has no previous page from the first page, and previous never goes below 0', () => {
    assert.strictEqual(pageTarget('/customers?$top=10', 'previous'), undefined);
    assert.strictEqual(pageTarget('/customers?$orderby=id&$top=10&$skip=4', 'previous')?.skip, 0);
    assert.ok(!pageTarget('/customers?$orderby=id&$top=10&$skip=4', 'previous')?.url.includes('$skip'));
  });

  it("assumes Sage's default $top of 500 when none is given", () => {
    const info = pageInfo('/customers');
    assert.deepStrictEqual(info, { top: 500, topAssumed: true, skip: 0, hasOrderby: false });
    assert.strictEqual(pageTarget('/customers', 'next')?.url, '/customers?$orderby=id%20asc&$top=500&$skip=500');
  });

  it('has no next page after a short page', () => {
    assert.strictEqual(pageTarget('/customers?$top=100', 'next', 40), undefined);
    assert.ok(pageTarget('/customers?$top=100', 'next', 100));
  });

  it('reads encoded option names and ignores junk values', () => {
    assert.deepStrictEqual(pageInfo('/c?%24top=20&%24skip=abc&%24orderby=id'), { top: 20, topAssumed: false, skip: 0, hasOrderby: true });
    assert.strictEqual(setPaging('/c?%24top=20&%24skip=40&x=1#frag', { skip: 60, top: 20 }).url, '/c?x=1&$orderby=id%20asc&$top=20&$skip=60#frag');
  });

  it('next then previous returns to the same page (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 100 }), (top, pageNo) => {
        const url = `/customers?$orderby=id%20asc&$top=${top}&$skip=${top * pageNo}`;
        const next = pageTarget(url, 'next');
        const back = next && pageTarget(next.url, 'previous');
        return !!back && back.skip === top * pageNo && pageInfo(back.url).top === top;
      }),
    );
  });
});

describe('viewer: CSV export', () => {
  it('quotes per RFC 4180 and ends records with CRLF', () => {
    const csv = toCsv([{ a: 'x,y', b: 'say "hi"', c: 'line1\nline2', d: 5 }], ['a', 'b', 'c', 'd']);
    assert.strictEqual(csv, '\ufeffa,b,c,d\r\n"x,y","say ""hi""","line1\nline2",5\r\n');
  });

  it('writes nested objects and arrays as JSON, and null/missing as empty', () => {
    const csv = toCsv([{ id: 1, addr: { city: 'Leeds' }, tags: [1, 2], n: null }], ['id', 'addr', 'tags', 'n', 'missing', 'addr.city']);
    assert.strictEqual(csv, '\ufeffid,addr,tags,n,missing,addr.city\r\n1,"{""city"":""Leeds""}","[1,2]",,,Leeds\r\n');
  });

  it('guards cells that a spreadsheet would run as formulas', () => {
    for (const s of ['=1+1', '+44 113', '-2', '@SUM(A1)', '\t=x', '\r=x']) {
      assert.ok(csvCell(s).replace(/^"/, '').startsWith("'"), `guarded: ${JSON.stringify(s)} -> ${csvCell(s)}`);
    }
    assert.strictEqual(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    // Numbers are data, not formulas: a negative balance stays a number.
    assert.strictEqual(csvCell(-250.5), '-250.5');
    assert.strictEqual(csvCell('plain'), 'plain');
    assert.strictEqual(csvCell(true), 'true');
  });

  it('round-trips any strings through a strict RFC 4180 reader (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (values) => {
        const cols = values.map((_, i) => `c${i}`);
        const rec = Object.fromEntries(values.map((v, i) => [`c${i}`, v]));
        const rows = parseCsv(toCsv([rec], cols).replace(/^\ufeff/, ''));
        const expected = values.map(defuseFormula);
        return rows.length === 2 && JSON.stringify(rows[1]) === JSON.stringify(expected);
      }),
    );
  });
});

/** A strict RFC 4180 reader, written from the RFC, to check the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && !(text[i] === '\r' && text[i + 1] === '\n')) {
        if (text[i] === '"' || text[i] === '\n' || text[i] === '\r') throw new Error(`bare special character at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2;
      rows.push(row);
      row = [];
    } else if (i < text.length) throw new Error(`unexpected character at ${i}`);
  }
  if (row.length) rows.push(row);
  return rows;
}

describe('viewer: errors', () => {
  it('explains the statuses Sage users meet', () => {
    assert.strictEqual(explainStatus(200), undefined);
    assert.strictEqual(explainStatus(401)?.action, 'signIn');
    assert.match(explainStatus(401)?.detail ?? '', /Sign in again/);
    assert.match(explainStatus(403)?.detail ?? '', /Sage ID user lacks rights/);
    assert.match(explainStatus(404)?.title ?? '', /Not found/);
    assert.match(explainStatus(400)?.detail ?? '', /\$skip needs \$orderby/);
    assert.strictEqual(explainStatus(429)?.action, 'retry');
    assert.strictEqual(explainStatus(503)?.title, 'Server error');
    assert.strictEqual(statusClass(201), 'ok');
    assert.strictEqual(statusClass(404), 'client-error');
    assert.strictEqual(statusClass(500), 'server-error');
  });

});

describe('viewer: columns', () => {
  it('infers the union of keys in first-seen order and the kind of value', () => {
    const cols = inferColumns([{ id: 1, name: null }, { id: 2, name: 'x', extra: { a: 1 } }]);
    assert.deepStrictEqual(cols, [
      { key: 'id', kind: 'number' },
      { key: 'name', kind: 'string' },
      { key: 'extra', kind: 'object', children: [{ key: 'a', kind: 'number' }] },
    ]);
    assert.strictEqual(columnValue({ customer: { name: 'N' } }, 'customer.name'), 'N');
    assert.deepStrictEqual([3, null, 1, 2].sort(compareValues), [1, 2, 3, null]);
  });

  it('breaks timing into phases', () => {
    assert.deepStrictEqual(timingBreakdown({ dnsMs: 2, connectMs: 5, firstByteMs: 40, totalMs: 50 }), [
      { label: 'DNS', ms: 2 },
      { label: 'Connect', ms: 3 },
      { label: 'Wait', ms: 35 },
      { label: 'Download', ms: 10 },
    ]);
    // Behind a proxy tunnel the setup is one phase, not counted as the server's wait.
    assert.deepStrictEqual(timingBreakdown({ tunnelMs: 20, tlsMs: 30, firstByteMs: 40, totalMs: 50 }), [
      { label: 'Proxy tunnel', ms: 20 },
      { label: 'TLS', ms: 10 },
      { label: 'Wait', ms: 10 },
      { label: 'Download', ms: 10 },
    ]);
  });
});

describe('viewer: incremental array parsing', () => {
  const parseInChunks = (text: string, cuts: number[]): unknown => {
    const s = new JsonArrayStream();
    const out: unknown[] = [];
    let at = 0;
    for (const c of [...cuts].sort((a, b) => a - b)) {
      out.push(...s.push(text.slice(at, c)));
      at = c;
    }
    out.push(...s.push(text.slice(at)));
    const rest = s.finish();
    return 'elements' in rest ? [...out, ...rest.elements] : rest.value;
  };

  it('gives exactly what JSON.parse gives, however the text is cut (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (arr, rawCuts, pretty) => {
        const text = pretty ? JSON.stringify(arr, null, 2) : JSON.stringify(arr);
        const cuts = rawCuts.map((c) => c % (text.length + 1));
        assert.deepStrictEqual(parseInChunks(text, cuts), JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('returns complete records before the end, and hands non-arrays over whole', () => {
    const s = new JsonArrayStream();
    assert.deepStrictEqual(s.push(' [{"a":"x,]}"},{"b":[1,'), [{ a: 'x,]}' }]);
    assert.deepStrictEqual(s.push('2]}, 3'), [{ b: [1, 2] }]);
    assert.throws(() => s.finish(), SyntaxError);
    const o = new JsonArrayStream();
    o.push('{"Message":');
    o.push('"bad"}');
    assert.strictEqual(o.kind, 'other');
    assert.deepStrictEqual(o.finish(), { value: { Message: 'bad' } });
  });

  it('rejects bad JSON and trailing garbage', () => {
    assert.throws(() => parseInChunks('[1,2] x', [3]), SyntaxError);
    assert.throws(() => parseInChunks('[{"a":1},{"a":}]', [5]), SyntaxError);
    for (const bad of ['[1,]', '[,1]', '[1,,2]', '[1 , ]', '[', '[1', '']) {
      for (let cut = 0; cut <= bad.length; cut++) {
        assert.throws(() => parseInChunks(bad, [cut]), SyntaxError, `${bad} cut at ${cut}`);
      }
    }
  });

  it('decodes UTF-8 chunks without splitting characters', () => {
    const text = JSON.stringify(['£€😀'.repeat(1000), 'ok']);
    const bytes = new TextEncoder().encode(text);
    const chunks = [...textChunks(bytes, 7, 13)];
    assert.ok(chunks.length > 100);
    assert.strictEqual(chunks.join(''), text);
    assert.ok(!chunks.some((c) => c.includes('\ufffd')));
    const split = [...splitText(text, 5, 11)];
    assert.strictEqual(split.join(''), text);
    assert.ok(split.every((c) => !/[\ud800-\udbff]$/.test(c) || c === split[split.length - 1]));
  });
});
