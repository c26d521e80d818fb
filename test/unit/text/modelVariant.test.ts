import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseOnnxVariant, INT8_ONNX_FILE, parseModelVariantSetting, recordedVariant } from '../../../src/text/modelVariant';
import { loadTextModel } from '../../../src/text/onnxTextClassifier';
import { quantizeDynamicInt8 } from '../../../src/train/onnx/quantize';
import { makeTempDir, meanPoolClassifier, spamConfig, VOCAB, writeModelFolder } from './textModelFixtures';

const root = makeTempDir();
after(() => fs.rmSync(root, { recursive: true, force: true }));
const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** A real folder: the mean-pool classifier as model.onnx and, unless `noInt8`, our int8 quantization of it. */
function folder(name: string, recorded: string | undefined, noInt8 = false): string {
  const onnx = meanPoolClassifier();
  const config = spamConfig(recorded ? { model_lab: { version: 1, runtime: { onnx_variant: recorded } } } : {});
  const dir = writeModelFolder(path.join(root, name), { onnx, config, vocab: VOCAB });
  if (!noInt8) fs.writeFileSync(path.join(dir, INT8_ONNX_FILE), quantizeDynamicInt8(onnx));
  return dir;
}

async function loaded(dir: string, variant?: 'auto' | 'fp32' | 'int8') {
  const c = await loadTextModel(dir, { threads: 1, variant });
  try {
    return { summary: c.summary, label: (await c.classify('free money winner')).label };
  } finally {
    await c.dispose();
  }
}

test('auto runs the variant config.json records; nothing recorded runs model.onnx', async () => {
  const int8 = await loaded(folder('rec-int8', 'int8'));
  assert.equal(int8.summary.variant, 'int8');
  assert.equal(path.basename(int8.summary.onnxFile), 'model.int8.onnx');
  assert.equal(int8.label, 'spam', 'the int8 graph classifies like the fp32 one');
  const fp32 = await loaded(folder('rec-fp32', 'fp32'), 'auto');
  assert.equal(fp32.summary.variant, 'fp32');
  assert.equal(path.basename(fp32.summary.onnxFile), 'model.onnx');
  const none = await loaded(folder('rec-none', undefined));
  assert.equal(path.basename(none.summary.onnxFile), 'model.onnx', 'an int8 file that config.json does not choose is not picked up');
  assert.equal(none.summary.variantNote, undefined);
});

test('the setting overrides what config.json records, both ways', async () => {
  const forcedFp32 = await loaded(folder('ovr-fp32', 'int8'), 'fp32');
  assert.equal(path.basename(forcedFp32.summary.onnxFile), 'model.onnx');
  const forcedInt8 = await loaded(folder('ovr-int8', 'fp32'), 'int8');
  assert.equal(path.basename(forcedInt8.summary.onnxFile), 'model.int8.onnx');
  assert.equal(forcedInt8.label, 'spam');
});

test('a missing int8 graph falls back to model.onnx with a note that says why', async () => {
  const fromConfig = await loaded(folder('miss-config', 'int8', true));
  assert.equal(fromConfig.summary.variant, 'fp32');
  assert.equal(path.basename(fromConfig.summary.onnxFile), 'model.onnx');
  assert.match(fromConfig.summary.variantNote ?? '', /config\.json records int8 .*model\.int8\.onnx does not exist; running model\.onnx \(fp32\)/);
  const fromSetting = await loaded(folder('miss-setting', undefined, true), 'int8');
  assert.equal(path.basename(fromSetting.summary.onnxFile), 'model.onnx');
  assert.match(fromSetting.summary.variantNote ?? '', /modelLab\.text\.modelVariant asks for int8/);
});

test('the int8 sibling of a Transformers.js layout is looked for next to onnx/model.onnx', () => {
  const choice = chooseOnnxVariant('/m/onnx/model.onnx', { model_lab: { runtime: { onnx_variant: 'int8' } } });
  assert.equal(choice.onnxPath, '/m/onnx/model.onnx', 'missing sibling: fp32');
  assert.equal(choice.source, 'config');
  assert.ok(choice.note);
});

test('unknown setting values and malformed records mean auto / nothing recorded', () => {
  assert.equal(parseModelVariantSetting('int8'), 'int8');
  assert.equal(parseModelVariantSetting('INT8'), 'auto');
  assert.equal(parseModelVariantSetting(undefined), 'auto');
  assert.equal(recordedVariant({ model_lab: { runtime: { onnx_variant: 'int4' } } }), undefined);
  assert.equal(recordedVariant({ model_lab: [] }), undefined);
  assert.equal(recordedVariant(null), undefined);
});

test('the bundled model records fp32 (its int8 is slower) with the measurement, and auto runs model.onnx', async () => {
  const dir = path.join(repoRoot, 'models', 'spam-bert-tiny');
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { model_lab: { runtime: { onnx_variant: string; measured: { int8_speedup_vs_fp32: number } } } };
  assert.equal(recordedVariant(config), 'fp32');
  assert.ok(config.model_lab.runtime.measured.int8_speedup_vs_fp32 < 1, 'fp32 is recorded because int8 measured slower');
  const auto = await loaded(dir);
  assert.equal(path.basename(auto.summary.onnxFile), 'model.onnx');
  const forced = await loaded(dir, 'int8');
  assert.equal(path.basename(forced.summary.onnxFile), 'model.int8.onnx');
  assert.equal(forced.label, auto.label);
});
