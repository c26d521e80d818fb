/**
 * The pure-JS TensorFlow.js runtime, bundled once as dist/workers/tfjs.js: scripts/build.mjs turns every
 * other bundle's import of this module into a `require()` of that file, so the workers and the CLI share one
 * copy instead of each embedding its own. Importing it registers the `cpu` and `wasm` backends; choose one
 * through `loadTfjs()` (tfjsBackend.ts), the only module that imports this one.
 */
import '@tensorflow/tfjs-backend-cpu';
// The chained-op methods (`t.expandDims()`, `t.sum()`, …) and every op's gradient: the @tensorflow/tfjs umbrella
// registers these, tfjs-core's entry point does not.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * as tf from './tfjsApi';
// Importing tfjs-backend-wasm registers the 'wasm' backend; its .wasm files are found via setWasmPaths.
export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
