/**
 * Messages between the "Train Text Classifier…" command and src/workers/trainWorker.ts. The request carries a
 * MessagePort: the worker posts `TrainProgressMessage`s on it while training, and the command posts
 * `{ cancel: true }` to stop between batches (so the temporary folder is cleaned up); the final reply comes back
 * through the ordinary typed call (`trainText`). No `vscode` import.
 */
import type { MessagePort } from 'node:worker_threads';
import { workerCall } from '../common/workerCall';
import type { TextTrainResult, TrainEvent } from '../train/text/pipeline';
import type { TrainRecipe } from '../train/text/recipeOptions';

export interface TrainTextRequest {
  dataFile: string;
  out: string;
  recipe: TrainRecipe;
  /** The encoder folder, for the frozen-encoder recipe. */
  encoder?: string;
  /** Adam learning rate (unset: the recipe's default). */
  lr?: number;
  /** Passes over the training part (unset: scaled to the data, with early stopping). */
  epochs?: number;
  /** Replace a model folder already at `out` (the user confirmed); anything else there is never replaced. */
  replaceModel?: boolean;
  /** Records what ran for config.json's provenance. */
  command: string;
  port: MessagePort;
}

export interface TrainProgressMessage {
  message: string;
  /** 0..1 of the whole run. */
  fraction: number;
  /** A curve point after each epoch, the evaluation at the end (for the training panel). */
  event?: TrainEvent;
}

export interface TrainCancelMessage {
  cancel: true;
}

/** The pipeline's result when training finished; `{ completed: false }` when cancellation stopped it (nothing was written). */
export type TrainTextReply = (TextTrainResult & { completed: true }) | { completed: false };

export const trainText = workerCall<TrainTextRequest, TrainTextReply>('train-text');
