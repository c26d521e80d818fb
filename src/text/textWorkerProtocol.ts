/**
 * Messages between the extension host and src/workers/textWorker.ts. The extension host only sends text
 * and receives the result: tokenization, windowing and inference all run in the worker, so a 1 MB file
 * never blocks the host's event loop. No `vscode` import.
 */
import type { ClassifyOptions, TextClassificationResult, TextModelSummary } from './textClassifier';

export interface ClassifyTextRequest {
  readonly op: 'classify';
  readonly modelDir: string;
  /** ORT intra-op threads; 0 = ORT's default. */
  readonly threads: number;
  readonly texts: readonly string[];
  readonly options: ClassifyOptions;
}

export interface DescribeTextModelRequest {
  readonly op: 'describe';
  readonly modelDir: string;
  readonly threads: number;
}

export type TextWorkerRequest = ClassifyTextRequest | DescribeTextModelRequest;

export interface ClassifyTextReply {
  /** One result per text, in order. */
  readonly results: TextClassificationResult[];
  /** Time spent loading the model for this request (0 when the cached session was reused). */
  readonly loadMs: number;
}

export type DescribeTextModelReply = TextModelSummary;
