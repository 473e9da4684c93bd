"""Transfer learning in miniature: linear probes on frozen pre-trained features,
training from scratch, and negative transfer from a mismatched source.

Target language: 48 tokens, each in one of 4 hidden word classes (class = id % 4).
Sentences follow a class-level grammar: the next token's class is usually
class + 1 (mod 4); the token is drawn uniformly inside its class.
Downstream task: which class is the last token in? Only n labels are given.

  (a) probe/matched:    pre-train a tiny causal Transformer by next-token
                        prediction on unlabeled target-language text, freeze it,
                        fit a linear classifier on the last hidden state;
  (b) scratch:          train the whole network on the n labels alone;
  (c) probe/mismatched: the same as (a), but pre-trained on a source language
                        whose classes are a different partition of the same
                        tokens (class = id // 12): the features group the wrong
                        tokens together, and the head start over (b) vanishes.
Held-out sentences are disjoint from the labeled ones and from both pre-training
corpora (asserted); two pre-training seeds, two label budgets.
Run: python3 linear_probe.py
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
V, N_CLASS, SEQ, D = 48, 4, 8, 32
TARGET_CLASS = torch.arange(V) % N_CLASS       # the structure the task needs
SOURCE_CLASS = torch.arange(V) // (V // N_CLASS)  # a different structure


def sample(n, token_class, gen):
    """Sentences of a language whose word classes are given by token_class."""
    members = [torch.nonzero(token_class == c).flatten() for c in range(N_CLASS)]
    members = torch.stack(members)             # (N_CLASS, 12) token ids per class
    cls = torch.randint(0, N_CLASS, (n,), generator=gen)
    cols = []
    for _ in range(SEQ):
        cols.append(members[cls, torch.randint(0, V // N_CLASS, (n,), generator=gen)])
        jump = torch.rand(n, generator=gen) < 0.15
        cls = torch.where(jump, torch.randint(0, N_CLASS, (n,), generator=gen), (cls + 1) % N_CLASS)
    return torch.stack(cols, dim=1)


class TinyCausalLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(V, D)
        self.pos = nn.Parameter(torch.zeros(SEQ, D))
        self.qkv = nn.Linear(D, 3 * D)
        self.ff = nn.Linear(D, D)
        self.lm_head = nn.Linear(D, V)
        self.cls_head = nn.Linear(D, N_CLASS)
        self.register_buffer("mask", torch.ones(SEQ, SEQ).tril().bool())

    def features(self, x):
        h = self.tok(x) + self.pos
        q, k, v = self.qkv(h).chunk(3, dim=-1)
        att = (q @ k.transpose(1, 2) / D ** 0.5).masked_fill(~self.mask, float("-inf"))
        h = h + att.softmax(-1) @ v
        return h + torch.relu(self.ff(h))

    def lm_loss(self, x):
        logits = self.lm_head(self.features(x))[:, :-1]
        return F.cross_entropy(logits.reshape(-1, V), x[:, 1:].reshape(-1))

    def classify(self, x):
        return self.cls_head(self.features(x)[:, -1])


def fit(params, loss_fn, steps, lr):
    opt = torch.optim.Adam(params, lr=lr)
    for _ in range(steps):
        loss = loss_fn()
        opt.zero_grad()
        loss.backward()
        opt.step()


def pretrain(corpus, gen):
    lm = TinyCausalLM()
    fit(lm.parameters(), lambda: lm.lm_loss(corpus[torch.randint(0, len(corpus), (16,), generator=gen)]),
        steps=50, lr=1e-2)
    return lm.requires_grad_(False)            # frozen: feature extraction only


def last_features(lm, x):
    with torch.no_grad():
        return lm.features(x)[:, -1]           # frozen: computed once, reused by every probe


def probe_accuracy(f, y, test_f, test_y):
    probe = nn.Linear(D, N_CLASS)              # the only trained weights
    fit(probe.parameters(), lambda: F.cross_entropy(probe(f), y), steps=100, lr=5e-2)
    with torch.no_grad():
        return (probe(test_f).argmax(-1) == test_y).float().mean().item()


def rows(t):
    return {tuple(r) for r in t.tolist()}


acc = {}  # (method, n, seed) -> held-out accuracy
for seed in range(2):
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    target_text = sample(2000, TARGET_CLASS, gen)
    source_text = sample(2000, SOURCE_CLASS, gen)
    matched, mismatched = pretrain(target_text, gen), pretrain(source_text, gen)

    seen = rows(target_text) | rows(source_text)
    pool = torch.tensor(sorted(rows(sample(700, TARGET_CLASS, gen)) - seen))
    pool = pool[torch.randperm(len(pool), generator=gen)]
    test_x = pool[:400]
    test_y = TARGET_CLASS[test_x[:, -1]]
    feats = {"matched": last_features(matched, pool), "mismatched": last_features(mismatched, pool)}
    for n in (16, 64):
        x = pool[400:400 + n]
        y = TARGET_CLASS[x[:, -1]]
        assert len(x) == n and not rows(x) & rows(test_x) and not seen & rows(test_x)
        for name, f in feats.items():          # rows of f line up with rows of pool
            acc["probe/" + name, n, seed] = probe_accuracy(f[400:400 + n], y, f[:400], test_y)
        scratch = TinyCausalLM()
        fit(scratch.parameters(), lambda: F.cross_entropy(scratch.classify(x), y), steps=40, lr=3e-3)
        with torch.no_grad():
            acc["scratch", n, seed] = (scratch.classify(test_x).argmax(-1) == test_y).float().mean().item()

for seed in range(2):
    m16, m64 = acc["probe/matched", 16, seed], acc["probe/matched", 64, seed]
    x16, x64 = acc["probe/mismatched", 16, seed], acc["probe/mismatched", 64, seed]
    s16, s64 = acc["scratch", 16, seed], acc["scratch", 64, seed]
    print(f"seed {seed}: n=16  probe(matched) {m16:.2f}  probe(mismatched) {x16:.2f}  scratch {s16:.2f}")
    print(f"        n=64  probe(matched) {m64:.2f}  probe(mismatched) {x64:.2f}  scratch {s64:.2f}")
    assert m16 > 0.85 and m16 > s16 + 0.3, "matched features + 16 labels should beat scratch"
    assert m16 > x16 + 0.25 and m64 > x64 + 0.05, "the gain needs the source to share structure"
    assert x16 < s16 + 0.2, "mismatched features give at most a small head start over scratch"
    assert s64 > s16 + 0.1, "from scratch, more labels are the only way to improve"
print("ok: a linear probe on matched frozen features solves the task with 16 labels; "
      "a mismatched source or no pre-training needs far more labels")
