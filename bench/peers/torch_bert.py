#!/usr/bin/env python3
"""PyTorch peer for `npm run bench`: Hugging Face BertForSequenceClassification semantics, on OUR weights.

Reads a job JSON (path in argv[1]) written by bench/sections/textBert.ts:
  {"config": {...BertClassifierConfig...}, "weights": {"bin": path, "index": [{"name","shape","offset"}]},
   "threads": N, "check": {"ids": [[...]], "mask": [[...]], "logits": [[...]]},
   "runs": [{"seq": S, "batch": B, "variant": "fp32"|"int8", "warmup", "minIterations", "maxIterations", "budgetMs"}]}
Prints one JSON object on stdout: torch version, threads, the parity check (max |ours - torch| on the check
input; the script refuses to time when it exceeds 1e-3), and per run the list of wall-clock samples in ms.

The module is written out here (no `transformers` package): embeddings word + token type + position then
LayerNorm(eps); additive mask (1 - mask) * -10000; exact erf GELU; pooled = tanh(dense(h[:, 0])); classifier.
"""
import json
import math
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from peer_common import load_weights, time_runs


class SelfAttention(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.query = nn.Linear(h, h)
        self.key = nn.Linear(h, h)
        self.value = nn.Linear(h, h)


class AttentionOutput(nn.Module):
    def __init__(self, h, eps):
        super().__init__()
        self.dense = nn.Linear(h, h)
        self.LayerNorm = nn.LayerNorm(h, eps=eps)


class Attention(nn.Module):
    def __init__(self, h, eps):
        super().__init__()
        self.self = SelfAttention(h)
        self.output = AttentionOutput(h, eps)


class Intermediate(nn.Module):
    def __init__(self, h, i):
        super().__init__()
        self.dense = nn.Linear(h, i)


class Output(nn.Module):
    def __init__(self, h, i, eps):
        super().__init__()
        self.dense = nn.Linear(i, h)
        self.LayerNorm = nn.LayerNorm(h, eps=eps)


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h, i, eps = cfg["hiddenSize"], cfg["intermediateSize"], cfg["layerNormEps"]
        self.heads = cfg["numAttentionHeads"]
        self.attention = Attention(h, eps)
        self.intermediate = Intermediate(h, i)
        self.output = Output(h, i, eps)

    def forward(self, x, mask_bias):
        b, s, h = x.shape
        d = h // self.heads
        att = self.attention.self

        def split(t):
            return t.view(b, s, self.heads, d).transpose(1, 2)

        q, k, v = split(att.query(x)), split(att.key(x)), split(att.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + mask_bias
        ctx = torch.matmul(F.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, s, h)
        a = self.attention.output.LayerNorm(self.attention.output.dense(ctx) + x)
        inter = F.gelu(self.intermediate.dense(a))  # exact erf form (PyTorch's default)
        return self.output.LayerNorm(self.output.dense(inter) + a)


class Embeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        h = cfg["hiddenSize"]
        self.word_embeddings = nn.Embedding(cfg["vocabSize"], h)
        self.position_embeddings = nn.Embedding(cfg["maxPositionEmbeddings"], h)
        self.token_type_embeddings = nn.Embedding(cfg["typeVocabSize"], h)
        self.LayerNorm = nn.LayerNorm(h, eps=cfg["layerNormEps"])


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layer = nn.ModuleList([Layer(cfg) for _ in range(cfg["numHiddenLayers"])])


class Pooler(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.dense = nn.Linear(h, h)


class Bert(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embeddings = Embeddings(cfg)
        self.encoder = Encoder(cfg)
        self.pooler = Pooler(cfg["hiddenSize"])


class BertForSequenceClassification(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.bert = Bert(cfg)
        self.classifier = nn.Linear(cfg["hiddenSize"], cfg["numLabels"])

    def forward(self, ids, mask, token_types):
        e = self.bert.embeddings
        positions = torch.arange(ids.shape[1], dtype=torch.long)
        x = e.LayerNorm(e.word_embeddings(ids) + e.token_type_embeddings(token_types) + e.position_embeddings(positions)[None])
        mask_bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.bert.encoder.layer:
            x = layer(x, mask_bias)
        pooled = torch.tanh(self.bert.pooler.dense(x[:, 0]))
        return self.classifier(pooled)


def main():
    job = json.load(open(sys.argv[1]))
    torch.set_num_threads(job["threads"])
    cfg = job["config"]
    model = BertForSequenceClassification(cfg).eval()
    state = load_weights(job["weights"])
    state = {k: v for k, v in state.items() if k in model.state_dict()}
    model.load_state_dict(state, strict=True)

    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_info(), "runs": []}
    check = job["check"]
    ids = torch.tensor(check["ids"], dtype=torch.long)
    mask = torch.tensor(check["mask"], dtype=torch.long)
    with torch.inference_mode():
        logits = model(ids, mask, torch.zeros_like(ids))
    diff = float(np.max(np.abs(logits.numpy() - np.array(check["logits"], dtype=np.float32))))
    out["check"] = {"maxAbsDiff": diff, "shape": list(ids.shape)}
    if not diff < 1e-3:
        out["error"] = f"PyTorch logits differ from ORT's by {diff:.3g} (> 1e-3) on the check input; not timing"
        print(json.dumps(out))
        return

    quantized = None
    rng = np.random.default_rng(7)
    # Each variant's share of the bench's time budget, as bench/lib/measure.ts EngineBudget: the measured cost
    # per FLOP of the shapes so far decides whether the next shape fits (cut down, or skipped with the reason).
    budgets = job.get("budgetsMs", {})
    spent = {"fp32": 0.0, "int8": 0.0}
    rate = {}
    for run in job["runs"]:
        variant = run["variant"]
        total = budgets.get(variant)
        if total is not None and variant in rate:
            left = total - spent[variant]
            one = rate[variant] * run["units"]
            if one > left:
                out["runs"].append({**run, "skip": f"one run would take ~{one / 1000:.0f} s on this machine now (from the measured rate of the smaller shapes), more than the {max(0, left) / 1000:.0f} s left of pytorch-{variant}'s {total / 1000:.0f} s share of the 10-minute budget"})
                continue
            n = int(left // one)
            if n < run["warmup"] + run["minIterations"]:
                warm = 1 if n >= 3 else 0
                runs_left = max(1, n - warm)
                run = {**run, "warmup": warm, "minIterations": runs_left, "maxIterations": runs_left, "budgetMs": 0, "note": f"cut to {warm} warm-up + {runs_left} runs to fit the time budget"}
            else:
                run = {**run, "budgetMs": min(run["budgetMs"], left - run["warmup"] * one)}
        net = model
        if run["variant"] == "int8":
            if quantized is None:
                try:
                    quantized = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
                    with torch.inference_mode():
                        q_logits = quantized(ids, mask, torch.zeros_like(ids))
                    out["int8MaxAbsDiffVsFp32"] = float(torch.max(torch.abs(q_logits - logits)))
                except Exception as err:  # noqa: BLE001 - reported, not swallowed
                    out["int8Error"] = f"{type(err).__name__}: {err}"
                    quantized = False
            if quantized is False:
                out["runs"].append({**run, "error": out["int8Error"]})
                continue
            net = quantized
        b, s = run["batch"], run["seq"]
        x = torch.from_numpy(rng.integers(1000, cfg["vocabSize"], size=(b, s))).long()
        m = torch.ones((b, s), dtype=torch.long)
        t = torch.zeros((b, s), dtype=torch.long)

        def call():
            with torch.inference_mode():
                net(x, m, t)

        w0 = time.perf_counter()
        samples = time_runs(call, run)
        spent[variant] += (time.perf_counter() - w0) * 1000
        rate[variant] = min(samples) / run["units"]
        out["runs"].append({**run, "samplesMs": samples})
        sys.stderr.write(f"torch {variant} {s}x{b}: {len(samples)} runs, p50 {sorted(samples)[(len(samples) - 1) // 2]:.1f} ms\n")
    print(json.dumps(out))


def blas_info():
    try:
        cfg = torch.__config__.show()
        for line in cfg.splitlines():
            if "BLAS_INFO" in line:
                return line.strip()
    except Exception:  # noqa: BLE001
        pass
    return "unknown"


if __name__ == "__main__":
    main()
