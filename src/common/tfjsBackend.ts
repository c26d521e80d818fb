/**
 * Picks the best TensorFlow.js backend that loads on this machine: the native `tensorflow` backend from
 * the optional `@tensorflow/tfjs-node` package (absent when its install script could not download
 * libtensorflow, as on offline machines), then `wasm`, then the pure-JS `cpu` backend.
 *
 * No `vscode` import: used by workers, the CLI and the training scripts alike.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import type * as tfjsRuntime from './tfjsRuntime';

export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** The TensorFlow.js API every backend provides here: tfjs-core + tfjs-layers (see tfjsApi.ts). */
export type Tfjs = typeof import('./tfjsApi');

export interface TfjsRuntime {
  readonly tf: Tfjs;
  readonly backend: TfjsBackendName;
  /** Why better backends were skipped, for the log. */
  readonly skipped: readonly string[];
}

let cached: Promise<TfjsRuntime> | undefined;

/** Directory holding tfjs-backend-wasm's .wasm files: dist/wasm in a bundle, the package's dist in dev. */
export function findWasmDir(startDir: string = __dirname): string | undefined {
  const candidates = [
    path.join(startDir, 'wasm'),
    path.join(startDir, '..', 'wasm'),
    path.join(startDir, '..', 'dist', 'wasm'),
    path.join(startDir, '..', '..', 'dist', 'wasm'),
  ];
  try {
    candidates.push(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')));
  } catch {
    // not resolvable from a bundle; the dist/wasm candidates cover that case
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'tfjs-backend-wasm.wasm')));
}

/**
 * Loads tfjs once and selects a backend. `prefer` forces one (for benchmarks and tests); otherwise the
 * order is tensorflow → wasm → cpu.
 */
export function loadTfjs(prefer?: TfjsBackendName): Promise<TfjsRuntime> {
  if (!prefer) {
    cached ??= selectBackend(undefined);
    return cached;
  }
  return selectBackend(prefer);
}

async function selectBackend(prefer: TfjsBackendName | undefined): Promise<TfjsRuntime> {
  const skipped: string[] = [];
  const order: TfjsBackendName[] = prefer ? [prefer] : ['tensorflow', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      if (name === 'tensorflow') {
        // Registers the native backend as a side effect and re-exports the whole tfjs API (a superset of Tfjs).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const tfnode = require('@tensorflow/tfjs-node') as Tfjs;
        await tfnode.setBackend('tensorflow');
        await tfnode.ready();
        return { tf: tfnode, backend: 'tensorflow', skipped };
      }
      // In the bundles this is a require() of the shared dist/workers/tfjs.js (see scripts/build.mjs).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { tf, setWasmPaths } = require('./tfjsRuntime') as typeof tfjsRuntime;
      if (name === 'wasm') {
        const dir = findWasmDir();
        if (!dir) throw new Error('tfjs-backend-wasm .wasm files not found');
        setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
      }
      if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
      await tf.ready();
      return { tf, backend: name, skipped };
    } catch (err) {
      skipped.push(`${name}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could be loaded (${skipped.join('; ')})`);
}

/** One line for the log: which backend runs and why the better ones did not. */
export function describeTfjsRuntime(rt: TfjsRuntime): string {
  const why = rt.skipped.length ? ` (skipped ${rt.skipped.join('; ')})` : '';
  return `TensorFlow.js backend: ${rt.backend}${why}`;
}
