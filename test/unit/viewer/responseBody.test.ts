import * as assert from 'assert';
import { ResponseBody } from '../../../src/core/viewer/responseBody';
import { splitText } from '../../../src/core/viewer/arrayStream';

function feed(text: string, size?: number): ResponseBody {
  const b = new ResponseBody();
  if (size) for (let i = 0; i < text.length; i += size) b.push(text.slice(i, i + size));
  else for (const c of splitText(text)) b.push(c);
  return b;
}

describe('viewer: the body as the webview receives it', () => {
  it('collects records and columns while chunks arrive, and the whole value at the end', () => {
    const records = Array.from({ length: 300 }, (_, i) => ({ id: i, name: `C${i}`, ...(i === 250 ? { late: true } : {}) }));
    const b = feed(JSON.stringify(records), 997);
    assert.ok(b.records.length > 0 && b.records.length < 300, 'records before the end');
    assert.ok(b.isArray && b.hasRows && !b.complete);
    b.finish();
    assert.deepStrictEqual(b.value, records);
    assert.ok(b.isRecordArray);
    assert.deepStrictEqual(b.columns.map((c) => c.key), ['id', 'name', 'late']);
  });

  it('counts matches case-insensitively, across chunk borders, each once', () => {
    const b = feed('abcABCabc', 2);
    assert.strictEqual(b.count('bc'), 3);
    assert.strictEqual(b.count('CAB'), 2);
    assert.strictEqual(b.count('a'), 3);
    assert.strictEqual(b.count(''), 0);
    assert.strictEqual(b.text(4), 'abcA');
    assert.strictEqual(b.text(), 'abcABCabc');
  });

  it('keeps a body that is not JSON as text, with the reason', () => {
    const b = feed('[{"id":1},{"id":', 5);
    b.finish();
    assert.ok(!b.parsed && b.parseError);
    assert.ok(!b.isRecordArray);
    assert.strictEqual(b.text(), '[{"id":1},{"id":');
  });

  it('shows the whole records before the cut of a body that history truncated', () => {
    const b = feed('[{"id":1},{"id":2},{"id":3,"na', 7);
    b.finish(true);
    assert.ok(b.parsed && b.parseError);
    assert.deepStrictEqual(b.value, [{ id: 1 }, { id: 2 }]);
  });

  it('is not a table when the records are not objects', () => {
    const b = feed('[1,2,3]');
    b.finish();
    assert.ok(b.isArray && !b.hasRows && !b.isRecordArray);
    const o = feed('{"a":1}');
    o.finish();
    assert.ok(!o.isArray && o.parsed);
    assert.deepStrictEqual(o.value, { a: 1 });
  });
});
