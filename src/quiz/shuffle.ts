/**
 * The order in which a question's options are shown. The bank lists options in authoring order, so the
 * position of the right answer would give it away; each time a question is shown it gets a fresh 32-bit
 * seed, kept in the saved session, and the displayed order is a pure function of that seed (a window
 * reload shows the same order). Everything the webview sees and sends uses displayed positions; the
 * session keeps answers in the bank's positions. No `vscode` import.
 */
import { mulberry32 } from '../common/random';
import type { Question } from './model';


/**
 * The next seed of a session's chain (SplitMix32-style step and finaliser), so one stored number yields a
 * new, well-mixed seed per shown question.
 */
export function nextSeed(seed: number): number {
  let z = (seed + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A random 32-bit seed for a new session. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}

/** A permutation of 0…n-1 (Fisher–Yates): `order[displayed] = bank position`. */
export function shuffledOrder(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, k) => k);
  const random = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * The displayed order of a question's options. Single and multiple choice are shuffled; True/False keeps
 * its conventional order (True is 1, False is 2), and questions without options have none.
 */
export function optionOrder(q: Question, seed: number): number[] {
  if ((q.type === 'single' || q.type === 'multiple') && q.options) return shuffledOrder(q.options.length, seed);
  if (q.type === 'truefalse') return [0, 1];
  return [];
}

/** Displayed positions → bank positions (ignoring positions outside the order). */
export function toBankPositions(order: readonly number[], displayed: readonly number[]): number[] {
  return displayed.flatMap((d) => (order[d] === undefined ? [] : [order[d]!]));
}

/** Bank positions → displayed positions, ascending. */
export function toDisplayedPositions(order: readonly number[], bank: readonly number[]): number[] {
  return bank.map((b) => order.indexOf(b)).filter((d) => d >= 0).sort((a, b) => a - b);
}
