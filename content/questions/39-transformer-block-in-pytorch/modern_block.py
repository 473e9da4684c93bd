"""The block used by Llama-style models (2023-2026), by hand:
RMSNorm pre-norm, rotary position embeddings (RoPE), grouped-query attention
(GQA), a SwiGLU feed-forward, and no bias terms anywhere.

    x = x + Attention(RMSNorm(x))     # RoPE on q and k, n_kv_heads < n_heads
    x = x + SwiGLU(RMSNorm(x))        # W2 (silu(W1 x) * W3 x)
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    """LayerNorm without the mean subtraction and without the bias:
    y = g * x / sqrt(mean(x^2) + eps). Cheaper, and works as well in practice."""

    def __init__(self, d: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Real models compute this in float32 even when x is bf16.
        rms = x.float().pow(2).mean(-1, keepdim=True).add(self.eps).rsqrt()
        return (x.float() * rms).type_as(x) * self.weight


def rope_cache(seq_len: int, d_head: int, base: float = 10000.0):
    """cos/sin tables, shape (seq_len, d_head). Pair i rotates at frequency base^(-2i/d_head)."""
    inv_freq = base ** (-torch.arange(0, d_head, 2).float() / d_head)   # (d_head/2,)
    angles = torch.outer(torch.arange(seq_len).float(), inv_freq)       # (T, d_head/2)
    angles = torch.cat([angles, angles], dim=-1)                         # (T, d_head)
    return angles.cos(), angles.sin()


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate each pair (x[i], x[i + d/2]) by its position-dependent angle.
    ('Rotate-half' layout, as in the Llama code; the RoFormer paper pairs
    adjacent dimensions instead, which is the same thing up to a permutation.)"""
    x1, x2 = x.chunk(2, dim=-1)
    rotated = torch.cat([-x2, x1], dim=-1)
    return x * cos + rotated * sin


class GQAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, n_kv_heads: int):
        super().__init__()
        assert d_model % n_heads == 0 and n_heads % n_kv_heads == 0
        self.h, self.h_kv = n_heads, n_kv_heads
        self.d_head = d_model // n_heads
        self.wq = nn.Linear(d_model, n_heads * self.d_head, bias=False)
        # K and V have only n_kv_heads heads: this is what shrinks the KV cache.
        self.wk = nn.Linear(d_model, n_kv_heads * self.d_head, bias=False)
        self.wv = nn.Linear(d_model, n_kv_heads * self.d_head, bias=False)
        self.wo = nn.Linear(n_heads * self.d_head, d_model, bias=False)

    def forward(self, x, cos, sin):
        B, T, _ = x.shape
        q = self.wq(x).view(B, T, self.h, self.d_head).transpose(1, 2)      # (B, h, T, dh)
        k = self.wk(x).view(B, T, self.h_kv, self.d_head).transpose(1, 2)   # (B, h_kv, T, dh)
        v = self.wv(x).view(B, T, self.h_kv, self.d_head).transpose(1, 2)
        # Position enters only here, by rotating q and k: scores then depend on
        # the offset between positions, and v is left untouched.
        q, k = apply_rope(q, cos[:T], sin[:T]), apply_rope(k, cos[:T], sin[:T])
        # Each group of h / h_kv query heads shares one K/V head.
        rep = self.h // self.h_kv
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)

        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        future = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
        att = scores.masked_fill(future, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, self.h * self.d_head)
        return self.wo(y)


class SwiGLU(nn.Module):
    """Gated feed-forward: W2(silu(W1 x) * W3 x). Three matrices instead of two,
    so d_ff is about (2/3) * 4d to keep the parameter count of a 4d GELU MLP."""

    def __init__(self, d_model: int, d_ff: int):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff, bias=False)   # gate
        self.w3 = nn.Linear(d_model, d_ff, bias=False)   # value
        self.w2 = nn.Linear(d_ff, d_model, bias=False)   # down

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class ModernBlock(nn.Module):
    def __init__(self, d_model: int, n_heads: int, n_kv_heads: int, d_ff: int):
        super().__init__()
        self.attn_norm = RMSNorm(d_model)
        self.attn = GQAttention(d_model, n_heads, n_kv_heads)
        self.ffn_norm = RMSNorm(d_model)
        self.ffn = SwiGLU(d_model, d_ff)

    def forward(self, x, cos, sin):
        x = x + self.attn(self.attn_norm(x), cos, sin)
        x = x + self.ffn(self.ffn_norm(x))
        return x


