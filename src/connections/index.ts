import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { SecretRegistry } from '../core/http/redact';
import { Sage200AuthenticationProvider } from '../auth/authProvider';
import { Sage200Sessions } from '../auth/sessions';
import { ActiveContext } from './activeContext';
import { connectionCommands, ConnectionCommands } from './commands';
import { ConnectionManager, SandboxSource } from './connectionManager';
import { RedactingLog } from './log';
import { Sage200Api } from './sage200Api';
import { ConnectionStatusBar } from './statusBar';

export { ActiveContext, ConnectionManager, Sage200Api, RedactingLog, SecretRegistry };

/**
 * Connections, sign-in and the API entry point, built once. Other features take `api`,
 * `activeContext`, `connections` and `log` from here; `commands` goes into extension.ts's command map.
 */
export class ConnectionsFeature extends Disposable {
  /** Every secret this window has handled; feed it to redactText() before showing or storing text. */
  readonly secretRegistry = new SecretRegistry();
  readonly log: RedactingLog;
  readonly connections: ConnectionManager;
  readonly activeContext: ActiveContext;
  readonly sessions: Sage200Sessions;
  readonly api: Sage200Api;
  readonly commands: Record<string, (arg: unknown) => Promise<unknown>>;

  constructor(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel, sandbox: SandboxSource) {
    super();
    this.log = new RedactingLog(channel, this.secretRegistry);
    this.connections = this._register(new ConnectionManager(this.log, sandbox));
    this.activeContext = this._register(new ActiveContext(context.workspaceState, this.connections));
    this.sessions = this._register(new Sage200Sessions(context.secrets, this.connections, this.log, this.secretRegistry));
    this._register(new Sage200AuthenticationProvider(this.sessions, this.connections));
    this.api = this._register(new Sage200Api(this.connections, this.activeContext, this.sessions, this.log, this.secretRegistry));
    this._register(new ConnectionStatusBar(this.activeContext, this.connections, this.api, ConnectionCommands.switchContext));
    this.commands = connectionCommands({ connections: this.connections, context: this.activeContext, api: this.api, secrets: context.secrets, log: this.log });
  }
}
