import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import type { History, HistoryEntry } from '../core/history';
import { formatBytes, formatMs } from '../core/viewer/format';
import { displayPath } from '../core/connections/types';

export const HISTORY_VIEW_ID = 'sage200.history';
export const HISTORY_ITEM_CONTEXT = 'sage200.historyEntry';

const t = vscode.l10n.t;

/** The "History" tree in the Sage 200 view: newest request first; click to reopen. */
export class HistoryTreeProvider extends Disposable implements vscode.TreeDataProvider<HistoryEntry> {
  private readonly changed = this._register(new vscode.EventEmitter<HistoryEntry | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly history: History,
    private readonly openCommand: string,
  ) {
    super();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(element?: HistoryEntry): HistoryEntry[] {
    return element ? [] : [...this.history.list()];
  }

  getTreeItem(e: HistoryEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(`${e.request.method} ${displayPath(e.request.url)}`, vscode.TreeItemCollapsibleState.None);
    item.id = e.id;
    item.description = `${e.response.status}${e.test ? ` · ${e.test === 'passed' ? t('test passed') : t('test failed')}` : ''} · ${timeAgo(e.time)}`;
    const tip = new vscode.MarkdownString(undefined, false);
    // Plain text only: URLs and statuses come from the network.
    tip.appendText(`${e.request.method} ${e.request.url}\n`);
    tip.appendText(`${e.response.status} ${e.response.statusText} · ${formatMs(e.response.totalMs)} · ${formatBytes(e.response.size)}${e.response.truncated ? ` (${t('body cut to 1 MB')})` : ''}\n`);
    if (e.site || e.company) tip.appendText(`${e.site ?? ''} › ${e.company ?? ''}\n`);
    tip.appendText(new Date(e.time).toLocaleString());
    item.tooltip = tip;
    const bad = e.test ? e.test === 'failed' : e.response.status >= 400;
    item.iconPath = new vscode.ThemeIcon(bad ? 'error' : 'pass', new vscode.ThemeColor(bad ? (e.test ? 'testing.iconFailed' : 'errorForeground') : 'testing.iconPassed'));
    item.contextValue = HISTORY_ITEM_CONTEXT;
    item.command = { command: this.openCommand, title: t('Open Response'), arguments: [e] };
    return item;
  }
}


function timeAgo(time: number): string {
  const s = Math.max(0, Math.round((Date.now() - time) / 1000));
  if (s < 60) return t('just now');
  if (s < 3600) return t('{0} min ago', Math.round(s / 60));
  if (s < 86400) return t('{0} h ago', Math.round(s / 3600));
  return new Date(time).toLocaleDateString();
}
