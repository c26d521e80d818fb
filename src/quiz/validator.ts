/**
 * The bank's rules (docs/quiz-format.md), checked over parsed questions. The bundled bank is strict: every
 * question complete in both languages and on a known topic. Users' banks may be monolingual, but every
 * language a question uses must be complete. No `vscode` import.
 */
import { ID_PATTERN } from './bankParser';
import { markdownProblem } from './markdown';
import { BUNDLED_TOPICS, LANGS, type Lang, type Question, type QuizIssue } from './model';
import { correctOptionsAllFirst, positionReference } from './positionRules';

export interface ValidateOptions {
  /** The bundled bank: both languages required everywhere, topics from the fixed list. */
  readonly bundled: boolean;
}

export function validateQuestions(questions: readonly Question[], options: ValidateOptions): QuizIssue[] {
  const issues: QuizIssue[] = [];
  const firstSeen = new Map<string, Question>();
  for (const q of questions) {
    const at = (message: string): void => {
      issues.push({ line: q.origin.line, id: q.id, file: q.origin.file, message });
    };
    const previous = firstSeen.get(q.id);
    if (previous) at(`Duplicate id "${q.id}" (also at ${previous.origin.file}:${previous.origin.line}); ids must be unique.`);
    else firstSeen.set(q.id, q);
    if (!ID_PATTERN.test(q.id)) at(`Id "${q.id}" may only use lowercase letters, digits and "-".`);
    if (options.bundled && !(BUNDLED_TOPICS as readonly string[]).includes(q.topic)) {
      at(`Topic "${q.topic}" is not one of ${BUNDLED_TOPICS.join(', ')}.`);
    }

    // A language counts as used when any section has it: a half-translated question must be completed.
    const has = (s: string | undefined) => (s ?? '').trim() !== '';
    const present = LANGS.filter((l) => has(q.prompt[l]) || has(q.answer[l]) || has(q.explanation[l]) || (q.options ?? []).some((o) => has(o.text[l])));
    const required: readonly Lang[] = options.bundled ? LANGS : present;
    if (options.bundled && q.monolingual) at('The bundled bank needs both languages; this question is monolingual.');
    if (present.length === 0 && !options.bundled) at('The question has no prompt.');
    const needsExplanation = options.bundled || q.origin.format === 'bank';
    for (const lang of required) {
      const missing = (name: string) => at(`Section "${name}.${lang}" is missing or empty.`);
      if (!(q.prompt[lang] ?? '').trim()) missing('prompt');
      if (!(q.answer[lang] ?? '').trim()) missing('answer');
      if (needsExplanation && !(q.explanation[lang] ?? '').trim()) missing('explanation');
    }

    if (q.type === 'single' || q.type === 'multiple') {
      const opts = q.options ?? [];
      if (opts.length < 2) at(`A ${q.type}-choice question needs at least two options; it has ${opts.length}.`);
      const correct = opts.filter((o) => o.correct).length;
      if (q.type === 'single' && correct !== 1) at(`A single-choice question needs exactly one [x] option; it has ${correct}.`);
      if (q.type === 'multiple' && correct < 1) at('A multiple-choice question needs at least one [x] option.');
      for (const lang of required) {
        const texts = opts.map((o) => (o.text[lang] ?? '').trim());
        if (opts.length > 0 && texts.some((t) => t === '')) at(`Section "options.${lang}" is missing or has empty options.`);
        const seen = new Set<string>();
        for (const t of texts) {
          if (t === '') continue;
          const key = t.toLowerCase();
          if (seen.has(key)) at(`Option "${t}" appears twice in options.${lang}; options must be distinct.`);
          seen.add(key);
        }
      }
      if (options.bundled && q.type === 'multiple' && opts.length > 1 && correctOptionsAllFirst(q)) {
        at('All correct options come first; mix them with the wrong ones so their position gives nothing away.');
      }
    } else if (q.options && q.options.length > 0) {
      at(`A ${q.type} question cannot have options.`);
    }
    // Options are shown shuffled, so "option B" or "the first three" would point at the wrong option.
    if (options.bundled) {
      for (const lang of required) {
        for (const [name, text] of [['answer', q.answer[lang]], ['explanation', q.explanation[lang]]] as const) {
          const phrase = positionReference(text ?? '');
          if (phrase) at(`Section "${name}.${lang}" refers to an option by letter or position ("${phrase}"); name the option by its content.`);
        }
      }
    }
    // Pathological Markdown (e.g. '***' repeated thousands of times) still renders, simplified: say so.
    for (const lang of present) {
      for (const [name, text] of [['prompt', q.prompt[lang]], ['answer', q.answer[lang]], ['explanation', q.explanation[lang]], ...(q.options ?? []).map((o) => ['options', o.text[lang]] as const)] as const) {
        const problem = markdownProblem(text ?? '');
        if (problem) at(`Section "${name}.${lang}": ${problem}`);
      }
    }
    if (q.type === 'truefalse' && q.truth === undefined) at('A truefalse question needs "- answer: true" or "- answer: false".');
    if (q.type === 'code') {
      if (!q.check) at('A code question needs "- check:" (cnn-parameters or text-classifier-forward).');
      if (!q.starter?.trim()) at('A code question needs a "### starter.ts" section with a fenced ```ts block.');
    }
  }
  return issues;
}
