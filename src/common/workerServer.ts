/**
 * The worker side of workerClient.ts: `serve([handle(call, fn), …])` answers each `{ id, op, params }` message
 * with the handler's value, or with the thrown error as ErrorData (src/common/errors.ts), so its code and
 * arguments reach the caller. Handlers may return `withTransfer(value, buffers)` to move ArrayBuffers back
 * without copying. No `vscode` import.
 */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import { toErrorData } from './errors';
import type { WorkerCall, WorkerReplyMessage, WorkerRequestMessage } from './workerCall';

const TRANSFER = Symbol('transfer');

interface Transferable<T> {
  readonly [TRANSFER]: true;
  readonly value: T;
  readonly transfer: readonly TransferListItem[];
}

export function withTransfer<T>(value: T, transfer: readonly TransferListItem[]): Transferable<T> {
  return { [TRANSFER]: true, value, transfer };
}

function isTransferable(v: unknown): v is Transferable<unknown> {
  return typeof v === 'object' && v !== null && TRANSFER in v;
}

type Handled<Result> = Result | Transferable<Result>;

export interface WorkerHandler {
  readonly op: string;
  run(params: unknown): unknown;
}

/** Binds a handler to its call declaration: the handler gets the call's Params and must produce its Result. */
export function handle<Params, Result>(call: WorkerCall<Params, Result>, fn: (params: Params) => Handled<Result> | Promise<Handled<Result>>): WorkerHandler {
  return { op: call.op, run: (params) => fn(params as Params) };
}

export function serve(handlers: readonly WorkerHandler[]): void {
  const port = parentPort;
  if (!port) throw new Error('serve() must run inside a worker thread');
  const byOp = new Map(handlers.map((h) => [h.op, h]));
  // Requests are handled one at a time, in order: a session is not re-entrant and order keeps replies predictable.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: WorkerRequestMessage) => {
    queue = queue.then(async () => {
      let reply: WorkerReplyMessage;
      let transfer: readonly TransferListItem[] = [];
      try {
        const handler = byOp.get(message.op);
        if (!handler) throw new Error(`This worker has no operation "${message.op}".`);
        const result = await handler.run(message.params);
        if (isTransferable(result)) {
          reply = { id: message.id, ok: true, value: result.value };
          transfer = result.transfer;
        } else {
          reply = { id: message.id, ok: true, value: result };
        }
      } catch (err) {
        reply = { id: message.id, ok: false, error: toErrorData(err) };
      }
      port.postMessage(reply, [...transfer]);
    });
  });
}
