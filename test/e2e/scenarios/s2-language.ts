import * as fs from 'fs';
import * as path from 'path';
import { CATALOG_LOADED, extensionLog } from '../extensionLog';
import { sleep, waitFor } from '../processes';
import { assert, Scenario } from '../types';
import { state } from './state';

/** Picks the sample to open: the first .sage200 file of the workspace (a copy of samples/). */
export function sampleFile(workspace: string): string {
  const files = fs.existsSync(workspace) ? fs.readdirSync(workspace).filter((f) => f.endsWith('.sage200')).sort() : [];
  if (files.length === 0) throw new Error('samples/ holds no .sage200 file to open');
  return files.includes('getting-started.sage200') ? 'getting-started.sage200' : files[0];
}

/**
 * Open a sample; `GET /cus` completes to `/customers`; `$select=` offers the customer's fields;
 * `$skip` without `$orderby` shows a diagnostic whose quick fix mends it.
 */
export const language: Scenario = {
  id: 2,
  title: 'sample file: path and $select completions, $skip diagnostic and its quick fix',
  async run({ wb, workspace, userDataDir, log }) {
    const file = sampleFile(workspace);
    state.requestFile = file;
    // Every attempt starts from the sample as shipped: a failed first attempt leaves typed text in
    // the editor (and its retry would then add a second "Second page" request for scenario 7 to
    // trip over), so put the file back on disk and revert the editor to it.
    const full = path.join(workspace, file);
    state.sampleText ??= fs.readFileSync(full, 'utf8');
    fs.writeFileSync(full, state.sampleText);
    await wb.openFile(file);
    await wb.runCommand('File: Revert File');
    const dirtyTab = wb.page.locator('.tabs-container .tab.active.dirty');
    await waitFor('the sample as shipped in the editor (no unsaved edits)', async () => ((await dirtyTab.count()) === 0 ? true : undefined), 10_000);
    await wb.screenshot('s2-sample-open');

    await wb.typeAtEnd('\n\n### Customers, two fields\nGET /cus');
    await wb.acceptSuggestion('/customers');
    await waitFor('the completed path', async () => ((await wb.editorText()).includes('GET /customers') ? true : undefined), 5_000);
    // The completion came from the catalog, read on first use (scenario 0 checks: not at activation), once.
    const loads = extensionLog(userDataDir).filter((l) => CATALOG_LOADED.test(l));
    assert(loads.length === 1, `the catalog should have been read once by the first completion, the log says: ${loads.join(' | ') || 'never'}`);

    await wb.page.keyboard.type('?$select=', { delay: 15 });
    const fields = await wb.suggestions();
    log(`$select suggestions: ${fields.slice(0, 12).join(', ')}`);
    for (const f of ['reference', 'name']) assert(fields.includes(f), `$select should offer "${f}", offered: ${fields.join(', ')}`);
    assert(!fields.includes('GET') && !fields.includes('/customers'), 'methods and paths must not be offered inside $select');
    await wb.screenshot('s2-select-completions');
    await wb.acceptSuggestion('reference');
    await wb.page.keyboard.type(',name', { delay: 15 });

    // A paged request without $orderby: Sage answers 400, so the editor flags it first.
    await wb.page.keyboard.type('\n\n### Second page\nGET /customers?$top=5&$skip=5', { delay: 15 });
    const line = wb.editorLine('$skip=5');
    const squiggle = wb.activeEditor().locator('.squiggly-error, .squiggly-warning');
    await waitFor('a squiggle under $skip', async () => ((await squiggle.count()) > 0 ? true : undefined), 20_000);
    // Point at the flagged $skip, as a person does, to read the diagnostic's message.
    await waitFor('the diagnostic on the $skip line', async () => {
      const lineBox = await line.boundingBox();
      const rects = await squiggle.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().y));
      return lineBox && rects.some((y) => Math.abs(y - lineBox.y) < lineBox.height) ? true : undefined;
    }, 20_000);
    const token = line.locator('span span').filter({ hasText: /^\$skip$/ }).first();
    await token.hover();
    // A problem's hover carries the message and a "Quick Fix" link.
    const hover = wb.page.locator('.monaco-hover').filter({ hasText: /orderby/i }).filter({ hasText: /Quick Fix/i }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    log(`hover: ${(await hover.innerText()).replace(/\s+/g, ' ').slice(0, 160)}`);
    await wb.screenshot('s2-skip-diagnostic');
    await wb.page.mouse.move(5, 400);
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('ArrowLeft');

    await wb.page.keyboard.press('Control+.');
    const fix = wb.page.locator('.action-widget .monaco-list-row, .context-view .action-item').filter({ hasText: /orderby/i }).first();
    await fix.waitFor({ state: 'visible', timeout: 10_000 });
    await wb.screenshot('s2-quick-fix');
    // The code action menu animates in, so choose with the keyboard: move to the fix, then Enter.
    const focusedAction = wb.page.locator('.action-widget .monaco-list-row.focused');
    for (let i = 0; i < 10 && !/orderby/i.test((await focusedAction.getAttribute('aria-label', { timeout: 2_000 }).catch(() => '')) ?? ''); i++) {
      await wb.page.keyboard.press('ArrowDown');
    }
    await wb.page.keyboard.press('Enter');
    await waitFor('the quick fix to add $orderby', async () => ((await line.innerText()).replace(/\u00a0/g, ' ').includes('$orderby=') ? true : undefined), 10_000);
    const mended = (await line.innerText()).replace(/\u00a0/g, ' ');
    log(`after the quick fix: ${mended}`);
    await sleep(1500); // diagnostics are recomputed after a short debounce
    const lineTop = (await line.boundingBox())?.y ?? -1;
    const boxes = await squiggle.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    assert(!boxes.some((y) => Math.abs(y - lineTop) < 4), 'the $skip line is still flagged after the quick fix');
    await wb.page.keyboard.press('Control+S');
    await wb.screenshot('s2-fixed');
    assert(fs.readFileSync(path.join(workspace, file), 'utf8').includes('$orderby='), 'the saved file should contain the fix');
  },
};
