import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { parseModelLabBlock, readModelScope } from '../../../src/common/modelScope';

const repo = path.resolve(__dirname, '../../..');

async function classify(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['classify-text', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l) });
  assert.equal(code, 0, err.join('\n'));
  return out.join('\n');
}

test('the bundled models describe their scope in config.json (model_lab) and have a model card', () => {
  for (const name of ['spam-bert-tiny', 'mnist-cnn']) {
    const dir = path.join(repo, 'models', name);
    const { block, problem } = readModelScope(dir);
    assert.equal(problem, undefined);
    assert.ok(block?.domain && block.intended_use && block.limitations?.length, name);
    const card = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const heading of ['Intended use', 'Out of scope', 'Training data', 'Evaluation', 'Limitations']) assert.match(card, new RegExp(`^## ${heading}`, 'm'), `${name}: ${heading}`);
  }
  const spam = readModelScope(path.join(repo, 'models', 'spam-bert-tiny')).block!;
  assert.deepEqual(spam.languages, ['en']);
  assert.deepEqual(spam.label_names, { en: { ham: 'not spam', spam: 'spam' }, 'zh-cn': { ham: '非垃圾邮件', spam: '垃圾邮件' } });
});

test('the Chinese sample gets out-of-scope warnings in the CLI JSON, and still its result', async () => {
  const out = JSON.parse(await classify('--json', '--file', path.join(repo, 'examples', 'llm-serving-notes.zh.md')));
  assert.ok(['ham', 'spam'].includes(out.label));
  assert.ok(out.probability > 0);
  const codes = out.warnings.map((w: { code: string }) => w.code);
  assert.ok(codes.includes('script'), JSON.stringify(out.warnings));
  const script = out.warnings.find((w: { code: string }) => w.code === 'script');
  assert.equal(script.args[1], 'Han');
  assert.match(script.message, /Out of scope: \d+ % of the letters are Han, but the model was trained on en text/);
});

test('English mail in scope: no warnings; the labels read "spam" / "not spam"', async () => {
  const mail = JSON.parse(await classify('--json', '--file', path.join(repo, 'examples', 'texts', 'normal-mail.txt')));
  assert.deepEqual(mail.warnings, []);
  assert.equal(mail.displayLabel, mail.label === 'ham' ? 'not spam' : 'spam');
  const text = await classify('--file', path.join(repo, 'examples', 'texts', 'normal-mail.txt'));
  assert.match(text, /^ {2}not spam {2}/m);
  assert.doesNotMatch(text, /\bham\b/);
});

test('a one-line text far shorter than the training mails warns "too short"; so does one with mostly unknown tokens', async () => {
  const short = JSON.parse(await classify('--json', 'win a prize'));
  assert.deepEqual(short.warnings.map((w: { code: string }) => w.code), ['too-short']);
  // Letters outside bert-base-uncased's vocabulary become [UNK]: Ethiopic and Cherokee syllables.
  const unknown = JSON.parse(await classify('--json', 'ሰላም ለዓለም ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ሰላም ለዓለም ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ሰላም ለዓለም ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ሰላም ለዓለም ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ሰላም ለዓለም ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ሰላም'));
  assert.ok(unknown.warnings.some((w: { code: string }) => w.code === 'unknown-tokens'), JSON.stringify(unknown.warnings));
});

test('a malformed model_lab block is a warning, not a failure', () => {
  assert.throws(() => parseModelLabBlock({ model_lab: { version: 1, languages: 3 } }, 'config.json'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scope-'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_lab: { version: 1, languages: 3 } }));
  const r = readModelScope(dir);
  assert.equal(r.block, undefined);
  assert.equal(r.problem?.code, 'scope-unreadable');
  fs.rmSync(dir, { recursive: true });
});
