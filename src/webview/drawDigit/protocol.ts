/**
 * Messages of the draw-a-digit panel, shared by src/ui/drawDigitPanel.ts and the webview (main.ts).
 * The webview sends the drawing as ink coverage (0–255) downsampled to INK_SIZE × INK_SIZE.
 */
import type { Prediction } from '../../vision/classifier';

/** 280-px canvas averaged over 5×5 blocks: enough detail for a 20-px digit box, 3 KB per message. */
export const INK_SIZE = 56;
export const CANVAS_SIZE = 280;

export interface DrawStrings {
  readonly title: string;
  readonly hint: string;
  readonly canvasLabel: string;
  readonly clear: string;
  readonly undo: string;
  readonly empty: string;
  readonly prediction: string;
  readonly latency: string;
  readonly modelSaw: string;
  readonly model: string;
  readonly announce: string;
}

export type ToDrawWebview =
  | { readonly type: 'init'; readonly strings: DrawStrings }
  | { readonly type: 'model'; readonly name: string; readonly runtime: string }
  | {
      readonly type: 'prediction';
      readonly seq: number;
      readonly top: readonly Prediction[];
      readonly previewPng?: string;
      /** Time inside the worker (preprocess + infer). */
      readonly workerMs: number;
    }
  | { readonly type: 'empty'; readonly seq: number }
  | { readonly type: 'error'; readonly seq: number; readonly message: string };

export type FromDrawWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'predict'; readonly seq: number; readonly width: number; readonly height: number; readonly ink: readonly number[] }
  /** Stroke end → result shown, measured in the webview, for the log. */
  | { readonly type: 'latency'; readonly ms: number; readonly workerMs: number };

export function parseFromDrawWebview(message: unknown): FromDrawWebview | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'latency':
      return typeof m.ms === 'number' && typeof m.workerMs === 'number' ? { type: 'latency', ms: m.ms, workerMs: m.workerMs } : undefined;
    case 'predict': {
      const { seq, width, height, ink } = m;
      if (typeof seq !== 'number' || typeof width !== 'number' || typeof height !== 'number') return undefined;
      if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 512 || height > 512) return undefined;
      if (!Array.isArray(ink) || ink.length !== width * height) return undefined;
      if (!ink.every((v) => typeof v === 'number' && v >= 0 && v <= 255)) return undefined;
      return { type: 'predict', seq, width, height, ink: ink as number[] };
    }
    default:
      return undefined;
  }
}
