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

/**
 * One engine's share of the bench's 10-minute budget. After the first shape, the measured cost per unit of work
 * (FLOPs) predicts the next shape's run time; a plan that would not fit what is left is cut down (fewer runs, no
 * warm-up), and a shape whose single run would not fit is skipped with the reason. Only ever used to decide
 * what to run — a skipped shape is reported "not run", never given a projected number.
 */
export class EngineBudget {
  private spentMs = 0;
  private msPerUnit: number | undefined;

  constructor(
    readonly engine: string,
    readonly totalMs: number,
  ) {}

  fit(plan: TimingPlan, units: number): { plan: TimingPlan; note?: string } | { skip: string } {
    const left = this.totalMs - this.spentMs;
    if (this.msPerUnit === undefined) return { plan };
    const one = this.msPerUnit * units;
    if (one > left) {
      return { skip: `one run would take ~${(one / 1000).toFixed(0)} s on this machine now (from the measured rate of the smaller shapes), more than the ${(Math.max(0, left) / 1000).toFixed(0)} s left of ${this.engine}'s ${(this.totalMs / 1000).toFixed(0)} s share of the 10-minute budget` };
    }
    const n = Math.floor(left / one);
    if (n >= plan.warmup + plan.minIterations) return { plan: { ...plan, budgetMs: Math.min(plan.budgetMs, left - plan.warmup * one) } };
    const warmup = n >= 3 ? 1 : 0;
    const runs = Math.max(1, n - warmup);
    return { plan: { warmup, minIterations: runs, maxIterations: runs, budgetMs: 0 }, note: `cut to ${warmup} warm-up + ${runs} run${runs === 1 ? '' : 's'} to fit the time budget` };
  }

  record(samplesMs: readonly number[], units: number, wallMs: number): void {
    this.spentMs += wallMs;
    const best = Math.min(...samplesMs);
    this.msPerUnit = best / units;
  }
}
