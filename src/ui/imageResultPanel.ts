import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { CommandId } from '../commands/commandIds';
import type { ClassificationResult } from '../vision/classifier';
import type { OcclusionGrid } from '../vision/explain';
import { parseFromResultWebview, type FolderSummary, type FromResultWebview, type ResultStrings, type SaliencyStrings, type ToResultWebview } from '../webview/imageResult/protocol';
import { PanelHost } from './panelHost';

type PanelKind = 'single' | 'folder';

const VIEW_TYPES: Record<PanelKind, string> = {
  single: 'modelLab.imageResult',
  folder: 'modelLab.imageFolderResult',
};

/** Context key that enables "Copy Result as JSON" in the command palette. */
export const IMAGE_RESULT_CONTEXT_KEY = 'modelLab.imageResultAvailable';

export function resultStrings(): ResultStrings {
  return {
    title: vscode.l10n.t('Image Classification'),
    folderTitle: vscode.l10n.t('Images in {0}'),
    topThree: vscode.l10n.t('Top 3'),
    modelSaw: vscode.l10n.t('What the model saw'),
    previewAlt: vscode.l10n.t('The {0} × {1} input the model saw, enlarged'),
    latency: vscode.l10n.t('Latency'),
    decode: vscode.l10n.t('decode'),
    preprocess: vscode.l10n.t('preprocess'),
    infer: vscode.l10n.t('infer'),
    total: vscode.l10n.t('total'),
    model: vscode.l10n.t('Model'),
    source: vscode.l10n.t('Image'),
    inverted: vscode.l10n.t('Dark ink on light paper, inverted'),
    copyJson: vscode.l10n.t('Copy Result as JSON'),
    copied: vscode.l10n.t('Result copied to the clipboard as JSON.'),
    countsPerLabel: vscode.l10n.t('Images per label'),
    label: vscode.l10n.t('Label'),
    count: vscode.l10n.t('Count'),
    file: vscode.l10n.t('File'),
    confidence: vscode.l10n.t('Confidence'),
    error: vscode.l10n.t('Error'),
    filesLowestFirst: vscode.l10n.t('Files, lowest confidence first'),
    openCsv: vscode.l10n.t('Open CSV'),
    summaryLine: vscode.l10n.t('Images classified: {0} of {1}; failed: {2}; {3} images/s; model {4}.'),
    cancelledLine: vscode.l10n.t('Cancelled: only the images classified before cancelling are listed.'),
    failedFiles: vscode.l10n.t('Files that could not be classified'),
    announce: vscode.l10n.t('Classified as {0} with {1} confidence.'),
    saliency: saliencyStrings(),
  };
}

function saliencyStrings(): SaliencyStrings {
  return {
    explain: vscode.l10n.t('Explain'),
    explainHint: vscode.l10n.t('Show which parts of the model\'s input the prediction depends on: each patch is hidden in turn and the change in probability is drawn over the input.'),
    explainLabel: vscode.l10n.t('Label to explain'),
    explaining: vscode.l10n.t('Explaining…'),
    heading: vscode.l10n.t('Why {0}? ({1})'),
    lowers: vscode.l10n.t('+ hiding lowers P({0})'),
    raises: vscode.l10n.t('− hiding raises P({0})'),
    scaleCaption: vscode.l10n.t('Change in P({0}) when a patch is hidden, in percentage points; in this image from {1} to {2}.'),
    gridLine: vscode.l10n.t('Occlusion: a {0} × {1} grid of {2} × {2} px patches, stride {3} px; {4} model runs in {5}.'),
    showOverlay: vscode.l10n.t('Show the overlay'),
    overlayAlt: vscode.l10n.t('Saliency for {0} over the model input'),
    outlineNote: vscode.l10n.t('The outlined square is the patch whose hiding lowers P most.'),
    regions: [
      vscode.l10n.t('the top-left part'),
      vscode.l10n.t('the top part'),
      vscode.l10n.t('the top-right part'),
      vscode.l10n.t('the left part'),
      vscode.l10n.t('the centre'),
      vscode.l10n.t('the right part'),
      vscode.l10n.t('the bottom-left part'),
      vscode.l10n.t('the bottom part'),
      vscode.l10n.t('the bottom-right part'),
    ],
    summaryLowers: vscode.l10n.t('Hiding {0} of the input (x {3}, y {4} of {5}) lowers P({1}) most, by {2} percentage points.'),
    summaryRaises: vscode.l10n.t('Hiding {0} of the input raises P({1}) most, by {2} percentage points.'),
    summaryFlat: vscode.l10n.t('No patch changes P({0}) by {1} percentage points or more.'),
  };
}

/**
 * The panel that shows one image's classification or a folder summary: one instance per kind, reused
 * (revealed and refreshed) by later runs, restored after a reload from the webview's saved state.
 */
export class ImageResultPanel extends PanelHost<ToResultWebview, FromResultWebview> {
  private static lastResult: ClassificationResult | undefined;
  /** The occlusion grid of `lastResult`, once explained (a new result without one clears it). */
  private static lastSaliency: OcclusionGrid | undefined;

