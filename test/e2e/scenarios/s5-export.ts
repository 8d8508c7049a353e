import * as fs from 'fs';
import * as path from 'path';
import { sleep, waitFor } from '../processes';
import { assert, Scenario } from '../types';
import { COMPANY_B1, sandboxGet, siteOf, SITE_B, state } from './state';

/** Counts RFC 4180 records (quoted fields may hold newlines), header excluded. */
export function csvRecordCount(text: string): number {
  let records = 0;
  let quoted = false;
  let fieldChars = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
    } else if (ch === '"') {
      quoted = true;
      fieldChars = true;
    } else if (ch === '\n') {
      records++;
      fieldChars = false;
    } else if (ch !== '\r') {
      fieldChars = true;
    }
  }
  if (fieldChars) records++;
  return Math.max(0, records - 1);
}

/** Explorer: Count on customers, then "Export all" to CSV; the file's rows match $count. */
export const exportAll: Scenario = {
  id: 5,
  title: 'explorer "Export all" writes a CSV whose row count matches $count',
  async run({ wb, scratch, log }) {
    await wb.openViewContainer('Sage 200');
    // The explorer's filter narrows 300-odd entities to the ones named like customers.
    await wb.runCommand('Sage 200: Filter Entities');
    await wb.quickInput().locator('.quick-input-box input').fill('customers');
    await wb.page.keyboard.press('Enter');
    await wb.quickInput().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    await wb.expand(wb.treeRow(/Demo sandbox/i));
    await wb.expand(wb.treeRow(state.site ?? SITE_B));
    await wb.expand(wb.treeRow(state.company ?? COMPANY_B1));
    await wb.expand(wb.treeRow(/^\s*Sales(?![_a-z])/));
    const customers = await wb.scrollTreeTo(/^\s*customers(?![_a-z])/);

    // Count: the number shows in the node's description.
    const before = (await customers.innerText()).replace(/\s+/g, ' ');
    await wb.contextMenu(customers, /^Count/);
    const shownCount = await waitFor(
      'the count in the customers node',
      async () => {
        const raw = (await customers.innerText()).replace(/\s+/g, ' ');
        if (raw === before) return undefined;
        const text = raw.replace(/(\d),(\d)/g, '$1$2');
        const m = /customers\D*(\d+)/.exec(text);
        return m ? Number(m[1]) : undefined;
      },
      30_000,
    );
    await wb.screenshot('s5-count');

    const target = path.join(scratch, 'customers-export.csv');
    fs.rmSync(target, { force: true });
    await wb.contextMenu(customers, /Export all/i);
    // The format, then where to save (the web workbench's save dialog is a quick input with a path).
    for (let step = 0; step < 3; step++) {
      await wb.quickInput().waitFor({ state: 'visible', timeout: 20_000 });
      const input = wb.quickInput().locator('.quick-input-box input');
      const rows = wb.quickInput().locator('.quick-input-list .monaco-list-row');
      const csvRow = rows.filter({ hasText: /CSV/ }).first();
      if (await csvRow.isVisible().catch(() => false)) {
        await csvRow.click();
        await wb.quickInput().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
        continue;
      }
      // The web save dialog fills in its own start value asynchronously: wait until it settles,
      // then type the path and check it stuck before pressing Enter.
      await waitFor('the save dialog to settle', async () => {
        const first = await input.inputValue();
        await sleep(400);
        return first !== '' && first === (await input.inputValue()) ? true : undefined;
      }, 10_000).catch(() => undefined);
      await waitFor('the typed path in the save dialog', async () => {
        if ((await input.inputValue()) === target) return true;
        await input.fill(target);
        await sleep(400);
        return (await input.inputValue()) === target ? true : undefined;
      }, 10_000);
      await wb.screenshot('s5-save-as');
      await wb.page.keyboard.press('Enter');
      break;
    }
    await wb.screenshot('s5-exporting');
    await waitFor('the exported file', () => (fs.existsSync(target) ? true : undefined), 120_000, 500);
    const toast = await wb.notification(/export/i, 60_000).catch(() => undefined);
    if (toast) log(`notification: ${(await toast.innerText()).replace(/\s+/g, ' ')}`);
    await wb.screenshot('s5-exported');

    const rows = csvRecordCount(fs.readFileSync(target, 'utf8'));
    const api = await sandboxGet('/customers?$count=true', await siteOf(state.company ?? COMPANY_B1));
    const apiCount = Number(api.json);
    log(`CSV rows ${rows}, explorer count ${shownCount}, $count ${apiCount}`);
    assert(rows === apiCount, `the CSV holds ${rows} rows but $count says ${apiCount}`);
    assert(shownCount === apiCount, `the explorer showed ${shownCount} but $count says ${apiCount}`);
  },
};
