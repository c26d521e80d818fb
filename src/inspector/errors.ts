/**
 * Problems the model inspector reports: the codes and templates of the one error model (src/common/errors.ts)
 * for models the inspector opens. The CLI prints `message`; the editor localizes the template. No `vscode` import.
 */
import { CodedError, codedErrors, type ErrorArg } from '../common/errors';

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

/**
 * Why a file is not an ONNX model, why a model.json is not a TensorFlow.js model, why an input cannot be fed…:
 * each reason is a whole sentence of its own, so zh-CN translates it whole. (Passed as an argument, the English
 * reason would stay English inside the Chinese sentence.) The error keeps its family's code, and the English
 * message is the family's template with the reason filled in, word for word: the CLI prints the same text.
 * Reasons that are not ours (an operating-system or JSON parser message) still travel as arguments.
 */
const notOnnx = (why: string) => `The file {0} is not an ONNX model (${why}). Open a .onnx file exported by PyTorch, Optimum, tf2onnx or Model Lab.`;
const notTfjs = (why: string) => `{0} is not a TensorFlow.js model: ${why}. Open the model.json written by tf.io / tensorflowjs_converter.`;
const cannotFeed = (why: string) => `The benchmark cannot feed the input "{0}" (${why}).`;

export const inspectorReasonTemplates = {
  notOnnx: {
    png: notOnnx('it is a PNG image'),
    jpeg: notOnnx('it is a JPEG image'),
    zip: notOnnx('it is a ZIP archive, such as a PyTorch .pt checkpoint or a Keras .keras file'),
    hdf5: notOnnx('it is an HDF5 file, such as a Keras .h5 model'),
    tflite: notOnnx('it is a TensorFlow Lite model'),
    gguf: notOnnx('it is a GGUF model'),
    json: notOnnx('it is a JSON or text file'),
    text: notOnnx('it is a text file'),
    notProtobuf: notOnnx('its first bytes are not a protobuf field'),
    foreignField: notOnnx('it starts with protobuf field {1}, which no ONNX ModelProto has'),
    noGraph: notOnnx('it has no graph'),
  },
  tfjsInvalid: {
    tooBig: notTfjs("it is {1} MB, far more than a model.json's topology and manifest"),
    notJson: notTfjs('it is not valid JSON ({1})'),
    noTopology: notTfjs('it has neither "modelTopology" nor "weightsManifest"'),
    manifestNotList: notTfjs('"weightsManifest" is not a list of weight groups'),
    groupWithoutLists: notTfjs('a weight group has no "paths" and "weights" lists'),
    pathNotString: notTfjs('a weight path is not a string'),
    entryIncomplete: notTfjs('a weight entry lacks "name", "shape" or "dtype"'),
    unsupportedType: notTfjs('the weight "{1}" has the unsupported type {2}'),
  },
  benchmarkInput: {
    unknownShape: cannotFeed('its shape is unknown'),
    badDimension: cannotFeed('dimension {1} must be a whole number ≥ 0'),
    unsupportedType: cannotFeed('inputs of type {1} are not generated'),
  },
  benchmarkFailed: {
    tfjsModel: 'The benchmark could not run the model {0}: the benchmark runs ONNX models with onnxruntime-node; a TensorFlow.js model.json runs in TensorFlow.js',
  },
  unreadable: {
    endsEarly: 'Could not read {0}: the file ends before byte {1}',
    notDecoded: 'Could not read {0}: values of type {1} are not decoded',
  },
  corrupt: {
    weightBytes: 'The model file {0} is damaged at byte {1} (the weight "{2}" has {3} bytes of data, but its shape [{4}] of {5} needs {6}). Export the model again.',
  },
} as const satisfies Partial<Record<InspectorErrorCode, Record<string, string>>>;

type ReasonTables = typeof inspectorReasonTemplates;

/** `throw inspectorReason('notOnnx', 'png', [file])`: the family's code with that reason's sentence. */
export function inspectorReason<C extends keyof ReasonTables>(code: C, reason: keyof ReasonTables[C], args: readonly ErrorArg[] = []): CodedError {
  return new CodedError(code, (inspectorReasonTemplates[code] as Record<keyof ReasonTables[C], string>)[reason], args);
}
