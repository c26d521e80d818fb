/**
 * Every command id Model Lab contributes, listed once. `package.json` `contributes.commands` must match
 * this map (checked by test/unit/manifest.test.ts).
 */
export const CommandId = {
  showLog: 'modelLab.showLog',
  startQuiz: 'modelLab.startQuiz',
  startQuizByTopic: 'modelLab.startQuizByTopic',
  reviewQuizMistakes: 'modelLab.reviewQuizMistakes',
  showQuizStatistics: 'modelLab.showQuizStatistics',
  exportQuizProgress: 'modelLab.exportQuizProgress',
  importQuizProgress: 'modelLab.importQuizProgress',
  importQuizFromFile: 'modelLab.importQuizFromFile',
  exportQuizDeckAnki: 'modelLab.exportQuizDeckAnki',
  editQuizQuestion: 'modelLab.editQuizQuestion',
  optimizeQuizScheduling: 'modelLab.optimizeQuizScheduling',
  classifyImage: 'modelLab.classifyImage',
  classifyImageFolder: 'modelLab.classifyImageFolder',
  copyImageResult: 'modelLab.copyImageResult',
  explainImage: 'modelLab.explainImage',
  drawDigit: 'modelLab.drawDigit',
  insertSnippet: 'modelLab.insertSnippet',
  classifySelection: 'modelLab.classifySelection',
  classifyFile: 'modelLab.classifyFile',
  toggleTextDecorations: 'modelLab.toggleTextDecorations',
  trainTextClassifier: 'modelLab.trainTextClassifier',
  inspectModel: 'modelLab.inspectModel',
  explainSelection: 'modelLab.explainSelection',
  evaluateModel: 'modelLab.evaluateModel',
  // The Model Lab views (activity bar): their item and title actions.
  startQuizDeck: 'modelLab.views.startQuizDeck',
  refreshQuizDecks: 'modelLab.views.refreshQuizDecks',
  refreshModels: 'modelLab.views.refreshModels',
  useModel: 'modelLab.views.useModel',
  classifyWithModel: 'modelLab.views.classifyWithModel',
  revealModelFolder: 'modelLab.views.revealModelFolder',
  reopenRecentResult: 'modelLab.views.reopenRecentResult',
  clearRecentResults: 'modelLab.views.clearRecentResults',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
