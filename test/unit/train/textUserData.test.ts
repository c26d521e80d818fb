// "Train on your own data": CSV/TSV/JSONL reading with file:line errors, the split, and `model-lab train-text`
// end to end on a tiny generated file (the folder it writes loads in onnxruntime-node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { parseDelimited, readLabelledTexts, stratifiedIndexSplit } from '../../../src/train/text/userData';
import { main } from '../../../src/cli';

function tmpFile(name: string, content: string | Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usertext-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

test('CSV with quotes, embedded newlines and any column order; TSV; JSONL', () => {
  const csv = tmpFile('d.csv', 'label,Text\nspam,"Win ""big"", now"\nham,"line one\nline two"\n');
  const r = readLabelledTexts(csv);
  assert.deepEqual(r.texts, ['Win "big", now', 'line one\nline two']);
  assert.deepEqual(r.labelNames, ['ham', 'spam']);
  assert.deepEqual(r.labels, [1, 0]);
  assert.deepEqual(r.lines, [2, 3]);
  const tsv = tmpFile('d.tsv', 'text\tlabel\r\nhello\ta\r\nbye\tb\r\n');
  assert.deepEqual(readLabelledTexts(tsv).texts, ['hello', 'bye']);
  const jsonl = tmpFile('d.jsonl', '{"text":"x","label":1}\n\n{"text":"y","label":0}\n');
  assert.deepEqual(readLabelledTexts(jsonl).labelNames, ['0', '1']);
});

test('bad data: errors name the file and the line', () => {
  const cases: [string, string | Uint8Array, RegExp][] = [
    ['a.csv', 'body,label\nx,1\n', /a\.csv:1: the header has no text column/],
    ['b.csv', 'text,category\nx,1\n', /b\.csv:1: the header has no label column/],
    ['c.csv', 'text,label\nok,a\n  ,b\n', /c\.csv:3: the text is empty/],
    ['d.csv', 'text,label\nok,a\nalso ok,a\n', /d\.csv: every row has the label "a"; a classifier needs at least two classes/],
    ['e.csv', Buffer.concat([Buffer.from('text,label\nok,a\n'), Buffer.from([0x66, 0xff, 0xfe]), Buffer.from(',b\n')]), /e\.csv:3: the file is not valid UTF-8/],
    ['f.jsonl', '{"text":"x","label":"a"}\n{"label":"b"}\n', /f\.jsonl:2: the "text" field is missing/],
    ['g.jsonl', '{"text":"x","label":"a"}\nnot json\n', /g\.jsonl:2: not valid JSON/],
    ['h.csv', 'text,label\n"unclosed,a\n', /h\.csv:2: a quoted field is never closed/],
    ['i.csv', 'text,label\nonly-one-field\n', /i\.csv:2: this row has 1 column/],
    ['j.txt', 'text,label\n', /j\.txt: unsupported file type/],
    ['k.csv', 'text,label\nx,\n', /k\.csv:2: the label is empty/],
  ];
  for (const [name, content, re] of cases) assert.throws(() => readLabelledTexts(tmpFile(name, content)), re, name);
});

test('stratified index split is deterministic, disjoint and holds out every class', () => {
  const labels = Array.from({ length: 53 }, (_, i) => (i % 5 === 0 ? 1 : 0));
  const a = stratifiedIndexSplit(labels, 0.2, 3);
  assert.deepEqual(a, stratifiedIndexSplit(labels, 0.2, 3));
  const held = new Set(a.heldOut);
  assert.ok(a.train.every((i) => !held.has(i)));
  assert.equal(a.train.length + a.heldOut.length, labels.length);
  assert.ok(a.heldOut.some((i) => labels[i] === 1) && a.heldOut.some((i) => labels[i] === 0));
});

test('model-lab train-text trains a tiny model into a folder onnxruntime-node loads; bad files exit 1 with file:line', async () => {
  const rows = ['text,label'];
  for (let i = 0; i < 40; i++) rows.push(i % 2 ? `cheap pills offer ${i} buy now,spam` : `meeting notes for project ${i},ham`);
  const data = tmpFile('train.csv', rows.join('\n') + '\n');
  const out = path.join(path.dirname(data), 'model');
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  const code = await main(['train-text', '--data', data, '--out', out, '--epochs', '2', '--seq', '16', '--hidden', '16', '--layers', '1'], io);
  assert.equal(code, 0, lines.join('\n'));
  for (const f of ['model.onnx', 'config.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']) assert.ok(fs.existsSync(path.join(out, f)), f);
  assert.deepEqual(fs.readdirSync(path.dirname(data)).filter((f) => f.includes('.tmp-')), [], 'no temporary folder left');
  const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
  assert.deepEqual(config.id2label, { 0: 'ham', 1: 'spam' });
  const session = await ort.InferenceSession.create(path.join(out, 'model.onnx'));
  assert.deepEqual([...session.inputNames].sort(), ['attention_mask', 'input_ids', 'token_type_ids']);

  const bad = tmpFile('bad.csv', 'text,label\nx,a\n,b\n');
  const errs: string[] = [];
  assert.equal(await main(['train-text', '--data', bad, '--out', out], { out: () => {}, err: (l) => errs.push(l) }), 1);
  assert.match(errs.join('\n'), /bad\.csv:3: the text is empty/);
  assert.equal(await main(['train-text', '--out', out], { out: () => {}, err: () => {} }), 2);
});

test('parseDelimited: quotes, doubled quotes, CRLF inside and between records, empty fields, lines of each record', () => {
  const text = 'a,b,c\r\n"x ""q"" y",,"multi\r\nline"\r\n""""," lead",tail"x"\n\n"",plain,\n1,2,3';
  assert.deepEqual(parseDelimited(text, ',', 'f.csv', 10), [
    { fields: ['a', 'b', 'c'], line: 1 },
    { fields: ['x "q" y', '', 'multi\r\nline'], line: 2 },
    { fields: ['"', ' lead', 'tail"x"'], line: 4 },
    { fields: ['', 'plain', ''], line: 6 },
    { fields: ['1', '2', '3'], line: 7 },
  ]);
  assert.deepEqual(parseDelimited('t\tl\n"a\tb"\tc', '\t', 'f.tsv', 10), [
    { fields: ['t', 'l'], line: 1 },
    { fields: ['a\tb', 'c'], line: 2 },
  ]);
});
