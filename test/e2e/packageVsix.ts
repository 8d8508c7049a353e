/**
 * Builds and packages the VSIX for the end-to-end run in a private staging folder. Other builds in
 * the same working tree (watch mode, a colleague's `npm run build`) rewrite dist/ at any moment;
 * building in staging means the VSIX under test is exactly one consistent build of the sources.
 * The staging folder links src/, test/ and node_modules/ and copies what the VSIX ships.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runToEnd } from './processes';

const COPIED = ['package.json', 'esbuild.js', 'tsconfig.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', 'samples'];
const LINKED = ['src', 'test', 'node_modules', 'scripts'];

/**
 * Runs `vsce package` (whose prepublish is the production esbuild) in staging and writes `outFile`.
 * `testBuild` adds the integration-test bundle (dist/test/integration.js) that src/testHook.ts loads.
 */
export async function packageVsix(root: string, outFile: string, testBuild: boolean): Promise<void> {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-e2e-build-'));
  try {
    for (const name of COPIED) {
      const from = path.join(root, name);
      if (!fs.existsSync(from)) continue;
      // media/dist is build output: the staging build writes its own.
      fs.cpSync(from, path.join(staging, name), { recursive: true, filter: (src) => !src.startsWith(path.join(root, 'media', 'dist')) });
    }
    for (const name of LINKED) {
      if (fs.existsSync(path.join(root, name))) fs.symlinkSync(path.join(root, name), path.join(staging, name));
    }
    await runToEnd(path.join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', outFile], {
      cwd: staging,
      env: { ...process.env, SAGE200_TEST_BUILD: testBuild ? '1' : '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
