/**
 * Typed worker calls: one declaration ties an operation to its request and its reply, as vscode-languageclient's
 * `RequestType<Params, Result>` does. The client's `call(describeModel, params)` then returns the declared reply
 * type, and the worker's `handle(describeModel, fn)` must produce it. No `vscode` import.
 *
 * On the wire: `{ id, op, params }` out, `{ id, ok: true, value }` or `{ id, ok: false, error: ErrorData }` back.
 * Every worker reports failure the same way: the handler throws (a CodedError where the user can act), the
 * client's promise rejects with the rebuilt CodedError.
 */
import type { ErrorData } from './errors';

export interface WorkerCall<Params, Result> {
  /** The operation's name on the wire: unique within one worker's protocol. */
  readonly op: string;
  /** Type-only members: never set, they carry Params and Result for inference. */
  readonly _params?: Params;
  readonly _result?: Result;
}

export function workerCall<Params, Result>(op: string): WorkerCall<Params, Result> {
  return { op };
}

export interface WorkerRequestMessage {
  readonly id: number;
  readonly op: string;
  readonly params: unknown;
}

export type WorkerReplyMessage = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: ErrorData };
