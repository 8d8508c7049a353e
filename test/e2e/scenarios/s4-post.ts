import { DUPLICATE_REFERENCE } from '../../../src/core/sandbox';
import { waitFor } from '../processes';
import { assert, Scenario } from '../types';
import { Viewer } from '../viewer';
import { sampleFile } from './s2-language';
import { state } from './state';

/** POST a new customer, find it with $filter, then POST the same reference again: Sage's error. */
export const post: Scenario = {
  id: 4,
  title: 'POST a customer, find it with $filter, duplicate reference error in the viewer',
  async run({ wb, workspace, log }) {
    const file = state.requestFile ?? sampleFile(workspace);
    await wb.openFile(file);
    // Unique per run and within Sage's 8-character reference limit.
    const reference = `E2E${String(Date.now() % 100000).padStart(5, '0')}`;
    const name = `End To End ${reference} Ltd`;
    await wb.typeAtEnd(
      `\n\n### Create ${reference}\nPOST /customers\nContent-Type: application/json\n\n{ "reference": "${reference}", "name": "${name}", "credit_limit": 2500 }\n`,
    );
    await wb.clickCodeLensAbove(`Create ${reference}`);
    let viewer = await Viewer.wait(wb, '/customers');
    await waitFor('the POST answer', async () => {
      const f = await viewer.facts();
      return f.url.endsWith('/customers') && /^20[01]/.test(f.status) ? true : undefined;
    }, 30_000);
    await viewer.selectTab(/JSON|Raw/);
    await wb.screenshot('s4-post-created');
    log(`created ${reference}: ${JSON.stringify(await viewer.facts())}`);

    await wb.typeAtEnd(`\n### Find ${reference}\nGET /customers?$filter=reference eq '${reference}'&$select=id,reference,name\n`);
    await wb.clickCodeLensAbove(`Find ${reference}`);
    viewer = await Viewer.wait(wb, `reference eq '${reference}'`);
    await waitFor('one record', async () => ((await viewer.facts()).count === '1 record' || (await viewer.facts()).count === '1 records' ? true : undefined), 30_000);
    const rows = await viewer.rows();
    assert(rows.length === 1 && rows[0].join(' ').includes(name), `the $filter should find the new customer, table: ${JSON.stringify(rows)}`);
    await wb.screenshot('s4-filter-finds-it');

    await wb.clickCodeLensAbove(`Create ${reference}`);
    await waitFor('the duplicate reference error', async () => {
      const f = await viewer.facts();
      return f.status.startsWith('400') && f.banner?.includes(DUPLICATE_REFERENCE) ? true : undefined;
    }, 30_000);
    await wb.screenshot('s4-duplicate-reference');
  },
};
