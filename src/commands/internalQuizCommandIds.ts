/**
 * Quiz commands that are not in the Command Palette (so not contributed in package.json): the panel's
 * "open exercise" action and the "Check" CodeLens on exercise editors. They take arguments (a question id or
 * the exercise's URI) that only the panel and the CodeLens supply.
 */
export const InternalQuizCommandId = {
  openQuizExercise: 'modelLab.quiz.openExercise',
  checkQuizExercise: 'modelLab.quiz.checkExercise',
} as const;
