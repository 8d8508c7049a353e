/**
 * Request files in VS Code's Test Explorer: each file with assertions is a suite, each request with
 * `??` lines a test. Runs go through core/testing with the active connection, site and company;
 * results show in Test Results (expected and actual), inline on each `??` line, and in history.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { Sage200Api } from '../connections/sage200Api';
import { checkTrusted } from '../connections/trust';
import { isWrite } from '../core/connections/production';
import { readDotenv } from '../core/dotenv';
import type { HttpResponse } from '../core/http/types';
import type { SecretRegistry } from '../core/http/redact';
import { Environments, parseRequestFile, ParsedRequestFile, Span } from '../core/requestFile';
import { isSameTest, planRun, RequestResult, runFile, testLabel } from '../core/testing';
import { Disposable } from '../lifecycle';

const LANGUAGE_ID = 'sage200';

export interface TestingDeps {
  readonly api: Pick<Sage200Api, 'send' | 'confirmWrites'>;
  /** The active connection, site and company. */
  context(): { readonly connectionId?: string; readonly site?: string; readonly company?: number };
  variables(): { readonly environments?: Environments; readonly environment?: string };
  readonly secrets: SecretRegistry;
  /** History: the exchange of a test, marked passed or failed. */
  recordTest(response: HttpResponse, source: { uri: vscode.Uri; requestIndex: number; requestName?: string }, test: 'passed' | 'failed', connectionId?: string): Promise<void>;
}

function rangeOf(doc: { positionAt(o: number): vscode.Position }, span: Span): vscode.Range {
  return new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
}

/** Positions from a parse, for files that are not open. */
function positions(file: ParsedRequestFile): { positionAt(o: number): vscode.Position } {
  return { positionAt: (o) => { const p = file.lines.positionAt(o); return new vscode.Position(p.line, p.col); } };
}

export class TestingFeature extends Disposable {
  private readonly controller: vscode.TestController;
  private readonly passDecoration: vscode.TextEditorDecorationType;
  private readonly failDecoration: vscode.TextEditorDecorationType;
  /** Inline results per document: the `??` line's range and what to show after it. */
  private readonly inline = new Map<string, { range: vscode.Range; text: string; passed: boolean }[]>();
  private readonly lensChanged = this._register(new vscode.EventEmitter<void>());

  readonly commands: Record<string, (...args: unknown[]) => unknown>;

