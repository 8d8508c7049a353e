/** The webview's texts: filled, counted, and carried through the HTML intact. */
import * as assert from 'assert';
import { ENGLISH_VIEWER_STRINGS, fill, parseViewerStrings, plural, translateViewerStrings } from '../../../src/core/viewer/strings';
import { viewerHtml } from '../../../src/viewer/html';

describe('viewer strings', () => {
  it('fills placeholders in any order and leaves a missing one visible', () => {
    assert.strictEqual(fill('{1} of {0}', 'b', 'a'), 'a of b');
    assert.strictEqual(fill('Showing {0} of {1}', 2500), 'Showing 2,500 of {1}');
  });

  it('picks the form for one or for any other number', () => {
    const s = ENGLISH_VIEWER_STRINGS;
    assert.strictEqual(plural(1, s.recordCountOne, s.recordCount), '1 record');
    assert.strictEqual(plural(0, s.recordCountOne, s.recordCount), '0 records');
    assert.strictEqual(plural(12000, s.rowCountOne, s.rowCount), '12,000 rows');
  });

  it('reaches the page through the HTML unchanged, quotes and markup included', () => {
    const strings = translateViewerStrings((english) => `"<${english}>" & 'x'`);
    const html = viewerHtml({ cspSource: 'x', scriptUri: 'x.js', styleUri: 'x.css', strings, language: 'de' });
    const attr = /<body data-strings="([^"]*)">/.exec(html)?.[1];
    assert.ok(attr !== undefined, 'no data-strings on <body>');
    assert.ok(!attr.includes('<'), 'markup inside the attribute');
    const decoded = attr.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&');
    assert.deepStrictEqual(parseViewerStrings(decoded), strings);
    assert.match(html, /<html lang="de">/);
  });

  it('falls back to English for a missing, non-text or unreadable table', () => {
    assert.deepStrictEqual(parseViewerStrings(undefined), ENGLISH_VIEWER_STRINGS);
    assert.deepStrictEqual(parseViewerStrings('{not json'), ENGLISH_VIEWER_STRINGS);
    const parsed = parseViewerStrings(JSON.stringify({ tabRaw: 'Roh', tabJson: 42 }));
    assert.strictEqual(parsed.tabRaw, 'Roh');
    assert.strictEqual(parsed.tabJson, 'JSON');
  });
});
