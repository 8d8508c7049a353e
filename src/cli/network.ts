/**
 * The network options of the commands that send requests (`send`, `test`): a time limit, a proxy,
 * the authorities to trust and `--insecure`. The agents themselves come from src/core/http/proxy.ts.
 */
import { AgentPair, SecretRegistry } from '../core/http';
import { createNetworkAgents, proxyFromEnvironment } from '../core/http/proxy';
import { FlagSpec, Out, Parsed, secondsFlag, UsageError } from './args';

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
export const NETWORK_HELP = `--timeout bounds each request (default ${DEFAULT_TIMEOUT_S} s). --proxy (or HTTPS_PROXY / HTTP_PROXY,
with NO_PROXY) sends through a proxy; --ca FILE (or NODE_EXTRA_CA_CERTS) trusts a network's own
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
