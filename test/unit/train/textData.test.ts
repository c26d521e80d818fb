// SpamAssassin mail → text (headers, MIME, transfer encodings, HTML), the stratified split, naive Bayes, metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEncodedWords, htmlToText, mailToText, stratifiedSplit, type MailExample } from '../../../src/train/text/spamData';
import { MultinomialNaiveBayes } from '../../../src/train/text/naiveBayes';
import { binaryMetrics } from '../../../src/train/text/metrics';

test('mailToText keeps Subject, sender domain and body; drops other headers, including X-Spam-*', () => {
  const raw = [
    'From someone@example.com  Thu Aug 22 13:17:22 2002',
    'Return-Path: <bounce@relay.example>',
    'Received: from relay.example',
    '\tby mx.example with SMTP',
    'From: "Alice" <alice@Mail.Example.ORG>',
    'Subject: =?iso-8859-1?Q?Caf=E9_news?=',
    'X-Spam-Status: Yes, hits=12.3',
    'Message-ID: <1@x>',
    '',
    'Hello there,',
    'see you.',
  ].join('\n');
  const text = mailToText(raw);
  assert.equal(text, 'Subject: Café news\nFrom: mail.example.org\nHello there,\nsee you.');
  assert.doesNotMatch(text, /X-Spam|hits=|Received|Message-ID/);
});

test('multipart/alternative prefers text/plain; base64 and quoted-printable parts are decoded; attachments dropped', () => {
  const b64 = Buffer.from('Grüße aus Köln', 'utf8').toString('base64');
  const raw = [
    'From: bob@example.net',
    'Subject: parts',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/alternative; boundary=inner',
    '',
    '--inner',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    '--inner',
    'Content-Type: text/html',
    '',
    '<p>HTML twin</p>',
    '--inner--',
    '--outer',
    'Content-Type: text/html; charset=iso-8859-1',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    '<html><style>p{}</style><b>Buy</b> now=21 caf=E9 &amp; more=',
    ' soft break</html>',
    '--outer',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    'AAECAwQFBgcICQ==',
    '--outer--',
  ].join('\n');
  const text = mailToText(raw);
  assert.match(text, /^Subject: parts\nFrom: example\.net\n/);
  assert.match(text, /Grüße aus Köln/);
  assert.doesNotMatch(text, /HTML twin/);
  assert.match(text, /Buy now! café & more soft break/);
  assert.doesNotMatch(text, /AAECAwQF|p\{\}/);
});

test('htmlToText and RFC 2047 helpers', () => {
  assert.equal(htmlToText('<a href="x">Hi</a>&nbsp;&#65;&#x42;<!-- c -->').replace(/\s+/g, ' ').trim(), 'Hi AB');
  assert.equal(decodeEncodedWords('=?utf-8?B?' + Buffer.from('€uro', 'utf8').toString('base64') + '?= deal'), '€uro deal');
});

function fakeExamples(nHam: number, nSpam: number): MailExample[] {
  const out: MailExample[] = [];
  for (let i = 0; i < nHam + nSpam; i++) {
    const label = i < nHam ? 0 : 1;
    out.push({ key: `g/${i}`, checksum: ((i * 2654435761) >>> 0).toString(16).padStart(8, '0'), group: label ? 'spam-1' : 'easy-ham-1', label, text: `m${i}` });
  }
  return out;
}

test('stratified split: deterministic by seed, disjoint, complete, stratified, independent of input order', () => {
  const ex = fakeExamples(700, 300);
  const a = stratifiedSplit(ex, 0.2, 42);
  const b = stratifiedSplit([...ex].reverse(), 0.2, 42);
  const c = stratifiedSplit(ex, 0.2, 43);
  const keys = (xs: MailExample[]) => xs.map((e) => e.key);
  assert.deepEqual(keys(a.test).sort(), keys(b.test).sort(), 'same seed, any input order → same test set');
  assert.deepEqual(keys(a.train), keys(stratifiedSplit(ex, 0.2, 42).train), 'same seed → same order');
  assert.notDeepEqual(keys(a.test).sort(), keys(c.test).sort(), 'another seed → another split');
  const testKeys = new Set(keys(a.test));
  assert.equal(a.train.filter((e) => testKeys.has(e.key)).length, 0, 'disjoint');
  assert.equal(a.train.length + a.test.length, ex.length, 'complete');
  assert.equal(a.test.filter((e) => e.label === 0).length, 140);
  assert.equal(a.test.filter((e) => e.label === 1).length, 60);
  assert.throws(() => stratifiedSplit(ex, 1, 1), /testFraction/);
});

test('naive Bayes learns a separable toy corpus; tokenLogRatios has the right signs', () => {
  const docs = [[1, 1, 2], [1, 3], [4, 5, 5], [5, 6]];
  const labels: (0 | 1)[] = [0, 0, 1, 1];
  const nb = MultinomialNaiveBayes.fit(docs, labels, 8);
  assert.equal(nb.predict([1, 2]), 0);
  assert.equal(nb.predict([5, 5, 6]), 1);
  const r = nb.tokenLogRatios();
  assert.ok(r[1] < 0 && r[5] > 0 && Math.abs(r[7]) < 0.3);
  assert.throws(() => MultinomialNaiveBayes.fit([[1]], [0], 4), /both classes/);
});

test('binary metrics: accuracy, precision, recall, F1, confusion', () => {
  const m = binaryMetrics([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]);
  assert.deepEqual(m.confusion, [[1, 1], [1, 2]]);
  assert.equal(m.accuracy, 3 / 5);
  assert.equal(m.spamPrecision, 2 / 3);
  assert.equal(m.spamRecall, 2 / 3);
  assert.ok(Math.abs(m.spamF1 - 2 / 3) < 1e-12);
});
