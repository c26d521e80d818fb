import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImageClassifier, readImageFile, type ClassificationOutcome } from '../vision/classifier';
import { occlusionSaliency, type OcclusionGrid } from '../vision/explain';
import { toErrorData } from '../common/errors';
import type { Subcommand } from './subcommand';
import { counted } from '../common/plural';

const USAGE = 'usage: model-lab classify-image [--model DIR|FILE] [--json] [--explain] FILE...';

/** The bundled digit model: models/mnist-cnn next to dist/ (bundle) or two levels up (sources via tsx). */
export function bundledImageModelDir(): string {
  const candidates = [path.join(__dirname, '..', 'models', 'mnist-cnn'), path.join(__dirname, '..', '..', 'models', 'mnist-cnn')];
  return candidates.find((p) => fs.existsSync(p)) ?? candidates[0];
}

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

/**
 * `model-lab classify-image`: label, score and top-3 per file, in the same process (no worker: nothing
 * else runs). Files that fail are reported one by one; the exit code is 1 when any failed.
 */
export const classifyImageSubcommand: Subcommand = {
  name: 'classify-image',
  summary: 'classify image files (PNG, JPEG, BMP, GIF) with the bundled digit model or --model',
  async run(args, io) {
    let model: string | undefined;
    let json = false;
    let explain = false;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--help' || a === '-h') {
        io.out(USAGE);
        io.out('  --model  a folder with model.onnx or model.json (default: the bundled models/mnist-cnn)');
        io.out('  --json   one JSON object per file on stdout');
        io.out('  --explain  occlusion saliency over the model\'s input: with --json, `saliency` is a grid (values[r][c] = probability');
        io.out('           of the label lost when that patch is hidden; patch and stride in input pixels)');
        return 0;
      }
      if (a === '--json') json = true;
      else if (a === '--explain') explain = true;
      else if (a === '--model') {
        model = args[++i];
        if (!model) {
          io.err('model-lab classify-image: --model needs a path');
          return 2;
        }
      } else if (a.startsWith('--model=')) model = a.slice('--model='.length);
      else if (a.startsWith('-') && a !== '-') {
        io.err(`model-lab classify-image: unknown option ${a}`);
        io.err(USAGE);
        return 2;
      } else files.push(a);
    }
    if (files.length === 0) {
      io.err(USAGE);
      return 2;
    }
    let classifier: ImageClassifier;
    try {
      classifier = await ImageClassifier.load(path.resolve(model ?? bundledImageModelDir()));
    } catch (err) {
      const e = toErrorData(err);
      io.err(`model-lab classify-image: ${e.message}`);
      return 1;
    }
    let failures = 0;
    // Batches keep memory bounded for long file lists while still batching inference.
    for (let i = 0; i < files.length; i += 32) {
      const outcomes: ClassificationOutcome[] = await classifier.classifyFiles(files.slice(i, i + 32).map((f) => path.resolve(f)));
      const saliency: (OcclusionGrid | undefined)[] = [];
      if (explain) {
        for (const [j, o] of outcomes.entries()) {
          if (!o.ok) continue;
          const file = path.resolve(files[i + j]);
          const prepared = await classifier.prepareBytes(await readImageFile(file), path.basename(file), file);
          saliency[j] = await occlusionSaliency(classifier, prepared.input);
        }
      }
      outcomes.forEach((o, j) => {
        const file = files[i + j];
        if (o.ok) {
          const r = o.result;
          if (json) {
            io.out(JSON.stringify({ file, label: r.label, score: r.score, top: r.top, notes: r.notes, timings: r.timings, model: r.model.name, ...(saliency[j] ? { saliency: saliency[j] } : {}) }));
          } else {
            const top = r.top.map((p) => `${p.label} ${pct(p.score)}`).join(', ');
            io.out(`${file}\t${r.label}\t${pct(r.score)}\t[${top}]${r.notes.length ? `\t(${r.notes.join('; ')})` : ''}`);
            const grid = saliency[j];
            if (grid) {
              io.out(`  occlusion saliency for "${grid.label}" (${grid.rows}×${grid.cols} grid of ${grid.patch} px patches, stride ${grid.stride}; probability lost when hidden, ${counted(grid.evaluations, 'run', 'runs')}, ${grid.elapsedMs.toFixed(0)} ms):`);
              const max = Math.max(1e-9, ...grid.values.flat().map(Math.abs));
              for (const row of grid.values) io.out('  ' + row.map((v) => ' .:-=+*#%@'[Math.min(9, Math.round((Math.max(0, v) / max) * 9))]).join(''));
            }
          }
        } else {
          failures++;
          if (json) io.out(JSON.stringify({ file, error: o.error.message, code: o.error.code }));
          io.err(`${file}: ${o.error.message}`);
        }
      });
    }
    await classifier.dispose();
    return failures > 0 ? 1 : 0;
  },
};
