import * as path from 'path';
import { waitFor } from '../processes';
import { assert, Scenario } from '../types';
import { Viewer } from '../viewer';

/**
 * Import a Postman collection from the Sage 200 explorer's title bar (one file per folder), open
 * one of the new files, send its request and see the answer.
 */
export const importCollection: Scenario = {
  id: 8,
  title: 'Import… from the explorer: a Postman collection becomes request files; one of them sends',
  async run({ wb, workspace, log }) {
    await wb.openViewContainer('Sage 200');
    const button = wb.sidebar().locator('.action-label[aria-label^="Import"]').first();
    await wb.sidebar().locator('.pane-header').first().hover();
    if (await button.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) {
      await button.click();
      log('clicked Import… in the explorer title bar');
    } else {
      log('the title bar button was not visible; using the command palette');
      await wb.runCommand('Sage 200: Import…');
    }
    // code-server's open dialog is a quick input that takes a path.
    const input = wb.quickInput().locator('.quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    // The dialog writes its starting folder into the box once it has listed it, which can replace a
    // path typed earlier: type the path until it stays.
    const collection = path.join(workspace, 'demo.postman_collection.json');
    await waitFor('the collection path in the open dialog', async () => {
      if ((await input.inputValue()) !== collection) await input.fill(collection);
      await wb.page.waitForTimeout(500);
      return (await input.inputValue()) === collection || undefined;
    }, 20_000);
    await wb.page.keyboard.press('Enter');
    await wb.pickQuickItem(/One file per top-level folder/);
    await wb.notification(/Imported 2 file\(s\)/, 30_000);
    await wb.screenshot('s8-imported');

    await wb.openFile('Imported customers.sage200');
    const text = await wb.editorText();
    log(`imported file:\n${text}`);
    assert(/^GET \/customers\?\$top=5&\$orderby=id asc$/m.test(text), 'the request line should be relative to the connection');
    assert(!/X-Site|X-Company/.test(text), 'X-Site and X-Company should be left to the active context');
    await wb.clickCodeLensAbove('GET /customers?$top=5');
    const viewer = await Viewer.wait(wb, '/customers');
    await waitFor('status 200', async () => ((await viewer.facts()).status.startsWith('200') ? true : undefined), 30_000);
    const rows = await viewer.rows();
    assert(rows.length === 5, `the table should show 5 customers, shows ${rows.length}`);
    await wb.screenshot('s8-sent');
  },
};