def sdpa_reference(q, k, v, attn_mask=None, is_causal=False):
    """What F.scaled_dot_product_attention (torch >= 2.0) computes, following its
    documented reference code, written out because torch 1.13 lacks the function.
    Its conventions are the OPPOSITE of nn.MultiheadAttention's for boolean masks:
      * bool attn_mask: True = this query MAY attend to this key (MHA: True = blocked);
      * is_causal=True builds tril(ones(L, S)): aligned to the TOP-LEFT corner, so
        query i sees keys 0..i even when there are more keys than queries."""
    L, S = q.shape[-2], k.shape[-2]
    bias = torch.zeros(L, S, dtype=q.dtype)
    if is_causal:
        assert attn_mask is None
        bias.masked_fill_(~torch.ones(L, S, dtype=torch.bool).tril(0), float("-inf"))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            bias.masked_fill_(~attn_mask, float("-inf"))
        else:
            bias = bias + attn_mask
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]) + bias
    return scores.softmax(-1) @ v


def check_mask_conventions():
    """Boolean-mask meaning in nn.MultiheadAttention vs scaled_dot_product_attention,
    and the is_causal pitfall for a KV-cache decode step (1 query, S cached keys)."""
    torch.manual_seed(1)
    T, d, h = 6, 16, 2
    x = torch.randn(1, T, d)
    blocked = torch.ones(T, T, dtype=torch.bool).triu(1)    # MHA convention: True = blocked
    allowed = ~blocked                                       # SDPA convention: True = allowed
    mha = nn.MultiheadAttention(d, h, batch_first=True).eval()
    y_bool, _ = mha(x, x, x, attn_mask=blocked, need_weights=False)
    additive = torch.zeros(T, T).masked_fill(blocked, float("-inf"))
    y_float, _ = mha(x, x, x, attn_mask=additive, need_weights=False)
    assert torch.allclose(y_bool, y_float, atol=1e-6)        # MHA: True means "masked out"
    # MHA with blocked-mask == the SDPA convention fed the complementary mask.
    with torch.no_grad():
        q, k, v = F.linear(x, mha.in_proj_weight, mha.in_proj_bias).split(d, dim=-1)
        heads = lambda t: t.view(1, T, h, d // h).transpose(1, 2)
        o = sdpa_reference(heads(q), heads(k), heads(v), attn_mask=allowed)
        y_ref = mha.out_proj(o.transpose(1, 2).reshape(1, T, d))
    assert torch.allclose(y_bool, y_ref, atol=1e-6)
    # Reusing one mask under the other convention silently gives a different model:
    # the "allowed" mask passed to MHA blocks the past and the diagonal instead.
    y_swapped, _ = mha(x, x, x, attn_mask=allowed, need_weights=False)
    assert not torch.allclose(y_swapped[:, :-1], y_bool[:, :-1], atol=1e-3)

    # is_causal with fewer queries than keys. Decode step: one new query at
    # position S-1 against S cached keys. Correct: it sees all S keys.
    S, dh = 7, 8
    qs, ks, vs = torch.randn(1, 1, S, dh), torch.randn(1, 1, S, dh), torch.randn(1, 1, S, dh)
    full = sdpa_reference(qs, ks, vs, is_causal=True)         # L == S: ordinary causal
    step = qs[:, :, -1:]                                     # the newest query alone
    right = sdpa_reference(step, ks, vs)                     # no mask: the cache is all past
    wrong = sdpa_reference(step, ks, vs, is_causal=True)     # top-left: sees key 0 only
    assert torch.allclose(right, full[:, :, -1:], atol=1e-6)
    assert torch.allclose(wrong, vs[:, :, :1], atol=1e-6)    # output is just value 0
    assert not torch.allclose(wrong, right, atol=1e-3)
    # A chunk of 3 new queries needs a LOWER-RIGHT aligned mask (tril offset S-L).
    chunk = qs[:, :, -3:]
    lower_right = torch.ones(3, S, dtype=torch.bool).tril(S - 3)
    assert torch.allclose(sdpa_reference(chunk, ks, vs, attn_mask=lower_right),
                          full[:, :, -3:], atol=1e-6)

    checked_real = False
    if hasattr(F, "scaled_dot_product_attention"):          # torch >= 2.0 only
        sdpa = F.scaled_dot_product_attention
        assert torch.allclose(sdpa(qs, ks, vs, attn_mask=torch.ones(S, S, dtype=torch.bool).tril()),
                              full, atol=1e-5)               # True = attend
        assert torch.allclose(sdpa(step, ks, vs), right, atol=1e-5)
        assert torch.allclose(sdpa(step, ks, vs, is_causal=True), wrong, atol=1e-5)
        assert torch.allclose(sdpa(chunk, ks, vs, attn_mask=lower_right), full[:, :, -3:], atol=1e-5)
        checked_real = True
    return checked_real


def expected_params(d, n_heads, n_kv_heads, d_ff):
    d_head = d // n_heads
    attn = 2 * d * d + 2 * d * (n_kv_heads * d_head)   # wq, wo full size; wk, wv shrunk
    return attn + 3 * d * d_ff + 2 * d                 # SwiGLU has 3 matrices; 2 RMSNorm gains


def main():
    torch.manual_seed(0)
    d, h, h_kv, d_ff, T = 64, 8, 2, 172, 12            # d_ff ~ (2/3)*4d, rounded up to a multiple of 4
    block = ModernBlock(d, h, h_kv, d_ff)
    cos, sin = rope_cache(32, d // h)
    x = torch.randn(2, T, d)
    y = block(x, cos, sin)
    assert y.shape == x.shape

    # 1. Causality: changing the future leaves the past unchanged.
    x2 = x.clone()
    x2[:, 7:] = torch.randn_like(x2[:, 7:])
    assert torch.allclose(block(x2, cos, sin)[:, :7], y[:, :7], atol=1e-6)

    # 2. RMSNorm: matches its formula and ignores the scale of its input.
    norm = RMSNorm(d)
    ref = x / x.pow(2).mean(-1, keepdim=True).add(1e-6).sqrt()
    assert torch.allclose(norm(x), ref, atol=1e-6)
    assert torch.allclose(norm(5.0 * x), norm(x), atol=1e-5)

    # 3. RoPE: q.k after rotation depends only on the offset m - n, and norms are kept.
    dh = d // h
    q, k = torch.randn(dh), torch.randn(dh)
    cos_t, sin_t = rope_cache(64, dh)
    rot = lambda v, pos: apply_rope(v, cos_t[pos], sin_t[pos])
    s1 = rot(q, 10) @ rot(k, 3)        # offset 7
    s2 = rot(q, 40) @ rot(k, 33)       # offset 7, thirty positions later
    assert torch.allclose(s1, s2, atol=1e-4), (s1, s2)
    assert torch.allclose(rot(q, 21).norm(), q.norm(), atol=1e-5)

    # 4. GQA == ordinary multi-head attention whose K/V heads are copies.
    mha = GQAttention(d, h, h)         # one K/V head per query head
    rep, dk = h // h_kv, dh
    with torch.no_grad():
        mha.wq.weight.copy_(block.attn.wq.weight)
        mha.wo.weight.copy_(block.attn.wo.weight)
        for w_src, w_dst in [(block.attn.wk, mha.wk), (block.attn.wv, mha.wv)]:
            heads = w_src.weight.view(h_kv, dk, d)                  # per-head rows
            w_dst.weight.copy_(heads.repeat_interleave(rep, 0).reshape(h * dk, d))
    xa = block.attn_norm(x)
    assert torch.allclose(mha(xa, cos, sin), block.attn(xa, cos, sin), atol=1e-6)

    # 5. Parameter count, and the same formula at Llama 3 8B scale.
    n = sum(p.numel() for p in block.parameters())
    assert n == expected_params(d, h, h_kv, d_ff), n
    layer = expected_params(4096, 32, 8, 14336)
    total = 32 * layer + 2 * 128256 * 4096 + 4096      # untied embedding + head, final norm
    assert total == 8_030_261_248

    # 6. The KV cache per token per layer shrinks by n_heads / n_kv_heads. Measured
    #    from what each module actually produces for K and V (what a cache stores),
    #    not from the formula: the MHA twin from check 4 against the GQA block.
    with torch.no_grad():
        kv_gqa = block.attn.wk(xa).shape[-1] + block.attn.wv(xa).shape[-1]
        kv_mha = mha.wk(xa).shape[-1] + mha.wv(xa).shape[-1]
    assert kv_mha == 2 * d and kv_gqa == 2 * h_kv * dh, (kv_mha, kv_gqa)
    assert kv_mha == 4 * kv_gqa                          # h / h_kv = 8 / 2

    # 7. Mask conventions: MHA (True = blocked) vs SDPA (True = allowed); is_causal
    #    is top-left aligned, wrong for a KV-cache step with fewer queries than keys.
    checked_real = check_mask_conventions()
    print("mask conventions ok (MHA: True = blocked; SDPA: True = allowed; "
          "is_causal is top-left aligned); "
          + ("checked against F.scaled_dot_product_attention"
             if checked_real else "torch < 2.0: SDPA checked via its documented reference only"))
    print(f"modern block ok: params {n:,} (formula matches); "
          f"GQA with {h} query / {h_kv} KV heads caches {kv_mha // kv_gqa}x less K/V")
    print(f"Llama-3-8B-shaped stack from the same formula: {total:,} parameters")


if __name__ == "__main__":
    main()
