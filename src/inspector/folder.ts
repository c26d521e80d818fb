/**
 * The model's folder: the one place the inspector may read (the model file, its external data or weight
 * shards, config.json), and what a Hugging Face-layout config.json says about labels, task and
 * preprocessing. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileInputError, isFileInputError, kindOf, MODEL_FILE_LIMITS, readTextFileBoundedSync } from '../common/fileInput';
import { inspectorError } from './errors';
import type { FolderConfig } from './model';

const COMPANIONS = ['tokenizer.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json', 'preprocessor_config.json', 'labels.txt', 'generation_config.json'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads `config.json` next to the model, when there is one. A config that is not valid JSON gives a note,
 * not an error: the model itself can still be inspected.
 */
export function readFolderConfig(modelFile: string, notes: string[]): FolderConfig | undefined {
  const dir = path.dirname(modelFile);
  const file = path.join(dir, 'config.json');
  // A tfjs model.json is itself the model, never its config.
  if (path.resolve(file) === path.resolve(modelFile)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readTextFileBoundedSync(file, MODEL_FILE_LIMITS.config));
  } catch (err) {
    if (isFileInputError(err) && err.code === 'fileMissing') return undefined;
    notes.push(`config.json next to the model could not be read: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  if (!isRecord(raw)) return undefined;
  const companionFiles = COMPANIONS.filter((f) => fs.existsSync(path.join(dir, f)));
  let labels: string[] | undefined;
  if (isRecord(raw.id2label)) {
    const entries = Object.entries(raw.id2label).filter(([k]) => /^\d+$/.test(k));
    labels = [];
    for (const [k, v] of entries.sort((a, b) => Number(a[0]) - Number(b[0]))) labels[Number(k)] = String(v);
  } else if (Array.isArray(raw.labels)) labels = raw.labels.map(String);
  const architectures = Array.isArray(raw.architectures) ? raw.architectures.map(String) : undefined;
  const task = typeof raw.task === 'string' ? raw.task : architectures?.some((a) => a.endsWith('ForSequenceClassification')) ? 'text-classification' : architectures?.some((a) => a.endsWith('ForImageClassification')) ? 'image-classification' : undefined;
  let preprocessing: string | undefined;
  if (isRecord(raw.preprocessing)) {
    const p = raw.preprocessing;
    const parts = [typeof p.kind === 'string' ? p.kind : undefined, typeof p.width === 'number' && typeof p.height === 'number' ? `${p.width}×${p.height}` : undefined, typeof p.channels === 'number' ? `${p.channels} channel${p.channels === 1 ? '' : 's'}` : undefined, Array.isArray(p.valueRange) ? `values ${p.valueRange.join('–')}` : undefined];
    preprocessing = parts.filter(Boolean).join(', ');
    if (typeof p.description === 'string') preprocessing += `${preprocessing ? ': ' : ''}${p.description}`;
  } else if (companionFiles.includes('vocab.txt') || companionFiles.includes('tokenizer.json')) {
    const maxLen = typeof raw.max_position_embeddings === 'number' ? `, up to ${raw.max_position_embeddings} tokens` : '';
    preprocessing = `WordPiece tokenizer (${companionFiles.includes('tokenizer.json') ? 'tokenizer.json' : 'vocab.txt'})${maxLen}`;
  }
  return {
    file,
    ...(typeof raw.model_type === 'string' ? { modelType: raw.model_type } : {}),
    ...(architectures ? { architectures } : {}),
    ...(task ? { task } : {}),
    ...(labels ? { labels } : {}),
    ...(typeof raw.problem_type === 'string' ? { problemType: raw.problem_type } : {}),
    ...(preprocessing ? { preprocessing } : {}),
    companionFiles,
  };
}

/** The model file's stat; a missing or empty file is refused with the inspector's sentence for it. */
export function statModelFile(file: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw inspectorError('notFound', [file]);
  }
  // A FIFO or a device reports size 0 (and opening a FIFO blocks): say what it is instead of "empty".
  if (!stat.isFile()) throw new FileInputError('fileNotRegular', [file, kindOf(stat)]);
  if (stat.size === 0) throw inspectorError('empty', [file]);
  return stat;
}
