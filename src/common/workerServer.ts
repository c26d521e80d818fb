/**
 * The worker side of workerClient.ts: `serve(handle)` answers each `{ id, ...request }` message with the
 * handler's value, or with the error's message. Handlers may return `{ value, transfer }` through
 * `withTransfer` to move ArrayBuffers back without copying.
 */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import type { WorkerReply } from './workerClient';

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

export function serve<Request extends object>(handle: (request: Request) => unknown): void {
  const port = parentPort;
  if (!port) throw new Error('serve() must run inside a worker thread');
  // Requests are handled one at a time, in order: a session is not re-entrant and order keeps replies predictable.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (message: Request & { id: number }) => {
    queue = queue.then(async () => {
      let reply: WorkerReply;
      let transfer: readonly TransferListItem[] = [];
      try {
        const result = await handle(message);
        if (isTransferable(result)) {
          reply = { id: message.id, ok: true, value: result.value };
          transfer = result.transfer;
        } else {
          reply = { id: message.id, ok: true, value: result };
        }
      } catch (err) {
        reply = { id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      port.postMessage(reply, [...transfer]);
    });
  });
}
