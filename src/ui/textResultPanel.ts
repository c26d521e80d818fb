import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { reportError } from './errorMessages';
import type { TextClassificationResult } from '../text/textClassifier';
import { parseFromTextResultWebview, parseSavedSources, type TextResultEntry, type TextResultStrings, type ToTextResultWebview } from '../webview/textResult/protocol';
import { webviewHtml, webviewResourceRoots } from './webviewHtml';

export const TEXT_RESULT_VIEW_TYPE = 'modelLab.textResult';

/** Where a classified text came from, so a window can be revealed in its editor. */
export interface TextResultSource {
  readonly documentUri: string | undefined;
  /** Document offset of the classified text's first character. */
  readonly baseOffset: number;
  readonly documentVersion: number | undefined;
}

/** One classified text: the full result (for "Copy Result as JSON") and what the panel shows. */
export interface TextPanelItem {
  readonly entry: TextResultEntry;
  readonly source: TextResultSource;
  readonly result: TextClassificationResult;
}

/** What the webview saves (the last show message, with the sources added) so a reload restores the panel. */
type SavedState = Extract<ToTextResultWebview, { type: 'show' }> & { readonly sources?: readonly TextResultSource[] };

export function textResultStrings(): TextResultStrings {
  return {
    title: vscode.l10n.t('Text Classification'),
    copyJson: vscode.l10n.t('Copy Result as JSON'),
    copied: vscode.l10n.t('Result copied to the clipboard as JSON.'),
    probabilities: vscode.l10n.t('Probabilities'),
    decisiveWindows: vscode.l10n.t('Most decisive windows'),
    allWindows: vscode.l10n.t('All windows'),
    windowsOmitted: vscode.l10n.t('Showing {0} of {1} windows (the first ones and every decisive one).'),
    window: vscode.l10n.t('Window'),
    range: vscode.l10n.t('Range'),
    label: vscode.l10n.t('Label'),
    probability: vscode.l10n.t('Probability'),
    reveal: vscode.l10n.t('Show in editor'),
    latency: vscode.l10n.t('Latency'),
    tokenize: vscode.l10n.t('tokenize'),
    inference: vscode.l10n.t('inference'),
    total: vscode.l10n.t('total'),
    modelLoad: vscode.l10n.t('model load'),
    model: vscode.l10n.t('Model'),
    windowsSummary: vscode.l10n.t('Tokens: {0}; windows: {1} of up to {2} tokens, overlap {3}.'),
    aggregation: vscode.l10n.t("The label is the mean of the windows' probabilities."),
    truncated: vscode.l10n.t('Only the first {0} KB were classified.'),
    maxForLabel: vscode.l10n.t('Highest {0}: {1} in'),
    announce: vscode.l10n.t('Classified as {0} with {1}.'),
    stale: vscode.l10n.t('The document changed after this result; the ranges may be off.'),
    explanation: vscode.l10n.t('Why "{0}"'),
    explanationNote: vscode.l10n.t('Leave-one-out over {0} words ({1} model runs, {2} ms). Score: how much the label\'s log-odds fall without the word; + speaks for the label, − against it.'),
    wordsFor: vscode.l10n.t('Words for'),
    wordsAgainst: vscode.l10n.t('Words against'),
    none: vscode.l10n.t('(none)'),
  };
}

/**
 * The text classification panel: one instance, reused by later runs, restored after a reload from the
 * webview's saved state. Clicking a window reveals and selects its range in the editor.
 */
