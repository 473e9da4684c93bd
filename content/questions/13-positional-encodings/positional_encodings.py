"""Positional encodings, checked numerically.

1. Sinusoidal PE (Vaswani et al., 2017): PE(pos + k) = M_k @ PE(pos) with one fixed
   block-diagonal rotation M_k for every pos.
2. RoPE (Su et al., 2021): <RoPE(q, m), RoPE(k, n)> depends only on m - n.
   Adding sinusoids to q and k (the 2017 way) does not have this property.
3. ALiBi slopes and T5 relative-position buckets.
4. Context extension: position interpolation and the NTK-aware base change; why
   long contexts fail (unseen angles, not aliasing); re-rotating a cached key.
"""
import math

import torch

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)      # exact-ish comparisons


# ---------------------------------------------------------------------------
# 1. Sinusoidal encodings
# ---------------------------------------------------------------------------
def sinusoidal(n_pos, d, base=10000.0):
    """PE[pos, 2i] = sin(pos * w_i), PE[pos, 2i+1] = cos(pos * w_i), w_i = base^(-2i/d)."""
    pos = torch.arange(n_pos)[:, None]
    w = base ** (-torch.arange(0, d, 2) / d)                     # (d/2,) frequencies
    pe = torch.zeros(n_pos, d)
    pe[:, 0::2] = torch.sin(pos * w)
    pe[:, 1::2] = torch.cos(pos * w)
    return pe


def shift_matrix(k, d, base=10000.0):
    """Block-diagonal M_k with 2x2 blocks [[cos, sin], [-sin, cos]](k * w_i), applied to (sin, cos) pairs."""
    w = base ** (-torch.arange(0, d, 2) / d)
    m = torch.zeros(d, d)
    for i, wi in enumerate(w):
        c, s = math.cos(k * wi), math.sin(k * wi)
        # sin(a + b) = sin a cos b + cos a sin b ; cos(a + b) = cos a cos b - sin a sin b
        m[2 * i, 2 * i], m[2 * i, 2 * i + 1] = c, s
        m[2 * i + 1, 2 * i], m[2 * i + 1, 2 * i + 1] = -s, c
    return m


T, D, K = 64, 16, 5
pe = sinusoidal(T, D)
assert pe.shape == (T, D) and pe.abs().max() <= 1.0
M = shift_matrix(K, D)
assert torch.allclose(pe[K:], pe[:-K] @ M.T, atol=1e-10)          # same M_k for every position
assert torch.allclose(M @ M.T, torch.eye(D), atol=1e-12)           # and it is a rotation
# M_k depends only on the offset: shifting by 2 then by 3 is shifting by 5 ...
assert torch.allclose(shift_matrix(3, D) @ shift_matrix(2, D), shift_matrix(5, D), atol=1e-12)
# ... and the map is specific to k: the matrix for another offset does not fit.
assert not torch.allclose(pe[K:], pe[:-K] @ shift_matrix(K + 1, D).T, atol=1e-3)


# ---------------------------------------------------------------------------
# 2. RoPE
# ---------------------------------------------------------------------------
def rope(x, pos, base=10000.0, scale=1.0):
    """Rotate consecutive channel pairs (x[2i], x[2i+1]) by angle (pos / scale) * base^(-2i/d).

    x: (..., d); pos: tensor of positions broadcastable to x[..., 0].
    scale > 1 is linear position interpolation (Chen et al., 2023).
    """
    d = x.shape[-1]
    theta = base ** (-torch.arange(0, d, 2) / d)                   # (d/2,)
    ang = (pos[..., None] / scale) * theta                         # (..., d/2)
    cos, sin = torch.cos(ang), torch.sin(ang)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = x1 * cos - x2 * sin
    out[..., 1::2] = x1 * sin + x2 * cos
    return out


q, k = torch.randn(D), torch.randn(D)


def rope_score(m, n, **kw):
    return torch.dot(rope(q, torch.tensor(float(m)), **kw), rope(k, torch.tensor(float(n)), **kw))


# Rotations preserve norms, so RoPE never changes a vector's length.
assert torch.allclose(rope(q, torch.tensor(37.0)).norm(), q.norm())
# The score depends only on m - n: shift both positions by s and nothing changes.
for m, n in [(3, 0), (10, 4), (50, 50), (7, 20)]:
    for s in (1, 13, 1000, 123456):
        assert torch.isclose(rope_score(m, n), rope_score(m + s, n + s), atol=1e-9)
# ...but it does depend on the offset itself.
assert not torch.isclose(rope_score(10, 4), rope_score(10, 5))
# Equivalent statement: <R_m q, R_n k> = <q, R_(n-m) k>.
assert torch.isclose(rope_score(9, 2), rope_score(0, 2 - 9))


def additive_score(m, n):
    pe_big = sinusoidal(2000, D)
    return torch.dot(q + pe_big[m], k + pe_big[n])


# With PE added to the input, the score also has content-position cross terms that
# depend on absolute position, so a shift changes it.
assert not torch.isclose(additive_score(10, 4), additive_score(110, 104), atol=1e-3)


# ---------------------------------------------------------------------------
# 3. ALiBi and T5 buckets
# ---------------------------------------------------------------------------
def alibi_slopes(n_heads):
    """Geometric sequence starting at 2^(-8/n): for 8 heads 1/2, 1/4, ..., 1/256."""
    start = 2 ** (-8 / n_heads)
    return torch.tensor([start ** (h + 1) for h in range(n_heads)])


