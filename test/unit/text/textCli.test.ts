import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { makeTempDir, meanPoolFolder, VOCAB } from './textModelFixtures';

const repo = path.resolve(__dirname, '../../..');
const root = makeTempDir();
after(() => fs.rmSync(root, { recursive: true, force: true }));
const model = meanPoolFolder(path.join(root, 'model'));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('classify-text TEXT prints the label, a bar per label and the timings', async () => {
  const r = await run('classify-text', '--model', model, 'win', 'free', 'cash', 'prize');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^spam {2}\d+\.\d% {2}\(model; 4 tokens in 1 window; tokenize .* ms, inference .* ms, total .* ms\)/);
  assert.match(r.out, /\n {2}ham {3}\s*\d+\.\d%/);
  assert.match(r.out, /\n {2}spam {2}\s*\d+\.\d% {2}█+/);
});

test('classify-text --json gives the full result; --file reads a file; long files report decisive windows', async () => {
  const file = path.join(root, 'mail.txt');
  fs.writeFileSync(file, 'hello team please review the report before the meeting tomorrow . '.repeat(20) + 'win free cash now');
  const r = await run('classify-text', '--model', model, '--json', '--overlap', '2', '--file', file);
  assert.equal(r.code, 0, r.err);
  const result = JSON.parse(r.out);
  assert.equal(result.label, 'ham');
  assert.ok(result.windows.length > 5);
  assert.equal(result.windowOverlap, 2);
  assert.equal(result.model.dir, model);
  const text = await run('classify-text', '--model', model, '--file', file);
  assert.match(text.out, /most decisive windows for "ham"/);
});

test('classify-text - reads standard input (spawned CLI)', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'classify-text', '--model', model, '--json', '-'], {
    cwd: repo,
    input: 'Click to win a free prize',
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).label, 'spam');
});

test('bad input exits 1 with a sentence: empty text, binary file, too large, missing file, broken model', async () => {
  const empty = await run('classify-text', '--model', model, '   ');
  assert.equal(empty.code, 1);
  assert.match(empty.err, /empty or only whitespace/);
  const bin = path.join(root, 'image.bin');
  fs.writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48]));
  const binary = await run('classify-text', '--model', model, '--file', bin);
  assert.equal(binary.code, 1);
  assert.match(binary.err, /looks like a binary file/);
  const big = path.join(root, 'big.txt');
  fs.writeFileSync(big, 'word '.repeat(1000));
  const large = await run('classify-text', '--model', model, '--max-kb', '2', '--file', big);
  assert.equal(large.code, 1);
  assert.match(large.err, /is 5 KiB, over the 2 KiB limit/);
  const missing = await run('classify-text', '--model', model, '--file', path.join(root, 'nope.txt'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read .*nope\.txt: no such file/);
  const broken = path.join(root, 'broken');
  fs.mkdirSync(broken);
  const noModel = await run('classify-text', '--model', broken, 'hello');
  assert.equal(noModel.code, 1);
  assert.match(noModel.err, /has no model\.onnx/);
});

test('usage errors exit 2: no text, text and --file, unknown option, bad number', async () => {
  assert.equal((await run('classify-text', '--model', model)).code, 2);
  assert.equal((await run('classify-text', '--file', 'a.txt', 'text')).code, 2);
  const unknown = await run('classify-text', '--frobnicate', 'x');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown option '--frobnicate'/);
  assert.equal((await run('classify-text', '--overlap', 'lots', 'x')).code, 2);
  assert.equal((await run('tokenize')).code, 2);
});

test('tokenize --json: tokens, ids and UTF-16 offsets, with [CLS]/[SEP] unless --no-special', async () => {
  const r = await run('tokenize', '--model', model, '--json', 'UNwant\u00E9d,running');
  assert.equal(r.code, 0, r.err);
  const t = JSON.parse(r.out);
  assert.deepEqual(t.tokens, ['[CLS]', 'un', '##want', '##ed', ',', 'runn', '##ing', '[SEP]']);
  assert.deepEqual(t.ids, t.tokens.map((x: string) => VOCAB.indexOf(x)));
  assert.deepEqual(t.offsets, [[0, 0], [0, 2], [2, 6], [6, 8], [8, 9], [9, 13], [13, 16], [0, 0]]);
  const bare = JSON.parse((await run('tokenize', '--model', model, '--json', '--no-special', 'hello')).out);
  assert.deepEqual(bare.tokens, ['hello']);
  const table = await run('tokenize', '--model', model, 'hello world');
  assert.match(table.out, /hello\s+\d+\s+0–5/);
});
