/**
 * The calls of src/workers/imageWorker.ts, used by the extension (src/ui/imageWorkerHost.ts). Every call names
 * the model (a folder, .onnx or model.json path); the worker keeps the last model cached. A model or file
 * problem rejects the call with a CodedError (src/vision/errors.ts); in a batch, a bad file is an error outcome
 * of its own and the others still run. No `vscode` import.
 */
import { workerCall } from '../common/workerCall';
import type { ClassificationOutcome, ClassificationResult, ModelSummary } from '../vision/classifier';
import type { OcclusionGrid } from '../vision/explain';

export const describeImageModel = workerCall<{ readonly model: string }, ModelSummary>('describeModel');

export const classifyImageFile = workerCall<{ readonly model: string; readonly file: string; readonly preview: boolean }, ClassificationResult>('classifyFile');

export const classifyImageFiles = workerCall<
  { readonly model: string; readonly files: readonly string[] },
  { readonly outcomes: readonly ClassificationOutcome[]; readonly batchMs: number }
>('classifyFiles');

export const classifyInk = workerCall<
  { readonly model: string; readonly ink: Uint8Array; readonly width: number; readonly height: number },
  { readonly result: ClassificationResult; readonly workerMs: number }
>('classifyInk');

/**
 * Classifies one file (with the preview) and explains it: the occlusion grid over the model's input for the
 * predicted label, or `labelIndex`. One call, so the result and its explanation come from the same model.
 */
export const explainImageFile = workerCall<
  { readonly model: string; readonly file: string; readonly labelIndex?: number },
  { readonly result: ClassificationResult; readonly saliency: OcclusionGrid }
>('explainFile');
