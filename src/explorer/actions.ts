import * as path from 'path';
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { CatalogSource } from '../core/catalog';
import type { ActiveSelection, ConnectionConfig, SiteCompany } from '../core/connections/types';
import {
  EntityNode, ExplorerModel, RecordListNode, RecordNode, Scope, appendRequest, compareFields, completeRecordFilter, countUrl, describeFailure,
  firstPageUrl, describeResponse, fieldsMarkdown, filterProblem, parseCount, parseMetadata, recordRequestText, requestText, writableBody,
} from '../core/explorer';
import {
  EXPORT_FORMATS, EXPORT_PAGE_SIZE, ExportCancelledError, ExportError, ExportFormat, formatOfPath, runExport,
} from '../core/export';
import { HttpResponse } from '../core/http/types';
import { redactText } from '../core/http/redact';
import type { ApiSender } from '../connections/apiSender';
import { fetchAll, HttpStatusError, Sage200Client } from '../core/http';
import { showError } from '../notify';

/** What the entity actions need from the connections feature (Sage200Api and ActiveContext fit it). */
export interface ExplorerApi extends ApiSender {
  /** A client ready to call the connection's API (trusted workspace, signed in for its current origin). */
  client(conn: ConnectionConfig): Promise<Sage200Client>;
}

/** The response viewer (src/viewer): shows a response in its panel. */
export interface ResponseShower {
  show(args: { response: HttpResponse; site?: string; company?: string; title?: string; connectionId?: string }): unknown;
}

export interface ActionDeps {
  readonly catalog: CatalogSource;
  /** Where requests in files are sent (ActiveContext). */
  readonly activeContext: {
    readonly selection: ActiveSelection | undefined;
    select(connectionId: string, site?: Pick<SiteCompany, 'site_id' | 'site_name'>, company?: Pick<SiteCompany, 'company_id' | 'company_name'>): Promise<void>;
  };
  readonly api: ExplorerApi;
  readonly model: ExplorerModel;
  readonly connection: (id: string) => ConnectionConfig | undefined;
  readonly viewer: ResponseShower;
  readonly log: { info(m: string): void; warn(m: string): void; error(m: string | Error): void };
  readonly fields: FieldsDocuments;
}

const t = vscode.l10n.t;

/** The site and company of the node's branch win over the active ones: the request goes where the node is. */
function scopeHeaders(node: { readonly scope: Scope }): Record<string, string> {
  return { 'X-Site': node.scope.siteId, 'X-Company': String(node.scope.companyId) };
}

/**
 * Turns any failure into one clear message; cancellations (the user said no) stay quiet. A 401
 * that survived the client's silent refresh offers to sign in again, on the right connection.
 */
export function reportFailure(deps: Pick<ActionDeps, 'log'>, what: string, err: unknown, connectionId?: string): void {
  if (err instanceof vscode.CancellationError || (err as Error)?.name === 'Canceled') return;
  if (err instanceof ExportCancelledError) {
    void vscode.window.showInformationMessage(t('Export cancelled; no file was written.'));
    return;
  }
  const failure = err instanceof ExportError ? undefined : describeFailure(err);
  const message = failure?.message ?? (err as Error).message;
  deps.log.warn(`${what}: ${message}`);
  if (failure?.kind === 'unauthorized' && connectionId) {
    const signIn = t('Sign In');
    void vscode.window.showErrorMessage(t('{0} failed: {1}', what, message), signIn).then((choice) => {
      if (choice === signIn) void vscode.commands.executeCommand(Commands.signIn, connectionId);
    });
    return;
  }
  showError(t('{0} failed: {1}', what, message), 'showLog');
}

async function sendGet(deps: ActionDeps, node: { readonly scope: Scope }, url: string, token?: vscode.CancellationToken): Promise<HttpResponse> {
  return deps.api.send({ method: 'GET', url, headers: scopeHeaders(node) }, { connectionId: node.scope.connectionId, token });
}

