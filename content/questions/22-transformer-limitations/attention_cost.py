"""The quadratic cost of attention, and how FlashAttention-style tiling removes
the quadratic *memory* (but not the quadratic compute).

1. Analytic cost per token per layer: projections + MLP ~ 24 d^2 FLOPs,
   attention over n context tokens ~ 4 n d FLOPs, so attention dominates once
   n > 6 d for one token (n > ~12 d averaged over a causal training sequence).
   The n x n score matrix itself needs n^2 elements per head.
2. Tiled attention with an online softmax computes exactly the same output as
   naive attention while only ever holding a (block x block) tile of scores.
"""
import math

import torch

torch.manual_seed(0)
GiB = 2 ** 30


# ---- 1. Where the FLOPs go ----------------------------------------------------
def flops_per_token_per_layer(n_ctx, d):
    # Q, K, V, O projections: 4 d*d weights; MLP with 4x expansion: 8 d*d weights.
    # Each weight costs one multiply-add = 2 FLOPs per token.
    dense = 2 * (4 * d * d + 8 * d * d)          # = 24 d^2
    # Scores q.k for n_ctx keys (2 n d) plus the weighted sum of n_ctx values (2 n d).
    attention = 4 * n_ctx * d
    return dense, attention


# Check the 24 d^2 count against real modules rather than against itself: the weights a
# token multiplies through in one layer (Q, K, V, O projections and a 4x MLP), 2 FLOPs each.
d_check = 64
layer = torch.nn.ModuleList([torch.nn.Linear(d_check, d_check, bias=False) for _ in range(4)]
                            + [torch.nn.Linear(d_check, 4 * d_check, bias=False),
                               torch.nn.Linear(4 * d_check, d_check, bias=False)])
assert 2 * sum(p.numel() for p in layer.parameters()) == flops_per_token_per_layer(1, d_check)[0]

d_model = 4096
crossover = 6 * d_model
dense, att = flops_per_token_per_layer(crossover, d_model)
assert dense == att, "a token with 6d tokens of context spends as much on attention as on weights"
assert flops_per_token_per_layer(crossover - 1, d_model)[1] < dense
assert flops_per_token_per_layer(crossover + 1, d_model)[1] > dense


def causal_average_attention(n, d):
    """Training on a causal sequence of length n: token t sees t keys (t = 1..n)."""
    return sum(flops_per_token_per_layer(t, d)[1] for t in range(1, n + 1)) / n


# Averaged over a causal sequence each token sees (n + 1) / 2 keys, so the
# sequence-level crossover sits near n = 12 d (Kaplan et al., 2020), not 6 d.
d_small = 64                                      # small d keeps the sum cheap
dense_small = flops_per_token_per_layer(1, d_small)[0]
assert causal_average_attention(12 * d_small - 1, d_small) == dense_small
assert causal_average_attention(6 * d_small, d_small) < 0.51 * dense_small
for n in (2_048, 32_768, 131_072):
    dense, att = flops_per_token_per_layer(n, d_model)
    print(f"d={d_model}, n={n:>7,}: attention share of one token's FLOPs = {att / (att + dense):.0%}")

# The naive score matrix: n^2 entries per head per layer.
n = 131_072
score_bytes = n * n * 2                           # fp16/bf16
assert score_bytes == 32 * GiB                    # 128K tokens: 32 GiB, for ONE head
print(f"naive {n:,} x {n:,} score matrix, one head, bf16: {score_bytes / GiB:.0f} GiB")


# ---- 2. Exact attention without materialising n x n --------------------------
def naive_attention(q, k, v):
    s = q @ k.T / math.sqrt(q.shape[-1])          # (n, n) held in memory at once
    return torch.softmax(s, dim=-1) @ v, s.numel()


def tiled_attention(q, k, v, block=32):
    """Online softmax (Milakov & Gimelshein 2018; FlashAttention, Dao et al. 2022):
    stream over key blocks keeping, per query row, the running max m, the running
    normaliser l and an unnormalised output accumulator. Rescale when m grows."""
    n, d = q.shape
    out = torch.empty_like(q)
    peak = 0
    for i in range(0, n, block):                  # on a GPU: one thread block per query tile
        qi = q[i:i + block]
        m = torch.full((qi.shape[0], 1), float("-inf"), dtype=q.dtype)
        l = torch.zeros(qi.shape[0], 1, dtype=q.dtype)
        acc = torch.zeros(qi.shape[0], d, dtype=q.dtype)
        for j in range(0, n, block):
            s = qi @ k[j:j + block].T / math.sqrt(d)      # one (block x block) tile
            peak = max(peak, s.numel())
            m_new = torch.maximum(m, s.max(dim=-1, keepdim=True).values)
            p = torch.exp(s - m_new)
            scale = torch.exp(m - m_new)          # correct earlier partial sums
            l = l * scale + p.sum(dim=-1, keepdim=True)
            acc = acc * scale + p @ v[j:j + block]
            m = m_new
        out[i:i + block] = acc / l
    return out, peak


n, d, block = 512, 64, 32
worst = 0.0
for seed in range(10):                            # exactness must not depend on the draw
    g = torch.Generator().manual_seed(seed)
    # Scale 3 makes the logits large, so the running maximum really moves between
    # tiles; float64 separates algorithmic error from float32 rounding noise.
    q, k, v = (3 * torch.randn(3, n, d, generator=g, dtype=torch.float64)).unbind(0)
    ref, naive_peak = naive_attention(q, k, v)
    tiled, tiled_peak = tiled_attention(q, k, v, block)
    assert tiled.shape == ref.shape == (n, d)
    err = (tiled - ref).abs().max().item()
    assert err < 1e-10, (seed, err)               # tiling is exact, not an approximation
    worst = max(worst, err)
assert naive_peak == n * n and tiled_peak == block * block
print(f"n={n}: naive holds {naive_peak:,} scores, tiled holds {tiled_peak:,} "
      f"({naive_peak // tiled_peak}x less); 10 seeds, max |difference| = {worst:.1e}")
print("OK: same result, memory no longer quadratic; FLOPs are unchanged (still n^2 d).")