  constructor(private readonly deps: TestingDeps) {
    super();
    this.controller = this._register(vscode.tests.createTestController('sage200', vscode.l10n.t('Sage 200 request files')));
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverWorkspace();
    };
    this.controller.refreshHandler = () => this.discoverWorkspace();
    this._register(this.controller.createRunProfile(vscode.l10n.t('Run'), vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token), true));
    const after = (color: string): vscode.TextEditorDecorationType => vscode.window.createTextEditorDecorationType({
      after: { margin: '0 0 0 2em', color: new vscode.ThemeColor(color) },
      isWholeLine: false,
    });
    this.passDecoration = this._register(after('testing.iconPassed'));
    this.failDecoration = this._register(after('testing.iconFailed'));
    for (const doc of vscode.workspace.textDocuments) this.updateFromDocument(doc);
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.updateFromDocument(d)));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => {
      this.updateFromDocument(e.document);
      // Results belong to the text they ran on.
      if (this.inline.delete(e.document.uri.toString())) this.paint();
    }));
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.paint()));
    // Files that are not open change too (a pull, another editor): their tests follow.
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/*.sage200'));
    this._register(watcher.onDidCreate((uri) => void this.updateFromDisk(uri)));
    this._register(watcher.onDidChange((uri) => void this.updateFromDisk(uri)));
    this._register(watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())));
    this._register(vscode.languages.registerCodeLensProvider({ language: LANGUAGE_ID }, {
      onDidChangeCodeLenses: this.lensChanged.event,
      provideCodeLenses: (doc) => this.lenses(doc),
    }));
    this.commands = {
      [Commands.runTest]: (uri, index) => this.runCommand(uri, typeof index === 'number' ? index : undefined),
      [Commands.runTestFile]: (uri) => this.runCommand(uri, undefined),
    };
  }

  private lenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const file = parseRequestFile(doc.getText());
    const tests = file.requests.filter((r) => r.assertions.length && r.requestLine);
    const out: vscode.CodeLens[] = [];
    tests.forEach((r, k) => {
      const range = rangeOf(doc, r.requestLine!.span);
      out.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Run test'), command: Commands.runTest, arguments: [doc.uri, r.index] }));
      if (k === 0) out.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Run file ({0} tests)', tests.length), command: Commands.runTestFile, arguments: [doc.uri] }));
    });
    return out;
  }

  private async discoverWorkspace(): Promise<void> {
    const uris = await vscode.workspace.findFiles('**/*.sage200', '**/node_modules/**', 2000);
    for (const uri of uris) await this.updateFromDisk(uri);
  }

  /** The tests of a file that is not open, read from disk (an open one follows its editor). */
  private async updateFromDisk(uri: vscode.Uri): Promise<void> {
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      this.updateItems(uri, parseRequestFile(text));
    } catch {
      this.controller.items.delete(uri.toString()); // unreadable: not listed
    }
  }

  private updateFromDocument(doc: vscode.TextDocument): void {
    if (doc.languageId !== LANGUAGE_ID || doc.uri.scheme === 'output') return;
    this.updateItems(doc.uri, parseRequestFile(doc.getText()), doc);
    this.lensChanged.fire();
  }

  /** The file's suite, with one test per request with assertions; a file without any is not listed. */
  private updateItems(uri: vscode.Uri, file: ParsedRequestFile, doc?: vscode.TextDocument): vscode.TestItem | undefined {
    const id = uri.toString();
    const tests = file.requests.filter((r) => r.assertions.length && r.requestLine);
    if (!tests.length) {
      this.controller.items.delete(id);
      return undefined;
    }
    let suite = this.controller.items.get(id);
    if (!suite) {
      suite = this.controller.createTestItem(id, vscode.workspace.asRelativePath(uri, false), uri);
      this.controller.items.add(suite);
    }
    const at = doc ?? positions(file);
    suite.children.replace(tests.map((r) => {
      const { label, description } = testLabel(r);
      const item = this.controller.createTestItem(`${id}#${r.index}`, label, uri);
      item.range = rangeOf(at, r.requestLine!.span);
      item.description = description;
      return item;
    }));
    return suite;
  }

  private async runCommand(uri: unknown, index: number | undefined): Promise<void> {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (!target) return;
    const doc = await vscode.workspace.openTextDocument(target);
    const suite = this.updateItems(target, parseRequestFile(doc.getText()), doc);
    if (!suite) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This file has no requests with ?? assertions.'));
      return;
    }
    const item = index === undefined ? suite : suite.children.get(`${suite.id}#${index}`);
    if (!item) return;
    const source = new vscode.CancellationTokenSource();
    try {
      await this.run(new vscode.TestRunRequest([item]), source.token);
    } finally {
      source.dispose();
    }
  }

  /** What to run per file: every test of a suite, or the chosen ones. */
  private selection(request: vscode.TestRunRequest): Map<string, { suite: vscode.TestItem; only?: Set<number> }> {
    const out = new Map<string, { suite: vscode.TestItem; only?: Set<number> }>();
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const roots: vscode.TestItem[] = request.include ? [...request.include] : [];
    if (!request.include) this.controller.items.forEach((i) => roots.push(i));
    for (const item of roots) {
      if (excluded.has(item.id)) continue;
      const suite = item.parent ?? item;
      const entry = out.get(suite.id) ?? { suite };
      if (item.parent) {
        if (entry.only || !out.has(suite.id)) entry.only = (entry.only ?? new Set()).add(Number(item.id.slice(item.id.lastIndexOf('#') + 1)));
      } else {
        delete entry.only;
      }
      out.set(suite.id, entry);
    }
    for (const e of out.values()) {
      // Excluded tests of a whole-file run are left out.
      if (!e.only && excluded.size) {
        const keep = new Set<number>();
        e.suite.children.forEach((c) => { if (!excluded.has(c.id)) keep.add(Number(c.id.slice(c.id.lastIndexOf('#') + 1))); });
        e.only = keep;
      }
    }
    return out;
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      await this.runInto(run, request, token);
    } finally {
      run.end();
    }
  }

  private async runInto(run: vscode.TestRun, request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const chosen = this.selection(request);
    const files: { suite: vscode.TestItem; doc: vscode.TextDocument; file: ParsedRequestFile; only?: Set<number> }[] = [];
    for (const { suite, only } of chosen.values()) {
      const doc = await vscode.workspace.openTextDocument(suite.uri!);
      const file = parseRequestFile(doc.getText());
      // Tests are numbered by their place in the file, and the file may have changed since the list
      // was read: a test whose place now holds another request is not run, or that request would be sent.
      for (const index of only ?? []) {
        const chosenItem = suite.children.get(`${suite.id}#${index}`);
        if (chosenItem && !isSameTest(chosenItem, file.requests[index])) {
          only!.delete(index);
          run.errored(chosenItem, new vscode.TestMessage(vscode.l10n.t('Not run: the file changed since the test list was read. The list is read again now; run the test again.')));
        }
      }
      this.updateItems(suite.uri!, file, doc);
      files.push({ suite, doc, file, ...(only ? { only } : {}) });
      suite.children.forEach((c) => {
        if (!only || only.has(Number(c.id.slice(c.id.lastIndexOf('#') + 1)))) run.enqueued(c);
      });
    }
    const skipAll = (message: string): void => {
      run.appendOutput(`${message}\r\n`);
      for (const f of files) f.suite.children.forEach((c) => run.skipped(c));
    };
    const api = this.deps.api;
    if (!checkTrusted(vscode.l10n.t('Running request files as tests'))) return skipAll(vscode.l10n.t('Not run: the workspace is not trusted.'));
    const ctx = this.deps.context();
    // The production guard asks once for the whole run, naming every write it may send.
    const writes = files.flatMap(({ file, only }) => planRun(file, only)
      .concat(only ? file.requests.filter((r) => r.name && r.requestLine && !only.has(r.index)) : [])
      .filter((r) => isWrite(r.requestLine!.method))
      .map((r) => ({ method: r.requestLine!.method, path: r.requestLine!.path })));
    if (writes.length) {
      let ok: boolean;
      try {
        ok = await api.confirmWrites(writes, ctx.connectionId);
      } catch (e) {
        return skipAll((e as Error).message);
      }
      if (!ok) return skipAll(vscode.l10n.t('Not run: the writes on production were not confirmed.'));
    }
    for (const f of files) {
      if (token.isCancellationRequested) {
        f.suite.children.forEach((c) => run.skipped(c));
        continue;
      }
      await this.runFileInto(run, f, ctx, token);
    }
  }

  private async runFileInto(
    run: vscode.TestRun,
    f: { suite: vscode.TestItem; doc: vscode.TextDocument; file: ParsedRequestFile; only?: Set<number> },
    ctx: ReturnType<TestingDeps['context']>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const { doc, file, suite } = f;
    const api = this.deps.api;
    const dir = doc.uri.scheme === 'file' ? path.dirname(doc.uri.fsPath) : undefined;
    const secret = (v: string | undefined): string | undefined => {
      this.deps.secrets.add(v);
      return v;
    };
    const scrub = (s: string): string => this.deps.secrets.scrub(s);
    const item = (index: number): vscode.TestItem | undefined => suite.children.get(`${suite.id}#${index}`);
    const inline: { range: vscode.Range; text: string; passed: boolean }[] = [];
    await runFile({
      file,
      context: {
        ...this.deps.variables(),
        ...(ctx.site ? { site: ctx.site } : {}),
        ...(ctx.company !== undefined ? { company: ctx.company } : {}),
        host: {
          dotenv: (name) => secret(dir ? readDotenv(path.join(dir, '.env')).get(name) : undefined),
          prompt: async (name, description) => secret(await vscode.window.showInputBox({
            title: vscode.l10n.t('Value for {0}', name), prompt: description, password: /password|secret|token|key/i.test(name), ignoreFocusOut: true,
          })),
        },
      },
      send: (req) => api.send(
        { method: req.method, url: req.url, headers: { ...req.headers }, ...(req.body !== undefined ? { body: req.body } : {}) },
        { ...(ctx.connectionId ? { connectionId: ctx.connectionId } : {}), token, writesConfirmed: true },
      ),
      ...(f.only ? { only: f.only } : {}),
      shouldStop: () => token.isCancellationRequested,
      scrub,
      onStart: (r) => {
        const t = item(r.index);
        if (t) run.started(t);
      },
      onResult: (r) => {
        this.report(run, doc, r, item(r.index), inline, ctx.connectionId);
      },
    });
    this.inline.set(doc.uri.toString(), inline);
    this.paint();
  }

  private report(
    run: vscode.TestRun, doc: vscode.TextDocument, r: RequestResult, t: vscode.TestItem | undefined, inline: { range: vscode.Range; text: string; passed: boolean }[], connectionId?: string,
  ): void {
    const facts = r.httpStatus !== undefined ? ` → ${r.httpStatus}${r.durationMs !== undefined ? ` (${Math.round(r.durationMs)} ms)` : ''}` : '';
    run.appendOutput(`${r.status === 'passed' ? '✓' : r.status === 'failed' || r.status === 'error' ? '✗' : '-'} ${r.title}${facts}${r.reason ? `: ${r.reason}` : ''}\r\n`, undefined, t);
    for (const a of r.assertions) {
      const range = rangeOf(doc, a.line.span);
      inline.push({ range, passed: a.passed, text: a.passed ? `✓ ${a.actual ?? ''}`.trimEnd() : `✗ ${a.actual !== undefined ? vscode.l10n.t('actual {0}', a.actual) : a.message}` });
    }
    if (r.response && r.isTest && (r.status === 'passed' || r.status === 'failed')) {
      void this.deps.recordTest(r.response, { uri: doc.uri, requestIndex: r.index, ...(r.name ? { requestName: r.name } : {}) }, r.status, connectionId);
    }
    if (!t) return;
    if (r.status === 'passed') {
      run.passed(t, r.durationMs);
    } else if (r.status === 'failed') {
      run.failed(t, r.assertions.filter((a) => !a.passed).map((a) => {
        const m = a.expected !== undefined && a.actual !== undefined
          ? vscode.TestMessage.diff(a.message, a.expected, a.actual)
          : new vscode.TestMessage(a.message);
        m.location = new vscode.Location(doc.uri, rangeOf(doc, a.line.span));
        return m;
      }), r.durationMs);
    } else if (r.status === 'error') {
      const m = new vscode.TestMessage(r.reason ?? vscode.l10n.t('Not sent.'));
      m.location = new vscode.Location(doc.uri, t.range ?? new vscode.Range(0, 0, 0, 0));
      run.errored(t, m);
    } else {
      run.skipped(t);
    }
  }

  /** Shows each `??` line's last result after it, in every visible editor of its file. */
  private paint(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const results = this.inline.get(editor.document.uri.toString()) ?? [];
      const opts = (passed: boolean): vscode.DecorationOptions[] => results.filter((x) => x.passed === passed).map((x) => ({
        range: new vscode.Range(x.range.end, x.range.end),
        renderOptions: { after: { contentText: x.text } },
      }));
      editor.setDecorations(this.passDecoration, opts(true));
      editor.setDecorations(this.failDecoration, opts(false));
    }
  }
}