/** Open request: appends a ready-to-send request to the workspace's .sage200 file (or a new one). */
export async function openRequest(deps: ActionDeps, node: EntityNode): Promise<vscode.TextDocument> {
  const text = requestText(deps.catalog(), {
    path: node.path, module: node.module, ...(node.schema ? { schema: node.schema } : {}), companyName: node.scope.companyName,
  });
  return appendToRequestFile(text);
}

/** Appends a request to the active or the workspace's .sage200 file (or a new one) and shows it, cursor at the end. */
async function appendToRequestFile(text: string): Promise<vscode.TextDocument> {
  const doc = await targetRequestDocument();
  const existing = doc.getText();
  const next = appendRequest(existing, text);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(existing.length)), next);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(t('Could not edit {0}.', doc.uri.fsPath || doc.uri.toString()));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const end = doc.lineAt(Math.max(0, doc.lineCount - 1)).range.end;
  editor.selection = new vscode.Selection(end, end);
  editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return doc;
}

/**
 * The active .sage200 editor, else a visible one (the response viewer takes focus from the editor
 * beside it), else the workspace's .sage200 file, else a new untitled one.
 */
async function targetRequestDocument(): Promise<vscode.TextDocument> {
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'sage200') return active;
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'sage200')?.document;
  if (visible) return visible;
  const files = await vscode.workspace.findFiles('**/*.sage200', '**/{node_modules,.git}/**', 50);
  if (files.length) {
    // Prefer the shallowest file, then by name: the one at the workspace root is "the" request file.
    files.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
    return vscode.workspace.openTextDocument(files[0]);
  }
  return vscode.workspace.openTextDocument({ language: 'sage200', content: '' });
}

/** Fetch first page: sends the request and shows the answer in the response viewer. */
export async function fetchFirstPage(deps: ActionDeps, node: EntityNode): Promise<HttpResponse> {
  const response = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Fetching {0}…', node.name), cancellable: true },
    (_p, token) => sendGet(deps, node, firstPageUrl(node.path), token),
  );
  const failure = describeResponse(response);
  if (failure) void vscode.window.showErrorMessage(t('{0}: {1}', node.name, failure.message));
  await deps.viewer.show({ response, site: node.scope.siteName, company: node.scope.companyName, title: node.name, connectionId: node.scope.connectionId });
  return response;
}

/** Count: `$count=true`, the number goes into the node's description. */
export async function countEntity(deps: ActionDeps, node: EntityNode): Promise<number | undefined> {
  const response = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: t('Counting {0}…', node.name) },
    () => sendGet(deps, node, countUrl(node.path)),
  );
  if (describeResponse(response)) throw new HttpStatusError(response);
  const count = parseCount(response.json, Buffer.from(response.body).toString('utf8'));
  if (count === undefined) {
    void vscode.window.showWarningMessage(t('The API did not answer {0} with a number.', countUrl(node.path)));
    return undefined;
  }
  deps.model.setCount(node, count);
  return count;
}

/** Virtual markdown documents for "Show fields", so that closing them never asks to save. */
export class FieldsDocuments implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'sage200-fields';
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  set(uri: vscode.Uri, text: string): void {
    this.docs.set(uri.toString(), text);
    this.emitter.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** Show fields: the catalog's fields beside the live `$metadata=true` answer, differences marked. */
export async function showFields(deps: ActionDeps, node: EntityNode): Promise<string> {
  let live: ReturnType<typeof parseMetadata>;
  let note: string;
  const conn = deps.connection(node.scope.connectionId);
  try {
    const response = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: t('Reading $metadata of {0}…', node.name) },
      () => sendGet(deps, node, `${node.path}?$metadata=true`),
    );
    const failure = describeResponse(response);
    live = failure ? undefined : parseMetadata(response.json);
    note = failure
      ? t('The live $metadata could not be read: {0} Only the catalog is shown.', failure.message)
      : live
        ? t('Live $metadata from {0}, {1} / {2}.', conn?.name ?? node.scope.connectionId, node.scope.siteName, node.scope.companyName)
        : t('The live $metadata answer had no field list; only the catalog is shown.');
  } catch (err) {
    live = undefined;
    note = t('The live $metadata could not be read: {0} Only the catalog is shown.', describeFailure(err).message);
  }
  const rows = compareFields(deps.catalog(), node.schema, live);
  const markdown = fieldsMarkdown(`${node.name} (${node.schema ?? '?'})`, rows, redactText(note));
  const uri = vscode.Uri.from({
    scheme: FieldsDocuments.scheme,
    path: `/${node.name}.md`,
    query: `${node.scope.connectionId}/${node.scope.siteId}/${node.scope.companyId}`,
  });
  deps.fields.set(uri, markdown);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // No markdown preview (a minimal host): the table is still readable as text.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
  }
  return markdown;
}

