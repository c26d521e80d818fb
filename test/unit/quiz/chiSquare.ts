/**
 * Pearson's chi-square test for the uniformity checks: the statistic and its upper-tail p-value, from the
 * regularized upper incomplete gamma function Q(k/2, x/2) (series below a + 1, continued fraction above, as
 * in Numerical Recipes' gammq). Checked against scipy.stats.chi2.sf: sf(41.638, 23) = 0.0100, sf(30, 23) = 0.1494.
 */
function lnGamma(x: number): number {
  const g = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const c of g) ser += c / ++y;
  return -tmp + Math.log((2.5066282746310005 * ser) / x);
}

function upperGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - lnGamma(a));
  }
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGamma(a)) * h;
}

/** The chi-square statistic of observed counts against equal expected counts, and its p-value. */
export function chiSquareUniform(observed: readonly number[]): { statistic: number; df: number; p: number } {
  const total = observed.reduce((a, b) => a + b, 0);
  const expected = total / observed.length;
  const statistic = observed.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
  const df = observed.length - 1;
  return { statistic, df, p: upperGammaQ(df / 2, statistic / 2) };
}
