import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CodedError } from '../../../src/common/errors';
import { WorkerCancelledError, WorkerClient, type CancellationSignal } from '../../../src/common/workerClient';
import { block, echo, fail, failCoded } from '../../fixtures/echoProtocol';

const script = path.resolve(__dirname, '../../fixtures/echoWorker.ts');

function cancelAfter(ms: number): CancellationSignal {
  const listeners: (() => void)[] = [];
  let cancelled = false;
  setTimeout(() => {
    cancelled = true;
    listeners.forEach((l) => l());
  }, ms);
  return {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(l) {
      listeners.push(l);
      return { dispose: () => undefined };
    },
  };
}

test('answers requests in a worker thread and keeps the worker between requests', async () => {
  const client = new WorkerClient(script);
  try {
    assert.equal(await client.call(echo, { value: 21 }), 42);
    assert.equal(await client.call(echo, { value: 2 }), 4);
  } finally {
    client.dispose();
  }
});

test('a handler error rejects with its message and the worker stays usable', async () => {
  const client = new WorkerClient(script);
  try {
    await assert.rejects(client.call(fail, {}), /requested failure/);
    assert.equal(await client.call(echo, { value: 1 }), 2);
  } finally {
    client.dispose();
  }
});

test('a coded error crosses the thread boundary with its code, template and arguments', async () => {
  const client = new WorkerClient(script);
  try {
    await assert.rejects(client.call(failCoded, {}), (err: unknown) => {
      assert.ok(err instanceof CodedError);
      assert.equal(err.code, 'requested');
      assert.equal(err.template, 'Requested failure number {0} of {1}.');
      assert.deepEqual(err.args, ['1', 'the test']);
      assert.equal(err.message, 'Requested failure number 1 of the test.');
      return true;
    });
  } finally {
    client.dispose();
  }
});

test('cancellation ends a blocked worker at once and the next request gets a fresh one', async () => {
  const client = new WorkerClient(script);
  try {
    const started = Date.now();
    await assert.rejects(client.call(block, { ms: 5000 }, { cancel: cancelAfter(50) }), WorkerCancelledError);
    assert.ok(Date.now() - started < 2000, 'cancel did not wait for the blocked work');
    assert.equal(await client.call(echo, { value: 5 }), 10);
  } finally {
    client.dispose();
  }
});

test('the caller thread keeps running while the worker blocks', async () => {
  const client = new WorkerClient(script);
  try {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await client.call(block, { ms: 300 });
    clearInterval(timer);
    assert.ok(ticks >= 10, `event loop ticked only ${ticks} times during a 300 ms block`);
  } finally {
    client.dispose();
  }
});
