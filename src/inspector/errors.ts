/**
 * Problems the model inspector reports, each a coded error with an English template and its arguments,
 * so the CLI prints `message` and the editor localizes `template` with `vscode.l10n.t(template, ...args)`.
 * It follows the VisionError pattern (src/vision/errors.ts) and crosses the worker boundary as plain data.
 * No `vscode` import.
 */

export type InspectorErrorCode =
  | 'notFound'
  | 'unsupportedFile'
  | 'empty'
  | 'tooLarge'
  | 'truncated'
  | 'corrupt'
  | 'notOnnx'
  | 'externalOutside'
  | 'externalMissing'
  | 'externalShort'
  | 'tfjsInvalid'
  | 'weightsOutside'
  | 'weightsMissing'
  | 'weightsShort'
  | 'unreadable'
  | 'noSuchWeight'
  | 'benchmarkFailed'
  | 'benchmarkInput';

/** English templates; `{0}`, `{1}`… are filled from `args`. Also the keys of l10n/bundle.l10n.zh-cn.json. */
export const inspectorErrorTemplates: Record<InspectorErrorCode, string> = {
  notFound: 'The model file {0} does not exist.',
  unsupportedFile: '{0} is neither an ONNX model (.onnx) nor a TensorFlow.js model.json, so the model inspector cannot open it.',
  empty: 'The model file {0} is empty (0 bytes). Export or copy the model again.',
  tooLarge: 'The model file {0} is {1} GB; an ONNX file cannot be larger than 2 GB (the protobuf limit). Save the weights as external data (.onnx_data) next to a small model.onnx and open that.',
  truncated: 'The model file {0} is truncated: it ends at byte {1} in the middle of {2}. Copy or export the model again.',
  corrupt: 'The model file {0} is damaged at byte {1} ({2}). Export the model again.',
  notOnnx: 'The file {0} is not an ONNX model ({1}). Open a .onnx file exported by PyTorch, Optimum, tf2onnx or Model Lab.',
  externalOutside: 'The weight "{0}" in {1} points to external data at {2}, outside the model\'s folder; Model Lab reads nothing outside the folder. Move the data file next to the model.',
  externalMissing: 'The weight "{0}" in {1} is stored in the external data file {2}, which does not exist. Copy that file next to the model.',
  externalShort: 'The external data file {0} is {1} bytes, but the weight "{2}" needs bytes up to {3}. Copy the complete file again.',
  tfjsInvalid: '{0} is not a TensorFlow.js model: {1}. Open the model.json written by tf.io / tensorflowjs_converter.',
  weightsOutside: 'The weights file "{0}" named in {1} lies outside the model\'s folder; Model Lab reads nothing outside the folder. Keep the weight shards next to model.json.',
  weightsMissing: 'The weights file {0} named in {1} does not exist. Copy every weight shard next to model.json.',
  weightsShort: 'The weights files of {0} hold {1} bytes, but its weights manifest needs {2}. Copy the complete weight shards again.',
  unreadable: 'Could not read {0}: {1}',
  noSuchWeight: 'The model has no weight named "{0}".',
  benchmarkFailed: 'The benchmark could not run the model {0}: {1}',
  benchmarkInput: 'The benchmark cannot feed the input "{0}" ({1}).',
};

export class InspectorError extends Error {
  constructor(
    readonly code: InspectorErrorCode,
    readonly args: readonly string[],
  ) {
    super(formatInspectorTemplate(inspectorErrorTemplates[code], args));
    this.name = 'InspectorError';
  }

  get template(): string {
    return inspectorErrorTemplates[this.code];
  }
}

export function formatInspectorTemplate(template: string, args: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

/** An InspectorError as plain data, so it crosses the worker and webview boundaries. */
export interface InspectorErrorData {
  readonly code: InspectorErrorCode | 'internal';
  readonly args: readonly string[];
  readonly message: string;
}

export function toInspectorErrorData(err: unknown): InspectorErrorData {
  // By shape, not instanceof: the worker bundle has its own copy of the class.
  if (err instanceof Error && err.name === 'InspectorError' && 'code' in err && 'args' in err && (err.code as string) in inspectorErrorTemplates) {
    return { code: err.code as InspectorErrorCode, args: err.args as string[], message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', args: [message], message };
}

/** `throw inspectorError('truncated', [file, size, what])`: the error for a code, with its template. */
export function inspectorError(code: InspectorErrorCode, args: readonly (string | number)[] = []): InspectorError {
  return new InspectorError(code, args.map(String));
}
