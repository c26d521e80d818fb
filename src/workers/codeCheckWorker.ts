/**
 * Worker thread for quiz code exercises: transpiles and runs the user's TypeScript and checks it
 * (src/quiz/codeCheck.ts). The extension creates one worker per check and terminates it on timeout, so an
 * endless loop or a crash never reaches the extension host. Sucrase is bundled here, not into extension.js;
 * TensorFlow.js (cpu backend: the models are tiny) is the shared dist/workers/tfjs.js, loaded by loadTfjs().
 */
import { handle, serve } from '../common/workerServer';
import { loadTfjs } from '../common/tfjsBackend';
import { runCodeCheck } from '../quiz/codeCheck';
import { checkCodeExercise } from './codeCheckProtocol';

serve([
  handle(checkCodeExercise, async (request) => {
    const { tf } = await loadTfjs('cpu');
    return runCodeCheck(request, tf);
  }),
]);
