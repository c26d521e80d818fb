import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTextModel, type OnnxTextClassifier } from '../../../src/text/onnxTextClassifier';
import { intraOpThreads, sessionOptions, SMALL_MODEL_HIDDEN_SIZE } from '../../../src/text/ortSession';
import { CodedError } from '../../../src/common/errors';
import { parseModelConfig, type TextModelErrorCode } from '../../../src/text/modelFolder';
import { sigmoid, softmax } from '../../../src/text/aggregate';
import { OnnxGraphBuilder } from '../../../src/train/onnx/graphBuilder';
import { inspectOnnxFile } from '../../../src/text/onnxGraph';
import { bertFolder, makeTempDir, meanPoolClassifier, meanPoolFolder, spamConfig, VOCAB, writeModelFolder } from './textModelFixtures';

const root = makeTempDir();
after(() => fs.rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => path.join(root, `m${n++}`);

async function withModel<T>(dir: string, fn: (c: OnnxTextClassifier) => Promise<T>): Promise<T> {
  const c = await loadTextModel(dir, { threads: 1 });
  try {
    return await fn(c);
  } finally {
    await c.dispose();
  }
}

async function rejectsWith(dir: string, code: TextModelErrorCode, pattern: RegExp): Promise<void> {
  await assert.rejects(loadTextModel(dir, { threads: 1 }), (err: unknown) => {
    assert.ok(err instanceof CodedError, `expected a coded error, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.match(err.message, pattern);
    return true;
  });
}

test('a mean-pool model folder loads and separates spam from ham by the words in the text', async () => {
  await withModel(meanPoolFolder(fresh()), async (c) => {
    assert.deepEqual(c.labels, ['ham', 'spam']);
    assert.deepEqual(c.summary.inputs, ['input_ids', 'attention_mask']);
    const spam = await c.classify('Win free money! Click to win a cash prize.');
    assert.equal(spam.label, 'spam');
    assert.ok(spam.probability > 0.9, String(spam.probability));
    const ham = await c.classify('Hello team, please review the report before the meeting tomorrow.');
    assert.equal(ham.label, 'ham');
    assert.equal(ham.activation, 'softmax');
    assert.ok(Math.abs(ham.labels[0].probability + ham.labels[1].probability - 1) < 1e-6);
    assert.ok(ham.timings.totalMs >= ham.timings.inferenceMs);
  });
});

test('probabilities are the softmax of the logits session.run returns for the same ids', async () => {
  await withModel(meanPoolFolder(fresh()), async (c) => {
    const text = 'free meeting tomorrow';
    const { ids } = c.tokenizeContent(text);
    const [logits] = await c.runBatch([[c.tokenizer.tokenToId('[CLS]')!, ...ids, c.tokenizer.tokenToId('[SEP]')!]]);
    const expected = softmax(logits);
    const result = await c.classify(text);
    result.labels.forEach((l, i) => assert.ok(Math.abs(l.probability - expected[i]) < 1e-6));
  });
});

test('multi_label_classification uses sigmoid: independent probabilities that need not sum to 1', async () => {
  const dir = meanPoolFolder(fresh(), { labels: 3 }, spamConfig({ problem_type: 'multi_label_classification', id2label: { 0: 'ham', 1: 'spam', 2: 'phishing' } }));
  await withModel(dir, async (c) => {
    const text = 'click to win the prize';
    const { ids } = c.tokenizeContent(text);
    const [logits] = await c.runBatch([[c.tokenizer.tokenToId('[CLS]')!, ...ids, c.tokenizer.tokenToId('[SEP]')!]]);
    const result = await c.classify(text);
    assert.equal(result.activation, 'sigmoid');
    const expected = sigmoid(logits);
    result.labels.forEach((l, i) => assert.ok(Math.abs(l.probability - expected[i]) < 1e-6));
    const sum = result.labels.reduce((a, l) => a + l.probability, 0);
    assert.ok(Math.abs(sum - 1) > 0.05, `sigmoid probabilities happen to sum to ${sum}`);
  });
});

test('labels default to LABEL_i when config.json has no id2label', async () => {
  const config = spamConfig();
  delete config.id2label;
  delete config.label2id;
  await withModel(meanPoolFolder(fresh(), { labels: 3 }, config), async (c) => {
    assert.deepEqual(c.labels, ['LABEL_0', 'LABEL_1', 'LABEL_2']);
    assert.equal((await c.classify('win cash')).label, 'LABEL_1');
  });
});

test('onnx/model.onnx (Transformers.js layout), token_type_ids only when the graph has it, int32 inputs', async () => {
  const sub = writeModelFolder(fresh(), { onnx: meanPoolClassifier(), onnxInSubfolder: true, config: spamConfig(), vocab: VOCAB });
  await withModel(sub, async (c) => assert.match(c.summary.onnxFile, /onnx[\\/]model\.onnx$/));
  await withModel(meanPoolFolder(fresh(), { tokenTypeIds: true }), async (c) => {
    assert.deepEqual(c.summary.inputs, ['input_ids', 'attention_mask', 'token_type_ids']);
    assert.equal((await c.classify('free prize')).label, 'spam');
  });
  await withModel(meanPoolFolder(fresh(), { noAttentionMask: true }), async (c) => {
    assert.deepEqual(c.summary.inputs, ['input_ids']);
    assert.equal((await c.classify('free prize')).label, 'spam');
  });
  await withModel(meanPoolFolder(fresh(), { inputType: 'int32' }), async (c) => assert.equal((await c.classify('free prize')).label, 'spam'));
});

test('a static sequence length in the graph caps the window and every batch is padded to it', async () => {
  await withModel(meanPoolFolder(fresh(), { staticSequence: 8 }, spamConfig({ max_position_embeddings: 512 })), async (c) => {
    assert.equal(c.maxLength, 8);
    const r = await c.classify('hello team please review the report we will discuss the budget at the meeting tomorrow');
    assert.equal(r.windowLength, 8);
    assert.ok(r.windows.length > 1);
    assert.equal(r.label, 'ham');
  });
});

test('long text: max_position_embeddings caps the window; the spam paragraph is the most spam-like window', async () => {
  const ham = 'hello team please review the report we will discuss the budget at the meeting tomorrow thanks . ';
  const spamPart = 'win free money click to win a cash prize winner offer . ';
  const text = ham.repeat(6) + spamPart + ham.repeat(6);
  const spamStart = text.indexOf(spamPart);
  const spamEnd = spamStart + spamPart.length;
  await withModel(meanPoolFolder(fresh()), async (c) => {
    assert.equal(c.maxLength, 16, 'max_position_embeddings 16 < model_max_length 512');
    const r = await c.classify(text, { windowOverlap: 4, batchSize: 3 });
    assert.equal(r.windowLength, 16);
    assert.equal(r.windowOverlap, 4);
    assert.ok(r.windows.length > 10);
    assert.equal(r.label, 'ham', 'mostly ham on average');
    const spamWindow = r.windows[r.maxWindowByLabel[1].windowIndex];
    assert.equal(spamWindow.label, 'spam');
    assert.ok(spamWindow.charStart < spamEnd && spamWindow.charEnd > spamStart, 'the most spam-like window overlaps the spam paragraph');
    // Windows are in text order and their ranges point into the text.
    for (const w of r.windows) {
      assert.ok(w.charStart >= 0 && w.charEnd <= text.length && w.charStart < w.charEnd);
      assert.equal(w.tokenEnd - w.tokenStart, 14);
    }
    // Batching does not change the result.
    const one = await c.classify(text, { windowOverlap: 4, batchSize: 1 });
    one.labels.forEach((l, i) => assert.ok(Math.abs(l.probability - r.labels[i].probability) < 1e-5));
    // The window setting caps it further.
    const small = await c.classify(text, { windowOverlap: 0, maxWindowTokens: 6 });
    assert.equal(small.windowLength, 6);
    assert.ok(small.windows.every((w) => w.tokenEnd - w.tokenStart === 4));
  });
});

test('a text with no readable tokens is refused with a sentence', async () => {
  await withModel(meanPoolFolder(fresh()), async (c) => {
    await assert.rejects(c.classify('   \u0000\u0001  '), /no tokens the model can read/);
  });
});

test('bad folders: missing folder, a file, no model.onnx, no config.json, no vocabulary', async () => {
  await rejectsWith(path.join(root, 'does-not-exist'), 'folder-missing', /does not exist/);
  const file = path.join(root, 'a-file.txt');
  fs.writeFileSync(file, 'x');
  await rejectsWith(file, 'folder-missing', /is a file, not a model folder/);
  await rejectsWith(writeModelFolder(fresh(), { config: spamConfig(), vocab: VOCAB }), 'onnx-missing', /no model\.onnx/);
  await rejectsWith(writeModelFolder(fresh(), { onnx: meanPoolClassifier(), vocab: VOCAB }), 'config-missing', /no config\.json/);
  await rejectsWith(writeModelFolder(fresh(), { onnx: meanPoolClassifier(), config: spamConfig() }), 'vocab-missing', /neither vocab\.txt nor tokenizer\.json/);
});

test('config.json that does not parse: the message names the file and the line and column', async () => {
  const dir = writeModelFolder(fresh(), { onnx: meanPoolClassifier(), configText: '{\n  "model_type": "bert",\n  "id2label": {"0": "ham",}\n}', vocab: VOCAB });
  await rejectsWith(dir, 'config-invalid', /config\.json is not valid JSON at line 3, column \d+/);
  const bad = writeModelFolder(fresh(), { onnx: meanPoolClassifier(), config: { id2label: { zero: 'ham' } }, vocab: VOCAB });
  await rejectsWith(bad, 'config-invalid', /"id2label" has the key "zero"/);
  const regression = writeModelFolder(fresh(), { onnx: meanPoolClassifier(), config: spamConfig({ problem_type: 'regression' }), vocab: VOCAB });
  await rejectsWith(regression, 'config-invalid', /problem_type "regression" is not supported/);
});

test('a corrupt model file is wrapped: "The model file … could not be loaded"', async () => {
  const dir = writeModelFolder(fresh(), { onnx: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), config: spamConfig(), vocab: VOCAB });
  await rejectsWith(dir, 'model-corrupt', /^The model file .*model\.onnx could not be loaded: /);
  const truncated = meanPoolClassifier().subarray(0, 200);
  await rejectsWith(writeModelFolder(fresh(), { onnx: truncated, config: spamConfig(), vocab: VOCAB }), 'model-corrupt', /could not be loaded/);
});

test('a model without input_ids, or with an input Model Lab cannot fill, is named in the message', async () => {
  await rejectsWith(meanPoolFolder(fresh(), { idsName: 'tokens' }), 'input-missing', /has no input "input_ids" \(its inputs are: tokens, attention_mask\)/);
  await rejectsWith(meanPoolFolder(fresh(), { extraInput: 'position_ids' }), 'input-unsupported', /needs the input "position_ids"/);
});

test('outputs: no "logits" among several outputs is refused; a single output of another name is used', async () => {
  await rejectsWith(meanPoolFolder(fresh(), { outputName: 'scores', secondOutput: true }), 'output-missing', /no output "logits" \(its outputs are: scores, pooled_output\)/);
  await withModel(meanPoolFolder(fresh(), { outputName: 'scores' }), async (c) => assert.equal((await c.classify('free cash')).label, 'spam'));
});

test('config labels that do not match the logits are refused', async () => {
  await rejectsWith(meanPoolFolder(fresh(), { labels: 2 }, spamConfig({ id2label: { 0: 'a', 1: 'b', 2: 'c' } })), 'labels-mismatch', /names 3 labels .* outputs 2 logits/);
});

test('a vocabulary larger than the embedding table is refused with both sizes (read from the graph)', async () => {
  await rejectsWith(meanPoolFolder(fresh(), { embeddingRows: 20 }), 'vocab-mismatch', new RegExp(`\\(${VOCAB.length} tokens\\) does not fit the model: the model's word-embedding table has only 20 rows`));
});

test('a vocabulary too large for an embedding the graph hides is caught by the probe run', async () => {
  // The table reaches Gather through an Identity node, so the graph reader cannot see its size.
  const g = new OnnxGraphBuilder();
  g.addInput('input_ids', 'int64', ['batch', 'sequence']);
  g.addInput('attention_mask', 'int64', ['batch', 'sequence']);
  g.addInitializer('table', new Float32Array(10 * 2).fill(0.1), [10, 2]);
  const hidden = g.op('Identity', ['table']);
  const emb = g.op('Gather', [hidden, 'input_ids']);
  const pooled = g.op('ReduceMean', [emb], { axes: { ints: [1] }, keepdims: 0 });
  g.addNode('Identity', [pooled], ['logits']);
  g.addOutput('logits', 'float32', ['batch', 2]);
  const dir = writeModelFolder(fresh(), { onnx: g.toBytes(), config: spamConfig(), vocab: VOCAB });
  await rejectsWith(dir, 'vocab-mismatch', /does not fit the model: the model's word-embedding table is smaller/);
});

test('a vocabulary without [CLS] is refused', async () => {
  const vocab = VOCAB.filter((t) => t !== '[CLS]');
  await rejectsWith(writeModelFolder(fresh(), { onnx: meanPoolClassifier(), config: spamConfig(), vocab }), 'tokenizer-invalid', /\[CLS\]/);
});

test('BERT-shaped export: feeds token_type_ids, windows capped by max_position_embeddings, batching does not change results', async () => {
  const dir = bertFolder(fresh(), 'bert');
  assert.equal(inspectOnnxFile(path.join(dir, 'model.onnx')).wordEmbeddingRows, VOCAB.length, 'the graph reader finds the BERT word embeddings');
  await withModel(dir, async (c) => {
    assert.deepEqual(c.summary.inputs, ['input_ids', 'attention_mask', 'token_type_ids']);
    assert.equal(c.summary.modelType, 'bert');
    assert.equal(c.maxLength, 24);
    const text = 'hello team , please review the report . we will discuss the budget at the meeting tomorrow . '.repeat(5) + 'win free cash !';
    const batched = await c.classify(text, { windowOverlap: 6, batchSize: 8 });
    const single = await c.classify(text, { windowOverlap: 6, batchSize: 1 });
    assert.ok(batched.windows.length > 3);
    assert.equal(batched.windowLength, 24);
    // Windows run alone or batched with others must give the same probabilities.
    batched.windows.forEach((w, i) => w.probabilities.forEach((p, l) => assert.ok(Math.abs(p - single.windows[i].probabilities[l]) < 1e-4)));
    const sum = batched.labels.reduce((a, l) => a + l.probability, 0);
    assert.ok(Math.abs(sum - 1) < 1e-5);
    // A short text in a batch with a long one: padding must not change its probabilities.
    const { ids } = c.tokenizeContent('free prize');
    const cls = c.tokenizer.tokenToId('[CLS]')!;
    const sep = c.tokenizer.tokenToId('[SEP]')!;
    const [alone] = await c.runBatch([[cls, ...ids, sep]]);
    const [, padded] = await c.runBatch([[cls, ...c.tokenizeContent('the meeting notes for the team review').ids, sep], [cls, ...ids, sep]]);
    alone.forEach((v, i) => assert.ok(Math.abs(v - padded[i]) < 1e-4, `logit ${i}: ${v} vs ${padded[i]}`));
  });
});

test('DistilBERT-shaped export (no token_type_ids) loads and classifies through the same path', async () => {
  await withModel(bertFolder(fresh(), 'distilbert', { numLabels: 3 }), async (c) => {
    assert.deepEqual(c.summary.inputs, ['input_ids', 'attention_mask']);
    assert.equal(c.summary.modelType, 'distilbert');
    assert.deepEqual(c.labels, ['ham', 'spam', 'class_2']);
    const r = await c.classify('hello world');
    assert.equal(r.labels.length, 3);
    assert.ok(r.labels.includes(r.labels[r.labelIndex]));
    assert.ok(Math.abs(r.labels.reduce((a, l) => a + l.probability, 0) - 1) < 1e-5);
  });
});

test('BERT export whose embedding table is smaller than the vocabulary is refused with both sizes', async () => {
  await rejectsWith(bertFolder(fresh(), 'bert', { vocabSize: 30 }), 'vocab-mismatch', new RegExp(`\\(${VOCAB.length} tokens\\).*only 30 rows`));
});

test('threads: the setting wins; "0" means one thread for small models (hidden size < 256) and one per core otherwise', () => {
  assert.equal(intraOpThreads({ threads: 3 }, 32), 3);
  assert.equal(intraOpThreads({ threads: 0 }, 32), 1);
  assert.equal(intraOpThreads({}, SMALL_MODEL_HIDDEN_SIZE - 1), 1);
  assert.equal(intraOpThreads({}, SMALL_MODEL_HIDDEN_SIZE), 0, "ORT's default (one per core)");
  assert.equal(intraOpThreads({}, undefined), 0, 'no hidden size in config.json: ORT default');
  assert.equal(sessionOptions({}, 32).intraOpNumThreads, 1);
  assert.equal(sessionOptions({}, 768).intraOpNumThreads, undefined);
  // config.json: hidden_size (BERT) or dim (DistilBERT).
  assert.equal(parseModelConfig({ hidden_size: 128, num_labels: 2 }, 'config.json').hiddenSize, 128);
  assert.equal(parseModelConfig({ dim: 768, num_labels: 2 }, 'config.json').hiddenSize, 768);
  assert.equal(parseModelConfig({ hidden_size: 'big', num_labels: 2 }, 'config.json').hiddenSize, undefined);
});
