import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkTextScope,
  countScripts,
  displayLabel,
  MODEL_LAB_BLOCK_VERSION,
  ModelScopeError,
  modelScripts,
  parseModelLabBlock,
  profileTextCorpus,
  type ModelLabBlock,
} from '../../../src/common/modelScope';

const english: ModelLabBlock = {
  version: MODEL_LAB_BLOCK_VERSION,
  task: 'text-classification',
  languages: ['en'],
  domain: 'e-mail',
  intended_use: 'spam filtering',
  label_names: { en: { ham: 'not spam', spam: 'spam' }, 'zh-cn': { ham: '非垃圾邮件', spam: '垃圾邮件' } },
  training_data: { examples: 100, tokens: { min: 10, p05: 30, median: 120, p95: 400, max: 900 }, unknown_token_share: 0.002, script_shares: { Latin: 0.995, Other: 0.005 } },
};

test('the model_lab block: absent is undefined, a well-formed one round-trips, a bad field is named', () => {
  assert.equal(parseModelLabBlock({ id2label: {} }, 'c.json'), undefined);
  assert.deepEqual(parseModelLabBlock({ model_lab: english }, 'c.json'), { ...english, limitations: undefined, training_data: { ...english.training_data!, measured_by: undefined } });
  assert.throws(() => parseModelLabBlock({ model_lab: { version: 2 } }, 'c.json'), (e: unknown) => e instanceof ModelScopeError && /version/.test(e.message));
  assert.throws(() => parseModelLabBlock({ model_lab: { version: 1, languages: 'en' } }, 'c.json'), /model_lab\.languages/);
  assert.throws(
    () => parseModelLabBlock({ model_lab: { version: 1, training_data: { examples: 3, tokens: { min: 1, p05: 'x', median: 1, p95: 1, max: 1 } } } }, 'c.json'),
    /training_data\.tokens\.p05/,
  );
});

test('display labels follow the locale, fall back to its language, English, then the label', () => {
  assert.equal(displayLabel(english, 'ham', 'en'), 'not spam');
  assert.equal(displayLabel(english, 'ham', 'zh-CN'), '非垃圾邮件');
  assert.equal(displayLabel(english, 'spam', 'fr'), 'spam');
  assert.equal(displayLabel(english, 'other', 'zh-cn'), 'other');
  assert.equal(displayLabel(undefined, 'ham', 'en'), 'ham');
});

test('scripts are counted per letter, astral Han included; digits and punctuation are not letters', () => {
  const counts = countScripts('Hello, 世界 123 𠀀 Привет!');
  assert.equal(counts.get('Latin'), 5);
  assert.equal(counts.get('Han'), 3, 'U+20000 is one Han letter, not two halves');
  assert.equal(counts.get('Cyrillic'), 6);
  assert.deepEqual([...modelScripts({ version: 1, languages: ['ja'] }) ?? []].sort(), ['Han', 'Hiragana', 'Katakana']);
  assert.deepEqual([...modelScripts(english) ?? []], ['Latin'], 'a script under 1 % of the training letters is not part of the scope');
});

test('scope: mostly-Chinese text to an English model warns with the share, the script and the languages', () => {
  const text = '我们的产品需要给用户评论做情感分类，并把结果实时显示在后台。调用大模型 API 的效果不错。';
  const w = checkTextScope({ text, tokens: 45, unknownTokens: 0 }, english);
  assert.equal(w.length, 1);
  assert.equal(w[0].code, 'script');
  assert.deepEqual(w[0].args.slice(1), ['Han', 'en']);
  assert.ok(Number(w[0].args[0]) > 90);
  assert.match(w[0].message, /^Out of scope: \d+ % of the letters are Han, but the model was trained on en text/);
});

test('scope: English mail-length text to the English model gives no warning; an English word in Chinese text does not rescue it', () => {
  const mail = 'Dear customer, your invoice for last month is attached. Please let us know if anything is missing. Regards, Anna';
  assert.deepEqual(checkTextScope({ text: mail, tokens: 40, unknownTokens: 0 }, english), []);
  const mixed = 'BERT 模型蒸馏、量化后，部署到自己的 CPU 服务器上。';
  assert.equal(checkTextScope({ text: mixed, tokens: 30, unknownTokens: 0 }, english)[0]?.code, 'script');
});

test('scope: a high unknown-token share warns; a share near training does not', () => {
  assert.equal(checkTextScope({ text: 'x'.repeat(200), tokens: 50, unknownTokens: 20 }, english)[0]?.code, 'unknown-tokens');
  assert.deepEqual(checkTextScope({ text: 'x'.repeat(200), tokens: 50, unknownTokens: 5 }, english), []);
  // When training itself had many unknown tokens, 25 % is normal for the model.
  const noisy = { ...english, training_data: { ...english.training_data!, unknown_token_share: 0.2 } };
  assert.deepEqual(checkTextScope({ text: 'x'.repeat(200), tokens: 100, unknownTokens: 25 }, noisy), []);
});

test('scope: far shorter than the training texts warns (under a third of their 5th percentile)', () => {
  const w = checkTextScope({ text: 'win a prize now', tokens: 4, unknownTokens: 0 }, english);
  assert.deepEqual(w.map((x) => x.code), ['too-short']);
  assert.deepEqual(w[0].args, ['4', '30']);
  assert.deepEqual(checkTextScope({ text: 'win a prize now, click here for the offer', tokens: 10, unknownTokens: 0 }, english), []);
});

test('scope: a model without a block, or a block without measurements, warns about nothing it cannot know', () => {
  assert.deepEqual(checkTextScope({ text: '中文中文中文中文中文', tokens: 1, unknownTokens: 1 }, undefined), []);
  const bare: ModelLabBlock = { version: 1, domain: 'anything' };
  assert.deepEqual(checkTextScope({ text: '中文中文中文中文中文', tokens: 10, unknownTokens: 0 }, bare), []);
});

test('the training profile: percentiles, unknown share and script shares', () => {
  const samples = Array.from({ length: 100 }, (_, i) => ({ text: i === 0 ? '中文' : 'abc', tokens: i + 1, unknownTokens: i === 99 ? 50 : 0 }));
  const p = profileTextCorpus(samples);
  assert.equal(p.examples, 100);
  assert.deepEqual(p.tokens, { min: 1, p05: 5, median: 50, p95: 95, max: 100 });
  assert.equal(p.unknown_token_share, Math.round((50 / 5050) * 10000) / 10000);
  assert.deepEqual(Object.keys(p.script_shares ?? {}), ['Latin', 'Han']);
  assert.equal(p.script_shares?.Latin, Math.round((297 / 299) * 10000) / 10000);
});
