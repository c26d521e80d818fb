// The training panel's protocol: the only message the webview may send, and the curve geometry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curvePoints, parseFromTrainWebview } from '../../../src/webview/trainResult/protocol';
import { fill } from '../../../src/webview/shared/format';

test('the panel accepts only "ready" from its webview', () => {
  assert.deepEqual(parseFromTrainWebview({ type: 'ready' }), { type: 'ready' });
  for (const bad of [null, 'ready', { type: 'open', path: '/etc/passwd' }, { type: 'ready ' }, []]) assert.equal(parseFromTrainWebview(bad), undefined, JSON.stringify(bad));
});

test('curve points: epoch 1 at the left edge, the last epoch at the right, 0 at the bottom, max at the top; NaN skipped', () => {
  const pts = curvePoints(
    [
      { epoch: 1, value: 1 },
      { epoch: 2, value: NaN },
      { epoch: 3, value: 0 },
    ],
    3,
    100,
    50,
    1,
  );
  assert.equal(pts, '0.0,0.0 100.0,50.0');
  // Values above the scale are clipped to the top; a single epoch sits at x 0.
  assert.equal(curvePoints([{ epoch: 1, value: 5 }], 1, 100, 50, 2), '0.0,0.0');
  assert.equal(fill('{0} of {1}', 3, 'x'), '3\u00a0of x', 'a number stays with the word after it');
});
