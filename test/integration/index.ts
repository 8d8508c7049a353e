/**
 * Integration tests that run inside a real VS Code extension host, with mocha and the `vscode` API.
 *
 * Two ways in:
 * - `npm run test:integration` (@vscode/test-electron, where VS Code desktop can be downloaded) loads
 *   this bundle as `extensionTestsPath` and calls `run()`.
 * - The e2e harness (code-server, where nothing can be downloaded) sets SAGE200_TEST_INTEGRATION to a
 *   results file; the extension's test hook then calls `runAndReport(file)` after activation, and the
 *   harness reads the JSON file and reports each test.
 * Mocha is bundled in (esbuild), because a VSIX carries no node_modules.
 */
import * as fs from 'fs';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { registerActivationTests } from './activation.test';
import { registerLanguageTests } from './language.test';
import { registerExplorerTests } from './explorer.test';

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

function buildMocha(reporter: string | undefined): Mocha {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, ...(reporter ? { reporter } : {}) });
  // Expose describe/it on globalThis the way the mocha CLI does, then register the bundled suites.
  mocha.suite.emit('pre-require', globalThis, 'integration-bundle', mocha);
  registerActivationTests();
  registerLanguageTests();
  registerExplorerTests();
  return mocha;
}

/** Entry point for @vscode/test-electron: rejects when any test fails. */
export function run(): Promise<void> {
  const mocha = buildMocha('spec');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration tests failed`)) : resolve()));
  });
}

/** Entry point for the e2e harness: runs every test and writes the results as JSON (temp + rename). */
export function runAndReport(resultsFile: string): Promise<void> {
  const mocha = buildMocha(undefined);
  const results: TestResult[] = [];
  const write = (done: boolean) => {
    fs.writeFileSync(`${resultsFile}.tmp`, JSON.stringify({ done, tests: results }, null, 2));
    fs.renameSync(`${resultsFile}.tmp`, resultsFile);
  };
  write(false);
  return new Promise((resolve) => {
    const runner = mocha.run(() => {
      void closeTestEditors().finally(() => {
        write(true);
        resolve();
      });
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) =>
      results.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) }),
    );
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
  });
}

/**
 * Leaves the window as the tests found it: untitled documents that tests showed are reverted and
 * closed (closing a dirty editor would ask to save), so the e2e scenarios that follow start clean.
 */
async function closeTestEditors(): Promise<void> {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'untitled') {
        await vscode.window.showTextDocument(tab.input.uri, { viewColumn: group.viewColumn, preserveFocus: false });
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
