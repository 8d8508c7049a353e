/**
 * What every `sage200` command shares: strict flags, input files (or `-` for stdin), usage errors
 * and the process's output streams.
 */
import * as fs from 'fs';
import { parseArgs, type ParseArgsConfig } from 'util';

/** Bad usage or unreadable input: exit code 2. */
export class UsageError extends Error {}

export interface Out {
  stdout(s: string): void;
  stderr(s: string): void;
}

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  readonly positional: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
}

/** Parses a command's arguments; a flag the command does not know is an error, never ignored. */
export function parseFlags(command: string, argv: readonly string[], flags: FlagSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: flags, strict: true, allowPositionals: true });
    return { positional: positionals, values: values as Parsed['values'] };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const option = /'(-[^' ]+)/.exec((e as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const known = Object.keys(flags).map((f) => `--${f}`).join(', ');
      throw new UsageError(`Unknown option ${option} for ${command}. It takes: ${known}. Run sage200 --help.`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const takesValue = flags[option.replace(/^-+/, '')]?.type === 'string';
      throw new UsageError(takesValue ? `${option} needs a value.` : `${option} takes no value.`);
    }
    throw new UsageError((e as Error).message);
  }
}

export function stringFlag(parsed: Parsed, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** One of the allowed words, or the default when the flag is absent. */
export function choiceFlag<T extends string>(parsed: Parsed, name: string, allowed: readonly T[], fallback: T): T {
  const v = stringFlag(parsed, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')}, not "${v}".`);
  return v as T;
}

/** A duration in seconds, given as a positive number. */
export function secondsFlag(parsed: Parsed, name: string, fallback: number): number {
  const v = stringFlag(parsed, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) throw new UsageError(`--${name} must be a number of seconds above 0, not "${v}".`);
  return n;
}

/** `-` names standard input, so that a generated file can be piped in. */
export const STDIN = '-';

export function displayName(file: string): string {
  return file === STDIN ? '<stdin>' : file;
}

/** Reads a file given on the command line, or standard input for `-`. */
export function readInput(file: string): string {
  try {
    return fs.readFileSync(file === STDIN ? 0 : file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`Cannot read ${displayName(file)}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}
