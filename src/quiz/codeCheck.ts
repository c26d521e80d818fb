/**
 * The automatic checks behind `code` questions. The user's TypeScript is transpiled with sucrase (small,
 * pure JS, offline), then run as a CommonJS module whose only importable package is TensorFlow.js. This runs
 * inside src/workers/codeCheckWorker.ts (a worker thread the extension terminates on timeout) and only in a
 * trusted workspace: it is the user's own code, and the worker keeps a hang or a crash away from VS Code.
 * No `vscode` import.
 */
import { transform } from 'sucrase';
import type { CodeCheckId } from './model';

type Tf = import('../common/tfjsBackend').Tfjs;

export interface CodeCheckResult {
  passed: boolean;
  /** One sentence per finding, in English and Chinese, for the panel. */
  details: { en: string; zh: string }[];
}

export interface CodeCheckRequest {
  check: CodeCheckId;
  code: string;
}

/** Transpiles TypeScript to CommonJS. Syntax errors become a failed check with the line and column. */
export function transpile(code: string): { js: string } | { error: string } {
  try {
    return { js: transform(code, { transforms: ['typescript', 'imports'], filePath: 'exercise.ts' }).code };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Runs transpiled code as a module; `require` only resolves TensorFlow.js. */
export function runModule(js: string, tf: Tf): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const requireTf = (name: string): unknown => {
    if (name === '@tensorflow/tfjs' || name === '@tensorflow/tfjs-node') return tf;
    throw new Error(`The exercise may only import '@tensorflow/tfjs' (it imported '${name}').`);
  };
  // The exercise runs with a module scope of its own; `tf` is also in scope for code that expects a global.
  const fn = new Function('exports', 'require', 'module', 'tf', js) as (e: unknown, r: unknown, m: unknown, t: Tf) => void;
  fn(module.exports, requireTf, module, tf);
  return module.exports;
}

const fail = (en: string, zh: string): CodeCheckResult => ({ passed: false, details: [{ en, zh }] });

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const EXPECTED_CNN_PARAMS = 93_322;

/** `cnn-parameters`: `buildModel(tf)` (or an exported `model`) has 93,322 parameters and outputs `[null, 10]`. */
export async function checkCnnParameters(exports: Record<string, unknown>, tf: Tf): Promise<CodeCheckResult> {
  let model: unknown;
  try {
    if (typeof exports.buildModel === 'function') model = await (exports.buildModel as (t: Tf) => unknown)(tf);
    else if (exports.model !== undefined) model = exports.model;
    else if (typeof exports.default === 'function') model = await (exports.default as (t: Tf) => unknown)(tf);
    else return fail('Export a function `buildModel(tf)` that returns the model.', '请导出函数 `buildModel(tf)` 并返回模型。');
  } catch (err) {
    return fail(`buildModel threw: ${messageOf(err)}`, `buildModel 抛出了异常：${messageOf(err)}`);
  }
  const m = model as { countParams?: () => number; outputs?: { shape: (number | null)[] }[]; layers?: unknown[] } | undefined;
  if (!m || typeof m.countParams !== 'function' || !Array.isArray(m.outputs)) {
    return fail('buildModel must return a tf.LayersModel (e.g. from tf.sequential()).', 'buildModel 必须返回 tf.LayersModel（例如 tf.sequential() 创建的模型）。');
  }
  let params: number;
  let shape: (number | null)[];
  try {
    params = m.countParams();
    shape = m.outputs[0]!.shape;
  } catch (err) {
    return fail(`The model is not built yet (${messageOf(err)}); give the first layer an inputShape of [28, 28, 1].`, `模型尚未构建（${messageOf(err)}）；请给第一层设置 inputShape: [28, 28, 1]。`);
  }
  const details: CodeCheckResult['details'] = [];
  const paramsOk = params === EXPECTED_CNN_PARAMS;
  const shapeOk = shape.length === 2 && shape[0] === null && shape[1] === 10;
  const fmt = (n: number) => n.toLocaleString('en-US');
  details.push(
    paramsOk
      ? { en: `✓ ${fmt(params)} parameters.`, zh: `✓ 参数量 ${fmt(params)}。` }
      : { en: `✗ ${fmt(params)} parameters; expected ${fmt(EXPECTED_CNN_PARAMS)}.`, zh: `✗ 参数量为 ${fmt(params)}，应为 ${fmt(EXPECTED_CNN_PARAMS)}。` },
    shapeOk
      ? { en: '✓ Output shape [null, 10].', zh: '✓ 输出形状 [null, 10]。' }
      : { en: `✗ Output shape ${JSON.stringify(shape)}; expected [null, 10].`, zh: `✗ 输出形状为 ${JSON.stringify(shape)}，应为 [null, 10]。` },
  );
  return { passed: paramsOk && shapeOk, details };
}

type Encoder = (inputIds: number[][], attentionMask: number[][]) => Promise<number[][]>;

/**
 * A tiny BERT stand-in built with tfjs: token embeddings, masked mean pooling and a tanh pooler dense layer
 * (BERT's pooler is dense + tanh over [CLS]); enough to drive `forward` with real tensors end to end.
 */
function tinyEncoder(tf: Tf, vocab: number, hidden: number): Encoder {
  const embeddings = tf.randomNormal([vocab, hidden], 0, 0.5, 'float32', 7);
  const poolerW = tf.randomNormal([hidden, hidden], 0, 0.3, 'float32', 11);
  const poolerB = tf.zeros([hidden]);
  return async (inputIds, attentionMask) =>
    tf.tidy(() => {
      const ids = tf.tensor2d(inputIds, undefined, 'int32');
      const mask = tf.tensor2d(attentionMask, undefined, 'float32').expandDims(2);
      const tokens = tf.gather(embeddings, ids).mul(mask);
      const mean = tokens.sum(1).div(mask.sum(1).maximum(1));
      return tf.tanh(mean.matMul(poolerW).add(poolerB)).arraySync() as number[][];
    });
}

async function toMatrix(v: unknown): Promise<number[][] | undefined> {
  const resolved = await v;
  if (resolved && typeof resolved === 'object' && 'arraySync' in resolved && typeof (resolved as { arraySync: unknown }).arraySync === 'function') {
    return (resolved as { arraySync(): unknown }).arraySync() as number[][];
  }
  return Array.isArray(resolved) ? (resolved as number[][]) : undefined;
}

const shapeOf = (m: number[][]) => [m.length, ...(Array.isArray(m[0]) ? [m[0].length] : [])];

/**
 * `text-classifier-forward`: `new TextClassifier(encoder, hidden, 2).forward(inputIds, attentionMask)` returns
 * `[batch, 2]` finite logits over a tiny tfjs encoder, and the head is an affine map of the pooled vector
 * (the logits of the mean of two pooled vectors are the mean of their logits) that is not constant.
 */
export async function checkTextClassifier(exports: Record<string, unknown>, tf: Tf): Promise<CodeCheckResult> {
  const Cls = exports.TextClassifier as (new (encoder: Encoder, hidden: number, numLabels: number) => { forward(ids: number[][], mask: number[][]): unknown }) | undefined;
  if (typeof Cls !== 'function') return fail('Export a class `TextClassifier`.', '请导出类 `TextClassifier`。');
  const hidden = 16;
  const inputIds = [
    [101, 7, 8, 9, 102, 0],
    [101, 12, 30, 102, 0, 0],
    [101, 5, 6, 7, 8, 102],
  ];
  const attentionMask = inputIds.map((row) => row.map((id) => (id === 0 ? 0 : 1)));
  const details: CodeCheckResult['details'] = [];
  let logits: number[][] | undefined;
  try {
    const clf = new Cls(tinyEncoder(tf, 128, hidden), hidden, 2);
    logits = await toMatrix(clf.forward(inputIds, attentionMask));
  } catch (err) {
    return fail(`forward threw: ${messageOf(err)}`, `forward 抛出了异常：${messageOf(err)}`);
  }
  if (!logits) return fail('forward must return number[][] (or a tf.Tensor2D).', 'forward 必须返回 number[][]（或 tf.Tensor2D）。');
  const shape = shapeOf(logits);
  const shapeOk = shape.length === 2 && shape[0] === 3 && shape[1] === 2 && logits.every((r) => Array.isArray(r) && r.length === 2);
  if (!shapeOk) return fail(`✗ forward returned shape ${JSON.stringify(shape)}; expected [3, 2] for a batch of 3.`, `✗ forward 返回的形状为 ${JSON.stringify(shape)}，批大小为 3 时应为 [3, 2]。`);
  if (!logits.flat().every((x) => typeof x === 'number' && Number.isFinite(x))) {
    return fail('✗ The logits contain non-numbers or infinities.', '✗ logits 中含有非数值或无穷大。');
  }
  details.push({ en: '✓ forward returns [batch, 2] logits over the tiny encoder.', zh: '✓ forward 在小型编码器上返回 [batch, 2] 的 logits。' });

  // Affinity: drive the head with chosen pooled vectors p1, p2 and their midpoint.
  const p1 = Array.from({ length: hidden }, (_, i) => Math.sin(i + 1));
  const p2 = Array.from({ length: hidden }, (_, i) => Math.cos(2 * i + 1));
  const mid = p1.map((x, i) => (x + p2[i]!) / 2);
  let probe: number[][] | undefined;
  try {
    const clf = new Cls(async () => [p1, p2, mid], hidden, 2);
    probe = await toMatrix(clf.forward(inputIds, attentionMask));
  } catch (err) {
    return fail(`forward threw on a second batch: ${messageOf(err)}`, `第二个批次上 forward 抛出了异常：${messageOf(err)}`);
  }
  const ok =
    probe !== undefined &&
    probe.length === 3 &&
    [0, 1].every((j) => Math.abs((probe![0]![j]! + probe![1]![j]!) / 2 - probe![2]![j]!) < 1e-6 * (1 + Math.abs(probe![2]![j]!)));
  const varies = probe !== undefined && [0, 1].some((j) => Math.abs(probe![0]![j]! - probe![1]![j]!) > 1e-9);
  if (!ok) return { passed: false, details: [...details, { en: '✗ The logits are not a linear layer (W·pooled + b) of the pooled output.', zh: '✗ logits 不是池化输出的线性层（W·pooled + b）。' }] };
  if (!varies) return { passed: false, details: [...details, { en: '✗ The logits do not depend on the pooled output.', zh: '✗ logits 与池化输出无关。' }] };
  details.push({ en: '✓ The head is a linear layer over the pooled output.', zh: '✓ 分类头是池化输出上的线性层。' });
  return { passed: true, details };
}

/** Transpiles, runs and checks one exercise. Never throws: every problem is a failed result with a reason. */
export async function runCodeCheck(request: CodeCheckRequest, tf: Tf): Promise<CodeCheckResult> {
  const compiled = transpile(request.code);
  if ('error' in compiled) return fail(`The TypeScript does not compile: ${compiled.error}`, `TypeScript 无法编译：${compiled.error}`);
  let exports: Record<string, unknown>;
  try {
    exports = runModule(compiled.js, tf);
  } catch (err) {
    return fail(`The code threw while loading: ${messageOf(err)}`, `代码加载时抛出了异常：${messageOf(err)}`);
  }
  return request.check === 'cnn-parameters' ? checkCnnParameters(exports, tf) : checkTextClassifier(exports, tf);
}
