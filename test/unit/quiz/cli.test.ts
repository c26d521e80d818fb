import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { quizSubcommand } from '../../../src/cli/quizSubcommand';

const fixtures = path.resolve(__dirname, '../../fixtures/quiz');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await quizSubcommand.run(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('quiz list --json lists every question with topic, type and languages', async () => {
  const r = await run(['list', '--json', '--bank', fixtures]);
  // The fixtures folder holds a deliberately invalid bank, so the listing reports issues and exits 1.
  assert.equal(r.code, 1);
  const json = JSON.parse(r.out) as { count: number; questions: { id: string; topic: string; type: string; languages: string[] }[] };
  const int8 = json.questions.find((q) => q.id === 'sample-int8-memory')!;
  assert.deepEqual(int8, {
    id: 'sample-int8-memory',
    deck: 'sample-serving',
    topic: 'serving',
    type: 'single',
    difficulty: 1,
    languages: ['en', 'zh'],
    references: ['https://arxiv.org/abs/2208.07339'],
  });
  assert.deepEqual(json.questions.find((q) => q.id === 'invalid-missing-prompt-zh')!.languages, ['en']);
  assert.match(r.err, /invalid-bank\.quiz\.md:\d+: \[invalid-two-correct\]/);
});

test('quiz import --json: questions from a valid file (exit 0), errors with lines from a bad one (exit 1)', async () => {
  const ok = await run(['import', path.join(fixtures, 'article-format-sample.zh.md'), '--json']);
  assert.equal(ok.code, 0, ok.err);
  const parsed = JSON.parse(ok.out) as { format: string; count: number; errors: unknown[] };
  assert.equal(parsed.format, 'article');
  assert.equal(parsed.count, 4);
  assert.deepEqual(parsed.errors, []);
  const bad = await run(['import', path.join(fixtures, 'invalid-bank.quiz.md'), '--json']);
  assert.equal(bad.code, 1);
  const errors = (JSON.parse(bad.out) as { errors: { line: number; message: string }[] }).errors;
  assert.equal(errors.length, 4);
  assert.ok(errors.every((e) => e.line > 0));
  assert.equal((await run(['import'])).code, 2);
  assert.equal((await run(['import', '/nonexistent/file.md'])).code, 1);
});
