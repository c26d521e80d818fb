import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { displayLabel, readModelScope } from '../common/modelScope';
import type { ExampleRef } from '../common/classificationMetrics';
import { isCancelled } from '../common/errors';
import { WorkerCancelledError } from '../common/workerClient';
import type { ModelLabContext } from '../context';
import { evaluateExamples, type EvaluationOutcome, type ExamplePrediction } from '../eval/evaluate';
import { kindMismatchMessage, modelKindOf, readLabelledData, type LabelledData } from '../eval/labelledData';
import { DataFileError } from '../train/text/userData';
import { EvalResultPanel } from '../ui/evalResultPanel';
import { localizeError } from '../ui/errorMessages';
import { imageWorkerHost } from '../ui/imageWorkerHost';
import { textClassifierHost } from '../ui/textClassifierHost';
import { CommandId } from './commandIds';
import { plural } from '../common/plural';

/** Examples per worker request: batched inference, smooth progress, quick cancel (as the folder command). */
const BATCH_SIZE = 32;

async function pickData(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: vscode.l10n.t('Evaluate'),
    title: vscode.l10n.t('Choose labelled data: a folder of images in label-named sub-folders, a CSV with path,label, or a CSV / TSV / JSONL with text,label'),
  });
  return picked?.[0];
}

/**
 * "Model Lab: Evaluate Model on Labelled Data…" — runs the configured image or text model (by the kind of
 * data) over every example through the worker, behind a cancellable progress bar, and shows the metrics panel.
 */
export function registerEvaluateModelCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.evaluateModel, async (arg?: unknown) => {
    const uri = await pickData(arg);
    if (!uri) return;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Model Lab can only evaluate data on this computer\'s disk; {0} is not a local file or folder.', uri.toString()));
      return;
    }
    let data: LabelledData;
    try {
      data = await readLabelledData(uri.fsPath);
    } catch (err) {
      if (!(err instanceof DataFileError)) throw err;
      ctx.log.error(err.message);
      void vscode.window.showErrorMessage(vscode.l10n.t('Model Lab cannot evaluate on {0}: {1}', path.basename(uri.fsPath), err.message));
      return;
    }
    const images = imageWorkerHost(ctx);
    const texts = textClassifierHost(ctx);
    const modelDir = data.kind === 'images' ? images.modelPath() : texts.modelDir();
    if (modelKindOf(modelDir) !== data.kind) {
      void vscode.window.showErrorMessage(kindMismatchMessage(data.source, data.kind, modelDir));
      return;
    }
    const { block } = readModelScope(isDirectory(modelDir) ? modelDir : path.dirname(modelDir));
    const shown = (label: string) => displayLabel(block, label, vscode.env.language);

    let modelLabels: readonly string[] = [];
    let modelName = path.basename(modelDir);
    try {
      if (data.kind === 'images') {
        const summary = await images.describeModel();
        modelLabels = summary.labels;
        modelName = summary.name;
      } else {
        const first = await texts.classifyTexts([data.examples[0].text]);
        modelLabels = first.results[0].labels.map((l) => l.label);
        modelName = first.results[0].model.name;
      }
    } catch (err) {
      ctx.log.error(`Evaluation: the model ${modelDir} could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Model Lab could not load the model {0}: {1}', modelDir, localizeError(err)));
      return;
    }

    let outcome: EvaluationOutcome | undefined;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: plural(data.examples.length, vscode.l10n.t('Evaluating {0} on {1} example', modelName, data.examples.length), vscode.l10n.t('Evaluating {0} on {1} examples', modelName, data.examples.length)), cancellable: true },
        async (progress, token) => {
          let reported = 0;
          const onProgress = (done: number, total: number) => {
            progress.report({ increment: ((done - reported) / total) * 100, message: `${done} / ${total}` });
            reported = done;
          };
          // Checked between batches (a batch takes well under a second), so a cancelled run keeps and shows what it has.
          const isCancelled = () => token.isCancellationRequested;
          // Every example kind carries its label and its place in the data file.
          const common = { labelOf: (e: { label: string }) => e.label, refOf: (e: { ref: ExampleRef }) => e.ref, modelLabels, batchSize: BATCH_SIZE, onProgress, isCancelled };
          if (data.kind === 'images') {
            return evaluateExamples({
              ...common,
              examples: data.examples,
              predict: async (batch) => {
                const reply = await images.classifyFiles(batch.map((e) => e.file));
                return reply.outcomes.map((o): ExamplePrediction => (o.ok ? { ok: true, label: o.result.label, confidence: o.result.score } : { ok: false, message: o.error.message }));
              },
            });
          }
          return evaluateExamples({
            ...common,
            examples: data.examples,
            predict: async (batch) => (await texts.classifyTexts(batch.map((e) => e.text))).results.map((r): ExamplePrediction => ({ ok: true, label: r.label, confidence: r.probability })),
          });
        },
      );
    } catch (err) {
      if (!(err instanceof WorkerCancelledError) && !isCancelled(err)) {
        ctx.log.error(`Evaluation of ${modelDir} on ${data.source} failed: ${err instanceof Error ? err.message : String(err)}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('The evaluation failed: {0}', localizeError(err)));
        return;
      }
      ctx.log.info('Evaluation cancelled by the user before any result.');
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Model Lab: evaluation cancelled.'), 5000);
      return;
    }
    const r = outcome.report;
    for (const f of r.failures) ctx.log.warn(`Evaluation: ${f.ref.file}${f.ref.line ? `:${f.ref.line}` : ''}: ${f.message}`);
    ctx.log.info(`Evaluated ${modelName} on ${data.source}: ${r.count} examples, accuracy ${(100 * r.accuracy).toFixed(2)} %, macro F1 ${r.macroF1.toFixed(4)}, ECE ${r.expectedCalibrationError.toFixed(4)}${outcome.cancelled ? ' (cancelled)' : ''} in ${outcome.elapsedMs.toFixed(0)} ms`);
    EvalResultPanel.show(ctx, { data: data.source, model: modelName, kind: data.kind, outcome, shown });
  });
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
