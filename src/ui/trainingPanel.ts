import * as vscode from 'vscode';
import { perClassTableStrings } from './perClassTableStrings';
import type { ModelLabContext } from '../context';
import { parseFromTrainWebview, type FromTrainWebview, type TrainCurvePoint, type TrainOutcome, type TrainPanelStrings, type ToTrainWebview } from '../webview/trainResult/protocol';
import { PanelHost } from './panelHost';

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
    ...perClassTableStrings(),
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
 * Unlike the result panels it shows a stream, not one message: everything sent since `start` is kept and
 * replayed when the webview (re)loads.
 */
export class TrainingPanel extends PanelHost<ToTrainWebview, FromTrainWebview> {
  /** Everything sent since `start`, replayed when the webview (re)loads before it said it is ready. */
  private history: ToTrainWebview[] = [];

  private constructor(ctx: ModelLabContext, panel: vscode.WebviewPanel) {
    super(ctx, panel, { viewType: TRAINING_VIEW_TYPE, script: 'trainResult', stylesheet: 'trainResult.css', logName: 'Training panel', parse: parseFromTrainWebview });
  }

  /** Opens (or reuses) the panel beside the editor for a new run. */
  static async start(ctx: ModelLabContext, title: string): Promise<TrainingPanel> {
    let instance = PanelHost.openPanel<TrainingPanel>(TRAINING_VIEW_TYPE);
    if (instance) {
      instance.panel.title = title;
      instance.panel.reveal(undefined, true);
    } else {
      instance = new TrainingPanel(ctx, await PanelHost.createBesidePanel(ctx, TRAINING_VIEW_TYPE, title));
    }
    instance.history = [];
    instance.send({ type: 'start', title, strings: trainPanelStrings() });
    return instance;
  }

  /** Restores the panel after a window reload (the webview keeps its own state). */
  static registerSerializer(ctx: ModelLabContext): vscode.Disposable {
    return PanelHost.registerPanelSerializer(TRAINING_VIEW_TYPE, (panel) => new TrainingPanel(ctx, panel));
  }

  status(message: string, fraction: number): void {
    this.send({ type: 'status', message, fraction });
  }

  epoch(point: TrainCurvePoint): void {
    this.send({ type: 'epoch', point });
  }

  done(outcome: TrainOutcome): void {
    this.send({ type: 'done', outcome });
  }

  stopped(reason: 'cancelled' | 'failed', message: string): void {
    this.send({ type: 'stopped', reason, message });
  }

  private send(message: ToTrainWebview): void {
    // The user may close the panel while training goes on: the run continues, the panel just stops updating.
    if (this.isDisposed) return;
    // Status lines replace each other; curve points and the rest are all kept for a late "ready".
    if (message.type === 'status') this.history = this.history.filter((m) => m.type !== 'status');
    this.history.push(message);
    if (this.webviewReady) this.post(message);
  }

  protected override onReady(): void {
    for (const m of this.history) this.post(m);
  }

  /** The webview sends nothing but "ready". */
  protected onMessage(): void {}
}
