/**
 * "Copy Result as JSON" for one image: the result without the preview image's bytes, plus `saliency` once the
 * user has asked for an explanation. The grid goes out as the same `OcclusionGrid` object that
 * `model-lab classify-image --explain --json` prints under `saliency`, so a script reads both alike.
 * No `vscode` import.
 */
import type { ClassificationResult } from './classifier';
import type { OcclusionGrid } from './explain';

export function imageResultToJson(result: ClassificationResult, saliency?: OcclusionGrid): string {
  // The preview is a base64 PNG of the model input: large, and of no use to a reader of the numbers.
  return JSON.stringify(saliency ? { ...result, saliency } : result, (key, value: unknown) => (key === 'previewPng' ? undefined : value), 2);
}
