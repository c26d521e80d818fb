/**
 * Worker thread for "Model Lab: Train Text Classifier…": reads the data file, trains with the chosen recipe and
 * writes the model folder, so neither tfjs training nor the frozen encoder's ONNX runs ever block the extension
 * host. Progress goes out on the request's MessagePort; a `{ cancel: true }` on that port aborts between batches.
 */
import * as path from 'node:path';
import { handle, serve } from '../common/workerServer';
import { trainFrozenEncoderHead } from '../train/text/frozenEncoderRecipe';
import { trainTextClassifierFromScratch, TrainingCancelledError } from '../train/text/trainUserText';
import { readLabelledTexts } from '../train/text/userData';
import { checkOutputFolder, recoverInterruptedWrites } from '../train/modelFolderOutput';
import { checkTuning, isTrainRecipe } from '../train/text/recipeOptions';
import { trainText, type TrainCancelMessage, type TrainProgressMessage, type TrainTextReply, type TrainTextRequest } from './trainProtocol';

serve([handle(trainText, train)]);

async function train(request: TrainTextRequest): Promise<TrainTextReply> {
  const controller = new AbortController();
  const port = request.port;
  port.on('message', (m: TrainCancelMessage) => {
    if (m.cancel) controller.abort();
  });
  let lastPost = 0;
  const progress = (message: string, fraction: number) => {
    // Throttle: a small dataset can run hundreds of steps a second; the notification needs a few updates a second.
    const now = Date.now();
    if (now - lastPost < 150 && fraction < 1 && fraction > 0) return;
    lastPost = now;
    const msg: TrainProgressMessage = { message, fraction };
    port.postMessage(msg);
  };
  try {
    if (!isTrainRecipe(request.recipe)) throw new Error(`Unknown training recipe "${String(request.recipe)}".`);
    if (request.recipe === 'frozen-encoder' && !request.encoder) throw new Error('The frozen-encoder recipe needs an encoder folder (a Hugging Face ONNX export such as bert-base-uncased).');
    const problem = checkTuning(request.recipe, { lr: request.lr, epochs: request.epochs });
    if (problem) throw new Error(problem);
    const inputs = [request.dataFile, ...(request.encoder ? [request.encoder] : [])];
    recoverInterruptedWrites(request.out);
    checkOutputFolder(request.out, { replaceModel: request.replaceModel, inputs });
    const data = readLabelledTexts(request.dataFile);
    progress(`${data.texts.length} texts, ${data.labelNames.length} classes (${data.labelNames.join(', ')})`, 0);
    const source = path.basename(request.dataFile);
    const result =
      request.recipe === 'frozen-encoder'
        ? await trainFrozenEncoderHead(data, { encoder: request.encoder ?? '', out: request.out, source, command: request.command, lr: request.lr, epochs: request.epochs, replaceModel: request.replaceModel, inputs }, progress, controller.signal)
        : await trainTextClassifierFromScratch(data, { out: request.out, source, lr: request.lr, epochs: request.epochs, replaceModel: request.replaceModel, inputs }, progress, controller.signal);
    return { out: result.out, heldOutAccuracy: result.heldOutAccuracy, heldOutMacroF1: result.heldOutMacroF1, heldOut: result.heldOut, train: result.train, seconds: result.seconds, completed: true };
  } catch (err) {
    if (err instanceof TrainingCancelledError) return { out: request.out, heldOutAccuracy: NaN, heldOutMacroF1: NaN, heldOut: 0, train: 0, seconds: 0, completed: false };
    throw err;
  } finally {
    port.close();
  }
}
