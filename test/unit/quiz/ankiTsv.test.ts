import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportAnkiTsv, parseAnkiTsv } from '../../../src/quiz/ankiTsv';
import { parseBank } from '../../../src/quiz/bankParser';
import { importAnyFormat } from '../../../src/quiz/importAnyFormat';

const fixtures = path.resolve(__dirname, '../../fixtures/quiz');
const bank = parseBank(fs.readFileSync(path.join(fixtures, 'bank-with-html.quiz.md'), 'utf8'), 'bank-with-html.quiz.md');
const sample = parseBank(fs.readFileSync(path.join(fixtures, 'bank-format-sample.quiz.md'), 'utf8'), 'bank-format-sample.quiz.md');

test('Anki export has the file headers Anki reads and one escaped row per question', () => {
  const tsv = exportAnkiTsv(sample.questions, { deckName: 'Model Lab::serving', lang: 'en' });
  const lines = tsv.trimEnd().split('\n');
  assert.equal(lines[0], '#separator:tab');
  assert.ok(lines.includes('#html:true'));
  assert.ok(lines.includes('#columns:GUID\tFront\tBack\tTags'));
  assert.ok(lines.includes('#guid column:1'));
  assert.ok(lines.includes('#tags column:4'));
  const rows = lines.filter((l) => !l.startsWith('#'));
  assert.equal(rows.length, sample.questions.length);
  for (const r of rows) assert.equal(r.split('\t').length, 4);
  assert.match(rows[0]!, /^model-lab-sample-int8-memory\t.*About 7 GB/);
  assert.match(rows[0]!, /topic::serving/);
});

test('Anki export escapes HTML so bank text cannot inject markup into Anki', () => {
  const tsv = exportAnkiTsv(bank.questions, { deckName: 'x', lang: 'both' });
  assert.doesNotMatch(tsv, /<script>/);
  assert.match(tsv, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test('Anki TSV round-trips through import: same ids (from the GUID column) and text', () => {
  const tsv = exportAnkiTsv(sample.questions, { deckName: 'x', lang: 'en' });
  const back = importAnyFormat(tsv, 'export.txt');
  assert.equal(back.format, 'anki');
  assert.deepEqual(back.errors, []);
  assert.deepEqual(back.questions.map((q) => q.id), sample.questions.map((q) => q.id));
  assert.match(back.questions[0]!.prompt.en!, /About how much memory/);
  assert.match(back.questions[0]!.prompt.en!, /\n3\. About 7 GB/);
});

test('Anki import: quoted multi-line fields, header-less files, and rows without a back report their line', () => {
  const text = '#separator:tab\n#html:false\n"multi\nline"\tanswer one\nlonely\t\nQ2\tA2\n';
  const r = parseAnkiTsv(text, 'deck.txt');
  assert.equal(r.questions.length, 2);
  assert.equal(r.questions[0]!.prompt.en, 'multi\nline');
  assert.deepEqual(r.errors.map((e) => e.line), [5]);
  const plain = importAnyFormat('什么是 LoRA？\t低秩适配\n', 'cards.tsv');
  assert.equal(plain.questions[0]!.monolingual, 'zh');
});
