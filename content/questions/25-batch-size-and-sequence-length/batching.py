"""Gradient accumulation and sequence packing, checked on a tiny causal LM.

What this file checks (run: python3 batching.py):
  1. Gradient accumulation: summing micro-batch gradients, each normalised by the
     number of target tokens in the WHOLE batch, reproduces the full-batch gradient.
     Averaging per-micro-batch means instead is wrong whenever micro-batches hold
     different numbers of real (non-padding) tokens. Checked for 5 seeds.
  2. Packing: several documents packed into one row with a block-diagonal causal
     mask and per-document positions give exactly the logits of running each
     document alone; a plain causal mask lets later documents attend to earlier ones.
  3. Cost of one row: attention scores grow with length^2 when packed naively and
     with sum(doc_len^2) when only within-document scores are needed; and the share
     of per-token FLOPs that attention adds at 4K, 32K and 128K tokens for a 7B shape.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

V, D, MAX_LEN, PAD = 23, 16, 32, -100  # vocab, width, max positions, ignored target


class TinyLM(nn.Module):
    """Embedding + learned positions + one causal self-attention layer + MLP + head."""

    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(V, D)
        self.pos = nn.Embedding(MAX_LEN, D)
        self.qkv = nn.Linear(D, 3 * D)
        self.mlp = nn.Sequential(nn.Linear(D, 4 * D), nn.GELU(), nn.Linear(4 * D, D))
        self.head = nn.Linear(D, V)

    def forward(self, ids, pos, allowed):
        """ids, pos: (B, T) long; allowed: (B, T, T) bool, True where query may see key."""
        x = self.tok(ids) + self.pos(pos)
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(D)
        x = x + torch.softmax(scores.masked_fill(~allowed, float("-inf")), -1) @ v
        return self.head(x + self.mlp(x))


def causal(T):
    return torch.ones(T, T, dtype=torch.bool).tril()


def token_loss_sum(model, ids, targets):
    """Sum of next-token cross-entropies over real targets (PAD targets ignored)."""
    B, T = ids.shape
    logits = model(ids, torch.arange(T).expand(B, T), causal(T).expand(B, T, T))
    return F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1),
                           ignore_index=PAD, reduction="sum")


def grads(model):
    return torch.cat([p.grad.reshape(-1) for p in model.parameters()])


# ---- 1. Gradient accumulation ---------------------------------------------------------
for seed in range(5):
    torch.manual_seed(seed)
    model = TinyLM()
    B, T, MICRO = 8, 12, 4  # 8 sequences, accumulated as 4 micro-batches of 2
    ids = torch.randint(0, V, (B, T))
    targets = torch.randint(0, V, (B, T))
    lengths = torch.randint(2, T + 1, (B,))  # variable document lengths -> padding
    targets[torch.arange(T)[None, :] >= lengths[:, None]] = PAD
    n_tokens = int((targets != PAD).sum())

    # Reference: one pass over the whole batch, mean over all real target tokens.
    model.zero_grad()
    (token_loss_sum(model, ids, targets) / n_tokens).backward()
    g_full = grads(model).clone()

    # Correct accumulation: each micro-batch's token SUM divided by the batch's token count.
    model.zero_grad()
    for mb in torch.arange(B).chunk(MICRO):
        (token_loss_sum(model, ids[mb], targets[mb]) / n_tokens).backward()
    g_acc = grads(model).clone()
    assert torch.allclose(g_acc, g_full, rtol=1e-5, atol=1e-7), seed

    # Naive accumulation: mean within each micro-batch, then divide by the number of steps.
    model.zero_grad()
    for mb in torch.arange(B).chunk(MICRO):
        n_mb = int((targets[mb] != PAD).sum())
        (token_loss_sum(model, ids[mb], targets[mb]) / n_mb / MICRO).backward()
    g_naive = grads(model).clone()
    rel_err = ((g_naive - g_full).norm() / g_full.norm()).item()
    assert rel_err > 1e-3, (seed, rel_err)  # token counts differ, so the weighting is wrong

# ---- 2. Packing with a block-diagonal (document) mask ---------------------------------
torch.manual_seed(0)
model = TinyLM()
docs = [torch.randint(0, V, (n,)) for n in (7, 4, 9, 12)]  # 32 tokens, one packed row
row = torch.cat(docs)[None]
doc_id = torch.cat([torch.full((len(d),), i) for i, d in enumerate(docs)])
pos_reset = torch.cat([torch.arange(len(d)) for d in docs])[None]  # positions restart per doc
T = row.shape[1]
same_doc = doc_id[:, None] == doc_id[None, :]
block_causal = (same_doc & causal(T))[None]

with torch.no_grad():
    packed = model(row, pos_reset, block_causal)[0]
    alone = torch.cat([model(d[None], torch.arange(len(d))[None], causal(len(d))[None])[0]
                       for d in docs])
    leaky = model(row, pos_reset, causal(T)[None])[0]  # same positions, plain causal mask
assert torch.allclose(packed, alone, atol=1e-5)  # no cross-document contamination
first = len(docs[0])
assert torch.allclose(leaky[:first], alone[:first], atol=1e-5)  # doc 0 sees nothing else
assert (leaky[first:] - alone[first:]).abs().max() > 1e-2  # later docs see earlier ones

# ---- 3. Attention work in the packed row ------------------------------------------------
full_pairs = int(causal(T).sum())  # query-key pairs a plain causal mask computes
doc_pairs = int(block_causal.sum())  # pairs the document mask actually needs
assert doc_pairs == sum(len(d) * (len(d) + 1) // 2 for d in docs)
assert (full_pairs, doc_pairs) == (528, 161)  # the figures quoted in the answer

# Per-token training FLOPs, Kaplan et al. (2020): forward ~ 2N + 2 * n_layer * n_ctx * d_model.
# Llama 2 7B shape: 32 layers, d_model 4,096, ~6.48B non-embedding parameters.
n_layer, d_model = 32, 4096
N = 32 * (4 * d_model**2 + 3 * d_model * 11008 + 2 * d_model) + d_model
attn_share = {s: 2 * n_layer * s * d_model / (2 * N) for s in (4096, 32768, 131072)}
assert N == 6_476_271_616
assert [round(100 * v) for v in attn_share.values()] == [8, 66, 265]

print(f"gradient accumulation == full batch (5 seeds); naive mean-of-means off by "
      f"{100 * rel_err:.1f}% (last seed): OK")
print(f"packing {len(docs)} docs into {T} tokens with a block-diagonal mask == running "
      f"each alone; plain causal mask leaks across documents: OK")
print(f"causal pairs in the row: {full_pairs} with a plain mask, {doc_pairs} needed "
      f"with the document mask")
print("attention FLOPs relative to weight FLOPs per token (7B shape): "
      + ", ".join(f"{s:,} tokens {100 * v:.0f}%" for s, v in attn_share.items()))
