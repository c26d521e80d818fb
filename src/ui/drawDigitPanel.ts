import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { reportError } from './errorMessages';
import { parseFromDrawWebview, type DrawStrings, type ToDrawWebview } from '../webview/drawDigit/protocol';
import { hasErrorCode } from '../common/errors';
import { imageWorkerHost, localizeImageError, reportImageError } from './imageWorkerHost';
import { webviewHtml, webviewResourceRoots } from './webviewHtml';

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
    announce: vscode.l10n.t('Looks like {0} ({1} %)'),
  };
}

/**
 * The draw-a-digit panel: the webview sends the drawing's ink, the image worker classifies it with the
 * cached model and the prediction goes back. One instance, revealed on later runs.
 */
export class DrawDigitPanel {
  private static current: DrawDigitPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly latencies: number[] = [];

  private constructor(
    private readonly ctx: ModelLabContext,
    readonly panel: vscode.WebviewPanel,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(ctx.extensionUri) };
    panel.webview.html = webviewHtml({
      webview: panel.webview,
      extensionUri: ctx.extensionUri,
      script: 'drawDigit',
      stylesheet: 'drawDigit.css',
      title: vscode.l10n.t('Draw a Digit'),
      allowDataImages: true,
    });
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    // A failed handler is reported, never dropped: an unhandled rejection would hide what went wrong.
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m).catch((err: unknown) => reportError(ctx, err)), null, this.disposables);
  }

  static createOrShow(ctx: ModelLabContext): DrawDigitPanel {
    if (DrawDigitPanel.current) {
      DrawDigitPanel.current.panel.reveal();
      return DrawDigitPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(DRAW_DIGIT_VIEW_TYPE, vscode.l10n.t('Draw a Digit'), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: webviewResourceRoots(ctx.extensionUri),
    });
    DrawDigitPanel.current = new DrawDigitPanel(ctx, panel);
    return DrawDigitPanel.current;
  }

  static registerSerializer(ctx: ModelLabContext): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DRAW_DIGIT_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        DrawDigitPanel.current?.dispose();
        DrawDigitPanel.current = new DrawDigitPanel(ctx, panel);
      },
    });
  }

  private post(message: ToDrawWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseFromDrawWebview(raw);
    if (!message) {
      this.ctx.log.warn(`Draw a Digit: ignored an unexpected message ${JSON.stringify(raw)?.slice(0, 120)}`);
      return;
    }
    const host = imageWorkerHost(this.ctx);
    switch (message.type) {
      case 'ready': {
        this.post({ type: 'init', strings: drawStrings() });
        // Loads (and warms) the model now, so the first stroke is answered at full speed.
        try {
          const model = await host.describeModel();
          this.ctx.log.info(`Draw a Digit: model ${model.name} (${model.runtime}) ready`);
          this.post({ type: 'model', name: model.name, runtime: model.runtime });
        } catch (err) {
          reportImageError(this.ctx, err);
        }
        break;
      }
      case 'predict': {
        try {
          const reply = await host.classifyInk(Uint8Array.from(message.ink), message.width, message.height);
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

  dispose(): void {
    if (DrawDigitPanel.current === this) DrawDigitPanel.current = undefined;
    if (this.latencies.length) {
      const sorted = [...this.latencies].sort((a, b) => a - b);
      this.ctx.log.info(`Draw a Digit: ${sorted.length} strokes, stroke end → result p50 ${sorted[sorted.length >> 1].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
    }
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}
