/**
 * Runs a model over labelled examples in batches and accumulates the metrics. The model is a function
 * (`predict`), so the same loop serves the CLI (in-process classifiers) and the extension (worker calls),
 * for images and texts. Memory is bounded by the accumulator, not by the data. No `vscode` import.
 */
import { EvaluationAccumulator, type CellExamples, type EvaluationReport, type ExampleRef } from '../common/classificationMetrics';

/** What a model said about one example: its label and the probability of that label, or why it could not say. */
export type ExamplePrediction = { readonly ok: true; readonly label: string; readonly confidence: number } | { readonly ok: false; readonly message: string };

export interface EvaluationInput<E> {
  readonly examples: readonly E[];
  readonly labelOf: (example: E) => string;
  readonly refOf: (example: E) => ExampleRef;
  /** One prediction per example, in order. */
  readonly predict: (batch: readonly E[]) => Promise<readonly ExamplePrediction[]>;
  readonly modelLabels: readonly string[];
  readonly batchSize?: number;
  /** Called after each batch with the examples done so far. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Checked between batches: when it returns true the run stops and reports what it has (`cancelled`). */
  readonly isCancelled?: () => boolean;
}

export interface EvaluationOutcome {
  readonly report: EvaluationReport;
  /** Every non-empty cell of the confusion matrix, with its first examples. */
  readonly cells: CellExamples[];
  readonly cancelled: boolean;
  /** Examples in the data (the report counts those evaluated before a cancel). */
  readonly total: number;
  readonly elapsedMs: number;
}

export const DEFAULT_EVAL_BATCH = 32;

export async function evaluateExamples<E>(input: EvaluationInput<E>): Promise<EvaluationOutcome> {
  const started = performance.now();
  const acc = new EvaluationAccumulator(input.modelLabels);
  const batchSize = Math.max(1, input.batchSize ?? DEFAULT_EVAL_BATCH);
  const total = input.examples.length;
  let cancelled = false;
  for (let i = 0; i < total; i += batchSize) {
    if (input.isCancelled?.()) {
      cancelled = true;
      break;
    }
    const batch = input.examples.slice(i, i + batchSize);
    const predictions = await input.predict(batch);
    if (predictions.length !== batch.length) throw new Error(`the model returned ${predictions.length} predictions for ${batch.length} examples`);
    batch.forEach((example, j) => {
      const p = predictions[j];
      const ref = input.refOf(example);
      if (p.ok) acc.add({ ...ref, actual: input.labelOf(example), predicted: p.label, confidence: p.confidence });
      else acc.fail(ref, p.message);
    });
    input.onProgress?.(Math.min(total, i + batch.length), total);
  }
  return { report: acc.report(), cells: acc.allCells(), cancelled, total, elapsedMs: performance.now() - started };
}
