import * as path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { WORKER_HEAP_MB, WorkerClient } from '../common/workerClient';
import { trainText, type TrainProgressMessage, type TrainTextReply, type TrainTextRequest } from '../workers/trainProtocol';
import { checkTuning, MAX_EPOCHS, type TrainRecipe } from '../train/text/recipeOptions';
import type { TextTrainResult } from '../train/text/pipeline';
import { TrainingPanel } from '../ui/trainingPanel';
import { checkOutputFolder, OutputFolderError } from '../train/modelFolderOutput';
import { localizeError } from '../ui/errorMessages';
import { CommandId } from './commandIds';
import { plural } from '../common/plural';
import { workspacePath } from '../ui/workspacePath';

const DATA_EXTENSIONS = ['csv', 'tsv', 'tab', 'jsonl', 'ndjson'];
/** After asking the worker to stop, wait this long for it to clean up before terminating it. */
const CANCEL_GRACE_MS = 10_000;

/** The active editor's file when it is a CSV/TSV/JSONL on disk, else a file chosen in an open dialog. */
async function pickDataFile(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.scheme === 'file' && DATA_EXTENSIONS.includes(path.extname(active.uri.fsPath).slice(1).toLowerCase())) {
    if (active.isDirty) await active.save();
    return active.uri.fsPath;
  }
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Labelled texts to train on (CSV, TSV or JSONL with text and label columns)'),
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { [vscode.l10n.t('Labelled texts')]: DATA_EXTENSIONS },
  });
  return picked?.[0]?.fsPath;
}

