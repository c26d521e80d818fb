/**
 * The image worker: decoding, preprocessing and inference run here, off the extension host's event loop
 * (onnxruntime's run() blocks its thread). The loaded model is cached and reloaded only when the model
 * path or its files' modification times change.
 */
import * as path from 'node:path';
import { fromErrorData } from '../common/errors';
import { fileStamps, LatestModelCache } from '../common/latestModelCache';
import { handle, serve } from '../common/workerServer';
import { ImageClassifier, readImageFile } from '../vision/classifier';
import { occlusionSaliency } from '../vision/explain';
import { visionError } from '../vision/errors';
import { locateImageModel } from '../vision/modelConfig';
import { classifyImageFile, classifyImageFiles, classifyInk, describeImageModel, explainImageFile } from './imageProtocol';

const cache = new LatestModelCache<ImageClassifier>();

async function classifier(target: string): Promise<ImageClassifier> {
  const location = locateImageModel(target);
  const key = `${target}|${fileStamps([location.modelPath, path.join(location.dir, 'config.json')])}`;
  return (await cache.get(key, () => ImageClassifier.load(target))).value;
}

serve([
  handle(describeImageModel, async ({ model }) => (await classifier(model)).summary()),
  handle(classifyImageFile, async ({ model, file, preview }) => {
    const [outcome] = await (await classifier(model)).classifyFiles([file], { preview });
    if (!outcome.ok) throw fromErrorData(outcome.error);
    return outcome.result;
  }),
  handle(classifyImageFiles, async ({ model, files }) => {
    const c = await classifier(model);
    const started = performance.now();
    const outcomes = await c.classifyFiles(files);
    return { outcomes, batchMs: performance.now() - started };
  }),
  handle(explainImageFile, async ({ model, file, labelIndex }) => {
    const c = await classifier(model);
    const prepared = await c.prepareBytes(await readImageFile(file, path.basename(file)), path.basename(file), file);
    const [result] = await c.infer([prepared], { preview: true });
    const index = labelIndex ?? result.top[0].index;
    if (!(index < c.info.labels.length)) throw visionError('noSuchLabel', [index, c.info.labels.length - 1]);
    return { result, saliency: await occlusionSaliency(c, prepared.input, { labelIndex: index }) };
  }),
  handle(classifyInk, async ({ model, ink, width, height }) => {
    const started = performance.now();
    const c = await classifier(model);
    const [result] = await c.infer([c.prepareInk(ink, width, height)], { preview: true });
    return { result, workerMs: performance.now() - started };
  }),
]);
