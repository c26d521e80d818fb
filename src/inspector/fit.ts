/**
 * "Use as image model" / "Use as text model": whether the inspected model fits a classifier, decided by the
 * classifiers' own checks (checkImageModelInputs in src/vision, resolveModelFolder / checkTextModelInputs /
 * pickTextModelOutput in src/text) on what the inspector read from the file, so no session is created.
 * When it fits, the value to put in the setting; when not, the classifier's coded error. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codedErrors, toErrorData, type ErrorData } from '../common/errors';
import { resolveModelFolder } from '../text/modelFolder';
import { checkTextModelInputs, pickTextModelOutput } from '../text/onnxTextClassifier';
import { checkImageModelInputs, checkTfjsImageOutput, tfjsImageConfig } from '../vision/imageModel';
import { readImageModelConfig } from '../vision/modelConfig';
import type { ModelInspection } from './model';

export type FitResult =
  | { readonly fits: true; readonly setting: 'modelLab.imageModel' | 'modelLab.textModel'; readonly value: string }
  | { readonly fits: false; readonly setting: 'modelLab.imageModel' | 'modelLab.textModel'; readonly reason: ErrorData };

/** The fit check's own sentences, for what the classifiers' loaders learn only from a session. */
export const fitTemplates = {
  textNeedsOnnx: 'The text classifier runs ONNX models; {0} is a TensorFlow.js model.',
  textRunsFolderModel: 'The text classifier runs the folder\'s {0}, not {1}; give this model its own folder with the file named model.onnx.',
} as const;
const fitError = codedErrors(fitTemplates);

type Inspected = Pick<ModelInspection, 'file' | 'format' | 'inputs' | 'outputs'>;

/** The image classifier's checks: one float32 input shaped as an image batch (tfjs: a fixed class count too). */
export function imageModelFit(model: Inspected): FitResult {
  const setting = 'modelLab.imageModel';
  try {
    const config = readImageModelConfig(path.dirname(model.file));
    const inputs = model.inputs.map((i) => ({ name: i.name, type: i.dtype, shape: i.dims ?? [] }));
    if (model.format === 'onnx') checkImageModelInputs(inputs, config, model.file);
    else {
      checkImageModelInputs(inputs, tfjsImageConfig(config), model.file);
      checkTfjsImageOutput(model.outputs[0]?.dims ?? [], model.file);
    }
    return { fits: true, setting, value: model.file };
  } catch (err) {
    return { fits: false, setting, reason: toErrorData(err) };
  }
}

/**
 * The text classifier's checks: a model folder (model.onnx, config.json, vocabulary) whose model.onnx is this
 * file, with token inputs it can fill and a logits output. The setting takes the folder.
 */
export function textModelFit(model: Inspected): FitResult {
  const setting = 'modelLab.textModel';
  try {
    if (model.format !== 'onnx') throw fitError('textNeedsOnnx', [model.file]);
    // The graph first: a model that is not a text classifier is told so before its folder's files are checked.
    checkTextModelInputs(model.inputs.map((i) => ({ name: i.name, type: i.dtype === 'unknown' ? undefined : i.dtype })), model.file);
    pickTextModelOutput(model.outputs.map((o) => o.name), model.file);
    const files = resolveModelFolder(path.dirname(model.file));
    if (!sameFile(files.onnxPath, model.file)) throw fitError('textRunsFolderModel', [path.relative(files.dir, files.onnxPath), path.basename(model.file)]);
    return { fits: true, setting, value: files.dir };
  } catch (err) {
    return { fits: false, setting, reason: toErrorData(err) };
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}
