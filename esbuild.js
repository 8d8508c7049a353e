// Bundles the extension (node, cjs), the CLI and the webview (browser, iife). Type-checking is
// separate (`tsc --noEmit`), so bundling stays fast. Flags: --production (minify), --watch, and
// --only=<name> to build one bundle (for example --only=sage200, the CLI).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const testBuild = process.env.SAGE200_TEST_BUILD === '1';
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

/** The catalog ships beside the bundle instead of inside it, so the bundle stays small. */
const copyCatalogTo = (dir) => ({
  name: 'copy-catalog',
  setup(build) {
    build.onEnd(() => {
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join('src', 'core', 'catalog', 'sage200-catalog.json'), path.join(dir, 'catalog.json'));
    });
  },
});

/**
 * node-fetch 2 uses Node's own `url.URL` and keeps `whatwg-url` only as a fallback for old Nodes;
 * bundling that fallback would add 290 KB of Unicode tables (tr46) that never run on Node 20.
 */
const nodeUrlForWhatwgUrl = {
  name: 'node-url-for-whatwg-url',
  setup(build) {
    build.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'node-url-shim' }));
    build.onLoad({ filter: /.*/, namespace: 'node-url-shim' }, () => ({
      contents: "module.exports = { URL: require('url').URL };",
      loader: 'js',
    }));
  },
};

/**
 * The extension requires '../core/sandbox' only when the user starts the sandbox; in the bundle that
 * require points at the separate dist/sandbox.js, so activation never loads the server.
 */
const sandboxAsOwnBundle = {
  name: 'sandbox-as-own-bundle',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/core\/sandbox$/ }, (args) =>
      args.kind === 'require-call' ? { path: './sandbox.js', external: true } : undefined);
  },
};

/** A production build writes no source maps, so maps left by an earlier dev build are removed. */
const removeStaleMaps = {
  name: 'remove-stale-maps',
  setup(build) {
    build.onEnd(() => {
      if (!production) return;
      for (const dir of ['dist', path.join('media', 'dist')]) {
        if (!fs.existsSync(dir)) continue;
        for (const f of fs.readdirSync(dir)) if (f.endsWith('.map')) fs.rmSync(path.join(dir, f));
      }
    });
  },
};

/**
 * The Table tab's paint worker (src/viewer/webview/table/paintWorker.ts), bundled on its own and imported by the
 * webview as a string (`paint-worker-source`): a webview may not start a worker from its resource
 * origin, so the page starts it from a blob URL.
 */
const paintWorkerSource = {
  name: 'paint-worker-source',
  setup(build) {
    build.onResolve({ filter: /^paint-worker-source$/ }, () => ({ path: 'paint-worker-source', namespace: 'paint-worker' }));
    build.onLoad({ filter: /.*/, namespace: 'paint-worker' }, async () => {
      const entry = path.join(__dirname, 'src', 'viewer', 'webview', 'table', 'paintWorker.ts');
      const out = await esbuild.build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        minify: production,
        format: 'iife',
        platform: 'browser',
        target: 'es2022',
        logLevel: 'warning',
        metafile: true,
      });
      return {
        contents: `export default ${JSON.stringify(out.outputFiles[0].text)};`,
        loader: 'js',
        // Rebuilt in watch mode when the worker or what it imports changes.
        watchFiles: Object.keys(out.metafile.inputs).map((f) => path.resolve(f)),
      };
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
    plugins: [copyCatalogTo('dist'), nodeUrlForWhatwgUrl, removeStaleMaps, sandboxAsOwnBundle],
  },
  {
    ...common,
    entryPoints: { sandbox: 'src/core/sandbox/index.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The CLI is its own npm package (cli/package.json): one file with every dependency inside, and the
  // catalog beside it, so that `npx sage200` works without this repository.
  {
    ...common,
    entryPoints: { sage200: 'src/cli.ts' },
    outdir: path.join('cli', 'dist'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    define: { SAGE200_CLI_VERSION: JSON.stringify(require('./package.json').version) },
    plugins: [nodeUrlForWhatwgUrl, copyCatalogTo(path.join('cli', 'dist'))],
  },
  {
    ...common,
    entryPoints: { webview: 'src/viewer/webview/main.ts' },
    outdir: 'media/dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    plugins: [paintWorkerSource],
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
].filter((t) => Object.values(t.entryPoints).every((e) => fs.existsSync(e)))
  .filter((t) => !only || Object.keys(t.entryPoints).includes(only));

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
