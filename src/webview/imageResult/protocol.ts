/**
 * The message protocol of the image result panel (single image and folder summary), imported by the
 * panel (src/ui/imageResultPanel.ts) and the webview (main.ts). Type-only imports keep the webview
 * bundle free of Node code.
 */
import type { ClassificationResult } from '../../vision/classifier';
import type { FolderFileRow } from '../../vision/folderReport';

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
  | { readonly type: 'single'; readonly result: ClassificationResult; readonly strings: ResultStrings }
  | { readonly type: 'folder'; readonly summary: FolderSummary; readonly strings: ResultStrings }
  | { readonly type: 'copied' };

export type FromResultWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'copyJson' }
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
    case 'openFile':
      return typeof m.file === 'string' ? { type: 'openFile', file: m.file } : undefined;
    default:
      return undefined;
  }
}
