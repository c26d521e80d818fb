/** The per-class metrics table's headings, translated once for the evaluation and training panels. */
import * as vscode from 'vscode';
import type { PerClassTableStrings } from '../webview/shared/perClassStrings';

export function perClassTableStrings(): PerClassTableStrings {
  return {
    perClass: vscode.l10n.t('Per class'),
    label: vscode.l10n.t('Label'),
    precision: vscode.l10n.t('Precision'),
    recall: vscode.l10n.t('Recall'),
    f1: vscode.l10n.t('F1'),
    support: vscode.l10n.t('Support'),
  };
}
