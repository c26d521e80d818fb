import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadBankDirectory } from '../../../src/quiz/bankLoader';
import { runCodeCheck } from '../../../src/quiz/codeCheck';
import { runCodeCheckInWorker } from '../../../src/quiz/codeCheckClient';
import { loadTfjs } from '../../../src/common/tfjsBackend';
import type { Question } from '../../../src/quiz/model';

const root = path.resolve(__dirname, '../../..');
const worker = path.join(root, 'src/workers/codeCheckWorker.ts');

const CNN = `
import * as tf from '@tensorflow/tfjs';
export function buildModel(t: typeof tf): tf.LayersModel {
  const model = t.sequential();
  model.add(t.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(t.layers.maxPooling2d({ poolSize: 2 }));
  model.add(t.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(t.layers.maxPooling2d({ poolSize: 2 }));
  model.add(t.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(t.layers.flatten());
  model.add(t.layers.dense({ units: 64, activation: 'relu' }));
  model.add(t.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}`;

const CLASSIFIER = `
export class TextClassifier {
  private w: number[][]; private b: number[];
  constructor(private encoder: (i: number[][], m: number[][]) => Promise<number[][]>, private hidden: number, numLabels = 2) {
    this.w = Array.from({ length: numLabels }, (_, j) => Array.from({ length: hidden }, (_, i) => Math.sin(i * 3 + j)));
    this.b = new Array<number>(numLabels).fill(0.1);
  }
  async forward(ids: number[][], mask: number[][]): Promise<number[][]> {
    const pooled = await this.encoder(ids, mask);
    return pooled.map((row) => this.w.map((w, j) => w.reduce((s, x, i) => s + x * row[i]!, this.b[j]!)));
  }
}`;

test('cnn-parameters: the article CNN passes; a missing layer fails with the count', async () => {
  const { tf } = await loadTfjs('cpu');
  const ok = await runCodeCheck({ check: 'cnn-parameters', code: CNN }, tf);
  assert.equal(ok.passed, true, JSON.stringify(ok));
  assert.match(ok.details[0]!.en, /93,322/);
  const short = await runCodeCheck({ check: 'cnn-parameters', code: CNN.replace("model.add(t.layers.dense({ units: 64, activation: 'relu' }));", '') }, tf);
  assert.equal(short.passed, false);
  assert.match(short.details[0]!.en, /expected 93,322/);
  const syntax = await runCodeCheck({ check: 'cnn-parameters', code: 'export function buildModel( {' }, tf);
  assert.equal(syntax.passed, false);
  assert.match(syntax.details[0]!.en, /does not compile/);
  const fsImport = await runCodeCheck({ check: 'cnn-parameters', code: "import * as fs from 'node:fs'; export const model = fs;" }, tf);
  assert.match(fsImport.details[0]!.en, /may only import '@tensorflow\/tfjs'/);
});

test('text-classifier-forward: a linear head passes; a constant or wrong-shape head fails', async () => {
  const { tf } = await loadTfjs('cpu');
  const ok = await runCodeCheck({ check: 'text-classifier-forward', code: CLASSIFIER }, tf);
  assert.equal(ok.passed, true, JSON.stringify(ok));
  const constant = CLASSIFIER.replace('return pooled.map((row) => this.w.map((w, j) => w.reduce((s, x, i) => s + x * row[i]!, this.b[j]!)));', 'return pooled.map(() => [0, 0]);');
  const c = await runCodeCheck({ check: 'text-classifier-forward', code: constant }, tf);
  assert.equal(c.passed, false);
  assert.match(c.details.at(-1)!.en, /do not depend/);
  const wide = CLASSIFIER.replace('numLabels = 2) {', 'numLabels = 2) { numLabels = 3;');
  const w = await runCodeCheck({ check: 'text-classifier-forward', code: wide }, tf);
  assert.equal(w.passed, false);
  assert.match(w.details[0]!.en, /\[3,3\]/);
});

test('the bundled bank: each code question\'s answer passes its check and its starter does not', async () => {
  const bank = await loadBankDirectory(path.join(root, 'media/quiz'), { bundled: true });
  const code = bank.questions.filter((q): q is Question & { check: NonNullable<Question['check']> } => q.type === 'code' && q.check !== undefined);
  assert.ok(code.length >= 2, 'the bank has the two code exercises');
  const { tf } = await loadTfjs('cpu');
  for (const q of code) {
    const answerCode = /```ts\n([\s\S]*?)```/.exec(q.answer.en ?? '')?.[1];
    assert.ok(answerCode, `${q.id}: answer.en has a ts block`);
    const good = await runCodeCheck({ check: q.check, code: answerCode }, tf);
    assert.equal(good.passed, true, `${q.id} answer: ${JSON.stringify(good.details)}`);
    const starter = await runCodeCheck({ check: q.check, code: q.starter! }, tf);
    assert.equal(starter.passed, false, `${q.id} starter should not pass yet`);
  }
});

test('the worker runs a check and is terminated when the code never finishes', async () => {
  const ok = await runCodeCheckInWorker(worker, { check: 'cnn-parameters', code: CNN }, 60_000);
  assert.equal(ok.passed, true, JSON.stringify(ok));
  const started = Date.now();
  const hang = await runCodeCheckInWorker(worker, { check: 'cnn-parameters', code: 'while (true) {}' }, 1500);
  assert.equal(hang.passed, false);
  assert.match(hang.details[0]!.en, /stopped after 2 s/);
  assert.ok(Date.now() - started < 10_000);
});

test('code that allocates without end costs the check worker (heap limit), not the caller, and says so', async () => {
  const started = Date.now();
  const r = await runCodeCheckInWorker(worker, { check: 'cnn-parameters', code: 'const kept = []; for (;;) kept.push(new Array(1000).fill(1));' }, 60_000);
  assert.equal(r.passed, false);
  assert.match(r.details[0]!.en, /ran out of memory \(256 MB\)/);
  assert.ok(r.details[0]!.zh.includes('内存'));
  assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
  // The caller's own heap is untouched and the next check runs in a new worker.
  const ok = await runCodeCheckInWorker(worker, { check: 'cnn-parameters', code: CNN }, 60_000);
  assert.equal(ok.passed, true, JSON.stringify(ok));
});
