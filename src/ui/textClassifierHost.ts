import * as path from 'node:path';
import * as vscode from 'vscode';
import { WORKER_HEAP_MB, WorkerCancelledError, WorkerClient } from '../common/workerClient';
import type { ModelLabContext } from '../context';
import type { TextClassificationResult } from '../text/onnxTextClassifier';
import { classifyText, explainTextCall, type ClassifyTextReply } from '../workers/textProtocol';
import type { TextSettings } from './config';
import { displayLabel, type ScopeWarning } from '../common/modelScope';
import { topSegments, type TextExplanation } from '../text/explain';
import { ExplanationDecorations } from './explanationDecorations';
import { localizeError, reportError } from './errorMessages';
import { percent } from '../webview/shared/format';
import type { PanelExplanation, PanelWindow, TextResultEntry } from '../webview/textResult/protocol';
import { recentResults, type RecentResult } from './recentResults';
import { resultStatusItem } from './resultStatusItem';
import { TextWindowDecorations, type MarkedWindow } from './textDecorations';
import { TextResultPanel, type TextPanelItem } from './textResultPanel';

/** Windows sent to the panel for one text: enough to browse, bounded so a 1 MB file stays light. */
const PANEL_WINDOW_LIMIT = 300;

/** One text to classify and where it came from. */
export interface TextToClassify {
  readonly text: string;
  /** Shown as the result's heading, e.g. "Selection 1 of 2 — notes.txt, lines 3–8". */
  readonly sourceLabel: string;
  /** The open document the text belongs to (for decorations and reveal), if any. */
  readonly document?: vscode.TextDocument;
  /** Offset of the text's first character in `document`. */
  readonly baseOffset: number;
  readonly truncatedToKB?: number;
}

/**
 * The extension side of the text classifier: one worker per extension host (its ORT session stays cached
 * between commands), settings, the window marks and the result panel. Tokenization, windowing and
 * inference all happen in the worker; this class only sends text and renders the reply.
 */
export class TextClassifierHost implements vscode.Disposable {
  private readonly client: WorkerClient;
  readonly decorations = new TextWindowDecorations();
  readonly explanations = new ExplanationDecorations();

  constructor(private readonly ctx: ModelLabContext) {
    this.client = new WorkerClient(path.join(ctx.extensionUri.fsPath, 'dist', 'workers', 'textWorker.js'), { heapMb: WORKER_HEAP_MB.text, idleMs: () => ctx.config.workers.idleMinutes * 60_000 });
  }

  /** `modelLab.textModel`, else the bundled model. */
  modelDir(): string {
    return this.ctx.config.textModelDir();
  }

  settings(): TextSettings {
    return this.ctx.config.text;
  }

  /** Classifies texts in the worker with the current model and settings (no UI); for batch runs such as evaluation. */
  classifyTexts(texts: readonly string[], cancel?: vscode.CancellationToken): Promise<ClassifyTextReply> {
    const s = this.settings();
    return this.client.call(classifyText, { modelDir: this.modelDir(), threads: s.threads, texts, options: { windowOverlap: s.windowOverlap, maxWindowTokens: s.maxWindowTokens, batchSize: s.batchSize } }, { cancel });
  }

