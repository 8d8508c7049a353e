import * as vscode from 'vscode';

export const EXTENSION_ID = 'sage200-explorer.sage200-explorer';

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext;
}

interface Contributes {
  commands?: { command: string; title: string }[];
  views?: Record<string, { id: string; name: string }[]>;
  authentication?: { id: string; label: string }[];
}

export function contributes(): Contributes {
  return (extension().packageJSON as { contributes?: Contributes }).contributes ?? {};
}

/** A .sage200 document that is opened (so language features run) but never shown in an editor. */
export async function sage200Doc(content: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ language: 'sage200', content });
  return doc;
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function endOf(doc: vscode.TextDocument, line: number): vscode.Position {
  return doc.lineAt(line).range.end;
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}
