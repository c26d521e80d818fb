import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromTextResultWebview } from '../../../src/webview/textResult/protocol';
import { fill, percent } from '../../../src/webview/shared/format';

test('the panel accepts only well-formed messages from its webview', () => {
  assert.deepEqual(parseFromTextResultWebview({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseFromTextResultWebview({ type: 'copyJson', extra: 1 }), { type: 'copyJson' });
  assert.deepEqual(parseFromTextResultWebview({ type: 'reveal', entry: 0, window: 3 }), { type: 'reveal', entry: 0, window: 3 });
  for (const bad of [null, 'reveal', {}, { type: 'reveal', entry: -1, window: 0 }, { type: 'reveal', entry: 0, window: 1.5 }, { type: 'reveal', entry: '0', window: 0 }, { type: 'openFile', file: '/etc/passwd' }]) {
    assert.equal(parseFromTextResultWebview(bad), undefined, JSON.stringify(bad));
  }
});

test('fill fills {n} placeholders, joins each number to the word after it, and leaves unknown ones; percent has one decimal', () => {
  // A number and its unit never wrap apart in a narrow panel: fill joins them with a no-break space.
  assert.equal(fill('{0} tokens in {1} windows', 12, 3), '12\u00a0tokens in 3\u00a0windows');
  assert.equal(fill('{0} and {2}', 'a'), 'a\u00a0and {2}');
  assert.equal(percent(0.97345), '97.3%');
  assert.equal(percent(1), '100.0%');
});
