/**
 * Messages between the extension (or CLI) and src/workers/imageWorker.ts. Every request names the model
 * (a folder, .onnx or model.json path); the worker keeps the last model's session cached. No `vscode` import.
 */
import type { ClassificationOutcome, ModelSummary } from './classifier';
import type { VisionErrorData } from './errors';

export type ImageWorkerRequest =
  | { readonly type: 'describeModel'; readonly model: string }
  | { readonly type: 'classifyFile'; readonly model: string; readonly file: string; readonly preview: boolean }
  | { readonly type: 'classifyFiles'; readonly model: string; readonly files: readonly string[] }
  | { readonly type: 'classifyInk'; readonly model: string; readonly ink: Uint8Array; readonly width: number; readonly height: number };

export type DescribeModelReply = { readonly ok: true; readonly model: ModelSummary } | { readonly ok: false; readonly error: VisionErrorData };
export type ClassifyFileReply = ClassificationOutcome;
/** A model error fails the whole batch; per-file errors stay per file. */
export type ClassifyFilesReply =
  | { readonly ok: true; readonly outcomes: readonly ClassificationOutcome[]; readonly batchMs: number }
  | { readonly ok: false; readonly error: VisionErrorData };
export type ClassifyInkReply = ClassificationOutcome & { readonly workerMs: number };
