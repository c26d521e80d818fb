/**
 * Running the PyTorch peers (bench/peers/*.py) and writing the weights they load.
 *
 * PyTorch comes from Debian (`python3-torch`, for /usr/bin/python3 — not whatever `python3` a version manager
 * puts first on PATH). Without `libopenblas0-pthread` Debian's PyTorch falls back to reference BLAS and runs
 * ~10× slower, which would flatter us: the bench then reports PyTorch as "not run" with the install hint.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const TORCH_INSTALL_HINT = 'apt-get install -y python3-torch libopenblas0-pthread';

export interface TorchAvailability {
  readonly ok: boolean;
  readonly python: string;
  readonly version?: string;
  readonly reason?: string;
  readonly blas?: string;
}

let cached: TorchAvailability | undefined;

/** Python with Debian's torch, and whether the threaded OpenBLAS is what libblas.so.3 resolves to. */
export function torchAvailability(): TorchAvailability {
  if (cached) return cached;
  const python = process.env.MODEL_LAB_BENCH_PYTHON ?? '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status !== 0) {
    cached = { ok: false, python, reason: `PyTorch is not installed for ${python} (${TORCH_INSTALL_HINT})` };
    return cached;
  }
  const version = probe.stdout.trim();
  const blas = blasLibrary();
  if (!/openblas/.test(blas) || !fs.existsSync('/usr/share/doc/libopenblas0-pthread')) {
    cached = { ok: false, python, version, blas, reason: `PyTorch ${version} would use ${blas}, not the threaded OpenBLAS: an unfair peer (${TORCH_INSTALL_HINT})` };
    return cached;
  }
  cached = { ok: true, python, version, blas };
  return cached;
}

/** Which BLAS libblas.so.3 resolves to (Debian alternatives). */
function blasLibrary(): string {
  for (const link of ['/usr/lib/x86_64-linux-gnu/libblas.so.3', '/usr/lib/libblas.so.3']) {
    try {
      return fs.realpathSync(link);
    } catch {
      // try the next location
    }
  }
  return 'no libblas.so.3';
}

/** Writes named float32 tensors as one raw little-endian file plus an index (what the peers read). */
export function writeRawWeights(dir: string, tensors: Iterable<[string, { shape: number[]; data: Float32Array }]>): { bin: string; index: { name: string; shape: number[]; offset: number }[] } {
  fs.mkdirSync(dir, { recursive: true });
  const bin = path.join(dir, 'weights.f32');
  const fd = fs.openSync(bin, 'w');
  const index: { name: string; shape: number[]; offset: number }[] = [];
  let offset = 0;
  try {
    for (const [name, t] of tensors) {
      fs.writeSync(fd, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      index.push({ name, shape: t.shape, offset });
      offset += t.data.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { bin, index };
}

export interface TorchRunResult {
  readonly samplesMs?: number[];
  readonly error?: string;
  readonly [key: string]: unknown;
}

export interface TorchOutput {
  readonly torch: string;
  readonly threads: number;
  readonly check: { maxAbsDiff: number };
  readonly error?: string;
  readonly runs: TorchRunResult[];
  readonly [key: string]: unknown;
}

/** Runs a peer script on a job file; resolves to its JSON output. Progress lines on its stderr are forwarded. */
export function runTorchPeer(script: string, job: unknown, workDir: string, log: (line: string) => void): Promise<TorchOutput> {
  const avail = torchAvailability();
  const jobPath = path.join(workDir, `${path.basename(script, '.py')}.job.json`);
  fs.writeFileSync(jobPath, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    // Debian's torch runs its intra-op threads on OpenMP, whose threads spin between parallel regions by
    // default and then fight OpenBLAS's own threads for the 2 cores: measured 1.9 s vs 0.47 s for 12
    // encoder layers at 128 tokens with OMP_WAIT_POLICY=PASSIVE. The peer gets its best setting.
    const env = { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' };
    const child = spawn(avail.python, [script, jobPath], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      for (const line of d.toString().split('\n')) if (line.trim()) log(`  [torch] ${line.trim()}`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${path.basename(script)} exited with ${code}: ${err.trim().split('\n').slice(-1)[0] ?? ''}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as TorchOutput);
      } catch {
        reject(new Error(`${path.basename(script)} printed no JSON: ${out.slice(0, 200)}`));
      }
    });
  });
}
