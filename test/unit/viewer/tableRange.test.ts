import * as assert from 'assert';
import fc from 'fast-check';
import { defaultRangeExtractor } from '@tanstack/virtual-core';
import { aheadRange } from '../../../src/webview/table';

/** A visible range [startIndex, endIndex] inside `count` rows, and an overscan. */
const ranges = fc
  .tuple(fc.integer({ min: 1, max: 500 }), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 12 }))
  .map(([count, a, b, overscan]) => {
    const x = a % count;
    const y = b % count;
    return { startIndex: Math.min(x, y), endIndex: Math.max(x, y), overscan, count };
  });

describe('viewer: grid rows rendered ahead of the scroll', () => {
  it('at rest, renders what the virtualizer would (overscan on both sides) (property)', () => {
    fc.assert(fc.property(ranges, (r) => assert.deepStrictEqual(aheadRange(r, null), defaultRangeExtractor(r))));
  });

  it('while scrolling, keeps every visible row, the full overscan ahead and at most one row behind (property)', () => {
    fc.assert(
      fc.property(ranges, fc.constantFrom('forward' as const, 'backward' as const), (r, dir) => {
        const got = aheadRange(r, dir);
        const all = defaultRangeExtractor(r);
        // Consecutive, within the rows, and a subset of what the default would render.
        got.forEach((v, i) => i && assert.strictEqual(v, got[i - 1] + 1));
        assert.ok(got[0] >= 0 && got[got.length - 1] <= r.count - 1);
        assert.ok(got[0] >= all[0] && got[got.length - 1] <= all[all.length - 1]);
        // Every visible row.
        assert.ok(got[0] <= r.startIndex && got[got.length - 1] >= r.endIndex);
        const ahead = dir === 'forward' ? got[got.length - 1] - r.endIndex : r.startIndex - got[0];
        const behind = dir === 'forward' ? r.startIndex - got[0] : got[got.length - 1] - r.endIndex;
        const room = dir === 'forward' ? r.count - 1 - r.endIndex : r.startIndex;
        assert.strictEqual(ahead, Math.min(r.overscan, room));
        assert.ok(behind <= Math.min(1, r.overscan));
      }),
    );
  });
});