  private constructor(ctx: ModelLabContext, panel: vscode.WebviewPanel, kind: PanelKind) {
    super(ctx, panel, { viewType: VIEW_TYPES[kind], script: 'imageResult', stylesheet: 'imageResult.css', allowDataImages: true, logName: 'Image result panel', parse: parseFromResultWebview });
  }

  /** Shows one image's result (creating or revealing the panel), with its occlusion grid once explained. */
  static showResult(ctx: ModelLabContext, result: ClassificationResult, saliency?: OcclusionGrid): Promise<ImageResultPanel> {
    ImageResultPanel.lastResult = result;
    ImageResultPanel.lastSaliency = saliency;
    void vscode.commands.executeCommand('setContext', IMAGE_RESULT_CONTEXT_KEY, true);
    return ImageResultPanel.showKind(ctx, 'single', { type: 'single', result, strings: resultStrings(), ...(saliency ? { saliency } : {}) }, ImageResultPanel.title(result));
  }

  /** Tells the open single-image panel that an explanation started or stopped (`error`: why, in the user's language). */
  static explaining(running: boolean, error?: string): void {
    PanelHost.openPanel<ImageResultPanel>(VIEW_TYPES.single)?.post({ type: 'explaining', running, ...(error ? { error } : {}) });
  }

  /** The single-image panel's tab title (also named by the status bar item that points here). */
  static title(result: ClassificationResult): string {
    return vscode.l10n.t('Image: {0}', result.label);
  }

  static showFolder(ctx: ModelLabContext, summary: FolderSummary): Promise<ImageResultPanel> {
    return ImageResultPanel.showKind(ctx, 'folder', { type: 'folder', summary, strings: resultStrings() }, vscode.l10n.t('Folder Classification'));
  }

  /** The most recent single-image result, for "Copy Result as JSON". */
  static latestResult(): ClassificationResult | undefined {
    return ImageResultPanel.lastResult;
  }

  /** The occlusion grid shown with `latestResult()`, if the user explained it: "Copy Result as JSON" includes it. */
  static latestSaliency(): OcclusionGrid | undefined {
    return ImageResultPanel.lastSaliency;
  }

  private static async showKind(ctx: ModelLabContext, kind: PanelKind, message: ToResultWebview, title: string): Promise<ImageResultPanel> {
    let instance = PanelHost.openPanel<ImageResultPanel>(VIEW_TYPES[kind]);
    if (instance) {
      instance.panel.title = title;
      instance.panel.reveal(undefined, true);
    } else {
      instance = new ImageResultPanel(ctx, await PanelHost.createBesidePanel(ctx, VIEW_TYPES[kind], title), kind);
    }
    instance.setContent(message);
    return instance;
  }

  /** Serializers so panels survive a window reload (the webview re-renders from its saved state). */
  static registerSerializers(ctx: ModelLabContext): vscode.Disposable[] {
    return (Object.keys(VIEW_TYPES) as PanelKind[]).map((kind) =>
      PanelHost.registerPanelSerializer(VIEW_TYPES[kind], (panel, state) => {
        new ImageResultPanel(ctx, panel, kind);
        const saved = state as ToResultWebview | undefined;
        if (saved?.type === 'single') {
          ImageResultPanel.lastResult = saved.result;
          ImageResultPanel.lastSaliency = saved.saliency;
          void vscode.commands.executeCommand('setContext', IMAGE_RESULT_CONTEXT_KEY, true);
        }
      }),
    );
  }

  protected async onMessage(message: Exclude<FromResultWebview, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'copyJson':
        await vscode.commands.executeCommand('modelLab.copyImageResult');
        this.post({ type: 'copied' });
        break;
      case 'explain': {
        const shown = this.content;
        if (shown?.type !== 'single' || !shown.result.file) break;
        const known = message.labelIndex === undefined || shown.result.top.some((p) => p.index === message.labelIndex);
        // Detached: "Copy Result as JSON" and the rest need not wait for the explanation.
        if (known) this.detach(Promise.resolve(vscode.commands.executeCommand<void>(CommandId.explainImage, vscode.Uri.file(shown.result.file), { labelIndex: message.labelIndex })));
        break;
      }
      case 'openFile':
        if (this.isKnownFile(message.file)) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(message.file), { preview: true, viewColumn: vscode.ViewColumn.One });
        break;
      case 'openCsv': {
        const shown = this.content;
        if (shown?.type === 'folder' && shown.summary.csvPath) {
          await vscode.window.showTextDocument(vscode.Uri.file(shown.summary.csvPath), { viewColumn: vscode.ViewColumn.One });
        }
        break;
      }
    }
  }

  /** Only files this panel listed may be opened from it. */
  private isKnownFile(file: string): boolean {
    const shown = this.content;
    if (shown?.type !== 'folder') return false;
    const s = shown.summary;
    return s.rows.some((r) => r.file === file) || s.errors.some((r) => r.file === file);
  }
}

