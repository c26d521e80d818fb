import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trainTextSubcommand } from '../../../src/cli/trainTextSubcommand';
import { toyData, writeEncoderFolder } from './frozenEncoderFixture';

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await trainTextSubcommand.run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

test('model-lab train-text --recipe frozen-encoder --encoder DIR writes a model folder with the metrics and the command', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'train-cli-'));
  try {
    const encoder = path.join(root, 'encoder');
    writeEncoderFolder(encoder, { pooler: true });
    const data = toyData(20, 5);
    const file = path.join(root, 'reviews.jsonl');
    fs.writeFileSync(file, data.texts.map((t, i) => JSON.stringify({ text: t, label: data.labelNames[data.labels[i]] })).join('\n') + '\n');
    const out = path.join(root, 'out');
    const r = await cli(['--data', file, '--out', out, '--recipe', 'frozen-encoder', '--encoder', encoder, '--lr', '0.05', '--epochs', '5']);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.match(r.out.join('\n'), /wrote .*out: held-out accuracy \d+\.\d\d %/);
    const cfg = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as { provenance: { lr: number; epochs: number; command: string } };
    assert.equal(cfg.provenance.lr, 0.05);
    assert.equal(cfg.provenance.epochs, 5);
    assert.match(cfg.provenance.command, /^model-lab train-text .*--recipe frozen-encoder/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('model-lab train-text: recipe/encoder usage errors and a classifier export as encoder', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'train-cli-'));
  try {
    const file = path.join(root, 'd.csv');
    fs.writeFileSync(file, 'text,label\ngood,a\nbad,b\ngood day,a\nbad day,b\n');
    const out = path.join(root, 'out');
    assert.equal((await cli(['--data', file, '--out', out, '--recipe', 'frozen-encoder'])).code, 2);
    assert.equal((await cli(['--data', file, '--out', out, '--encoder', root])).code, 2);
    assert.equal((await cli(['--data', file, '--out', out, '--recipe', 'xl'])).code, 2);
    const classifier = path.join(root, 'classifier');
    writeEncoderFolder(classifier, { pooler: false, keepLogits: true });
    const r = await cli(['--data', file, '--out', out, '--recipe', 'frozen-encoder', '--encoder', classifier]);
    assert.equal(r.code, 1);
    assert.match(r.err.join('\n'), /already a classifier/);
    assert.ok(!fs.existsSync(out));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
