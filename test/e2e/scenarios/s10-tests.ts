import * as fs from 'fs';
import * as path from 'path';
import { waitFor } from '../processes';
import { assert, Scenario } from '../types';

const FILE = 'ci.sage200';
const RIGHT = '?? count == 5';
const WRONG = '?? count == 6';

/**
 * Request files as tests: open the CI sample with one wrong expectation, run it from the Test
 * Explorer, read the failure with its expected and actual values, fix the file, and see it pass.
 */
export const tests: Scenario = {
  id: 10,
  title: 'Test Explorer: a sample with assertions fails with expected and actual, then passes once fixed',
  async run({ wb, workspace, log }) {
    const full = path.join(workspace, FILE);
    const shipped = fs.readFileSync(full, 'utf8').replace(WRONG, RIGHT);
    assert(shipped.includes(RIGHT), `${FILE} should assert "${RIGHT}"`);
    fs.writeFileSync(full, shipped.replace(RIGHT, WRONG));
    await wb.openFile(FILE);
    await wb.runCommand('File: Revert File');
    await waitFor('the wrong expectation in the editor', async () => ((await wb.editorText()).includes(WRONG) ? true : undefined), 10_000);

    await wb.openViewContainer('Testing');
    const sidebar = wb.sidebar();
    await waitFor('the file in the Test Explorer', async () => ((await sidebar.innerText()).includes(FILE) ? true : undefined), 30_000);
    await wb.runCommand('Test: Run All Tests');
    const failure = wb.page.getByText('expected count == 6, actual 5').first();
    await waitFor('the failure with expected and actual', async () => {
      if (await failure.isVisible().catch(() => false)) return true;
      // The peek opens by itself on a failure in a visible file; otherwise go to it.
      await wb.runCommand('Test: Go to Next Test Failure').catch(() => undefined);
      return (await failure.isVisible().catch(() => false)) || undefined;
    }, 90_000);
    const summary = await sidebar.innerText();
    log(`after the first run: ${summary.replace(/\s+/g, ' ').slice(0, 300)}`);
    await wb.screenshot('s10-failure-expected-actual');
    await wb.page.keyboard.press('Escape');

    fs.writeFileSync(full, shipped);
    await wb.openFile(FILE);
    await waitFor('the fixed file in the editor', async () => ((await wb.editorText()).includes(RIGHT) ? true : undefined), 20_000);
    await wb.openViewContainer('Testing');
    await wb.runCommand('Test: Run All Tests');
    // The Test Explorer's summary reads "passed/total" once the run ends (e.g. 18/18).
    await waitFor('every test passed', async () => (/^\s*(\d+)\/\1\s*$/m.test(await sidebar.innerText()) ? true : undefined), 90_000);
    log(`after the fix: ${(await sidebar.innerText()).replace(/\s+/g, ' ').slice(0, 300)}`);
    // The failure's message goes when the results view catches up with the passing run.
    await waitFor('the old failure to go after a passing run', async () => ((await failure.isVisible().catch(() => false)) ? undefined : true), 15_000);
    await wb.screenshot('s10-all-passed');
  },
};
