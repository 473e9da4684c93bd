"""A GPT-style decoder-only Transformer from scratch (GPT-2 layout: pre-LayerNorm,
learned positions, GELU MLP, tied input/output embeddings).

What this file checks (run: python3 tiny_gpt.py):
  1. The parameter formula matches the built model; applied to GPT-2's published
     configurations it gives the released checkpoints' sizes (124M ... 1.56B), and
     to GPT-3 175B's configuration about 175B.
  2. Causality: changing tokens after position t never changes the logits at <= t.
  3. One parallel forward pass with shifted targets gives the same log-likelihood as
     scoring the sequence token by token (the chain rule behind "predict the next token").
  4. Decoding: greedy = argmax; top-k sampling only ever emits the k most likely tokens;
     a seeded sampler is reproducible.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        B, T, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=-1)
        q, k, v = (t.view(B, T, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        scores = scores.masked_fill(~causal, float("-inf"))  # token i sees 0..i only
        att = torch.softmax(scores, dim=-1) @ v
        x = x + self.proj(att.transpose(1, 2).reshape(B, T, d))  # pre-LN residual
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab, d, layers, heads, context):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(context, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)  # GPT-2's extra LayerNorm after the last block

    def forward(self, ids):
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1)))
        for block in self.blocks:
            x = block(x)
        return self.ln_f(x) @ self.tok.weight.t()  # tied output layer: logits over vocab


def gpt_params(V, n_ctx, d, L):
    per_layer = (3 * d * d + 3 * d) + (d * d + d) + (8 * d * d + 5 * d) + 4 * d
    return V * d + n_ctx * d + L * per_layer + 2 * d


# 1. Parameter counts ---------------------------------------------------------------------
model = TinyGPT(vocab=64, d=32, layers=3, heads=4, context=16).eval()
assert sum(p.numel() for p in model.parameters()) == gpt_params(64, 16, 32, 3)
gpt2 = {"117M": (768, 12), "345M": (1024, 24), "762M": (1280, 36), "1542M": (1600, 48)}
counts = {name: gpt_params(50257, 1024, d, L) for name, (d, L) in gpt2.items()}
assert counts["117M"] == 124_439_808  # released "small" checkpoint: 124M
assert counts["1542M"] == 1_557_611_200  # released XL: 1.56B
gpt3 = gpt_params(50257, 2048, 12288, 96)
assert abs(gpt3 / 175e9 - 1) < 0.01, gpt3

# 2. Causality ------------------------------------------------------------------------------
ids = torch.randint(0, 64, (2, 16))
with torch.no_grad():
    logits = model(ids)
    for t in range(15):
        changed = ids.clone()
        changed[:, t + 1:] = torch.randint(0, 64, (2, 15 - t))
        assert torch.allclose(model(changed)[:, : t + 1], logits[:, : t + 1], atol=1e-5)

# 3. Teacher forcing == the chain rule ----------------------------------------------------------
with torch.no_grad():
    seq = ids[:1]
    logits = model(seq)
    # inputs are tokens 0..T-2, targets are tokens 1..T-1 (shift by one)
    nll = F.cross_entropy(logits[0, :-1], seq[0, 1:], reduction="sum")
    stepwise = 0.0
    for t in range(1, seq.size(1)):
        prefix_logits = model(seq[:, :t])[0, -1]  # only the prefix is visible
        stepwise -= torch.log_softmax(prefix_logits, -1)[seq[0, t]].item()
    assert abs(nll.item() - stepwise) < 1e-3, (nll.item(), stepwise)


# 4. Decoding -----------------------------------------------------------------------------------
def generate(model, prompt, steps, temperature=1.0, top_k=None, gen=None):
    ids = prompt.clone()
    for _ in range(steps):
        with torch.no_grad():
            logits = model(ids[:, -16:])[:, -1]  # keep within the context window
        if temperature == 0:
            nxt = logits.argmax(-1, keepdim=True)
        else:
            logits = logits / temperature
            if top_k is not None:
                kth = logits.topk(top_k, dim=-1).values[:, -1:]
                logits = logits.masked_fill(logits < kth, float("-inf"))
            nxt = torch.multinomial(torch.softmax(logits, -1), 1, generator=gen)
        ids = torch.cat([ids, nxt], dim=1)
    return ids


prompt = torch.tensor([[5, 9, 2]])
greedy = generate(model, prompt, 8, temperature=0)
with torch.no_grad():
    assert greedy[0, 3].item() == model(prompt)[0, -1].argmax().item()
a = generate(model, prompt, 8, top_k=5, gen=torch.Generator().manual_seed(1))
b = generate(model, prompt, 8, top_k=5, gen=torch.Generator().manual_seed(1))
assert torch.equal(a, b)  # same seed, same text
with torch.no_grad():
    for t in range(3, 11):  # every sampled token was among the 5 most likely at its step
        top5 = model(a[:, :t][:, -16:])[0, -1].topk(5).indices
        assert a[0, t].item() in top5.tolist()

print("GPT-2 sizes from configs:", {k: f"{v / 1e6:.0f}M" for k, v in counts.items()},
      f"| GPT-3 175B config: {gpt3 / 1e9:.1f}B")
print("causal: later tokens never change earlier logits")
print(f"sequence NLL: parallel {nll.item():.4f} == token-by-token {stepwise:.4f}")
print("greedy == argmax; top-k samples stay in the top k; seeded sampling reproducible")
