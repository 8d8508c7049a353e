/**
 * A test certificate authority for `sandbox --tls`: a CA and a server certificate for the address
 * the sandbox listens on, made in memory (node-forge, so no openssl binary is needed). Tests and
 * users trust the CA with `--ca FILE` or NODE_EXTRA_CA_CERTS, which is exactly what a corporate
 * network's TLS-inspecting proxy asks of them.
 */
import { isIP } from 'net';
import forge from 'node-forge';

export interface TestAuthority {
  /** The authority's certificate, PEM: what a client must trust. */
  readonly caPem: string;
  /** The server's certificate (PEM) and private key (PEM), for https.createServer. */
  readonly cert: string;
  readonly key: string;
}

function serial(): string {
  // Positive, 16 random bytes: certificates from separate runs never share a serial number.
  return '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
}

function validity(cert: forge.pki.Certificate): void {
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 2 * 24 * 3600_000);
}

/**
 * Makes a CA and a certificate for `host` (an IP address or a host name) signed by it, also valid
 * for `alsoNames` (host names).
 */
export function createTestAuthority(host: string, alsoNames: readonly string[] = []): TestAuthority {
  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serial();
  validity(ca);
  const caName = [{ name: 'commonName', value: 'Sage 200 sandbox test authority' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  validity(cert);
  cert.setSubject([{ name: 'commonName', value: host }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // Type 7 is an IP address, type 2 a DNS name (RFC 5280 GeneralName).
    { name: 'subjectAltName', altNames: [isIP(host) ? { type: 7, ip: host } : { type: 2, value: host }, ...alsoNames.map((value) => ({ type: 2, value }))] },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    cert: forge.pki.certificateToPem(cert),
    key: forge.pki.privateKeyToPem(keys.privateKey),
  };
}
