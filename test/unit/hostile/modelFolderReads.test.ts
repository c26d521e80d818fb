/**
 * Issue #17 defect 7, model folders: the files a model folder holds (config.json, vocab.txt, tokenizer.json,
 * tokenizer_config.json, labels.txt, a tfjs model.json) go through the bounded reader too. A FIFO in their place
 * used to block the reading thread forever and `/dev/zero` to grow until memory ran out; now each is refused at
 * once with a sentence naming the file. Each run is its own process with a hard timeout, so a hang fails the test.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../vision/helpers';
import { probe } from './probeClient';

const repo = path.resolve(__dirname, '../../..');
const root = tempDir('model-folder-reads');
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** A copy of a bundled model folder with `file` replaced by a FIFO or a symlink to /dev/zero. */
function folderWith(model: string, file: string, kind: 'fifo' | 'zero', edit?: (dir: string) => void): string {
  const dir = path.join(root, `${model}-${file.replace(/\W+/g, '-')}-${kind}`);
  fs.cpSync(path.join(repo, 'models', model), dir, { recursive: true });
  edit?.(dir);
  const target = path.join(dir, file);
  fs.rmSync(target, { force: true });
  if (kind === 'fifo') execFileSync('mkfifo', [target]);
  else fs.symlinkSync('/dev/zero', target);
  return dir;
}

const digit = path.join(repo, 'test/fixtures/images/progressive.jpg');

const cases: { what: string; args: () => string[]; names: string; kind: RegExp }[] = [
  { what: 'text config.json (FIFO)', args: () => ['classify-text', '--model', folderWith('spam-bert-tiny', 'config.json', 'fifo'), 'hello'], names: 'config.json', kind: /pipe \(FIFO\)/ },
  { what: 'text config.json (/dev/zero)', args: () => ['classify-text', '--model', folderWith('spam-bert-tiny', 'config.json', 'zero'), 'hello'], names: 'config.json', kind: /character device/ },
  { what: 'vocab.txt (FIFO)', args: () => ['tokenize', '--model', folderWith('spam-bert-tiny', 'vocab.txt', 'fifo'), 'hello'], names: 'vocab.txt', kind: /pipe \(FIFO\)/ },
  { what: 'vocab.txt (/dev/zero)', args: () => ['classify-text', '--model', folderWith('spam-bert-tiny', 'vocab.txt', 'zero'), 'hello'], names: 'vocab.txt', kind: /character device/ },
  { what: 'tokenizer_config.json (FIFO)', args: () => ['tokenize', '--model', folderWith('spam-bert-tiny', 'tokenizer_config.json', 'fifo'), 'hello'], names: 'tokenizer_config.json', kind: /pipe \(FIFO\)/ },
  { what: 'tokenizer.json (FIFO)', args: () => ['tokenize', '--model', folderWith('spam-bert-tiny', 'tokenizer.json', 'fifo'), 'hello'], names: 'tokenizer.json', kind: /pipe \(FIFO\)/ },
  { what: 'image config.json (FIFO)', args: () => ['classify-image', '--model', folderWith('mnist-cnn', 'config.json', 'fifo'), digit], names: 'config.json', kind: /pipe \(FIFO\)/ },
  {
    what: 'labels.txt (FIFO)',
    args: () => [
      'classify-image',
      '--model',
      folderWith('mnist-cnn', 'labels.txt', 'fifo', (dir) => {
        // Without labels in config.json the classifier looks for labels.txt.
        const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
        delete config.labels;
        delete config.id2label;
        delete config.label2id;
        fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
      }),
      digit,
    ],
    names: 'labels.txt',
    kind: /pipe \(FIFO\)/,
  },
  {
    what: 'tfjs model.json (FIFO)',
    args: () => {
      const dir = path.join(root, 'tfjs-fifo');
      fs.mkdirSync(dir);
      execFileSync('mkfifo', [path.join(dir, 'model.json')]);
      return ['inspect', path.join(dir, 'model.json')];
    },
    names: 'model.json',
    kind: /pipe \(FIFO\)/,
  },
  {
    what: 'an inspected .onnx file (FIFO)',
    args: () => {
      const dir = path.join(root, 'onnx-fifo');
      fs.mkdirSync(dir);
      execFileSync('mkfifo', [path.join(dir, 'model.onnx')]);
      return ['inspect', path.join(dir, 'model.onnx')];
    },
    names: 'model.onnx',
    kind: /pipe \(FIFO\)/,
  },
  { what: 'config.json beside an inspected model (FIFO)', args: () => ['inspect', path.join(folderWith('mnist-cnn', 'config.json', 'fifo'), 'model.onnx')], names: 'config.json', kind: /pipe \(FIFO\)/ },
];

for (const c of cases) {
  test(`defect 7 (unbounded reads of non-regular files), model folders: ${c.what} is refused in ≤ 2 s with a sentence naming it`, () => {
    const r = probe('cli', c.args(), { timeoutMs: 15_000 });
    const said = `${r.out}\n${r.err}`;
    assert.match(said, c.kind, `exit ${r.code}: ${said}`);
    assert.ok(said.includes(c.names), `the message names ${c.names}: ${said}`);
    assert.doesNotMatch(said, /\bat .*\(.*:\d+:\d+\)/, 'no stack trace');
    assert.ok(r.ms <= 2000, `took ${r.ms.toFixed(0)} ms`);
    assert.ok(r.peakAboveBaselineMB <= 300, `peak ${r.peakAboveBaselineMB.toFixed(0)} MB above the baseline`);
  });
}
