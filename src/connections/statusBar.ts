import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { ActiveContext } from './activeContext';
import type { ConnectionManager } from './connectionManager';
import type { Sage200Api } from './sage200Api';

/** Shows the active connection, site and company; a click switches them (command sage200.switchContext). */
export class ConnectionStatusBar extends Disposable {
  private readonly item = this._register(vscode.window.createStatusBarItem('sage200.context', vscode.StatusBarAlignment.Left, 50));

  constructor(
    private readonly context: ActiveContext,
    private readonly connections: ConnectionManager,
    private readonly api: Sage200Api,
    switchCommand: string,
  ) {
    super();
    this.item.name = vscode.l10n.t('Sage 200 connection');
    this.item.command = switchCommand;
    this._register(context.onDidChange(() => void this.update()));
    this._register(connections.onDidChange(() => void this.update()));
    this._register(api.onDidChangeSessions(() => void this.update()));
    void this.update();
  }

  private async update(): Promise<void> {
    const sel = this.context.selection;
    const conn = sel && this.connections.get(sel.connectionId);
    if (!conn) {
      if (this.connections.list().length === 0 && !this.context.lostReason) {
        this.item.hide();
        return;
      }
      const lost = this.context.lostReason;
      this.item.text = lost
        ? `$(warning) ${vscode.l10n.t('{0}: choose a connection', lost)}`
        : `$(database) ${vscode.l10n.t('Sage 200: choose a connection')}`;
      this.item.tooltip = lost
        ? vscode.l10n.t('Sage 200: {0}. Nothing is sent until you choose a connection.', lost)
        : vscode.l10n.t('Choose the Sage 200 connection, site and company');
      this.item.accessibilityInformation = { label: this.item.tooltip, role: 'button' };
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const signedIn = await this.api.isSignedIn(conn.id);
    const parts = [conn.name, sel.siteName ?? sel.siteId, sel.companyName ?? (sel.companyId !== undefined ? String(sel.companyId) : undefined)].filter(Boolean);
    // Production is said in words as well as by colour, for themes and readers that show no colour.
    const production = conn.production ? vscode.l10n.t('PRODUCTION') : undefined;
    this.item.text = `${signedIn ? '$(database)' : '$(sign-in)'} ${parts.join(' › ')}${production ? ` $(warning) ${production}` : ''}`;
    const state = signedIn
      ? vscode.l10n.t('Sage 200: {0}. Click to switch site, company or connection.', parts.join(', '))
      : vscode.l10n.t('Sage 200: not signed in to {0}. Click to sign in or switch.', conn.name);
    this.item.tooltip = production ? `${state} ${vscode.l10n.t('This is a production connection: writes change live data.')}` : state;
    this.item.accessibilityInformation = {
      label: production ? `${vscode.l10n.t('Production connection.')} ${state}` : state,
      role: 'button',
    };
    this.item.backgroundColor = conn.production ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}
