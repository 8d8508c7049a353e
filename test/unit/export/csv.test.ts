import * as assert from 'assert';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CSV_BOM, csvCell, defuseFormula, runExport } from '../../../src/core/export';
import { toCsv } from '../../../src/core/export/csvFile';

const LEADS = '=+-@\uff1d\uff0b\uff0d\uff20';
const INVISIBLE = ' \t\r\n\u00a0\u00ad\u200b\u200c\u200d\u200e\u2060\ufeff"';

/**
 * What a spreadsheet could run: the first visible character of the cell, and of each part after a
 * `;` (semicolon locales), a tab (paste) or a line break, is a formula lead.
 */
function runnableParts(text: string): string[] {
  return text.split(/[;\t\r\n]/).filter((part, i) => {
    const visible = [...part].find((c) => !INVISIBLE.includes(c));
    return (visible !== undefined && LEADS.includes(visible)) || (i === 0 && /^[\t\r]/.test(text) && !text.startsWith("'"));
  });
}

describe('CSV cell (one owner: src/core/export/csv)', () => {
  it('defuses formulas behind spaces, zero-width characters, fullwidth signs and semicolon/tab/line splits', () => {
    const cases: [string, string][] = [
      ['=1+1', "'=1+1"],
      [' =1+1', "' =1+1"],
      ['\u00a0\u200b+1', "'\u00a0\u200b+1"],
      ['\ufeff@SUM(A1)', "'\ufeff@SUM(A1)"],
      ['\uff1d1+1', "'\uff1d1+1"],
      ['\uff0b44', "'\uff0b44"],
      ['a;=1+1', "a;'=1+1"],
      ['a; -2', "a;' -2"],
      ['Name\t=cmd', "Name\t'=cmd"],
      ['line\r\n@x', "line\r'\n'@x"],
      ['\tx', "'\tx"],
      ['\rx', "'\rx"],
      ['a;"=1+1"', 'a;\'"=1+1"'],
    ];
    for (const [input, want] of cases) assert.strictEqual(defuseFormula(input), want, JSON.stringify(input));
    // Ordinary text is left alone.
    for (const plain of ['plain', 'a-b', 'jo@example.com', 'A;B;C', 'x = y', '10+2', 'Zoë £5', '']) {
      assert.strictEqual(defuseFormula(plain), plain);
    }
  });

  it('numbers and booleans are data; text and JSON of nested values are guarded', () => {
    assert.strictEqual(csvCell(-250.5), '-250.5');
    assert.strictEqual(csvCell(false), 'false');
    assert.strictEqual(csvCell('-250.5'), "'-250.5");
    assert.strictEqual(csvCell(['a;=1']), '"[""a;\'=1""]"');
    assert.strictEqual(csvCell('a;=1', false), 'a;=1');
  });

  it('only ever adds apostrophes, and leaves no part a spreadsheet could run (property)', () => {
    const tricky = fc.constantFrom(...[...LEADS], ...[...INVISIBLE], ';', "'", 'a', '1', ',');
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: tricky, maxLength: 12 })), (s) => {
      const out = defuseFormula(s);
      assert.strictEqual(out.replace(/'/g, ''), s.replace(/'/g, ''));
      assert.deepStrictEqual(runnableParts(out), [], JSON.stringify(out));
    }), { numRuns: 3000 });
  });

  it('takes linear time on hostile cells (200,000 line breaks before "=")', () => {
    for (const filler of ['\n', '; ', '\u200b']) {
      const s = `${filler.repeat(200_000)}=1`;
      const t0 = process.hrtime.bigint();
      defuseFormula(s);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.ok(ms < 2000, `${JSON.stringify(filler)}: ${ms.toFixed(0)} ms`);
    }
  });

  it('Export All and the viewer\'s Export CSV write the same bytes, both with a UTF-8 BOM', async () => {
    const records = [{ name: 'Zoë', balance: '£12.50', note: 'a;=1+1', n: -3 }];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-csv-'));
    try {
      const target = path.join(dir, 'all.csv');
      await runExport({ target, format: 'csv', pages: async (onPage) => { await onPage(records); } });
      const exported = fs.readFileSync(target);
      const viewer = Buffer.from(toCsv(records, ['name', 'balance', 'note', 'n']), 'utf8');
      assert.deepStrictEqual([...exported.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.strictEqual(exported.toString('utf8'), viewer.toString('utf8'));
      assert.strictEqual(exported.toString('utf8'), `${CSV_BOM}name,balance,note,n\r\nZoë,£12.50,a;'=1+1,-3\r\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
