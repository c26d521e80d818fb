/**
 * Fits the FSRS parameters to the user's own review log ("Model Lab: Optimize Quiz Scheduling").
 *
 * The memory model is ts-fsrs's own (`FSRSAlgorithm.next_state` and `forgetting_curve`, the code that
 * schedules the cards), so the fitted parameters mean exactly what the scheduler does with them. The fit
 * minimises the log loss of the predicted recall on every review made a day or more after the previous one
 * (same-day reviews move the memory state but are not predictions), with Adam over the parameters scaled to
 * ts-fsrs's allowed ranges (`CLAMP_PARAMETERS`) and gradients by finite differences, and a light pull
 * toward the defaults so a small log cannot drag rarely-used parameters to their bounds. Why our own fit and
 * not `@open-spaced-repetition/binding`: see the README's dependency table. No `vscode` import.
 */
import type { Grade } from 'ts-fsrs' with { 'resolution-mode': 'import' };
import { CodedError } from '../common/errors';
import { daysBetween, type ProgressRecord } from './progress';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsfsrs = require('ts-fsrs') as typeof import('ts-fsrs', { with: { 'resolution-mode': 'import' } });

/** ts-fsrs's default parameters (FSRS-6, 21 numbers). */
export const DEFAULT_PARAMETERS: readonly number[] = [...tsfsrs.default_w];

/** The optimizer refuses to fit fewer long-term reviews than this (fsrs-rs, behind Anki, asks for a few hundred too). */
export const MIN_REVIEWS = 400;

/** One review of a card: its rating and the whole days since the card's previous review (0 for the first). */
export interface TrainingReview {
  rating: Grade;
  days: number;
}

/** Each card's reviews in time order, from the progress record. */
export function trainingItems(progress: ProgressRecord): TrainingReview[][] {
  const items: TrainingReview[][] = [];
  for (const entry of Object.values(progress.entries)) {
    const logs = [...entry.logs].sort((a, b) => a.review - b.review);
    if (logs.length === 0) continue;
    items.push(logs.map((l, k) => ({ rating: l.rating, days: k === 0 ? 0 : daysBetween(logs[k - 1]!.review, l.review) })));
  }
  return items;
}

/** Reviews that are predictions (a day or more after the card's previous review). */
export function countLongTermReviews(items: readonly TrainingReview[][]): number {
  let n = 0;
  for (const item of items) for (let k = 1; k < item.length; k++) if (item[k]!.days >= 1) n++;
  return n;
}

export interface Evaluation {
  /** Mean binary cross-entropy of predicted recall against "not Again". */
  logLoss: number;
  /** Root mean square error between predicted and actual recall, over 20 bins of predicted recall (weighted by count). */
  rmse: number;
  reviews: number;
}

/** Predicted recall and outcome of every long-term review under `w`. */
function predictions(w: readonly number[], items: readonly TrainingReview[][]): { r: number; y: number }[] {
  const algorithm = new tsfsrs.FSRSAlgorithm({ w: [...w], enable_short_term: true });
  const out: { r: number; y: number }[] = [];
  for (const item of items) {
    let state: { stability: number; difficulty: number } | null = null;
    for (const review of item) {
      if (state && review.days >= 1) {
        const r = tsfsrs.forgetting_curve(w as number[], review.days, state.stability);
        out.push({ r, y: review.rating > 1 ? 1 : 0 });
      }
      state = algorithm.next_state(state, review.days, review.rating);
    }
  }
  return out;
}

function logLossOf(points: readonly { r: number; y: number }[]): number {
  let sum = 0;
  for (const { r, y } of points) {
    const p = Math.min(1 - 1e-6, Math.max(1e-6, r));
    sum -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
  }
  return points.length > 0 ? sum / points.length : 0;
}

export function evaluate(w: readonly number[], items: readonly TrainingReview[][]): Evaluation {
  const points = predictions(w, items);
  const bins = Array.from({ length: 20 }, () => ({ n: 0, r: 0, y: 0 }));
  for (const { r, y } of points) {
    const b = bins[Math.min(19, Math.floor(r * 20))]!;
    b.n++;
    b.r += r;
    b.y += y;
  }
  let se = 0;
  for (const b of bins) if (b.n > 0) se += b.n * ((b.r - b.y) / b.n) ** 2;
  return { logLoss: logLossOf(points), rmse: points.length > 0 ? Math.sqrt(se / points.length) : 0, reviews: points.length };
}

