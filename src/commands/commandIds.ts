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
  classifyImage: 'modelLab.classifyImage',
  classifyImageFolder: 'modelLab.classifyImageFolder',
  copyImageResult: 'modelLab.copyImageResult',
  drawDigit: 'modelLab.drawDigit',
  insertSnippet: 'modelLab.insertSnippet',
  classifySelection: 'modelLab.classifySelection',
  classifyFile: 'modelLab.classifyFile',
  toggleTextDecorations: 'modelLab.toggleTextDecorations',
  trainTextClassifier: 'modelLab.trainTextClassifier',
  inspectModel: 'modelLab.inspectModel',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
