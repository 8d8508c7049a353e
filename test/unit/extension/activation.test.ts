/**
 * Activation wires every feature but reads neither the catalog nor the sandbox (issue 22): the
 * catalog loads on first use. Runs the real `activate()` of src/extension.ts under mocha, with a
 * stand-in for `vscode` that records the log, the commands and the completion provider, and
 * answers everything else with an inert object.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';
import { EventEmitter, Memento, fake as viewerFake } from '../viewer/fakeVscode';
import { memorySecrets } from '../connections/fakeVscode';

const ROOT = path.join(__dirname, '..', '..', '..');
const SRC = path.join(ROOT, 'src') + path.sep;

/** Any member, call or `new` of it gives itself back: the parts of the API that activation only registers with. */
function inert(): unknown {
  const self: unknown = new Proxy(function () {}, {
    get: (_t, key) => {
      if (key === 'then') return undefined; // not a promise: `await` gives it back at once
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => '';
      return self;
    },
    set: () => true,
    apply: () => self,
    construct: () => self as object,
  });
  return self;
}

/** The standIn's namespaces: what is listed is real, anything else is inert. */
function namespace<T extends object>(members: T): T {
  return new Proxy(members, { get: (t, key) => (key in t ? (t as Record<PropertyKey, unknown>)[key] : inert()) });
}

const logLines: string[] = [];
const commands = new Map<string, (...args: unknown[]) => unknown>();
const completion: { provider?: { provideCompletionItems(doc: unknown, position: unknown): { items: { label: string }[] } } } = {};
const disposable = { dispose() {} };
const record = (level: string) => (m: unknown) => void logLines.push(`[${level}] ${m instanceof Error ? m.message : String(m)}`);

class Position {
  constructor(readonly line: number, readonly character: number) {}
}
class Range {
  constructor(readonly start: Position, readonly end: Position) {}
}

/**
 * Every name that src reads from `vscode`, inert unless listed: the module is copied member by member
 * when it is imported, so a proxy's fallback alone would not be seen at the top level.
 */
function usedNames(dir: string): string[] {
  const names = new Set<string>();
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) usedNames(full).forEach((n) => names.add(n));
    else if (e.name.endsWith('.ts')) for (const m of fs.readFileSync(full, 'utf8').matchAll(/\bvscode\.(\w+)/g)) names.add(m[1]);
  }
  return [...names];
}

const standIn = namespace({
  ...Object.fromEntries(usedNames(SRC).map((n) => [n, inert()])),
  ...viewerFake,
  EventEmitter,
  Position,
  Range,
  Disposable: class {
    constructor(private readonly onDispose: () => void) {}
    dispose(): void {
      this.onDispose();
    }
  },
  CancellationError: class extends Error {},
  CompletionItem: class {
    constructor(readonly label: string, readonly kind: unknown) {}
  },
  CompletionList: class {
    constructor(readonly items: unknown[], readonly isIncomplete: boolean) {}
  },
  window: namespace({
    createOutputChannel: () => ({ info: record('info'), warn: record('warn'), error: record('error'), debug: record('debug'), trace: record('trace'), show() {}, dispose() {} }),
    activeTextEditor: undefined,
    visibleTextEditors: [],
    showErrorMessage: async (m: string) => void logLines.push(`[shown error] ${m}`),
    showWarningMessage: async (m: string) => void logLines.push(`[shown warning] ${m}`),
    showInformationMessage: async (m: string) => void logLines.push(`[shown info] ${m}`),
  }),
  commands: namespace({
    registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
      commands.set(id, fn);
      return disposable;
    },
    executeCommand: async () => undefined,
    getCommands: async () => [...commands.keys()],
  }),
  languages: namespace({
    registerCompletionItemProvider: (_selector: unknown, provider: typeof completion.provider) => {
      completion.provider = provider;
      return disposable;
    },
  }),
  workspace: namespace({
    textDocuments: [],
    workspaceFolders: undefined,
    isTrusted: true,
    getConfiguration: () => ({ get: <T>(_k: string, fallback?: T) => fallback, inspect: () => undefined, update: async () => undefined }),
  }),
});

type Extension = typeof import('../../../src/extension');

