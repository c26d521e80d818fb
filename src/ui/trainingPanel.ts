import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { reportError } from './errorMessages';
import { parseFromTrainWebview, type TrainCurvePoint, type TrainOutcome, type TrainPanelStrings, type ToTrainWebview } from '../webview/trainResult/protocol';
import { webviewHtml, webviewResourceRoots } from './webviewHtml';

export const TRAINING_VIEW_TYPE = 'modelLab.training';

export function trainPanelStrings(): TrainPanelStrings {
  return {
    heading: vscode.l10n.t('Training'),
    curves: vscode.l10n.t('Training curves'),
    trainLoss: vscode.l10n.t('Training loss'),
    validationLoss: vscode.l10n.t('Validation loss'),
    validationAccuracy: vscode.l10n.t('Validation accuracy'),
    epoch: vscode.l10n.t('Epoch'),
    loss: vscode.l10n.t('left axis'),
    accuracy: vscode.l10n.t('right axis'),
    waiting: vscode.l10n.t('Preparing the data…'),
    confusion: vscode.l10n.t('Confusion matrix (held-out texts)'),
    actualPredicted: vscode.l10n.t('actual ↓ / predicted →'),
    perClass: vscode.l10n.t('Per class'),
    label: vscode.l10n.t('Label'),
    precision: vscode.l10n.t('Precision'),
    recall: vscode.l10n.t('Recall'),
    f1: vscode.l10n.t('F1'),
    support: vscode.l10n.t('Support'),
    summary: vscode.l10n.t('Held-out accuracy {0}, macro F1 {1} (held-out texts: {2}).'),
    baseline: vscode.l10n.t('Always answering "{0}" scores {1}.'),
    learned: vscode.l10n.t('The model learned.'),
    notLearned: vscode.l10n.t('The model did not learn.'),
    cancelled: vscode.l10n.t('Training was cancelled; nothing was written.'),
    failed: vscode.l10n.t('Training failed.'),
    curvesTable: vscode.l10n.t('The numbers per epoch'),
  };
}

/**
 * The training panel: live curves while a text classifier trains, the verdict, confusion matrix and per-class
 * metrics at the end. One instance, reused by the next run; restored after a reload from the webview's state.
 */
export class TrainingPanel {
  private static current: TrainingPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Everything sent since `start`, replayed when the webview (re)loads before it said it is ready. */
  private queue: ToTrainWebview[] = [];
  private ready = false;
  private disposed = false;

  private constructor(
    private readonly ctx: ModelLabContext,
    readonly panel: vscode.WebviewPanel,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(ctx.extensionUri) };
    panel.webview.html = webviewHtml({ webview: panel.webview, extensionUri: ctx.extensionUri, script: 'trainResult', stylesheet: 'trainResult.css', title: panel.title });
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), null, this.disposables);
  }

  /** Opens (or reuses) the panel beside the editor for a new run. */
  static start(ctx: ModelLabContext, title: string): TrainingPanel {
    let instance = TrainingPanel.current;
    if (instance) {
      instance.panel.title = title;
      instance.panel.reveal(undefined, true);
    } else {
      const panel = vscode.window.createWebviewPanel(TRAINING_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: webviewResourceRoots(ctx.extensionUri) });
      instance = new TrainingPanel(ctx, panel);
      TrainingPanel.current = instance;
    }
    instance.queue = [];
    instance.post({ type: 'start', title, strings: trainPanelStrings() });
    return instance;
  }

  /** Restores the panel after a window reload (the webview keeps its own state). */
  static registerSerializer(ctx: ModelLabContext): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(TRAINING_VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        TrainingPanel.current = new TrainingPanel(ctx, panel);
        return Promise.resolve();
      },
    });
  }

  status(message: string, fraction: number): void {
    this.post({ type: 'status', message, fraction });
  }

  epoch(point: TrainCurvePoint): void {
    this.post({ type: 'epoch', point });
  }

  done(outcome: TrainOutcome): void {
    this.post({ type: 'done', outcome });
  }

  stopped(reason: 'cancelled' | 'failed', message: string): void {
    this.post({ type: 'stopped', reason, message });
  }

  private post(message: ToTrainWebview): void {
    // The user may close the panel while training goes on: the run continues, the panel just stops updating.
    if (this.disposed) return;
    // Status lines replace each other; curve points and the rest are all kept for a late "ready".
    if (message.type === 'status') this.queue = this.queue.filter((m) => m.type !== 'status');
    this.queue.push(message);
    if (this.ready) this.send(message);
  }

  private send(message: ToTrainWebview): void {
    this.panel.webview.postMessage(message).then(undefined, (err: unknown) => reportError(this.ctx, err));
  }

  private onMessage(raw: unknown): void {
    if (!parseFromTrainWebview(raw)) {
      this.ctx.log.warn(`Training panel: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    this.ready = true;
    for (const m of this.queue) this.send(m);
  }

  dispose(): void {
    this.disposed = true;
    if (TrainingPanel.current === this) TrainingPanel.current = undefined;
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}
