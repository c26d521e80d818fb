/**
 * The first place a classification's answer appears: one status bar item, set the moment the worker replies and
 * before the result panel is created (a webview takes VS Code a second or more to build; the status bar costs
 * nothing). The panel fills in after it.
 *
 * Why the status bar, not a notification or only an inline mark: it is on screen in every layout, takes no
 * focus and does not stack up like toasts (the text command already shows a progress toast), and it works the
 * same for an image (no text editor to decorate) as for text. The text command keeps its inline window marks
 * too. The item is a button: Enter or a click on it shows the full result again (the same action as the Recent
 * Results view), and its accessible name says where that result is.
 *
 * It never shows a label for something it did not classify: the next classification replaces it with a
 * "classifying …" state at once, a failure or a cancel hides it, and clearing the Recent Results hides it.
 */
import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { percent } from '../webview/shared/format';
import { CommandId } from '../commands/commandIds';
import { recentResults, type RecentResult } from './recentResults';

/** The status bar entry's id (VS Code prefixes it with the extension's id in the workbench). */
export const RESULT_STATUS_ITEM_ID = 'modelLab.firstResult';

/** What the item shows for one classification; the label and probability exactly as the panel shows them. */
export interface FirstResult {
  /** The Recent Results entry of the (first) result: its label, probability and source, and how to reopen it. */
  readonly recent: RecentResult;
  /** The result panel's tab title, i.e. where the full result is. */
  readonly panelTitle: string;
  /** How many more results the same run produced (a multi-cursor selection), shown as "+N". */
  readonly more?: number;
  /** A scope warning to flag (the panel shows it in full). */
  readonly warning?: string;
}

export class ResultStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private shown: RecentResult | undefined;
  private readonly subscription: vscode.Disposable;
  /** performance.now() of the last busy(): the log says how long the answer took (the bench reads it). */
  private startedAt: number | undefined;

  constructor(private readonly ctx: ModelLabContext) {
    this.item = vscode.window.createStatusBarItem(RESULT_STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50);
    this.item.name = vscode.l10n.t('Model Lab Classification Result');
    // "Clear Recent Results" removes what the item points to: it goes with them.
    this.subscription = recentResults(ctx).onDidChange(() => {
      if (this.shown && !recentResults(ctx).list().includes(this.shown)) this.clear();
    });
  }

  /** A classification of `what` has started: the previous label goes away now, since it is not this input's. */
  busy(what: string): void {
    this.shown = undefined;
    this.startedAt = performance.now();
    this.item.text = `$(loading~spin) ${vscode.l10n.t('Model Lab: classifying {0}…', what)}`;
    this.item.tooltip = undefined;
    this.item.command = undefined;
    this.item.accessibilityInformation = undefined;
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  /** Shows the answer. Call it as soon as the worker replied, before creating or revealing the panel. */
  show(result: FirstResult): void {
    const r = result.recent;
    this.shown = r;
    const answer = `${r.label} ${percent(r.probability)}`;
    const more = result.more ? ` ${vscode.l10n.t('(+{0} more)', result.more)}` : '';
    this.item.text = `${result.warning ? '$(warning)' : r.kind === 'image' ? '$(file-media)' : '$(note)'} ${vscode.l10n.t('Model Lab: {0}', answer)}${more}`;
    const where = vscode.l10n.t('Full result: the "{0}" tab. Press Enter or click here to show it.', result.panelTitle);
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown('**').appendText(answer).appendMarkdown('** — ').appendText(r.source);
    if (result.warning) tooltip.appendMarkdown('\n\n$(warning) ').appendText(result.warning);
    tooltip.appendMarkdown('\n\n').appendText(where);
    tooltip.supportThemeIcons = true;
    this.item.tooltip = tooltip;
    this.item.backgroundColor = result.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.command = { command: CommandId.reopenRecentResult, title: vscode.l10n.t('Show Result Again'), arguments: [r] };
    this.item.accessibilityInformation = { label: `${vscode.l10n.t('Model Lab: {0}', answer)}${more}, ${r.source}. ${result.warning ? `${result.warning} ` : ''}${where}`, role: 'button' };
    this.item.show();
    if (this.startedAt !== undefined) this.ctx.log.info(`Status bar: ${answer} (${r.source}) set ${(performance.now() - this.startedAt).toFixed(0)} ms after the classification started.`);
    this.startedAt = undefined;
  }

  /** Hides the item (a failed or cancelled classification, cleared results). */
  clear(): void {
    this.shown = undefined;
    this.startedAt = undefined;
    this.item.hide();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

const items = new WeakMap<ModelLabContext, ResultStatusItem>();

/** The window's one result item, created on the first classification (activation creates nothing). */
export function resultStatusItem(ctx: ModelLabContext): ResultStatusItem {
  let item = items.get(ctx);
  if (!item) {
    item = new ResultStatusItem(ctx);
    items.set(ctx, item);
    ctx.extensionContext.subscriptions.push(item);
  }
  return item;
}
