import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { ConnectionConfig } from '../core/connections/types';
import { parseConnections, toSettingsEntry } from '../core/connections/settings';
import { RunningSandbox, SANDBOX_PUBLIC_CLIENT_ID } from '../core/sandbox/types';
import { showWarning } from '../notify';

/** What the connection list needs from the sandbox feature (src/sandbox/sandboxFeature.ts). */
export interface SandboxSource {
  readonly onDidChange: vscode.Event<RunningSandbox | undefined>;
  readonly running: RunningSandbox | undefined;
}

export const SANDBOX_CONNECTION_ID = 'demo-sandbox';

/** The "Demo sandbox" connection for a running sandbox: Professional API, public client, any loopback port. */
export function sandboxConnection(running: RunningSandbox): ConnectionConfig {
  return {
    id: SANDBOX_CONNECTION_ID,
    name: vscode.l10n.t('Demo sandbox'),
    edition: 'custom',
    apiEdition: 'professional',
    baseUrl: running.professionalBaseUrl,
    clientId: SANDBOX_PUBLIC_CLIENT_ID,
    authority: running.url,
    audience: 's200ukipd/sage200',
    redirectPort: 0,
    usePkce: true,
    production: false,
  };
}

/**
 * The connections: those in the `sage200.connections` setting, plus the demo sandbox while it runs.
 * Invalid settings entries are left out and reported once in the log and a warning.
 */
export class ConnectionManager extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private fromSettings: ConnectionConfig[] = [];
  private sandbox: ConnectionConfig | undefined;
  private lastErrors = '';
  errors: string[] = [];

  constructor(
    private readonly log: { warn(m: string): void },
    sandbox: SandboxSource,
  ) {
    super();
    this.reload();
    // The sandbox's connection exists exactly while it runs.
    this.sandbox = sandbox.running ? sandboxConnection(sandbox.running) : undefined;
    this._register(
      sandbox.onDidChange((running) => {
        this.sandbox = running ? sandboxConnection(running) : undefined;
        this.changed.fire();
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sage200.connections')) {
          this.reload();
          this.changed.fire();
        }
      }),
    );
    // In Restricted Mode the workspace's value of `sage200.connections` is ignored (package.json
    // `restrictedConfigurations`); once the folder is trusted it applies.
    this._register(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.reload();
        this.changed.fire();
      }),
    );
  }

  list(): ConnectionConfig[] {
    return this.sandbox ? [...this.fromSettings.filter((c) => c.id !== SANDBOX_CONNECTION_ID), this.sandbox] : [...this.fromSettings];
  }

  get(id: string): ConnectionConfig | undefined {
    return this.list().find((c) => c.id === id);
  }

  isFromSettings(id: string): boolean {
    return this.fromSettings.some((c) => c.id === id);
  }

  private reload(): void {
    const raw = vscode.workspace.getConfiguration('sage200').get<unknown>('connections');
    const { connections, errors } = parseConnections(raw);
    this.fromSettings = connections;
    this.errors = errors;
    const text = errors.join('\n');
    if (text && text !== this.lastErrors) {
      for (const e of errors) this.log.warn(`sage200.connections: ${e}`);
      showWarning(vscode.l10n.t('Some Sage 200 connections in settings are invalid and were skipped: {0}', errors.join(' ')), 'openSettings');
    }
    this.lastErrors = text;
  }

  /** Adds or replaces (same id) a connection in the user settings. */
  async save(conn: ConnectionConfig): Promise<void> {
    const config = vscode.workspace.getConfiguration('sage200');
    const inspect = config.inspect<unknown[]>('connections');
    // Write where the list already lives, so that a workspace list is not shadowed by a user one.
    const target = inspect?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const current = (target === vscode.ConfigurationTarget.Workspace ? inspect?.workspaceValue : inspect?.globalValue) ?? [];
    const list = Array.isArray(current) ? [...current] : [];
    const entry = toSettingsEntry(conn);
    const at = list.findIndex((e) => (e as { id?: string })?.id === conn.id || ((e as { id?: string })?.id === undefined && this.fromSettings.find((c) => c.id === conn.id)?.name === (e as { name?: string })?.name));
    if (at >= 0) list[at] = entry;
    else list.push(entry);
    await config.update('connections', list, target);
  }

  async remove(id: string): Promise<void> {
    const config = vscode.workspace.getConfiguration('sage200');
    const inspect = config.inspect<unknown[]>('connections');
    const name = this.get(id)?.name;
    for (const [value, target] of [
      [inspect?.workspaceValue, vscode.ConfigurationTarget.Workspace],
      [inspect?.globalValue, vscode.ConfigurationTarget.Global],
    ] as const) {
      if (!Array.isArray(value)) continue;
      const kept = value.filter((e) => {
        const o = e as { id?: string; name?: string };
        return !(o?.id === id || (o?.id === undefined && o?.name === name));
      });
      if (kept.length !== value.length) await config.update('connections', kept, target);
    }
  }
}
