"""KV-cache decoding on a tiny random decoder, plus the cache's memory arithmetic.

What this file checks (run: python3 kv_cache.py):
  1. Greedy decoding with a KV cache gives the same tokens as recomputing the whole
     sequence at every step, and near-identical logits, for several seeds.
  2. Chunked prefill (feeding the prompt to the cache in pieces) gives the same logits
     as one-shot prefill.
  3. A sliding-window model can keep only the last W cache entries (a rolling buffer)
     and still match full recomputation with a window mask.
  4. The cache does linear work per step where recomputation does quadratic work.
  5. KV-cache memory for Llama 3 70B at 128K tokens in bf16 is exactly 40 GiB, computed
     from the config, and what GQA, FP8 and MHA would change.
"""
import math

import torch
import torch.nn as nn

GiB = 2**30


def rope(x, pos):
    """Rotary position embedding. x: (B, H, T, D); pos: (T,) absolute positions."""
    d = x.size(-1)
    inv_freq = 1.0 / (10000 ** (torch.arange(0, d, 2, dtype=torch.float64) / d))
    ang = pos.double()[:, None] * inv_freq[None, :]  # (T, D/2)
    cos, sin = ang.cos().to(x.dtype), ang.sin().to(x.dtype)
    x1, x2 = x[..., 0::2], x[..., 1::2]
    out = torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)
    return out.flatten(-2)


class Attention(nn.Module):
    def __init__(self, d, n_heads, n_kv_heads, window=None):
        super().__init__()
        self.h, self.kv, self.dh, self.window = n_heads, n_kv_heads, d // n_heads, window
        self.q = nn.Linear(d, d, bias=False)
        self.k = nn.Linear(d, n_kv_heads * self.dh, bias=False)  # GQA: fewer K/V heads
        self.v = nn.Linear(d, n_kv_heads * self.dh, bias=False)
        self.o = nn.Linear(d, d, bias=False)

    def forward(self, x, pos, cache):
        B, T, _ = x.shape
        q = rope(self.q(x).view(B, T, self.h, self.dh).transpose(1, 2), pos)
        k = rope(self.k(x).view(B, T, self.kv, self.dh).transpose(1, 2), pos)
        v = self.v(x).view(B, T, self.kv, self.dh).transpose(1, 2)
        if cache is not None:  # keys are cached AFTER the rotation: positions are baked in
            if "k" in cache:
                k = torch.cat([cache["k"], k], 2)
                v = torch.cat([cache["v"], v], 2)
                kpos = torch.cat([cache["pos"], pos])
            else:
                kpos = pos
            cache["k"], cache["v"], cache["pos"] = k, v, kpos
        else:
            kpos = pos
        allowed = kpos[None, :] <= pos[:, None]  # causal mask by absolute position
        if self.window is not None:
            allowed &= kpos[None, :] > pos[:, None] - self.window
        if cache is not None and self.window is not None:  # rolling buffer: drop old entries
            keep = cache["pos"] > pos[-1] - self.window
            cache["k"], cache["v"], cache["pos"] = cache["k"][:, :, keep], cache["v"][:, :, keep], cache["pos"][keep]
        g = self.h // self.kv
        k, v = k.repeat_interleave(g, 1), v.repeat_interleave(g, 1)
        s = (q @ k.transpose(-2, -1)) / math.sqrt(self.dh)
        s = s.masked_fill(~allowed, float("-inf"))
        y = torch.softmax(s, -1) @ v
        return self.o(y.transpose(1, 2).reshape(B, T, -1))


class TinyDecoder(nn.Module):
    def __init__(self, vocab=64, d=32, n_layers=2, n_heads=4, n_kv_heads=2, window=None):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList()
        for _ in range(n_layers):
            self.blocks.append(nn.ModuleDict(dict(
                ln1=nn.LayerNorm(d), attn=Attention(d, n_heads, n_kv_heads, window),
                ln2=nn.LayerNorm(d), mlp=nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d)))))
        self.ln_f, self.head = nn.LayerNorm(d), nn.Linear(d, vocab, bias=False)
        self.positions_processed = 0  # how many token positions went through the stack

    def forward(self, tokens, start_pos=0, caches=None):
        T = tokens.size(1)
        self.positions_processed += T
        pos = torch.arange(start_pos, start_pos + T)
        x = self.emb(tokens)
        for i, blk in enumerate(self.blocks):
            x = x + blk["attn"](blk["ln1"](x), pos, None if caches is None else caches[i])
            x = x + blk["mlp"](blk["ln2"](x))
        return self.head(self.ln_f(x))


