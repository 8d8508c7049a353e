/**
 * Runs the requests of one file as tests: top to bottom, referenced named requests first (on
 * demand, as Send does), `# @teardown` blocks last even after a failure. A failed assertion does not
 * stop the file; no answer or a variable that cannot be resolved does, unless the file says
 * `# @continueOnError`, and the requests after it are reported as skipped. No script is evaluated.
 */
import { HttpRequest, HttpResponse } from '../http/types';
import {
  AssertionLine, NamedExchange, ParsedRequestFile, RequestBlock, resolveRequest, VariableContext, VariableHost, VariableResolver,
} from '../requestFile';
import { parseAssertion } from './assertion';
import { evaluateAssertion, Outcome, ResponseFacts } from './evaluate';

/** `passed`/`failed`: a request with assertions; `sent`: one without; `error`: no answer or unresolved variables. */
export type RequestStatus = 'passed' | 'failed' | 'sent' | 'skipped' | 'error';

export interface AssertionResult {
  readonly line: AssertionLine;
  readonly passed: boolean;
  readonly actual?: string;
  readonly expected?: string;
  readonly message: string;
}

export interface RequestResult {
  readonly index: number;
  readonly title: string;
  readonly name?: string;
  readonly teardown: boolean;
  /** Whether the request is a test (it has assertions). */
  readonly isTest: boolean;
  readonly status: RequestStatus;
  readonly assertions: readonly AssertionResult[];
  readonly httpStatus?: number;
  readonly durationMs?: number;
  /** Why it errored or was skipped. */
  readonly reason?: string;
  /** No HTTP answer (as opposed to a variable or file problem). */
  readonly noAnswer?: boolean;
  readonly request?: HttpRequest;
  readonly response?: HttpResponse;
}

export interface FileRunOptions {
  readonly file: ParsedRequestFile;
  /** Variables, site and company; `exchange` is the runner's own. */
  readonly context: Omit<VariableContext, 'host'> & { readonly host?: Omit<VariableHost, 'exchange'> };
  readonly baseUrl?: string;
  /** Sends one request; a rejection means no answer. */
  send(request: HttpRequest): Promise<HttpResponse>;
  /** The checker's first error on a request, if any: such a request is sent only when it has assertions. */
  flagged?(request: RequestBlock): string | undefined;
  /** Run only these requests (by index), with what they reference and the teardown blocks. */
  readonly only?: ReadonlySet<number>;
  /** True to stop now (`--bail`, a cancelled run): the rest is skipped, teardown still runs. */
  shouldStop?(): boolean;
  onStart?(request: RequestBlock): void;
  onResult?(result: RequestResult): void;
  /** Scrubs secrets out of messages and values. */
  scrub?(text: string): string;
}

export interface FileRunResult {
  /** The file's order, teardown blocks last. */
  readonly results: readonly RequestResult[];
}

const hasMeta = (r: RequestBlock, key: string): boolean => r.metadata.some((m) => m.key.toLowerCase() === key.toLowerCase());

export function isTeardown(r: RequestBlock): boolean {
  return hasMeta(r, 'teardown');
}

