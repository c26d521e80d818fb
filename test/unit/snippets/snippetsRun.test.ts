/**
 * Every snippet, expanded with its default values exactly as a user accepting each placeholder gets it, must
 * compile and run:
 * - TypeScript: written into a temporary project that resolves this repository's node_modules, type-checked with
 *   `tsc --strict --noEmit` against the real packages, then run with tsx with a few probe lines appended that
 *   print what the snippet built (the probes only call what the snippet defines).
 * - Python: `python3 -m py_compile`; the PyTorch snippets' forward pass runs with Debian's python3-torch (required).
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import * as ort from 'onnxruntime-node';
import { expandSnippet, loadSnippetCatalogue } from '../../../src/snippets/catalogue';
import { exportBertClassifier, randomBertWeights, type BertClassifierConfig } from '../../../src/train/onnx/bertExport';
import { onnx } from 'onnx-proto';
import { decodeModel, encodeModel } from '../../../src/train/onnx/graphBuilder';

const root = path.resolve(__dirname, '../../..');
const catalogue = loadSnippetCatalogue(root);
let workDir = '';

/** A small BERT (vocabulary large enough for [CLS]=101/[SEP]=102) with the 2 labels the snippets default to. */
const bertConfig: BertClassifierConfig = {
  vocabSize: 120,
  hiddenSize: 32,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  intermediateSize: 64,
  maxPositionEmbeddings: 32,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  numLabels: 2,
};
const inputIds = [
  [101, 7, 8, 9, 102, 0],
  [101, 11, 102, 0, 0, 0],
];
const attentionMask = [
  [1, 1, 1, 1, 1, 0],
  [1, 1, 1, 0, 0, 0],
];

/**
 * Turns the exporter's classifier graph into an encoder-only graph, as Optimum's feature-extraction export
 * writes: outputs `last_hidden_state` (and `pooler_output` when `withPooler`), the classifier head pruned.
 */
function encoderOnly(classifierBytes: Uint8Array, withPooler: boolean): Uint8Array {
  const model = decodeModel(classifierBytes);
  const graph = model.graph;
  assert.ok(graph, 'exported model has no graph');
  const allNodes = graph.node ?? [];
  const clsGather = allNodes.find((n) => n.opType === 'Gather' && n.output?.[0] === 'cls_hidden');
  const hidden = clsGather?.input?.[0];
  assert.ok(hidden, 'exporter graph changed: no Gather producing cls_hidden');
  const H = bertConfig.hiddenSize;
  const outputs: { name: string; from: string; dims: (string | number)[] }[] = [
    { name: 'last_hidden_state', from: hidden, dims: ['batch_size', 'sequence_length', H] },
  ];
  if (withPooler) outputs.push({ name: 'pooler_output', from: 'pooled', dims: ['batch_size', H] });
  let nodes: onnx.INodeProto[] = allNodes.filter((n) => !(n.output ?? []).includes('logits'));
  for (const o of outputs) nodes.push({ opType: 'Identity', name: `${o.name}_identity`, input: [o.from], output: [o.name], domain: '' });
  // Prune nodes nothing consumes (the classifier head), then initializers no node reads.
  for (;;) {
    const consumed = new Set([...nodes.flatMap((n) => n.input ?? []), ...outputs.map((o) => o.name)]);
    const kept = nodes.filter((n) => (n.output ?? []).some((out) => consumed.has(out)));
    if (kept.length === nodes.length) break;
    nodes = kept;
  }
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  graph.node = nodes;
  graph.initializer = (graph.initializer ?? []).filter((t) => used.has(t.name ?? ''));
  graph.output = outputs.map((o) => ({
    name: o.name,
    type: { tensorType: { elemType: 1, shape: { dim: o.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  }));
  return encodeModel(model);
}

async function runOrt(modelPath: string, outputName: string): Promise<{ dims: readonly number[]; data: number[] }> {
  const session = await ort.InferenceSession.create(modelPath);
  const int64 = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0].length]);
  const out = await session.run({ input_ids: int64(inputIds), attention_mask: int64(attentionMask), token_type_ids: int64(inputIds.map((r) => r.map(() => 0))) });
  const t = out[outputName];
  await session.release();
  return { dims: t.dims, data: Array.from(t.data as Float32Array) };
}

