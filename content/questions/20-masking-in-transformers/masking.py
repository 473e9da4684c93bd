"""The three masks of a Transformer: BERT's MLM corruption, the causal mask, the padding mask.

What this file checks (run: python3 masking.py):
  1. BERT's masking procedure over ~260K real tokens for each of 5 seeds: 15% of (non-special)
     positions selected; of those 80% -> [MASK], 10% -> random token, 10% unchanged;
     special tokens and padding are never selected; labels exist only where selected,
     so the loss counts only those positions.
  2. Causal mask: perturbing tokens after position t never changes outputs at <= t,
     while without the mask it does.
  3. Padding mask: changing what sits in the padded positions never changes the outputs
     at real positions, and padded keys get exactly zero attention weight.
  4. Library conventions: nn.MultiheadAttention's boolean mask uses True = blocked;
     F.scaled_dot_product_attention (PyTorch 2.0+, checked only if present) uses True = may attend.
"""
import math

import torch

torch.manual_seed(0)
PAD, CLS, SEP, MASK = 0, 1, 2, 3
FIRST_WORD, VOCAB = 4, 1000  # ordinary tokens are 4..999
IGNORE = -100  # label value ignored by cross_entropy


def bert_mask(ids, gen, select_p=0.15, mask_p=0.8, random_p=0.1):
    """Return (corrupted inputs, labels). Labels hold the original token at selected
    positions and IGNORE elsewhere."""
    special = (ids == PAD) | (ids == CLS) | (ids == SEP)
    probs = torch.full(ids.shape, select_p)
    probs[special] = 0.0  # never select special tokens or padding
    selected = torch.bernoulli(probs, generator=gen).bool()
    labels = torch.where(selected, ids, torch.full_like(ids, IGNORE))

    inputs = ids.clone()
    r = torch.rand(ids.shape, generator=gen)
    to_mask = selected & (r < mask_p)  # 80%
    to_random = selected & (r >= mask_p) & (r < mask_p + random_p)  # 10%
    inputs[to_mask] = MASK
    random_words = torch.randint(FIRST_WORD, VOCAB, ids.shape, generator=gen)
    inputs[to_random] = random_words[to_random]
    return inputs, labels  # the remaining 10% of selected positions keep their token


def attention(x, w_q, w_k, w_v, allowed):
    """Single-head self-attention. allowed: bool (..., T, T), True = may attend."""
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    scores = scores.masked_fill(~allowed, float("-inf"))  # before the softmax
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


# 1. BERT's 15% / 80-10-10 procedure ------------------------------------------------
B, T = 1600, 256
for seed in range(5):
    gen = torch.Generator().manual_seed(seed)
    lengths = torch.randint(64, T + 1, (B,), generator=gen)  # unequal lengths -> padding
    ids = torch.randint(FIRST_WORD, VOCAB, (B, T), generator=gen)
    pos = torch.arange(T).unsqueeze(0)
    ids[pos >= lengths.unsqueeze(1)] = PAD
    ids[:, 0] = CLS
    ids[torch.arange(B), lengths - 1] = SEP
    inputs, labels = bert_mask(ids, gen)

    real = (ids >= FIRST_WORD)
    sel = labels != IGNORE
    n_real, n_sel = real.sum().item(), sel.sum().item()
    frac_sel = n_sel / n_real
    frac_mask = (sel & (inputs == MASK)).sum().item() / n_sel
    changed_random = sel & (inputs != MASK) & (inputs != ids)
    kept = sel & (inputs == ids)
    # a "random" replacement can draw the original token (1 in 996); count both ways
    frac_kept = kept.sum().item() / n_sel
    frac_random = changed_random.sum().item() / n_sel
    # tolerances: ~5 standard errors (n_real ~ 260K, n_sel ~ 39K)
    assert abs(frac_sel - 0.15) < 0.0035, frac_sel
    assert abs(frac_mask - 0.80) < 0.011, frac_mask
    assert abs(frac_random - 0.10 * (1 - 1 / 996)) < 0.008, frac_random
    assert abs(frac_kept - (0.10 + 0.10 / 996)) < 0.008, frac_kept
    assert not sel[~real].any()  # [CLS], [SEP], [PAD] never selected
    assert (inputs[~sel] == ids[~sel]).all()  # unselected tokens untouched
    assert (labels[sel] == ids[sel]).all()  # labels are the ORIGINAL tokens

# Loss only on selected positions: predictions elsewhere do not affect it.
logits = torch.randn(4, 16, VOCAB, requires_grad=True)
lab = torch.full((4, 16), IGNORE)
lab[0, 3], lab[2, 7] = 42, 17
loss = torch.nn.functional.cross_entropy(logits.view(-1, VOCAB), lab.view(-1), ignore_index=IGNORE)
loss.backward()
nonzero_rows = (logits.grad.abs().sum(-1) > 0).nonzero().tolist()
assert nonzero_rows == [[0, 3], [2, 7]]  # gradient flows only from the 2 selected positions

