/**
 * Transformers.js (`@huggingface/transformers`) as a peer, fully offline: a model folder in its layout
 * (`config.json`, `tokenizer.json`, `tokenizer_config.json`, `onnx/model.onnx`) built from one of ours, loaded
 * with `env.allowRemoteModels = false` and an absolute `env.localModelPath`.
 *
 * Transformers.js refuses a folder with only `vocab.txt`, so `writeBertTokenizerJson` writes the standard
 * `BertTokenizer` tokenizer.json (what Hugging Face's `tokenizers` saves for bert-base-uncased): BertNormalizer,
 * BertPreTokenizer, WordPiece model, TemplateProcessing [CLS] $A [SEP].
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const TRANSFORMERS_INSTALL_HINT = 'npm install --save-dev @huggingface/transformers@^4 (with onnxruntime-node-install=skip in .npmrc)';

type TransformersModule = typeof import('@huggingface/transformers', { with: { 'resolution-mode': 'import' } });

let loaded: Promise<TransformersModule> | undefined;

/** Imports Transformers.js and switches it to local-only loading from `modelsRoot`. */
export function loadTransformers(modelsRoot: string): Promise<TransformersModule> {
  loaded ??= import('@huggingface/transformers');
  return loaded.then((t) => {
    t.env.allowRemoteModels = false;
    t.env.allowLocalModels = true;
    t.env.localModelPath = path.resolve(modelsRoot) + path.sep;
    t.env.useBrowserCache = false;
    return t;
  });
}

export function transformersVersion(repoRoot: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/@huggingface/transformers/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

const SPECIALS: [string, number][] = [];

/** Writes tokenizer.json + tokenizer_config.json for a lower-casing BERT WordPiece vocabulary. */
export function writeBertTokenizerJson(dir: string, vocabTxt: string, maxLength: number): void {
  const vocab: Record<string, number> = {};
  vocabTxt.split('\n').forEach((line, i) => {
    const token = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (token !== '' && !(token in vocab)) vocab[token] = i;
  });
  SPECIALS.length = 0;
  for (const t of ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']) {
    if (!(t in vocab)) throw new Error(`the vocabulary has no ${t}`);
    SPECIALS.push([t, vocab[t]]);
  }
  const special = (t: string) => ({ id: t, ids: [vocab[t]], tokens: [t] });
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map(([content, id]) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson));
  fs.writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      tokenize_chinese_chars: true,
      strip_accents: null,
      model_max_length: maxLength,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    }),
  );
}

/**
 * A Transformers.js folder `<root>/<name>` made from one of our model folders: config.json copied,
 * tokenizer.json written from vocab.txt, the graph linked (or copied) to onnx/model.onnx.
 */
export function transformersFolderFrom(modelDir: string, root: string, name: string, maxLength: number): string {
  const dir = path.join(root, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  fs.copyFileSync(path.join(modelDir, 'config.json'), path.join(dir, 'config.json'));
  writeBertTokenizerJson(dir, fs.readFileSync(path.join(modelDir, 'vocab.txt'), 'utf8'), maxLength);
  const target = path.join(dir, 'onnx', 'model.onnx');
  try {
    fs.symlinkSync(path.resolve(modelDir, 'model.onnx'), target);
  } catch {
    fs.copyFileSync(path.join(modelDir, 'model.onnx'), target);
  }
  return dir;
}
