/**
 * Every command id Model Lab contributes, listed once. `package.json` `contributes.commands` must match
 * this map (checked by test/unit/manifest.test.ts).
 */
export const CommandId = {
  showLog: 'modelLab.showLog',
  insertSnippet: 'modelLab.insertSnippet',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
