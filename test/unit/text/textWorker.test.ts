import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkerCancelledError, WorkerClient, type CancellationSignal } from '../../../src/common/workerClient';
import { classifyText, type ClassifyTextParams } from '../../../src/workers/textProtocol';
import { makeTempDir, meanPoolFolder } from './textModelFixtures';

const script = path.resolve(__dirname, '../../../src/workers/textWorker.ts');
const root = makeTempDir();
after(() => fs.rmSync(root, { recursive: true, force: true }));

function cancelNow(): CancellationSignal & { fire(): void } {
  const listeners: (() => void)[] = [];
  let cancelled = false;
  return {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(l) {
      listeners.push(l);
      return { dispose: () => undefined };
    },
    fire() {
      cancelled = true;
      listeners.forEach((l) => l());
    },
  };
}

test('the worker classifies several texts, caches the session, and reloads a changed model', async () => {
  const dir = meanPoolFolder(path.join(root, 'ok'));
  const client = new WorkerClient(script);
  try {
    const req: ClassifyTextParams = { modelDir: dir, threads: 1, texts: ['win free cash', 'the meeting notes'], options: {} };
    const first = await client.call(classifyText, req);
    assert.deepEqual(first.results.map((r) => r.label), ['spam', 'ham']);
    assert.ok(first.loadMs > 0);
    const second = await client.call(classifyText, req);
    assert.equal(second.loadMs, 0, 'the cached session is reused');
    // Touching the model file invalidates the cache.
    const future = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, 'model.onnx'), future, future);
    const third = await client.call(classifyText, req);
    assert.ok(third.loadMs > 0, 'a changed model is loaded again');
  } finally {
    client.dispose();
  }
});

test('model errors come back as their sentence and the worker stays usable', async () => {
  const client = new WorkerClient(script);
  try {
    await assert.rejects(
      client.call(classifyText, { modelDir: path.join(root, 'missing'), threads: 0, texts: ['x'], options: {} }),
      /The model folder .*missing does not exist/,
    );
    const dir = meanPoolFolder(path.join(root, 'ok2'));
    const reply = await client.call(classifyText, { modelDir: dir, threads: 0, texts: ['prize'], options: {} });
    assert.equal(reply.results[0].label, 'spam');
  } finally {
    client.dispose();
  }
});

test('cancelling a long classification ends it at once', async () => {
  const dir = meanPoolFolder(path.join(root, 'cancel'));
  const client = new WorkerClient(script);
  try {
    const cancel = cancelNow();
    const text = 'hello team please review the report before the meeting . '.repeat(20000);
    const pending = client.call(classifyText, { modelDir: dir, threads: 1, texts: [text], options: { windowOverlap: 8 } }, { cancel });
    setTimeout(() => cancel.fire(), 300);
    const started = Date.now();
    await assert.rejects(pending, WorkerCancelledError);
    assert.ok(Date.now() - started < 5000);
  } finally {
    client.dispose();
  }
});
