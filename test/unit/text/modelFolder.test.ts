import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasErrorCode } from '../../../src/common/errors';
import { loadTokenizer, MODEL_FOLDER_FILES, modelFolderStamp, resolveModelFolder } from '../../../src/text/modelFolder';
import { makeTempDir, meanPoolClassifier, spamConfig, VOCAB, writeModelFolder } from './textModelFixtures';

const root = makeTempDir();
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('an encoder folder may lack config.json; a classifier folder may not', () => {
  const dir = writeModelFolder(path.join(root, 'encoder'), { onnx: meanPoolClassifier(), vocab: VOCAB });
  const encoder = resolveModelFolder(dir, 'encoder');
  assert.equal(encoder.onnxPath, path.join(dir, 'model.onnx'));
  assert.equal(encoder.config.maxPositionEmbeddings, undefined);
  assert.throws(() => resolveModelFolder(dir), (e: unknown) => hasErrorCode(e, 'config-missing'));
});

test('an encoder folder without a graph or a vocabulary is refused in the encoder\'s words', () => {
  assert.throws(() => resolveModelFolder(path.join(root, 'none'), 'encoder'), /The encoder folder .* does not exist/);
  const noOnnx = writeModelFolder(path.join(root, 'no-onnx'), { vocab: VOCAB });
  assert.throws(() => resolveModelFolder(noOnnx, 'encoder'), (e: unknown) => hasErrorCode(e, 'onnx-missing') && /feature-extraction/.test((e as Error).message));
  const noVocab = writeModelFolder(path.join(root, 'no-vocab'), { onnx: meanPoolClassifier() });
  assert.throws(() => resolveModelFolder(noVocab, 'encoder'), (e: unknown) => hasErrorCode(e, 'vocab-missing'));
});

test('tokenizer_config.json\'s model_max_length is the folder\'s limit; its JSON errors name line and column', () => {
  const dir = writeModelFolder(path.join(root, 'tok'), { onnx: meanPoolClassifier(), config: spamConfig(), vocab: VOCAB, tokenizerConfig: { model_max_length: 96 } });
  assert.equal(loadTokenizer(dir).maxLength, 96);
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), '{\n  "model_max_length": 96,\n}');
  assert.throws(() => loadTokenizer(dir), (e: unknown) => hasErrorCode(e, 'tokenizer-invalid') && /tokenizer_config\.json is not valid JSON at line 3/.test((e as Error).message));
});

test('the folder stamp changes when any file a loaded model depends on changes', () => {
  const dir = writeModelFolder(path.join(root, 'stamp'), { onnx: meanPoolClassifier(), config: spamConfig(), vocab: VOCAB });
  assert.ok(MODEL_FOLDER_FILES.includes('special_tokens_map.json'));
  const before = modelFolderStamp(dir);
  fs.writeFileSync(path.join(dir, 'special_tokens_map.json'), '{}');
  assert.notEqual(modelFolderStamp(dir), before);
});
