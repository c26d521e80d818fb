/** The "Recent results" tree view: the window's last classifications; a click shows the result again. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandId } from '../../commands/commandIds';
import type { ModelLabContext } from '../../context';
import { percent as formatPercent } from '../../webview/textResult/protocol';
import { recentResults, type RecentResult } from '../recentResults';

export const RECENT_RESULTS_VIEW_ID = 'modelLab.recentResults';

class RecentResultsProvider implements vscode.TreeDataProvider<RecentResult> {
  constructor(private readonly ctx: ModelLabContext) {}

  get onDidChangeTreeData(): vscode.Event<void> {
    return recentResults(this.ctx).onDidChange;
  }

  getChildren(element?: RecentResult): RecentResult[] {
    return element ? [] : [...recentResults(this.ctx).list()];
  }

  getTreeItem(r: RecentResult): vscode.TreeItem {
    const item = new vscode.TreeItem(`${r.label} · ${formatPercent(r.probability)}`, vscode.TreeItemCollapsibleState.None);
    item.description = r.source;
    item.iconPath = new vscode.ThemeIcon(r.kind === 'image' ? 'file-media' : 'note');
    const time = new Date(r.at).toLocaleTimeString(vscode.env.language);
    item.tooltip = new vscode.MarkdownString(
      `**${r.label}** ${formatPercent(r.probability)}\n\n${r.uri?.scheme === 'file' ? path.normalize(r.uri.fsPath) : r.source}\n\n${time}`,
    );
    item.accessibilityInformation = { label: vscode.l10n.t('{0}, {1}, {2}. Show the result again.', r.label, formatPercent(r.probability), r.source) };
    item.command = { command: CommandId.reopenRecentResult, title: vscode.l10n.t('Show Result Again'), arguments: [r] };
    return item;
  }
}

export function registerRecentResultsView(ctx: ModelLabContext): vscode.Disposable[] {
  const view = vscode.window.createTreeView(RECENT_RESULTS_VIEW_ID, { treeDataProvider: new RecentResultsProvider(ctx) });
  return [
    view,
    vscode.commands.registerCommand(CommandId.reopenRecentResult, (r?: RecentResult) => r?.reopen()),
    vscode.commands.registerCommand(CommandId.clearRecentResults, () => recentResults(ctx).clear()),
  ];
}
