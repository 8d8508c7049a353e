import { loadCatalog } from '../../../src/core/catalog';
import { assert, Scenario } from '../types';

/** Issue 2's packaging requirement: the VSIX installs into a real VS Code and activates there. */
export const activation: Scenario = {
  id: 0,
  title: 'the VSIX installs and activates: Sage 200 view container, Show Catalog Info',
  async run({ wb }) {
    const item = wb.activityBarItem('Sage 200');
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('s0-workbench');

    await wb.runCommand('Sage 200: Show Catalog Info');
    const toast = await wb.notification(/Sage 200 catalog: \d+ operations on \d+ paths, \d+ entities/, 60_000);
    const text = await toast.innerText();
    // The numbers must be the shipped catalog's, as the harness reads it from the same file.
    const catalog = loadCatalog();
    const expected = `${catalog.stats.operations} operations on ${catalog.stats.paths} paths, ${catalog.entities().length} entities`;
    assert(text.includes(expected), `the notification should say "${expected}", got "${text}"`);
    await wb.screenshot('s0-catalog-info');
  },
};
