import * as vscode from 'vscode';
import { countLongTermReviews, MIN_REVIEWS, optimize, trainingItems, type Evaluation } from '../quiz/optimizer';
import type { QuizServices } from '../ui/quizServices';
import { CommandId } from './commandIds';
import { plural } from '../common/plural';

const figures = (e: Evaluation) => vscode.l10n.t('log loss {0}, RMSE {1}', e.logLoss.toFixed(4), e.rmse.toFixed(4));

/**
 * "Model Lab: Optimize Quiz Scheduling" — fits the FSRS parameters to the user's own review log, shows the
 * log loss and RMSE on those reviews before and after, and applies the fitted parameters only when they
 * predict the reviews better. Refuses below the minimum number of reviews. The fit yields to the extension
 * host between iterations and can be cancelled.
 */
export function registerOptimizeQuizSchedulingCommand(services: QuizServices): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.optimizeQuizScheduling, async () => {
    const items = trainingItems(await services.store.load());
    const reviews = countLongTermReviews(items);
    if (reviews < MIN_REVIEWS) {
      void vscode.window.showInformationMessage(
        plural(MIN_REVIEWS, vscode.l10n.t('Optimizing needs at least {0} review made a day or more after the previous review of the same question; you have {1}. Keep practising: Model Lab offers it once you have enough.', MIN_REVIEWS, reviews), vscode.l10n.t('Optimizing needs at least {0} reviews made a day or more after the previous review of the same question; you have {1}. Keep practising: Model Lab offers it once you have enough.', MIN_REVIEWS, reviews)),
      );
      return;
    }
    const started = performance.now();
    let cancelled = false;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: plural(reviews, vscode.l10n.t('Fitting the quiz scheduling to {0} review…', reviews), vscode.l10n.t('Fitting the quiz scheduling to {0} reviews…', reviews)), cancellable: true },
      (progress, token) =>
        optimize(items, {
          start: services.fittedParameters(),
          onIteration: async (_done, total) => {
            progress.report({ increment: 100 / total });
            // Let the extension host breathe between iterations.
            await new Promise((resolve) => setImmediate(resolve));
            cancelled = token.isCancellationRequested;
            return !cancelled;
          },
        }),
    );
    services.ctx.log.info(
      `Quiz optimizer: ${reviews} reviews, ${(performance.now() - started).toFixed(0)} ms; before log loss ${result.before.logLoss.toFixed(4)} RMSE ${result.before.rmse.toFixed(4)}; after log loss ${result.after.logLoss.toFixed(4)} RMSE ${result.after.rmse.toFixed(4)}; parameters ${result.parameters.join(', ')}`,
    );
    await services.markOptimizationOffered(reviews);
    if (cancelled) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Optimization cancelled; the scheduling is unchanged.'));
      return;
    }
    if (!result.better) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('The fitted parameters do not predict your reviews better (before: {0}; fitted: {1}), so the scheduling is unchanged.', figures(result.before), figures(result.after)),
      );
      return;
    }
    await services.saveFittedParameters(result.parameters, reviews);
    void vscode.window.showInformationMessage(
      plural(reviews, vscode.l10n.t('Quiz scheduling now fits your {0} review: before {1}; after {2}. New intervals use the fitted parameters.', reviews, figures(result.before), figures(result.after)), vscode.l10n.t('Quiz scheduling now fits your {0} reviews: before {1}; after {2}. New intervals use the fitted parameters.', reviews, figures(result.before), figures(result.after))),
    );
  });
}
