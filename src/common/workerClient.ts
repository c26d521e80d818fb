/**
 * Request/response over a worker thread, so inference (ORT's `run()` blocks the thread it runs on) and
 * user-code checks never run on the extension host's event loop. No `vscode` import.
 *
 * The worker is spawned lazily on the first request, kept for later ones (its sessions stay cached),
 * and respawned after a crash. Requests are typed calls (workerCall.ts); a failed call rejects with the
 * worker's CodedError rebuilt from its data (see workerServer.ts).
 */
import { Worker, type TransferListItem } from 'node:worker_threads';
import { fromErrorData } from './errors';
import type { WorkerCall, WorkerReplyMessage, WorkerRequestMessage } from './workerCall';

export interface CancellationSignal {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export class WorkerCancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'WorkerCancelledError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export interface CallOptions {
  /** Buffers (or ports) moved to the worker instead of copied. */
  readonly transfer?: readonly TransferListItem[];
  readonly cancel?: CancellationSignal;
}

export class WorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /**
   * @param scriptPath the bundled worker (`dist/workers/<name>.js`) or, in tests, its `.ts` source,
   *   which is run through tsx.
   */
  constructor(
    private readonly scriptPath: string,
    private readonly workerData?: unknown,
  ) {}

  /**
   * Sends one request. When `cancel` fires, the worker is terminated (a blocking `run()` cannot be
   * interrupted any other way), every pending request rejects with WorkerCancelledError, and the next
   * request starts a fresh worker.
   */
  call<Params, Result>(call: WorkerCall<Params, Result>, params: Params, options: CallOptions = {}): Promise<Result> {
    const { transfer = [], cancel } = options;
    if (cancel?.isCancellationRequested) return Promise.reject(new WorkerCancelledError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      const subscription = cancel?.onCancellationRequested(() => this.terminate(new WorkerCancelledError()));
      this.pending.set(id, {
        resolve: (v) => {
          subscription?.dispose();
          resolve(v as Result);
        },
        reject: (e) => {
          subscription?.dispose();
          reject(e);
        },
      });
      // Keep the process alive while a request is out; an idle worker (below) must not hold it open.
      worker.ref();
      const message: WorkerRequestMessage = { id, op: call.op, params };
      worker.postMessage(message, [...transfer]);
    });
  }

  /** Stops the worker; pending requests reject with `reason`. */
  terminate(reason: Error = new Error('Worker stopped')): void {
    const worker = this.worker;
    this.worker = undefined;
    this.rejectAll(reason);
    void worker?.terminate();
  }

  dispose(): void {
    this.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // Node 20 refuses a `.ts` worker path before any loader runs, so tests start TypeScript workers
    // through a one-line CommonJS shim that registers tsx first.
    const worker = this.scriptPath.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(this.scriptPath)});`, { eval: true, workerData: this.workerData })
      : new Worker(this.scriptPath, { workerData: this.workerData });
    worker.on('message', (reply: WorkerReplyMessage) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) p.resolve(reply.value);
      else p.reject(fromErrorData(reply.error));
    });
    // A worker that was already replaced (terminated on cancel) must not fail its successor's requests.
    worker.on('error', (err) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.rejectAll(err instanceof Error ? err : new Error(String(err)));
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.rejectAll(new Error(`Worker exited with code ${code}`));
    });
    // The CLI may exit while the worker idles with a cached session.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private rejectAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }
}
