/**
 * What every trained text-model folder says about itself: the `model_lab` block of config.json (the scope the
 * classifier checks inputs against: src/common/modelScope.ts's `ModelLabBlock`) and
 * the model card README.md (data, split, metrics, baseline, intended use, limitations, preprocessing), in the
 * spirit of Hugging Face model cards.
 *
 * No `vscode` import.
 */
import { MODEL_LAB_BLOCK_VERSION, type ModelLabBlock, type TrainingDataProfile } from '../../common/modelScope';
import type { EvaluationReport } from '../../common/classificationMetrics';
import type { LearningVerdict } from './metrics';
import type { LabelledTexts } from './userData';

interface CardRecipe {
  name: string;
  title: string;
}

interface CardOptions {
  source?: string;
  languages?: readonly string[];
  domain?: string;
  seed: number;
  validation: number;
}

/**
 * What the card reports of a run. Declared here rather than picked from pipeline.ts's TextTrainSummary, which
 * has these fields, because the pipeline imports this module: picking the type made an import cycle. The
 * compiler checks at the pipeline's call that the summary still fits.
 */
interface CardResult {
  readonly heldOut: number;
  readonly train: number;
  readonly validation: number;
  readonly epochs: number;
  readonly epochsRun: number;
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly steps: number;
  readonly lr: number;
  readonly batch: number;
  readonly evaluation: EvaluationReport;
  readonly baseline: { readonly label: string; readonly accuracy: number; readonly macroF1: number };
  readonly verdict: LearningVerdict;
}

/** Languages from the letters of the texts when none were given: Han → zh, kana → ja, Hangul → ko, else en. */
export function inferLanguages(texts: readonly string[]): string[] {
  const counts = { latin: 0, han: 0, kana: 0, hangul: 0 };
  let seen = 0;
  for (const t of texts) {
    for (const ch of t) {
      if (seen++ > 200_000) break;
      const c = ch.codePointAt(0) ?? 0;
      if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f)) counts.latin++;
      else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x20000 && c <= 0x2ebef)) counts.han++;
      else if (c >= 0x3040 && c <= 0x30ff) counts.kana++;
      else if (c >= 0xac00 && c <= 0xd7af) counts.hangul++;
    }
  }
  const total = counts.latin + counts.han + counts.kana + counts.hangul;
  if (total === 0) return ['en'];
  const languages: string[] = [];
  if (counts.latin / total >= 0.2) languages.push('en');
  if (counts.kana / total >= 0.05) languages.push('ja');
  else if (counts.han / total >= 0.2) languages.push('zh');
  if (counts.hangul / total >= 0.2) languages.push('ko');
  return languages.length ? languages : ['en'];
}

function defaultDomain(data: LabelledTexts, source: string | undefined): string {
  return `${data.texts.length} labelled texts from ${source ?? 'the user\u2019s data'} (classes: ${data.labelNames.join(', ')})`;
}

const LIMITATIONS = [
  'Trained only on the texts in the data file: inputs unlike them (another language, another kind of text, much shorter or longer) get unreliable answers.',
  'The metrics come from a small held-out part of the same file; they do not show how the model does on data collected elsewhere.',
  'Texts longer than the sequence length are truncated in training; the classifier reads long inputs in windows.',
];

/**
 * The `model_lab` block for config.json; `trainingData` is the profile of the training part's texts
 * (modelScope.ts `profileTextCorpus`), which the classifier's scope warnings compare inputs with.
 */
