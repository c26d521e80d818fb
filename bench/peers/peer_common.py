"""What every PyTorch peer of `npm run bench` shares: reading OUR weights (raw float32 + an index, written by
bench/lib/torchPeer.ts) and timing a call the way the TypeScript side does (warm-up, then at least
minIterations and at most maxIterations runs, stopping after budgetMs). Imported by the peer scripts next to it
(Python puts a script's own folder first on sys.path)."""
import time

import numpy as np
import torch


def load_weights(spec):
    flat = np.fromfile(spec["bin"], dtype="<f4")
    state = {}
    for t in spec["index"]:
        n = int(np.prod(t["shape"]))
        state[t["name"]] = torch.from_numpy(flat[t["offset"]:t["offset"] + n].reshape(t["shape"]).copy())
    return state


def time_runs(fn, run):
    for _ in range(run["warmup"]):
        fn()
    samples = []
    started = time.perf_counter()
    while len(samples) < run["maxIterations"] and (len(samples) < run["minIterations"] or (time.perf_counter() - started) * 1000 < run["budgetMs"]):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples
