/**
 * The message protocol of the image result panel (single image and folder summary), imported by the
 * panel (src/ui/imageResultPanel.ts) and the webview (main.ts). Type-only imports keep the webview
 * bundle free of Node code.
 */
import type { ClassificationResult } from '../../vision/classifier';
import type { FolderFileRow } from '../../vision/folderReport';
import type { OcclusionGrid } from '../../vision/explain';
import type { SaliencySummaryStrings } from './saliencyView';

/** The Explain action and the saliency overlay's words (localized by the extension). */
export interface SaliencyStrings extends SaliencySummaryStrings {
  /** The button. */
  readonly explain: string;
  /** What it does, for its tooltip and accessible description. */
  readonly explainHint: string;
  /** The label picker's name. */
  readonly explainLabel: string;
  /** The button while the worker runs. */
  readonly explaining: string;
  /** {0} label, {1} its probability. */
  readonly heading: string;
  /** {0} label. */
  readonly lowers: string;
  /** {0} label. */
  readonly raises: string;
  /** {0} label, {1} lowest and {2} highest value in this image: what the legend's numbers are. */
  readonly scaleCaption: string;
  /** {0} rows, {1} columns, {2} patch, {3} stride, {4} model runs, {5} time. */
  readonly gridLine: string;
  readonly showOverlay: string;
  /** {0} label: the overlay canvas' accessible name. */
  readonly overlayAlt: string;
  /** The hint under the legend: where the strongest cell is outlined. */
  readonly outlineNote: string;
}

/** UI strings, localized by the extension (the webview has no l10n API of its own). */
export interface ResultStrings {
  readonly title: string;
  readonly folderTitle: string;
  readonly topThree: string;
  readonly modelSaw: string;
  readonly previewAlt: string;
  readonly latency: string;
  readonly decode: string;
  readonly preprocess: string;
  readonly infer: string;
  readonly total: string;
  readonly model: string;
  readonly source: string;
  readonly inverted: string;
  readonly copyJson: string;
  readonly copied: string;
  readonly countsPerLabel: string;
  readonly label: string;
  readonly count: string;
  readonly file: string;
  readonly confidence: string;
  readonly error: string;
  readonly filesLowestFirst: string;
  readonly openCsv: string;
  readonly summaryLine: string;
  readonly cancelledLine: string;
  readonly failedFiles: string;
  readonly announce: string;
  readonly saliency: SaliencyStrings;
}

export interface FolderSummary {
  readonly folder: string;
  /** The folder as the heading shows it (workspace-relative, `~/…` or its name) and its full path for the tooltip. */
  readonly folderLabel?: { readonly text: string; readonly title: string };
  readonly csvPath?: string;
  readonly model: string;
  readonly total: number;
  readonly classified: number;
  readonly failed: number;
  readonly cancelled: boolean;
  readonly elapsedMs: number;
  readonly imagesPerSecond: number;
  readonly counts: readonly { readonly label: string; readonly count: number }[];
  /** Classified files, lowest confidence first. */
  readonly rows: readonly FolderFileRow[];
  readonly errors: readonly FolderFileRow[];
}

export type ToResultWebview =
  | {
      readonly type: 'single';
      readonly result: ClassificationResult;
      readonly strings: ResultStrings;
      /** The occlusion grid, once the user asked for an explanation of this result. */
      readonly saliency?: OcclusionGrid;
    }
  /** An explanation is running (the button shows it), or stopped; `error` says why it stopped (localized). */
  | { readonly type: 'explaining'; readonly running: boolean; readonly error?: string }
  | { readonly type: 'folder'; readonly summary: FolderSummary; readonly strings: ResultStrings }
  | { readonly type: 'copied' };

export type FromResultWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'copyJson' }
  /** Explain the shown result: the predicted label, or `labelIndex` (one of the top 3). */
  | { readonly type: 'explain'; readonly labelIndex?: number }
  | { readonly type: 'openFile'; readonly file: string }
  | { readonly type: 'openCsv' };

/** Validates a message from the webview (it is untrusted input). */
export function parseFromResultWebview(message: unknown): FromResultWebview | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'copyJson':
    case 'openCsv':
      return { type: m.type };
    case 'explain':
      if (m.labelIndex === undefined) return { type: 'explain' };
      return Number.isSafeInteger(m.labelIndex) && (m.labelIndex as number) >= 0 ? { type: 'explain', labelIndex: m.labelIndex as number } : undefined;
    case 'openFile':
      return typeof m.file === 'string' ? { type: 'openFile', file: m.file } : undefined;
    default:
      return undefined;
  }
}
