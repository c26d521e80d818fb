import * as fs from 'node:fs';
import { loadTokenizer, textModelError } from '../text/modelFolder';
import { parseArgs, UsageError } from './cliArgs';
import { defaultTextModelDir } from './classifyTextSubcommand';
import type { CliIo, Subcommand } from './subcommand';

const usage = [
  'usage: model-lab tokenize [--model DIR] [--json] [--no-special] TEXT…',
  '',
  '  Prints the WordPiece tokens of TEXT with their ids and UTF-16 character offsets [start, end).',
  '  --model DIR   a folder with vocab.txt or tokenizer.json (and tokenizer_config.json); default: the bundled model',
  '  --json        {"tokens": [...], "ids": [...], "offsets": [[start, end], ...]}',
  '  --no-special  leave out [CLS] and [SEP]',
].join('\n');

export const tokenizeSubcommand: Subcommand = {
  name: 'tokenize',
  summary: "show a model's WordPiece tokens, ids and character offsets for a text",
  async run(args: string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs(args, { flags: ['json', 'help', 'no-special'], options: ['model'] });
      if (parsed.flags.has('help')) {
        io.out(usage);
        return 0;
      }
      if (parsed.positionals.length === 0) throw new UsageError('give the text to tokenize');
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      io.err(`model-lab tokenize: ${err.message}`);
      io.err(usage.split('\n')[0]);
      return 2;
    }
    const dir = parsed.options.get('model') ?? defaultTextModelDir();
    if (!fs.existsSync(dir)) throw textModelError('folder-missing', 'The model folder {0} does not exist.', [dir]);
    const { tokenizer } = loadTokenizer(dir);
    const text = parsed.positionals.join(' ');
    const enc = tokenizer.encode(text, { addSpecialTokens: !parsed.flags.has('no-special') });
    if (parsed.flags.has('json')) {
      io.out(JSON.stringify({ tokens: enc.tokens, ids: enc.inputIds, offsets: enc.offsets }));
    } else {
      const width = Math.max(5, ...enc.tokens.map((t) => t.length));
      io.out(`${'token'.padEnd(width)}  ${'id'.padStart(6)}  offsets`);
      enc.tokens.forEach((t, i) => io.out(`${t.padEnd(width)}  ${String(enc.inputIds[i]).padStart(6)}  ${enc.offsets[i][0]}–${enc.offsets[i][1]}`));
    }
    return 0;
  },
};