  /**
   * Classifies the texts in the worker behind a cancellable progress notification, then shows the panel,
   * marks the decisive windows and puts a one-line summary in the status bar. Errors are shown and logged;
   * nothing throws to the caller.
   */
  async classifyAndShow(items: readonly TextToClassify[], options: { explain?: boolean } = {}): Promise<void> {
    const settings = this.settings();
    const modelDir = this.modelDir();
    const started = performance.now();
    let reply: ClassifyTextReply;
    let explanation: TextExplanation | undefined;
    const classifyOptions = { windowOverlap: settings.windowOverlap, maxWindowTokens: settings.maxWindowTokens, batchSize: settings.batchSize };
    const status = resultStatusItem(this.ctx);
    status.busy(items[0]?.sourceLabel ?? '');
    try {
      reply = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: options.explain ? vscode.l10n.t('Model Lab: explaining the classification…') : vscode.l10n.t('Model Lab: classifying text…'),
          cancellable: true,
        },
        async (_progress, token) => {
          const classified = await this.client.call(classifyText, { modelDir, threads: settings.threads, variant: settings.modelVariant, texts: items.map((i) => i.text), options: classifyOptions }, { cancel: token });
          if (options.explain && items[0]) {
            explanation = await this.client.call(explainTextCall, { modelDir, threads: settings.threads, variant: settings.modelVariant, text: items[0].text, options: classifyOptions }, { cancel: token });
          }
          return classified;
        },
      );
    } catch (err) {
      status.clear();
      if (err instanceof WorkerCancelledError) {
        this.ctx.log.info('Text classification cancelled by the user.');
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Model Lab: classification cancelled.'), 5000);
        return;
      }
      const detail = err instanceof Error ? err.message : String(err);
      this.ctx.log.error(`Text classification with ${modelDir} failed: ${detail}`);
      const openSettings = vscode.l10n.t('Open Settings');
      const showLog = vscode.l10n.t('Show Log');
      const choice = await vscode.window.showErrorMessage(vscode.l10n.t('Model Lab could not classify the text: {0}', localizeError(err)), openSettings, showLog);
      if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'modelLab.text');
      else if (choice === showLog) this.ctx.log.show(true);
      return;
    }

    const locale = vscode.env.language;
    const shown = (label: string) => displayLabel({ version: 1, label_names: reply.labelNames }, label, locale);
    const warnings = (i: number) => (reply.warnings[i] ?? []).map(localizeScopeWarning);
    const scopeWarnings = reply.warnings.flat();
    // The answer first, in the status bar: creating the panel's webview takes VS Code a second or more.
    const labels = reply.results.map((r) => shown(r.label));
    let panelItems: TextPanelItem[] = [];
    const recent: RecentResult[] = items.map((item, i) => ({
      kind: 'text',
      uri: item.document?.uri,
      source: item.sourceLabel,
      label: labels[i],
      probability: reply.results[i].probability,
      at: Date.now(),
      reopen: () => void TextResultPanel.show(this.ctx, panelItems).catch((err: unknown) => reportError(this.ctx, err)),
    }));
    for (const r of [...recent].reverse()) recentResults(this.ctx).add(r);
    const panelTitle = TextResultPanel.title(labels);
    status.show({ recent: recent[0], panelTitle, more: recent.length - 1, warning: scopeWarnings.length > 0 ? localizeScopeWarning(scopeWarnings[0]) : undefined });

    panelItems = items.map((item, i) => {
      const result = reply.results[i];
      return {
        result,
        entry: toPanelEntry(item, result, reply.loadMs, shown, warnings(i), i === 0 ? explanation : undefined),
        source: { documentUri: item.document?.uri.toString(), baseOffset: item.baseOffset, documentVersion: item.document?.version },
      };
    });
    if (explanation && items[0]?.document) {
      const doc = items[0].document;
      const base = items[0].baseOffset;
      const label = shown(explanation.label);
      this.explanations.set(doc.uri, label, explanation.segments.map((w) => ({ range: new vscode.Range(doc.positionAt(base + w.start), doc.positionAt(base + w.end)), text: w.text, score: w.score, words: w.words })));
    } else {
      this.markWindows(items, reply.results, shown);
    }
    await TextResultPanel.show(this.ctx, panelItems);

    const summary = reply.results.map((r) => `${shown(r.label)} ${percent(r.probability)}`).join(', ');
    const total = reply.results.reduce((a, r) => a + r.timings.totalMs, 0);
    const windows = reply.results.reduce((a, r) => a + r.windows.length, 0);
    const model = reply.results[0]?.model;
    if (model?.variantNote) this.ctx.log.warn(`Text model ${modelDir}: ${model.variantNote}`);
    this.ctx.log.info(
      `Classified ${items.length} text(s) with ${modelDir}${model ? ` (${model.variant}, ${path.basename(model.onnxFile)})` : ''}: ${summary} (${windows} windows, ${total.toFixed(1)} ms, model load ${reply.loadMs.toFixed(1)} ms; ${(performance.now() - started).toFixed(0)} ms from the request to the panel)`,
    );
    for (const w of reply.warnings.flat()) this.ctx.log.warn(w.message);
  }

  /** Marks, per document, each text's most decisive windows and the strongest window of every other label. */
  private markWindows(items: readonly TextToClassify[], results: readonly TextClassificationResult[], shown: (label: string) => string): void {
    const byDocument = new Map<vscode.TextDocument, MarkedWindow[]>();
    items.forEach((item, i) => {
      const doc = item.document;
      if (!doc) return;
      const r = results[i];
      const marked = new Set<number>(r.decisiveWindows);
      // A ham mail with one spam paragraph: mark where the other label peaks too, when it wins that window.
      for (const m of r.maxWindowByLabel) if (r.windows[m.windowIndex].labelIndex !== r.labelIndex) marked.add(m.windowIndex);
      const list = byDocument.get(doc) ?? [];
      for (const w of [...marked].sort((a, b) => a - b).map((idx) => r.windows[idx])) {
        const range = new vscode.Range(doc.positionAt(item.baseOffset + w.charStart), doc.positionAt(item.baseOffset + w.charEnd));
        const caption = r.windows.length > 1 ? vscode.l10n.t('window {0}: {1} {2}', w.index + 1, shown(w.label), percent(w.probability)) : `${shown(w.label)} ${percent(w.probability)}`;
        list.push({ range, caption });
      }
      byDocument.set(doc, list);
    });
    for (const [doc, marks] of byDocument) this.decorations.set(doc.uri, marks);
  }

  dispose(): void {
    this.client.dispose();
    this.decorations.dispose();
    this.explanations.dispose();
  }
}

