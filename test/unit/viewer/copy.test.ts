import * as assert from 'assert';
import { cellCopyText, rangeBounds, rangeText, tsvField } from '../../../src/core/viewer/copy';

const records = [
  { id: 1, name: 'Bolton Ltd', note: 'says "hi"\tthere', address: { city: 'Leeds' }, on_hold: false },
  { id: 2, name: 'Acme', note: null, address: null, on_hold: true },
  { id: 3, name: 'Zeta\nNorth', note: 'x', address: { city: 'York' }, on_hold: false },
];
const columns = ['id', 'name', 'note', 'address.city', 'on_hold'];

describe('viewer: copying cells', () => {
  it('copies one value as it is: text raw, anything else as JSON', () => {
    assert.strictEqual(cellCopyText('a\tb'), 'a\tb');
    assert.strictEqual(cellCopyText(12.5), '12.5');
    assert.strictEqual(cellCopyText(undefined), 'null');
    assert.strictEqual(cellCopyText({ a: 1 }), '{\n  "a": 1\n}');
  });

  it('writes tab-separated fields that spreadsheets read back', () => {
    assert.strictEqual(tsvField(null), '');
    assert.strictEqual(tsvField(false), 'false');
    assert.strictEqual(tsvField('plain, with comma'), 'plain, with comma');
    assert.strictEqual(tsvField('say "hi"'), '"say ""hi"""');
    assert.strictEqual(tsvField('a\tb'), '"a\tb"');
    assert.strictEqual(tsvField([1, { b: 2 }]), '"[1,{""b"":2}]"');
    assert.strictEqual(tsvField({ n: 1 }), '"{""n"":1}"');
  });

  it('copies a range in either drag direction as rows of tab-separated cells, dotted paths included', () => {
    const byView = [2, 0, 1]; // a sorted view: view row 0 is record 2
    const at = (row: number) => records[byView[row]];
    const down = rangeText({ anchor: { row: 0, col: 1 }, focus: { row: 1, col: 3 } }, at, columns);
    const up = rangeText({ anchor: { row: 1, col: 3 }, focus: { row: 0, col: 1 } }, at, columns);
    assert.strictEqual(down, '"Zeta\nNorth"\tx\tYork\nBolton Ltd\t"says ""hi""\tthere"\tLeeds');
    assert.strictEqual(up, down);
    assert.strictEqual(rangeText({ anchor: { row: 2, col: 0 }, focus: { row: 2, col: 4 } }, at, columns, true), 'id\tname\tnote\taddress.city\ton_hold\n2\tAcme\t\t\ttrue');
    assert.deepStrictEqual(rangeBounds({ anchor: { row: 5, col: 1 }, focus: { row: 2, col: 3 } }), { top: 2, bottom: 5, left: 1, right: 3 });
  });
});
