import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isInsideFolder, isPathWithin, realPathOf, resolveInsideFolder } from '../../../src/common/insideFolder';

function scratch(): { root: string; folder: string; outside: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'inside-folder-'));
  const folder = path.join(root, 'model');
  const outside = path.join(root, 'secret.bin');
  fs.mkdirSync(path.join(folder, 'shards'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'shards', 'w.bin'), 'w');
  fs.writeFileSync(outside, 'secret');
  return { root, folder, outside };
}

test('a ".." that climbs out of the folder is outside, one that stays in is inside', (t) => {
  const { root, folder } = scratch();
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  assert.deepEqual(resolveInsideFolder(folder, '../secret.bin'), { kind: 'outside' });
  assert.deepEqual(resolveInsideFolder(folder, 'shards/../../secret.bin'), { kind: 'outside' });
  assert.equal(resolveInsideFolder(folder, 'shards/../shards/w.bin').kind, 'inside');
  assert.ok(!isInsideFolder(folder, path.join(folder, '..', 'secret.bin')));
  assert.ok(!isPathWithin(folder, path.join(folder, '..')));
  // A name that merely starts with two dots is a file in the folder.
  assert.ok(isPathWithin(folder, path.join(folder, '..w.bin')));
});

test('an absolute path is outside, even when it names a file in the folder', (t) => {
  const { root, folder, outside } = scratch();
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  assert.deepEqual(resolveInsideFolder(folder, outside), { kind: 'outside' });
  assert.deepEqual(resolveInsideFolder(folder, path.join(folder, 'shards', 'w.bin')), { kind: 'outside' });
  assert.ok(!isInsideFolder(folder, outside));
  assert.ok(isInsideFolder(folder, path.join(folder, 'shards', 'w.bin')));
});

test('a symbolic link that points out of the folder is outside; one that points in is inside', (t) => {
  const { root, folder, outside } = scratch();
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.symlinkSync(outside, path.join(folder, 'leak.bin'));
  fs.symlinkSync(root, path.join(folder, 'up'));
  fs.symlinkSync(path.join(folder, 'shards', 'w.bin'), path.join(folder, 'alias.bin'));
  assert.deepEqual(resolveInsideFolder(folder, 'leak.bin'), { kind: 'outside' });
  assert.deepEqual(resolveInsideFolder(folder, 'up/secret.bin'), { kind: 'outside' });
  assert.ok(!isInsideFolder(folder, path.join(folder, 'leak.bin')));
  // A path not created yet below a link that leads out is outside too.
  assert.ok(!isInsideFolder(folder, path.join(folder, 'up', 'new', 'file')));
  assert.deepEqual(resolveInsideFolder(folder, 'alias.bin'), { kind: 'inside', path: path.join(folder, 'alias.bin'), realPath: fs.realpathSync(path.join(folder, 'shards', 'w.bin')) });
  // The folder reached through a link to it is still the folder.
  fs.symlinkSync(folder, path.join(root, 'model-link'));
  assert.ok(isInsideFolder(path.join(root, 'model-link'), path.join(folder, 'shards')));
  assert.ok(isInsideFolder(folder, path.join(root, 'model-link', 'shards', 'w.bin')));
});

test('the folder itself is inside; a missing file is reported where it would be', (t) => {
  const { root, folder } = scratch();
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  assert.ok(isInsideFolder(folder, folder));
  assert.ok(isPathWithin(folder, folder));
  assert.equal(resolveInsideFolder(folder, '.').kind, 'inside');
  assert.deepEqual(resolveInsideFolder(folder, 'shards/none.bin'), { kind: 'missing', path: path.join(folder, 'shards', 'none.bin') });
  assert.equal(realPathOf(path.join(folder, 'a', 'b')), path.join(fs.realpathSync(folder), 'a', 'b'));
  assert.ok(!isInsideFolder(path.join(folder, 'shards'), folder));
});
