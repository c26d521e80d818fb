/**
 * What a model is for, and whether an input is plainly outside it. No `vscode` import.
 *
 * A model folder states its scope in the `model_lab` block of its `config.json` (shape: `ModelLabBlock`,
 * snake_case like the rest of a Hugging Face config). The bundled models carry one written by hand; the
 * training recipes write one for every folder they produce, with `training_data` measured by
 * `profileTextCorpus`. Classification compares each input with the block (`checkTextScope`) and reports
 * warnings next to the result, never instead of it: a model still answers outside its scope, and the user
 * should see both the answer and why not to trust it.
 *
 * Warnings have the shape of the error model's data (`code`, English `template` with `{0}` placeholders that
 * is also the translation key, `args`, filled-in `message`), so the extension translates them the way it
 * translates errors and the CLI prints `message`.
 */
import * as path from 'node:path';
import { MODEL_FILE_LIMITS, readTextFileBoundedSync } from './fileInput';

/** The version of the `model_lab` block this code writes; readers accept this one and refuse newer ones by name. */
export const MODEL_LAB_BLOCK_VERSION = 1;

/** Word-piece tokens per training text (special tokens not counted), before any truncation. */
export interface TokenCountProfile {
  readonly min: number;
  /** 5th percentile. */
  readonly p05: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

/** What the training inputs looked like, measured on the training part of the data. */
export interface TrainingDataProfile {
  /** Training examples measured. */
  readonly examples: number;
  /** Text models: length of the training texts in the model's own tokens. */
  readonly tokens?: TokenCountProfile;
  /** Text models: share of all training tokens that were the unknown token (`[UNK]`). */
  readonly unknown_token_share?: number;
  /** Text models: share of the training texts' letters per Unicode script (`Latin`, `Han`, …), summing to 1. */
  readonly script_shares?: Readonly<Record<string, number>>;
  /** How the numbers were measured (free text, for people). */
  readonly measured_by?: string;
}

/**
 * The `model_lab` block of a model folder's `config.json`. Every field but `version` is optional for a
 * user's folder; the bundled models and folders trained by Model Lab fill all that apply.
 */
export interface ModelLabBlock {
  readonly version: typeof MODEL_LAB_BLOCK_VERSION;
  readonly task?: 'text-classification' | 'image-classification';
  /** Languages of the training texts as BCP 47 tags (`en`, `zh`, `zh-Hans`…); empty for image models. */
  readonly languages?: readonly string[];
  /** One sentence: what the training data was (source, kind of text or image). */
  readonly domain?: string;
  /** One sentence: what the model is meant to be used for. */
  readonly intended_use?: string;
  /** Known limits a user should read before trusting a result. */
  readonly limitations?: readonly string[];
  /**
   * How to show labels to people, per locale (`en`, `zh-cn`), e.g. `{ "en": { "ham": "not spam" } }`. A label
   * or locale not listed shows its `id2label` name. Results keep the `id2label` name as the label's identity.
   */
  readonly label_names?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly training_data?: TrainingDataProfile;
}

/** A model's `model_lab` block was malformed; the message names the file and the field. */
export class ModelScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelScopeError';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(block: Record<string, unknown>, key: string, file: string): string | undefined {
  const v = block[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ModelScopeError(`${file}: "model_lab.${key}" must be a string.`);
  return v;
}

function optionalStringList(block: Record<string, unknown>, key: string, file: string): string[] | undefined {
  const v = block[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ModelScopeError(`${file}: "model_lab.${key}" must be a list of strings.`);
  return v as string[];
}

function finiteNumber(v: unknown, where: string, file: string, min = 0, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new ModelScopeError(`${file}: "model_lab.${where}" must be a number from ${min} to ${max}.`);
  return v;
}

/**
 * Reads the `model_lab` block out of a parsed `config.json`: undefined when the config has none, the typed
 * block when it is well formed, a ModelScopeError naming the field otherwise.
 */
export function parseModelLabBlock(config: unknown, file: string): ModelLabBlock | undefined {
  if (!isRecord(config) || config.model_lab === undefined) return undefined;
  const raw = config.model_lab;
  if (!isRecord(raw)) throw new ModelScopeError(`${file}: "model_lab" must be an object (languages, domain, intended_use…).`);
  if (raw.version !== MODEL_LAB_BLOCK_VERSION) {
    throw new ModelScopeError(`${file}: "model_lab.version" is ${JSON.stringify(raw.version)}; this Model Lab reads version ${MODEL_LAB_BLOCK_VERSION}. Update Model Lab or rewrite the block.`);
  }
  const task = raw.task;
  if (task !== undefined && task !== 'text-classification' && task !== 'image-classification') {
    throw new ModelScopeError(`${file}: "model_lab.task" must be "text-classification" or "image-classification".`);
  }
  let labelNames: Record<string, Record<string, string>> | undefined;
  if (raw.label_names !== undefined) {
    if (!isRecord(raw.label_names)) throw new ModelScopeError(`${file}: "model_lab.label_names" must map a locale to {label: display name}.`);
    labelNames = {};
    for (const [locale, names] of Object.entries(raw.label_names)) {
      if (!isRecord(names) || Object.values(names).some((n) => typeof n !== 'string')) {
        throw new ModelScopeError(`${file}: "model_lab.label_names.${locale}" must map labels to display names (strings).`);
      }
      labelNames[locale.toLowerCase()] = names as Record<string, string>;
    }
  }
  let training: TrainingDataProfile | undefined;
  if (raw.training_data !== undefined) {
    const t = raw.training_data;
    if (!isRecord(t)) throw new ModelScopeError(`${file}: "model_lab.training_data" must be an object.`);
    let tokens: TokenCountProfile | undefined;
    if (t.tokens !== undefined) {
      if (!isRecord(t.tokens)) throw new ModelScopeError(`${file}: "model_lab.training_data.tokens" must be an object (min, p05, median, p95, max).`);
      const k = t.tokens;
      tokens = {
        min: finiteNumber(k.min, 'training_data.tokens.min', file),
        p05: finiteNumber(k.p05, 'training_data.tokens.p05', file),
        median: finiteNumber(k.median, 'training_data.tokens.median', file),
        p95: finiteNumber(k.p95, 'training_data.tokens.p95', file),
        max: finiteNumber(k.max, 'training_data.tokens.max', file),
      };
    }
    let scriptShares: Record<string, number> | undefined;
    if (t.script_shares !== undefined) {
      if (!isRecord(t.script_shares)) throw new ModelScopeError(`${file}: "model_lab.training_data.script_shares" must map script names to shares.`);
      scriptShares = {};
      for (const [script, share] of Object.entries(t.script_shares)) scriptShares[script] = finiteNumber(share, `training_data.script_shares.${script}`, file, 0, 1);
    }
    training = {
      examples: finiteNumber(t.examples ?? 0, 'training_data.examples', file),
      tokens,
      unknown_token_share: t.unknown_token_share === undefined ? undefined : finiteNumber(t.unknown_token_share, 'training_data.unknown_token_share', file, 0, 1),
      script_shares: scriptShares,
      measured_by: typeof t.measured_by === 'string' ? t.measured_by : undefined,
    };
  }
  return {
    version: MODEL_LAB_BLOCK_VERSION,
    task,
    languages: optionalStringList(raw, 'languages', file),
    domain: optionalString(raw, 'domain', file),
    intended_use: optionalString(raw, 'intended_use', file),
    limitations: optionalStringList(raw, 'limitations', file),
    label_names: labelNames,
    training_data: training,
  };
}

/**
 * The name to show for a label in a locale (`en`, `zh-cn`, …): the block's `label_names` for that locale, then
 * for its language (`zh` for `zh-tw`), then English, then the label itself.
 */
export function displayLabel(block: ModelLabBlock | undefined, label: string, locale: string): string {
  const names = block?.label_names;
  if (!names) return label;
  const lower = locale.toLowerCase();
  for (const key of [lower, lower.split('-')[0], 'en']) {
    const name = names[key]?.[label];
    if (name !== undefined && name.length > 0) return name;
  }
  return label;
}

// ---------------------------------------------------------------------------------------------------------
// Scripts

/** Scripts told apart; letters of any other script count as `Other`. */
const SCRIPTS: readonly (readonly [string, RegExp])[] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Han', /\p{Script=Han}/u],
  ['Hiragana', /\p{Script=Hiragana}/u],
  ['Katakana', /\p{Script=Katakana}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
];
const LETTER = /\p{L}/u;

/** The scripts a language is written in, for blocks that state `languages` but no measured `script_shares`. */
const LANGUAGE_SCRIPTS: Readonly<Record<string, readonly string[]>> = {
  zh: ['Han'],
  ja: ['Han', 'Hiragana', 'Katakana'],
  ko: ['Hangul', 'Han'],
  ru: ['Cyrillic'],
  uk: ['Cyrillic'],
  bg: ['Cyrillic'],
  sr: ['Cyrillic', 'Latin'],
  el: ['Greek'],
  ar: ['Arabic'],
  fa: ['Arabic'],
  ur: ['Arabic'],
  he: ['Hebrew'],
  hi: ['Devanagari'],
  mr: ['Devanagari'],
  ne: ['Devanagari'],
  th: ['Thai'],
};

/** Letters looked at per text: enough to tell the script of a document, bounded for huge files. */
const SCRIPT_SAMPLE_CHARS = 20_000;

/** Letters per script in the first 20,000 characters of `text` (digits, punctuation and spaces not counted). */
export function countScripts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const sample = text.length > SCRIPT_SAMPLE_CHARS ? text.slice(0, SCRIPT_SAMPLE_CHARS) : text;
  for (const ch of sample) {
    const c = ch.charCodeAt(0);
    let script: string | undefined;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) script = 'Latin'; // the common case, without a regex
    else if (c < 0x80 || !LETTER.test(ch)) continue;
    else script = SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? 'Other';
    counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  return counts;
}

/** Each script's share of the letters counted, largest first; empty when there are no letters. */
export function scriptShares(counts: ReadonlyMap<string, number>): Record<string, number> {
  let total = 0;
  for (const n of counts.values()) total += n;
  const out: Record<string, number> = {};
  if (total === 0) return out;
  for (const [script, n] of [...counts].sort((a, b) => b[1] - a[1])) {
    const share = round4(n / total);
    if (share > 0) out[script] = share;
  }
  return out;
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** Scripts the model knows: measured shares of at least 1 %, else derived from the languages (Latin for unlisted ones). */
export function modelScripts(block: ModelLabBlock): Set<string> | undefined {
  const shares = block.training_data?.script_shares;
  if (shares && Object.keys(shares).length > 0) {
    return new Set(Object.entries(shares).filter(([, s]) => s >= 0.01).map(([script]) => script));
  }
  if (!block.languages || block.languages.length === 0) return undefined;
  const scripts = new Set<string>();
  for (const tag of block.languages) {
    const [lang, second] = tag.toLowerCase().split('-');
    if (second === 'hans' || second === 'hant') scripts.add('Han');
    else for (const s of LANGUAGE_SCRIPTS[lang] ?? ['Latin']) scripts.add(s);
  }
  return scripts;
}

// ---------------------------------------------------------------------------------------------------------
// Training profile (written by the training recipes)

/** What the scope checks need to know about one text, in the model's own tokenization. */
export interface TextTokenStats {
  readonly text: string;
  /** Word-piece tokens, special tokens not counted, before any truncation or windowing. */
  readonly tokens: number;
  /** How many of them are the unknown token. */
  readonly unknownTokens: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.floor(p * (sorted.length - 1))));
  return sorted[i];
}

