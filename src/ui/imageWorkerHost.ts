import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkerClient, type CancellationSignal } from '../common/workerClient';
import type { ModelLabContext } from '../context';
import { visionErrorTemplates, type VisionErrorData } from '../vision/errors';
import type { ClassifyFileReply, ClassifyFilesReply, ClassifyInkReply, DescribeModelReply, ImageWorkerRequest } from '../vision/workerProtocol';

/**
 * The extension side of the image worker: one worker per extension host (its model session stays cached
 * across commands), the model path from `modelLab.imageModel` or the bundled digit model, and localized
 * error messages. Shared by the classify-image, draw-a-digit and folder commands.
 */
export class ImageWorkerHost implements vscode.Disposable {
  private readonly client: WorkerClient<ImageWorkerRequest>;

  constructor(private readonly ctx: ModelLabContext) {
    this.client = new WorkerClient<ImageWorkerRequest>(path.join(ctx.extensionUri.fsPath, 'dist', 'workers', 'imageWorker.js'));
  }

  /** The model the user chose (absolute, `~` expanded, relative to the first workspace folder), else the bundled one. */
  modelPath(): string {
    const configured = vscode.workspace.getConfiguration('modelLab').get<string>('imageModel', '').trim();
    if (!configured) return path.join(this.ctx.extensionUri.fsPath, 'models', 'mnist-cnn');
    const expanded = configured.startsWith('~') ? path.join(os.homedir(), configured.slice(1)) : configured;
    if (path.isAbsolute(expanded)) return expanded;
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? path.join(folder.uri.fsPath, expanded) : path.resolve(expanded);
  }

  describeModel(): Promise<DescribeModelReply> {
    return this.client.request<DescribeModelReply>({ type: 'describeModel', model: this.modelPath() });
  }

  classifyFile(file: string): Promise<ClassifyFileReply> {
    return this.client.request<ClassifyFileReply>({ type: 'classifyFile', model: this.modelPath(), file, preview: true });
  }

  classifyFiles(files: readonly string[], cancel?: CancellationSignal): Promise<ClassifyFilesReply> {
    return this.client.request<ClassifyFilesReply>({ type: 'classifyFiles', model: this.modelPath(), files }, [], cancel);
  }

  classifyInk(ink: Uint8Array, width: number, height: number): Promise<ClassifyInkReply> {
    return this.client.request<ClassifyInkReply>({ type: 'classifyInk', model: this.modelPath(), ink, width, height }, [ink.buffer as ArrayBuffer]);
  }

  dispose(): void {
    this.client.dispose();
  }
}

const hosts = new WeakMap<ModelLabContext, ImageWorkerHost>();

/** The extension's one ImageWorkerHost, created on first use and disposed with the extension. */
export function imageWorkerHost(ctx: ModelLabContext): ImageWorkerHost {
  let host = hosts.get(ctx);
  if (!host) {
    host = new ImageWorkerHost(ctx);
    hosts.set(ctx, host);
    ctx.extensionContext.subscriptions.push(host);
  }
  return host;
}

/** A vision error in the user's language (the English templates are keys of l10n/bundle.l10n.zh-cn.json). */
export function localizeVisionError(error: VisionErrorData): string {
  if (error.code === 'internal') return vscode.l10n.t('Image classification failed: {0}', error.message);
  return vscode.l10n.t(visionErrorTemplates[error.code], ...error.args);
}

/** Shows a vision error and logs it. */
export function reportVisionError(ctx: ModelLabContext, error: VisionErrorData): void {
  const message = localizeVisionError(error);
  ctx.log.error(error.message);
  void vscode.window.showErrorMessage(message);
}
