/**
 * The one message protocol between the model inspector editor (src/ui/modelInspectorEditor.ts) and its webview
 * script (main.ts). Both sides import this module; it has no `vscode` and no DOM dependency. The extension side
 * validates every message it receives with `parseFromInspectorWebview`.
 */
import type { BenchmarkResult } from '../../inspector/benchmark';
import type { WeightStats } from '../../inspector/tensorStats';
import type { ModelView } from '../../inspector/view';

/** Localized strings (the webview has no l10n of its own). `{0}`… are filled by the webview. */
export interface InspectorStrings {
  readonly loading: string;
  readonly failed: string;
  readonly tabSummary: string;
  readonly tabOperators: string;
  readonly tabWeights: string;
  readonly tabGraph: string;
  readonly tabBenchmark: string;
  readonly format: string;
  readonly producer: string;
  readonly irVersion: string;
  readonly opsets: string;
  readonly fileSize: string;
  readonly externalData: string;
  readonly graphName: string;
  readonly inputs: string;
  readonly outputs: string;
  readonly name: string;
  readonly type: string;
  readonly shape: string;
  readonly parameters: string;
  readonly storage: string;
  readonly tensors: string;
  readonly values: string;
  readonly bytes: string;
  readonly metadata: string;
  readonly config: string;
  readonly modelType: string;
  readonly task: string;
  readonly labels: string;
  readonly preprocessing: string;
  readonly notes: string;
  readonly classifiers: string;
  readonly imageClassifier: string;
  readonly textClassifier: string;
  readonly fits: string;
  readonly useAsImage: string;
  readonly useAsText: string;
  readonly histogram: string;
  readonly filterNodes: string;
  readonly nodesShown: string;
  readonly showMore: string;
  readonly attributes: string;
  readonly subgraph: string;
  readonly opType: string;
  readonly location: string;
  readonly embedded: string;
  readonly external: string;
  readonly statistics: string;
  readonly computeStats: string;
  readonly computing: string;
  readonly min: string;
  readonly max: string;
  readonly mean: string;
  readonly std: string;
  readonly zeros: string;
  readonly nans: string;
  readonly firstValues: string;
  readonly valueHistogram: string;
  readonly sortBy: string;
  readonly graphHelp: string;
  readonly zoomIn: string;
  readonly zoomOut: string;
  readonly fit: string;
  readonly showInList: string;
  readonly benchmarkHelp: string;
  readonly dynamicDims: string;
  readonly runs: string;
  readonly threads: string;
  readonly runBenchmark: string;
  readonly cancel: string;
  readonly running: string;
  readonly latency: string;
  readonly p50: string;
  readonly p95: string;
  readonly sessionCreated: string;
  readonly byOpType: string;
  readonly slowestNodes: string;
  readonly node: string;
  readonly timeMs: string;
  readonly share: string;
  readonly benchmarkDone: string;
  readonly profileNote: string;
  readonly unknownShape: string;
  readonly reopenAsText: string;
}

/** Classifier fit, localized: a setting value when it fits, else one sentence. */
export type FitView = { readonly fits: true; readonly value: string } | { readonly fits: false; readonly reason: string };

export interface InspectorModelMessage {
  readonly type: 'model';
  readonly model: ModelView;
  readonly fit: { readonly image: FitView; readonly text: FitView };
  /** Why the benchmark cannot run (localized), when it cannot. */
  readonly benchmarkUnavailable?: string;
}

export type ToInspectorWebview =
  | { readonly type: 'loading'; readonly file: string; readonly strings: InspectorStrings }
  | { readonly type: 'error'; readonly file: string; readonly message: string; readonly strings: InspectorStrings }
  | (InspectorModelMessage & { readonly strings: InspectorStrings })
  | { readonly type: 'weightStats'; readonly weight: string; readonly stats: WeightStats }
  | { readonly type: 'weightStatsError'; readonly weight: string; readonly message: string }
  | { readonly type: 'benchmark'; readonly result: BenchmarkResult }
  | { readonly type: 'benchmarkError'; readonly message: string }
  | { readonly type: 'settingUpdated'; readonly message: string };

export type FromInspectorWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'weightStats'; readonly weight: string }
  | { readonly type: 'benchmark'; readonly dims: Readonly<Record<string, number>>; readonly runs: number; readonly threads: number }
  | { readonly type: 'cancelBenchmark' }
  | { readonly type: 'useAs'; readonly kind: 'image' | 'text' }
  /** From the error view: open the file in VS Code's text editor (a model.json that is not a model, say). */
  | { readonly type: 'reopenAsText' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const wholeNumber = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** The message if it is one the webview may send, with values in range; otherwise undefined. */
export function parseFromInspectorWebview(raw: unknown): FromInspectorWebview | undefined {
  if (!isRecord(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
    case 'cancelBenchmark':
    case 'reopenAsText':
      return { type: raw.type };
    case 'weightStats':
      return typeof raw.weight === 'string' && raw.weight.length < 10_000 ? { type: 'weightStats', weight: raw.weight } : undefined;
    case 'useAs':
      return raw.kind === 'image' || raw.kind === 'text' ? { type: 'useAs', kind: raw.kind } : undefined;
    case 'benchmark': {
      if (!isRecord(raw.dims) || !wholeNumber(raw.runs, 1, 1000) || !wholeNumber(raw.threads, 1, 64)) return undefined;
      const dims: Record<string, number> = {};
      for (const [k, v] of Object.entries(raw.dims)) {
        // A dimension of 0 is legal ONNX but gives empty tensors; sizes beyond 1 M elements per axis are typos.
        if (!wholeNumber(v, 1, 1_000_000)) return undefined;
        dims[k] = v;
      }
      return { type: 'benchmark', dims, runs: raw.runs, threads: raw.threads };
    }
    default:
      return undefined;
  }
}
