/**
 * The one ONNX Runtime helper for BERT-family graphs: the lazy `onnxruntime-node` loader, the session options
 * every text model runs with, the token inputs Model Lab can fill (an allow-list) and the token tensors it feeds
 * them (int64, or int32 where the graph says so). Used by inference (onnxTextClassifier.ts), the frozen-encoder
 * training recipe, the text benchmark and the model inspector's benchmark. No `vscode` import.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-node';

export type Ort = typeof import('onnxruntime-node');

let ortModule: Ort | undefined;
/** onnxruntime-node is loaded on first use: activation and `--help` never pay for the native module. */
export function ort(): Ort {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy load of a native module
  ortModule ??= require('onnxruntime-node') as Ort;
  return ortModule;
}

export interface SessionLoadOptions {
  /** ORT intra-op threads; 0 or undefined = ORT's default (one per core), or one for small models. */
  readonly threads?: number;
  /**
   * Let ORT's pool threads busy-wait between operators (ORT's default). Off by default here: in an editor
   * a spinning pool steals the cores the extension host and the renderer need. The price, measured on the
   * 2-core dev machine: ~19 % on a BERT-base-shaped model at 128 tokens, nothing visible on the bundled one.
   */
  readonly allowSpinning?: boolean;
}

/** Below this hidden size a model gets one intra-op thread unless the user sets `threads`. */
export const SMALL_MODEL_HIDDEN_SIZE = 256;

/**
 * Intra-op threads for a model: the user's setting when it is positive; one thread for small models, whose
 * operators are too small to split — waking a second thread costs more than it saves (the bundled
 * spam-bert-tiny, hidden size 32, at 128 tokens: 0.74 ms on one thread, 0.85 ms on two without spinning) —
 * and 0 (ORT's default, one per core) otherwise.
 */
export function intraOpThreads(options: SessionLoadOptions, hiddenSize: number | undefined): number {
  const asked = Math.max(0, Math.floor(options.threads ?? 0));
  if (asked > 0) return asked;
  return hiddenSize !== undefined && hiddenSize < SMALL_MODEL_HIDDEN_SIZE ? 1 : 0;
}

/** The session options every text model is loaded with (the benchmark uses the same for its bare session). */
export function sessionOptions(options: SessionLoadOptions = {}, hiddenSize?: number): InferenceSession.SessionOptions {
  const threads = intraOpThreads(options, hiddenSize);
  return {
    graphOptimizationLevel: 'all',
    ...(threads > 0 ? { intraOpNumThreads: threads } : {}),
    // Flat key: the Node binding takes `extra` entries as strings (onnxruntime_session_options_config_keys.h).
    extra: { 'session.intra_op.allow_spinning': options.allowSpinning ? '1' : '0' },
  };
}

/** Inputs Model Lab knows how to fill; any other required input is an error that names it. */
export const TOKEN_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
export type TokenInputName = (typeof TOKEN_INPUTS)[number];

export interface TokenInput {
  readonly name: TokenInputName;
  readonly type: 'int64' | 'int32';
}

export function isTokenInput(name: string): name is TokenInputName {
  return (TOKEN_INPUTS as readonly string[]).includes(name);
}

/** An input's element type and shape, when the binding reports them (inputMetadata exists since onnxruntime 1.21). */
export function tensorMeta(session: InferenceSession, name: string): { type: string; shape: readonly (number | string)[] } | undefined {
  const meta = (session as { inputMetadata?: readonly InferenceSession.ValueMetadata[] }).inputMetadata;
  const m = meta?.find((x) => x.name === name);
  return m && m.isTensor ? { type: m.type, shape: m.shape } : undefined;
}

/**
 * Inputs sorted against the allow-list: the token inputs with the integer type to feed each (`wrongType` when the
 * graph wants neither int64 nor int32), and the names Model Lab cannot fill. From a session (readTokenInputs) or
 * from what the model inspector read in the file.
 */
export function sortTokenInputs(declared: readonly { readonly name: string; readonly type: string | undefined }[]): { inputs: TokenInput[]; unknown: string[]; wrongType: { name: string; type: string } | undefined } {
  const inputs: TokenInput[] = [];
  const unknown: string[] = [];
  let wrongType: { name: string; type: string } | undefined;
  for (const { name, type } of declared) {
    if (!isTokenInput(name)) {
      unknown.push(name);
      continue;
    }
    if (type !== undefined && type !== 'int64' && type !== 'int32') wrongType ??= { name, type };
    inputs.push({ name, type: type === 'int32' ? 'int32' : 'int64' });
  }
  return { inputs, unknown, wrongType };
}

/** The session's inputs sorted against the allow-list (sortTokenInputs). */
export function readTokenInputs(session: InferenceSession): ReturnType<typeof sortTokenInputs> {
  return sortTokenInputs(session.inputNames.map((name) => ({ name, type: tensorMeta(session, name)?.type })));
}

/**
 * The feeds for a [rows, seq] batch: each token input gets its row-major values (a missing one, such as
 * token_type_ids for single-segment text, is all zeros) as an int64 tensor, or int32 where the graph asks.
 */
export function tokenFeeds(inputs: readonly TokenInput[], rows: number, seq: number, values: Partial<Record<TokenInputName, BigInt64Array>>): Record<string, Tensor> {
  const { Tensor } = ort();
  const feeds: Record<string, Tensor> = {};
  for (const input of inputs) {
    const data = values[input.name] ?? new BigInt64Array(rows * seq);
    feeds[input.name] = input.type === 'int32' ? new Tensor('int32', Int32Array.from(data, Number), [rows, seq]) : new Tensor('int64', data, [rows, seq]);
  }
  return feeds;
}
