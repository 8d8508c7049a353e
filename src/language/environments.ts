import * as path from 'path';
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { mergeEnvironments, readEnvFiles } from '../core/envFiles';
import { Environments } from '../core/requestFile';
import { Disposable } from '../lifecycle';

const ACTIVE_KEY = 'sage200.activeEnvironment';

/**
 * The environments of request variables: the `sage200.environments` setting, then
 * `http-client.env.json` and `http-client.private.env.json` at the workspace root and beside the
 * active request file (the nearer file wins). Shows the active environment in the status bar.
 */
export class EnvironmentSource extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private cache?: Environments;
  private folder?: string;
  private readonly item = this._register(vscode.window.createStatusBarItem('sage200.environment', vscode.StatusBarAlignment.Left, 49));

  /** `onSecrets` receives the values of private environment files, to be masked wherever they show. */
  constructor(private readonly state: vscode.Memento, private readonly onSecrets: (values: readonly string[]) => void) {
    super();
    this.item.name = vscode.l10n.t('Sage 200 environment');
    this.item.command = Commands.selectEnvironment;
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/http-client{,.private}.env.json'));
    for (const on of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete]) this._register(on(() => this.invalidate()));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('sage200.environments')) this.invalidate();
    }));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate()));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.followEditor()));
    this.followEditor();
  }

  environments(): Environments {
    if (!this.cache) {
      const setting = vscode.workspace.getConfiguration('sage200').get<Environments>('environments') ?? {};
      this.cache = setting;
      // Like the setting, the files of an untrusted workspace are not read.
      if (vscode.workspace.isTrusted) {
        const dirs = [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), ...(this.folder ? [this.folder] : [])];
        try {
          const files = readEnvFiles(dirs);
          this.onSecrets(files.secrets);
          this.cache = mergeEnvironments(setting, files.environments);
        } catch (e) {
          void vscode.window.showWarningMessage(vscode.l10n.t('Sage 200: {0}', (e as Error).message));
        }
      }
    }
    return this.cache;
  }

  active(): string | undefined {
    const name = this.state.get<string>(ACTIVE_KEY);
    return name && this.environments()[name] ? name : undefined;
  }

  async pick(): Promise<boolean> {
    const names = Object.keys(this.environments()).filter((n) => n !== '$shared');
    const none = vscode.l10n.t('No environment');
    if (!names.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Define environments in the sage200.environments setting or in an http-client.env.json file first.'));
      return false;
    }
    const pick = await vscode.window.showQuickPick([none, ...names], { placeHolder: vscode.l10n.t('Environment for request variables') });
    if (pick === undefined) return false;
    await this.state.update(ACTIVE_KEY, pick === none ? undefined : pick);
    this.invalidate();
    return true;
  }

  /** The folder of the active request file takes part in the lookup. */
  private followEditor(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const folder = doc?.uri.scheme === 'file' && doc.languageId === 'sage200' ? path.dirname(doc.uri.fsPath) : this.folder;
    if (folder !== this.folder) {
      this.folder = folder;
      this.invalidate();
    } else {
      this.update();
    }
  }

  private invalidate(): void {
    this.cache = undefined;
    this.update();
    this.changed.fire();
  }

  private update(): void {
    const names = Object.keys(this.environments()).filter((n) => n !== '$shared');
    const requestFile = vscode.window.activeTextEditor?.document.languageId === 'sage200';
    if (!names.length || !requestFile) {
      this.item.hide();
      return;
    }
    const active = this.active();
    this.item.text = `$(symbol-variable) ${active ?? vscode.l10n.t('No environment')}`;
    this.item.tooltip = vscode.l10n.t('Environment for request variables. Click to choose another.');
    this.item.show();
  }
}
