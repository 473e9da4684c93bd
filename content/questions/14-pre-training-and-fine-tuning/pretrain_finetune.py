"""Pre-training then fine-tuning, in miniature.

A synthetic "language": 48 tokens fall into 4 hidden word classes (12 tokens each).
Sentences follow a class-level grammar: the next token's class is usually
(class + 1) mod 4, and the token itself is drawn uniformly inside its class.
Nobody ever tells the model the classes.

  1. Pre-train a tiny causal Transformer on unlabeled sentences with next-token
     prediction (self-supervised: the targets are the text itself).
  2. Fine-tune it on a downstream task with only 24 labeled sentences:
     "which class is the last token in?" (4-way classification, new head).
  3. Train the same architecture from scratch on the same 24 examples.
  4. Compare on a held-out set that shares no sentence with the fine-tuning set
     or the pre-training corpus (asserted), for several seeds.

Why pre-training helps: to predict the next token, tokens of the same class must
get similar representations (they predict the same next class), so the labels
only have to be attached to structure that already exists.
Run: python3 pretrain_finetune.py
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
V, N_CLASS, SEQ, D = 48, 4, 8, 32
TOKEN_CLASS = torch.arange(V) % N_CLASS  # hidden class of each token id


def sample_sentences(n, gen):
    """Class-level Markov chain: next class = class + 1 (p = 0.85), else random."""
    cls = torch.randint(0, N_CLASS, (n,), generator=gen)
    cols = []
    for _ in range(SEQ):
        # token id = class + 4 * (uniform index inside the class)
        cols.append(cls + N_CLASS * torch.randint(0, V // N_CLASS, (n,), generator=gen))
        jump = torch.rand(n, generator=gen) < 0.15
        cls = torch.where(jump, torch.randint(0, N_CLASS, (n,), generator=gen), (cls + 1) % N_CLASS)
    return torch.stack(cols, dim=1)  # (n, SEQ) token ids


class TinyCausalLM(nn.Module):
    """One causal self-attention layer plus a small feed-forward layer."""

    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(V, D)
        self.pos = nn.Parameter(torch.zeros(SEQ, D))
        self.qkv = nn.Linear(D, 3 * D)
        self.ff = nn.Linear(D, D)
        self.lm_head = nn.Linear(D, V)         # used only in pre-training
        self.cls_head = nn.Linear(D, N_CLASS)  # new, randomly initialised task head
        self.register_buffer("mask", torch.ones(SEQ, SEQ).tril().bool())

    def features(self, x):
        h = self.tok(x) + self.pos
        q, k, v = self.qkv(h).chunk(3, dim=-1)
        att = (q @ k.transpose(1, 2) / D ** 0.5).masked_fill(~self.mask, float("-inf"))
        h = h + att.softmax(-1) @ v
        return h + torch.relu(self.ff(h))

    def lm_loss(self, x):  # predict token t+1 from tokens <= t
        logits = self.lm_head(self.features(x))[:, :-1]
        return F.cross_entropy(logits.reshape(-1, V), x[:, 1:].reshape(-1))

    def classify(self, x):  # read the task label off the last position
        return self.cls_head(self.features(x)[:, -1])


def pretrain(model, corpus, gen, steps=50, bs=32):
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        loss = model.lm_loss(corpus[torch.randint(0, len(corpus), (bs,), generator=gen)])
        opt.zero_grad()
        loss.backward()
        opt.step()


def finetune(model, x, y, steps=40):
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)  # full fine-tuning: all weights move
    for _ in range(steps):
        loss = F.cross_entropy(model.classify(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


def accuracy(model, x, y):
    with torch.no_grad():
        return (model.classify(x).argmax(-1) == y).float().mean().item()


def rows(t):
    return {tuple(r) for r in t.tolist()}


results = []
for seed in range(3):
    gen = torch.Generator().manual_seed(seed)
    labeled = torch.tensor(sorted(rows(sample_sentences(600, gen))))
    labeled = labeled[torch.randperm(len(labeled), generator=gen)]
    train_x, test_x = labeled[:24], labeled[24:424]  # 24 labeled examples, 400 held out
    train_y, test_y = TOKEN_CLASS[train_x[:, -1]], TOKEN_CLASS[test_x[:, -1]]
    corpus = torch.tensor(sorted(rows(sample_sentences(2000, gen)) - rows(labeled)))
    # held-out data shares no sentence with the fine-tuning set or the pre-training text
    assert not rows(train_x) & rows(test_x)
    assert not rows(corpus) & rows(test_x) and not rows(corpus) & rows(train_x)

    torch.manual_seed(seed)
    pre = TinyCausalLM()
    lm_start = pre.lm_loss(test_x).item()
    pretrain(pre, corpus, gen)
    lm_end = pre.lm_loss(test_x).item()
    finetune(pre, train_x, train_y)
    lm_after_ft = pre.lm_loss(test_x).item()  # same LM head, features moved by fine-tuning

    torch.manual_seed(seed)  # identical initialisation, but no pre-training
    scratch = TinyCausalLM()
    finetune(scratch, train_x, train_y)

    # test sentences whose last token never appears last in the 24 labeled ones
    unseen = ~torch.isin(test_x[:, -1], train_x[:, -1])
    results.append({
        "lm": (lm_start, lm_end, lm_after_ft),
        "train": (accuracy(pre, train_x, train_y), accuracy(scratch, train_x, train_y)),
        "test": (accuracy(pre, test_x, test_y), accuracy(scratch, test_x, test_y)),
        "unseen": (accuracy(pre, test_x[unseen], test_y[unseen]),
                   accuracy(scratch, test_x[unseen], test_y[unseen])),
    })

for seed, r in enumerate(results):
    (lm0, lm1, lm2), (p_tr, s_tr), (p_te, s_te), (p_un, s_un) = (
        r["lm"], r["train"], r["test"], r["unseen"])
    print(f"seed {seed}: LM loss {lm0:.2f} -> {lm1:.2f} (after fine-tuning {lm2:.2f}) | "
          f"held-out acc pre-trained {p_te:.2f} vs scratch {s_te:.2f} | "
          f"unseen last tokens {p_un:.2f} vs {s_un:.2f}")
    assert lm1 < lm0 - 0.8, "pre-training did not learn the language"
    assert p_tr == 1.0 and s_tr == 1.0, "both models should fit the 24 examples"
    assert p_te > s_te + 0.15, "pre-trained model should generalise much better"
    assert s_un < 0.4, "from scratch, unseen last tokens should be near chance (0.25)"
    assert p_un > s_un + 0.2, "the gain should come from tokens the labels never showed"
    assert lm2 > lm1 + 0.05, "full fine-tuning should cost some LM ability (forgetting)"
gap = sum(r["test"][0] - r["test"][1] for r in results) / len(results)
assert gap > 0.25
print(f"ok: over {len(results)} seeds, pre-training then fine-tuning beats training "
      f"from scratch on 24 labels by {gap:.2f} accuracy on average; both fit the training set")