# 2. Causal mask ---------------------------------------------------------------------
d, T2 = 16, 10
w_q, w_k, w_v = (torch.randn(d, d) / math.sqrt(d) for _ in range(3))
causal = torch.ones(T2, T2, dtype=torch.bool).tril()  # row i may see columns 0..i
full = torch.ones(T2, T2, dtype=torch.bool)
for t in range(T2 - 1):
    x = torch.randn(2, T2, d)
    x2 = x.clone()
    x2[:, t + 1:] = torch.randn(2, T2 - t - 1, d)  # rewrite every token after t
    a, w = attention(x, w_q, w_k, w_v, causal)
    b, _ = attention(x2, w_q, w_k, w_v, causal)
    assert torch.allclose(a[:, : t + 1], b[:, : t + 1], atol=1e-6)  # past unaffected
    assert not torch.allclose(a[:, t + 1:], b[:, t + 1:])  # the rewritten part did change
    c, _ = attention(x, w_q, w_k, w_v, full)
    e, _ = attention(x2, w_q, w_k, w_v, full)
    assert not torch.allclose(c[:, : t + 1], e[:, : t + 1])  # without the mask, the future leaks
    assert (w[:, ~causal] == 0).all()

# 3. Padding mask ------------------------------------------------------------------------
lengths = torch.tensor([10, 6, 3])
key_is_real = torch.arange(T2).unsqueeze(0) < lengths.unsqueeze(1)  # (B, T)
allowed = key_is_real.unsqueeze(1).expand(-1, T2, -1)  # every query may see real keys only
x = torch.randn(3, T2, d)
x2 = x.clone()
x2[~key_is_real] = torch.randn(int((~key_is_real).sum()), d) * 100  # garbage in the pads
a, w = attention(x, w_q, w_k, w_v, allowed)
b, _ = attention(x2, w_q, w_k, w_v, allowed)
assert torch.allclose(a[key_is_real], b[key_is_real], atol=1e-5)  # real positions unchanged
assert (w.masked_select(~allowed) == 0).all()  # zero weight on pads
c, _ = attention(x, w_q, w_k, w_v, torch.ones_like(allowed))
e, _ = attention(x2, w_q, w_k, w_v, torch.ones_like(allowed))
assert not torch.allclose(c[key_is_real], e[key_is_real])  # no padding mask: pads leak in
# the same sequence alone (no padding) gives the same output as inside the padded batch
solo, _ = attention(x[1:2, :6], w_q, w_k, w_v, torch.ones(1, 6, 6, dtype=torch.bool))
assert torch.allclose(solo[0], a[1, :6], atol=1e-5)
# causal + padding combine with a logical AND (decoder batches need both)
combined = allowed & causal
assert combined[1, 5, :6].all() and not combined[1, 5, 6:].any() and not combined[1, 2, 3]

# 4. Library conventions: what does True mean? -----------------------------------------
# nn.MultiheadAttention: a boolean attn_mask marks BLOCKED positions with True.
mha = torch.nn.MultiheadAttention(d, 1, batch_first=True).eval()
x = torch.randn(2, T2, d)
with torch.no_grad():
    _, w_mha = mha(x, x, x, attn_mask=~causal)  # pass "blocked" = NOT allowed
    assert (w_mha[:, ~causal] == 0).all() and (w_mha[:, causal] > 0).all()
    # Passing the "allowed" mask as-is inverts it: each query sees only the FUTURE
    # (and the last row, fully blocked, would be NaN, so it is left out here).
    _, w_wrong = mha(x, x, x, attn_mask=causal)
    rows = slice(0, T2 - 1)
    assert (w_wrong[:, rows][:, causal[rows]] == 0).all() and (w_wrong[:, rows][:, ~causal[rows]] > 0).all()
# F.scaled_dot_product_attention (PyTorch 2.0+, absent in 1.13): True = may attend.
sdpa = getattr(torch.nn.functional, "scaled_dot_product_attention", None)
if sdpa is not None:
    q_, k_, v_ = x @ w_q, x @ w_k, x @ w_v
    ours, _ = attention(x, w_q, w_k, w_v, causal)
    assert torch.allclose(sdpa(q_, k_, v_, attn_mask=causal), ours, atol=1e-5)

print(f"seed 4: selected {frac_sel:.4f} of real tokens; of those [MASK] {frac_mask:.3f}, "
      f"random {frac_random:.3f}, unchanged {frac_kept:.3f} (5 seeds checked)")
print("MLM loss has gradient only at the selected positions")
print("causal mask: rewriting tokens after t never changes outputs at <= t (all t checked)")
print("padding mask: pad contents cannot change real outputs; padded batch == unpadded sequence")
print("nn.MultiheadAttention: bool True = blocked"
      + ("; F.scaled_dot_product_attention: bool True = may attend" if sdpa is not None else
         " (F.scaled_dot_product_attention needs PyTorch 2.0+, not checked here)"))