/** The `training_data` profile of the training texts: token-length percentiles, unknown-token share, script shares. */
export function profileTextCorpus(samples: Iterable<TextTokenStats>): TrainingDataProfile {
  const lengths: number[] = [];
  let tokens = 0;
  let unknown = 0;
  const scripts = new Map<string, number>();
  for (const s of samples) {
    lengths.push(s.tokens);
    tokens += s.tokens;
    unknown += s.unknownTokens;
    for (const [script, n] of countScripts(s.text)) scripts.set(script, (scripts.get(script) ?? 0) + n);
  }
  lengths.sort((a, b) => a - b);
  return {
    examples: lengths.length,
    tokens: {
      min: lengths[0] ?? 0,
      p05: percentile(lengths, 0.05),
      median: percentile(lengths, 0.5),
      p95: percentile(lengths, 0.95),
      max: lengths[lengths.length - 1] ?? 0,
    },
    unknown_token_share: tokens === 0 ? 0 : round4(unknown / tokens),
    script_shares: scriptShares(scripts),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Checks

export type ScopeWarningCode = 'script' | 'unknown-tokens' | 'too-short' | 'scope-unreadable';

/** One reason an input is outside what the model knows. Same fields as the error model's data. */
export interface ScopeWarning {
  readonly code: ScopeWarningCode;
  /** English, with `{0}`… placeholders; the translation key. */
  readonly template: string;
  readonly args: readonly string[];
  /** The English sentence. */
  readonly message: string;
}

/** Templates, one per code: the English text and the key under which l10n/bundle.l10n.zh-cn.json translates it. */
export const SCOPE_WARNING_TEMPLATES: Readonly<Record<ScopeWarningCode, string>> = {
  script: 'Out of scope: {0} % of the letters are {1}, but the model was trained on {2} text. Read the result with care.',
  'unknown-tokens': 'Out of scope: {0} % of the tokens are unknown to the model (in training: {1} %). Read the result with care.',
  'too-short': 'Out of scope: the text has {0} tokens; the model was trained on texts of {1} tokens or more (5th percentile). Read the result with care.',
  'scope-unreadable': 'The model folder describes its scope in a way Model Lab cannot read, so inputs are not checked against it: {0}',
};

function fill(template: string, args: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

export function scopeWarning(code: ScopeWarningCode, args: readonly (string | number)[]): ScopeWarning {
  const strings = args.map(String);
  const template = SCOPE_WARNING_TEMPLATES[code];
  return { code, template, args: strings, message: fill(template, strings) };
}

/** A script's letters are "most" of a text from this share on. */
export const SCRIPT_MISMATCH_SHARE = 0.5;
/** Fewer letters than this say nothing about a text's script (a code, an emoji, "OK"). */
const SCRIPT_MIN_LETTERS = 8;
/** Unknown tokens warn from this share on, and only when it is also far above the training share. */
export const UNKNOWN_SHARE_LIMIT = 0.2;
const UNKNOWN_SHARE_FACTOR = 4;
/** A text is "far shorter" than training when it has fewer than this fraction of the training texts' 5th percentile. */
export const SHORT_TEXT_FRACTION = 1 / 3;

const percent = (x: number) => (100 * x).toFixed(x > 0 && x < 0.01 ? 2 : x < 0.1 ? 1 : 0);

/**
 * Warnings for one input against a model's scope; empty when the input looks like the training data or the
 * model states no scope. `stats` counts tokens over the whole input (all windows), special tokens excluded.
 */
export function checkTextScope(stats: TextTokenStats, block: ModelLabBlock | undefined): ScopeWarning[] {
  if (!block) return [];
  const warnings: ScopeWarning[] = [];

  const known = modelScripts(block);
  if (known) {
    const counts = countScripts(stats.text);
    let letters = 0;
    for (const n of counts.values()) letters += n;
    let foreign = 0;
    let dominant: [string, number] | undefined;
    for (const [script, n] of counts) {
      if (known.has(script)) continue;
      foreign += n;
      if (!dominant || n > dominant[1]) dominant = [script, n];
    }
    if (dominant && letters >= SCRIPT_MIN_LETTERS && foreign / letters >= SCRIPT_MISMATCH_SHARE) {
      const trainedOn = block.languages && block.languages.length > 0 ? block.languages.join(', ') : [...known].join(', ');
      warnings.push(scopeWarning('script', [percent(foreign / letters), dominant[0], trainedOn]));
    }
  }

  const trainingUnknown = block.training_data?.unknown_token_share;
  if (stats.tokens > 0) {
    const share = stats.unknownTokens / stats.tokens;
    if (share >= UNKNOWN_SHARE_LIMIT && share >= UNKNOWN_SHARE_FACTOR * (trainingUnknown ?? 0)) {
      warnings.push(scopeWarning('unknown-tokens', [percent(share), percent(trainingUnknown ?? 0)]));
    }
  }

  const p05 = block.training_data?.tokens?.p05;
  if (p05 !== undefined && p05 > 0 && stats.tokens < p05 * SHORT_TEXT_FRACTION) {
    warnings.push(scopeWarning('too-short', [stats.tokens, p05]));
  }
  return warnings;
}

/**
 * The `model_lab` block of the model folder `dir` (its config.json), or undefined when there is none. A
 * malformed block does not stop classification: it comes back as a `scope-unreadable` warning instead.
 */
export function readModelScope(dir: string): { block?: ModelLabBlock; problem?: ScopeWarning } {
  const file = path.join(dir, 'config.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readTextFileBoundedSync(file, MODEL_FILE_LIMITS.config));
  } catch {
    return {}; // the model loaders report a missing, oversized, non-regular or broken config.json themselves
  }
  try {
    return { block: parseModelLabBlock(raw, file) };
  } catch (err) {
    if (err instanceof ModelScopeError) return { problem: scopeWarning('scope-unreadable', [err.message]) };
    throw err;
  }
}
