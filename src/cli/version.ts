/**
 * The CLI's version. The bundle has it written in at build time (esbuild's `define`), because the
 * installed package has no project manifest beside it; run from source, it reads the project's.
 */
import * as fs from 'fs';
import * as path from 'path';

declare const SAGE200_CLI_VERSION: string | undefined;

function sourceVersion(): string {
  const manifest = path.join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export const VERSION: string = typeof SAGE200_CLI_VERSION === 'string' ? SAGE200_CLI_VERSION : sourceVersion();
