// Issue #17, the training defects: each test is named after its defect and fails on the code that had it.
// Children run where the old behaviour was an endless loop or a process killed mid-write (an in-process test
// could not observe either).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { recoverInterruptedWrites } from '../../../src/train/modelFolderOutput';
import { MAX_TRAINING_ROWS, stratifiedIndexSplit } from '../../../src/train/text/userData';

const ROOT = path.resolve(__dirname, '../../..');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'train-hostile-'));
}

function writeData(file: string, rows = 8): void {
  const lines = ['text,label'];
  for (let i = 0; i < rows; i++) lines.push(i % 2 ? `cheap pills ${i},spam` : `meeting notes ${i},ham`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await main(['train-text', ...args], { out: () => {}, err: (l) => err.push(l) });
  return { code, err: err.join('\n') };
}

/** Every file below `dir` with its content, for "nothing changed" comparisons. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const p = path.join(e.parentPath, e.name);
      out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  }
  return out;
}

function timedCli(args: string[], timeoutMs: number): { code: number; ms: number; err: string[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'children', 'timedCli.ts'), 'train-text', ...args], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs });
  assert.ok(r.status === 0 && r.stdout.trim(), `the CLI did not finish within ${timeoutMs} ms (signal ${r.signal}); stderr: ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as { code: number; ms: number; err: string[] };
}

test('#17.1 data loss: train-text --out never deletes a folder that is not a model, a file, or the data\'s own folder, even with --force', async () => {
  const root = tempDir();
  const cwd = process.cwd();
  try {
    const data = path.join(root, 'data', 'texts.csv');
    fs.mkdirSync(path.dirname(data));
    writeData(data);
    const notes = path.join(root, 'notes');
    fs.mkdirSync(notes);
    fs.writeFileSync(path.join(notes, 'thesis.md'), 'three years of work');
    const file = path.join(root, 'report.txt');
    fs.writeFileSync(file, 'keep me');
    const before = snapshot(root);
    const small = ['--epochs', '1', '--seq', '8', '--hidden', '8', '--layers', '1'];
    for (const force of [[], ['--force']]) {
      for (const out of [notes, file, path.dirname(data), root]) {
        const r = await cli(['--data', data, '--out', out, ...small, ...force]);
        assert.equal(r.code, 1, `--out ${out} ${force.join(' ')}: ${r.err}`);
        assert.match(r.err, /never replaces it|contains .*texts\.csv/);
      }
      // `.`: the working directory (it holds the data here).
      process.chdir(path.dirname(data));
      const r = await cli(['--data', data, '--out', '.', ...small, ...force]);
      process.chdir(cwd);
      assert.equal(r.code, 1, r.err);
    }
    assert.deepEqual(snapshot(root), before, 'nothing was changed');

    // A model folder is replaced only with --force, and then completely.
    const model = path.join(root, 'model');
    fs.mkdirSync(model);
    fs.writeFileSync(path.join(model, 'config.json'), '{"id2label":{"0":"old"}}');
    fs.writeFileSync(path.join(model, 'model.onnx'), 'old');
    const refused = await cli(['--data', data, '--out', model, ...small]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /already holds a model; pass --force/);
    assert.equal(fs.readFileSync(path.join(model, 'model.onnx'), 'utf8'), 'old');
    const replaced = await cli(['--data', data, '--out', model, ...small, '--force']);
    assert.equal(replaced.code, 0, replaced.err);
    assert.deepEqual((JSON.parse(fs.readFileSync(path.join(model, 'config.json'), 'utf8')) as { id2label: object }).id2label, { 0: 'ham', 1: 'spam' });
    assert.deepEqual(fs.readdirSync(root).sort(), ['data', 'model', 'notes', 'report.txt'], 'no temporary or backup folder left');
  } finally {
    process.chdir(cwd);
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('#17.2 data loss: a replace killed at any step leaves the old or the new model complete, and the next run removes only its own leftovers', () => {
  const FILES = 400;
  for (const step of ['mid-fill', 'journal', 'temporary-written', 'old-moved-aside', 'new-in-place', 'done']) {
    const root = tempDir();
    try {
      const out = path.join(root, 'model');
      fs.mkdirSync(out);
      fs.writeFileSync(path.join(out, 'config.json'), JSON.stringify({ version: 'old' }));
      fs.writeFileSync(path.join(out, 'model.onnx'), 'old');
      for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(out, `part-${i}.bin`), 'old');
      const old = snapshot(out);
      // Things beside the model that look like ours but are not named by any journal: they must survive.
      fs.writeFileSync(path.join(root, 'keep.txt'), 'mine');
      fs.mkdirSync(path.join(root, '.model.model-lab-write-decoy.new'));
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'children', 'interruptedWrite.ts'), out, step, String(FILES)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.signal, 'SIGKILL', `${step}: ${r.stderr}`);

      const versionAt = (dir: string) => (JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as { version: string }).version;
      const complete = (dir: string) => {
        const snap = snapshot(dir);
        const version = versionAt(dir);
        assert.equal(Object.keys(snap).length, FILES + 2, `${step}: ${dir} has every file`);
        assert.ok(Object.values(snap).every((v) => v === version || v.includes(version)), `${step}: ${dir} is all ${version}`);
      };
      // Straight after the kill, the target is the old or the new model, complete — except between the two
      // renames, where the old model is complete in the backup the journal names.
      if (step === 'old-moved-aside') assert.ok(!fs.existsSync(out));
      else complete(out);

      const notes = recoverInterruptedWrites(out);
      complete(out);
      if (step === 'old-moved-aside' || ['mid-fill', 'journal', 'temporary-written'].includes(step)) assert.deepEqual(snapshot(out), old, `${step}: the old model is back`);
      else assert.equal(versionAt(out), 'new', step);
      assert.deepEqual(fs.readdirSync(root).sort(), ['.model.model-lab-write-decoy.new', 'keep.txt', 'model'], `${step}: leftovers removed (${notes.join('; ')})`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
});

test('#17.6 O(n²) stratified split: 40,000 labels split in well under a second', () => {
  const labels = Array.from({ length: 40_000 }, (_, i) => i % 3);
  const t0 = performance.now();
  const { train, heldOut } = stratifiedIndexSplit(labels, 0.2, 1);
  const ms = performance.now() - t0;
  assert.equal(train.length + heldOut.length, labels.length);
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
});

test('#17.6 a 1M-row CSV is refused up front, naming the row limit, in well under 30 s', () => {
  const root = tempDir();
  try {
    const data = path.join(root, 'big.csv');
    const fd = fs.openSync(data, 'w');
    fs.writeSync(fd, 'text,label\n');
    const chunk = Array.from({ length: 10_000 }, (_, i) => `row ${i} some words here,${i % 2 ? 'a' : 'b'}`).join('\n') + '\n';
    for (let i = 0; i < 100; i++) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const r = timedCli(['--data', data, '--out', path.join(root, 'model')], 120_000);
    assert.equal(r.code, 1, r.err.join('\n'));
    assert.match(r.err.join('\n'), new RegExp(`more than ${MAX_TRAINING_ROWS.toLocaleString('en-US')} data rows`));
    assert.ok(r.ms < 30_000, `${r.ms.toFixed(0)} ms`);
    assert.deepEqual(fs.readdirSync(root), ['big.csv']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('#17.9 --out under /proc fails in ≤ 1 s instead of spinning', () => {
  const root = tempDir();
  try {
    const data = path.join(root, 'd.csv');
    writeData(data);
    for (const out of ['/proc/model-lab-test/model', '/proc/self/model', '/sys/model-lab']) {
      const r = timedCli(['--data', data, '--out', out], 60_000);
      assert.equal(r.code, 1, r.err.join('\n'));
      assert.match(r.err.join('\n'), /virtual file system/);
      assert.ok(r.ms <= 1000, `${out}: ${r.ms.toFixed(0)} ms`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('#17.11 no upper bounds on --seq and --epochs: out-of-range flags exit 2 with a usage message', async () => {
  const root = tempDir();
  try {
    const data = path.join(root, 'd.csv');
    writeData(data);
    const out = path.join(root, 'model');
    const cases: [string[], RegExp][] = [
      [['--hidden', '33'], /--hidden must be a multiple of 2/],
      [['--seq', '1'], /--seq must be a whole number from 8 to 512/],
      [['--seq', '100000'], /--seq must be a whole number from 8 to 512/],
      [['--epochs', '1e300'], /--epochs must be a whole number from 1 to 1000/],
      [['--epochs', '2.5'], /--epochs must be a whole number/],
      [['--layers', '64'], /--layers must be a whole number from 1 to 12/],
      [['--lr', '5'], /--lr must be a number above 0 and at most 1/],
      [['--lr', 'NaN'], /--lr needs a number/],
      [['--recipe', 'frozen-encoder', '--encoder', root, '--hidden', '64'], /--hidden and --layers describe the BERT-tiny recipe/],
    ];
    for (const [flags, re] of cases) {
      const r = await cli(['--data', data, '--out', out, ...flags]);
      assert.equal(r.code, 2, `${flags.join(' ')}: ${r.err}`);
      assert.match(r.err, re, flags.join(' '));
      assert.match(r.err, /usage: model-lab train-text/, flags.join(' '));
    }
    assert.deepEqual(fs.readdirSync(root), ['d.csv']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
