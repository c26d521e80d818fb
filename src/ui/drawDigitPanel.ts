import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { hasErrorCode } from '../common/errors';
import { parseFromDrawWebview, type DrawStrings, type FromDrawWebview, type ToDrawWebview } from '../webview/drawDigit/protocol';
import { imageWorkerHost, localizeImageError, reportImageError } from './imageWorkerHost';
import { PanelHost } from './panelHost';

export const DRAW_DIGIT_VIEW_TYPE = 'modelLab.drawDigit';

function drawStrings(): DrawStrings {
  return {
    title: vscode.l10n.t('Draw a Digit'),
    hint: vscode.l10n.t('Draw one digit (0–9) with the mouse, a finger or a pen. Ctrl/Cmd+Z undoes a stroke, Delete clears.'),
    canvasLabel: vscode.l10n.t('Drawing canvas: draw a digit with the mouse, touch or a pen'),
    clear: vscode.l10n.t('Clear'),
    undo: vscode.l10n.t('Undo'),
    empty: vscode.l10n.t('The canvas is empty.'),
    prediction: vscode.l10n.t('Prediction'),
    latency: vscode.l10n.t('Shown {0} ms after the stroke ended (worker {1} ms)'),
    modelSaw: vscode.l10n.t('What the model saw'),
    model: vscode.l10n.t('Model'),
    announce: vscode.l10n.t('Looks like {0} ({1})'),
  };
}

/**
 * The draw-a-digit panel: the webview sends the drawing's ink, the image worker classifies it with the
 * cached model and the prediction goes back. One instance, revealed on later runs.
 */
export class DrawDigitPanel extends PanelHost<ToDrawWebview, FromDrawWebview> {
  private readonly latencies: number[] = [];

  private constructor(ctx: ModelLabContext, panel: vscode.WebviewPanel) {
    super(ctx, panel, { viewType: DRAW_DIGIT_VIEW_TYPE, script: 'drawDigit', stylesheet: 'drawDigit.css', allowDataImages: true, logName: 'Draw a Digit', parse: parseFromDrawWebview });
  }

  static createOrShow(ctx: ModelLabContext): DrawDigitPanel {
    const open = PanelHost.openPanel<DrawDigitPanel>(DRAW_DIGIT_VIEW_TYPE);
    if (open) {
      open.panel.reveal();
      return open;
    }
    return new DrawDigitPanel(ctx, PanelHost.createWebviewPanel(ctx, DRAW_DIGIT_VIEW_TYPE, vscode.l10n.t('Draw a Digit'), vscode.ViewColumn.Active));
  }

  static registerSerializer(ctx: ModelLabContext): vscode.Disposable {
    return PanelHost.registerPanelSerializer(DRAW_DIGIT_VIEW_TYPE, (panel) => new DrawDigitPanel(ctx, panel));
  }

  /** Sends the strings, then loads (and warms) the model, so the first stroke is answered at full speed. */
  protected override async onReady(): Promise<void> {
    this.post({ type: 'init', strings: drawStrings() });
    try {
      const model = await imageWorkerHost(this.ctx).describeModel();
      this.ctx.log.info(`Draw a Digit: model ${model.name} (${model.runtime}) ready`);
      this.post({ type: 'model', name: model.name, runtime: model.runtime });
    } catch (err) {
      reportImageError(this.ctx, err);
    }
  }

  protected async onMessage(message: Exclude<FromDrawWebview, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'predict': {
        try {
          const reply = await imageWorkerHost(this.ctx).classifyInk(Uint8Array.from(message.ink), message.width, message.height);
          this.post({ type: 'prediction', seq: message.seq, top: reply.result.top, previewPng: reply.result.previewPng, workerMs: reply.workerMs });
        } catch (err) {
          if (hasErrorCode(err, 'blank')) {
            this.post({ type: 'empty', seq: message.seq });
          } else {
            this.ctx.log.error(`Draw a Digit: ${err instanceof Error ? err.message : String(err)}`);
            this.post({ type: 'error', seq: message.seq, message: localizeImageError(err) });
          }
        }
        break;
      }
      case 'latency':
        this.latencies.push(message.ms);
        this.ctx.log.info(`Draw a Digit: stroke end → result shown in ${message.ms.toFixed(1)} ms (worker ${message.workerMs.toFixed(2)} ms)`);
        break;
    }
  }

  protected override onDispose(): void {
    if (this.latencies.length) {
      const sorted = [...this.latencies].sort((a, b) => a - b);
      this.ctx.log.info(`Draw a Digit: ${sorted.length} strokes, stroke end → result p50 ${sorted[sorted.length >> 1].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
    }
  }
}
