import * as path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { ModelLabContext } from '../context';
import { WorkerClient } from '../common/workerClient';
import { trainText, type TrainProgressMessage, type TrainTextReply, type TrainTextRequest } from '../workers/trainProtocol';
import type { TrainRecipe } from '../train/text/recipeOptions';
import { checkOutputFolder, OutputFolderError } from '../train/modelFolderOutput';
import { localizeError } from '../ui/errorMessages';
import { CommandId } from './commandIds';

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

/** The refusal of an output folder as a translated sentence (the core's message is English, for the log). */
function outputFolderProblem(err: OutputFolderError, out: string): string {
  switch (err.code) {
    case 'is-file':
      return vscode.l10n.t('{0} is a file, not a folder; Model Lab never replaces it. Choose a folder path for the model.', out);
    case 'is-symlink':
      return vscode.l10n.t("{0} is a symbolic link; Model Lab does not replace links. Enter the folder's real path or another folder.", out);
    case 'not-a-model-folder':
      return vscode.l10n.t('{0} is not empty and holds no model (config.json and model.onnx); Model Lab never replaces it. Choose a new or empty folder.', out);
    case 'contains-input':
      return vscode.l10n.t('{0} contains the data or the encoder this training reads; replacing it would delete them. Choose another output folder.', out);
    case 'virtual-file-system':
      return vscode.l10n.t('{0} is on a virtual file system where files cannot be stored; choose a folder on a disk.', out);
    default:
      return vscode.l10n.t('{0} cannot be created there (the folder above it is missing, is a file, or is not writable); choose another output folder.', out);
  }
}

/**
 * "Model Lab: Train Text Classifier…" — trains a text classifier on a CSV/TSV/JSONL file in src/workers/trainWorker.ts
 * (never on the extension host), with cancellable progress, then offers to switch `modelLab.textModel` to it.
 */
export function registerTrainTextClassifierCommand(ctx: ModelLabContext): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.trainTextClassifier, async () => {
    const dataFile = await pickDataFile();
    if (!dataFile) return;
    const recipe = await pickRecipe();
    if (!recipe) return;
    let encoder: string | undefined;
    let lr: number | undefined;
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
      const lrText = await vscode.window.showInputBox({
        title: vscode.l10n.t('Learning rate of the linear head (Adam)'),
        prompt: vscode.l10n.t("The article uses 1e-5; a larger rate (such as 1e-3) learns faster on small datasets."),
        value: '1e-5',
        ignoreFocusOut: true,
        validateInput: (v) => (Number.isFinite(Number(v)) && Number(v) > 0 && Number(v) < 10 ? undefined : vscode.l10n.t('Enter a positive number such as 1e-5.')),
      });
      if (!lrText) return;
      lr = Number(lrText);
    }
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
          vscode.l10n.t('{0} already holds a model (labels: {1}; {2} files). Replace the whole folder with the new model when training finishes?', out, labels, state.files),
          { modal: true, detail: vscode.l10n.t('The old folder stays until the new model is completely written; if training fails or is cancelled, nothing changes.') },
          replace,
        );
        if (answer !== replace) return;
        replaceModel = true;
      }
    } catch (err) {
      if (err instanceof OutputFolderError) {
        ctx.log.warn(`train text classifier: ${err.message}`);
        void vscode.window.showErrorMessage(outputFolderProblem(err, out));
        return;
      }
      throw err;
    }

    ctx.log.info(`train text classifier: ${recipe} on ${dataFile}${encoder ? ` with encoder ${encoder}` : ''} → ${out}`);
    const client = new WorkerClient(path.join(ctx.extensionUri.fsPath, 'dist', 'workers', 'trainWorker.js'));
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
            const request: TrainTextRequest = { dataFile, out, recipe, encoder, lr, replaceModel, command: `Model Lab: Train Text Classifier (${recipe})`, port: channel.port2 };
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
        void vscode.window.showInformationMessage(vscode.l10n.t('Training was cancelled; nothing was written.'));
        return;
      }
      const text = (err instanceof Error ? err.message : String(err)).trim();
      ctx.log.error(`train text classifier failed: ${text}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Training failed: {0}', localizeError(err)));
      return;
    } finally {
      client.dispose();
    }
    if (!reply.completed) {
      ctx.log.info('train text classifier: cancelled; nothing was written');
      void vscode.window.showInformationMessage(vscode.l10n.t('Training was cancelled; nothing was written.'));
      return;
    }
    const summary = vscode.l10n.t(
      'Trained {0}: held-out accuracy {1} %, macro F1 {2} ({3} validation texts, {4} training texts, {5} s).',
      path.basename(reply.out),
      (100 * reply.heldOutAccuracy).toFixed(2),
      reply.heldOutMacroF1.toFixed(4),
      reply.heldOut,
      reply.train,
      reply.seconds.toFixed(0),
    );
    ctx.log.info(`train text classifier: ${summary} → ${reply.out}`);
    const use = vscode.l10n.t('Use this model');
    const choice = await vscode.window.showInformationMessage(summary, use);
    if (choice === use) {
      const value = await ctx.config.setTextModel(reply.out);
      ctx.log.info(`modelLab.textModel set to ${value}`);
    }
  });
}
