/**
 * Messages between the "Train Text Classifier…" command and src/workers/trainWorker.ts. The request carries a
 * MessagePort: the worker posts `TrainProgressMessage`s on it while training, and the command posts
 * `{ cancel: true }` to stop between batches (so the temporary folder is cleaned up); the final reply comes back
 * through the ordinary typed call (`trainText`). No `vscode` import.
 */
import type { MessagePort } from 'node:worker_threads';
import { workerCall } from '../common/workerCall';

export type TrainRecipe = 'bert-tiny' | 'frozen-encoder';

export interface TrainTextRequest {
  dataFile: string;
  out: string;
  recipe: TrainRecipe;
  /** The encoder folder, for the frozen-encoder recipe. */
  encoder?: string;
  /** The head's Adam learning rate, for the frozen-encoder recipe (default 1e-5). */
  lr?: number;
  /** Records what ran for config.json's provenance. */
  command: string;
  port: MessagePort;
}

export interface TrainProgressMessage {
  message: string;
  /** 0..1 of the whole run. */
  fraction: number;
}

export interface TrainCancelMessage {
  cancel: true;
}

export interface TrainTextReply {
  out: string;
  heldOutAccuracy: number;
  heldOutMacroF1: number;
  heldOut: number;
  train: number;
  seconds: number;
  /** False when cancellation stopped the run; nothing was written then. */
  completed: boolean;
}

export const trainText = workerCall<TrainTextRequest, TrainTextReply>('train-text');
