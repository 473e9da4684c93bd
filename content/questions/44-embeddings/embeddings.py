"""What an embedding layer is, what weight tying does, and how distributional training
makes cosine neighbours meaningful. Run: /usr/bin/python3 embeddings.py
"""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
V, d = 50, 16

# 1. An embedding lookup is a one-hot matrix multiply (done as an indexed read) ---------------
emb = nn.Embedding(V, d)
ids = torch.tensor([3, 7, 3, 42])
one_hot = F.one_hot(ids, V).float()
assert torch.allclose(emb(ids), one_hot @ emb.weight)
emb(ids).sum().backward()
touched = emb.weight.grad.abs().sum(1) > 0
assert touched.nonzero().flatten().tolist() == [3, 7, 42]   # only rows that were looked up get gradient
assert torch.allclose(emb.weight.grad[3], 2 * torch.ones(d))  # token 3 appeared twice


# 2. Tied input and output embeddings (Press and Wolf, 2017) ----------------------------------
class TinyLM(nn.Module):
    def __init__(self, tie):
        super().__init__()
        self.embed = nn.Embedding(V, d)
        self.mix = nn.Linear(d, d)
        self.lm_head = nn.Linear(d, V, bias=False)
        if tie:
            self.lm_head.weight = self.embed.weight   # one V x d matrix used twice

    def forward(self, x):
        return self.lm_head(torch.tanh(self.mix(self.embed(x))))


def n_params(m):
    return sum(p.numel() for p in m.parameters())   # parameters() de-duplicates shared tensors


tied, untied = TinyLM(tie=True), TinyLM(tie=False)
assert tied.lm_head.weight.data_ptr() == tied.embed.weight.data_ptr()
assert n_params(untied) - n_params(tied) == V * d

# The tied matrix receives the sum of the gradient from its input use and its output use.
untied.load_state_dict({k: v for k, v in tied.state_dict().items()}, strict=False)
untied.lm_head.weight.data.copy_(tied.embed.weight.data)
x, y = torch.randint(0, V, (4, 6)), torch.randint(0, V, (4, 6))
for m in (tied, untied):
    m.zero_grad()
    F.cross_entropy(m(x).reshape(-1, V), y.reshape(-1)).backward()
assert torch.allclose(tied.embed.weight.grad, untied.embed.weight.grad + untied.lm_head.weight.grad, atol=1e-6)

# 3. Static table, contextual outputs ----------------------------------------------------------
layer = nn.TransformerEncoderLayer(d_model=d, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True).eval()
bank = 5
s1, s2 = torch.tensor([[1, 2, bank, 9]]), torch.tensor([[30, 31, bank, 33]])
with torch.no_grad():
    assert torch.equal(emb(s1)[0, 2], emb(s2)[0, 2])             # same row of the table
    h1, h2 = layer(emb(s1))[0, 2], layer(emb(s2))[0, 2]
    assert F.cosine_similarity(h1, h2, dim=0) < 0.99             # different vector after one layer

# 4. Distributional training: skip-gram with negative sampling (word2vec) on a toy corpus ------
CATS = {
    "animal": ["cat", "dog", "horse", "goat", "mouse", "rabbit"],
    "food": ["bread", "rice", "apple", "cheese", "soup", "pasta"],
    "place": ["kitchen", "garden", "barn", "house", "field", "market"],
}
TEMPLATES = [
    "the {animal} eats the {food} in the {place}",
    "a {animal} sleeps in the {place}",
    "we cook {food} in the {place}",
    "the {animal} runs to the {place}",
    "they sell {food} at the {place}",
    "my {animal} likes {food}",
]


def train_sgns(seed, dim=12, window=2, n_neg=5, steps=120):
    rng = random.Random(seed)
    torch.manual_seed(seed)
    sents = []
    for _ in range(150):
        t = rng.choice(TEMPLATES)
        sents.append(t.format(**{c: rng.choice(w) for c, w in CATS.items()}).split())
    vocab = sorted({w for s in sents for w in s})
    idx = {w: i for i, w in enumerate(vocab)}
    pairs = [(idx[s[i]], idx[s[j]]) for s in sents for i in range(len(s))
             for j in range(max(0, i - window), min(len(s), i + window + 1)) if j != i]
    center, context = torch.tensor(pairs).T
    w_in, w_out = nn.Embedding(len(vocab), dim), nn.Embedding(len(vocab), dim)
    nn.init.normal_(w_in.weight, std=0.1)
    nn.init.zeros_(w_out.weight)
    opt = torch.optim.Adam(list(w_in.parameters()) + list(w_out.parameters()), lr=0.05)
    for _ in range(steps):
        neg = torch.randint(0, len(vocab), (len(center), n_neg))
        u = w_in(center)
        pos = F.logsigmoid((u * w_out(context)).sum(-1))
        negs = F.logsigmoid(-(u.unsqueeze(1) * w_out(neg)).sum(-1)).sum(-1)
        loss = -(pos + negs).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return vocab, idx, w_in.weight.detach()


def nearest(word, vocab, idx, table):
    sims = F.cosine_similarity(table[idx[word]].unsqueeze(0), table, dim=1)
    sims[idx[word]] = -2.0
    return vocab[sims.argmax().item()]


category = {w: c for c, ws in CATS.items() for w in ws}
for seed in range(3):
    vocab, idx, table = train_sgns(seed)
    words = [w for ws in CATS.values() for w in ws]
    hits = sum(category.get(nearest(w, vocab, idx, table)) == category[w] for w in words)
    # A random table would put the nearest neighbour in the same category about 5/(len(vocab)-1) of the time.
    assert hits >= 0.9 * len(words), (seed, hits)
    # the same check on an untrained (randomly initialised) table fails: the structure is learned
    g = torch.Generator().manual_seed(seed)
    rand_table = 0.1 * torch.randn(table.shape, generator=g)
    rand_hits = sum(category.get(nearest(w, vocab, idx, rand_table)) == category[w] for w in words)
    assert rand_hits <= 0.5 * len(words), (seed, rand_hits)
    print(f"seed {seed}: nearest neighbour in same category for {hits}/{len(words)} words; "
          f"cat -> {nearest('cat', vocab, idx, table)}, rice -> {nearest('rice', vocab, idx, table)}")

print("lookup == one-hot matmul, sparse row gradients; tied head saves V*d params and sums both gradients;")
print("same table row, different contextual vectors; word2vec-style training clusters words by usage: OK")
