/**
 * The options of the commands that send requests (`send`, `test`): where to (base URL, token,
 * site and company), and how (a time limit, a proxy, the authorities to trust, `--insecure`). The
 * agents themselves come from src/core/http/proxy.ts.
 */
import { AgentPair, SecretRegistry } from '../core/http';
import { createNetworkAgents, proxyFromEnvironment } from '../core/http/proxy';
import { FlagSpec, Out, Parsed, secondsFlag, stringFlag, UsageError } from './args';

export const TARGET_FLAGS: FlagSpec = {
  'base-url': { type: 'string' },
  'token-env': { type: 'string' },
  site: { type: 'string' },
  company: { type: 'string' },
};

export interface Target {
  readonly baseUrl: string;
  readonly token?: string;
  readonly site?: string;
  readonly company?: string;
}

/**
 * The base URL, the token read from the variable --token-env names (registered as a secret), and
 * the site and company, which go together. `missing` is the message when --base-url is absent.
 */
export function targetFromFlags(parsed: Parsed, secrets: SecretRegistry, missing: string): Target {
  const baseUrl = stringFlag(parsed, 'base-url');
  if (!baseUrl) throw new UsageError(missing);
  try {
    new URL(baseUrl);
  } catch {
    throw new UsageError(`--base-url "${baseUrl}" is not a URL.`);
  }
  const tokenEnv = stringFlag(parsed, 'token-env');
  const token = tokenEnv ? process.env[tokenEnv] : undefined;
  if (tokenEnv && !token) throw new UsageError(`The environment variable ${tokenEnv} is not set.`);
  secrets.add(token);
  const site = stringFlag(parsed, 'site');
  const company = stringFlag(parsed, 'company');
  if ((site === undefined) !== (company === undefined)) throw new UsageError('Give --site and --company together.');
  return { baseUrl, ...(token ? { token } : {}), ...(site !== undefined && company !== undefined ? { site, company } : {}) };
}

export const NETWORK_FLAGS: FlagSpec = {
  timeout: { type: 'string' },
  proxy: { type: 'string' },
  ca: { type: 'string', multiple: true },
  insecure: { type: 'boolean' },
};

/** Seconds a request may take before the command gives up (exit 3): a silent server must not hang CI. */
export const DEFAULT_TIMEOUT_S = 60;

/** The options' usage, and their description, for each command's help. */
export const NETWORK_USAGE = '[--timeout SECONDS] [--proxy URL] [--ca FILE]… [--insecure]';
export const NETWORK_HELP = `--timeout bounds each request (default ${DEFAULT_TIMEOUT_S} s). --proxy (or HTTPS_PROXY / HTTP_PROXY, with
NO_PROXY) sends through a proxy; --ca FILE (or NODE_EXTRA_CA_CERTS) trusts a network's own
authority; --insecure skips certificate checks, with a warning.`;

export function timeoutFlagMs(parsed: Parsed): number {
  return secondsFlag(parsed, 'timeout', DEFAULT_TIMEOUT_S) * 1000;
}

/** Whether any of --proxy, --ca or --insecure was given. */
export function networkFlagsGiven(parsed: Parsed): boolean {
  return ['proxy', 'ca', 'insecure'].some((f) => parsed.values[f] !== undefined);
}

/**
 * The proxy (--proxy, else HTTPS_PROXY/HTTP_PROXY with NO_PROXY) and the authorities to trust
 * (--ca, NODE_EXTRA_CA_CERTS) for requests to `target`. --insecure turns certificate checks off,
 * and says so every time. The proxy's password becomes a secret, so that no message shows it.
 */
export function networkAgents(parsed: Parsed, target: URL, secrets: SecretRegistry, out: Out): AgentPair {
  const values = parsed.values;
  const fromEnv = proxyFromEnvironment(process.env, target);
  const proxy = typeof values.proxy === 'string' ? values.proxy : fromEnv.proxy;
  const caFiles = Array.isArray(values.ca) ? values.ca : [];
  if (values.insecure === true) {
    out.stderr('WARNING: --insecure: server certificates are not checked. Anyone between you and the server can read and change\n' +
      'this traffic, access token included. Use --ca FILE with your network\'s authority instead.\n');
  }
  if (proxy) {
    try {
      const url = new URL(proxy);
      secrets.add(url.password);
      secrets.add(decodeURIComponent(url.password));
    } catch {
      // createNetworkAgents reports the malformed URL.
    }
  }
  try {
    return createNetworkAgents({ ...(proxy ? { proxy } : {}), ...(fromEnv.noProxy ? { noProxy: fromEnv.noProxy } : {}), caFiles, insecure: values.insecure === true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
