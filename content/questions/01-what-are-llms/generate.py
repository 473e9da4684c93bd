"""How an LLM generates text: a tiny decoder-only transformer, sampled token by token.

The weights are random (no training here), so the text is gibberish; the point is the
inference machinery that every GPT/Llama-style model shares:

  token ids -> embeddings -> N causal decoder blocks -> logits -> sample -> append -> repeat

plus the KV cache, which makes each new step cost O(current length) instead of
re-running the whole prefix. The asserts check the properties a real implementation needs.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

VOCAB, D_MODEL, N_HEADS, N_LAYERS, MAX_LEN = 32, 64, 4, 2, 64


class RMSNorm(nn.Module):
    """Llama-style RMSNorm (written by hand: nn.RMSNorm does not exist in torch 1.13)."""

    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class Block(nn.Module):
    """Pre-norm decoder block: x + Attn(norm(x)), then x + SwiGLU-MLP(norm(x))."""

    def __init__(self):
        super().__init__()
        self.h, self.dh = N_HEADS, D_MODEL // N_HEADS
        self.norm1, self.norm2 = RMSNorm(D_MODEL), RMSNorm(D_MODEL)
        self.qkv = nn.Linear(D_MODEL, 3 * D_MODEL, bias=False)
        self.out = nn.Linear(D_MODEL, D_MODEL, bias=False)
        hidden = 4 * D_MODEL
        self.w_gate = nn.Linear(D_MODEL, hidden, bias=False)
        self.w_up = nn.Linear(D_MODEL, hidden, bias=False)
        self.w_down = nn.Linear(hidden, D_MODEL, bias=False)

    def forward(self, x, cache=None):
        B, T, _ = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(D_MODEL, dim=-1)
        # (B, T, D) -> (B, heads, T, head_dim)
        q, k, v = (t.view(B, T, self.h, self.dh).transpose(1, 2) for t in (q, k, v))
        if cache is not None:  # prepend keys/values of all earlier positions
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        new_cache = (k, v)
        S = k.shape[2]  # total length seen so far (past + current)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.dh)  # (B, h, T, S)
        # Causal mask: query at absolute position S-T+i may see keys 0..S-T+i only.
        mask = torch.ones(T, S, dtype=torch.bool).tril(diagonal=S - T)
        scores = scores.masked_fill(~mask, float("-inf"))
        att = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D_MODEL)
        x = x + self.out(att)
        h = self.norm2(x)
        x = x + self.w_down(F.silu(self.w_gate(h)) * self.w_up(h))  # SwiGLU
        return x, new_cache


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, D_MODEL)
        # Learned absolute positions keep the sample short; Llama/Qwen/DeepSeek use RoPE.
        self.pos = nn.Embedding(MAX_LEN, D_MODEL)
        self.blocks = nn.ModuleList(Block() for _ in range(N_LAYERS))
        self.norm = RMSNorm(D_MODEL)
        self.head = nn.Linear(D_MODEL, VOCAB, bias=False)

    def forward(self, ids, caches=None, start=0):
        """ids: (B, T) new tokens at positions start..start+T-1. Returns logits (B, T, V)."""
        pos = torch.arange(start, start + ids.shape[1])
        x = self.tok(ids) + self.pos(pos)
        new_caches = []
        for i, block in enumerate(self.blocks):
            x, c = block(x, None if caches is None else caches[i])
            new_caches.append(c)
        return self.head(self.norm(x)), new_caches


def next_token_probs(logits, temperature=1.0, top_k=None, top_p=None):
    """Turn last-position logits (B, V) into a sampling distribution."""
    logits = logits / temperature  # T<1 sharpens, T>1 flattens
    if top_k is not None:  # keep the k largest logits, drop the rest
        kth = logits.topk(top_k, dim=-1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    probs = logits.softmax(-1)
    if top_p is not None:  # nucleus sampling (Holtzman et al., 2019)
        # Sort descending; keep a token if the mass of the tokens ranked above it is
        # still below p. That keeps the smallest prefix whose mass reaches p.
        sorted_p, order = probs.sort(dim=-1, descending=True)
        mass_before = sorted_p.cumsum(-1) - sorted_p
        keep_sorted = mass_before < top_p
        keep = torch.zeros_like(keep_sorted).scatter(-1, order, keep_sorted)
        probs = probs.masked_fill(~keep, 0.0)
        probs = probs / probs.sum(-1, keepdim=True)  # renormalise over the nucleus
    return probs


@torch.no_grad()
def generate(model, prompt, n_new, temperature=0.0, top_k=None, top_p=None, use_cache=True,
             gen=None):
    ids = prompt.clone()
    caches, logits = None, None
    for _ in range(n_new):
        if use_cache:
            # Prefill once with the whole prompt, then feed only the newest token.
            new = ids if caches is None else ids[:, -1:]
            start = 0 if caches is None else ids.shape[1] - 1
            logits, caches = model(new, caches, start)
        else:
            logits, _ = model(ids)  # recompute the full prefix every step: O(n^2) total work
        last = logits[:, -1, :]
        if temperature == 0.0:  # greedy decoding
            nxt = last.argmax(-1, keepdim=True)
        else:
            probs = next_token_probs(last, temperature, top_k, top_p)
            nxt = torch.multinomial(probs, 1, generator=gen)
        ids = torch.cat([ids, nxt], dim=1)
    return ids


model = TinyLM().eval()
n_params = sum(p.numel() for p in model.parameters())
prompt = torch.randint(0, VOCAB, (2, 5))

# 1. Shapes: one distribution over the vocabulary per position.
logits, _ = model(prompt)
assert logits.shape == (2, 5, VOCAB)

# 2. Causality: changing a later token must not change earlier predictions.
altered = prompt.clone()
altered[:, -1] = (altered[:, -1] + 1) % VOCAB
assert torch.allclose(model(altered)[0][:, :-1], logits[:, :-1], atol=1e-6)

# 3. KV cache is exact: incremental logits equal a full recomputation.
full = torch.randint(0, VOCAB, (2, 12))
ref, _ = model(full)
step_logits, caches = model(full[:, :4], None, 0)  # prefill 4 tokens
outs = [step_logits]
for t in range(4, 12):  # then decode one token at a time
    step_logits, caches = model(full[:, t : t + 1], caches, t)
    outs.append(step_logits)
assert torch.allclose(torch.cat(outs, dim=1), ref, atol=1e-5)
assert caches[0][0].shape == (2, N_HEADS, 12, D_MODEL // N_HEADS)  # K cache grows with length

# 4. Greedy decoding gives identical tokens with and without the cache.
g_cached = generate(model, prompt, 10, use_cache=True)
g_plain = generate(model, prompt, 10, use_cache=False)
assert torch.equal(g_cached, g_plain) and g_cached.shape == (2, 15)

# 5. Sampling knobs behave as documented.
last = ref[:, -1, :]
p_top5 = next_token_probs(last, 1.0, top_k=5)
assert ((p_top5 > 0).sum(-1) == 5).all() and torch.allclose(p_top5.sum(-1), torch.ones(2))


def entropy(p):
    return -(p * p.clamp_min(1e-12).log()).sum(-1)


assert (entropy(next_token_probs(last, 0.5)) < entropy(next_token_probs(last, 2.0))).all()
# top_k=1 sampling is greedy decoding in disguise.
assert torch.equal(
    generate(model, prompt, 8, temperature=1.0, top_k=1, gen=torch.Generator().manual_seed(1)),
    generate(model, prompt, 8),
)

# 6. Top-p keeps the SMALLEST set of tokens whose probability reaches p. Checked
#    against a brute-force search on random distributions (float64, so the
#    comparison with p is not decided by rounding), 20 per value of p.
def smallest_nucleus_size(p_row, top_p):
    ranked = sorted(p_row.tolist(), reverse=True)
    total = 0.0
    for size, q in enumerate(ranked, start=1):
        total += q
        if total >= top_p:
            return size
    return len(ranked)


checked = 0
for top_p in (0.1, 0.5, 0.9, 0.99):
    for seed in range(20):
        g = torch.Generator().manual_seed(seed)
        logits = 3.0 * torch.randn(1, VOCAB, generator=g, dtype=torch.float64)
        p_full = logits.softmax(-1)[0]
        p_nuc = next_token_probs(logits, top_p=top_p)[0]
        kept = p_nuc > 0
        assert p_full[kept].sum() >= top_p                          # reaches p ...
        assert int(kept.sum()) == smallest_nucleus_size(p_full, top_p)  # ... with as few as possible
        if (~kept).any():                                        # and they are the top ones
            assert p_full[kept].min() > p_full[~kept].max()
        assert torch.allclose(p_nuc[kept], p_full[kept] / p_full[kept].sum())    # renormalised
        checked += 1
assert (next_token_probs(last, top_p=1.0) > 0).all()               # p = 1 keeps everything
# A tiny p keeps only the argmax, so nucleus sampling collapses to greedy decoding.
assert torch.equal(
    generate(model, prompt, 8, temperature=1.0, top_p=1e-9, gen=torch.Generator().manual_seed(3)),
    generate(model, prompt, 8),
)

# Same seed, same sample: generation is reproducible once the RNG is fixed.
s1 = generate(model, prompt, 8, temperature=1.0, top_k=10, gen=torch.Generator().manual_seed(7))
s2 = generate(model, prompt, 8, temperature=1.0, top_k=10, gen=torch.Generator().manual_seed(7))
assert torch.equal(s1, s2)

print(f"TinyLM: {n_params:,} parameters, {N_LAYERS} layers, vocab {VOCAB}")
print("greedy  :", g_cached[0].tolist())
print("sampled :", s1[0].tolist())
print(f"top-p: kept set was the smallest reaching p in all {checked} random distributions")
print("all checks passed: causality, exact KV cache, greedy == top-k=1, temperature, top-p, seeding")
