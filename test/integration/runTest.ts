/**
 * `npm run test:integration`: the integration tests in VS Code desktop through @vscode/test-electron,
 * for machines that can download VS Code (a contributor's laptop, CI with internet access).
 * Where VS Code cannot be downloaded (this project's own CI machines), the same tests run inside
 * code-server as part of `npm run test:e2e`, through the extension's test hook (src/testHook.ts).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  // The test build adds dist/test/integration.js beside the extension bundle.
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit', env: { ...process.env, SAGE200_TEST_BUILD: '1' } });
  if (build.status !== 0) throw new Error('the test build failed');
  await runTests({
    version: process.env.SAGE200_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'dist', 'test', 'integration.js'),
    launchArgs: [path.join(root, 'samples'), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((err: unknown) => {
  console.error(`Integration tests failed: ${err instanceof Error ? err.message : String(err)}`);
  console.error('Where VS Code cannot be downloaded, run them inside code-server instead: npm run test:e2e');
  process.exit(1);
});
