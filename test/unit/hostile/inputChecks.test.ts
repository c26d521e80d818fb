/**
 * Issue #17 defect 15: the text checks look at the whole input (a NUL or invalid UTF-8 after the first 8 KiB
 * is still binary), and quiz files with CR-only line endings are read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { detectBinaryBytes, detectBinaryText } from '../../../src/text/inputCheck';
import { hostileCorpus, hostileFiles } from '../../fixtures/hostile/generate';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('defect 15 (invalid UTF-8 or NUL after the first 8 KiB passes as text): the whole input is checked', async () => {
  const corpus = hostileCorpus();
  for (const [file, reason] of [['late-invalid-utf8.txt', 'invalid-utf8'], ['late-nul.txt', 'nul']] as const) {
    const bytes = fs.readFileSync(path.join(corpus, file));
    assert.ok(bytes.length > 8192 + 1000);
    assert.deepEqual(detectBinaryBytes(bytes), { kind: 'binary', reason }, file);
    const r = await run('classify-text', '--file', path.join(corpus, file));
    assert.equal(r.code, 1, r.out);
    assert.match(r.err, new RegExp(`${file.replace('.', '\\.')} looks like a binary file`));
  }
  assert.equal(detectBinaryText('words '.repeat(3000) + '\u0000')?.kind, 'binary');
  // The start of a longer file may end inside a character: that alone is not binary.
  const cut = Buffer.from('a'.repeat(20_000) + 'é').subarray(0, 20_001);
  assert.equal(detectBinaryBytes(cut, { truncated: true }), undefined);
  assert.equal(detectBinaryBytes(cut)?.kind, 'binary');
});

test('defect 15 (CR-only line endings say "No questions found"): a quiz file with CR line endings imports', async () => {
  const file = path.join(hostileFiles, 'cr-only.quiz.md');
  const bytes = fs.readFileSync(file);
  assert.ok(bytes.includes(0x0d) && !bytes.includes(0x0a), 'the fixture uses CR alone');
  const r = await run('quiz', 'import', file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^3 questions \(bank format\)$/m);
});
