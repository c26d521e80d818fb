import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextSeed, optionOrder, shuffledOrder, toBankPositions, toDisplayedPositions } from '../../../src/quiz/shuffle';
import type { Question } from '../../../src/quiz/model';
import { chiSquareUniform } from './chiSquare';

const DRAWS = 10_000;

test('the p-value helper agrees with scipy', () => {
  // scipy.stats.chi2.sf(41.638, 23) = 0.010001, chi2.sf(30, 23) = 0.149402, chi2.sf(15, 3) = 0.001817
  const p = pOf;
  assert.ok(Math.abs(p(41.638, 23) - 0.010001) < 1e-5);
  assert.ok(Math.abs(p(30, 23) - 0.149402) < 1e-5);
  assert.ok(Math.abs(p(15, 3) - 0.001817) < 1e-5);
});

/** p-value of a given statistic: build counts that produce it is awkward, so invert through two cells. */
function pOf(stat: number, df: number): number {
  // With df + 1 cells of expected e, put +d in one cell and -d in another: statistic = 2 d² / e.
  const e = 1e6;
  const d = Math.sqrt((stat * e) / 2);
  const counts = Array.from({ length: df + 1 }, () => e);
  counts[0] = e + d;
  counts[1] = e - d;
  return chiSquareUniform(counts).p;
}

test('the same seed always gives the same order; different seeds give different orders', () => {
  for (const seed of [0, 1, 42, 0xdeadbeef, 4294967295]) assert.deepEqual(shuffledOrder(5, seed), shuffledOrder(5, seed));
  const orders = new Set(Array.from({ length: 50 }, (_, k) => shuffledOrder(5, nextSeed(k)).join('')));
  assert.ok(orders.size > 30, `50 seeds gave only ${orders.size} distinct orders of 5`);
  assert.deepEqual([...shuffledOrder(7, 123)].sort(), [0, 1, 2, 3, 4, 5, 6], 'a permutation');
});

test('all 24 orders of 4 options are equally likely over 10,000 seeds of a session chain (chi-square p > 0.01)', () => {
  const counts = new Map<string, number>();
  let seed = 12345;
  for (let i = 0; i < DRAWS; i++) {
    seed = nextSeed(seed);
    const key = shuffledOrder(4, seed).join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 24);
  const r = chiSquareUniform([...counts.values()]);
  assert.ok(r.p > 0.01, `chi-square ${r.statistic.toFixed(1)} on ${r.df} df, p = ${r.p.toFixed(4)}`);
});

test('the right option lands on each of 5 positions equally often over 10,000 consecutive seeds (chi-square p > 0.01)', () => {
  const atPosition = [0, 0, 0, 0, 0];
  for (let seed = 0; seed < DRAWS; seed++) atPosition[shuffledOrder(5, seed).indexOf(0)]!++;
  const r = chiSquareUniform(atPosition);
  assert.ok(r.p > 0.01, `chi-square ${r.statistic.toFixed(1)} on ${r.df} df, p = ${r.p.toFixed(4)}: ${atPosition.join(' ')}`);
});

test('a biased shuffle fails the same check (the check can fail)', () => {
  // The classic bug: swap each position with any position (not only the ones not yet placed).
  const counts = new Map<string, number>();
  let seed = 7;
  for (let i = 0; i < DRAWS; i++) {
    seed = nextSeed(seed);
    const order = [0, 1, 2, 3];
    let s = seed;
    for (let k = 0; k < 4; k++) {
      s = nextSeed(s);
      const j = s % 4;
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
    const key = order.join('');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.ok(chiSquareUniform([...counts.values()]).p < 0.01);
});

const question = (type: Question['type'], n: number): Question => ({
  id: 'q',
  deck: 'd',
  topic: 't',
  type,
  difficulty: 1,
  prompt: { en: 'p' },
  options: type === 'single' || type === 'multiple' ? Array.from({ length: n }, (_, k) => ({ text: { en: `o${k}` }, correct: k === 0 })) : undefined,
  truth: type === 'truefalse' ? false : undefined,
  answer: { en: 'a' },
  explanation: { en: 'e' },
  origin: { file: 'f', line: 1, format: 'bank' },
});

test('keys follow the displayed order: displayed positions map to bank positions and back', () => {
  const q = question('multiple', 6);
  const order = optionOrder(q, 99);
  assert.deepEqual(toBankPositions(order, [0, 1, 2, 3, 4, 5]), order);
  // Pressing the key of the place where bank option 0 is shown selects bank option 0.
  const shownAt = order.indexOf(0);
  assert.deepEqual(toBankPositions(order, [shownAt]), [0]);
  assert.deepEqual(toDisplayedPositions(order, [0, 3]), [order.indexOf(0), order.indexOf(3)].sort((a, b) => a - b));
  assert.deepEqual(toBankPositions(order, [9]), [], 'a position beyond the options is ignored');
});

test('true/false keeps True first; open questions have no options to order', () => {
  assert.deepEqual(optionOrder(question('truefalse', 0), 5), [0, 1]);
  assert.deepEqual(optionOrder(question('open', 0), 5), []);
});
