/**
 * Runs src/language/sendController.ts under mocha with a small stand-in for `vscode`. Node loads
 * the controller once per mocha process, bound to whichever stand-in was installed first, so every
 * Send test file shares this one; a test replaces the `window` members it needs (see `resetWindow`).
 */
import Module from 'module';
import type { HttpResponse } from '../../../src/core/http/types';
import { EventEmitter } from '../viewer/fakeVscode';

class CancellationTokenSource {
  token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
  cancel(): void {
    this.token.isCancellationRequested = true;
  }
  dispose(): void {}
}

/** What the stand-in's notifications showed since the last `resetWindow`. */
export const shown = { errors: [] as string[], warnings: [] as string[], info: [] as string[] };

type Window = {
  withProgress(o: unknown, task: (p: unknown, t: unknown) => unknown): unknown;
  showInputBox(o: { title?: string; password?: boolean }): Promise<string | undefined>;
  showErrorMessage(m: string, ...items: string[]): Promise<string | undefined>;
  showWarningMessage(m: string, ...items: string[]): Promise<string | undefined>;
  showInformationMessage(m: string, ...items: string[]): Promise<string | undefined>;
  setStatusBarMessage(): { dispose(): void };
  visibleTextEditors: unknown[];
  activeTextEditor: unknown;
};

function defaultWindow(): Window {
  return {
    withProgress: (_o, task) => task({ report() {} }, new CancellationTokenSource().token),
    showInputBox: async () => undefined,
    showErrorMessage: async (m) => void shown.errors.push(m),
    showWarningMessage: async (m) => void shown.warnings.push(m),
    showInformationMessage: async (m) => void shown.info.push(m),
    setStatusBarMessage: () => ({ dispose() {} }),
    visibleTextEditors: [],
    activeTextEditor: undefined,
  };
}

/** The stand-in's `vscode.window`; tests assign the members they need. */
export const window: Window = defaultWindow();

export function resetWindow(): void {
  Object.assign(window, defaultWindow());
  shown.errors.length = 0;
  shown.warnings.length = 0;
  shown.info.length = 0;
}

const documents = new Map<string, unknown>();

/** A document the controller opens by its URI; `edit` replaces its text as the editor would (a new version). */
export function openDocument(file: string, text: string): { uri: { scheme: string; fsPath: string; path: string; toString(): string }; edit(text: string): void } {
  const uri = { scheme: 'file', fsPath: file, path: file, toString: () => `file://${file}` };
  const doc = { uri, version: 1, languageId: 'sage200', getText: () => text, positionAt: () => ({ line: 1, character: 0 }) };
  documents.set(uri.toString(), doc);
  return {
    uri,
    edit(next: string) {
      text = next;
      doc.version++;
    },
  };
}

/** A JSON answer to `req`. */
export function jsonResponse(req: { method: string; url: string }, json: unknown, status = 201): HttpResponse {
  const body = new TextEncoder().encode(JSON.stringify(json));
  return { status, statusText: '', headers: { 'content-type': 'application/json' }, body, json, size: body.length, timing: { totalMs: 1 }, request: { method: req.method, url: req.url, headers: {} }, attempts: 1 };
}

const standIn = {
  CancellationTokenSource,
  EventEmitter,
  CancellationError: class extends Error {},
  ProgressLocation: { Notification: 15, Window: 10 },
  ViewColumn: { Beside: -2 },
  l10n: { t: (s: string, ...args: unknown[]) => s.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)])) },
  workspace: {
    onDidCloseTextDocument: () => ({ dispose() {} }),
    openTextDocument: async (uri: { toString(): string }) => documents.get(uri.toString()),
  },
  window,
  // The enums that providers.ts reads when it loads; their values do not matter here.
  ...Object.fromEntries(['CodeActionKind', 'CompletionItemKind', 'DiagnosticSeverity', 'FoldingRangeKind', 'SymbolKind'].map((k) => [k, new Proxy({}, { get: () => 0 })])),
};

const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const originalLoad = loader._load;
loader._load = function (request: string, parent: unknown, isMain: boolean) {
  const from = (parent as { filename?: string } | null)?.filename ?? '';
  if (request === 'vscode' && /[\\/]src[\\/](language[\\/]|notify\.ts$)/.test(from)) return standIn;
  return originalLoad.call(this, request, parent, isMain);
};
/** Copies of these modules that another suite loaded answer to that suite's stand-in: load our own. */
const LANGUAGE_MODULES = /[\\/]src[\\/](language[\\/]|notify\.ts$)/;
const forgetLanguageModules = (): void => {
  for (const file of Object.keys(require.cache)) if (LANGUAGE_MODULES.test(file)) delete require.cache[file];
};
forgetLanguageModules();
let loaded: { SendController: typeof import('../../../src/language/sendController').SendController; DocumentAnalyses: typeof import('../../../src/language/providers').DocumentAnalyses };
try {
  loaded = {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    SendController: (require('../../../src/language/sendController') as typeof import('../../../src/language/sendController')).SendController,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    DocumentAnalyses: (require('../../../src/language/providers') as typeof import('../../../src/language/providers')).DocumentAnalyses,
  };
} finally {
  // Everything the controller needs is loaded now; later tests get the real loader back, and load
  // their own copies.
  loader._load = originalLoad;
  forgetLanguageModules();
}
export const { SendController, DocumentAnalyses } = loaded;
