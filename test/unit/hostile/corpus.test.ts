/**
 * Issue #17 "Also": every entry of the hostile-input corpus (test/fixtures/hostile: committed small files and
 * the generated large ones) through the CLI entry point that reads it, each in its own process: no run takes
 * more than 2 s or 300 MB above the memory in use before it, and each ends with a sentence naming the file
 * (or, where the input is acceptable, a result). Items 1, 2, 6, 9 and 11 (training output folder, atomic
 * replace, split, /proc, --seq/--epochs bounds) are covered by engineer `train`'s tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { hostileCorpus, hostileFiles } from '../../fixtures/hostile/generate';
import { probe } from './probeClient';

const generated = hostileCorpus();

const runs: { entry: string; args: string[]; code: number; expect: RegExp }[] = [
  { entry: 'png-bomb.png', args: ['classify-image', path.join(generated, 'png-bomb.png')], code: 1, expect: /png-bomb\.png is damaged/ },
  { entry: 'png-bomb-interlaced-16bit.png', args: ['classify-image', path.join(generated, 'png-bomb-interlaced-16bit.png')], code: 1, expect: /png-bomb-interlaced-16bit\.png is damaged/ },
  { entry: 'gif-frame-bomb.gif', args: ['classify-image', path.join(hostileFiles, 'gif-frame-bomb.gif')], code: 1, expect: /gif-frame-bomb\.gif is damaged .*frame 1/ },
  { entry: 'jpeg-no-scan.jpg', args: ['classify-image', path.join(hostileFiles, 'jpeg-no-scan.jpg')], code: 1, expect: /jpeg-no-scan\.jpg is damaged/ },
  { entry: 'markdown-stars.md', args: ['quiz', 'import', path.join(generated, 'markdown-stars.md')], code: 1, expect: /markdown-stars\.md:1: .*levels deep/ },
  { entry: 'markdown-star-a.md', args: ['quiz', 'import', path.join(generated, 'markdown-star-a.md')], code: 0, expect: /2 questions/ },
  { entry: 'cr-only.quiz.md', args: ['quiz', 'import', path.join(hostileFiles, 'cr-only.quiz.md')], code: 0, expect: /3 questions/ },
  { entry: 'late-invalid-utf8.txt', args: ['classify-text', '--file', path.join(generated, 'late-invalid-utf8.txt')], code: 1, expect: /late-invalid-utf8\.txt looks like a binary file/ },
  { entry: 'late-nul.txt', args: ['classify-text', '--file', path.join(generated, 'late-nul.txt')], code: 1, expect: /late-nul\.txt looks like a binary file/ },
  { entry: 'late-nul.txt as training data', args: ['train-text', '--data', path.join(generated, 'late-nul.txt'), '--out', path.join(generated, 'never-written')], code: 1, expect: /late-nul\.txt/ },
];

for (const r of runs) {
  test(`hostile corpus: ${r.args[0]} ${r.entry} ends in ≤ 2 s with ≤ 300 MB above the baseline`, () => {
    const report = probe('cli', r.args, { timeoutMs: 20_000 });
    assert.equal(report.code, r.code, `exit ${report.code}: ${report.out}\n${report.err}`);
    assert.match(report.out + '\n' + report.err, r.expect);
    assert.doesNotMatch(report.err, /Cannot read properties|is not a function|is not iterable|\bat .*\(.*:\d+:\d+\)/);
    assert.ok(report.ms <= 2000, `took ${report.ms.toFixed(0)} ms`);
    assert.ok(report.peakAboveBaselineMB <= 300, `peak ${report.peakAboveBaselineMB.toFixed(0)} MB above the baseline`);
  });
}
