/**
 * Loads product code the way the extension runs it: bundled by esbuild into one CommonJS file (the build
 * does the same for the workers). Running the TypeScript through tsx instead compiles every file to its own
 * CommonJS module, which turns each read of an imported constant into a getter call: measured ~0.7 ms of
 * 2.6 ms for a 512-px PNG end to end. The benchmarks time what users run.
 */
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const repoRoot = path.resolve(__dirname, '..', '..');

/** Bundles `entry` (relative to the repository) into dist/bench/<name>.js and requires it. */
export function requireBundled<T>(entry: string, name: string): T {
  const outfile = path.join(repoRoot, 'dist', 'bench', `${name}.js`);
  esbuild.buildSync({
    entryPoints: [path.join(repoRoot, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    // Native and TensorFlow.js packages load from node_modules, as in the extension's worker bundles.
    external: ['onnxruntime-node', '@tensorflow/*'],
    logLevel: 'error',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a bundle built just now, by path
  return require(outfile) as T;
}

export type VisionBundle = typeof import('./visionEntry');

export function loadVisionBundle(): VisionBundle {
  return requireBundled<VisionBundle>('bench/lib/visionEntry.ts', 'vision');
}

export type TextBundle = typeof import('./textEntry');

export function loadTextBundle(): TextBundle {
  return requireBundled<TextBundle>('bench/lib/textEntry.ts', 'text');
}
