/** `sage200 send`: one request from a file, with the requests it refers to sent first. */
import * as path from 'path';
import { readDotenv } from '../core/dotenv';
import { AgentPair, SecretRegistry, Sage200Client } from '../core/http';
import { sageAdvice, sageMessage } from '../core/http/sageMessage';
import { FileAnalysis } from '../core/language';
import { NamedExchange, resolveRequest, ResolveError, VariableError } from '../core/requestFile';
import { displayName, FlagSpec, Out, parseFlags, readInput, STDIN, stringFlag, UsageError } from './args';
import { ENV_FLAGS, environmentLoader, withEnvHint } from './environments';
import { NETWORK_FLAGS, networkAgents, TARGET_FLAGS, targetFromFlags, timeoutFlagMs } from './network';

/** What `send` connects through; tests give loopback several host names with a DNS stand-in. */
export interface CliDeps {
  readonly agents?: AgentPair;
}

export const SEND_FLAGS: FlagSpec = {
  name: { type: 'string' },
  ...TARGET_FLAGS,
  include: { type: 'boolean' },
  ...ENV_FLAGS,
  ...NETWORK_FLAGS,
};

export async function send(argv: readonly string[], out: Out, deps: CliDeps): Promise<number> {
  const args = parseFlags('send', argv, SEND_FLAGS);
  const timeoutMs = timeoutFlagMs(args);
  const [file, ...rest] = args.positional;
  if (!file || rest.length) throw new UsageError('send needs exactly one file (or - for standard input).');
  const name = stringFlag(args, 'name');
  if (!name) throw new UsageError('send needs --name <request>.');
  const secrets = new SecretRegistry();
  const { baseUrl, token, site, company } = targetFromFlags(args, secrets, 'send needs --base-url <url>.');

  const fa = new FileAnalysis(readInput(file));
  const find = (n: string) => fa.file.requests.find((r) => r.name === n) ?? fa.file.requests.find((r) => r.title === n);
  if (!find(name)) {
    const names = fa.file.requests.map((r) => r.name ?? r.title).filter(Boolean);
    throw new UsageError(`No request named "${name}" in ${displayName(file)}.${names.length ? ` Requests: ${names.join(', ')}.` : ''}`);
  }
  // Before anything is sent: a wrong --env or a broken environment file is bad input (exit 2).
  const envs = environmentLoader(args, process.cwd(), secrets)(file);
  // A file read from standard input takes its .env (and environment files) from the working folder.
  const dotenv = readDotenv(path.join(file === STDIN ? '.' : path.dirname(file), '.env'));
  const exchanges = new Map<string, Promise<NamedExchange>>();
  const agents = deps.agents ?? networkAgents(args, new URL(baseUrl), secrets, out);
  // The extension's client: the same token guard, redirect handling and retries as in VS Code.
  const client = new Sage200Client({
    baseUrl,
    ...(token ? { tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => undefined } } : {}),
    secrets,
    timeoutMs,
    agents,
    userAgent: 'sage200-cli',
  });

  const sendOne = async (requestName: string, depth: number): Promise<{ exchange: NamedExchange; status: number; statusText: string }> => {
    if (depth > 10) throw new VariableError('Named requests refer to each other in a loop.', { start: 0, end: 0 });
    const request = find(requestName)!;
    const req = await resolveRequest(fa.file, request, {
      baseUrl,
      ...envs,
      ...(site !== undefined ? { site, company: company! } : {}),
      host: {
        dotenv: (n) => {
          const value = dotenv.get(n);
          secrets.add(value);
          return value;
        },
        exchange: (n) => {
          let p = exchanges.get(n);
          if (!p) {
            if (!find(n)) return undefined;
            p = sendOne(n, depth + 1).then((r) => r.exchange);
            exchanges.set(n, p);
          }
          return p;
        },
      },
    });
    try {
      new URL(req.url);
    } catch {
      throw new ResolveError(`"${secrets.scrub(req.url)}" is not a valid URL.`, request.requestLine?.span);
    }
    const res = await client.send(req, {
      ...(site !== undefined ? { site, company: company! } : {}),
      onWarning: (m) => out.stderr(`warning: ${m}\n`),
    });
    const body = new TextDecoder().decode(res.body);
    return {
      exchange: {
        response: { status: res.status, headers: res.headers, body, ...(res.json !== undefined ? { json: res.json } : {}) },
        request: { headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) },
      },
      status: res.status,
      statusText: res.statusText,
    };
  };

  try {
    const { exchange, status, statusText } = await sendOne(name, 0);
    const statusLine = `HTTP ${status} ${statusText}`;
    if (args.values.include === true) {
      out.stdout(statusLine + '\n');
      for (const [k, v] of Object.entries(exchange.response.headers)) out.stdout(`${k}: ${v}\n`);
      out.stdout('\n');
    } else {
      out.stderr(statusLine + '\n');
    }
    // Failures whose body rarely says what to do (a 401 after sign-in, a gateway timeout) get advice.
    const advice = status >= 400 ? sageAdvice(status, sageMessage(exchange.response.json ?? exchange.response.body)) : undefined;
    if (advice) out.stderr(`${advice}\n`);
    const json = exchange.response.json;
    out.stdout(json !== undefined ? JSON.stringify(json, null, 2) + '\n' : exchange.response.body + (exchange.response.body.endsWith('\n') || !exchange.response.body ? '' : '\n'));
    return status >= 400 ? 1 : 0;
  } catch (e) {
    if (e instanceof VariableError) throw new VariableError(withEnvHint(e.message, envs), e.span);
    throw e;
  } finally {
    client.dispose();
    if (!deps.agents) agents.destroy();
  }
}
