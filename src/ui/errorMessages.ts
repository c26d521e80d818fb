import * as vscode from 'vscode';
import { INTERNAL_ERROR, toErrorData } from '../common/errors';
import type { ModelLabContext } from '../context';

/**
 * The one place an error becomes a sentence in the user's language: a CodedError's English template is the key
 * of its translation in l10n/bundle.l10n.zh-cn.json, filled with its arguments. An error that is not ours
 * (`internal`) has only its message; `internalTemplate` (one `{0}`) says what failed around it.
 */
export function localizeError(err: unknown, internalTemplate?: string): string {
  const data = toErrorData(err);
  if (data.code === INTERNAL_ERROR && internalTemplate) return vscode.l10n.t(internalTemplate, data.message);
  return vscode.l10n.t(data.template, ...data.args);
}

/** Shows an error in the user's language and logs it in English. */
export function reportError(ctx: ModelLabContext, err: unknown, internalTemplate?: string): void {
  ctx.log.error(toErrorData(err).message);
  void vscode.window.showErrorMessage(localizeError(err, internalTemplate));
}
