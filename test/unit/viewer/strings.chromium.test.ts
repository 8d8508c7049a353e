/**
 * The webview shows only the texts the extension passes in its HTML. The page is served with every
 * text pseudo-translated (vowels accented); no English text of the viewer may then appear in it.
 */
import * as assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openViewer, PSEUDO_STRINGS, pseudoLocalize, stopTestServer } from './page';
import type { ResponseMeta } from '../../../src/core/viewer/messages';
import { ENGLISH_VIEWER_STRINGS } from '../../../src/core/viewer/strings';

type Win = { __show(meta: ResponseMeta, body: string): Promise<number> };

function meta(id: string, over: Partial<ResponseMeta> = {}): ResponseMeta {
  const url = 'https://127.0.0.1/uk/sage200/accounts/v1/customers?$top=2';
  return {
    id,
    method: 'GET',
    url,
    status: 200,
    statusText: 'OK',
    headers: { 'content-type': 'application/json' },
    size: 120,
    timing: { dnsMs: 1, connectMs: 3, firstByteMs: 40, totalMs: 55 },
    attempts: 2,
    request: { method: 'GET', url, headers: { Authorization: 'Bearer [redacted]' }, body: '{}' },
    paging: { skip: 0, top: 2, canPrevious: false, canNext: true, canLoadAll: true },
    canRewriteSelect: true,
    fromHistory: true,
    ...over,
  };
}

async function show(page: Page, m: ResponseMeta, body: string): Promise<void> {
  await page.evaluate(([m, body]) => (window as unknown as Win).__show(m, body), [m, body] as const);
  await page.waitForFunction(() => document.body.dataset.state === 'complete');
}

/** All text of the page, and every label, tooltip and placeholder. */
function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attrs = [...document.querySelectorAll('[aria-label], [title], [placeholder]')].flatMap((e) =>
      ['aria-label', 'title', 'placeholder'].map((a) => e.getAttribute(a) ?? ''),
    );
    return [document.body.textContent ?? '', ...attrs].join('\n');
  });
}

/** The English pieces of the viewer's texts that pseudo-translation changes (split at placeholders). */
const ENGLISH_PIECES = [...new Set(Object.values(ENGLISH_VIEWER_STRINGS).flatMap((s) => s.split(/\{\d+\}/)).map((p) => p.trim()))]
  .filter((p) => p.length >= 4 && pseudoLocalize(p) !== p);

describe('response viewer texts in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await stopTestServer();
  });
  afterEach(async () => {
    await page?.close();
  });

  it('shows the strings it was given, and no English text of its own', async () => {
    page = await openViewer(browser, undefined, undefined, true);
    const records = [
      { id: 1, name: 'Abbey', address: { city: 'Leeds' }, tags: [1, 2] },
      { id: 2, name: 'Brook', address: { city: 'York' }, tags: [3] },
    ];
    await show(page, meta('one'), JSON.stringify(records));
    const p = PSEUDO_STRINGS;

    // The parts of the page, each in the given language.
    assert.deepStrictEqual(await page.locator('[role=tab]').allInnerTexts(), [p.tabTable, p.tabJson, p.tabRaw, p.tabHeaders, p.tabRequest]);
    assert.strictEqual(await page.locator('[role=tablist]').getAttribute('aria-label'), p.tabsLabel);
    assert.strictEqual(await page.locator('input.search').getAttribute('placeholder'), p.searchPlaceholder);
    for (const name of [p.previousPage, p.nextPage, p.loadAll, p.resend, p.copyBody, p.saveBody, p.exportCsv, p.pin, p.columns, p.copy, p.copyRow]) {
      assert.strictEqual(await page.getByRole('button', { name, exact: true }).count(), 1, `no button "${name}"`);
    }
    const header = await page.locator('.resp-header').innerText();
    for (const text of ['Tímé 55 ms', 'Wáít 37 ms', 'Cónnéct 2 ms', '2 récórds', p.fromHistory]) assert.ok(header.includes(text), `header shows ${text}: ${header}`);
    assert.strictEqual(await page.locator('.grid-scroll').getAttribute('aria-label'), p.recordsLabel);
    assert.strictEqual(await page.locator('.table-status').innerText(), '2 róws');

    // Every other part of the page: the column chooser, a context menu, each tab, a nested value.
    await page.getByRole('button', { name: p.columns, exact: true }).click();
    assert.strictEqual(await page.getByRole('button', { name: p.setSelect }).count(), 1);
    await page.locator('.grid-canvas').click({ button: 'right', position: { x: 20, y: 8 } });
    assert.strictEqual(await page.getByRole('menuitem', { name: p.copyRowAsJson }).count(), 1);
    let text = await pageText(page);
    await page.keyboard.press('Escape');
    await page.locator('input.search').fill('Leeds');
    await page.locator('input.search').press('Enter');
    await page.waitForFunction((expected) => document.querySelector('.search-status')?.textContent?.includes(expected), '1 récórd mátchés');
    for (const tab of ['json', 'raw', 'headers', 'request'] as const) {
      await page.locator(`#tab-${tab}`).click();
      if (tab === 'json') {
        // Folding the root shows its summary.
        await page.locator('.pane-json .tree-scroll').focus();
        await page.keyboard.press('Home');
        await page.keyboard.press('ArrowLeft');
        await page.waitForFunction(() => !!document.querySelector('.j-summary'));
      }
      text += await pageText(page);
    }
    assert.ok(text.includes(p.requestAsSent) && text.includes('Sént 2 tímés'), 'the Request tab is translated');
    assert.ok(text.includes('2 ítéms'), 'the JSON tree summarises in the given language');

    // A failed request: the banner's own texts too.
    await show(page, meta('two', { status: 404, statusText: 'Not Found', paging: undefined }), '{"Message":"No such customer"}');
    assert.strictEqual(await page.getByRole('button', { name: p.showRawBody }).count(), 1);
    text += await pageText(page);

    assert.ok(ENGLISH_PIECES.length > 80, `${ENGLISH_PIECES.length} pieces`);
    const english = ENGLISH_PIECES.filter((piece) => text.includes(piece));
    assert.deepStrictEqual(english, [], 'English text the extension did not pass');
  });

  it('shows English when given no strings (the default HTML)', async () => {
    page = await openViewer(browser);
    assert.deepStrictEqual(await page.locator('[role=tab]').allInnerTexts(), ['Table', 'JSON', 'Raw', 'Headers', 'Request']);
  });
});
