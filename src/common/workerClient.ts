/**
 * Request/response over a worker thread, so inference (ORT's `run()` blocks the thread it runs on) and
 * user-code checks never run on the extension host's event loop. No `vscode` import.
 *
 * The worker is spawned lazily on the first request, kept for later ones (its sessions stay cached), ended
 * after a configurable idle time (freeing its models), and respawned on the next request after it died.
 * Requests are typed calls (workerCall.ts); a failed call rejects with the worker's CodedError rebuilt from its
 * data (see workerServer.ts).
 *
 * Every worker runs with a V8 heap limit (`resourceLimits`), so an input that gets past the checks and
 * allocates without bound costs the worker, never the extension host: the worker dies, its pending calls fail
 * with a coded sentence (`workerOutOfMemory`), and the next call starts a new one. The limit covers the
 * JavaScript heap only; onnxruntime's tensors and typed-array buffers live outside it and are bounded by the
 * input checks (pixel, shape and file-size limits).
 */
import { Worker, type TransferListItem } from 'node:worker_threads';
import { CodedError, fromErrorData } from './errors';
import type { WorkerCall, WorkerReplyMessage, WorkerRequestMessage } from './workerCall';

export type WorkerErrorCode = 'workerOutOfMemory' | 'workerFailed' | 'workerExited';

/** English templates; also the keys of l10n/bundle.l10n.zh-cn.json. */
export const workerErrorTemplates: Record<WorkerErrorCode, string> = {
  workerOutOfMemory:
    'The background worker ran out of memory (its limit is {0} MB) and was stopped; the editor is not affected. Try a smaller input or model: the next request starts a new worker.',
  workerFailed: 'The background worker stopped after an unexpected error ({0}). The next request starts a new worker.',
  workerExited: 'The background worker stopped unexpectedly (exit code {0}). The next request starts a new worker.',
};

function workerError(code: WorkerErrorCode, args: readonly (string | number)[]): CodedError {
  return new CodedError(code, workerErrorTemplates[code], args);
}

/**
 * V8 heap limits (old generation, MB) of Model Lab's workers. Each is a few times the peak heap measured on the
 * largest input the extension accepts for that worker (bench/workerHeap.md has the numbers and the method):
 * models and tensors live outside the V8 heap, so what these bound is the JavaScript side (decoded JSON and
 * protobuf, token arrays, training batches, a quiz answer's code).
 */
export const WORKER_HEAP_MB = {
  text: 2048,
  image: 1024,
  inspector: 1024,
  train: 3072,
  codeCheck: 256,
} as const;

/** The heap limit of a worker whose caller names none. */
export const DEFAULT_WORKER_HEAP_MB = 1024;

export interface WorkerClientOptions {
  readonly workerData?: unknown;
  /** The worker's V8 heap limit (old generation), MB; DEFAULT_WORKER_HEAP_MB when not given. */
  readonly heapMb?: number;
  /**
   * How long the worker may sit idle before it is ended (its model sessions freed), in ms; 0 = never. Read each
   * time the worker goes idle, so a changed setting applies from the next request on.
   */
  readonly idleMs?: () => number;
}

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
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly heapMb: number;

  /**
   * @param scriptPath the bundled worker (`dist/workers/<name>.js`) or, in tests, its `.ts` source,
   *   which is run through tsx.
   */
  constructor(
    private readonly scriptPath: string,
    private readonly options: WorkerClientOptions = {},
  ) {
    this.heapMb = options.heapMb ?? DEFAULT_WORKER_HEAP_MB;
  }

  /**
   * Sends one request. When `cancel` fires, the worker is terminated (a blocking `run()` cannot be
   * interrupted any other way), every pending request rejects with WorkerCancelledError, and the next
   * request starts a fresh worker.
   */
  call<Params, Result>(call: WorkerCall<Params, Result>, params: Params, options: CallOptions = {}): Promise<Result> {
    const { transfer = [], cancel } = options;
    if (cancel?.isCancellationRequested) return Promise.reject(new WorkerCancelledError());
    this.clearIdleTimer();
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
    this.clearIdleTimer();
    this.rejectAll(reason);
    void worker?.terminate();
  }

  dispose(): void {
    this.terminate();
  }

  /** True while a worker thread is running (for tests of the idle timeout and restarts). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const options = { workerData: this.options.workerData, resourceLimits: { maxOldGenerationSizeMb: this.heapMb } };
    // Node 20 refuses a `.ts` worker path before any loader runs, so tests start TypeScript workers
    // through a one-line CommonJS shim that registers tsx first.
    const worker = this.scriptPath.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(this.scriptPath)});`, { ...options, eval: true })
      : new Worker(this.scriptPath, options);
    worker.on('message', (reply: WorkerReplyMessage) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) {
        worker.unref();
        this.armIdleTimer(worker);
      }
      if (reply.ok) p.resolve(reply.value);
      else p.reject(fromErrorData(reply.error));
    });
    // A worker that was already replaced (terminated on cancel or when idle) must not fail its successor's requests.
    worker.on('error', (err) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.clearIdleTimer();
      const code = (err as NodeJS.ErrnoException).code;
      this.rejectAll(
        code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? workerError('workerOutOfMemory', [this.heapMb])
          : workerError('workerFailed', [err instanceof Error ? err.message : String(err)]),
      );
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.clearIdleTimer();
      this.rejectAll(workerError('workerExited', [code]));
    });
    // The CLI may exit while the worker idles with a cached session.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Ends the worker (freeing its models) once it has been idle for the configured time. */
  private armIdleTimer(worker: Worker): void {
    this.clearIdleTimer();
    const ms = this.options.idleMs?.() ?? 0;
    if (!(ms > 0)) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.worker !== worker || this.pending.size > 0) return;
      this.worker = undefined;
      void worker.terminate();
    }, ms);
    // The timer alone must not keep a CLI or a test process alive.
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private rejectAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }
}
