import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { CodedError, hasErrorCode } from '../../../src/common/errors';
import { WorkerCancelledError, WorkerClient, workerErrorTemplates, type CancellationSignal } from '../../../src/common/workerClient';
import { allocate, block, crash, echo, exitWith, fail, failCoded, threadId } from '../../fixtures/echoProtocol';

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

// Real workers with real limits: the echo worker allocates past its V8 heap limit, and the host (this test
// process) must survive it with a coded sentence, then serve the next call from a new worker.
test('a worker that allocates past its heap limit dies alone: its calls fail with workerOutOfMemory and the next call starts a new worker', async () => {
  const client = new WorkerClient(script, { heapMb: 64 });
  try {
    const first = await client.call(threadId, {});
    const hostHeapBefore = process.memoryUsage().heapUsed;
    const allocation = client.call(allocate, { mb: 4096 });
    const queuedEcho = client.call(echo, { value: 3 }); // queued behind the allocation: it fails with it
    await assert.rejects(allocation, (err: unknown) => {
      assert.ok(err instanceof CodedError);
      assert.equal(err.code, 'workerOutOfMemory');
      assert.equal(err.template, workerErrorTemplates.workerOutOfMemory);
      assert.deepEqual(err.args, ['64']);
      assert.match(err.message, /ran out of memory \(its limit is 64 MB\)/);
      return true;
    });
    await assert.rejects(queuedEcho, (err: unknown) => hasErrorCode(err, 'workerOutOfMemory'));
    assert.equal(client.running, false);
    // The host's own heap did not take the allocation.
    assert.ok(process.memoryUsage().heapUsed - hostHeapBefore < 32 * 1024 * 1024);
    assert.equal(await client.call(echo, { value: 4 }), 8);
    assert.notEqual(await client.call(threadId, {}), first, 'the next call runs in a new worker');
  } finally {
    client.dispose();
  }
});

test('the heap limit is what the caller asked for: the same allocation fits a larger limit', async () => {
  const client = new WorkerClient(script, { heapMb: 256 });
  try {
    assert.equal(await client.call(allocate, { mb: 16 }), 16 * 1024);
  } finally {
    client.dispose();
  }
});

test('a worker that crashes (uncaught exception) fails its calls with workerFailed and is restarted on the next call', async () => {
  const client = new WorkerClient(script);
  try {
    await assert.rejects(client.call(crash, {}), (err: unknown) => {
      assert.ok(hasErrorCode(err, 'workerFailed'));
      assert.match((err as Error).message, /unexpected error \(requested crash\)\. The next request starts a new worker\./);
      return true;
    });
    assert.equal(await client.call(echo, { value: 6 }), 12);
  } finally {
    client.dispose();
  }
});

test('a worker that exits fails its calls with workerExited and the exit code, and is restarted on the next call', async () => {
  const client = new WorkerClient(script);
  try {
    await assert.rejects(client.call(exitWith, { code: 3 }), (err: unknown) => hasErrorCode(err, 'workerExited') && (err as CodedError).args[0] === '3');
    assert.equal(await client.call(echo, { value: 7 }), 14);
  } finally {
    client.dispose();
  }
});

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return condition();
}

test('an idle worker is ended after the idle time (freeing its models) and the next call starts it again', async () => {
  let idleMs = 200;
  const client = new WorkerClient(script, { idleMs: () => idleMs });
  try {
    const first = await client.call(threadId, {});
    assert.equal(client.running, true);
    assert.ok(await waitFor(() => !client.running, 10_000), 'the idle worker was not ended');
    const second = await client.call(threadId, {});
    assert.notEqual(second, first, 'the next call runs in a new worker');
    // A busy worker is never ended for idleness: a call longer than the idle time completes.
    assert.equal(await client.call(block, { ms: 400 }), 0);
    // 0 = never: the setting is read each time the worker goes idle.
    idleMs = 0;
    await client.call(echo, { value: 1 });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(client.running, true);
    assert.equal(await client.call(threadId, {}), second);
  } finally {
    client.dispose();
  }
});
