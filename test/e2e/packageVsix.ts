/**
 * Builds and packages the VSIX for the end-to-end run in a private staging folder. Other builds in
 * the same working tree (watch mode, a colleague's `npm run build`) rewrite dist/ at any moment;
 * building in staging means the VSIX under test is exactly one consistent build of the sources.
 * The staging folder links src/, test/ and node_modules/ and copies what the VSIX ships.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const COPIED = ['package.json', 'package.nls.json', 'l10n', 'esbuild.js', 'tsconfig.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', 'samples', 'docs'];
const LINKED = ['src', 'test', 'node_modules', 'scripts'];

/**
 * Runs `npm run package`'s script (vsce, whose prepublish is the production esbuild) in staging and
 * writes `outFile`. `testBuild` adds the integration-test bundle (dist/test/integration.js) that
 * src/testHook.ts loads. Resolves to what packaging printed, so that a caller can check that it
 * warned about nothing; a failure rejects with that output.
 */
export async function packageVsix(root: string, outFile: string, testBuild: boolean): Promise<string> {
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
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    try {
      const { stdout, stderr } = await promisify(execFile)(tsx, [path.join('scripts', 'package.ts'), '--out', outFile], {
        cwd: staging,
        env: { ...process.env, SAGE200_TEST_BUILD: testBuild ? '1' : '' },
        maxBuffer: 16 * 1024 * 1024,
      });
      return stdout + stderr;
    } catch (e) {
      const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
      throw new Error(`Packaging the VSIX failed: ${(e as Error).message}\n${stdout}${stderr}`);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
