import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileStamps, LatestModelCache } from '../../../src/common/latestModelCache';

class Model {
  disposed = false;
  constructor(readonly name: string) {}
  dispose(): void {
    this.disposed = true;
  }
}

test('one model is kept: the same key reuses it, a new key loads and disposes the old one', async () => {
  const cache = new LatestModelCache<Model>();
  let loads = 0;
  const load = (name: string) => async () => {
    loads++;
    return new Model(name);
  };
  const a = await cache.get('a', load('a'));
  const again = await cache.get('a', load('a'));
  assert.equal(again.value, a.value);
  assert.equal(again.loadMs, 0);
  const b = await cache.get('b', load('b'));
  assert.equal(b.value.name, 'b');
  assert.equal(loads, 2);
  await new Promise((r) => setImmediate(r));
  assert.ok(a.value.disposed, 'the replaced model is disposed');
});

test('a failed load is not cached: the next request with the same key loads again', async () => {
  const cache = new LatestModelCache<Model>();
  await assert.rejects(cache.get('k', () => Promise.reject(new Error('broken'))), /broken/);
  const ok = await cache.get('k', async () => new Model('fixed'));
  assert.equal(ok.value.name, 'fixed');
});

test('fileStamps changes when a file changes, appears or disappears', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stamps-'));
  try {
    const file = path.join(dir, 'model.onnx');
    const before = fileStamps([file]);
    fs.writeFileSync(file, 'x');
    const written = fileStamps([file]);
    assert.notEqual(written, before);
    const future = new Date(Date.now() + 5000);
    fs.utimesSync(file, future, future);
    assert.notEqual(fileStamps([file]), written);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
