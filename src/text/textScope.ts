/**
 * Scope warnings for a text and a text model: the model folder's `model_lab` block (common/modelScope.ts)
 * against the text as the model's own tokenizer reads it. No `vscode` import.
 */
import { checkTextScope, readModelScope, type ScopeWarning, type TextTokenStats } from '../common/modelScope';
import type { WordPieceTokenizer } from './tokenizer';

/** Tokens and unknown tokens of the whole text (no special tokens, no windowing), as the scope checks count them. */
export function textTokenStats(tokenizer: WordPieceTokenizer, text: string): TextTokenStats {
  const { ids } = tokenizer.tokenizeToIds(text);
  const unk = tokenizer.tokenToId(tokenizer.config.unkToken);
  let unknownTokens = 0;
  if (unk !== undefined) for (const id of ids) if (id === unk) unknownTokens++;
  return { text, tokens: ids.length, unknownTokens };
}

/** Every scope warning for `text` with the model in `modelDir` (empty when the folder states no scope). */
export function textScopeWarnings(modelDir: string, tokenizer: WordPieceTokenizer, text: string): ScopeWarning[] {
  const { block, problem } = readModelScope(modelDir);
  if (problem) return [problem];
  return checkTextScope(textTokenStats(tokenizer, text), block);
}