export interface OptimizeResult {
  parameters: number[];
  before: Evaluation;
  after: Evaluation;
  /** True when the fitted parameters predict the user's reviews better (lower log loss) than the starting ones. */
  better: boolean;
}

export interface OptimizeOptions {
  /** Where the fit starts and what it is compared with: the parameters in use (defaults when none were fitted). */
  start?: readonly number[];
  iterations?: number;
  /** Called after each iteration; return false to stop early (cancellation). May await to yield the thread. */
  onIteration?: (done: number, total: number) => boolean | Promise<boolean>;
}

/** Fits the parameters. Throws when there are fewer than MIN_REVIEWS long-term reviews. */
export async function optimize(items: readonly TrainingReview[][], options: OptimizeOptions = {}): Promise<OptimizeResult> {
  const reviews = countLongTermReviews(items);
  if (reviews < MIN_REVIEWS) throw new NotEnoughReviewsError(reviews);
  const start = [...(options.start ?? DEFAULT_PARAMETERS)];
  const bounds = tsfsrs.CLAMP_PARAMETERS(tsfsrs.W17_W18_Ceiling, true);
  const lo = bounds.map((b) => b[0]!);
  const hi = bounds.map((b) => b[1]!);
  const span = lo.map((l, k) => Math.max(1e-6, hi[k]! - l));
  // Work in x = (w - lo) / span ∈ [0, 1], so one learning rate suits every parameter.
  const toW = (x: readonly number[]) => x.map((v, k) => lo[k]! + Math.min(1, Math.max(0, v)) * span[k]!);
  const x0 = start.map((w, k) => (Math.min(hi[k]!, Math.max(lo[k]!, w)) - lo[k]!) / span[k]!);
  const prior = DEFAULT_PARAMETERS.map((w, k) => (Math.min(hi[k]!, Math.max(lo[k]!, w)) - lo[k]!) / span[k]!);
  const pull = 0.5 / Math.sqrt(reviews);
  const objective = (x: readonly number[]) => logLossOf(predictions(toW(x), items)) + pull * x.reduce((s, v, k) => s + (v - prior[k]!) ** 2, 0);

  const iterations = options.iterations ?? 50;
  const rate = 0.02;
  const h = 1e-3;
  let x = [...x0];
  const m = x.map(() => 0);
  const v = x.map(() => 0);
  let best = { x: [...x], loss: objective(x) };
  for (let it = 1; it <= iterations; it++) {
    // Forward differences (one objective per parameter), stepping inward at the upper bound.
    const base = objective(x);
    const grad = x.map((xk, k) => {
      const step = xk + h <= 1 ? h : -h;
      const moved = [...x];
      moved[k] = xk + step;
      return (objective(moved) - base) / step;
    });
    x = x.map((xk, k) => {
      m[k] = 0.9 * m[k]! + 0.1 * grad[k]!;
      v[k] = 0.999 * v[k]! + 0.001 * grad[k]! ** 2;
      const mHat = m[k]! / (1 - 0.9 ** it);
      const vHat = v[k]! / (1 - 0.999 ** it);
      return Math.min(1, Math.max(0, xk - (rate * mHat) / (Math.sqrt(vHat) + 1e-8)));
    });
    const loss = objective(x);
    if (loss < best.loss) best = { x: [...x], loss };
    if (options.onIteration && (await options.onIteration(it, iterations)) === false) break;
  }
  const parameters = toW(best.x).map((w) => Math.round(w * 1e4) / 1e4);
  const before = evaluate(start, items);
  const after = evaluate(parameters, items);
  return { parameters, before, after, better: after.logLoss < before.logLoss };
}

/** Fewer long-term reviews than the optimizer needs. */
export class NotEnoughReviewsError extends CodedError {
  constructor(readonly reviews: number) {
    super('quiz-not-enough-reviews', 'The optimizer needs at least {0} reviews made a day or more after the previous one; the log has {1}.', [MIN_REVIEWS, reviews]);
  }
}

/** Checks stored parameters (from globalState): 21 finite numbers, or undefined. */
export function readParameters(v: unknown): number[] | undefined {
  if (!Array.isArray(v) || v.length !== DEFAULT_PARAMETERS.length || !v.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  return v as number[];
}
