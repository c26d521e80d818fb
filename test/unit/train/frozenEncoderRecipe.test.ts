import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { onnx } from 'onnx-proto';
import { decodeModel, tensorProtoToFloat32 } from '../../../src/train/onnx/graphBuilder';
import { EncoderFolderError, frozenEncoderRecipe } from '../../../src/train/text/frozenEncoderRecipe';
import { runTextTraining, TrainingCancelledError } from '../../../src/train/text/pipeline';
import { loadTextModel } from '../../../src/text/onnxTextClassifier';
import { WordPieceTokenizer } from '../../../src/text/tokenizer';
import { config, toyData, VOCAB, writeEncoderFolder } from './frozenEncoderFixture';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'frozen-encoder-'));
}

for (const variant of [{ pooler: true, onnxSubfolder: false }, { pooler: false, onnxSubfolder: true }]) {
  const feature = variant.pooler ? 'pooler_output' : 'last_hidden_state[:, 0]';
  test(`frozen encoder (${feature}): the head learns, the folder loads and classifies, logits = feature·W + b`, async () => {
    const root = tempDir();
    try {
      const encoder = path.join(root, 'encoder');
      writeEncoderFolder(encoder, variant);
      const out = path.join(root, 'out');
      const messages: string[] = [];
      const result = await runTextTraining(frozenEncoderRecipe, toyData(40, 1), { encoder, out, lr: 0.05, epochs: 40, batch: 8, command: 'test' }, (m) => messages.push(m));
      assert.equal(result.feature, feature);
      assert.equal(result.hidden, config.hiddenSize);
      assert.equal(result.heldOut, 16);
      assert.equal(result.train, 64);
      assert.ok(result.heldOutAccuracy >= 0.9, `held-out accuracy ${result.heldOutAccuracy}`);
      assert.ok(result.heldOutAccuracy > result.initialHeldOutAccuracy, `accuracy rose from ${result.initialHeldOutAccuracy} to ${result.heldOutAccuracy}`);
      assert.ok(messages.some((m) => /head epoch 40\/40/.test(m)));
      assert.deepEqual(fs.readdirSync(root).sort(), ['encoder', 'out'], 'no temporary folder left behind');

      const cfg = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(cfg.id2label, { 0: 'negative', 1: 'positive' });
      assert.deepEqual(cfg.label2id, { negative: 0, positive: 1 });
      assert.equal(cfg.problem_type, 'single_label_classification');
      assert.equal((cfg.provenance as Record<string, unknown>).feature, feature);
      assert.equal((cfg.metrics as { held_out: { accuracy: number } }).held_out.accuracy, result.heldOutAccuracy);
      assert.ok(fs.existsSync(path.join(out, 'vocab.txt')));

      const classifier = await loadTextModel(out, { threads: 1 });
      try {
        assert.deepEqual(classifier.labels, ['negative', 'positive']);
        assert.equal((await classifier.classify('great love happy nice')).label, 'positive');
        assert.equal((await classifier.classify('awful hate sad poor')).label, 'negative');
      } finally {
        await classifier.dispose();
      }

      // The appended head is exactly Linear(hidden, 2) on the encoder's feature.
      const written = decodeModel(fs.readFileSync(path.join(out, 'model.onnx')));
      assert.deepEqual(written.graph?.output?.map((o) => o.name), ['logits']);
      const init = (n: string) => tensorProtoToFloat32(written.graph?.initializer?.find((t) => t.name === n) as onnx.ITensorProto);
      const W = init('model_lab_head.weight');
      const b = init('model_lab_head.bias');
      const tok = WordPieceTokenizer.fromVocabText(VOCAB.join('\n'));
      const e = tok.encode('the movie was good');
      const feeds = {
        input_ids: new ort.Tensor('int64', BigInt64Array.from(e.inputIds.map(BigInt)), [1, e.inputIds.length]),
        attention_mask: new ort.Tensor('int64', BigInt64Array.from(e.attentionMask.map(BigInt)), [1, e.inputIds.length]),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(e.inputIds.length), [1, e.inputIds.length]),
      };
      const encSession = await ort.InferenceSession.create(path.join(encoder, variant.onnxSubfolder ? 'onnx' : '', 'model.onnx'));
      const headSession = await ort.InferenceSession.create(path.join(out, 'model.onnx'));
      const featureOut = (await encSession.run(feeds))[variant.pooler ? 'pooler_output' : 'last_hidden_state'].data as Float32Array;
      const logits = (await headSession.run(feeds)).logits.data as Float32Array;
      await encSession.release();
      await headSession.release();
      for (let c = 0; c < 2; c++) {
        let expected = b[c];
        for (let h = 0; h < config.hiddenSize; h++) expected += featureOut[h] * W[h * 2 + c];
        assert.ok(Math.abs(expected - logits[c]) < 1e-4, `logit ${c}: ${logits[c]} vs ${expected}`);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}

test('frozen encoder: a classifier export (only logits) is refused with a clear message', async () => {
  const root = tempDir();
  try {
    const encoder = path.join(root, 'encoder');
    writeEncoderFolder(encoder, { pooler: false, keepLogits: true });
    await assert.rejects(runTextTraining(frozenEncoderRecipe, toyData(5, 1), { encoder, out: path.join(root, 'out') }), (err: unknown) => {
      assert.ok(err instanceof EncoderFolderError);
      assert.match(err.message, /already a classifier.*feature-extraction/);
      return true;
    });
    assert.ok(!fs.existsSync(path.join(root, 'out')));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('frozen encoder: a folder without model.onnx is refused naming the folder', async () => {
  const root = tempDir();
  try {
    await assert.rejects(runTextTraining(frozenEncoderRecipe, toyData(5, 1), { encoder: root, out: path.join(root, 'out') }), /has no model\.onnx/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('frozen encoder: cancellation stops between batches and writes nothing', async () => {
  const root = tempDir();
  try {
    const encoder = path.join(root, 'encoder');
    writeEncoderFolder(encoder, { pooler: true });
    const controller = new AbortController();
    const out = path.join(root, 'out');
    await assert.rejects(
      runTextTraining(frozenEncoderRecipe, toyData(20, 2), { encoder, out, epochs: 5 }, (m) => {
        if (m.startsWith('head epoch 1/')) controller.abort();
      }, controller.signal),
      TrainingCancelledError,
    );
    assert.deepEqual(fs.readdirSync(root), ['encoder']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
