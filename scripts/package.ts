/**
 * `npm run package [-- --out <file>]`: the production VSIX (by default sage200-explorer-<version>.vsix).
 *
 * It calls vsce's API rather than its command line: in a terminal, the command line asks the npm
 * registry whether a newer vsce exists and ends with a warning when one does, which has nothing to
 * do with this extension and would hide real warnings. Relative links in README.md become absolute
 * links into the repository (`repository` in package.json), because the Marketplace cannot resolve
 * relative ones; the screenshots also ship in the VSIX (.vscodeignore).
 */
import { createVSIX } from '@vscode/vsce';
import { parseArgs } from 'util';

const { values } = parseArgs({ options: { out: { type: 'string' } } });

createVSIX({ dependencies: false, packagePath: values.out }).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
