/**
 * Worker thread for "Model Lab: Train Text Classifier…": reads the data file, trains with the chosen recipe and
 * writes the model folder, so neither tfjs training nor the frozen encoder's ONNX runs ever block the extension
 * host. Progress goes out on the request's MessagePort; a `{ cancel: true }` on that port aborts between batches.
 */
import * as path from 'node:path';
import { handle, serve } from '../common/workerServer';
import { isCancelled } from '../common/errors';
import type { ProgressFn } from '../train/text/pipeline';
import { checkTrainRun, trainTextClassifier } from '../train/text/recipes';
import { readLabelledTexts } from '../train/text/userData';
import { checkOutputFolder, recoverInterruptedWrites } from '../train/modelFolderOutput';
import { trainText, type TrainCancelMessage, type TrainProgressMessage, type TrainTextReply, type TrainTextRequest } from './trainProtocol';

serve([handle(trainText, train)]);

async function train(request: TrainTextRequest): Promise<TrainTextReply> {
  const controller = new AbortController();
  const port = request.port;
  port.on('message', (m: TrainCancelMessage) => {
    if (m.cancel) controller.abort();
  });
  let lastPost = 0;
  const progress: ProgressFn = (message, fraction, event) => {
    // Throttle status lines (a small dataset can run hundreds of steps a second); curve points and the final
    // evaluation always go out, so the panel's curves have every epoch.
    const now = Date.now();
    if (!event && now - lastPost < 150 && fraction < 1 && fraction > 0) return;
    lastPost = now;
    const msg: TrainProgressMessage = { message, fraction, event };
    port.postMessage(msg);
  };
  try {
    const tuning = { lr: request.lr, epochs: request.epochs };
    const problem = checkTrainRun({ recipe: request.recipe, encoder: request.encoder, tuning });
    if (problem) throw problem;
    const inputs = [request.dataFile, ...(request.encoder ? [request.encoder] : [])];
    recoverInterruptedWrites(request.out);
    checkOutputFolder(request.out, { replaceModel: request.replaceModel, inputs });
    const data = readLabelledTexts(request.dataFile);
    progress(`${data.texts.length} texts, ${data.labelNames.length} classes (${data.labelNames.join(', ')})`, 0);
    const result = await trainTextClassifier(
      data,
      {
        recipe: request.recipe,
        encoder: request.encoder,
        out: request.out,
        tuning,
        source: path.basename(request.dataFile),
        dataFile: request.dataFile,
        command: request.command,
        replaceModel: request.replaceModel,
        inputs,
      },
      progress,
      controller.signal,
    );
    return { ...result, completed: true };
  } catch (err) {
    if (isCancelled(err)) return { completed: false };
    throw err;
  } finally {
    port.close();
  }
}
