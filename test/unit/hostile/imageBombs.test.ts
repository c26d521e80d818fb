/**
 * Issue #17 defects 3 and 4: image decompression and frame bombs are refused quickly and cheaply, by the
 * decoder the image worker and the CLI share (each run in its own process so its memory can be measured).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostileCorpus, hostileFiles } from '../../fixtures/hostile/generate';
import { probe } from './probeClient';

const corpus = hostileCorpus();

for (const name of ['png-bomb.png', 'png-bomb-interlaced-16bit.png']) {
  test(`defect 3 (PNG decompression bomb): ${name} (3 MB inflating to 3 GB) is refused in ≤ 1 s with ≤ 100 MB above the baseline`, () => {
    const file = path.join(corpus, name);
    assert.ok(fs.statSync(file).size > 3_000_000, 'the bomb is a few MB');
    const r = probe('decode', [file], { timeoutMs: 15_000 });
    assert.equal(r.code, 1, `decoded instead of refused: ${r.out}`);
    assert.match(r.err, /corrupt: .*damaged.*more than the 64 × 64 pixels the header declares/);
    assert.ok(r.ms <= 1000, `took ${r.ms.toFixed(0)} ms`);
    assert.ok(r.peakAboveBaselineMB <= 100, `peak ${r.peakAboveBaselineMB.toFixed(0)} MB above the baseline`);
  });
}

test('defect 4 (GIF frame bomb): a 35-byte GIF whose frame says 65535 × 65535 is refused in ≤ 1 s with ≤ 100 MB', () => {
  const file = path.join(hostileFiles, 'gif-frame-bomb.gif');
  assert.equal(fs.statSync(file).size, 35);
  const r = probe('decode', [file], { timeoutMs: 15_000 });
  assert.equal(r.code, 1, `decoded instead of refused: ${r.out}`);
  assert.match(r.err, /corrupt: .*frame 1 is 65535 × 65535 pixels at \(0, 0\), outside the 1 × 1 image/);
  assert.ok(r.ms <= 1000, `took ${r.ms.toFixed(0)} ms`);
  assert.ok(r.peakAboveBaselineMB <= 100, `peak ${r.peakAboveBaselineMB.toFixed(0)} MB above the baseline`);
});

test('a progressive JPEG too large for a full decode (49 megapixels; jpeg-js ran 17 s into its 1 GB cap, then said "damaged") is refused from its header in ≤ 1 s, naming the limit', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lab-jpeg-'));
  const file = path.join(dir, 'progressive-49mp.jpg');
  // SOI, a SOF2 (progressive) frame header for 7000 × 7000 pixels, 3 components, EOI: the header alone decides.
  const sof2 = [0xff, 0xc2, 0x00, 0x11, 8, 0x1b, 0x58, 0x1b, 0x58, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  fs.writeFileSync(file, Uint8Array.from([0xff, 0xd8, ...sof2, 0xff, 0xd9]));
  const r = probe('decode', [file], { timeoutMs: 15_000 });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.code, 1, `decoded instead of refused: ${r.out}`);
  assert.match(r.err, /jpegTooLargeForFullDecode: .*7000 × 7000 pixels \(49\.0 megapixels\).*up to 25 megapixels/);
  assert.ok(r.ms <= 1000, `took ${r.ms.toFixed(0)} ms`);
});
