import { loadCatalog } from '../../../src/core/catalog';
import { ACTIVATED, CATALOG_LOADED, extensionLog } from '../extensionLog';
import { waitFor } from '../processes';
import { assert, Scenario } from '../types';

/**
 * Issue 2's packaging requirement: the VSIX installs into a real VS Code and activates there.
 * Issue 22's: activation reads no catalog (the log says when it is read: after activation, once).
 */
export const activation: Scenario = {
  id: 0,
  title: 'the VSIX installs and activates without the catalog: Sage 200 view, Show Catalog Info',
  async run({ wb, userDataDir, log }) {
    const item = wb.activityBarItem('Sage 200');
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('s0-workbench');

    // Opening the view activates the extension; the view needs no catalog until a company is expanded.
    await wb.openViewContainer('Sage 200');
    const lines = await waitFor('the activation line in the extension log', () => {
      const l = extensionLog(userDataDir);
      return l.some((x) => ACTIVATED.test(x)) ? l : undefined;
    }, 60_000);
    const at = lines.findIndex((l) => ACTIVATED.test(l));
    log(lines[at].trim());
    const early = lines.slice(0, at + 1).filter((l) => CATALOG_LOADED.test(l));
    assert(early.length === 0, `activation read the catalog: ${early.join(' | ')}`);
    await wb.welcomeButton(/Try the demo sandbox/i).waitFor({ state: 'visible', timeout: 30_000 });

    await wb.runCommand('Sage 200: Show Catalog Info');
    const toast = await wb.notification(/Sage 200 catalog: \d+ operations on \d+ paths, \d+ entities/, 60_000);
    const text = await toast.innerText();
    // The numbers must be the shipped catalog's, as the harness reads it from the same file.
    const catalog = loadCatalog();
    const expected = `${catalog.stats.operations} operations on ${catalog.stats.paths} paths, ${catalog.entities().length} entities`;
    assert(text.includes(expected), `the notification should say "${expected}", got "${text}"`);
    await wb.screenshot('s0-catalog-info');
    // Read by now (Show Catalog Info, or the integration tests that run beside this scenario), once.
    const loads = await waitFor('the catalog-loaded line in the extension log', () => {
      const l = extensionLog(userDataDir).filter((x) => CATALOG_LOADED.test(x));
      return l.length ? l : undefined;
    }, 20_000);
    log(loads[0].trim());
    assert(loads.length === 1, `the catalog should be read once per session, the log says: ${loads.join(' | ')}`);
  },
};
