/**
 * Enough of the `vscode` module for src/connections, src/auth and the explorer's actions to run
 * under mocha: settings with a user and a workspace layer, an in-memory SecretStorage, scripted
 * answers to messages and input boxes, and a browser that runs the sign-in through the scripted
 * browser of the auth tests.
 * Builds on the viewer's stand-in (its EventEmitter, Uri and l10n).
 */
import fetch from 'node-fetch';
import { EventEmitter, routeVscode, fake as viewerFake } from '../viewer/fakeVscode';
import { runBrowser } from '../auth/browser';

export interface Shown {
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly items: string[];
}

export const settings = {
  user: {} as Record<string, unknown>,
  workspace: {} as Record<string, unknown>,
};

const configChanged = new EventEmitter<{ affectsConfiguration(s: string): boolean }>();
const trustGranted = new EventEmitter<void>();

export const ui = {
  shown: [] as Shown[],
  /** Picks the button of a message; undefined dismisses it. */
  answer: (_s: Shown): string | undefined => undefined,
  /** The text typed in an input box; undefined cancels it. */
  input: (_title: string): string | undefined => undefined,
  /** The item chosen in a quick pick; undefined dismisses it. */
  pick: (_items: { label: string }[]): { label: string } | undefined => undefined,
  /** URLs opened with env.openExternal. */
  opened: [] as string[],
  /** Status bar items, as the code under test left them. */
  statusItems: [] as Record<string, unknown>[],
  /** Commands run through commands.executeCommand, with their arguments. */
  executed: [] as unknown[][],
  trusted: true,
};

/** A workspace edit of settings: the workspace layer wins over the user layer, as in VS Code. */
export function setWorkspaceSetting(key: string, value: unknown): void {
  if (value === undefined) delete settings.workspace[key];
  else settings.workspace[key] = value;
  configChanged.fire({ affectsConfiguration: (s) => `sage200.${key}`.startsWith(s) || s.startsWith(`sage200.${key}`) });
}

export function grantTrust(): void {
  ui.trusted = true;
  trustGranted.fire();
}

function message(level: Shown['level']) {
  return async (text: string, ...rest: unknown[]) => {
    const items = rest.filter((r): r is string => typeof r === 'string');
    const s = { level, message: text, items };
    ui.shown.push(s);
    return ui.answer(s);
  };
}

/** Memory-backed SecretStorage with its change event. */
export function memorySecrets() {
  const values = new Map<string, string>();
  const changed = new EventEmitter<{ key: string }>();
  return {
    values,
    onDidChange: changed.event,
    get: async (key: string) => values.get(key),
    store: async (key: string, value: string) => {
      values.set(key, value);
      changed.fire({ key });
    },
    delete: async (key: string) => {
      values.delete(key);
      changed.fire({ key });
    },
  };
}

export function memoryState() {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void (value === undefined ? values.delete(key) : values.set(key, value)),
    keys: () => [...values.keys()],
  };
}

/** The sandbox feature as the connection list follows it: stopped until `start` fires. */
export function fakeSandbox() {
  const changed = new EventEmitter<{ professionalBaseUrl: string; url: string } | undefined>();
  const source = {
    running: undefined as { professionalBaseUrl: string; url: string } | undefined,
    onDidChange: changed.event,
    set(running: { professionalBaseUrl: string; url: string } | undefined): void {
      source.running = running;
      changed.fire(running);
    },
  };
  return source;
}

/** A log channel that keeps every line, to check that no secret reached it. */
export function memoryChannel() {
  const lines: string[] = [];
  const add = (m: unknown) => void lines.push(String(m));
  return { lines, trace: add, debug: add, info: add, warn: add, error: add, dispose() {} };
}

/** Opens the sign-in the way a person's browser would: through the start page, then the consent form. */
async function openExternal(uri: { toString(): string }): Promise<boolean> {
  const url = uri.toString();
  ui.opened.push(url);
  const start = await fetch(url, { redirect: 'manual' });
  const authorize = start.headers.get('location') ?? url;
  void runBrowser(new URL(authorize, url).toString()).catch(() => undefined);
  return true;
}

class CancellationError extends Error {}

const fake = {
  ...viewerFake,
  CancellationError,
  StatusBarAlignment: { Left: 1, Right: 2 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  authentication: { registerAuthenticationProvider: () => ({ dispose() {} }) },
  env: { ...viewerFake.env, asExternalUri: async (u: unknown) => u, openExternal },
  workspace: {
    ...viewerFake.workspace,
    get isTrusted() {
      return ui.trusted;
    },
    onDidGrantWorkspaceTrust: trustGranted.event,
    onDidChangeConfiguration: configChanged.event,
    getConfiguration: (section: string) => ({
      get: <T>(key: string, fallback?: T): T | undefined => {
        const k = `${section}.${key}`.replace(/^sage200\./, '');
        // Restricted Mode ignores a workspace's value of the restricted settings (package.json).
        if (ui.trusted && k in settings.workspace) return settings.workspace[k] as T;
        if (k in settings.user) return settings.user[k] as T;
        return fallback;
      },
      inspect: (key: string) => ({ globalValue: settings.user[key], workspaceValue: settings.workspace[key] }),
      update: async (key: string, value: unknown, target: number) => {
        if (target === 2) setWorkspaceSetting(key, value);
        else {
          settings.user[key] = value;
          configChanged.fire({ affectsConfiguration: (s) => `sage200.${key}`.startsWith(s) });
        }
      },
    }),
  },
  commands: {
    ...viewerFake.commands,
    executeCommand: async (...args: unknown[]) => { ui.executed.push(args); },
  },
  window: {
    ...viewerFake.window,
    showInformationMessage: message('info'),
    showWarningMessage: message('warning'),
    showErrorMessage: message('error'),
    showInputBox: async (o: { title?: string }) => ui.input(o.title ?? ''),
    showQuickPick: async (items: { label: string }[]) => ui.pick(items),
    createStatusBarItem: () => {
      const item = { show() {}, hide() {}, dispose() {} };
      ui.statusItems.push(item as Record<string, unknown>);
      return item;
    },
    withProgress: async (_o: unknown, task: (p: { report(): void }, t: unknown) => Promise<unknown>) =>
      task({ report() {} }, new viewerFake.CancellationTokenSource().token),
  },
};

let installed = false;
export function installConnectionsFakeVscode(): void {
  if (installed) return;
  installed = true;
  routeVscode(/[\\/]src[\\/](connections[\\/]|auth[\\/]|explorer[\\/]actions\.ts$|notify\.ts$)/, fake);
}
