/**
 * `--env NAME` of `check`, `send` and `test`: the environments of `http-client.env.json` and
 * `http-client.private.env.json`, read as the editor reads them (src/core/envFiles.ts) in the
 * working folder and beside each request file, the nearer file winning. `$shared` applies always;
 * --env picks the active environment. The private file's values are secrets.
 */
import * as path from 'path';
import { readEnvFiles } from '../core/envFiles';
import { SecretRegistry } from '../core/http';
import { Environments } from '../core/requestFile';
import { displayName, FlagSpec, Parsed, STDIN, stringFlag, UsageError } from './args';

export const ENV_FLAGS: FlagSpec = {
  env: { type: 'string' },
};

/** The option's usage, and its description, for each command's help. */
export const ENV_USAGE = '[--env NAME]';
export const ENV_HELP = `--env NAME picks an environment of http-client.env.json and http-client.private.env.json, read
in the working folder and beside each file (the nearer wins; "$shared" applies always). Values
of the private file are secrets, never printed.`;

/** What a file's VariableContext or LanguageContext takes. */
export interface FileEnvironments {
  readonly environments: Environments;
  readonly environment?: string;
}

/**
 * Returns the environments of a request file (`-`: the working folder's only). The files of a folder
 * are read once; their private values go to `secrets`. A file that is not valid JSON, or an --env
 * that none of the files read for a request file defines, is a UsageError.
 */
export function environmentLoader(parsed: Parsed, cwd: string, secrets: SecretRegistry): (file: string) => FileEnvironments {
  const name = stringFlag(parsed, 'env');
  const byFolder = new Map<string, FileEnvironments>();
  return (file) => {
    const folder = file === STDIN ? path.resolve(cwd) : path.dirname(path.resolve(cwd, file));
    const known = byFolder.get(folder);
    if (known) return known;
    let read: ReturnType<typeof readEnvFiles>;
    try {
      read = readEnvFiles([cwd, folder]);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    for (const value of read.secrets) secrets.add(value);
    if (name !== undefined && (name === '$shared' || !read.environments[name])) {
      const names = Object.keys(read.environments).filter((n) => n !== '$shared');
      const files = read.files.map((f) => path.relative(cwd, f) || f);
      throw new UsageError(`--env ${name}: no environment file read for ${displayName(file)} defines it. ` + (files.length
        ? `Environments: ${names.join(', ') || 'none'} (read ${files.join(', ')}).`
        : 'There is no http-client.env.json or http-client.private.env.json in the working folder or beside the file.'));
    }
    const found: FileEnvironments = { environments: read.environments, ...(name !== undefined ? { environment: name } : {}) };
    byFolder.set(folder, found);
    return found;
  };
}

/**
 * Without --env, an undefined variable that a named environment defines gets the hint
 * "(pass --env NAME)"; any other message is returned as it is.
 */
export function withEnvHint(message: string, envs: FileEnvironments): string {
  const variable = /^Undefined variable "([^"]+)"/.exec(message)?.[1];
  if (!variable || envs.environment !== undefined) return message;
  const names = Object.entries(envs.environments).filter(([n, vars]) => n !== '$shared' && Object.hasOwn(vars, variable)).map(([n]) => n);
  return names.length ? `${message} (pass --env ${names.join(' or --env ')})` : message;
}
