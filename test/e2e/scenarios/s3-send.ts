import { waitFor } from '../processes';
import { assert, Scenario } from '../types';
import { Viewer } from '../viewer';
import { sampleFile } from './s2-language';
import { COMPANY_B1, sandboxGet, siteOf, state } from './state';

/** The references of a customers page, straight from the sandbox, to compare with the table. */
async function references(skip: number, top: number): Promise<string[]> {
  const res = await sandboxGet(`/customers?$top=${top}&$skip=${skip}&$orderby=id%20asc&$select=id,reference`, await siteOf(state.company ?? COMPANY_B1));
  assert(res.status === 200, `sandbox cross-check failed with ${res.status}`);
  return (res.json as { reference: string }[]).map((c) => c.reference);
}

/**
 * Click "Send": the viewer shows a table of customers with status, count and time; Next page works.
 * An expanded child's fields that `$select` names (`customer.name`) are columns of their own.
 */
export const send: Scenario = {
  id: 3,
  title: 'Send CodeLens: the viewer shows customers with status, count, time; Next page; customer.name column',
  async run({ wb, workspace, log }) {
    const file = state.requestFile ?? sampleFile(workspace);
    await wb.openFile(file);
    // Scenario 2 left "GET /customers?$top=5&$skip=5&$orderby=…" at the end of the file.
    const requestLine = (await wb.editorText()).includes('$skip=5') ? '$skip=5' : undefined;
    if (!requestLine) await wb.typeAtEnd('\n\n### Second page\nGET /customers?$top=5&$skip=5&$orderby=id asc');
    await wb.revealRequest('Second page');
    await wb.clickCodeLensAbove('$skip=5');

    const viewer = await Viewer.wait(wb, '/customers');
    await waitFor('status 200', async () => ((await viewer.facts()).status.startsWith('200') ? true : undefined), 30_000);
    const facts = await viewer.facts();
    log(`viewer: ${JSON.stringify(facts)}`);
    assert(/^Time \d/.test(facts.time), `the time should be visible, got "${facts.time}"`);
    assert(facts.count === '5 records', `the count should say 5 records, got "${facts.count}"`);
    const rows = await viewer.rows();
    log(`table cells painted by: ${viewer.painter}`);
    assert(rows.length === 5, `the table should show 5 rows, shows ${rows.length}`);
    const expected = await references(5, 5);
    const shown = rows.map((r) => r.join(' '));
    for (const ref of expected) assert(shown.some((r) => r.includes(ref)), `customer ${ref} (page 2) is not in the table: ${shown.join(' / ')}`);
    await wb.screenshot('s3-viewer-table');

    await viewer.clickButton(/Next page/);
    await waitFor('the viewer to show $skip=10', async () => ((await viewer.facts()).url.includes('$skip=10') ? true : undefined), 30_000);
    await waitFor('status 200 for page 3', async () => ((await viewer.facts()).status.startsWith('200') ? true : undefined), 30_000);
    const next = (await viewer.rows()).map((r) => r.join(' '));
    const expectedNext = await references(10, 5);
    for (const ref of expectedNext) assert(next.some((r) => r.includes(ref)), `customer ${ref} (page 3) is not in the table after Next page`);
    assert(!expected.some((ref) => next.some((r) => r.includes(ref))), 'Next page still shows page 2 customers');
    await wb.screenshot('s3-viewer-next-page');

    // The sample's "Sales orders of 2024, with the customer": $expand=customer&$select=…,customer.name.
    const query = '$filter=(document_date ge 2024-01-01 and document_date le 2024-12-31)&$expand=customer&$select=id,document_no,document_date,customer.id,customer.name&$orderby=document_date desc';
    const answer = await sandboxGet(`/sop_orders?${encodeURI(query)}`, await siteOf(state.company ?? COMPANY_B1));
    const names = (answer.json as { customer?: { name?: string } }[]).map((o) => o.customer?.name).filter((n): n is string => !!n);
    assert(answer.status === 200 && names.length > 0, `the sandbox should have 2024 orders with customers (status ${answer.status})`);
    await wb.openFile(file);
    await wb.revealRequest('Sales orders of 2024');
    await wb.clickCodeLensAbove('?$filter=(document_date');
    const orders = await Viewer.wait(wb, '$expand=customer');
    await waitFor('status 200 for the orders', async () => ((await orders.facts()).status.startsWith('200') ? true : undefined), 30_000);
    const columns = await orders.columns();
    log(`orders columns: ${columns.join(', ')}`);
    assert(columns.includes('customer.name'), `customer.name should be a column of its own, columns: ${columns.join(', ')}`);
    const cells = (await orders.rows()).map((r) => r.join(' '));
    for (const name of names.slice(0, Math.min(names.length, cells.length))) {
      assert(cells.some((r) => r.includes(name)), `customer ${name} is not in the table: ${cells.join(' / ')}`);
    }
    await wb.screenshot('s3-viewer-expanded-columns');
  },
};
