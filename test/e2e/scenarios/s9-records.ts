import type { Locator } from 'playwright-core';
import { sleep, waitFor } from '../processes';
import type { Scenario } from '../types';
import { Viewer } from '../viewer';
import type { Workbench } from '../workbench';
import { sampleFile } from './s2-language';
import { COMPANY_B1, sandboxGet, sandboxSend, siteOf, state } from './state';

interface Customer { id: number; reference: string; name: string }

/** A customer of the company with contacts, whose name can be written in a `$filter` as is. */
async function customerWithContacts(site: { siteId: string; companyId: number }): Promise<{ customer: Customer; contacts: string[] }> {
  const list = await sandboxGet('/customers?$select=id,reference,name&$orderby=reference%20asc&$top=100', site);
  for (const c of list.json as Customer[]) {
    if (/['&]/.test(c.name)) continue;
    const contacts = await sandboxGet(`/customers/${c.id}/customer_contacts?$select=id,name`, site);
    const names = (contacts.json as { name?: string }[]).map((x) => x.name ?? '').filter(Boolean);
    if (names.length) return { customer: c, contacts: names };
  }
  throw new Error('no customer with contacts in the sandbox');
}

/** A row of the side bar tree at a depth (aria-level) whose text matches. */
function rowAt(wb: Workbench, level: number, text: RegExp | string): Locator {
  return wb.page.locator(`.part.sidebar .monaco-list-row[aria-level="${level}"]`).filter({ hasText: text }).first();
}

/**
 * Finds a row that may be out of view: the tree renders only the rows in view, and a refresh may
 * leave it scrolled anywhere. Scrolls to the top, then down until the row shows.
 */
async function revealRow(wb: Workbench, row: Locator, timeoutMs = 30_000): Promise<Locator> {
  const tree = wb.page.locator('.part.sidebar .monaco-list').first();
  return waitFor('the tree row', async () => {
    if (await row.isVisible().catch(() => false)) return row;
    const box = await tree.boundingBox();
    if (!box) return undefined;
    await wb.page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 150));
    await wb.page.mouse.wheel(0, -10_000);
    for (let step = 0; step < 40; step++) {
      await sleep(150);
      if (await row.isVisible().catch(() => false)) {
        await row.scrollIntoViewIfNeeded();
        return row;
      }
      await wb.page.mouse.wheel(0, 60);
    }
    return undefined;
  }, timeoutMs, 500);
}

/**
 * The explorer reaches records: expand Sales > customers, filter them with a `$filter` (a bad one
 * is refused with the parser's message), open a customer in the viewer, expand its contacts, then
 * "Edit as Request": change the name in the PUT, send it, and see the new name in the tree's label
 * (re-read after the write) and in the record. Then someone else renames the customer; Refresh
 * shows their name; the PUT re-sent from History puts ours back, in the tree too.
 */
