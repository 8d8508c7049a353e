/**
 * The viewer's file actions: Save body, Export CSV and "Set $select in the request file". The
 * writing itself belongs to src/core/export (temporary file, then rename) and the edit to
 * src/core/viewer/select.ts; this module asks the user where and says what happened.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { writeCsvFile, writeFileAtomically } from '../core/export';
import { inferColumns } from '../core/viewer/columns';
import { recordArray, responseFileName } from '../core/viewer/response';
import { selectChange, SelectError, TextChange } from '../core/viewer/select';
import type { Display } from './panel';

const t = vscode.l10n.t;

export async function saveBody(d: Display): Promise<void> {
  const isJson = /json/i.test(d.response.headers['content-type'] ?? '') || d.records !== undefined;
  const uri = await vscode.window.showSaveDialog({
    defaultUri: defaultFile(d, isJson ? 'json' : 'txt'),
    filters: isJson ? { JSON: ['json'] } : { Text: ['txt'] },
    saveLabel: t('Save body'),
  });
  if (!uri) return;
  await writeFileAtomically(uri.fsPath, [d.response.body]);
  void vscode.window.showInformationMessage(t('Saved the body to {0}.', uri.fsPath));
}

export async function exportCsv(d: Display, columns: readonly string[]): Promise<void> {
  const records = recordArray(d.response);
  if (!records) throw new Error(t('Only an array of records can be exported as CSV.'));
  const cols = columns.length ? [...columns] : inferColumns(records, Infinity).map((c) => c.key);
  const uri = await vscode.window.showSaveDialog({ defaultUri: defaultFile(d, 'csv'), filters: { CSV: ['csv'] }, saveLabel: t('Export CSV') });
  if (!uri) return;
  await writeCsvFile(uri.fsPath, records, cols);
  void vscode.window.showInformationMessage(t('Exported {0} records to {1}.', records.length, uri.fsPath));
}

export async function rewriteSelect(d: Display, fields: readonly string[]): Promise<void> {
  if (!d.source) throw new Error(t('This response did not come from a request file.'));
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(d.source.uri));
  const { method, url } = d.response.request;
  let change: TextChange | undefined;
  try {
    change = selectChange(doc.getText(), { line: d.source.line, requestIndex: d.source.requestIndex, method, url }, fields);
  } catch (e) {
    if (e instanceof SelectError && e.reason === 'no-request') throw new Error(t('The request was not found in {0}; was it edited?', path.basename(doc.uri.fsPath)));
    throw e;
  }
  if (change) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(change.start), doc.positionAt(change.end)), change.newText);
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(t('The request file could not be edited.'));
  }
  void vscode.window.showInformationMessage(t('Set $select to {0} fields in {1}.', fields.length, path.basename(doc.uri.fsPath)));
}

function defaultFile(d: Display, ext: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, responseFileName(d.response.request.url, ext)) : undefined;
}