export class TextResultPanel {
  private static current: TextResultPanel | undefined;
  private static lastResults: TextClassificationResult[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private message: ToTextResultWebview | undefined;
  private sources: readonly TextResultSource[] = [];
  private ready = false;
  /** For the log: how long the webview took to load its script and say it is ready. */
  private readonly createdAt = performance.now();

  private constructor(
    private readonly ctx: ModelLabContext,
    readonly panel: vscode.WebviewPanel,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(ctx.extensionUri) };
    panel.webview.html = webviewHtml({ webview: panel.webview, extensionUri: ctx.extensionUri, script: 'textResult', stylesheet: 'textResult.css', title: panel.title });
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    // A failed handler is reported, never dropped: an unhandled rejection would hide what went wrong.
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m).catch((err: unknown) => reportError(ctx, err)), null, this.disposables);
  }

  /** Shows the results (creating or revealing the panel beside the editor, keeping focus in the editor). */
  static show(ctx: ModelLabContext, items: readonly TextPanelItem[]): TextResultPanel {
    const title = items.length === 1 ? vscode.l10n.t('Text: {0}', items[0].entry.label) : vscode.l10n.t('Text: {0} results', items.length);
    let instance = TextResultPanel.current;
    if (instance) {
      instance.panel.title = title;
      instance.panel.reveal(undefined, true);
    } else {
      const panel = vscode.window.createWebviewPanel(TEXT_RESULT_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: webviewResourceRoots(ctx.extensionUri) });
      instance = new TextResultPanel(ctx, panel);
      TextResultPanel.current = instance;
    }
    TextResultPanel.lastResults = items.map((i) => i.result);
    instance.sources = items.map((i) => i.source);
    instance.post({ type: 'show', entries: items.map((i) => i.entry), strings: textResultStrings() });
    return instance;
  }

  /** Restores the panel after a window reload. */
  static registerSerializer(ctx: ModelLabContext): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(TEXT_RESULT_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const instance = new TextResultPanel(ctx, panel);
        TextResultPanel.current = instance;
        const saved = state as Partial<SavedState> | undefined;
        // Older or foreign state: show an empty panel rather than fail the restore.
        if (saved?.type === 'show' && Array.isArray(saved.entries) && Array.isArray(saved.sources)) {
          // The state comes back from the webview: only well-formed document URIs are kept (see parseSavedSources).
          // Document versions restart after a reload, so they cannot tell whether the text changed.
          instance.sources = parseSavedSources(saved.sources, saved.entries.length).map((src) => ({ ...src, documentVersion: undefined }));
          instance.post({ type: 'show', entries: saved.entries, strings: textResultStrings() });
        }
      },
    });
  }

  /** The results of the last run, for "Copy Result as JSON". */
  static latestResults(): readonly TextClassificationResult[] {
    return TextResultPanel.lastResults;
  }

  private post(message: ToTextResultWebview): void {
    this.message = message;
    if (this.ready) void this.panel.webview.postMessage(this.withState(message));
  }

  /** The webview saves what it receives; the sources travel along so reveal works after a reload. */
  private withState(message: ToTextResultWebview): ToTextResultWebview | SavedState {
    return message.type === 'show' ? { ...message, sources: this.sources } : message;
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseFromTextResultWebview(raw);
    if (!message) {
      this.ctx.log.warn(`Text result panel: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        if (!this.ready) this.ctx.log.info(`Text result panel: webview ready ${(performance.now() - this.createdAt).toFixed(0)} ms after it was created`);
        this.ready = true;
        if (this.message) void this.panel.webview.postMessage(this.withState(this.message));
        break;
      case 'copyJson': {
        await vscode.env.clipboard.writeText(textResultsToJson(TextResultPanel.lastResults));
        void this.panel.webview.postMessage({ type: 'copied' } satisfies ToTextResultWebview);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Result copied to the clipboard as JSON.'), 4000);
        break;
      }
      case 'reveal':
        await this.reveal(message.entry, message.window);
        break;
    }
  }

  private async reveal(entryIndex: number, windowIndex: number): Promise<void> {
    const source = this.sources[entryIndex];
    const entry = this.message?.type === 'show' ? this.message.entries[entryIndex] : undefined;
    if (!source?.documentUri || !entry) return;
    const window = entry.windows.find((w) => w.index === windowIndex);
    if (!window) return;
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(source.documentUri));
      if (source.documentVersion !== undefined && document.version !== source.documentVersion) {
        void vscode.window.showWarningMessage(vscode.l10n.t('The document changed after it was classified, so the window may be off. Classify it again for exact ranges.'));
      }
      const range = new vscode.Range(document.positionAt(source.baseOffset + window.charStart), document.positionAt(source.baseOffset + window.charEnd));
      const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preserveFocus: false, selection: range });
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    } catch (err) {
      this.ctx.log.error(`Could not reveal window ${windowIndex}: ${String(err)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The document of this result could not be opened: {0}', String(err)));
    }
  }

  dispose(): void {
    if (TextResultPanel.current === this) TextResultPanel.current = undefined;
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}

/** Every result of the last run as JSON (one object for one text, an array for several). */
export function textResultsToJson(results: readonly TextClassificationResult[]): string {
  return JSON.stringify(results.length === 1 ? results[0] : results, null, 2);
}