export function modelLabBlock(recipe: CardRecipe, data: LabelledTexts, o: CardOptions, trainingData?: TrainingDataProfile): ModelLabBlock & { training: Record<string, unknown> } {
  return {
    version: MODEL_LAB_BLOCK_VERSION,
    task: 'text-classification',
    languages: [...(o.languages ?? inferLanguages(data.texts))],
    domain: o.domain ?? defaultDomain(data, o.source),
    intended_use: `Sorting texts like those in ${o.source ?? 'the training data'} into ${data.labelNames.join(' / ')}; a starting point to check against your own labelled examples, not a decision-maker.`,
    limitations: LIMITATIONS,
    ...(trainingData ? { training_data: trainingData } : {}),
    training: { recipe: recipe.name, texts: data.texts.length, classes: data.labelNames },
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const f3 = (x: number) => x.toFixed(3);
/** Markdown table cells: no pipes or newlines from user labels. */
const cell = (s: string) => s.replace(/[|\r\n]/g, ' ');

/** The model card README.md. */
export function modelCardMarkdown(recipe: CardRecipe, card: { model: string; preprocessing: string }, data: LabelledTexts, r: CardResult, o: CardOptions): string {
  const e = r.evaluation;
  const block = modelLabBlock(recipe, data, o);
  const verdict = r.verdict.learned
    ? `The model learned: held-out accuracy ${pct(e.accuracy)} and macro F1 ${f3(e.macroF1)} clear the bars of ${pct(r.verdict.accuracyBar)} and ${f3(r.verdict.macroF1Bar)} set by chance and the majority baseline.`
    : `**The model did not learn.** Held-out accuracy ${pct(e.accuracy)} and macro F1 ${f3(e.macroF1)} do not clear the bars of ${pct(r.verdict.accuracyBar)} and ${f3(r.verdict.macroF1Bar)} set by chance and the majority baseline; do not rely on its answers.`;
  const lines = [
    `# Text classifier: ${data.labelNames.map(cell).join(' / ')}`,
    '',
    `Trained by Model Lab (${recipe.title}) on ${o.source ?? 'user data'}.`,
    '',
    verdict,
    '',
    '## Model',
    '',
    card.model,
    '',
    '## Intended use',
    '',
    String(block.intended_use),
    '',
    `Languages: ${(block.languages ?? []).join(', ')}. Domain: ${String(block.domain)}.`,
    '',
    '## Data and split',
    '',
    `- ${data.texts.length} texts, ${data.labelNames.length} classes: ${data.labelNames.map((l) => `${cell(l)} (${data.labels.filter((x) => x === data.labelNames.indexOf(l)).length})`).join(', ')}.`,
    `- Held out (stratified, seed ${o.seed}): ${r.heldOut} texts (${Math.round(100 * o.validation)} %), never used to train or to choose anything.`,
    `- Training part: ${r.train} texts, of which ${r.validation} form the validation slice watched for early stopping.`,
    '',
    '## Training',
    '',
    `- Adam, learning rate ${r.lr}, batch ${r.batch}, softmax cross-entropy; ${r.steps} optimisation steps over ${r.epochsRun} of ${r.epochs} epochs.`,
    r.stoppedEarly ? `- Early stopping: the validation loss stopped improving; the weights of epoch ${r.bestEpoch} are kept.` : `- The weights of epoch ${r.bestEpoch} are kept.`,
    '',
    '## Metrics on the held-out texts',
    '',
    `Accuracy ${pct(e.accuracy)}, macro F1 ${f3(e.macroF1)} on ${r.heldOut} texts.`,
    `Majority baseline (always "${cell(r.baseline.label)}"): accuracy ${pct(r.baseline.accuracy)}, macro F1 ${f3(r.baseline.macroF1)}. Chance: ${pct(1 / data.labelNames.length)}.`,
    '',
    '| class | precision | recall | F1 | support |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...e.perClass.map((c) => `| ${cell(c.label)} | ${f3(c.precision)} | ${f3(c.recall)} | ${f3(c.f1)} | ${c.support} |`),
    '',
    'Confusion matrix (rows: actual, columns: predicted):',
    '',
    `| | ${e.labels.map(cell).join(' | ')} |`,
    `| --- | ${e.labels.map(() => '---:').join(' | ')} |`,
    ...e.confusion.map((row, i) => `| **${cell(e.labels[i])}** | ${row.join(' | ')} |`),
    '',
    '## Preprocessing',
    '',
    card.preprocessing,
    '',
    '## Limitations',
    '',
    ...LIMITATIONS.map((l) => `- ${l}`),
    '',
  ];
  return lines.join('\n');
}
