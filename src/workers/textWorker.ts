/**
 * Worker thread for the text classifier: tokenization, windowing and ORT inference run here, never on the
 * extension host (ORT's `run()` blocks its thread, and tokenizing 1 MB takes longer than a frame). The
 * session stays cached between requests; cancelling terminates the worker.
 */
import * as path from 'node:path';
import { LatestModelCache } from '../common/latestModelCache';
import { handle, serve } from '../common/workerServer';
import { modelFolderStamp } from '../text/modelFolder';
import { loadTextModel, type TextClassifier } from '../text/textClassifier';
import { classifyText, describeTextModel, type TextModelParams } from './textProtocol';

const cache = new LatestModelCache<TextClassifier>();

function classifier({ modelDir, threads }: TextModelParams): Promise<{ value: TextClassifier; loadMs: number }> {
  const dir = path.resolve(modelDir);
  return cache.get(`${dir}\u0000${threads}\u0000${modelFolderStamp(dir)}`, () => loadTextModel(dir, { threads }));
}

serve([
  handle(describeTextModel, async (params) => (await classifier(params)).value.summary),
  handle(classifyText, async (params) => {
    const { value, loadMs } = await classifier(params);
    const results = [];
    for (const text of params.texts) results.push(await value.classify(text, params.options));
    return { results, loadMs };
  }),
]);
