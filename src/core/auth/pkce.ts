import { createHash, randomBytes } from 'crypto';

export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
  readonly method: 'S256';
}

const b64url = (buf: Buffer): string => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** RFC 7636: a 43-character verifier (32 random bytes) and its S256 challenge. */
export function createPkce(): Pkce {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: challengeOf(verifier), method: 'S256' };
}

export function challengeOf(verifier: string): string {
  return b64url(createHash('sha256').update(verifier, 'ascii').digest());
}

/** Unguessable `state` (and nonce) values. */
export function randomToken(bytes = 24): string {
  return b64url(randomBytes(bytes));
}
