import * as path from 'node:path';
import { DataFileError } from '../train/text/userData';
import { readLabelledData, modelKindOf, kindMismatchMessage, type LabelledImage, type LabelledText } from '../eval/labelledData';
import { evaluateExamples, type EvaluationOutcome, type ExamplePrediction } from '../eval/evaluate';
import { evaluationToCsv, evaluationToJson, formatEvaluation } from '../eval/exportReport';
import { ImageClassifier } from '../vision/classifier';
import { loadTextModel } from '../text/onnxTextClassifier';
import { bundledImageModelDir } from './classifyImageSubcommand';
import { defaultTextModelDir } from './classifyTextSubcommand';
import { parseArgs, UsageError } from './cliArgs';
import type { Subcommand } from './subcommand';
import * as fs from 'node:fs';

const USAGE = 'usage: model-lab eval --data PATH [--model DIR] [--json] [--csv FILE] [--json-out FILE]';

const HELP = [
  USAGE,
  '',
  '  --data PATH     images: a folder of sub-folders named by label, or a CSV with path,label;',
  '                  texts: CSV / TSV / JSONL with text,label (the train-text formats)',
  '  --model DIR     the model folder (default: the bundled digit model for images, the bundled spam model for texts)',
  '  --json          print the whole evaluation as JSON (report, confusion-matrix cells with their examples)',
  '  --csv FILE      also write the CSV export (per-class metrics, confusion matrix, mistakes)',
  '  --json-out FILE also write the JSON export',
  '',
  'Prints accuracy, per-class precision / recall / F1 / support, macro F1, the confusion matrix,',
  'expected calibration error and the most confident mistakes. Exit codes: 0 evaluated, 1 bad data or model, 2 usage.',
].join('\n');

async function evaluateImages(modelDir: string, examples: readonly LabelledImage[], onProgress: (d: number, t: number) => void): Promise<{ model: string; outcome: EvaluationOutcome }> {
  const classifier = await ImageClassifier.load(modelDir);
  try {
    const outcome = await evaluateExamples({
      examples,
      labelOf: (e) => e.label,
      refOf: (e) => e.ref,
      modelLabels: classifier.info.labels,
      onProgress,
      predict: async (batch) =>
        (await classifier.classifyFiles(batch.map((e) => e.file))).map((o): ExamplePrediction => (o.ok ? { ok: true, label: o.result.label, confidence: o.result.score } : { ok: false, message: o.error.message })),
    });
    return { model: classifier.info.name, outcome };
  } finally {
    await classifier.dispose();
  }
}

async function evaluateTexts(modelDir: string, examples: readonly LabelledText[], onProgress: (d: number, t: number) => void): Promise<{ model: string; outcome: EvaluationOutcome }> {
  const classifier = await loadTextModel(modelDir);
  try {
    const outcome = await evaluateExamples({
      examples,
      labelOf: (e) => e.label,
      refOf: (e) => e.ref,
      modelLabels: classifier.labels,
      onProgress,
      predict: async (batch) => {
        const out: ExamplePrediction[] = [];
        for (const e of batch) {
          try {
            const r = await classifier.classify(e.text);
            out.push({ ok: true, label: r.label, confidence: r.probability });
          } catch (err) {
            out.push({ ok: false, message: err instanceof Error ? err.message : String(err) });
          }
        }
        return out;
      },
    });
    return { model: classifier.summary.name, outcome };
  } finally {
    await classifier.dispose();
  }
}

/** `model-lab eval`: a model against labelled data, in this process. */
export const evalSubcommand: Subcommand = {
  name: 'eval',
  summary: 'evaluate a model on labelled images or texts: accuracy, per-class metrics, confusion matrix, calibration',
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs(args, { flags: ['help', 'json'], options: ['data', 'model', 'csv', 'json-out'] });
      if (parsed.flags.has('help')) {
        io.out(HELP);
        return 0;
      }
      if (!parsed.options.get('data')) throw new UsageError('--data PATH is required');
      if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      io.err(`model-lab eval: ${err.message}`);
      io.err(USAGE);
      return 2;
    }
    const dataPath = path.resolve(parsed.options.get('data')!);
    let data;
    try {
      data = await readLabelledData(dataPath);
    } catch (err) {
      if (!(err instanceof DataFileError)) throw err;
      io.err(`model-lab eval: ${err.message}`);
      return 1;
    }
    const modelDir = path.resolve(parsed.options.get('model') ?? (data.kind === 'images' ? bundledImageModelDir() : defaultTextModelDir()));
    if (modelKindOf(modelDir) !== data.kind) {
      io.err(`model-lab eval: ${kindMismatchMessage(dataPath, data.kind, modelDir)}`);
      return 1;
    }
    let lastShown = 0;
    const onProgress = (done: number, total: number) => {
      if (!parsed.flags.has('json') && done - lastShown >= 500 && done < total) {
        lastShown = done;
        io.err(`${done} / ${total}`);
      }
    };
    let result: { model: string; outcome: EvaluationOutcome };
    try {
      result = data.kind === 'images' ? await evaluateImages(modelDir, data.examples, onProgress) : await evaluateTexts(modelDir, data.examples, onProgress);
    } catch (err) {
      io.err(`model-lab eval: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    const file = { model: result.model, data: dataPath, outcome: result.outcome };
    if (parsed.options.has('csv')) fs.writeFileSync(parsed.options.get('csv')!, evaluationToCsv(file));
    if (parsed.options.has('json-out')) fs.writeFileSync(parsed.options.get('json-out')!, evaluationToJson(file));
    if (parsed.flags.has('json')) io.out(JSON.stringify({ model: file.model, modelDir, data: dataPath, kind: data.kind, ...result.outcome }));
    else for (const line of formatEvaluation(file)) io.out(line);
    return 0;
  },
};