const probes: Record<string, string> = {
  tfcnn: `
const probeInput = tf.zeros([3, 28, 28, 1]);
const probeOutput = model.predict(probeInput) as tf.Tensor;
const probeEval = model.evaluate(probeInput, tf.tensor1d([0, 1, 2])) as tf.Scalar[];
console.log('@@RESULT ' + JSON.stringify({
  params: model.countParams(),
  layerParams: model.layers.map((l) => l.countParams()),
  outputShape: probeOutput.shape,
  rowSums: Array.from(probeOutput.sum(-1).dataSync()),
  loss: model.loss,
  evaluated: probeEval.map((s) => s.dataSync()[0]),
}));
`,
  tffit: `
// Toy task: class 1 images are bright on the left half, class 0 images on the right half.
function probeData(n: number, offset: number): [tf.Tensor4D, tf.Tensor1D] {
  const labels = Array.from({ length: n }, (_, i) => (i + offset) % 2);
  const pixels = labels.flatMap((c) => Array.from({ length: 28 * 28 }, (_, p) => ((p % 28 < 14) === (c === 1) ? 0.9 : 0.1)));
  return [tf.tensor4d(pixels, [n, 28, 28, 1]), tf.tensor1d(labels, 'float32')];
}
const probeModel = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
probeModel.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const [probeTrainX, probeTrainY] = probeData(64, 0);
const [probeTestX, probeTestY] = probeData(16, 1);
trainEvaluatePredict(probeModel, probeTrainX, probeTrainY, probeTestX, probeTestY)
  .then((r) => console.log('@@RESULT ' + JSON.stringify({ ...r, expected: Array.from(probeTestY.dataSync()).slice(0, 5) })))
  .catch((e: unknown) => { console.error(e); process.exit(1); });
`,
  tfsave: `
import * as probeFs from 'node:fs';
(async () => {
  const probeModel = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
  const probeX = tf.tensor2d([[1, 2, 3, 4], [-1, 0.5, 2, 0]]);
  const before = Array.from((probeModel.predict(probeX) as tf.Tensor).dataSync());
  const saved = await saveModel(probeModel);
  const restored = await loadModel();
  const after = Array.from((restored.predict(probeX) as tf.Tensor).dataSync());
  const manifest = JSON.parse(probeFs.readFileSync(path.join(MODEL_DIR, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  console.log('@@RESULT ' + JSON.stringify({ before, after, weightBytes: saved.modelArtifactsInfo.weightDataBytes,
    fileBytes: probeFs.statSync(path.join(MODEL_DIR, 'weights.bin')).size, paths: manifest.weightsManifest[0].paths }));
})().catch((e: unknown) => { console.error(e); process.exit(1); });
`,
  bertclassifier: `
import * as probeFs from 'node:fs';
(async () => {
  const expected = JSON.parse(probeFs.readFileSync('expected-bert.json', 'utf8')) as {
    inputIds: number[][]; attentionMask: number[][]; headWeight: number[]; headBias: number[];
  };
  // Default path: the encoder graph with pooler_output.
  const classifier = await TextClassifier.create();
  const logits = await classifier.forward(expected.inputIds, expected.attentionMask);
  const randomHead = { shape: logits.shape, values: Array.from(logits.dataSync()) };
  // With the exported classifier's own head, forward() must reproduce the full classifier graph's logits.
  classifier.weight.assign(tf.tensor2d(expected.headWeight, [classifier.hiddenSize, classifier.numLabels]));
  classifier.bias.assign(tf.tensor1d(expected.headBias));
  const withHead = await classifier.forward(expected.inputIds, expected.attentionMask);
  // An encoder that only has last_hidden_state: the [CLS] rows are used.
  const noPooler = await TextClassifier.create('models/bert-last-hidden/model.onnx');
  const cls = await noPooler.encode(expected.inputIds, expected.attentionMask);
  const noPoolerLogits = await noPooler.forward(expected.inputIds, expected.attentionMask);
  let rejected = '';
  try { await TextClassifier.create('models/text-classifier/model.onnx'); } catch (e) { rejected = String(e); }
  console.log('@@RESULT ' + JSON.stringify({ hiddenSize: classifier.hiddenSize, randomHead, withHead: Array.from(withHead.dataSync()),
    cls: { shape: cls.shape, values: Array.from(cls.dataSync()) }, noPoolerShape: noPoolerLogits.shape, rejected,
    params: classifier.parameters().map((p) => p.shape) }));
  await classifier.dispose();
  await noPooler.dispose();
})().catch((e: unknown) => { console.error(e); process.exit(1); });
`,
  tftrainloop: `
// A PyTorch-style module over tf.Variables: a linear layer, 8 features → 2 classes.
class ProbeLinear implements TrainableModule {
  readonly w = tf.variable(tf.randomNormal([8, 2], 0, 0.1, 'float32', 1));
  readonly b = tf.variable(tf.zeros([2]));
  forward(features: tf.Tensor2D): tf.Tensor2D { return tf.add(tf.matMul(features, this.w), this.b) as tf.Tensor2D; }
  parameters(): tf.Variable[] { return [this.w, this.b]; }
}
// Linearly separable toy batches: the class is the sign of the first feature.
const probeFeatures = tf.randomNormal([32, 8], 0, 1, 'float32', 7) as tf.Tensor2D;
const probeLabels = tf.cast(tf.greater(probeFeatures.slice([0, 0], [32, 1]).reshape([32]), 0), 'int32') as tf.Tensor1D;
const probeBatches = [0, 8, 16, 24].map((s) => ({ features: probeFeatures.slice([s, 0], [8, 8]), labels: probeLabels.slice([s], [8]) }));
(async () => {
  const defaults = await trainModel(new ProbeLinear(), probeBatches);
  const fast = new ProbeLinear();
  const accuracyBefore = await evaluateModel(fast, probeBatches);
  const fastLosses = await trainModel(fast, probeBatches, 40, 0.05);
  const accuracyAfter = await evaluateModel(fast, probeBatches);
  console.log('@@RESULT ' + JSON.stringify({ defaults, fastFirst: fastLosses[0], fastLast: fastLosses[fastLosses.length - 1], accuracyBefore, accuracyAfter, tensors: tf.memory().numTensors }));
})().catch((e: unknown) => { console.error(e); process.exit(1); });
`,
  ortsession: `
import * as probeFs from 'node:fs';
(async () => {
  const expected = JSON.parse(probeFs.readFileSync('expected-bert.json', 'utf8')) as { inputIds: number[][]; attentionMask: number[][] };
  const session = await openSession();
  const probabilities = await classifyTokenIds(session, expected.inputIds, expected.attentionMask);
  await session.release();
  console.log('@@RESULT ' + JSON.stringify({ probabilities, softmax: softmax([1000, 1000, 999]) }));
})().catch((e: unknown) => { console.error(e); process.exit(1); });
`,
  tfimage: `
const probeDark = imageFileToInput('digit.png');
const probeLight = imageFileToInput('digit.png', false);
const probeTransparent = imageFileToInput('transparent.png');
const at = (t: tf.Tensor4D, y: number, x: number) => t.arraySync()[0][y][x][0];
console.log('@@RESULT ' + JSON.stringify({ shape: probeDark.shape, min: probeDark.min().dataSync()[0], max: probeDark.max().dataSync()[0],
  centre: at(probeDark, 14, 14), corner: at(probeDark, 2, 2), lightCentre: at(probeLight, 14, 14), transparentCorner: at(probeTransparent, 2, 2) }));
`,
};