/**
 * Export all: asks for the format and the file, then streams every page to a temp file beside it
 * under a cancellable progress notification; the file appears only when complete.
 */
export async function exportAll(deps: ActionDeps, node: EntityNode, given?: { target: string; format?: ExportFormat }): Promise<string | undefined> {
  const conn = deps.connection(node.scope.connectionId);
  if (!conn) throw new Error(t('The connection of this entity no longer exists.'));
  let target = given?.target;
  let format = given?.format ?? (target ? formatOfPath(target) : undefined);
  if (!target) {
    const pick = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((f) => ({ label: f.label, description: `.${f.extension}`, f })),
      { placeHolder: t('Export all {0} as…', node.name) },
    );
    if (!pick) return undefined;
    format = pick.f.format;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const fileName = `${node.name}-${node.scope.companyName.replace(/[^\w.-]+/g, '_')}.${pick.f.extension}`;
    const uri = await vscode.window.showSaveDialog({
      title: t('Export all {0}', node.name),
      saveLabel: t('Export'),
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}),
      filters: { [pick.f.label]: [pick.f.extension] },
    });
    if (!uri) return undefined;
    if (uri.scheme !== 'file') throw new Error(t('Exports are written to local files only.'));
    target = uri.fsPath;
    if (!path.extname(target)) target += `.${pick.f.extension}`;
  }
  format ??= 'csv';
  const client = await deps.api.client(conn);
  const started = Date.now();
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Exporting {0}', node.name), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      let done = 0;
      try {
        return await runExport({
          target: target!,
          format: format!,
          signal: controller.signal,
          pages: (onPage, signal) => fetchAll(client, node.path, {
            onPage, signal, pageSize: EXPORT_PAGE_SIZE,
            site: node.scope.siteId, company: node.scope.companyId,
            onWarning: (m) => deps.log.info(m),
          }),
          onProgress: ({ records, pages }) => {
            // With a Count already taken, the bar can show how far along the export is.
            const total = node.count;
            const increment = total ? Math.max(0, Math.min(100, (records / total) * 100) - done) : undefined;
            if (increment !== undefined) done += increment;
            const pagesText = pages === 1 ? t('1 page') : t('{0} pages', pages);
            progress.report({
              message: total
                ? t('{0} of {1} records, {2}', records.toLocaleString(), total.toLocaleString(), pagesText)
                : records === 1 ? t('1 record, {0}', pagesText) : t('{0} records, {1}', records.toLocaleString(), pagesText),
              ...(increment !== undefined ? { increment } : {}),
            });
          },
        });
      } finally {
        sub.dispose();
      }
    },
  );
  deps.log.info(`Exported ${summary.records} ${node.name} to ${summary.file} (${summary.bytes} bytes, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const reveal = t('Reveal in File Explorer');
  const open = t('Open');
  const exported = summary.records === 1
    ? t('Exported 1 record of {0} to {1}.', node.name, path.basename(summary.file))
    : t('Exported {0} records of {1} to {2}.', summary.records.toLocaleString(), node.name, path.basename(summary.file));
  void vscode.window.showInformationMessage(exported, open, reveal)
    .then((choice) => {
      if (choice === open) void vscode.window.showTextDocument(vscode.Uri.file(summary.file));
      if (choice === reveal) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(summary.file));
    });
  return summary.file;
}

/** `customers ABC001 Acme Ltd`: what a record is called in titles and confirmations. */
function recordTitle(node: RecordNode): string {
  return node.label === node.entity ? `${node.entity} ${node.recordId ?? ''}`.trim() : `${node.entity} ${node.label}`;
}

/** The answer for one record: its item path, or the list filtered to its id when Sage has no item path. */
function recordUrl(node: RecordNode): string | undefined {
  if (node.itemPath) return node.itemPath;
  return node.recordId !== undefined ? `${node.listPath}?$filter=${encodeURIComponent(`id eq ${node.recordId}`)}` : undefined;
}

/** Click on a record: reads it whole and shows it in the response viewer. */
export async function openRecord(deps: ActionDeps, node: RecordNode): Promise<HttpResponse | undefined> {
  const url = recordUrl(node);
  if (!url) {
    void vscode.window.showInformationMessage(t('This row has no id: it cannot be read on its own.'));
    return undefined;
  }
  const response = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: t('Reading {0}…', recordTitle(node)) },
    (_p, token) => sendGet(deps, node, url, token),
  );
  const failure = describeResponse(response);
  if (failure) void vscode.window.showErrorMessage(t('{0}: {1}', recordTitle(node), failure.message));
  await deps.viewer.show({ response, site: node.scope.siteName, company: node.scope.companyName, title: recordTitle(node), connectionId: node.scope.connectionId });
  return response;
}

export async function copyRecordId(node: RecordNode): Promise<string | undefined> {
  if (node.recordId === undefined) return undefined;
  await vscode.env.clipboard.writeText(node.recordId);
  vscode.window.setStatusBarMessage(t('Copied id {0}', node.recordId), 3000);
  return node.recordId;
}

/**
 * Requests in files are sent to the active connection, and a record's request names its site and
 * company by id. Sent to another connection, it would read or change whatever has those ids there
 * (a test copy of a live system has the same ones). So a request is added for a record of another
 * connection only once the user makes that connection, site and company active. Without an active
 * connection Send asks which one anyway.
 */
export async function activateRecordConnection(deps: Pick<ActionDeps, 'activeContext' | 'connection'>, scope: Scope): Promise<boolean> {
  const active = deps.activeContext.selection;
  if (!active || active.connectionId === scope.connectionId) return true;
  const name = (id: string): string => deps.connection(id)?.name ?? id;
  const make = t('Make "{0}" Active', name(scope.connectionId));
  const answer = await vscode.window.showWarningMessage(
    t('Requests in files are sent to the active connection, "{0}". This record is on "{1}", company {2}.', name(active.connectionId), name(scope.connectionId), scope.companyName),
    { modal: true, detail: t('Make "{0}" active to add the request? Nothing is added otherwise.', name(scope.connectionId)) },
    make,
  );
  if (answer !== make) return false;
  await deps.activeContext.select(
    scope.connectionId,
    { site_id: scope.siteId, site_name: scope.siteName },
    { company_id: scope.companyId, company_name: scope.companyName },
  );
  return true;
}

/** Open as request: appends `GET /customers/{id}` (with the record's site and company) to the request file. */
export async function openRecordRequest(deps: ActionDeps, node: RecordNode): Promise<vscode.TextDocument | undefined> {
  if (!node.itemPath) throw new Error(t('Sage 200 has no path that reads one {0} record.', node.entity));
  if (!(await activateRecordConnection(deps, node.scope))) return undefined;
  return appendToRequestFile(recordRequestText({
    method: 'GET', path: node.itemPath, title: recordTitle(node),
    siteId: node.scope.siteId, companyId: node.scope.companyId, companyName: node.scope.companyName,
  }));
}

/**
 * Edit as request: reads the record as it is now and appends a PUT whose body is its writable
 * fields (read-only ones, child lists and fields the edition lacks are left out).
 */
export async function editRecordRequest(deps: ActionDeps, node: RecordNode): Promise<vscode.TextDocument | undefined> {
  if (!node.itemPath || !node.verbs.includes('PUT') || !node.schema) throw new Error(t('Sage 200 does not allow changing {0} records.', node.entity));
  if (!(await activateRecordConnection(deps, node.scope))) return undefined;
  const response = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: t('Reading {0}…', recordTitle(node)) },
    (_p, token) => sendGet(deps, node, node.itemPath!, token),
  );
  if (describeResponse(response)) throw new HttpStatusError(response);
  const rec = response.json;
  if (!rec || typeof rec !== 'object' || Array.isArray(rec)) throw new Error(t('The API did not answer {0} with one record.', node.itemPath));
  return appendToRequestFile(recordRequestText({
    method: 'PUT', path: node.itemPath, title: t('Edit {0}', recordTitle(node)),
    siteId: node.scope.siteId, companyId: node.scope.companyId, companyName: node.scope.companyName,
    body: writableBody(deps.catalog(), node.schema, rec as Record<string, unknown>, node.scope.edition),
  }));
}

/**
 * Delete…: a modal that names the record and its company; the API gate then applies the
 * production guard (a second confirmation on production connections) before anything is sent.
 */
export async function deleteRecord(deps: ActionDeps, node: RecordNode, confirmed = false): Promise<boolean> {
  if (!node.itemPath || !node.verbs.includes('DELETE')) throw new Error(t('Sage 200 does not allow deleting {0} records.', node.entity));
  const conn = deps.connection(node.scope.connectionId);
  if (!confirmed) {
    const del = t('Delete');
    const answer = await vscode.window.showWarningMessage(
      t('Delete {0} (id {1}) from {2} on "{3}"? This cannot be undone.', recordTitle(node), node.recordId ?? '?', node.scope.companyName, conn?.name ?? node.scope.connectionId),
      { modal: true },
      del,
    );
    if (answer !== del) return false;
  }
  const response = await deps.api.send({ method: 'DELETE', url: node.itemPath, headers: scopeHeaders(node) }, { connectionId: node.scope.connectionId });
  if (describeResponse(response)) throw new HttpStatusError(response);
  // The list shows the deletion without more: every answered write re-reads the lists it changed (Sage200Api.onDidAnswer).
  void vscode.window.showInformationMessage(t('Deleted {0}.', recordTitle(node)));
  return true;
}

/**
 * Filter records…: an input whose text is the `$filter`, checked and completed by the one OData
 * parser as in request files. The parser's first error is the input's validation message (and
 * blocks Enter); what can come next is listed in the prompt. A quick pick could offer the
 * completions as items, but it has no validation message and re-sorts its items as one types, so
 * Enter would pick a completion instead of the filter.
 */
export function filterRecords(deps: ActionDeps, node: RecordListNode, given?: string): Promise<string | undefined> {
  const schema = node.schema;
  const target = schema ? { catalog: deps.catalog(), schema, edition: node.scope.edition } : undefined;
  if (given !== undefined) {
    const problem = target ? filterProblem(target, given) : undefined;
    if (problem) throw new Error(problem);
    deps.model.setRecordFilter(node, given);
    return Promise.resolve(given.trim());
  }
  const box = vscode.window.createInputBox();
  box.title = t('Filter {0} ($filter)', node.name);
  box.placeholder = t("For example: contains(name,'Ltd') or balance gt 1000; empty shows all");
  box.value = node.recordFilter ?? '';
  const update = (): void => {
    if (!target) return;
    const problem = filterProblem(target, box.value);
    box.validationMessage = problem ? { message: problem, severity: vscode.InputBoxValidationSeverity.Error } : undefined;
    const next = completeRecordFilter(target, box.value, 12).map((c) => c.label);
    box.prompt = next.length ? t('Next: {0}', next.join(' · ')) : t('Enter shows the matching records.');
  };
  update();
  return new Promise((resolve) => {
    let result: string | undefined;
    box.onDidChangeValue(update);
    box.onDidAccept(() => {
      if (target && filterProblem(target, box.value)) return;
      result = box.value.trim();
      deps.model.setRecordFilter(node, result);
      box.hide();
    });
    box.onDidHide(() => {
      box.dispose();
      resolve(result);
    });
    box.show();
  });
}
