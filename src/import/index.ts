import * as path from 'path';
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { ConnectionsFeature } from '../connections';
import { slugify } from '../core/connections/settings';
import { ignorePrivateEnv, privateEnvIgnored, PRIVATE_ENV_IGNORE } from '../core/envFiles';
import {
  curlToRequest, exportPostman, importFile, ImportError, ImportResult, ImportSummary, renderRequestFile, writeImport,
} from '../core/import';
import { Disposable } from '../lifecycle';

type Services = Pick<ConnectionsFeature, 'connections' | 'activeContext' | 'log'>;

/**
 * "Sage 200: Import…" (palette, explorer title, files dropped on the explorer), "Paste cURL as
 * Request" and "Export to Postman": the VS Code side of src/core/import.
 */
export class ImportFeature extends Disposable {
  readonly commands: Record<string, (...args: unknown[]) => unknown>;

  constructor(private readonly services: Services) {
    super();
    this.commands = {
      // From the file explorer's context menu: the clicked file, and every selected one.
      [Commands.importRequests]: (uri, selected) => this.importFromUser(
        Array.isArray(selected) && selected.length ? selected.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : uri instanceof vscode.Uri ? [uri] : undefined,
      ),
      [Commands.pasteCurl]: () => this.pasteCurl(),
      [Commands.exportPostman]: (uri) => this.exportToPostman(uri instanceof vscode.Uri ? uri : undefined),
    };
  }

  private context(): { site?: string; company?: number } {
    const sel = this.services.activeContext.selection;
    return { ...(sel?.siteId ? { site: sel.siteId } : {}), ...(sel?.companyId !== undefined ? { company: sel.companyId } : {}) };
  }