function writePng(file: string, width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): void {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) png.data.set(pixel(x, y), 4 * (y * width + x));
  }
  fs.writeFileSync(file, PNG.sync.write(png));
}

interface ProbeRun {
  result: Record<string, unknown>;
  stdout: string;
}
const runs = new Map<string, ProbeRun>();
/** tsc runs in the background while the probes run (it is the slowest step); the last test awaits it. */
let tscDone: Promise<{ status: number | null; output: string }> | undefined;

before(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lab-snippets-'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(workDir, 'node_modules'), 'dir');
  fs.writeFileSync(
    path.join(workDir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'Node16', moduleResolution: 'Node16', strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true, types: ['node'] },
      include: ['*.ts'],
    }),
  );
  // Fixtures the probes read: ONNX models at the snippets' default paths, and two PNGs.
  const classifierBytes = exportBertClassifier(bertConfig, randomBertWeights(bertConfig, 42));
  const write = (rel: string, bytes: Uint8Array) => {
    fs.mkdirSync(path.dirname(path.join(workDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(workDir, rel), bytes);
  };
  write('models/text-classifier/model.onnx', classifierBytes);
  write('models/bert-encoder/model.onnx', encoderOnly(classifierBytes, true));
  write('models/bert-last-hidden/model.onnx', encoderOnly(classifierBytes, false));
  const weights = randomBertWeights(bertConfig, 42);
  const W = weights.get('classifier.weight')!; // PyTorch layout [labels, hidden]
  const headWeight: number[] = [];
  for (let h = 0; h < bertConfig.hiddenSize; h++) for (let l = 0; l < bertConfig.numLabels; l++) headWeight.push(W.data[l * bertConfig.hiddenSize + h]);
  const logits = await runOrt(path.join(workDir, 'models/text-classifier/model.onnx'), 'logits');
  const lastHidden = await runOrt(path.join(workDir, 'models/bert-last-hidden/model.onnx'), 'last_hidden_state');
  fs.writeFileSync(
    path.join(workDir, 'expected-bert.json'),
    JSON.stringify({ inputIds, attentionMask, headWeight, headBias: Array.from(weights.get('classifier.bias')!.data), logits, lastHidden }),
  );
  // A dark vertical stroke on white paper (a "1"), and a fully transparent image.
  writePng(path.join(workDir, 'digit.png'), 56, 56, (x) => (x >= 22 && x < 34 ? [20, 20, 20, 255] : [255, 255, 255, 255]));
  writePng(path.join(workDir, 'transparent.png'), 40, 40, () => [0, 0, 0, 0]);

  for (const s of catalogue) {
    const expanded = expandSnippet(s.body);
    if (s.language === 'python') fs.writeFileSync(path.join(workDir, `${s.prefixes[0]}.py`), expanded);
    else fs.writeFileSync(path.join(workDir, `${s.prefixes[0]}.ts`), expanded + '\n' + (probes[s.prefixes[0]] ?? ''));
  }
  const tsc = spawn(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', workDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  tsc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  tsc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  tscDone = new Promise((resolve) => tsc.on('close', (status) => resolve({ status, output })));
});

after(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

function run(prefix: string): ProbeRun {
  const cached = runs.get(prefix);
  if (cached) return cached;
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${prefix}.ts`], { cwd: workDir, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${prefix}.ts failed (status ${r.status}):\n${r.stderr}\n${r.stdout}`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('@@RESULT '));
  assert.ok(line, `${prefix}.ts printed no result:\n${r.stdout}`);
  const probeRun = { result: JSON.parse(line.slice('@@RESULT '.length)) as Record<string, unknown>, stdout: r.stdout };
  runs.set(prefix, probeRun);
  return probeRun;
}

test('every TypeScript snippet has a probe', () => {
  for (const s of catalogue.filter((c) => c.language === 'typescript')) assert.ok(probes[s.prefixes[0]], `no probe for ${s.prefixes[0]}`);
});

test('tfcnn: the article CNN has 93,322 parameters (Keras layer by layer) and outputs [batch, 10]', () => {
  const { result } = run('tfcnn');
  assert.equal(result.params, 93_322);
  assert.deepEqual(result.layerParams, [320, 0, 18_496, 0, 36_928, 0, 36_928, 650]);
  assert.deepEqual(result.outputShape, [3, 10]);
  for (const s of result.rowSums as number[]) assert.ok(Math.abs(s - 1) < 1e-5, `softmax row sums to ${s}`);
  assert.equal(result.loss, 'sparseCategoricalCrossentropy');
  const [loss, accuracy] = result.evaluated as number[];
  assert.ok(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
  assert.ok(accuracy >= 0 && accuracy <= 1, `accuracy ${accuracy}`);
});

test('tffit: fit logs progress per epoch, evaluate and predict work on tensors', () => {
  const { result, stdout } = run('tffit');
  assert.equal((stdout.match(/^epoch \d+: loss [\d.]+, accuracy [\d.]+, validation accuracy [\d.]+$/gm) ?? []).length, 5, stdout);
  assert.ok((result.testAccuracy as number) >= 0.9, `test accuracy ${result.testAccuracy}`);
  assert.ok(Number.isFinite(result.testLoss));
  assert.deepEqual(result.predictedClasses, result.expected);
});

test('tfsave: a model saved to model.json + weights.bin with plain tfjs loads back with identical predictions', () => {
  const { result } = run('tfsave');
  assert.deepEqual(result.paths, ['weights.bin']);
  assert.equal(result.fileBytes, (4 * 8 + 8 + 8 * 3 + 3) * 4);
  assert.equal(result.weightBytes, result.fileBytes);
  assert.deepEqual(result.after, result.before);
});

test('bertclassifier: TextClassifier over an ONNX BERT encoder returns [batch, 2] logits, matching the exported classifier', () => {
  const { result } = run('bertclassifier');
  const expected = JSON.parse(fs.readFileSync(path.join(workDir, 'expected-bert.json'), 'utf8')) as {
    logits: { data: number[] };
    lastHidden: { dims: number[]; data: number[] };
  };
  assert.equal(result.hiddenSize, bertConfig.hiddenSize);
  const randomHead = result.randomHead as { shape: number[]; values: number[] };
  assert.deepEqual(randomHead.shape, [2, 2]);
  assert.ok(randomHead.values.every(Number.isFinite));
  assert.deepEqual(result.params, [[bertConfig.hiddenSize, 2], [2]]);
  const withHead = result.withHead as number[];
  withHead.forEach((v, i) => assert.ok(Math.abs(v - expected.logits.data[i]) < 1e-4, `logit ${i}: ${v} vs ${expected.logits.data[i]}`));
  // Without pooler_output, encode() returns the [CLS] row of last_hidden_state.
  const cls = result.cls as { shape: number[]; values: number[] };
  const [, seq, H] = expected.lastHidden.dims;
  assert.deepEqual(cls.shape, [2, H]);
  for (let b = 0; b < 2; b++) {
    for (let h = 0; h < H; h++) assert.ok(Math.abs(cls.values[b * H + h] - expected.lastHidden.data[b * seq * H + h]) < 1e-5);
  }
  assert.deepEqual(result.noPoolerShape, [2, 2]);
  assert.match(result.rejected as string, /has outputs \[logits\]; export the encoder/);
});

test('tftrainloop: the PyTorch-style loop lowers the loss (article defaults: Adam 1e-5, and a faster rate)', () => {
  const { result, stdout } = run('tftrainloop');
  const defaults = result.defaults as number[];
  assert.equal(defaults.length, 3);
  assert.ok(defaults[1] < defaults[0] && defaults[2] < defaults[1], `losses do not decrease at lr 1e-5: ${defaults}`);
  assert.ok((result.fastLast as number) < 0.5 * (result.fastFirst as number), `lr 0.05: ${result.fastFirst} → ${result.fastLast}`);
  assert.ok((result.accuracyAfter as number) >= 0.9, `accuracy after training ${result.accuracyAfter}`);
  assert.ok((result.accuracyAfter as number) > (result.accuracyBefore as number) || (result.accuracyBefore as number) >= 0.9);
  assert.match(stdout, /^epoch 3\/3: mean loss [\d.]+$/m);
  // The loop disposes what it creates: only the probe's variables and data remain.
  assert.ok((result.tensors as number) < 40, `leaked tensors: ${result.tensors}`);
});

test('ortsession: int64 feeds, run, softmax probabilities equal the model logits softmaxed', () => {
  const { result } = run('ortsession');
  const expected = JSON.parse(fs.readFileSync(path.join(workDir, 'expected-bert.json'), 'utf8')) as { logits: { data: number[] } };
  const probabilities = result.probabilities as number[][];
  assert.equal(probabilities.length, 2);
  for (let row = 0; row < 2; row++) {
    const [a, b] = expected.logits.data.slice(row * 2, row * 2 + 2);
    const pB = 1 / (1 + Math.exp(a - b));
    assert.ok(Math.abs(probabilities[row][1] - pB) < 1e-5, `row ${row}: ${probabilities[row]} vs p1=${pB}`);
    assert.ok(Math.abs(probabilities[row][0] + probabilities[row][1] - 1) < 1e-6);
  }
  const stable = result.softmax as number[];
  assert.ok(stable.every(Number.isFinite), 'softmax overflowed on large logits');
});

test('tfimage: a PNG becomes a [1, 28, 28, 1] tensor in [0, 1], inverted to light-on-dark by default', () => {
  const { result } = run('tfimage');
  assert.deepEqual(result.shape, [1, 28, 28, 1]);
  assert.ok((result.min as number) >= 0 && (result.max as number) <= 1);
  assert.ok((result.centre as number) > 0.9, `stroke centre ${result.centre}`);
  assert.ok((result.corner as number) < 0.01, `paper corner ${result.corner}`);
  assert.ok((result.lightCentre as number) < 0.1, `uninverted stroke ${result.lightCentre}`);
  assert.ok((result.transparentCorner as number) < 0.01, 'transparent pixels must count as white paper (0 after inversion)');
});

test('every Python snippet, expanded, passes python3 -m py_compile', () => {
  const files = catalogue.filter((s) => s.language === 'python').map((s) => `${s.prefixes[0]}.py`);
  const r = spawnSync('python3', ['-m', 'py_compile', ...files], { cwd: workDir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

// Debian's interpreter, not whatever `python3` is first on PATH (on these machines a pyenv shim without torch):
// `.ci/run` installs python3-torch for it. MODEL_LAB_PYTHON overrides it for a machine whose torch lives elsewhere.
const torchPython = process.env.MODEL_LAB_PYTHON ?? '/usr/bin/python3';

test('PyTorch snippets run a forward pass (Debian python3-torch)', () => {
  const probe = spawnSync(torchPython, ['-c', 'import torch'], { encoding: 'utf8' });
  assert.equal(
    probe.status,
    0,
    `${torchPython} cannot import torch (${(probe.stderr || String(probe.error ?? '')).trim().split('\n').pop()}): ` +
      'install Debian python3-torch and libopenblas0-pthread (.ci/run does), or point MODEL_LAB_PYTHON at a Python with torch',
  );
  // STAND-IN: `transformers` cannot be installed offline, so this registers a tiny BertModel-like module under
  // that name: it has `config.hidden_size`, accepts (input_ids, attention_mask) and returns an object with
  // `.pooler_output` and `[1]`, like transformers.BertModel. It checks the snippets' own code (the head, the
  // training loop, the evaluation), not BERT.
  const stub = `
import sys, types, torch
from torch import nn
class _Config:
    hidden_size = 24
class _Out(tuple):
    @property
    def pooler_output(self):
        return self[1]
class BertModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.config = _Config()
        self.emb = nn.Embedding(200, self.config.hidden_size)
    @classmethod
    def from_pretrained(cls, name):
        return cls()
    def forward(self, input_ids=None, attention_mask=None):
        h = self.emb(input_ids) * attention_mask.unsqueeze(-1)
        return _Out((h, torch.tanh(h[:, 0])))
class BertTokenizer:
    @classmethod
    def from_pretrained(cls, name):
        return cls()
    def __call__(self, texts, padding=True, truncation=True, max_length=128, return_tensors="pt"):
        rows = [[101] + [1000 % 200 + len(w) for w in t.split()][: max_length - 2] + [102] for t in texts]
        n = max(len(r) for r in rows)
        ids = torch.tensor([[x % 200 for x in r] + [0] * (n - len(r)) for r in rows])
        mask = torch.tensor([[1] * len(r) + [0] * (n - len(r)) for r in rows])
        return {"input_ids": ids, "attention_mask": mask}
mod = types.ModuleType("transformers")
mod.BertModel, mod.BertTokenizer = BertModel, BertTokenizer
sys.modules["transformers"] = mod
`;
  const check = `${stub}
torch.manual_seed(0)
ns = {}
exec(open("torchclassifier.py").read(), ns)
logits = ns["model"](torch.tensor([[101, 5, 102], [101, 7, 102]]), torch.tensor([[1, 1, 1], [1, 1, 0]]))
assert tuple(logits.shape) == (2, 2), logits.shape
exec(open("torchbert.py").read(), {})
print("@@TORCH ok", tuple(logits.shape))
`;
  fs.writeFileSync(path.join(workDir, 'torch_check.py'), check);
  const r = spawnSync(torchPython, ['torch_check.py'], { cwd: workDir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /@@TORCH ok \(2, 2\)/);
  assert.match(r.stdout, /epoch 3: train loss [\d.]+, test accuracy [\d.]+/);
});

test('every TypeScript snippet, expanded (with its probe), passes tsc --strict against the real packages', async () => {
  assert.ok(tscDone, 'tsc was not started');
  const { status, output } = await tscDone;
  assert.equal(status, 0, `tsc --strict failed:\n${output}`);
});
