"""KV-cache arithmetic: the memory a decoder needs to *remember* its context.

Per token and per layer the model stores one key and one value vector for each
KV head, so
    bytes/token = 2 (K and V) * attention layers * kv_heads * head_dim * bytes_per_element
and the cache for a sequence is that times the number of tokens (times batch).

1. Measure: run a tiny multi-layer GQA decoder token by token, keep the keys and values
   its layers actually produce, and sum the bytes of those tensors. The measurement
   never uses the formula; the formula is then checked against it.
2. Apply the formula to published configs (Hugging Face config.json of each model).
"""
import math

import torch
import torch.nn as nn

torch.manual_seed(0)


def kv_bytes_per_token(layers, kv_heads, head_dim, bytes_per_elem=2):
    return 2 * layers * kv_heads * head_dim * bytes_per_elem


# ---------------------------------------------------------------------------
# 1. A real cache from a decode loop.
# ---------------------------------------------------------------------------
class Layer(nn.Module):
    def __init__(self, d, n_heads, n_kv_heads):
        super().__init__()
        self.h, self.kv, self.hd = n_heads, n_kv_heads, d // n_heads
        self.wq = nn.Linear(d, d, bias=False)
        self.wk = nn.Linear(d, n_kv_heads * self.hd, bias=False)
        self.wv = nn.Linear(d, n_kv_heads * self.hd, bias=False)
        self.wo = nn.Linear(d, d, bias=False)

    def attend(self, q, k, v, causal):
        rep = self.h // self.kv
        k, v = k.float().repeat_interleave(rep, 0), v.float().repeat_interleave(rep, 0)
        att = q @ k.transpose(-2, -1) / math.sqrt(self.hd)
        if causal:
            t = att.shape[-1]
            att = att.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        return (att.softmax(-1) @ v).transpose(0, 1).reshape(-1, self.h * self.hd)

    def forward_full(self, x):                        # whole sequence, no cache
        t = x.shape[0]
        q = self.wq(x).view(t, self.h, self.hd).transpose(0, 1)
        k = self.wk(x).view(t, self.kv, self.hd).transpose(0, 1)
        v = self.wv(x).view(t, self.kv, self.hd).transpose(0, 1)
        return x + self.wo(self.attend(q, k, v, causal=True))

    def forward_step(self, x, cache, dtype):          # one new token, append to the cache
        q = self.wq(x).view(1, self.h, self.hd).transpose(0, 1)
        k = self.wk(x).view(1, self.kv, self.hd).transpose(0, 1).to(dtype)
        v = self.wv(x).view(1, self.kv, self.hd).transpose(0, 1).to(dtype)
        if cache:
            k, v = torch.cat([cache[0], k], dim=1), torch.cat([cache[1], v], dim=1)
        cache[:] = [k, v]
        return x + self.wo(self.attend(q, k, v, causal=False)), cache


def decode(layers, xs, dtype):
    """Feed tokens one at a time; return the outputs and the per-layer caches."""
    caches = [[] for _ in layers]
    outs = []
    for t in range(xs.shape[0]):
        h = xs[t: t + 1]
        for layer, cache in zip(layers, caches):
            h, _ = layer.forward_step(h, cache, dtype)
        outs.append(h)
    return torch.cat(outs), caches


def measured_bytes(caches):
    return sum(t.numel() * t.element_size() for cache in caches for t in cache)


d, n_heads, n_layers, n_tokens = 64, 8, 3, 20
xs = torch.randn(n_tokens, d)
measured = {}
for n_kv in (8, 2):                                   # MHA (8 KV heads) vs GQA (2)
    layers = [Layer(d, n_heads, n_kv) for _ in range(n_layers)]
    with torch.no_grad():
        full = xs
        for layer in layers:
            full = layer.forward_full(full)
        out32, c32 = decode(layers, xs, torch.float32)
        out16, c16 = decode(layers, xs, torch.bfloat16)
    # The cache is a working cache: incremental decoding equals the full causal pass.
    assert torch.allclose(out32, full, atol=1e-5)
    assert torch.allclose(out16, full, atol=0.1)     # bf16 keys/values: small rounding only
    for caches, nbytes in ((c32, 4), (c16, 2)):
        got = measured_bytes(caches)
        assert got == kv_bytes_per_token(n_layers, n_kv, d // n_heads, nbytes) * n_tokens, got
    measured[n_kv] = measured_bytes(c16)
assert measured[8] == 4 * measured[2]                 # 8 -> 2 KV heads: 4x smaller, measured
print(f"measured cache, {n_layers} layers x {n_tokens} tokens, bf16: "
      f"MHA {measured[8]} B, GQA {measured[2]} B (formula agrees)")

# ---------------------------------------------------------------------------
# 2. Published configs.
# ---------------------------------------------------------------------------
MODELS = {
    # name: (attention layers, kv heads, head_dim, context length shown)
    "Llama-2-7B (MHA)": (32, 32, 128, 4_096),
    "Llama-3.1-8B (GQA)": (32, 8, 128, 131_072),
    "Llama-3.1-70B (GQA)": (80, 8, 128, 131_072),
    "Mixtral-8x7B (GQA)": (32, 8, 128, 262_144),
    "Jamba (4 of 32 attn)": (4, 8, 128, 262_144),    # 1 attention layer per 8; rest Mamba
}
GiB = 2 ** 30
for name, (layers, kv_heads, head_dim, ctx) in MODELS.items():
    per_tok = kv_bytes_per_token(layers, kv_heads, head_dim)
    print(f"{name:21s} {per_tok // 1024:4d} KiB/token; {ctx:>7,}-token "
          f"context: {per_tok * ctx / GiB:5.1f} GiB per sequence (bf16)")

# Hand-checked values quoted in the answer.
assert kv_bytes_per_token(32, 8, 128) == 128 * 1024            # Llama 3 8B: 128 KiB
assert kv_bytes_per_token(32, 32, 128) * 4_096 == 2 * GiB      # Llama 2 7B at 4K: 2 GiB
assert kv_bytes_per_token(32, 32, 128) == 512 * 1024           # Llama 2 7B: 512 KiB
assert kv_bytes_per_token(80, 8, 128) == 320 * 1024            # Llama 3 70B: 320 KiB
assert kv_bytes_per_token(32, 8, 128) * 131_072 == 16 * GiB    # 8B at 128K: 16 GiB
assert kv_bytes_per_token(80, 8, 128) * 131_072 == 40 * GiB    # 70B at 128K: 40 GiB
# Jamba paper, Table 1 (256K tokens, 16-bit): Mixtral 32GB, Jamba 4GB. Jamba's cache
# still grows linearly with length; it is 8x smaller because 4 of 32 layers attend.
assert kv_bytes_per_token(32, 8, 128) * 262_144 == 32 * GiB
assert kv_bytes_per_token(4, 8, 128) * 262_144 == 4 * GiB
print("OK: formula matches a real decode-loop cache; GQA 4x and Jamba 8x smaller caches.")
