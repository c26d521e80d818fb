/**
 * Not a worker of its own: the TensorFlow.js model runner as a separate bundle (dist/workers/imageTfjs.js),
 * required by path from the image worker and the CLI only when the user's model is a tfjs `model.json`, so
 * the ONNX path never loads TensorFlow.js (src/vision/imageModel.ts `tfjsRunner`).
 */
export { loadTfjsModel } from '../vision/tfjsImageModel';
