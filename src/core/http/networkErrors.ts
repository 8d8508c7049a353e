/**
 * Why a connection failed, in words that say what to do: the kinds of network failure, the
 * messages for each, and what a proxy's answer means. The client and the sign-in use the same words.
 */
import { NetworkError } from './types';

export function networkKind(e: unknown): NetworkError['kind'] {
  const err = e as { code?: string; type?: string; message?: string; errno?: string };
  const code = err.code ?? err.errno ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || /socket hang up|premature close/i.test(err.message ?? '')) return 'reset';
  if (CERTIFICATE_CODES.has(code) || /certificate/i.test(err.message ?? '')) return 'certificate';
  return 'other';
}

/**
 * Why a connection failed, in words that say what to do, for requests made outside the client
 * (the sign-in's token endpoint): the same words as the client's own NetworkError.
 */
export function describeNetworkFailure(e: unknown): string {
  const kind = networkKind(e);
  const code = (e as { code?: string }).code;
  return kind === 'other' && code ? `${KIND_TEXT.other} (${code})` : KIND_TEXT[kind];
}

/** Node's codes for a server certificate that does not chain to a trusted authority. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether a connection error names the proxy's host (and port), rather than the target's. */
export function mentions(e: unknown, proxy: URL): boolean {
  const text = (e as Error).message ?? '';
  const port = proxy.port || (proxy.protocol === 'https:' ? '443' : '80');
  return text.includes(`${proxy.hostname}:${port}`) || text.includes(` ${proxy.hostname}`);
}

/** A proxy's address for messages: never its user name or password. */
export function proxyName(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

/** Why a request through a proxy failed, and what to do, from how the proxy answered. */
export function proxyFailure(proxy: URL, status: number, target: URL): string {
  if (status === 407) {
    return `the proxy ${proxyName(proxy)} asks for authentication (407). Give its user and password in the proxy URL ` +
      '(http://user:password@host:port), or in VS Code set http.proxyAuthorization.';
  }
  return `the proxy ${proxyName(proxy)} could not open a connection to ${target.host} (it answered ${status}). ` +
    'Check the host name, and whether the proxy allows that host and port.';
}

export const KIND_TEXT: Record<NetworkError['kind'], string> = {
  dns: 'the host name could not be resolved',
  refused: 'the connection was refused (is the server running?)',
  reset: 'the connection was closed before the answer was complete',
  timeout: 'no answer within the time limit',
  cancelled: 'cancelled',
  certificate: "the server's certificate is from an authority this machine does not trust. If your network inspects TLS, " +
    'trust its authority: in VS Code with http.systemCertificates, for the CLI with --ca FILE or NODE_EXTRA_CA_CERTS',
  proxy: 'the proxy could not be reached',
  other: 'a network error',
};
