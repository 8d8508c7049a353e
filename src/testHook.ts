import * as fs from 'fs';
import * as vscode from 'vscode';

/**
 * Test-only: when the end-to-end harness starts code-server with SAGE200_TEST_INTEGRATION=<file>,
 * run the integration tests (dist/test/integration.js, present only in test builds) inside this
 * extension host and write their results to that file. code-server cannot load tests through
 * `--extensionTestsPath`, so this is how the harness reaches the real `vscode` API. Without the
 * variable this does nothing, and production VSIXs do not contain the test bundle.
 */
export function runIntegrationTestsIfRequested(context: vscode.ExtensionContext): void {
  const resultsFile = process.env.SAGE200_TEST_INTEGRATION;
  if (!resultsFile) return;
  const bundle = context.asAbsolutePath('dist/test/integration.js');
  const fail = (message: string) =>
    fs.writeFileSync(resultsFile, JSON.stringify({ done: true, tests: [{ title: 'load the integration tests', state: 'failed', error: message }] }));
  if (!fs.existsSync(bundle)) {
    fail(`${bundle} is missing: build with SAGE200_TEST_BUILD=1`);
    return;
  }
  // After activate() has returned, so the tests see every feature registered.
  setTimeout(() => {
    try {
      // A runtime require of a file beside the bundle: esbuild must not inline the tests.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const tests = require(bundle) as { runAndReport(file: string): Promise<void> };
      tests.runAndReport(resultsFile).catch((e: unknown) => fail(String(e)));
    } catch (e) {
      fail(e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
  }, 0);
}
