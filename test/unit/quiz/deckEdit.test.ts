import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendQuestion, findQuestionLine, questionBlock } from '../../../src/quiz/deckEdit';
import { parseBank } from '../../../src/quiz/bankParser';

const bank = `---
deck: sample
title: Sample
title_zh: 示例
---

## first-q
- topic: nlp
- type: open
- difficulty: 1

### prompt.en
What is a token?

\`\`\`md
## not-a-question (inside a fence)
\`\`\`

### prompt.zh
什么是 token？

### answer.en
A piece of text.

### answer.zh
一段文本。

### explanation.en
Tokens.

### explanation.zh
词元。


## second-q
- topic: nlp
- type: open
- difficulty: 1

### prompt.en
Second?
`;

test('a question block runs from its heading to the next question, fences included', () => {
  const line = findQuestionLine(bank, 'first-q')!;
  assert.equal(line, 7);
  const block = questionBlock(bank, line);
  assert.ok(block.startsWith('## first-q\n'));
  assert.ok(block.includes('## not-a-question (inside a fence)'));
  assert.ok(block.endsWith('词元。'), 'trailing blank lines trimmed');
  assert.equal(findQuestionLine(bank, 'not-a-question (inside a fence)'), undefined);
  assert.throws(() => questionBlock(bank, 3), /does not start a question/);
});

test('copying into a new deck file writes front matter; the copy parses with the same id at the returned line', () => {
  const block = questionBlock(bank, 7);
  const { text, line } = appendQuestion(undefined, block, { id: 'sample-edits', title: { en: 'Sample (my edits)', zh: '示例（我的修改）' } });
  const parsed = parseBank(text, 'sample.quiz.md');
  assert.deepEqual(parsed.errors, []);
  assert.equal(parsed.deck, 'sample-edits');
  assert.equal(parsed.questions[0]!.id, 'first-q');
  assert.equal(parsed.questions[0]!.origin.line, line);
  // Appending a second question to that file keeps the first and lands on the returned line.
  const second = appendQuestion(text, questionBlock(bank, findQuestionLine(bank, 'second-q')!), { id: 'x', title: {} });
  const again = parseBank(second.text, 'sample.quiz.md');
  assert.deepEqual(again.questions.map((q) => [q.id, q.origin.line]), [
    ['first-q', line],
    ['second-q', second.line],
  ]);
});