/** `# @continueOnError` on any request, or in the file's head above the first request. */
export function continuesOnError(file: ParsedRequestFile): boolean {
  if (file.requests.some((r) => hasMeta(r, 'continueOnError'))) return true;
  const head = file.text.slice(0, file.requests[0]?.span.start ?? file.text.length);
  return /^[ \t]*(?:#|\/\/)[ \t]*@continueOnError\b/im.test(head);
}

/** How a request is named in results: its `###` title, its `@name`, or its method and path. */
export function requestTitle(r: RequestBlock): string {
  const rl = r.requestLine;
  return r.title ?? r.name ?? (rl ? `${rl.method} ${rl.path}` : `request ${r.index + 1}`);
}

/** How a test is shown (Test Explorer's label and description), and so recognised again after the file changes. */
export function testLabel(r: RequestBlock): { readonly label: string; readonly description: string } {
  return { label: requestTitle(r), description: r.requestLine ? `${r.requestLine.method} ${r.requestLine.path}` : '' };
}

/**
 * Whether the request now at a test's place is still that test. Tests are numbered by their place
 * in the file; after an edit or a pull the place may hold another request, which must not be sent
 * in its name.
 */
export function isSameTest(shown: { readonly label: string; readonly description?: string }, r: RequestBlock | undefined): boolean {
  if (!r?.requestLine || r.assertions.length === 0) return false;
  const now = testLabel(r);
  return shown.label === now.label && shown.description === now.description;
}

/** The requests a run sends, in order; the others are left out of the results. */
export function planRun(file: ParsedRequestFile, only?: ReadonlySet<number>): RequestBlock[] {
  const sendable = file.requests.filter((r) => r.requestLine);
  const picked = only ? sendable.filter((r) => only.has(r.index) || isTeardown(r)) : sendable;
  return [...picked.filter((r) => !isTeardown(r)), ...picked.filter(isTeardown)];
}

export async function runFile(o: FileRunOptions): Promise<FileRunResult> {
  const { file } = o;
  const scrub = (s: string): string => (o.scrub ? o.scrub(s) : s);
  const plan = planRun(file, o.only);
  const results = new Map<number, RequestResult>();
  const exchanges = new Map<string, NamedExchange>();
  const continueOnError = continuesOnError(file);
  let stopped: string | undefined;
  /** The first request that errored (a dependency run on demand counts too). */
  let broken: RequestResult | undefined;

  const record = (r: RequestResult): RequestResult => {
    results.set(r.index, r);
    if (r.status === 'error') broken ??= r;
    o.onResult?.(r);
    return r;
  };

  const runOne = async (request: RequestBlock, chain: ReadonlySet<string>): Promise<RequestResult> => {
    const base = {
      index: request.index, title: requestTitle(request), ...(request.name ? { name: request.name } : {}),
      teardown: isTeardown(request), isTest: request.assertions.length > 0, assertions: [] as AssertionResult[],
    };
    o.onStart?.(request);
    const flag = base.isTest ? undefined : o.flagged?.(request);
    if (flag) return record({ ...base, status: 'skipped', reason: scrub(`not sent: ${flag}`) });
    const host: VariableHost = {
      ...o.context.host,
      exchange: async (name) => {
        const known = exchanges.get(name);
        if (known || chain.has(name)) return known;
        const dep = file.requests.find((r) => r.name === name && r.requestLine);
        if (!dep || results.has(dep.index)) return undefined;
        await runOne(dep, new Set(chain).add(name));
        return exchanges.get(name);
      },
    };
    const ctx: VariableContext = { ...o.context, host };
    let req: HttpRequest;
    try {
      req = await resolveRequest(file, request, { ...ctx, ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}) });
    } catch (e) {
      // Clean-up whose variables do not resolve (what it deletes was never made) has nothing to do.
      if (base.teardown) return record({ ...base, status: 'skipped', reason: scrub(`not sent: ${(e as Error).message}`) });
      return record({ ...base, status: 'error', reason: scrub((e as Error).message) });
    }
    let res: HttpResponse;
    try {
      res = await o.send(req);
    } catch (e) {
      return record({ ...base, status: 'error', noAnswer: true, reason: scrub((e as Error).message), request: req });
    }
    const bodyText = new TextDecoder().decode(res.body);
    if (request.name) {
      exchanges.set(request.name, {
        response: { status: res.status, headers: res.headers, body: bodyText, ...(res.json !== undefined ? { json: res.json } : {}) },
        request: { headers: req.headers, ...(req.body !== undefined ? { body: req.body } : {}) },
      });
    }
    const facts: ResponseFacts = { status: res.status, headers: res.headers, bodyText, ...(res.json !== undefined ? { json: res.json } : {}), durationMs: res.timing.totalMs };
    const resolver = new VariableResolver(file, ctx);
    const assertions: AssertionResult[] = [];
    for (const line of request.assertions) assertions.push(await check(line, facts, resolver, scrub));
    const passed = assertions.every((a) => a.passed);
    return record({
      ...base, assertions, status: !base.isTest ? 'sent' : passed ? 'passed' : 'failed',
      httpStatus: res.status, durationMs: res.timing.totalMs, request: req, response: res,
    });
  };

  for (const request of plan) {
    if (results.has(request.index)) continue;
    const teardown = isTeardown(request);
    if (!stopped && o.shouldStop?.()) stopped = 'the run was stopped';
    if (stopped && !teardown) {
      record({
        index: request.index, title: requestTitle(request), ...(request.name ? { name: request.name } : {}), teardown,
        isTest: request.assertions.length > 0, status: 'skipped', assertions: [], reason: scrub(`skipped: ${stopped}`),
      });
      continue;
    }
    await runOne(request, request.name ? new Set([request.name]) : new Set());
    if (!continueOnError && !teardown && !stopped && broken) {
      stopped = `"${broken.title}" ${broken.noAnswer ? 'got no answer' : 'could not be sent'}`;
    }
  }
  // The file's order, teardown blocks last; requests run on demand outside `only` are included.
  return { results: [...results.values()].sort((a, b) => Number(a.teardown) - Number(b.teardown) || a.index - b.index) };
}

async function check(line: AssertionLine, facts: ResponseFacts, resolver: VariableResolver, scrub: (s: string) => string): Promise<AssertionResult> {
  const parsed = parseAssertion(line.text);
  if (!parsed.ok) return { line, passed: false, message: scrub(parsed.error.message) };
  const a = parsed.assertion;
  let expected: string | undefined;
  if (a.expected !== undefined && a.expectedSpan) {
    const start = line.textSpan.start + a.expectedSpan.start;
    const refs = line.refs.filter((r) => r.span.start >= start);
    try {
      expected = await resolver.substitute(a.expected, start, refs);
    } catch (e) {
      return { line, passed: false, message: scrub(`the expected value cannot be resolved: ${(e as Error).message}`) };
    }
  }
  let out: Outcome;
  try {
    out = evaluateAssertion(a, expected, facts);
  } catch (e) {
    // Evaluation is meant never to throw; if it does, this line fails and the run goes on.
    return { line, passed: false, message: scrub(`the assertion could not be checked: ${(e as Error).message}`) };
  }
  return {
    line, passed: out.passed, actual: scrub(out.actual), ...(out.expected !== undefined ? { expected: scrub(out.expected) } : {}), message: scrub(out.message),
  };
}
