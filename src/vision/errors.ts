/**
 * Errors a user can cause with an image or a image model, each with a sentence that says what to do next: the
 * codes and templates of the one error model (src/common/errors.ts) for images. No `vscode` import.
 */
import { codedErrors } from '../common/errors';

export type VisionErrorCode =
  | 'empty'
  | 'notImage'
  | 'unsupportedFormat'
  | 'webpUnsupported'
  | 'truncated'
  | 'corrupt'
  | 'tooLarge'
  | 'jpegTooLargeForFullDecode'
  | 'blank'
  | 'unreadable'
  | 'modelMissing'
  | 'modelCorrupt'
  | 'modelInput'
  | 'noSuchLabel';

/** English templates; `{0}`, `{1}`… are filled from `args`. Also the keys of l10n/bundle.l10n.zh-cn.json. */
export const visionErrorTemplates: Record<VisionErrorCode, string> = {
  empty: 'The file {0} is empty (0 bytes). Choose a PNG, JPEG, BMP, GIF or WebP image.',
  notImage: 'The file {0} is not an image Model Lab can read. Choose a PNG, JPEG, BMP, GIF or WebP image.',
  unsupportedFormat: 'The file {0} is a {1} image, which Model Lab cannot decode. Convert it to PNG and try again.',
  webpUnsupported: 'The file {0} is a WebP image, which Model Lab cannot decode. Convert it to PNG and try again.',
  truncated: 'The image {0} is truncated (the file ends early). Save or download it again.',
  corrupt: 'The image {0} is damaged and cannot be decoded ({1}). Save it again or export it as PNG.',
  tooLarge: 'The image {0} is {1} × {2} pixels ({3} megapixels), more than the 50-megapixel limit. Scale it down and try again.',
  jpegTooLargeForFullDecode: 'The JPEG {0} is {1} × {2} pixels ({3} megapixels). Model Lab decodes this kind of JPEG (progressive, arithmetic-coded or CMYK) in full, which it does up to {4} megapixels. Save it as a standard (baseline) JPEG or as PNG, or scale it down.',
  blank: 'The image {0} is a single flat colour, so there is nothing to classify. Choose an image with a visible subject.',
  unreadable: 'Could not read {0}: {1}',
  modelMissing: 'No image model was found at {0}. Point the setting modelLab.imageModel to a folder with model.onnx or model.json, or clear it to use the bundled digit model.',
  modelCorrupt: 'The image model at {0} could not be loaded ({1}). Re-export the model or clear modelLab.imageModel to use the bundled digit model.',
  modelInput: 'The image model at {0} has an input Model Lab cannot feed ({1}). Image models need one float32 input shaped [batch, height, width, channels] or [batch, channels, height, width] with 1 or 3 channels.',
  noSuchLabel: 'The image model has no label number {0} (its labels are numbered 0 to {1}). Classify the image again, then explain one of the labels it shows.',
};

/** `throw visionError('truncated', [name])`: a CodedError (src/common/errors.ts) with the code's template. */
export const visionError = codedErrors(visionErrorTemplates);
