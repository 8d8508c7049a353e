// Bundles the extension (node, cjs), the CLI and the webview (browser, iife). Type-checking is
// separate (`tsc --noEmit`), so bundling stays fast. Flags: --production (minify), --watch.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const testBuild = process.env.SAGE200_TEST_BUILD === '1';

/** The catalog ships beside the bundle instead of inside it, so the bundle stays small. */
const copyCatalog = {
  name: 'copy-catalog',
  setup(build) {
    build.onEnd(() => {
      fs.mkdirSync('dist', { recursive: true });
      fs.copyFileSync(path.join('src', 'core', 'catalog', 'sage200-catalog.json'), path.join('dist', 'catalog.json'));
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

const targets = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [copyCatalog],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'media/dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  // Test builds only (SAGE200_TEST_BUILD=1, set by the e2e harness and `npm run test:integration`):
  // the integration tests with mocha bundled in, loaded by src/testHook.ts inside the extension host.
  ...(testBuild
    ? [{
        ...common,
        entryPoints: { 'test/integration': 'test/integration/index.ts' },
        outdir: 'dist',
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['vscode'],
        // mocha's parallel mode (unused here) resolves worker files at runtime.
        logOverride: { 'require-resolve-not-external': 'silent' },
      }]
    : []),
].filter((t) => Object.values(t.entryPoints).every((e) => fs.existsSync(e)));

async function main() {
  // A production build must never package a test bundle left over from an earlier test build.
  if (!testBuild) fs.rmSync(path.join('dist', 'test'), { recursive: true, force: true });
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('esbuild: watching for changes');
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
