import * as assert from 'assert';
import { parseRequestFile } from '../../../src/core/requestFile';
import { isSameTest, testLabel } from '../../../src/core/testing';

const before = [
  '### List customers', 'GET /customers', '', '?? status == 200', '',
  '### Remove one', 'DELETE /customers/1269', '', '?? status == 204', '',
  '###', '# @name made', 'POST /customers', '', '{}', '', '?? status == 201', '',
].join('\n');

describe('test runner: a test is recognised by what it shows, not only by its place', () => {
  const shown = parseRequestFile(before).requests.map((r) => testLabel(r));

  it('labels a test by its title (or name, or method and path) and describes it by method and path', () => {
    assert.deepStrictEqual(shown, [
      { label: 'List customers', description: 'GET /customers' },
      { label: 'Remove one', description: 'DELETE /customers/1269' },
      { label: 'made', description: 'POST /customers' },
    ]);
  });

  it('holds while the requests stay in place, whatever else changed', () => {
    const edited = parseRequestFile(before.replace('?? status == 200', '?? status == 200\n?? body.$.length > 0').replace('{}', '{ "name": "x" }'));
    assert.deepStrictEqual(edited.requests.map((r, k) => isSameTest(shown[k], r)), [true, true, true]);
  });

  it('fails when another request, or none with assertions, now stands at the place', () => {
    // A request added at the top moves every test one place down: the first place now holds a DELETE.
    const moved = parseRequestFile(`### Remove another\nDELETE /customers/7\n\n?? status == 204\n\n${before}`);
    assert.deepStrictEqual(shown.map((s, k) => isSameTest(s, moved.requests[k])), [false, false, false]);
    const retitled = parseRequestFile(before.replace('### Remove one\nDELETE /customers/1269', '### Remove one\nDELETE /customers/42'));
    assert.strictEqual(isSameTest(shown[1], retitled.requests[1]), false);
    const noAssertions = parseRequestFile(before.replace('?? status == 204', ''));
    assert.strictEqual(isSameTest(shown[1], noAssertions.requests[1]), false);
    assert.strictEqual(isSameTest(shown[2], parseRequestFile(before).requests[3]), false, 'past the end');
  });
});
