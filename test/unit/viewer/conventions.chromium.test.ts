/**
 * VS Code's conventions in the response webview, in Chromium:
 * - it shows only the texts the extension passes in its HTML. The page is served with every text
 *   pseudo-translated (vowels accented); no English text of the viewer may then appear in it;
 * - the JSON tree tells assistive technology each item's level, place and set size;
 * - a high-contrast theme draws every boundary in its contrast colours.
 */
import * as assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openViewer, paintedGrid, PSEUDO_STRINGS, pseudoLocalize, stopTestServer } from './page';
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

/** Shows `body` as a plain GET response. */
async function showValue(page: Page, body: unknown): Promise<void> {
  await show(page, meta(`r${Math.random()}`, { paging: undefined, fromHistory: undefined }), JSON.stringify(body));
}

/** Each tree line: its text and its ARIA level, place, set size and expanded state. */
async function treeItems(page: Page): Promise<string[]> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.locator('.pane-json [role=treeitem]').evaluateAll((items) =>
    items.map((e) => {
      const a = (name: string) => e.getAttribute(name) ?? '-';
      return `${e.textContent} L${a('aria-level')} ${a('aria-posinset')}/${a('aria-setsize')} ${a('aria-expanded')}`;
    }),
  );
}

const CONTRAST = 'rgb(255, 0, 255)';
const ACTIVE = 'rgb(0, 255, 0)';

describe('response viewer conventions in Chromium', function () {
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

  it('gives every JSON tree item its level, place in its set and set size', async () => {
    page = await openViewer(browser);
    await showValue(page, { a: 1, b: [10, 20, 30], c: { d: null } });
    await page.locator('#tab-json').click();
    assert.deepStrictEqual(await treeItems(page), [
      '▾{ L1 1/1 true',
      '"a": 1, L2 1/3 -',
      '▾"b": [ L2 2/3 true',
      '10, L3 1/3 -',
      '20, L3 2/3 -',
      '30 L3 3/3 -',
      '], L2 2/3 -',
      '▾"c": { L2 3/3 true',
      '"d": null L3 1/1 -',
      '} L2 3/3 -',
      '} L1 1/1 -',
    ]);
    // Folding "b" keeps its place; its items leave the tree.
    await page.locator('.pane-json .tree-line[data-i="2"] .toggle').click();
    assert.deepStrictEqual(await treeItems(page), [
      '▾{ L1 1/1 true',
      '"a": 1, L2 1/3 -',
      '▸"b": [3 items], L2 2/3 false',
      '▾"c": { L2 3/3 true',
      '"d": null L3 1/1 -',
      '} L2 3/3 -',
      '} L1 1/1 -',
    ]);
  });

  it('draws borders and focus in the contrast colours under a high-contrast theme', async () => {
    page = await openViewer(browser);
    await showValue(page, Array.from({ length: 30 }, (_, i) => ({ id: i + 1, name: `Customer ${i + 1}` })));
    const styles = () =>
      page.evaluate(() => {
        const cs = (selector: string) => getComputedStyle(document.querySelector(selector) as Element);
        return {
          button: cs('.resp-header button').borderTopColor,
          search: cs('input.search').borderTopColor,
          selectedTab: cs('.tab[aria-selected=true]').borderBottomColor,
          header: cs('.grid-hcell').borderRightColor,
        };
      });
    // VS Code sets the theme's colours on <html> and its kind as a class on <body>.
    await page.evaluate(([contrast, active]) => {
      document.documentElement.style.setProperty('--vscode-contrastBorder', contrast);
      document.documentElement.style.setProperty('--vscode-contrastActiveBorder', active);
    }, [CONTRAST, ACTIVE] as const);
    const normal = await styles();
    assert.ok(!Object.values(normal).includes(CONTRAST), `contrast borders outside a high-contrast theme: ${JSON.stringify(normal)}`);
    const gridBefore = await canvasHasColour(page, [255, 0, 255]);
    assert.strictEqual(gridBefore, false, 'grid lines in the contrast colour outside a high-contrast theme');

    for (const kind of ['vscode-high-contrast', 'vscode-high-contrast-light']) {
      await page.evaluate((k) => {
        document.body.className = k;
        // A theme change also rewrites <html>'s style, which makes the table read its colours again.
        document.documentElement.style.setProperty('--vscode-font-size', '13px');
      }, kind);
      assert.deepStrictEqual(await styles(), { button: CONTRAST, search: CONTRAST, selectedTab: ACTIVE, header: CONTRAST }, kind);
      assert.ok(await canvasHasColour(page, [255, 0, 255]), `${kind}: the painted grid lines are in the contrast colour`);

      // Keyboard focus: a solid outline in the active contrast colour.
      await page.locator('input.search').focus();
      await page.keyboard.press('Shift+Tab');
      const outline = await page.evaluate(() => {
        const cs = getComputedStyle(document.activeElement as Element);
        return `${cs.outlineStyle} ${cs.outlineColor}`;
      });
      assert.strictEqual(outline, `solid ${ACTIVE}`, `${kind}: focus outline of ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80))}`);
      await page.evaluate(() => {
        document.body.className = '';
        document.documentElement.style.setProperty('--vscode-font-size', '13.0px');
      });
    }
  });
});

/** Whether the table's canvas, as painted on screen, shows the colour anywhere. */
async function canvasHasColour(page: Page, [r, g, b]: number[]): Promise<boolean> {
  await paintedGrid(page);
  const png = await page.locator('.grid-canvas').screenshot();
  // The screenshot is decoded by a blank page of the same browser: no image library needed.
  const blank = await (page.context().browser() as Browser).newPage();
  try {
    return await blank.evaluate(
      async ([data, r, g, b]) => {
        const img = new Image();
        img.src = `data:image/png;base64,${data}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d') as CanvasRenderingContext2D;
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < px.length; i += 4) if (px[i] === r && px[i + 1] === g && px[i + 2] === b) return true;
        return false;
      },
      [png.toString('base64'), r, g, b] as const,
    );
  } finally {
    await blank.close();
  }
}
