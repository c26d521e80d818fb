/**
 * `model-lab quiz list [--json] [--bank DIR]`: every bundled question (id, topic, type, languages present, references).
 * `model-lab quiz import FILE [--json]`: the questions parsed from FILE (bank, article, Obsidian or Anki TSV
 * format), or its errors with line numbers (exit 1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileInputReason, isFileInputError, readFileBoundedSync } from '../common/fileInput';
import { formatIssue, loadBankDirectory, QUIZ_FILE_LIMIT } from '../quiz/bankLoader';
import { importAnyFormat } from '../quiz/importAnyFormat';
import { languagesOf, pick } from '../quiz/model';
import type { CliIo, Subcommand } from './subcommand';
import { counted } from '../common/plural';

const USAGE = ['usage: model-lab quiz list [--json] [--bank DIR]', '       model-lab quiz import FILE [--json]'].join('\n');

/** The largest quiz file imported: the bundled bank's biggest deck is well under 1 MB. */

/** The bundled bank: media/quiz next to dist/ (installed) or at the repository root (from source). */
export function defaultBankDir(): string {
  const candidates = [path.join(__dirname, '..', 'media', 'quiz'), path.join(__dirname, '..', '..', 'media', 'quiz')];
  return candidates.find((d) => fs.existsSync(d)) ?? candidates[0]!;
}

function takeOption(args: string[], name: string): string | undefined {
  const k = args.indexOf(name);
  if (k < 0) return undefined;
  const value = args[k + 1];
  args.splice(k, 2);
  return value;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const dir = takeOption(rest, '--bank') ?? defaultBankDir();
  if (rest.length > 0) {
    io.err(`model-lab quiz list: unexpected argument '${rest[0]}'\n${USAGE}`);
    return 2;
  }
  if (!fs.existsSync(dir)) {
    io.err(`model-lab quiz list: no quiz bank at ${dir}; pass --bank DIR with *.quiz.md files.`);
    return 1;
  }
  const bank = await loadBankDirectory(dir, { bundled: true });
  const rows = bank.questions.map((q) => ({
    id: q.id,
    deck: q.deck,
    topic: q.topic,
    type: q.type,
    difficulty: q.difficulty,
    languages: languagesOf(q),
    references: q.references ?? [],
  }));
  if (json) io.out(JSON.stringify({ count: rows.length, questions: rows, issues: bank.issues }, null, 1));
  else {
    for (const q of bank.questions) io.out(`${q.id.padEnd(44)} ${q.topic.padEnd(13)} ${q.type.padEnd(9)} ${languagesOf(q).join('+').padEnd(6)} ${pick(q.prompt, 'en').split('\n')[0]!.slice(0, 70)}`);
    io.out(`${counted(rows.length, 'question', 'questions')}, ${counted(new Set(rows.map((r) => r.topic)).size, 'topic', 'topics')}`);
  }
  for (const issue of bank.issues) io.err(formatIssue(issue));
  return bank.issues.length > 0 ? 1 : 0;
}

async function importFile(args: string[], io: CliIo): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  if (files.length !== 1 || files[0]!.startsWith('--')) {
    io.err(USAGE);
    return 2;
  }
  const file = files[0]!;
  let text: string;
  try {
    text = readFileBoundedSync(file, QUIZ_FILE_LIMIT).toString('utf8');
  } catch (err) {
    io.err(`model-lab quiz import: cannot read ${file}: ${isFileInputError(err) ? fileInputReason(err) : err instanceof Error ? err.message : String(err)}.`);
    return 1;
  }
  const result = importAnyFormat(text, path.basename(file));
  const errors = result.errors.map((e) => ({ line: e.line, message: e.message, ...(e.id ? { id: e.id } : {}) }));
  if (json) {
    io.out(JSON.stringify({ file, format: result.format, deck: result.deck, count: result.questions.length, questions: result.questions, errors }, null, 1));
  } else {
    for (const q of result.questions) io.out(`${String(q.origin.line).padStart(5)}  ${q.id}  ${q.type}  ${pick(q.prompt, q.monolingual ?? 'en').split('\n')[0]!.slice(0, 80)}`);
    io.out(`${counted(result.questions.length, 'question', 'questions')} (${result.format} format)`);
    for (const e of errors) io.err(`${file}:${e.line}: ${e.message}`);
  }
  return errors.length > 0 || result.questions.length === 0 ? 1 : 0;
}

export const quizSubcommand: Subcommand = {
  name: 'quiz',
  summary: 'list the bundled quiz questions, or import a quiz file (bank, article, Obsidian, Anki TSV)',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.out(USAGE);
      return sub === undefined ? 2 : 0;
    }
    if (sub === 'list') return list(rest, io);
    if (sub === 'import') return importFile(rest, io);
    io.err(`model-lab quiz: unknown subcommand '${sub}'\n${USAGE}`);
    return 2;
  },
};
