/**
 * A small stand-in for the `vscode` module, enough for src/viewer to run under mocha: webview
 * panels record what they post, and the test plays the webview's side of the protocol.
 * Installed with `installFakeVscode()` before src/viewer is imported.
 */
import Module from 'module';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class FakeWebview {
  html = '';
  options: unknown;
  readonly cspSource = 'vscode-webview://fake';
  readonly posted: { type: string; [k: string]: unknown }[] = [];
  readonly received = new EventEmitter<unknown>();
  onDidReceiveMessage = this.received.event;
  asWebviewUri(u: { toString(): string }) {
    return { toString: () => `vscode-webview://fake/${u.toString()}` };
  }
  async postMessage(m: { type: string }): Promise<boolean> {
    this.posted.push(m as { type: string });
    return true;
  }
}

export class FakePanel {
  readonly webview = new FakeWebview();
  title = '';
  visible = true;
  iconPath: unknown;
  private readonly disposed = new EventEmitter<void>();
  private readonly viewState = new EventEmitter<void>();
  onDidDispose = this.disposed.event;
  onDidChangeViewState = this.viewState.event;
  constructor(readonly viewType: string) {}
  reveal(): void {
    this.visible = true;
  }
  dispose(): void {
    this.disposed.fire();
  }
}

export const state = {
  panels: [] as FakePanel[],
  clipboard: '',
  serializer: undefined as undefined | { deserializeWebviewPanel(p: FakePanel, s: unknown): Promise<void> },
  treeProvider: undefined as undefined | { getChildren(): unknown[]; getTreeItem(e: unknown): { label?: unknown; description?: unknown } },
  /** Request files by URI, as `workspace.openTextDocument` gives them. */
  documents: new Map<string, string>(),
};

class Uri {
  constructor(readonly path: string) {}
  static file(p: string) {
    return new Uri(p);
  }
  static parse(s: string) {
    return new Uri(s);
  }
  static joinPath(base: Uri, ...parts: string[]) {
    return new Uri([base.path, ...parts].join('/'));
  }
  get fsPath() {
    return this.path;
  }
  toString() {
    return this.path;
  }
}

class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel() {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose() {}
}

const format = (s: string, ...args: unknown[]) => s.replace(/\{(\d+)\}/g, (_m, i: string) => String(args[Number(i)]));

export const fake = {
  Uri,
  EventEmitter,
  CancellationTokenSource,
  TreeItem: class {
    constructor(
      readonly label: unknown,
      readonly collapsibleState?: number,
    ) {}
  },
  TreeItemCollapsibleState: { None: 0 },
  ThemeIcon: class {
    constructor(readonly id: string) {}
  },
  ThemeColor: class {
    constructor(readonly id: string) {}
  },
  MarkdownString: class {
    value = '';
    appendText(s: string) {
      this.value += s;
      return this;
    }
  },
  ViewColumn: { Beside: -2 },
  ProgressLocation: { Notification: 15 },
  EndOfLine: { LF: 1, CRLF: 2 },
  l10n: { t: format },
  env: {
    clipboard: {
      writeText: async (s: string) => {
        state.clipboard = s;
      },
    },
  },
  commands: { executeCommand: async () => undefined },
  workspace: {
    workspaceFolders: undefined,
    openTextDocument: async (u: { toString(): string }) => {
      const text = state.documents.get(u.toString());
      if (text === undefined) throw new Error(`cannot open ${u.toString()}`);
      return { uri: u, getText: () => text };
    },
  },
  window: {
    createWebviewPanel: (viewType: string) => {
      const p = new FakePanel(viewType);
      state.panels.push(p);
      return p;
    },
    registerWebviewPanelSerializer: (_t: string, s: typeof state.serializer) => {
      state.serializer = s;
      return { dispose() {} };
    },
    registerTreeDataProvider: (_id: string, p: typeof state.treeProvider) => {
      state.treeProvider = p;
      return { dispose() {} };
    },
    withProgress: async (_o: unknown, task: (p: { report(): void }, t: unknown) => Promise<unknown>) =>
      task({ report() {} }, new CancellationTokenSource().token),
    setStatusBarMessage: () => ({ dispose() {} }),
    showInformationMessage: async () => undefined,
    showSaveDialog: async () => undefined,
  },
};

/** workspaceState: values round-trip through JSON, as VS Code stores them. */
export class Memento {
  private data = new Map<string, unknown>();
  get<T>(k: string): T | undefined {
    const v = this.data.get(k);
    return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as T);
  }
  async update(k: string, v: unknown): Promise<void> {
    this.data.set(k, JSON.parse(JSON.stringify(v)));
  }
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  raw(): string {
    return JSON.stringify([...this.data.values()]);
  }
}

/** Waits for what the extension does in answer to a message (it never answers synchronously). */
export async function until<T>(f: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let installed = false;
export function installFakeVscode(): void {
  if (installed) return;
  installed = true;
  routeVscode(/[\\/]src[\\/]viewer[\\/]/, fake);
}

/**
 * Makes `import 'vscode'` give `standIn` to the modules whose file path matches `from`: only the
 * code under test, so that other suites' own stand-ins are left alone.
 */
export function routeVscode(from: RegExp, standIn: unknown): void {
  const m = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const original = m._load;
  m._load = function (request: string, parent: unknown, isMain: boolean) {
    const file = (parent as { filename?: string } | null)?.filename ?? '';
    if (request === 'vscode' && from.test(file)) return standIn;
    return original.call(this, request, parent, isMain);
  };
}
