import * as path from 'node:path';
import * as vscode from 'vscode';
import { WORKER_HEAP_MB, WorkerClient, type CancellationSignal } from '../common/workerClient';
import type { ModelLabContext } from '../context';
import { classifyImageFile, classifyImageFiles, classifyInk, describeImageModel, explainImageFile } from '../workers/imageProtocol';
import { localizeError, reportError } from './errorMessages';

/**
 * The extension side of the image worker: one worker per extension host (its model session stays cached
 * across commands), the model path from `modelLab.imageModel` or the bundled digit model, and localized
 * error messages. Shared by the classify-image, draw-a-digit and folder commands.
 */
export class ImageWorkerHost implements vscode.Disposable {
  private readonly client: WorkerClient;

  constructor(private readonly ctx: ModelLabContext) {
    this.client = new WorkerClient(path.join(ctx.extensionUri.fsPath, 'dist', 'workers', 'imageWorker.js'), { heapMb: WORKER_HEAP_MB.image, idleMs: () => ctx.config.workers.idleMinutes * 60_000 });
  }

  /** The model the user chose (`modelLab.imageModel`), else the bundled one. */
  modelPath(): string {
    return this.ctx.config.imageModelPath();
  }

  describeModel() {
    return this.client.call(describeImageModel, { model: this.modelPath() });
  }

  classifyFile(file: string) {
    return this.client.call(classifyImageFile, { model: this.modelPath(), file, preview: true });
  }

  /** Classifies the file and computes its occlusion grid (src/vision/explain.ts) in the worker. */
  explainFile(file: string, labelIndex?: number, cancel?: CancellationSignal) {
    return this.client.call(explainImageFile, { model: this.modelPath(), file, labelIndex }, { cancel });
  }

  classifyFiles(files: readonly string[], cancel?: CancellationSignal) {
    return this.client.call(classifyImageFiles, { model: this.modelPath(), files }, { cancel });
  }

  classifyInk(ink: Uint8Array, width: number, height: number) {
    return this.client.call(classifyInk, { model: this.modelPath(), ink, width, height }, { transfer: [ink.buffer as ArrayBuffer] });
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

/** An image or image-model error in the user's language. */
export function localizeImageError(err: unknown): string {
  return localizeError(err, 'Image classification failed: {0}');
}

/** Shows an image or image-model error and logs it. */
export function reportImageError(ctx: ModelLabContext, err: unknown): void {
  reportError(ctx, err, 'Image classification failed: {0}');
}
