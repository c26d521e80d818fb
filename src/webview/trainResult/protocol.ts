/**
 * The message protocol between the training panel (src/ui/trainingPanel.ts) and its webview script (main.ts).
 * Both sides import this module; no `vscode` and no DOM dependency. The extension validates what it receives
 * with `parseFromTrainWebview`.
 */
import type { PerClassTableStrings } from '../shared/perClassStrings';

/** Localized strings sent with the first message (the webview has no l10n of its own). */
export interface TrainPanelStrings extends PerClassTableStrings {
  readonly heading: string;
  readonly curves: string;
  readonly trainLoss: string;
  readonly validationLoss: string;
  readonly validationAccuracy: string;
  readonly epoch: string;
  readonly loss: string;
  readonly accuracy: string;
  readonly waiting: string;
  readonly confusion: string;
  readonly actualPredicted: string;
  readonly summary: string;
  readonly baseline: string;
  readonly learned: string;
  readonly notLearned: string;
  readonly cancelled: string;
  readonly failed: string;
  readonly curvesTable: string;
}

/** One point of the curves (after each epoch). */
export interface TrainCurvePoint {
  readonly epoch: number;
  readonly epochs: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
}

/** What the panel shows at the end. */
export interface TrainOutcome {
  readonly labels: readonly string[];
  /** confusion[actual][predicted]. */
  readonly confusion: readonly (readonly number[])[];
  readonly perClass: readonly { readonly label: string; readonly precision: number; readonly recall: number; readonly f1: number; readonly support: number }[];
  readonly accuracy: number;
  readonly macroF1: number;
  readonly heldOut: number;
  readonly baselineLabel: string;
  readonly baselineAccuracy: number;
  readonly learned: boolean;
  /** A sentence for the summary, already localized. */
  readonly summary: string;
  /** What to try when the model did not learn, already localized. */
  readonly hints: readonly string[];
}

export type ToTrainWebview =
  | { readonly type: 'start'; readonly title: string; readonly strings: TrainPanelStrings }
  | { readonly type: 'status'; readonly message: string; readonly fraction: number }
  | { readonly type: 'epoch'; readonly point: TrainCurvePoint }
  | { readonly type: 'done'; readonly outcome: TrainOutcome }
  | { readonly type: 'stopped'; readonly reason: 'cancelled' | 'failed'; readonly message: string };

export type FromTrainWebview = { readonly type: 'ready' };

/** The only message the webview sends; anything else is refused. */
export function parseFromTrainWebview(raw: unknown): FromTrainWebview | undefined {
  return typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'ready' ? { type: 'ready' } : undefined;
}


/**
 * Polyline points for values over epochs in a `width`×`height` box (y grows downward): x by epoch over
 * 1…epochs, y scaled to [0, max] (max at least `minMax`, so a flat curve near 0 stays at the bottom).
 */
export function curvePoints(values: readonly { epoch: number; value: number }[], epochs: number, width: number, height: number, max: number): string {
  const span = Math.max(1, epochs - 1);
  return values
    .filter((v) => Number.isFinite(v.value))
    .map((v) => `${(((v.epoch - 1) / span) * width).toFixed(1)},${(height - (Math.min(v.value, max) / max) * height).toFixed(1)}`)
    .join(' ');
}
