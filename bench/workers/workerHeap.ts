/**
 * How the workers' V8 heap limits (src/common/workerClient.ts WORKER_HEAP_MB) were chosen: each real worker runs
 * its largest accepted input under a series of heap limits, smallest first, and the table lists the smallest
 * limit that passed. `npx tsx bench/workers/workerHeap.ts [scenario…]`; results go to bench/workers/workerHeap.md
 * by hand (a run takes minutes).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkerClient } from '../../src/common/workerClient';
import { classifyImageFile } from '../../src/workers/imageProtocol';
import { inspectModelFile } from '../../src/workers/inspectorProtocol';
import { classifyText } from '../../src/workers/textProtocol';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'model-lab-heap-'));
// HEAP_LIMITS=512,1024 narrows the search for slow scenarios (a 50 MP JPEG takes minutes to decode here).
const LIMITS = process.env.HEAP_LIMITS ? process.env.HEAP_LIMITS.split(',').map(Number) : [32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048];

function text(bytes: number): string {
  const words = 'the model of a spam mail offer free money click here meeting tomorrow project report attached please review thanks regards'.split(' ');
  let s = '';
  let i = 0;
  while (s.length < bytes) s += words[(i++ * 7919) % words.length] + (i % 17 ? ' ' : '.\n');
  return s.slice(0, bytes);
}

interface Scenario {
  readonly worker: string;
  readonly run: (client: WorkerClient) => Promise<unknown>;
}

const scenarios: Record<string, () => Scenario> = {
  'text 1 MB': () => {
    const t = text(1 << 20);
    return { worker: 'textWorker.ts', run: (c) => c.call(classifyText, { modelDir: path.join(root, 'models/spam-bert-tiny'), threads: 1, texts: [t], options: {} }) };
  },
  'text 4 MB': () => {
    const t = text(4 << 20);
    return { worker: 'textWorker.ts', run: (c) => c.call(classifyText, { modelDir: path.join(root, 'models/spam-bert-tiny'), threads: 1, texts: [t], options: {} }) };
  },
  'image 50 MP PNG': () => {
    const file = path.join(tmp, 'big.png');
    execFileSync('convert', ['-size', '7000x7000', 'gradient:white-black', '-depth', '8', file]);
    return { worker: 'imageWorker.ts', run: (c) => c.call(classifyImageFile, { model: path.join(root, 'models/mnist-cnn'), file, preview: true }) };
  },
  'image 50 MP JPEG': () => {
    const file = path.join(tmp, 'big.jpg');
    // 4:2:0 chroma subsampling, as cameras write; 4:4:4 at this size exceeds jpeg-js's 1 GB decode budget.
    execFileSync('convert', ['-size', '7000x7000', 'plasma:', '-sampling-factor', '4:2:0', '-quality', '85', file]);
    return { worker: 'imageWorker.ts', run: (c) => c.call(classifyImageFile, { model: path.join(root, 'models/mnist-cnn'), file, preview: true }) };
  },
  'inspector: bundled text model': () => ({ worker: 'inspectorWorker.ts', run: (c) => c.call(inspectModelFile, { file: path.join(root, 'models/spam-bert-tiny/model.onnx') }) }),
};

async function smallestPassingLimit(s: Scenario): Promise<{ limit: number | undefined; ms: number; failures: string[] }> {
  const failures: string[] = [];
  for (const limit of LIMITS) {
    const client = new WorkerClient(path.join(root, 'src/workers', s.worker), { heapMb: limit });
    const started = Date.now();
    try {
      await s.run(client);
      return { limit, ms: Date.now() - started, failures };
    } catch (err) {
      failures.push(`${limit} MB: ${(err as Error).message.slice(0, 80)}`);
    } finally {
      client.dispose();
    }
  }
  return { limit: undefined, ms: 0, failures };
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  for (const [name, make] of Object.entries(scenarios)) {
    if (wanted.length && !wanted.some((w) => name.includes(w))) continue;
    const r = await smallestPassingLimit(make());
    console.log(`${name}: smallest passing heap limit ${r.limit ?? '> ' + LIMITS[LIMITS.length - 1]} MB (run ${r.ms} ms); failed: ${r.failures.join('; ') || 'none'}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

void main();
