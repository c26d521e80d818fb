/**
 * Worker thread for the text classifier: tokenization, windowing and ORT inference run here, never on the
 * extension host (ORT's `run()` blocks its thread, and tokenizing 1 MB takes longer than a frame). The
 * session stays cached between requests; cancelling terminates the worker.
 */
import * as path from 'node:path';
import { fileStamps, LatestModelCache } from '../common/latestModelCache';
import { handle, serve } from '../common/workerServer';
import { modelFolderStamp } from '../text/modelFolder';
import { INT8_ONNX_FILE } from '../text/modelVariant';
import { loadTextModel, type OnnxTextClassifier } from '../text/onnxTextClassifier';
import { readModelScope } from '../common/modelScope';
import { explainText } from '../text/explain';
import { textScopeWarnings } from '../text/textScope';
import { classifyText, describeTextModel, explainTextCall, type TextModelParams } from './textProtocol';

const cache = new LatestModelCache<OnnxTextClassifier>();

function classifier({ modelDir, threads, variant = 'auto' }: TextModelParams): Promise<{ value: OnnxTextClassifier; loadMs: number }> {
  const dir = path.resolve(modelDir);
  const stamp = `${modelFolderStamp(dir)}\u0000${fileStamps([path.join(dir, INT8_ONNX_FILE)])}`;
  return cache.get(`${dir}\u0000${threads}\u0000${variant}\u0000${stamp}`, () => loadTextModel(dir, { threads, variant }));
}

serve([
  handle(describeTextModel, async (params) => (await classifier(params)).value.summary),
  handle(classifyText, async (params) => {
    const { value, loadMs } = await classifier(params);
    const results = [];
    const warnings = [];
    for (const text of params.texts) {
      results.push(await value.classify(text, params.options));
      warnings.push(textScopeWarnings(value.files.dir, value.tokenizer, text));
    }
    return { results, loadMs, warnings, labelNames: readModelScope(value.files.dir).block?.label_names };
  }),
  handle(explainTextCall, async (params) => explainText((await classifier(params)).value, params.text, params.options)),
]);