/** The panel's view of one result: windows with editor ranges, at most PANEL_WINDOW_LIMIT of them. */
/** A scope warning in the user's language: its English template is the translation key. */
export function localizeScopeWarning(w: ScopeWarning): string {
  return vscode.l10n.t(w.template, ...w.args);
}

function toPanelEntry(
  item: TextToClassify,
  r: TextClassificationResult,
  loadMs: number,
  shown: (label: string) => string,
  warnings: readonly string[],
  explanation: TextExplanation | undefined,
): TextResultEntry {
  const keep = new Set<number>();
  for (let i = 0; i < Math.min(PANEL_WINDOW_LIMIT, r.windows.length); i++) keep.add(i);
  for (const i of r.decisiveWindows) keep.add(i);
  for (const m of r.maxWindowByLabel) keep.add(m.windowIndex);
  const doc = item.document;
  const rangeLabel = (start: number, end: number): string => {
    if (!doc) return vscode.l10n.t('chars {0}–{1}', start, end);
    const a = doc.positionAt(item.baseOffset + start);
    const b = doc.positionAt(item.baseOffset + end);
    return `${a.line + 1}:${a.character + 1}–${b.line + 1}:${b.character + 1}`;
  };
  const windows: PanelWindow[] = [...keep]
    .sort((a, b) => a - b)
    .map((i) => {
      const w = r.windows[i];
      return { index: i, label: shown(w.label), probability: w.probability, probabilityOfResultLabel: w.probabilities[r.labelIndex], rangeLabel: rangeLabel(w.charStart, w.charEnd), charStart: w.charStart, charEnd: w.charEnd };
    });
  return {
    sourceLabel: item.sourceLabel,
    label: shown(r.label),
    probability: r.probability,
    labels: r.labels.map((l) => ({ label: shown(l.label), probability: l.probability })),
    activation: r.activation,
    decisive: r.decisiveWindows,
    maxForLabel: r.maxWindowByLabel.map((m) => ({ label: shown(m.label), window: m.windowIndex, probability: m.probability })),
    windows,
    windowCount: r.windows.length,
    tokenCount: r.tokenCount,
    windowLength: r.windowLength,
    windowOverlap: r.windowOverlap,
    timings: { ...r.timings, loadMs },
    modelName: r.model.name,
    modelPath: r.model.dir,
    truncatedToKB: item.truncatedToKB,
    warnings,
    explanation: explanation && panelExplanation(explanation, shown, rangeLabel),
  };
}

function panelExplanation(e: TextExplanation, shown: (label: string) => string, rangeLabel: (start: number, end: number) => string): PanelExplanation {
  const top = topSegments(e.segments, 10);
  const word = (w: { text: string; score: number; start: number; end: number }) => ({ text: w.text, score: w.score, rangeLabel: rangeLabel(w.start, w.end) });
  return { label: shown(e.label), method: e.method, for: top.for.map(word), against: top.against.map(word), words: e.wordCount, segments: e.segments.length, evaluations: e.evaluations, elapsedMs: e.elapsedMs };
}

const hosts = new WeakMap<ModelLabContext, TextClassifierHost>();

/** The extension's one TextClassifierHost, created on first use and disposed with the extension. */
export function textClassifierHost(ctx: ModelLabContext): TextClassifierHost {
  let host = hosts.get(ctx);
  if (!host) {
    host = new TextClassifierHost(ctx);
    hosts.set(ctx, host);
    ctx.extensionContext.subscriptions.push(host);
  }
  return host;
}
