/**
 * One epoch of minibatch steps: the inner training loop, written once. The pipeline (users' data, both recipes)
 * and `scripts/trainText.ts` (the bundled model, with its own learning-rate schedule and time budget) both run
 * their epochs through it; what differs between them goes in the hooks. No `vscode` import.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tfjs } from '../../common/tfjsBackend';

export interface EpochSteps {
  tf: Tfjs;
  optimizer: tfTypes.Optimizer;
  /** Variables the optimiser updates. */
  variables: tfTypes.Variable[];
  /** This epoch's shuffled row order; step `s` takes rows `order[s·batch … (s+1)·batch)`. */
  order: readonly number[];
  batch: number;
  /** Steps to run (at most `ceil(order.length / batch)`). */
  steps: number;
  /** The batch's loss; called inside the optimiser's gradient scope, which frees the tensors it makes. */
  loss(rows: readonly number[]): tfTypes.Scalar;
  /** Before each step: a learning-rate schedule, a cancellation check. */
  beforeStep?(step: number): void;
  /** After each step, with the mean loss so far; awaited, so a caller can yield to let messages through. */
  afterStep?(step: number, meanLoss: number): void | Promise<void>;
}

/** Runs the steps (forward → loss → gradients → optimiser step) and returns the epoch's mean training loss. */
export async function runEpoch(e: EpochSteps): Promise<number> {
  let lossSum = 0;
  for (let s = 0; s < e.steps; s++) {
    e.beforeStep?.(s);
    const rows = e.order.slice(s * e.batch, (s + 1) * e.batch);
    const loss = e.optimizer.minimize(() => e.loss(rows), true, e.variables);
    if (!loss) throw new Error('optimizer.minimize returned no loss');
    lossSum += (loss.dataSync() as Float32Array)[0];
    loss.dispose();
    await e.afterStep?.(s, lossSum / (s + 1));
  }
  return e.steps > 0 ? lossSum / e.steps : NaN;
}
