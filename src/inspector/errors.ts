/**
 * Problems the model inspector reports: the codes and templates of the one error model (src/common/errors.ts)
 * for models the inspector opens. The CLI prints `message`; the editor localizes the template. No `vscode` import.
 */
import { codedErrors } from '../common/errors';

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

/** `throw inspectorError('truncated', [file, size, what])`: a CodedError (src/common/errors.ts) with the code's template. */
export const inspectorError = codedErrors(inspectorErrorTemplates);