describe('activation (src/extension.ts under a stand-in for vscode)', () => {
  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const originalLoad = loader._load;
  const cache = (Module as unknown as { _cache: Record<string, NodeModule | undefined> })._cache;
  const kept = new Map<string, NodeModule | undefined>();
  let dir: string;
  let extension: Extension;
  let context: { subscriptions: { dispose(): unknown }[] };

  before(() => {
    // A copy of src of its own, whatever stand-ins other suites gave the modules they loaded.
    for (const key of Object.keys(cache)) if (key.startsWith(SRC)) { kept.set(key, cache[key]); delete cache[key]; }
    loader._load = function (request: string, parent: unknown, isMain: boolean) {
      const from = (parent as { filename?: string } | null)?.filename ?? '';
      if (request === 'vscode' && from.startsWith(SRC)) return standIn;
      return originalLoad.call(this, request, parent, isMain);
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    extension = require('../../../src/extension') as Extension;
    // The installed extension's folder: the catalog sits in dist/ as esbuild.js copies it there.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage200-activation-'));
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.copyFileSync(path.join(SRC, 'core', 'catalog', 'sage200-catalog.json'), path.join(dir, 'dist', 'catalog.json'));
  });

  after(() => {
    for (const d of context?.subscriptions ?? []) d.dispose();
    loader._load = originalLoad;
    for (const key of Object.keys(cache)) if (key.startsWith(SRC)) delete cache[key];
    for (const [key, m] of kept) if (m) cache[key] = m;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const catalogLoads = (): string[] => logLines.filter((l) => /catalog loaded in \d+ ms/.test(l));
  /** Reads of the installed catalog file, whatever the log says. */
  let catalogReads = 0;
  // The module object itself (an `import *` of it is read-only), as src's modules see it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeFs = require('fs') as typeof fs;
  const readFileSync = nodeFs.readFileSync;
  beforeEach(() => {
    nodeFs.readFileSync = ((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (file === path.join(dir, 'dist', 'catalog.json')) catalogReads++;
      return (readFileSync as (...a: unknown[]) => unknown)(file, ...rest);
    }) as typeof fs.readFileSync;
  });
  afterEach(() => {
    nodeFs.readFileSync = readFileSync;
  });

  it('registers every feature without reading the catalog; the first completion reads it, once', async () => {
    context = {
      subscriptions: [],
      asAbsolutePath: (p: string) => path.join(dir, p),
      extensionUri: viewerFake.Uri.file(dir),
      globalStorageUri: viewerFake.Uri.file(path.join(dir, 'storage')),
      workspaceState: new Memento(),
      // Not a first start: the view is not opened for the user.
      globalState: Object.assign(new Memento(), { setKeysForSync() {} }),
      secrets: memorySecrets(),
      extension: { id: 'sage200-explorer.sage200-explorer' },
    } as never;
    await (context as unknown as { globalState: Memento }).globalState.update('sage200.explorer.shownOnFirstStart', true);
    extension.activate(context as never);

    assert.ok(logLines.some((l) => /\[info\] Sage 200 API Explorer activated in \d+ ms/.test(l)), logLines.join('\n'));
    assert.deepStrictEqual(logLines.filter((l) => /error|warning/.test(l)), [], 'activation reported a failure');
    assert.ok(commands.has('sage200.sendRequest') && commands.has('sage200.explorer.refresh') && commands.has('sage200.startSandbox'));
    // Diagnostics and the first tree refresh run on timers: let them.
    await new Promise((r) => setTimeout(r, 50));
    assert.strictEqual(catalogReads, 0, 'activation read the catalog file');
    assert.deepStrictEqual(catalogLoads(), [], 'activation loaded the catalog');

    const text = '### Customers\nGET /cus';
    const doc = {
      uri: { toString: () => 'file:///w/a.sage200', scheme: 'file', fsPath: '/w/a.sage200' },
      version: 1,
      languageId: 'sage200',
      getText: () => text,
      offsetAt: (p: Position) => text.split('\n').slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character,
      positionAt: (o: number) => {
        const before = text.slice(0, o).split('\n');
        return new Position(before.length - 1, before[before.length - 1].length);
      },
    };
    const labels = (): string[] => completion.provider!.provideCompletionItems(doc, new Position(1, 8)).items.map((i) => i.label);
    assert.ok(labels().includes('/customers'), `completion offers the catalog's paths: ${labels().slice(0, 10).join(', ')}`);
    assert.strictEqual(catalogReads, 1);
    assert.strictEqual(catalogLoads().length, 1, logLines.join('\n'));
    assert.match(catalogLoads()[0], /catalog loaded in \d+ ms \(712 operations\)/);

    labels();
    await commands.get('sage200.showCatalogInfo')!();
    assert.strictEqual(catalogReads, 1, 'the catalog is read once per session');
    assert.strictEqual(catalogLoads().length, 1);
    assert.ok(logLines.some((l) => l.includes('[shown info] Sage 200 catalog: 712 operations on 505 paths')), logLines.join('\n'));
  });
});
