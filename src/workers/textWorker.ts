/**
 * Worker thread for the text classifier: tokenization, windowing and ORT inference run here, never on the
 * extension host (ORT's `run()` blocks its thread, and tokenizing 1 MB takes longer than a frame). The
 * session stays cached between requests (src/text/classifierCache.ts); cancelling terminates the worker.
 */
import { serve } from '../common/workerServer';
import { getClassifier } from '../text/classifierCache';
import type { ClassifyTextReply, DescribeTextModelReply, TextWorkerRequest } from '../text/textWorkerProtocol';

serve(async (request: TextWorkerRequest): Promise<ClassifyTextReply | DescribeTextModelReply> => {
  const { classifier, loadMs } = await getClassifier(request.modelDir, request.threads);
  if (request.op === 'describe') return classifier.summary;
  const results = [];
  for (const text of request.texts) results.push(await classifier.classify(text, request.options));
  return { results, loadMs };
});