async function pickRecipe(): Promise<TrainRecipe | undefined> {
  const items: (vscode.QuickPickItem & { recipe: TrainRecipe })[] = [
    { label: vscode.l10n.t('BERT-tiny from scratch'), detail: vscode.l10n.t('A small BERT (2 layers, hidden 32) trained on your data alone; fast, no other model needed.'), recipe: 'bert-tiny' },
    {
      label: vscode.l10n.t("Linear head on a frozen encoder (the article's recipe)"),
      detail: vscode.l10n.t('Adam (lr 1e-5) and cross-entropy on the features of an ONNX encoder you choose, such as bert-base-uncased.'),
      recipe: 'frozen-encoder',
    },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Training recipe'), ignoreFocusOut: true });
  return picked?.recipe;
}

/**
 * "Start training" with the defaults (which scale with the data), or "Advanced…": epochs and learning rate,
 * checked with the same table as the CLI. Undefined when the user backs out.
 */
async function pickTuning(recipe: TrainRecipe): Promise<{ epochs?: number; lr?: number } | undefined> {
  const defaults = vscode.l10n.t('Start training');
  const advanced = vscode.l10n.t('Advanced: epochs and learning rate…');
  const choice = await vscode.window.showQuickPick(
    [
      { label: defaults, detail: vscode.l10n.t('Defaults that fit the data: at least 300 optimisation steps, early stopping on a validation slice.') },
      { label: advanced, detail: vscode.l10n.t('Set the number of epochs (then exactly that many run) and the Adam learning rate.') },
    ],
    { title: vscode.l10n.t('Training settings'), ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  if (choice.label === defaults) return {};
  const number = (key: 'epochs' | 'lr', raw: string) => (raw.trim() === '' ? undefined : checkTuning(recipe, { [key]: Number(raw) }) ? NaN : Number(raw));
  const epochsText = await vscode.window.showInputBox({
    title: vscode.l10n.t('Epochs (passes over the training part)'),
    prompt: vscode.l10n.t('1 to {0}; leave empty to let the data decide, with early stopping.', MAX_EPOCHS),
    ignoreFocusOut: true,
    validateInput: (v) => (Number.isNaN(number('epochs', v)) ? vscode.l10n.t('Enter a whole number from 1 to {0}, or leave it empty.', MAX_EPOCHS) : undefined),
  });
  if (epochsText === undefined) return undefined;
  const lrText = await vscode.window.showInputBox({
    title: vscode.l10n.t('Learning rate (Adam)'),
    prompt:
      recipe === 'frozen-encoder'
        ? vscode.l10n.t('The article uses 1e-5; a larger rate (such as 1e-3) learns faster on small datasets.')
        : vscode.l10n.t('The default is 1e-3 for a BERT-tiny trained from scratch.'),
    value: recipe === 'frozen-encoder' ? '1e-5' : '1e-3',
    ignoreFocusOut: true,
    validateInput: (v) => (Number.isNaN(number('lr', v)) ? vscode.l10n.t('Enter a positive number such as 1e-5.') : undefined),
  });
  if (lrText === undefined) return undefined;
  return { epochs: number('epochs', epochsText), lr: number('lr', lrText) };
}

/** What to try when a model did not learn (the same advice as the CLI, translated). */
function notLearnedHints(reply: TextTrainResult): string[] {
  const hints: string[] = [];
  if (Math.min(...reply.evaluation.perClass.map((c) => c.support)) * 5 < 50) hints.push(vscode.l10n.t('Add labelled examples: a few dozen per class at least, more when classes differ subtly.'));
  hints.push(vscode.l10n.t('Check that the labels match the texts (a shuffled or noisy label column cannot be learned).'));
  if (reply.recipe === 'frozen-encoder' && reply.lr < 1e-4) hints.push(vscode.l10n.t("Raise the head's learning rate (Advanced, 1e-3): 1e-5 suits fine-tuning a whole encoder, not a head alone."));
  else hints.push(vscode.l10n.t('Train longer or try another learning rate (Advanced).'));
  if (reply.recipe === 'bert-tiny') hints.push(vscode.l10n.t('Or use the frozen-encoder recipe with a pre-trained encoder, which needs far fewer examples.'));
  return hints;
}


/**
 * "Model Lab: Train Text Classifier…" — trains a text classifier on a CSV/TSV/JSONL file in src/workers/trainWorker.ts
 * (never on the extension host), with cancellable progress, then offers to switch `modelLab.textModel` to it.
 */
export function registerTrainTextClassifierCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.Disposable.from(TrainingPanel.registerSerializer(ctx), vscode.commands.registerCommand(CommandId.trainTextClassifier, trainTextClassifier));

  async function trainTextClassifier(): Promise<void> {
    const dataFile = await pickDataFile();
    if (!dataFile) return;
    const recipe = await pickRecipe();
    if (!recipe) return;
    let encoder: string | undefined;
    if (recipe === 'frozen-encoder') {
      const picked = await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Encoder folder (model.onnx or onnx/model.onnx, vocab.txt or tokenizer.json, config.json)'),
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      encoder = picked?.[0]?.fsPath;
      if (!encoder) return;
    }
    const tuning = await pickTuning(recipe);
    if (!tuning) return;
    const { epochs, lr } = tuning;
    const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(dataFile);
    const dataName = path.basename(dataFile, path.extname(dataFile));
    const outInput = await vscode.window.showInputBox({
      title: vscode.l10n.t('Output model folder'),
      prompt: vscode.l10n.t('The trained model is written here (relative paths start at the workspace folder).'),
      value: path.join(base, 'models', `${dataName}-classifier`),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a folder path.')),
    });
    if (!outInput) return;
    const out = path.resolve(base, outInput.trim());
    // The same rules as the CLI: only a model folder is ever replaced, and only after the user says so.
    let replaceModel = false;
    try {
      const state = checkOutputFolder(out, { replaceModel: true, inputs: [dataFile, ...(encoder ? [encoder] : [])] });
      if (state.kind === 'model-folder') {
        const replace = vscode.l10n.t('Replace');
        const labels = state.labels.length ? state.labels.join(', ') : vscode.l10n.t('unknown');
        const answer = await vscode.window.showWarningMessage(
          plural(state.files, vscode.l10n.t('{0} already holds a model (labels: {1}; {2} file). Replace the whole folder with the new model when training finishes?', out, labels, state.files), vscode.l10n.t('{0} already holds a model (labels: {1}; {2} files). Replace the whole folder with the new model when training finishes?', out, labels, state.files)),
          { modal: true, detail: vscode.l10n.t('The old folder stays until the new model is completely written; if training fails or is cancelled, nothing changes.') },
          replace,
        );
        if (answer !== replace) return;
        replaceModel = true;
      }
    } catch (err) {
      if (err instanceof OutputFolderError) {
        ctx.log.warn(`train text classifier: ${err.message}`);
        void vscode.window.showErrorMessage(localizeError(err));
        return;
      }
      throw err;
    }

    ctx.log.info(`train text classifier: ${recipe} on ${dataFile}${encoder ? ` with encoder ${encoder}` : ''} → ${out}`);
    const panel = await TrainingPanel.start(ctx, vscode.l10n.t('Training: {0}', path.basename(dataFile)));
    const client = new WorkerClient(path.join(ctx.extensionUri.fsPath, 'dist', 'workers', 'trainWorker.js'), { heapMb: WORKER_HEAP_MB.train });
    let reply: TrainTextReply;
    let userCancelled = false;
    try {
      reply = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Training text classifier'), cancellable: true },
        async (progress, token) => {
          const channel = new MessageChannel();
          let reported = 0;
          channel.port1.on('message', (m: TrainProgressMessage) => {
            const increment = Math.max(0, m.fraction * 100 - reported);
            reported += increment;
            progress.report({ message: m.message, increment });
            panel.status(m.message, m.fraction);
            if (m.event?.kind === 'epoch') panel.epoch(m.event.point);
            ctx.log.info(`train text classifier: ${m.message}`);
          });
          let grace: NodeJS.Timeout | undefined;
          const cancelled = token.onCancellationRequested(() => {
            userCancelled = true;
            // Ask the worker to stop between batches (it then removes its temporary folder); terminate if it hangs.
            channel.port1.postMessage({ cancel: true });
            progress.report({ message: vscode.l10n.t('Cancelling…') });
            grace = setTimeout(() => client.terminate(new Error(vscode.l10n.t('Training was cancelled.'))), CANCEL_GRACE_MS);
          });
          try {
            const request: TrainTextRequest = { dataFile, out, recipe, encoder, lr, epochs, replaceModel, command: `Model Lab: Train Text Classifier (${recipe})`, port: channel.port2 };
            return await client.call(trainText, request, { transfer: [channel.port2] });
          } finally {
            cancelled.dispose();
            if (grace) clearTimeout(grace);
            channel.port1.close();
          }
        },
      );
    } catch (err) {
      if (userCancelled) {
        ctx.log.info('train text classifier: cancelled (worker stopped)');
        panel.stopped('cancelled', vscode.l10n.t('Training was cancelled; nothing was written.'));
        void vscode.window.showInformationMessage(vscode.l10n.t('Training was cancelled; nothing was written.'));
        return;
      }
      const text = (err instanceof Error ? err.message : String(err)).trim();
      ctx.log.error(`train text classifier failed: ${text}`);
      panel.stopped('failed', vscode.l10n.t('Training failed: {0}', localizeError(err)));
      void vscode.window.showErrorMessage(vscode.l10n.t('Training failed: {0}', localizeError(err)));
      return;
    } finally {
      client.dispose();
    }
    if (!reply.completed) {
      ctx.log.info('train text classifier: cancelled; nothing was written');
      panel.stopped('cancelled', vscode.l10n.t('Training was cancelled; nothing was written.'));
      void vscode.window.showInformationMessage(vscode.l10n.t('Training was cancelled; nothing was written.'));
      return;
    }
    const learned = reply.verdict.learned;
    const summary = vscode.l10n.t(
      'Trained {0}: held-out accuracy {1} %, macro F1 {2} ({3} held-out texts, {4} training texts, {5} s).',
      workspacePath(reply.out).text,
      (100 * reply.heldOutAccuracy).toFixed(2),
      reply.heldOutMacroF1.toFixed(4),
      reply.heldOut,
      reply.train,
      reply.seconds.toFixed(0),
    );
    const hints = learned ? [] : notLearnedHints(reply);
    panel.done({
      labels: reply.evaluation.labels,
      confusion: reply.evaluation.confusion,
      perClass: reply.evaluation.perClass,
      accuracy: reply.evaluation.accuracy,
      macroF1: reply.evaluation.macroF1,
      heldOut: reply.heldOut,
      baselineLabel: reply.baseline.label,
      baselineAccuracy: reply.baseline.accuracy,
      learned,
      summary,
      hints,
    });
    ctx.log.info(`train text classifier: ${summary} → ${reply.out}${learned ? '' : ' (did not learn)'}`);
    const use = vscode.l10n.t('Use this model');
    const choice = learned
      ? await vscode.window.showInformationMessage(summary, use)
      : await vscode.window.showWarningMessage(
          vscode.l10n.t('The model did not learn: held-out accuracy {0} % and macro F1 {1} are not clearly above chance and always answering "{2}" ({3} %). {4}', (100 * reply.heldOutAccuracy).toFixed(1), reply.heldOutMacroF1.toFixed(3), reply.baseline.label, (100 * reply.baseline.accuracy).toFixed(1), hints.join(' ')),
          use,
        );
    if (choice !== use) return;
    if (!learned) {
      // A model that did not learn is never set in one click.
      const anyway = vscode.l10n.t('Use it anyway');
      const confirm = await vscode.window.showWarningMessage(
        vscode.l10n.t('Use a model that did not learn?'),
        { modal: true, detail: vscode.l10n.t('Its answers are no better than guessing on the held-out texts. Classification would use it for every text until you change modelLab.textModel again.') },
        anyway,
      );
      if (confirm !== anyway) return;
    }
    const { value, previous: before, scope } = await ctx.config.setTextModel(reply.out);
    ctx.log.info(`modelLab.textModel set to ${value} (was ${before || 'the bundled model'})`);
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'modelLab.textModel (in the {0}) is now {1} (was {2}); text classification uses the new model from the next run.',
        scope === 'workspace' ? vscode.l10n.t('workspace settings') : vscode.l10n.t('user settings'),
        value,
        before || vscode.l10n.t('the bundled model'),
      ),
    );
  }
}
