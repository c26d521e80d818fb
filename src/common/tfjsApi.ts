/**
 * The TensorFlow.js API Model Lab ships: tfjs-core (tensors, ops, gradients, optimizers, `tf.io`) and
 * tfjs-layers (the Keras-style `tf.sequential`, `tf.layers.*`, `tf.loadLayersModel`) under the names
 * `import * as tf from '@tensorflow/tfjs'` gives them. The umbrella package's other parts — tfjs-converter
 * (graph models), tfjs-data and the WebGL backend — are left out: nothing here uses them, and they made
 * every bundle that loaded tfjs 0.4 MB larger.
 *
 * Only `import type` this module outside src/common/tfjsRuntime.ts: at run time the API comes from
 * `loadTfjs()` (tfjsBackend.ts), so the bundles share one copy of it.
 */
import { version_core } from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';

/** The umbrella package's `tf.version` for the parts shipped; `tfjs` is the release (all parts are 4.22.0). */
export const version: { readonly tfjs: string; readonly [part: string]: string } = {
  'tfjs-core': version_core,
  'tfjs-layers': version_layers,
  tfjs: version_core,
};
