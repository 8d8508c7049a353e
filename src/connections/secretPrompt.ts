import * as vscode from 'vscode';
import type { ConnectionConfig } from '../core/connections/types';

export type SecretKind = 'clientSecret' | 'subscriptionKey';

export function secretLabel(kind: SecretKind): string {
  return kind === 'clientSecret' ? vscode.l10n.t('client secret') : vscode.l10n.t('optional legacy subscription key (Ocp-Apim-Subscription-Key; Sage ignores it since August 2025)');
}

/** Asks for a client secret or subscription key. '' means "remove it"; undefined means the user cancelled. */
export async function promptSecret(conn: ConnectionConfig, kind: SecretKind, forWhere: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Set the {0} of "{1}"', secretLabel(kind), conn.name),
    prompt: vscode.l10n.t('Used only with {0}. Kept in VS Code\'s secret storage, never in settings. Leave empty to remove it.', forWhere),
    password: true,
    ignoreFocusOut: true,
  });
  return value?.trim();
}
