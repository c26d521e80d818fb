import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSize, detectBinaryBytes, detectBinaryText, firstKilobytes, isBlank, utf8Length } from '../../../src/text/inputCheck';

test('empty and whitespace-only text is blank; any visible character is not', () => {
  for (const t of ['', ' ', '\n\t  \r\n', '\u00a0\u3000']) assert.equal(isBlank(t), true, JSON.stringify(t));
  for (const t of ['a', '  .', '中']) assert.equal(isBlank(t), false);
});

test('binary bytes: NUL, invalid UTF-8, control characters; text passes', () => {
  assert.deepEqual(detectBinaryBytes(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])), { kind: 'binary', reason: 'nul' });
  assert.deepEqual(detectBinaryBytes(Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x41])), { kind: 'binary', reason: 'invalid-utf8' });
  assert.deepEqual(detectBinaryBytes(Buffer.from('\x01\x02\x03\x04abc\x05\x06')), { kind: 'binary', reason: 'control-characters' });
  assert.equal(detectBinaryBytes(Buffer.from('Hello, world!\nWin a free prize 中文 émoji 😀\n')), undefined);
  assert.equal(detectBinaryBytes(new Uint8Array(0)), undefined);
});

test('a multi-byte character cut at the 8 KiB sniff boundary is not mistaken for binary', () => {
  const text = 'a'.repeat(8191) + 'é' + 'rest of the file';
  const bytes = Buffer.from(text, 'utf8');
  assert.equal(bytes[8191], 0xc3, 'the boundary splits é');
  assert.equal(detectBinaryBytes(bytes), undefined);
});

test('binary text (as VS Code decoded it): NUL and many replacement characters', () => {
  assert.equal(detectBinaryText('abc\u0000def')?.kind, 'binary');
  assert.equal(detectBinaryText('x\ufffd\ufffd\ufffd\ufffd\ufffdy')?.kind, 'binary');
  assert.equal(detectBinaryText('ordinary prose with one \ufffd in a long line of words that goes on and on and on'.repeat(3)), undefined);
});

test('size limit in KiB of UTF-8', () => {
  assert.equal(checkSize(1024 * 1024, 1024), undefined);
  assert.deepEqual(checkSize(1024 * 1024 + 1, 1024), { kind: 'too-large', sizeBytes: 1024 * 1024 + 1, limitBytes: 1024 * 1024 });
});

test('utf8Length matches Buffer.byteLength, surrogate pairs included', () => {
  for (const t of ['', 'abc', 'é', '中文', '😀x', 'a\ud800b', '\udc00']) assert.equal(utf8Length(t), Buffer.byteLength(t, 'utf8'), JSON.stringify(t));
});

test('firstKilobytes keeps the longest prefix that fits and never splits a surrogate pair', () => {
  const text = 'a'.repeat(1022) + '😀' + 'tail';
  assert.equal(firstKilobytes(text, 1), 'a'.repeat(1022), 'the emoji (4 bytes) does not fit in the last 2 bytes');
  assert.equal(Buffer.byteLength(firstKilobytes('中'.repeat(2000), 2)), 2046);
  assert.equal(firstKilobytes('short', 1), 'short');
});
