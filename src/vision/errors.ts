/**
 * Errors a user can cause with an image or a model, each with a sentence that says what to do next.
 * No `vscode` import: the extension localizes `template` with `vscode.l10n.t(template, ...args)`, the CLI
 * prints `message` (the English text with the arguments filled in).
 */

export type VisionErrorCode =
  | 'empty'
  | 'notImage'
  | 'unsupportedFormat'
  | 'webpUnsupported'
  | 'truncated'
  | 'corrupt'
  | 'tooLarge'
  | 'blank'
  | 'unreadable'
  | 'modelMissing'
  | 'modelCorrupt'
  | 'modelInput';

/** English templates; `{0}`, `{1}`… are filled from `args`. Also the keys of l10n/bundle.l10n.zh-cn.json. */
export const visionErrorTemplates: Record<VisionErrorCode, string> = {
  empty: 'The file {0} is empty (0 bytes). Choose a PNG, JPEG, BMP, GIF or WebP image.',
  notImage: 'The file {0} is not an image Model Lab can read. Choose a PNG, JPEG, BMP, GIF or WebP image.',
  unsupportedFormat: 'The file {0} is a {1} image, which Model Lab cannot decode. Convert it to PNG and try again.',
  webpUnsupported: 'The file {0} is a WebP image, which Model Lab cannot decode. Convert it to PNG and try again.',
  truncated: 'The image {0} is truncated (the file ends early). Save or download it again.',
  corrupt: 'The image {0} is damaged and cannot be decoded ({1}). Save it again or export it as PNG.',
  tooLarge: 'The image {0} is {1} × {2} pixels ({3} megapixels), more than the 50-megapixel limit. Scale it down and try again.',
  blank: 'The image {0} is a single flat colour, so there is nothing to classify. Choose an image with a visible subject.',
  unreadable: 'Could not read {0}: {1}',
  modelMissing: 'No image model was found at {0}. Point the setting modelLab.imageModel to a folder with model.onnx or model.json, or clear it to use the bundled digit model.',
  modelCorrupt: 'The image model at {0} could not be loaded ({1}). Re-export the model or clear modelLab.imageModel to use the bundled digit model.',
  modelInput: 'The image model at {0} has an input Model Lab cannot feed ({1}). Image models need one float32 input shaped [batch, height, width, channels] or [batch, channels, height, width] with 1 or 3 channels.',
};

export class VisionError extends Error {
  constructor(
    readonly code: VisionErrorCode,
    readonly args: readonly string[],
  ) {
    super(formatTemplate(visionErrorTemplates[code], args));
    this.name = 'VisionError';
  }

  get template(): string {
    return visionErrorTemplates[this.code];
  }
}

export function formatTemplate(template: string, args: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

/** A VisionError as plain data, so it crosses the worker boundary and can be localized on the other side. */
export interface VisionErrorData {
  readonly code: VisionErrorCode | 'internal';
  readonly args: readonly string[];
  readonly message: string;
}

export function toVisionErrorData(err: unknown): VisionErrorData {
  // By shape, not instanceof: the tfjs runner is a separate bundle with its own copy of the class.
  if (err instanceof Error && err.name === 'VisionError' && 'code' in err && 'args' in err && (err.code as string) in visionErrorTemplates) {
    return { code: err.code as VisionErrorCode, args: err.args as string[], message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', args: [message], message };
}
