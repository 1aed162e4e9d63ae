#!/usr/bin/python3
"""Peer benchmark: one CLIP training step in PyTorch on the reference configuration shared with
EcgVision's ClipTrainingStepBenchmarks (benchmarks/EcgVision.Benchmarks/Models/).

Image 3x128x128, ViT patch 16, width 192, depth 6, heads 3, MLP 768 (pre-norm, CLS pooling);
text vocabulary 8192, length 64, BERT width 256, depth 4, heads 4, MLP 1024 (post-norm, CLS pooling);
projection 256; batch 32; AdamW (0.9, 0.98), eps 1e-6; symmetric InfoNCE; 2 threads; random data.

Run with Debian's python3-torch:  /usr/bin/python3 benchmarks/peers/torch_clip_step.py [--steps 10]
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(width, width)
        self.key = nn.Linear(width, width)
        self.value = nn.Linear(width, width)

    def forward(self, x, mask=None):
        b, t, h = x.shape
        d = h // self.heads
        q, k, v = (m(x).view(b, t, self.heads, d).transpose(1, 2) for m in (self.query, self.key, self.value))
        if hasattr(F, "scaled_dot_product_attention"):
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:  # PyTorch 1.13 has no fused attention
            scores = q @ k.transpose(-2, -1) / math.sqrt(d)
            if mask is not None:
                scores = scores + mask
            ctx = scores.softmax(-1) @ v
        return ctx.transpose(1, 2).reshape(b, t, h)


class ViTLayer(nn.Module):
    def __init__(self, width, heads, mlp):
        super().__init__()
        self.layernorm_before = nn.LayerNorm(width, eps=1e-12)
        self.attention = SelfAttention(width, heads)
        self.attention_output = nn.Linear(width, width)
        self.layernorm_after = nn.LayerNorm(width, eps=1e-12)
        self.intermediate = nn.Linear(width, mlp)
        self.output = nn.Linear(mlp, width)

    def forward(self, x):
        h = x + self.attention_output(self.attention(self.layernorm_before(x)))
        return h + self.output(F.gelu(self.intermediate(self.layernorm_after(h))))


class ViT(nn.Module):
    def __init__(self, size=128, channels=3, patch=16, width=192, depth=6, heads=3, mlp=768):
        super().__init__()
        n = (size // patch) ** 2
        self.projection = nn.Conv2d(channels, width, patch, stride=patch)
        self.cls_token = nn.Parameter(torch.randn(1, 1, width) * 0.02)
        self.position_embeddings = nn.Parameter(torch.randn(1, n + 1, width) * 0.02)
        self.layers = nn.ModuleList(ViTLayer(width, heads, mlp) for _ in range(depth))
        self.layernorm = nn.LayerNorm(width, eps=1e-12)

    def forward(self, x):
        p = self.projection(x).flatten(2).transpose(1, 2)
        h = torch.cat([self.cls_token.expand(p.shape[0], -1, -1), p], 1) + self.position_embeddings
        for layer in self.layers:
            h = layer(h)
        return self.layernorm(h)[:, 0]


class BertLayer(nn.Module):
    def __init__(self, width, heads, mlp):
        super().__init__()
        self.attention = SelfAttention(width, heads)
        self.attention_output = nn.Linear(width, width)
        self.attention_norm = nn.LayerNorm(width, eps=1e-12)
        self.intermediate = nn.Linear(width, mlp)
        self.output = nn.Linear(mlp, width)
        self.output_norm = nn.LayerNorm(width, eps=1e-12)

    def forward(self, x, mask):
        a = self.attention_norm(x + self.attention_output(self.attention(x, mask)))
        return self.output_norm(a + self.output(F.gelu(self.intermediate(a))))


class Bert(nn.Module):
    def __init__(self, vocab=8192, length=64, width=256, depth=4, heads=4, mlp=1024):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, width)
        self.position_embeddings = nn.Embedding(length, width)
        self.token_type_embeddings = nn.Embedding(2, width)
        self.norm = nn.LayerNorm(width, eps=1e-12)
        self.layers = nn.ModuleList(BertLayer(width, heads, mlp) for _ in range(depth))

    def forward(self, ids, mask):
        pos = torch.arange(ids.shape[1])
        h = self.norm(self.word_embeddings(ids) + self.position_embeddings(pos)[None] + self.token_type_embeddings.weight[0])
        additive = ((mask.float() - 1) * 1e9)[:, None, None, :]
        for layer in self.layers:
            h = layer(h, additive)
        return h[:, 0]


class Clip(nn.Module):
    def __init__(self):
        super().__init__()
        self.vision_model = ViT()
        self.text_model = Bert()
        self.visual_projection = nn.Linear(192, 256, bias=False)
        self.text_projection = nn.Linear(256, 256, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = Clip().train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.2)
    images = torch.randn(32, 3, 128, 128)
    ids = torch.randint(4, 8192, (32, 64))
    mask = torch.ones(32, 64, dtype=torch.long)
    mask[:, 40:] = 0
    labels = torch.arange(32)

    def step():
        optimizer.zero_grad()
        i = F.normalize(model.visual_projection(model.vision_model(images)), dim=-1)
        t = F.normalize(model.text_projection(model.text_model(ids, mask)), dim=-1)
        logits = model.logit_scale.exp() * i @ t.t()
        loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.t(), labels)) / 2
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        return loss.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    times.sort()
    mean = sum(times) / len(times)
    print(f"torch {torch.__version__}, {args.threads} threads: mean {mean * 1000:.0f} ms/step, "
          f"median {times[len(times) // 2] * 1000:.0f} ms, min {times[0] * 1000:.0f} ms over {args.steps} steps")


if __name__ == "__main__":
    main()
