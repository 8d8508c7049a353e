/**
 * `npm run sandbox -- --port N [--host 127.0.0.2] [--tls --ca-out ca.pem] [--seed S] [--scale K]
 *   [--data file.json] [--clients file.json] [--auto-approve] [--access-token-ttl S]
 *   [--refresh-token-ttl S] [--faults JSON] [--hostile-data] [--compat key=value,…]`
 */
import * as fs from 'fs';
import { startSandbox } from './server';
import { parseFaults } from './server';
import type { ClientRegistration, CompatibilityProfile, SandboxOptions } from './types';
import { COMPATIBILITY_DEFAULTS } from './types';
import { createTestAuthority } from './tls';

const HELP = `Usage: npm run sandbox -- [options]

  --port N               port (0 or absent: a free port)
  --host ADDRESS         loopback address to listen on, such as 127.0.0.2 (default 127.0.0.1)
  --tls                  serve HTTPS with a certificate for the host, signed by a new test authority
  --ca-out FILE          with --tls: write the test authority's certificate (PEM) to FILE, for
                         a client's --ca or NODE_EXTRA_CA_CERTS
  --seed S               demo data seed (default 200)
  --scale K              volume multiplier: K x 1,000 customers (default 1)
  --data FILE            load changes from FILE and save writes to it (atomically)
  --clients FILE         extra OAuth clients: a JSON array of {clientId, clientSecret?, redirectUris, loopback?}
  --auto-approve         /authorize redirects at once, without the consent page
  --access-token-ttl S   access token lifetime in seconds (default 28800)
  --refresh-token-ttl S  refresh token lifetime in seconds (default 90 days)
  --faults JSON          fault injection, e.g. '{"latencyMs":200,"rateLimit":{"count":2,"retryAfterSeconds":1}}';
                         also {"gatewayTimeout":{"count":1}}, {"tunnelDown":true}, {"refreshExpired":true}
  --hostile-data         seed XSS probes, RTL overrides and huge strings into the data
  --compat K=V,...       where Sage's behaviour is unverified (docs/sage200-fidelity.md):
                           gatewayErrors=gateway|application   validationErrors=modelState|message
                           topOverMax=error|clamp              missingSite=error|empty|forbidden
  --help                 show this help
`;

export class UsageError extends Error {}

type CliOptions = SandboxOptions & { help?: boolean; tlsWanted?: boolean; caOut?: string };

export function parseArgs(argv: readonly string[]): CliOptions {
  const out: { -readonly [K in keyof CliOptions]: CliOptions[K] } = {};
  const num = (flag: string, v: string | undefined, min: number, max: number): number => {
    if (v === undefined || !/^\d+(\.\d+)?$/.test(v)) throw new UsageError(`${flag} needs a number, not ${v === undefined ? 'nothing' : `'${v}'`}.`);
    const n = Number(v);
    if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}.`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port': out.port = num(flag, value(), 0, 65535); break;
      case '--seed': out.seed = num(flag, value(), 0, 2 ** 32); break;
      case '--scale': out.scale = num(flag, value(), 0, 1000); break;
      case '--data': { const v = value(); if (!v) throw new UsageError('--data needs a file name.'); out.dataFile = v; break; }
      case '--clients': out.clients = readClients(value()); break;
      case '--auto-approve': out.autoApprove = true; break;
      case '--host': { const v = value(); if (!v || !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v)) throw new UsageError('--host needs a loopback address (127.x.x.x).'); out.host = v; break; }
      case '--tls': out.tlsWanted = true; break;
      case '--ca-out': { const v = value(); if (!v) throw new UsageError('--ca-out needs a file name.'); out.caOut = v; break; }
      case '--hostile-data': out.hostileData = true; break;
      case '--access-token-ttl': out.accessTokenTtlSeconds = num(flag, value(), 1, 10 ** 8); break;
      case '--refresh-token-ttl': out.refreshTokenTtlSeconds = num(flag, value(), 1, 10 ** 9); break;
      case '--faults': {
        const v = value();
        let parsed: unknown;
        try {
          parsed = JSON.parse(v ?? '');
        } catch {
          throw new UsageError(`--faults needs JSON, such as '{"latencyMs":100}'.`);
        }
        const f = parseFaults(parsed);
        if (typeof f === 'string') throw new UsageError(`--faults: ${f}`);
        out.faults = f;
        break;
      }
      case '--compat': out.compatibility = parseCompat(value()); break;
      case '--help': case '-h': out.help = true; break;
      default: throw new UsageError(`Unknown option '${arg}'. Try --help.`);
    }
  }
  if (out.caOut && !out.tlsWanted) throw new UsageError('--ca-out needs --tls.');
  return out;
}

const COMPAT_CHOICES: Readonly<Record<keyof CompatibilityProfile, readonly string[]>> = {
  gatewayErrors: ['gateway', 'application'], validationErrors: ['modelState', 'message'],
  topOverMax: ['error', 'clamp'], missingSite: ['error', 'empty', 'forbidden'],
};

function parseCompat(v: string | undefined): CompatibilityProfile {
  if (!v) throw new UsageError('--compat needs key=value pairs, such as topOverMax=clamp.');
  const out: Record<string, string> = {};
  for (const pair of v.split(',')) {
    const [key, choice] = pair.split('=').map((x) => x.trim());
    const choices = COMPAT_CHOICES[key as keyof CompatibilityProfile] as readonly string[] | undefined;
    if (!choices) throw new UsageError(`--compat: unknown key '${key}' (known: ${Object.keys(COMPATIBILITY_DEFAULTS).join(', ')}).`);
    if (!choices.includes(choice)) throw new UsageError(`--compat: ${key} takes ${choices.join(' or ')}, not '${choice ?? ''}'.`);
    out[key] = choice;
  }
  return out as CompatibilityProfile;
}

function readClients(file: string | undefined): ClientRegistration[] {
  if (!file) throw new UsageError('--clients needs a file name.');
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`Cannot read the clients file ${file}: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new UsageError(`The clients file ${file} must hold a JSON array.`);
  return data.map((c: unknown, i) => {
    const o = c as Record<string, unknown>;
    if (!o || typeof o.clientId !== 'string' || !o.clientId) throw new UsageError(`Client ${i + 1} in ${file} has no clientId.`);
    if (o.clientSecret !== undefined && typeof o.clientSecret !== 'string') throw new UsageError(`Client ${o.clientId}: clientSecret must be a string.`);
    const uris = o.redirectUris ?? [];
    if (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string')) throw new UsageError(`Client ${o.clientId}: redirectUris must be an array of strings.`);
    return { clientId: o.clientId, ...(o.clientSecret ? { clientSecret: o.clientSecret as string } : {}), redirectUris: uris as string[], loopback: o.loopback === true };
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let sandbox;
  try {
    if (options.tlsWanted) {
      const authority = createTestAuthority(options.host ?? '127.0.0.1');
      if (options.caOut) fs.writeFileSync(options.caOut, authority.caPem);
      options = { ...options, tls: { cert: authority.cert, key: authority.key } };
    }
    sandbox = await startSandbox(options);
  } catch (e) {
    process.stderr.write(`Cannot start the sandbox: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`Sage 200 sandbox listening on ${sandbox.url}\n`);
  const running = sandbox;
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(resolve, (e: unknown) => {
        process.stderr.write(`Error while stopping: ${(e as Error).message}\n`);
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
