#!/usr/bin/env python3
"""PyTorch peer for `npm run bench`: the bundled image CNN, on OUR weights (read from the ONNX initializers by
bench/sections/image.ts and written as raw float32 + an index).

Job JSON (argv[1]): {"layers": [...], "weights": {"bin", "index"}, "inputShape": [H, W, C], "threads": N,
 "check": {"input": [flat NHWC floats], "batch": B, "output": [flat]},
 "runs": [{"batch", "warmup", "minIterations", "maxIterations", "budgetMs"}]}
Layers (from the ONNX graph, in order): conv {weight OIHW, bias, strides, pad 'valid'|'same', activation},
maxpool/avgpool {kernel, strides}, flatten (Keras order: NHWC), dense {weight [in, out], bias, activation}.
Prints JSON: torch version, threads, the parity check (refuses to time above 1e-4 max abs diff), samples (ms).
"""
import json
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from peer_common import load_weights, time_runs


ACTIVATIONS = {"linear": lambda x: x, "relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "softmax": lambda x: F.softmax(x, dim=-1)}


class Cnn(nn.Module):
    def __init__(self, layers, weights):
        super().__init__()
        self.steps = []
        self.mods = nn.ModuleList()
        for layer in layers:
            kind = layer["type"]
            if kind == "conv":
                w = weights[layer["weight"]]
                conv = nn.Conv2d(w.shape[1], w.shape[0], tuple(w.shape[2:]), stride=tuple(layer["strides"]), padding=layer["pad"])
                conv.weight.data.copy_(w)
                conv.bias.data.copy_(weights[layer["bias"]])
                self.mods.append(conv)
                self.steps.append((conv, ACTIVATIONS[layer["activation"]]))
            elif kind in ("maxpool", "avgpool"):
                pool = (nn.MaxPool2d if kind == "maxpool" else nn.AvgPool2d)(tuple(layer["kernel"]), stride=tuple(layer["strides"]))
                self.steps.append((pool, None))
            elif kind == "flatten":
                self.steps.append(("flatten", None))
            elif kind == "dense":
                w = weights[layer["weight"]]  # [in, out]
                lin = nn.Linear(w.shape[0], w.shape[1])
                lin.weight.data.copy_(w.t())
                lin.bias.data.copy_(weights[layer["bias"]])
                self.mods.append(lin)
                self.steps.append((lin, ACTIVATIONS[layer["activation"]]))
            else:
                raise ValueError(f"layer type {kind}")

    def forward(self, x_nhwc):
        x = x_nhwc.permute(0, 3, 1, 2)
        for mod, act in self.steps:
            if mod == "flatten":
                x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
            else:
                x = mod(x)
                if act is not None:
                    x = act(x)
        return x


def main():
    job = json.load(open(sys.argv[1]))
    torch.set_num_threads(job["threads"])
    model = Cnn(job["layers"], load_weights(job["weights"])).eval()
    h, w, c = job["inputShape"]
    check = job["check"]
    x = torch.tensor(check["input"], dtype=torch.float32).reshape(check["batch"], h, w, c)
    with torch.inference_mode():
        y = model(x).numpy().reshape(-1)
    diff = float(np.max(np.abs(y - np.array(check["output"], dtype=np.float32))))
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "check": {"maxAbsDiff": diff}, "runs": []}
    if not diff < 1e-4:
        out["error"] = f"PyTorch outputs differ from ORT's by {diff:.3g} (> 1e-4) on the check batch; not timing"
        print(json.dumps(out))
        return
    rng = np.random.default_rng(3)
    for run in job["runs"]:
        xb = torch.from_numpy(rng.random((run["batch"], h, w, c), dtype=np.float32))

        def call():
            with torch.inference_mode():
                model(xb)

        out["runs"].append({**run, "samplesMs": time_runs(call, run)})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