  /** Files from the open dialog, the explorer's context, or a drop on the Sage 200 explorer. */
  async importFromUser(uris?: readonly vscode.Uri[]): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Importing writes files into the workspace: trust the workspace first.'));
      return;
    }
    const files = uris?.length ? [...uris] : await vscode.window.showOpenDialog({
      canSelectMany: true,
      openLabel: vscode.l10n.t('Import'),
      title: vscode.l10n.t('Import a Postman collection or environment, a .http file or a curl command'),
      filters: { [vscode.l10n.t('Requests')]: ['json', 'http', 'rest', 'txt', 'sh'], [vscode.l10n.t('All files')]: ['*'] },
    });
    if (!files?.length) return;
    const target = await this.targetFolder(files[0]);
    if (!target) return;
    for (const file of files) {
      if (file.scheme !== 'file') {
        void vscode.window.showErrorMessage(vscode.l10n.t('Only files on disk can be imported: {0}', file.toString()));
        continue;
      }
      await this.importOne(file.fsPath, target);
    }
  }

  private async targetFolder(source: vscode.Uri): Promise<string | undefined> {
    const root = vscode.workspace.getWorkspaceFolder(source)?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    if (root?.scheme === 'file') return root.fsPath;
    const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, openLabel: vscode.l10n.t('Import here') });
    return picked?.[0]?.fsPath;
  }

  private async importOne(file: string, target: string): Promise<void> {
    let result: ImportResult;
    try {
      result = importFile(file, this.context());
      if (result.kind === 'postman-collection' && result.files.length > 1) {
        const perFolder = vscode.l10n.t('One file per top-level folder ({0} files)', result.files.length);
        const sections = vscode.l10n.t('One file, a ### section per request');
        const layout = await vscode.window.showQuickPick([perFolder, sections], { title: vscode.l10n.t('Import {0}', path.basename(file)) });
        if (!layout) return;
        if (layout === sections) result = importFile(file, { ...this.context(), layout: 'sections' });
      }
      const written = writeImport(result, target);
      this.report(path.basename(file), result.summary);
      await this.afterImport(result, written.requestFiles, written.privateEnvFile, target);
    } catch (e) {
      const message = e instanceof ImportError ? e.message : vscode.l10n.t('Import of {0} failed: {1}', path.basename(file), (e as Error).message);
      this.services.log.warn(message);
      void vscode.window.showErrorMessage(message);
    }
  }

  private report(source: string, summary: ImportSummary): void {
    this.services.log.info(`Import of ${source}:\n${summary.format()}`);
  }

  private async afterImport(result: ImportResult, requestFiles: string[], privateEnvFile: string | undefined, target: string): Promise<void> {
    if (requestFiles.length) await vscode.window.showTextDocument(vscode.Uri.file(requestFiles[0]), { preview: false });
    const s = result.summary;
    const summary = vscode.l10n.t('Imported {0} file(s): {1} converted, {2} dropped, {3} kept as comments.', requestFiles.length + (result.environments ? 1 : 0), s.count('converted'), s.count('dropped'), s.count('comment'));
    const showSummary = vscode.l10n.t('Show Summary');
    void vscode.window.showInformationMessage(summary, showSummary).then((b) => {
      if (b === showSummary) this.services.log.channel.show(true);
    });
    if (privateEnvFile && !privateEnvIgnored(target)) {
      const add = vscode.l10n.t('Add to .gitignore');
      const answer = await vscode.window.showWarningMessage(vscode.l10n.t('{0} holds secrets and belongs in .gitignore ({1}).', path.basename(privateEnvFile), PRIVATE_ENV_IGNORE), add);
      if (answer === add) ignorePrivateEnv(target);
    }
    const c = result.connection;
    if (c && !this.services.connections.list().some((x) => x.clientId === c.clientId)) {
      const addConnection = vscode.l10n.t('Add Connection');
      const answer = await vscode.window.showInformationMessage(
        vscode.l10n.t('The collection signs in with OAuth 2.0 (client id {0}). Add it as a Sage 200 connection? Its client secret, if any, is not imported.', c.clientId),
        addConnection,
      );
      if (answer === addConnection) {
        await this.services.connections.save({ ...c, id: slugify(c.name) || 'imported', edition: c.baseUrl ? 'custom' : 'standard' });
      }
    }
  }

  /** The curl command on the clipboard, as a request at the cursor. */
  private async pasteCurl(): Promise<void> {
    const text = await vscode.env.clipboard.readText();
    const summary = new ImportSummary();
    let request;
    try {
      request = curlToRequest(text, this.context(), summary);
    } catch (e) {
      void vscode.window.showErrorMessage(e instanceof ImportError ? e.message : String(e));
      return;
    }
    const block = renderRequestFile({ name: '', comments: [], variables: [], requests: [request] });
    let editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'sage200') {
      editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'sage200', content: '' }));
    }
    const line = editor.selection.active.line;
    const at = new vscode.Position(line, 0);
    const before = line > 0 && editor.document.lineAt(line - 1).text.trim() ? '\n' : '';
    const after = line < editor.document.lineCount - 1 || editor.document.lineAt(line).text ? '\n' : '';
    await editor.edit((e) => e.insert(at, before + block + after));
    this.report('the clipboard (curl)', summary);
    if (summary.count('dropped') || summary.count('warning') || summary.count('comment')) {
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Sage 200: pasted the curl command; {0} part(s) dropped (see the Sage 200 log).', summary.count('dropped')), 5000);
    }
  }

  private async exportToPostman(uri?: vscode.Uri): Promise<void> {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'sage200') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a .sage200 request file to export it to Postman.'));
      return;
    }
    const name = path.basename(doc.fileName).replace(/\.sage200$/i, '') || 'requests';
    const sel = this.services.activeContext.selection;
    const connection = sel ? this.services.connections.get(sel.connectionId) : undefined;
    const { collection, summary } = exportPostman(doc.getText(), { name, ...(connection ? { connection } : {}), ...this.context() });
    const dir = doc.uri.scheme === 'file' ? path.dirname(doc.uri.fsPath) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const target = await vscode.window.showSaveDialog({
      ...(dir ? { defaultUri: vscode.Uri.file(path.join(dir, `${name}.postman_collection.json`)) } : {}),
      filters: { [vscode.l10n.t('Postman collection')]: ['json'] },
      title: vscode.l10n.t('Export to Postman'),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(JSON.stringify(collection, null, 2) + '\n'));
    this.report(`${name} (export)`, summary);
    void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} request(s) to {1}. Postman asks for a new access token on the collection\'s Authorization tab.', summary.count('converted') - (connection ? 1 : 0), path.basename(target.fsPath)));
  }
}
