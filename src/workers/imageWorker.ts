/**
 * The image worker: decoding, preprocessing and inference run here, off the extension host's event loop
 * (onnxruntime's run() blocks its thread). The loaded model is cached and reloaded only when the model
 * path or its file's modification time changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serve } from '../common/workerServer';
import { ImageClassifier } from '../vision/classifier';
import { toVisionErrorData } from '../vision/errors';
import { locateImageModel } from '../vision/modelConfig';
import type { ClassifyFileReply, ClassifyFilesReply, ClassifyInkReply, DescribeModelReply, ImageWorkerRequest } from '../vision/workerProtocol';

let cached: { key: string; classifier: Promise<ImageClassifier> } | undefined;

function modelKey(target: string): string {
  const location = locateImageModel(target);
  const stamp = (p: string) => {
    try {
      return fs.statSync(p).mtimeMs;
    } catch {
      return 0;
    }
  };
  return `${location.modelPath}@${stamp(location.modelPath)}@${stamp(path.join(location.dir, 'config.json'))}`;
}

async function classifier(target: string): Promise<ImageClassifier> {
  const key = modelKey(target);
  if (cached?.key !== key) {
    const previous = cached;
    const loading = ImageClassifier.load(target);
    cached = { key, classifier: loading };
    // A failed load must not stay cached: the user fixes the model and tries again.
    loading.catch(() => {
      if (cached?.classifier === loading) cached = undefined;
    });
    void previous?.classifier.then((c) => c.dispose()).catch(() => undefined);
  }
  return cached.classifier;
}

serve<ImageWorkerRequest>(async (request) => {
  switch (request.type) {
    case 'describeModel': {
      try {
        return { ok: true, model: (await classifier(request.model)).summary() } satisfies DescribeModelReply;
      } catch (err) {
        return { ok: false, error: toVisionErrorData(err) } satisfies DescribeModelReply;
      }
    }
    case 'classifyFile': {
      const name = path.basename(request.file);
      try {
        const c = await classifier(request.model);
        const [outcome] = await c.classifyFiles([request.file], { preview: request.preview });
        return outcome satisfies ClassifyFileReply;
      } catch (err) {
        return { ok: false, name, file: request.file, error: toVisionErrorData(err) } satisfies ClassifyFileReply;
      }
    }
    case 'classifyFiles': {
      try {
        const c = await classifier(request.model);
        const started = performance.now();
        const outcomes = await c.classifyFiles(request.files);
        return { ok: true, outcomes, batchMs: performance.now() - started } satisfies ClassifyFilesReply;
      } catch (err) {
        return { ok: false, error: toVisionErrorData(err) } satisfies ClassifyFilesReply;
      }
    }
    case 'classifyInk': {
      const started = performance.now();
      try {
        const c = await classifier(request.model);
        const [result] = await c.infer([c.prepareInk(request.ink, request.width, request.height)], { preview: true });
        return { ok: true, result, workerMs: performance.now() - started } satisfies ClassifyInkReply;
      } catch (err) {
        return { ok: false, name: 'drawing', error: toVisionErrorData(err), workerMs: performance.now() - started } satisfies ClassifyInkReply;
      }
    }
  }
});
