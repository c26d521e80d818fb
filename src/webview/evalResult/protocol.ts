/**
 * The message protocol between the evaluation panel (src/ui/evalResultPanel.ts) and its webview (main.ts).
 * No `vscode` and no DOM dependency; the extension validates every message with `parseFromEvalWebview`.
 */
import type { PerClassTableStrings } from '../shared/perClassStrings';

export interface EvalStrings extends PerClassTableStrings {
  readonly title: string;
  readonly summary: string;
  readonly cancelled: string;
  readonly accuracy: string;
  readonly macroF1: string;
  readonly ece: string;
  readonly confusion: string;
  readonly confusionHelp: string;
  readonly actual: string;
  readonly predicted: string;
  readonly cellLabel: string;
  readonly mistakes: string;
  readonly noMistakes: string;
  readonly examplesOf: string;
  readonly examplesShown: string;
  readonly confidence: string;
  readonly line: string;
  readonly open: string;
  readonly export: string;
  readonly exported: string;
  readonly onlyInData: string;
  readonly onlyInModel: string;
  readonly failures: string;
}

/** One example as the panel lists it. */
export interface EvalExample {
  readonly file: string;
  /** The file name (images) or the text's start (texts). */
  readonly title: string;
  readonly line?: number;
  /** A webview URI of the image, for a thumbnail. */
  readonly thumbnail?: string;
  readonly actual: string;
  readonly predicted: string;
  readonly confidence: number;
}

export interface EvalView {
  readonly data: string;
  readonly model: string;
  readonly kind: 'images' | 'texts';
  readonly count: number;
  readonly total: number;
  readonly cancelled: boolean;
  readonly elapsedMs: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly ece: number;
  /** Display names of the matrix's rows and columns. */
  readonly labels: readonly string[];
  readonly confusion: readonly (readonly number[])[];
  readonly perClass: readonly { readonly label: string; readonly precision: number; readonly recall: number; readonly f1: number; readonly support: number }[];
  readonly mistakes: readonly EvalExample[];
  readonly labelsOnlyInData: readonly string[];
  readonly labelsOnlyInModel: readonly string[];
  readonly failureCount: number;
}

export type ToEvalWebview =
  | { readonly type: 'show'; readonly view: EvalView; readonly strings: EvalStrings }
  | { readonly type: 'cell'; readonly actual: number; readonly predicted: number; readonly count: number; readonly examples: readonly EvalExample[] }
  | { readonly type: 'exported'; readonly where: string };

export type FromEvalWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'cell'; readonly actual: number; readonly predicted: number }
  /** Open example `index` of the list `list` ('mistakes' or the cell last shown). */
  | { readonly type: 'open'; readonly list: 'mistakes' | 'cell'; readonly index: number }
  | { readonly type: 'export' };

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

export function parseFromEvalWebview(raw: unknown): FromEvalWebview | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'export':
      return { type: m.type };
    case 'cell':
      return isIndex(m.actual) && isIndex(m.predicted) ? { type: 'cell', actual: m.actual, predicted: m.predicted } : undefined;
    case 'open':
      return (m.list === 'mistakes' || m.list === 'cell') && isIndex(m.index) ? { type: 'open', list: m.list, index: m.index } : undefined;
    default:
      return undefined;
  }
}

