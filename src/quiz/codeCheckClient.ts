/**
 * Runs one code check in a fresh worker thread with a time limit: on timeout the worker is terminated (an
 * endless loop cannot be interrupted any other way) and the result says so. No `vscode` import.
 */
import { hasErrorCode } from '../common/errors';
import { WORKER_HEAP_MB, WorkerCancelledError, WorkerClient, type CancellationSignal } from '../common/workerClient';
import { checkCodeExercise } from '../workers/codeCheckProtocol';
import type { CodeCheckRequest, CodeCheckResult } from './codeCheck';

export async function runCodeCheckInWorker(scriptPath: string, request: CodeCheckRequest, timeoutMs: number, userCancel?: CancellationSignal): Promise<CodeCheckResult> {
  const client = new WorkerClient(scriptPath, { heapMb: WORKER_HEAP_MB.codeCheck });
  const listeners = new Set<() => void>();
  let timedOut = false;
  let cancelled = false;
  const signal: CancellationSignal = {
    get isCancellationRequested() {
      return timedOut || cancelled;
    },
    onCancellationRequested(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
  const fire = () => {
    for (const l of [...listeners]) l();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    fire();
  }, timeoutMs);
  const sub = userCancel?.onCancellationRequested(() => {
    cancelled = true;
    fire();
  });
  try {
    return await client.call(checkCodeExercise, request, { cancel: signal });
  } catch (err) {
    if (err instanceof WorkerCancelledError && timedOut) {
      const s = Math.round(timeoutMs / 1000);
      return {
        passed: false,
        details: [{ en: `✗ The check was stopped after ${s} s: does the code loop forever or wait on something that never finishes?`, zh: `✗ 检查在 ${s} 秒后被终止：代码是否陷入了死循环，或在等待永远不会完成的操作？` }],
      };
    }
    // The code filled the worker's heap: that ends the worker, not the editor, and is the answer's fault.
    if (hasErrorCode(err, 'workerOutOfMemory')) {
      const mb = WORKER_HEAP_MB.codeCheck;
      return {
        passed: false,
        details: [{ en: `✗ The check ran out of memory (${mb} MB) and was stopped: does the code keep allocating without end?`, zh: `✗ 检查用尽了内存（${mb} MB）并被终止：代码是否在无休止地分配内存？` }],
      };
    }
    throw err;
  } finally {
    clearTimeout(timer);
    sub?.dispose();
    client.dispose();
  }
}
