// The FSRS optimizer's round trip: a review log simulated from known parameters (recall drawn from those
// parameters' forgetting curve) is fitted, and the fitted parameters predict it better than ts-fsrs's
// defaults do. Plus: the minimum-review refusal, and the training items built from stored logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countLongTermReviews, DEFAULT_PARAMETERS, evaluate, MIN_REVIEWS, NotEnoughReviewsError, optimize, readParameters, trainingItems, type TrainingReview } from '../../../src/quiz/optimizer';
import { applyGrade, configureScheduler, previewGrades } from '../../../src/quiz/scheduler';
import { emptyProgress } from '../../../src/quiz/progress';
import { mulberry32 } from '../../../src/common/random';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tsfsrs = require('ts-fsrs') as typeof import('ts-fsrs', { with: { 'resolution-mode': 'import' } });

/** A learner whose memory differs from the defaults: weaker first memories, a steeper forgetting curve. */
const TRUTH = DEFAULT_PARAMETERS.map((w, k) => (k <= 3 ? w * 0.35 : k === 20 ? 0.35 : w));

function simulate(cards: number, reviewsPerCard: number, seed: number): TrainingReview[][] {
  const random = mulberry32(seed);
  const model = new tsfsrs.FSRSAlgorithm({ w: TRUTH, enable_short_term: true });
  const items: TrainingReview[][] = [];
  for (let c = 0; c < cards; c++) {
    const item: TrainingReview[] = [];
    let state: { stability: number; difficulty: number } | null = null;
    let days = 0;
    for (let k = 0; k < reviewsPerCard; k++) {
      let rating: 1 | 2 | 3 | 4;
      if (!state) rating = ([1, 2, 3, 3, 3, 4] as const)[Math.floor(random() * 6)]!;
      else rating = random() < tsfsrs.forgetting_curve(TRUTH, days, state.stability) ? (random() < 0.15 ? 2 : random() < 0.1 ? 4 : 3) : 1;
      item.push({ rating, days });
      state = model.next_state(state, days, rating);
      // Intervals around the true stability, so recall varies from likely to unlikely.
      days = Math.max(1, Math.round(state.stability * (0.3 + random() * 2.5)));
    }
    items.push(item);
  }
  return items;
}

test('fitted on a log simulated from known parameters, the optimizer beats the defaults (RMSE and log loss)', async () => {
  const items = simulate(110, 6, 7);
  assert.ok(countLongTermReviews(items) >= MIN_REVIEWS);
  const result = await optimize(items, { iterations: 40 });
  const truth = evaluate(TRUTH, items);
  assert.ok(result.after.rmse < result.before.rmse, `fitted RMSE ${result.after.rmse.toFixed(4)} vs defaults ${result.before.rmse.toFixed(4)}`);
  assert.ok(result.after.logLoss < result.before.logLoss);
  assert.equal(result.better, true);
  // The fit closes most of the gap between the defaults and the parameters that generated the log.
  const closed = (result.before.logLoss - result.after.logLoss) / (result.before.logLoss - truth.logLoss);
  assert.ok(closed > 0.5, `closed ${(100 * closed).toFixed(0)} % of the log-loss gap`);
  // And it generalises: on a fresh log from the same learner it still beats the defaults.
  const fresh = simulate(110, 6, 99);
  assert.ok(evaluate(result.parameters, fresh).logLoss < evaluate(DEFAULT_PARAMETERS, fresh).logLoss);
  assert.ok(readParameters(result.parameters));
});

test('below the minimum number of reviews the optimizer refuses with the count', async () => {
  const items = simulate(20, 4, 3);
  await assert.rejects(optimize(items), (err: unknown) => err instanceof NotEnoughReviewsError && err.reviews === 60 && /at least 400/.test(err.message));
});

test('training items come from the stored logs: whole days since the previous review, in time order', () => {
  const DAY = 86_400_000;
  const t0 = Date.UTC(2026, 0, 5, 9);
  const p = emptyProgress();
  const a = applyGrade(undefined, t0, 3, true);
  const b = applyGrade(a.card, t0 + 10 * 60_000, 3, true);
  const c = applyGrade(b.card, t0 + 3 * DAY + 3600_000, 1, false);
  p.entries.q = { card: c.card, logs: [c.log, a.log, b.log] };
  assert.deepEqual(trainingItems(p), [
    [
      { rating: 3, days: 0 },
      { rating: 3, days: 0 },
      { rating: 1, days: 3 },
    ],
  ]);
  assert.equal(readParameters([1, 2]), undefined);
});

test('the retention target and fitted parameters feed the scheduler', () => {
  const t0 = Date.UTC(2026, 0, 5, 9);
  const DAY = 86_400_000;
  // A card that graduated: the next Good interval depends on the target retention.
  const first = applyGrade(undefined, t0, 3, true);
  const graduated = applyGrade(first.card, t0 + 10 * 60_000, 3, true).card;
  const goodInterval = () => previewGrades(graduated, t0 + 10 * DAY).find((p) => p.grade === 3)!.due - (t0 + 10 * DAY);
  try {
    configureScheduler({ desiredRetention: 0.9 });
    const at90 = goodInterval();
    configureScheduler({ desiredRetention: 0.97 });
    const at97 = goodInterval();
    configureScheduler({ desiredRetention: 0.7 });
    const at70 = goodInterval();
    assert.ok(at97 < at90 && at90 < at70, `${at97} < ${at90} < ${at70}`);
    configureScheduler({ desiredRetention: 0.9, parameters: DEFAULT_PARAMETERS.map((w, k) => (k === 20 ? 0.5 : w)) });
    assert.notEqual(goodInterval(), at90, 'fitted parameters change the schedule');
  } finally {
    configureScheduler({ desiredRetention: 0.9 });
  }
});
