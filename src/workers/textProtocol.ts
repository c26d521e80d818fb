/**
 * The calls of src/workers/textWorker.ts. The extension host only sends text and receives the result:
 * tokenization, windowing and inference all run in the worker, so a 1 MB file never blocks the host's event
 * loop. No `vscode` import.
 */
import { workerCall } from '../common/workerCall';
import type { ScopeWarning } from '../common/modelScope';
import type { ExplainOptions, TextExplanation } from '../text/explain';
import type { ModelVariantSetting } from '../text/modelVariant';
import type { ClassifyOptions, TextClassificationResult, TextModelSummary } from '../text/onnxTextClassifier';

export interface TextModelParams {
  readonly modelDir: string;
  /** ORT intra-op threads; 0 = ORT's default. */
  readonly threads: number;
  /** fp32 or int8 graph (`modelLab.text.modelVariant`); default "auto": what the folder's config.json records. */
  readonly variant?: ModelVariantSetting;
}

export interface ClassifyTextParams extends TextModelParams {
  readonly texts: readonly string[];
  readonly options: ClassifyOptions;
}

export interface ClassifyTextReply {
  /** One result per text, in order. */
  readonly results: TextClassificationResult[];
  /** Time spent loading the model for this request (0 when the cached session was reused). */
  readonly loadMs: number;
  /** Per text, in order: why it is outside the model's scope (config.json `model_lab`); empty when it is not. */
  readonly warnings: ScopeWarning[][];
  /** The model's display names for labels per locale (`model_lab.label_names`), when it has any. */
  readonly labelNames?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface ExplainTextParams extends TextModelParams {
  readonly text: string;
  readonly options: ExplainOptions;
}

/** Leave-one-out word attributions for one text (src/text/explain.ts). */
export const explainTextCall = workerCall<ExplainTextParams, TextExplanation>('explain');

export const classifyText = workerCall<ClassifyTextParams, ClassifyTextReply>('classify');

export const describeTextModel = workerCall<TextModelParams, TextModelSummary>('describe');