@torch.no_grad()
def greedy_uncached(model, prompt, n_new):
    seq, logits = prompt, []
    for _ in range(n_new):
        out = model(seq)[:, -1]  # recompute every position, every step
        logits.append(out)
        seq = torch.cat([seq, out.argmax(-1, keepdim=True)], 1)
    return seq[:, prompt.size(1):], torch.stack(logits, 1)


@torch.no_grad()
def greedy_cached(model, prompt, n_new, chunk=None):
    caches = [dict() for _ in model.blocks]
    P = prompt.size(1)
    chunk = chunk or P
    for s in range(0, P, chunk):  # prefill, optionally in chunks (chunked prefill)
        out = model(prompt[:, s:s + chunk], start_pos=s, caches=caches)[:, -1]
    toks, logits = [], []
    for t in range(n_new):
        logits.append(out)
        nxt = out.argmax(-1, keepdim=True)
        toks.append(nxt)
        if t == n_new - 1:
            break  # the last token's K/V are only needed if we keep generating
        out = model(nxt, start_pos=P + t, caches=caches)[:, -1]  # one new position only
    return torch.cat(toks, 1), torch.stack(logits, 1), caches


P, N = 10, 20
for seed in range(5):
    torch.manual_seed(seed)
    model = TinyDecoder().eval()
    prompt = torch.randint(0, 64, (2, P))
    model.positions_processed = 0
    ref_tok, ref_logits = greedy_uncached(model, prompt, N)
    work_uncached = model.positions_processed
    model.positions_processed = 0
    tok, logits, caches = greedy_cached(model, prompt, N)
    work_cached = model.positions_processed
    # 1. same tokens, near-identical logits
    assert torch.equal(tok, ref_tok), seed
    assert (logits - ref_logits).abs().max().item() < 1e-4
    # the cache holds n_kv_heads (2) heads, not n_heads (4): GQA shrinks it
    assert caches[0]["k"].shape == (2, 2, P + N - 1, 8)
    # 4. work: recompute = sum of lengths (quadratic); cache = each position once
    assert work_uncached == sum(P + t for t in range(N))
    assert work_cached == P + N - 1
    # 2. chunked prefill == one-shot prefill
    tok_c, logits_c, _ = greedy_cached(model, prompt, N, chunk=3)
    assert torch.equal(tok_c, tok) and (logits_c - logits).abs().max().item() < 1e-4

    # 3. sliding window W=6: a rolling buffer of 6 entries matches full recomputation
    torch.manual_seed(100 + seed)
    swa = TinyDecoder(window=6).eval()
    ref_tok, ref_logits = greedy_uncached(swa, prompt, N)
    tok, logits, caches = greedy_cached(swa, prompt, N, chunk=4)
    assert torch.equal(tok, ref_tok) and (logits - ref_logits).abs().max().item() < 1e-4
    assert all(c["k"].size(2) <= 6 for c in caches)  # memory bounded by the window

# 5. Memory arithmetic from the config (Llama 3 70B: 80 layers, 64 query heads,
#    8 KV heads, head dim 8192 / 64 = 128; Llama 3.1 context window 128K tokens).
cfg = dict(n_layers=80, hidden=8192, n_heads=64, n_kv_heads=8)
head_dim = cfg["hidden"] // cfg["n_heads"]


def kv_bytes(tokens, n_kv_heads, bytes_per_value, n_layers=cfg["n_layers"], d=head_dim):
    return 2 * n_layers * n_kv_heads * d * bytes_per_value * tokens  # 2 = K and V


per_token = kv_bytes(1, cfg["n_kv_heads"], 2)
gqa_bf16 = kv_bytes(128 * 1024, cfg["n_kv_heads"], 2)
assert head_dim == 128 and per_token == 327_680  # 320 KiB per token
assert gqa_bf16 == 40 * GiB  # exactly 40 GiB for one 131,072-token sequence
assert kv_bytes(128 * 1024, cfg["n_heads"], 2) == 320 * GiB  # if it had used full MHA
assert kv_bytes(128 * 1024, cfg["n_kv_heads"], 1) == 20 * GiB  # FP8 / int8 cache
print(f"cached == uncached greedy decoding for 5 seeds (tokens equal, max |dlogit| < 1e-4)")
print(f"work for {N} new tokens after a {P}-token prompt: {work_uncached} positions recomputed vs {work_cached} with the cache")
print("chunked prefill == one-shot prefill; sliding-window rolling buffer (W=6) == windowed recomputation")
print(f"Llama 3 70B KV cache: {per_token / 1024:.0f} KiB/token, {gqa_bf16 / GiB:.0f} GiB at 128K tokens (bf16), "
      f"{kv_bytes(128 * 1024, 8, 1) / GiB:.0f} GiB in FP8, {kv_bytes(128 * 1024, 64, 2) / GiB:.0f} GiB if it were MHA")