def alibi_bias(n_heads, t):
    i, j = torch.arange(t)[:, None], torch.arange(t)[None, :]
    dist = (i - j).clamp(min=0)                                    # causal: only j <= i matters
    return -alibi_slopes(n_heads)[:, None, None] * dist            # (heads, t, t), added to logits


assert torch.allclose(alibi_slopes(8), torch.tensor([2.0 ** -e for e in range(1, 9)]))
b = alibi_bias(8, 6)
assert b.shape == (8, 6, 6) and torch.all(b.diagonal(dim1=1, dim2=2) == 0)
assert torch.allclose(b[:, 5, 2], b[:, 4, 1])                      # depends only on i - j


def t5_bucket(rel, num_buckets=32, max_distance=128):
    """Bidirectional T5 bucket for relative position rel = key_pos - query_pos."""
    half = num_buckets // 2
    bucket = half if rel > 0 else 0                                # sign gets its own half
    n = abs(rel)
    max_exact = half // 2                                          # 8 exact buckets: 0..7
    if n < max_exact:
        return bucket + n
    large = max_exact + int(math.log(n / max_exact) / math.log(max_distance / max_exact)
                            * (half - max_exact))
    return bucket + min(large, half - 1)                           # log-spaced, saturates


assert [t5_bucket(-r) for r in range(8)] == list(range(8))         # nearby offsets are exact
assert t5_bucket(-128) == t5_bucket(-5000) == 15                   # everything beyond 128 shares one
assert t5_bucket(3) == 16 + 3
# 32 buckets, 31 reachable: offset 0 lands in bucket 0, so bucket 16 ("positive, distance 0") is never used.
assert len({t5_bucket(r) for r in range(-3000, 3000)}) == 31


# ---------------------------------------------------------------------------
# 4. Context extension for RoPE
# ---------------------------------------------------------------------------
L_train, s = 4096, 4.0
# Position interpolation: position 4 * 4096 with scale 4 uses exactly the angles of 4096.
assert torch.allclose(rope(q, torch.tensor(L_train * s), scale=s), rope(q, torch.tensor(float(L_train))))

# NTK-aware scaling: raise the base to b * s^(d / (d - 2)) instead of dividing positions.
d_head, base = 128, 10000.0
theta = base ** (-torch.arange(0, d_head, 2) / d_head)
theta_ntk = (base * s ** (d_head / (d_head - 2))) ** (-torch.arange(0, d_head, 2) / d_head)
assert torch.isclose(theta_ntk[0], theta[0])                       # fastest pair untouched
assert torch.isclose(theta_ntk[-1], theta[-1] / s)                 # slowest pair interpolated by s
ratio = theta / theta_ntk                                          # smooth in between
assert torch.all(ratio[1:] >= ratio[:-1] - 1e-12)

# Why long contexts fail: not aliasing. With base 1e4 and d_head 128 the slowest pair's
# wavelength is ~54K tokens, far beyond a 4K training window, so no pair wraps around
# (aliases) inside it. The slowest pairs only ever saw a small arc of angles in training;
# past L_train they meet angles they never saw.
longest_wavelength = 2 * math.pi / theta[-1].item()
assert longest_wavelength > 13 * L_train                           # ~54,410 vs 4,096 tokens
angle_seen = L_train * theta[-1].item()                            # max angle seen, slowest pair
angle_at_32k = 32768 * theta[-1].item()
assert angle_seen < 0.5 < 3.0 < angle_at_32k < 2 * math.pi         # unseen, yet not a full turn
# Pairs whose angle never completed a full turn within L_train ("unseen angles" past it):
n_partial = int((L_train * theta < 2 * math.pi).sum())
assert n_partial == 18                                             # 18 of the 64 pairs

# KV cache: a key cached after RoPE can be moved to another position by one more rotation,
# because rotations compose (R_delta R_n = R_(n + delta)). Caches can also store keys
# before RoPE and rotate at each step (StreamingLLM does this for its rolling cache).
k_cached = rope(k, torch.tensor(100.0))
assert torch.allclose(rope(k_cached, torch.tensor(-60.0)), rope(k, torch.tensor(40.0)))

print(f"sinusoidal: PE(pos+{K}) = M_{K} PE(pos) for all {T - K} positions, M orthogonal")
print(f"RoPE: score(m, n) invariant to shifting both positions; additive PE is not")
print(f"ALiBi slopes (8 heads): {[round(x, 4) for x in alibi_slopes(8).tolist()]}")
print(f"T5: 32 buckets, exact below 8, saturated at 128; RoPE base 1e4, d_head 128:"
      f" longest wavelength ~{longest_wavelength:,.0f} tokens")
print(f"NTK-aware base for s={s:g}: {base * s ** (d_head / (d_head - 2)):,.0f}")
print(f"slowest pair: {angle_seen:.2f} rad seen in {L_train:,} tokens, {angle_at_32k:.2f} rad at 32K "
      f"(unseen, not a wrap-around); {n_partial} of {d_head // 2} pairs never finish a turn in training")
print("re-rotating a cached RoPE key by -60 equals encoding the raw key at the new position")
