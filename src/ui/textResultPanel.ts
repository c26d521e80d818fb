import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import type { TextClassificationResult } from '../text/onnxTextClassifier';
import { parseFromTextResultWebview, parseSavedSources, type FromTextResultWebview, type TextResultEntry, type TextResultStrings, type ToTextResultWebview } from '../webview/textResult/protocol';
import { PanelHost } from './panelHost';
import { plural } from '../common/plural';

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
    windowsOmitted: vscode.l10n.t('Windows shown: {0} of {1} (the first ones and every decisive one).'),
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
    windowsSummary: vscode.l10n.t('Tokens: {0}; windows: {1}; window length: up to {2}; overlap: {3}.'),
    aggregation: vscode.l10n.t("The label is the mean of the windows' probabilities."),
    truncated: vscode.l10n.t('Only the first {0} KB were classified.'),
    maxForLabel: vscode.l10n.t('Highest {0}: {1} in'),
    announce: vscode.l10n.t('Classified as {0} with {1}.'),
    stale: vscode.l10n.t('The document changed after this result; the ranges may be off.'),
    explanation: vscode.l10n.t('Why "{0}"'),
    explanationNote: vscode.l10n.t('Leave-one-out — words: {0}; model rows: {1}; time: {2} ms. Score: how much the label\'s log-odds fall without the word; + speaks for the label, − against it.'),
    explanationNoteCoarse: vscode.l10n.t('Coarse-to-fine occlusion — words: {0}; segments: {1}; model rows: {2}; time: {3} ms. Runs of neighbouring words were removed in turn, then the strongest run in smaller parts. Score: how much the label\'s log-odds fall without the segment; + speaks for the label, − against it.'),
    wordsFor: vscode.l10n.t('For the label'),
    wordsAgainst: vscode.l10n.t('Against the label'),
    none: vscode.l10n.t('(none)'),
  };
}

/**
 * The text classification panel: one instance, reused by later runs, restored after a reload from the
 * webview's saved state. Clicking a window reveals and selects its range in the editor.
 */
export class TextResultPanel extends PanelHost<ToTextResultWebview | SavedState, FromTextResultWebview> {
  private static lastResults: TextClassificationResult[] = [];
  private sources: readonly TextResultSource[] = [];
  /** For the log: how long the webview took to load its script and say it is ready. */
  private readonly createdAt = performance.now();
  private loggedReady = false;

  private constructor(ctx: ModelLabContext, panel: vscode.WebviewPanel) {
    super(ctx, panel, { viewType: TEXT_RESULT_VIEW_TYPE, script: 'textResult', stylesheet: 'textResult.css', logName: 'Text result panel', parse: parseFromTextResultWebview });
  }

  /** The panel's tab title for results with these labels (also named by the status bar item that points here). */
  static title(labels: readonly string[]): string {
    return labels.length === 1 ? vscode.l10n.t('Text: {0}', labels[0]) : plural(labels.length, vscode.l10n.t('Text: {0} result', labels.length), vscode.l10n.t('Text: {0} results', labels.length));
  }

  /** Shows the results (creating or revealing the panel beside the editor, keeping focus in the editor). */
  static async show(ctx: ModelLabContext, items: readonly TextPanelItem[]): Promise<TextResultPanel> {
    const title = TextResultPanel.title(items.map((i) => i.entry.label));
    let instance = PanelHost.openPanel<TextResultPanel>(TEXT_RESULT_VIEW_TYPE);
    if (instance) {
      instance.panel.title = title;
      instance.panel.reveal(undefined, true);
    } else {
      instance = new TextResultPanel(ctx, await PanelHost.createBesidePanel(ctx, TEXT_RESULT_VIEW_TYPE, title));
    }
    TextResultPanel.lastResults = items.map((i) => i.result);
    instance.showEntries(items.map((i) => i.entry), items.map((i) => i.source));
    return instance;
  }

  /** Restores the panel after a window reload. */
  static registerSerializer(ctx: ModelLabContext): vscode.Disposable {
    return PanelHost.registerPanelSerializer(TEXT_RESULT_VIEW_TYPE, (panel, state) => {
      const instance = new TextResultPanel(ctx, panel);
      const saved = state as Partial<SavedState> | undefined;
      // Older or foreign state: show an empty panel rather than fail the restore.
      if (saved?.type === 'show' && Array.isArray(saved.entries) && Array.isArray(saved.sources)) {
        // The state comes back from the webview: only well-formed document URIs are kept (see parseSavedSources).
        // Document versions restart after a reload, so they cannot tell whether the text changed.
        const sources = parseSavedSources(saved.sources, saved.entries.length).map((src) => ({ ...src, documentVersion: undefined }));
        instance.showEntries(saved.entries, sources);
      }
    });
  }

  /** The results of the last run, for "Copy Result as JSON". */
  static latestResults(): readonly TextClassificationResult[] {
    return TextResultPanel.lastResults;
  }

  /** The webview saves what it receives; the sources travel along so reveal works after a reload. */
  private showEntries(entries: readonly TextResultEntry[], sources: readonly TextResultSource[]): void {
    this.sources = sources;
    this.setContent({ type: 'show', entries, strings: textResultStrings(), sources });
  }

  protected override onReady(): void {
    if (!this.loggedReady) this.ctx.log.info(`Text result panel: webview ready ${(performance.now() - this.createdAt).toFixed(0)} ms after it was created`);
    this.loggedReady = true;
    this.resendContent();
  }

  protected async onMessage(message: Exclude<FromTextResultWebview, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'copyJson': {
        await vscode.env.clipboard.writeText(textResultsToJson(TextResultPanel.lastResults));
        this.post({ type: 'copied' });
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
    const shown = this.content;
    const entry = shown?.type === 'show' ? shown.entries[entryIndex] : undefined;
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
}

/** Every result of the last run as JSON (one object for one text, an array for several). */
export function textResultsToJson(results: readonly TextClassificationResult[]): string {
  return JSON.stringify(results.length === 1 ? results[0] : results, null, 2);
}