export const records: Scenario = {
  id: 9,
  title: 'explorer records: filter customers, open one, its contacts, Edit as Request and send the PUT',
  async run({ wb, workspace, log }) {
    const companyName = state.company ?? COMPANY_B1;
    const site = await siteOf(companyName);
    const { customer, contacts } = await customerWithContacts(site);
    log(`customer ${customer.reference} ${customer.name} (id ${customer.id}), contacts ${contacts.join(', ')}`);

    await wb.openViewContainer('Sage 200');
    // The entity filter keeps the tree short: the side bar shows the records without scrolling far.
    await wb.runCommand('Sage 200: Filter Entities');
    await wb.quickInput().locator('.quick-input-box input').fill('customers');
    await wb.page.keyboard.press('Enter');
    await wb.quickInput().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    await wb.expand(wb.treeRow(/Demo sandbox/i));
    await wb.expand(wb.treeRow(state.site ?? companyName));
    await wb.expand(wb.treeRow(companyName));
    await wb.expand(wb.treeRow(/^\s*Sales(?![_a-z])/));
    const customers = await revealRow(wb, wb.treeRow(/^\s*customers(?![_a-z])/));
    const level = Number(await customers.getAttribute('aria-level'));
    await wb.expand(customers);
    await revealRow(wb, rowAt(wb, level + 1, /Load more/));
    await wb.screenshot('s9-customers-records');

    // Filter by name: a misspelt field is refused with the parser's message, then the real filter.
    await wb.contextMenu(customers, /Filter Records/);
    const input = wb.quickInput().locator('.quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`nmae eq '${customer.name}'`);
    const refusal = await waitFor('the $filter diagnostic', async () => {
      const text = (await wb.quickInput().innerText().catch(() => '')).replace(/\s+/g, ' ');
      return /nmae/.test(text) && /column 1/.test(text) ? text : undefined;
    }, 10_000);
    log(`bad filter: ${refusal}`);
    await wb.screenshot('s9-filter-diagnostic');
    // By reference, which the rename below leaves as it is: the record stays in the filtered list.
    await input.fill(`reference eq '${customer.reference}'`);
    await sleep(300);
    await wb.page.keyboard.press('Enter');
    await wb.quickInput().waitFor({ state: 'hidden', timeout: 10_000 });
    const record = await revealRow(wb, rowAt(wb, level + 1, customer.reference));
    // One customer matches: its page is short, so there is nothing more to load.
    await waitFor('the filtered list', async () => ((await rowAt(wb, level + 1, /Load more/).count()) === 0 ? true : undefined), 10_000);
    await wb.screenshot('s9-filtered');

    // Open the customer: the viewer shows GET /customers/{id}.
    await record.click();
    const viewer = await Viewer.wait(wb, `/customers/${customer.id}`);
    await waitFor('status 200 for the customer', async () => ((await viewer.facts()).status.startsWith('200') ? true : undefined), 30_000);
    await wb.screenshot('s9-customer-opened');

    // Its contacts.
    await wb.expand(record);
    const contactsRow = await revealRow(wb, rowAt(wb, level + 2, /^\s*customer_contacts(?![_a-z])/));
    await wb.expand(contactsRow);
    await revealRow(wb, rowAt(wb, level + 3, contacts[0]));
    await wb.screenshot('s9-contacts');

    // Edit as Request: the PUT goes into the request file; change the name and send it.
    const file = state.requestFile ?? sampleFile(workspace);
    await wb.openFile(file);
    await wb.contextMenu(await revealRow(wb, record), /Edit as Request/);
    const title = `Edit customers ${customer.reference}`;
    await wb.editorLine(title).waitFor({ state: 'visible', timeout: 20_000 }).catch(() => undefined);
    await wb.revealRequest(title);
    // ### title, PUT, X-Site, X-Company, Content-Type, blank, {, reference, then the name.
    for (let i = 0; i < 8; i++) await wb.page.keyboard.press('ArrowDown');
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Shift+Home');
    await wb.page.keyboard.press('Delete');
    const renamed = `${customer.name.slice(0, 40)} Renamed`;
    await wb.page.keyboard.type(`"name": "${renamed}",`, { delay: 15 });
    await wb.editorLine(`"name": "${renamed}",`).waitFor({ state: 'visible', timeout: 10_000 });
    await wb.screenshot('s9-edit-request');
    await wb.clickCodeLensAbove(title);
    await waitFor('the renamed customer in the sandbox', async () => {
      const now = await sandboxGet(`/customers/${customer.id}`, site);
      return (now.json as Customer).name === renamed ? true : undefined;
    }, 30_000);

    // The tree re-reads the list the PUT changed: the record's label shows the new name.
    const renamedRow = rowAt(wb, level + 1, renamed);
    await waitFor('the new name in the tree', async () => ((await renamedRow.count()) > 0 ? true : undefined), 20_000);
    await wb.screenshot('s9-tree-renamed');

    // See the change in the record: open it again from the tree.
    await (await revealRow(wb, renamedRow)).click();
    const again = await Viewer.wait(wb, `/customers/${customer.id}`);
    await waitFor('status 200 for the customer read again', async () => ((await again.facts()).status.startsWith('200') ? true : undefined), 30_000);
    await again.selectTab(/JSON|Raw/);
    await waitFor('the new name in the viewer', async () => {
      for (const frame of wb.page.frames()) {
        const text = await frame.locator('body').innerText({ timeout: 500 }).catch(() => '');
        if (text.includes(renamed)) return true;
      }
      return undefined;
    }, 30_000);
    await wb.screenshot('s9-record-changed');

    // Someone else renames the customer: the tree learns of it only when the list is read again.
    const theirs = `${customer.name.slice(0, 40)} Elsewhere`;
    const put = await sandboxSend('PUT', `/customers/${customer.id}`, site, { name: theirs });
    if (put.status !== 200) throw new Error(`renaming behind the extension's back failed: ${put.status} ${JSON.stringify(put.json)}`);
    await wb.runCommand('Sage 200: Refresh Explorer');
    const theirRow = rowAt(wb, level + 1, theirs);
    await waitFor('their name in the tree after Refresh', async () => ((await theirRow.count()) > 0 ? true : undefined), 20_000);

    // Re-send our PUT from History (not from the file): confirmed, then the tree shows our name again.
    const historyRow = wb.page.locator('.part.sidebar .monaco-list-row').filter({ hasText: `PUT /customers/${customer.id}` }).first();
    await historyRow.click();
    const fromHistory = await Viewer.wait(wb, `/customers/${customer.id}`);
    await waitFor('the PUT from History in the viewer', async () => ((await fromHistory.facts()).method === 'PUT' ? true : undefined), 20_000);
    await fromHistory.clickButton(/^Re-send$/);
    await waitFor('the Re-send confirmation', async () => (/again\?/.test(await wb.dialog().innerText().catch(() => '')) ? true : undefined), 10_000);
    await wb.clickDialogButton(/Send PUT again/);
    await waitFor('our name back in the sandbox', async () => ((await sandboxGet(`/customers/${customer.id}`, site)).json as Customer).name === renamed || undefined, 30_000);
    await waitFor('our name back in the tree, without Refresh', async () => ((await renamedRow.count()) > 0 && (await theirRow.count()) === 0 ? true : undefined), 20_000);
    await wb.screenshot('s9-tree-after-resend');
  },
};
