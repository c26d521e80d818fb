/**
 * The timing loop every in-process engine uses (the Python peers implement the same loop): `warmup` untimed
 * runs, then timed runs until both `minIterations` are done and `budgetMs` is spent, at most `maxIterations`.
 * Each sample is one call, wall clock (`performance.now()`), awaited.
 */
export interface TimingPlan {
  readonly warmup: number;
  readonly minIterations: number;
  readonly maxIterations: number;
  readonly budgetMs: number;
}

export async function timeCalls(fn: () => unknown, plan: TimingPlan): Promise<number[]> {
  for (let i = 0; i < plan.warmup; i++) await fn();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < plan.maxIterations && (samples.length < plan.minIterations || performance.now() - started < plan.budgetMs)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** "warmup 1, ≥3 and ≤50 runs within 4 s" — the method text for a plan. */
export function describePlan(plan: TimingPlan, actual: number): string {
  return `${plan.warmup} warm-up, ${actual} timed run${actual === 1 ? '' : 's'} (plan: ≥${plan.minIterations}, ≤${plan.maxIterations}, ${(plan.budgetMs / 1000).toFixed(1)} s budget)`;
}

/** Milliseconds since `t0`, for the progress log. */
export function since(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}
