"""Scaled dot-product attention and multi-head attention, from scratch.

What this file checks (run: python3 attention.py):
  1. Why we divide by sqrt(d_k): raw dot products of random vectors have variance d_k.
  2. Our multi-head attention matches torch.nn.MultiheadAttention exactly
     (self-attention, causal self-attention, cross-attention) once weights are copied.
  3. The causal mask works: changing future tokens never changes earlier outputs.
  4. Without positions, self-attention is permutation-equivariant (why we need RoPE etc.).
  5. Grouped-query attention (GQA) equals MHA with duplicated K/V heads, and
     token-by-token decoding with a KV cache reproduces the full causal forward pass.
"""
import math

import torch
import torch.nn as nn

torch.manual_seed(0)


def scaled_dot_product_attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d_k)) v.

    q: (..., n_q, d_k)   k: (..., n_k, d_k)   v: (..., n_k, d_v)
    mask: bool tensor broadcastable to (..., n_q, n_k); True means "may attend".
    Returns the output (..., n_q, d_v) and the attention weights (..., n_q, n_k).
    """
    d_k = q.size(-1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # one score per (query, key) pair
    if mask is not None:
        # -inf before the softmax gives exactly zero weight after it
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # each query's weights sum to 1 over keys
    return weights @ v, weights


def causal_mask(n_q, n_k=None):
    """Lower-triangular mask. With a KV cache the n_q new queries are the LAST n_q
    positions of an n_k-long sequence, so the diagonal is shifted by n_k - n_q."""
    n_k = n_q if n_k is None else n_k
    return torch.ones(n_q, n_k, dtype=torch.bool).tril(diagonal=n_k - n_q)


class MultiHeadAttention(nn.Module):
    """Multi-head attention with optional grouped K/V heads.

    n_kv_heads == n_heads -> standard MHA (Vaswani et al., 2017)
    n_kv_heads == 1       -> multi-query attention (MQA)
    1 < n_kv_heads < n_heads -> grouped-query attention (GQA), as in Llama 2 70B / Llama 3
    """

    def __init__(self, d_model, n_heads, n_kv_heads=None):
        super().__init__()
        n_kv_heads = n_heads if n_kv_heads is None else n_kv_heads
        assert d_model % n_heads == 0 and n_heads % n_kv_heads == 0
        self.n_heads, self.n_kv_heads = n_heads, n_kv_heads
        self.d_head = d_model // n_heads
        self.q_proj = nn.Linear(d_model, n_heads * self.d_head)
        # fewer K/V heads means smaller K/V projections and a smaller KV cache
        self.k_proj = nn.Linear(d_model, n_kv_heads * self.d_head)
        self.v_proj = nn.Linear(d_model, n_kv_heads * self.d_head)
        self.o_proj = nn.Linear(n_heads * self.d_head, d_model)

    def _split(self, x, n):
        # (B, T, n * d_head) -> (B, n, T, d_head): heads become a batch dimension
        B, T, _ = x.shape
        return x.view(B, T, n, self.d_head).transpose(1, 2)

    def forward(self, x, context=None, mask=None, cache=None):
        """x: (B, T_q, d_model). context=None gives self-attention; otherwise queries
        come from x and keys/values from context (cross-attention, as in a T5 decoder).
        cache: a dict that keeps past keys/values between decoding steps."""
        src = x if context is None else context
        q = self._split(self.q_proj(x), self.n_heads)
        k = self._split(self.k_proj(src), self.n_kv_heads)
        v = self._split(self.v_proj(src), self.n_kv_heads)
        if cache is not None:
            # decoding: new token's K/V are appended, old ones are reused, not recomputed
            if "k" in cache:
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        # each group of n_heads // n_kv_heads query heads reads the same K/V head
        group = self.n_heads // self.n_kv_heads
        k = k.repeat_interleave(group, dim=1)
        v = v.repeat_interleave(group, dim=1)
        out, weights = scaled_dot_product_attention(q, k, v, mask)
        B, _, T, _ = out.shape
        out = out.transpose(1, 2).reshape(B, T, self.n_heads * self.d_head)  # concat heads
        return self.o_proj(out), weights


# 1. Why scale by sqrt(d_k) -----------------------------------------------------------
d_k = 64
q, k = torch.randn(20000, d_k), torch.randn(20000, d_k)  # unit-variance components
raw = (q * k).sum(-1)
assert abs(raw.var().item() / d_k - 1) < 0.05, raw.var()  # Var(q.k) = d_k
assert abs((raw / math.sqrt(d_k)).var().item() - 1) < 0.05  # scaled: variance 1
# Unscaled logits with std 8 make the softmax nearly one-hot (tiny gradients).
logits = torch.randn(1000, 16, d_k) @ torch.randn(1000, d_k, 1)
peak_raw = torch.softmax(logits.squeeze(-1), -1).max(-1).values.mean().item()
peak_scaled = torch.softmax(logits.squeeze(-1) / math.sqrt(d_k), -1).max(-1).values.mean().item()
assert peak_raw > 0.7 and peak_scaled < 0.4

# 2. Same numbers as torch.nn.MultiheadAttention ----------------------------------------
B, T, d_model, H = 2, 6, 32, 4
ours = MultiHeadAttention(d_model, H)
ref = nn.MultiheadAttention(d_model, H, batch_first=True)
with torch.no_grad():  # PyTorch packs W_q, W_k, W_v into one (3d, d) matrix
    ref.in_proj_weight.copy_(torch.cat([ours.q_proj.weight, ours.k_proj.weight, ours.v_proj.weight]))
    ref.in_proj_bias.copy_(torch.cat([ours.q_proj.bias, ours.k_proj.bias, ours.v_proj.bias]))
    ref.out_proj.weight.copy_(ours.o_proj.weight)
    ref.out_proj.bias.copy_(ours.o_proj.bias)
ours.eval()
ref.eval()

x = torch.randn(B, T, d_model)
with torch.no_grad():
    out, w = ours(x)
    out_ref, w_ref = ref(x, x, x)  # returns weights averaged over heads
    assert torch.allclose(out, out_ref, atol=1e-5)
    assert torch.allclose(w.mean(dim=1), w_ref, atol=1e-6)
    assert torch.allclose(w.sum(-1), torch.ones(B, H, T))

    # causal self-attention; nn.MultiheadAttention's bool attn_mask uses True = "blocked"
    # (F.scaled_dot_product_attention, PyTorch 2.0+, uses the opposite: True = "may attend")
    mask = causal_mask(T)
    out, w = ours(x, mask=mask)
    out_ref, _ = ref(x, x, x, attn_mask=~mask)
    assert torch.allclose(out, out_ref, atol=1e-5)
    assert (w[..., ~mask] == 0).all()  # no weight on the future

    # cross-attention: 3 decoder queries attend over 7 encoder states
    enc = torch.randn(B, 7, d_model)
    dec = torch.randn(B, 3, d_model)
    out, w = ours(dec, context=enc)
    out_ref, _ = ref(dec, enc, enc)
    assert out.shape == (B, 3, d_model) and w.shape == (B, H, 3, 7)
    assert torch.allclose(out, out_ref, atol=1e-5)

# 3. Causal mask: the future cannot leak into the past ---------------------------------
with torch.no_grad():
    x2 = x.clone()
    x2[:, 4:] = torch.randn(B, T - 4, d_model)  # rewrite tokens 4 and 5
    a, _ = ours(x, mask=mask)
    b, _ = ours(x2, mask=mask)
    assert torch.allclose(a[:, :4], b[:, :4], atol=1e-6)  # positions 0-3 unchanged
    c, _ = ours(x)
    d, _ = ours(x2)
    assert not torch.allclose(c[:, :4], d[:, :4])  # without the mask they do change

# 4. No positions -> permutation-equivariant --------------------------------------------
with torch.no_grad():
    perm = torch.randperm(T)
    y, _ = ours(x)
    y_perm, _ = ours(x[:, perm])
    assert torch.allclose(y[:, perm], y_perm, atol=1e-5)

# 5. GQA and the KV cache ----------------------------------------------------------------
H_kv = 2
gqa = MultiHeadAttention(d_model, H, n_kv_heads=H_kv).eval()
mha = MultiHeadAttention(d_model, H).eval()
with torch.no_grad():
    # An MHA whose K/V heads are copies (one per query head in a group) is the same model.
    mha.q_proj.load_state_dict(gqa.q_proj.state_dict())
    mha.o_proj.load_state_dict(gqa.o_proj.state_dict())
    for name in ("k_proj", "v_proj"):
        src, dst = getattr(gqa, name), getattr(mha, name)
        w_heads = src.weight.view(H_kv, -1, d_model).repeat_interleave(H // H_kv, dim=0)
        dst.weight.copy_(w_heads.reshape(-1, d_model))
        dst.bias.copy_(src.bias.view(H_kv, -1).repeat_interleave(H // H_kv, dim=0).reshape(-1))
    full, _ = gqa(x, mask=mask)
    assert torch.allclose(full, mha(x, mask=mask)[0], atol=1e-5)

    # Decode one token at a time: each step computes q, k, v for the new token only.
    cache = {}
    steps = []
    for t in range(T):
        step_out, _ = gqa(x[:, t : t + 1], mask=causal_mask(1, t + 1), cache=cache)
        steps.append(step_out)
    assert torch.allclose(torch.cat(steps, dim=1), full, atol=1e-5)
    assert cache["k"].shape == (B, H_kv, T, d_model // H)  # cache holds H_kv heads, not H

print(f"Var(q.k) for d_k={d_k}: {raw.var().item():.1f} raw, {(raw / math.sqrt(d_k)).var().item():.2f} scaled")
print(f"mean max softmax weight: {peak_raw:.2f} unscaled vs {peak_scaled:.2f} scaled")
print("MHA == nn.MultiheadAttention (self, causal, cross): OK")
print("causal mask blocks the future; permutation equivariance without positions: OK")
print(f"GQA ({H} query heads, {H_kv} KV heads) == MHA with copied K/V; KV-cache decoding == full pass: OK")
