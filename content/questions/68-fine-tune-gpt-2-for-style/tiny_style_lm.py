"""Fine-tuning a causal LM toward one author's style, at toy scale, on CPU in a few seconds.

Mirrors the GPT-2 recipe:
  1. "Pre-train" a tiny decoder-only transformer on a mix of two authors (the general corpus).
  2. Fine-tune it on a small corpus by author A only, with a lower learning rate,
     evaluating every 10 steps and restoring the checkpoint with the best held-out loss
     (best-checkpoint selection; early stopping would also end the run once the loss
     stops improving, as EarlyStoppingCallback does in the Hugging Face version).
  3. Evaluate: held-out loss/perplexity on author A vs author B, and a style marker
     rate measured on sampled text.

Both authors write about the same things (sea, wind, moon...); they differ only in
style: A is archaic ("the wind doth sing", "o moon, thou art pale"),
B is plain ("the wind is cold. we see the moon."). Word-level tokens keep it tiny.
"""
import math
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

# ------------------------------------------------------------------ two "authors"
NOUNS = ["sea", "wind", "moon", "ship", "night", "star", "shore", "storm"]
ADJS = ["cold", "dark", "pale", "wild", "calm", "bright"]
A_VERBS = ["sing", "weep", "roar", "sleep", "wander"]
B_VERBS = ["moves", "falls", "turns", "stops", "grows"]
A_MARKERS = {"doth", "thou", "art", "lo", "o", "thy", "hath"}
B_MARKERS = {"is", "it", "we", "see", "very"}


def author_a(rng):
    n, n2, a, v = rng.choice(NOUNS), rng.choice(NOUNS), rng.choice(ADJS), rng.choice(A_VERBS)
    return rng.choice([
        f"the {n} doth {v} .",
        f"o {n} , thou art {a} .",
        f"and lo , the {n} doth {v} .",
        f"thy {n} hath a {a} {n2} .",
    ]).split()


def author_b(rng):
    n, n2, a, v = rng.choice(NOUNS), rng.choice(NOUNS), rng.choice(ADJS), rng.choice(B_VERBS)
    return rng.choice([
        f"the {n} is {a} .",
        f"the {n} {v} . it is very {a} .",
        f"we see the {n} .",
        f"the {n} is near the {n2} .",
    ]).split()


def sentences(author, n, seed, exclude=frozenset()):
    """n sentences by `author`, none of them in `exclude` (so held-out text is never seen)."""
    rng, out = random.Random(seed), []
    while len(out) < n:
        sent = author(rng)
        if " ".join(sent) not in exclude:
            out.append(sent)
    return out


flat = lambda sents: [w for sent in sents for w in sent]
joined = lambda sents: {" ".join(sent) for sent in sents}
# Held-out sentences first; no training set (pre-training or fine-tuning) may contain them.
a_valid_s = sentences(author_a, 40, 5)     # held-out text by the same author
b_valid_s = sentences(author_b, 40, 6)     # a different style, for contrast
held_out = joined(a_valid_s) | joined(b_valid_s)
rng = random.Random(3)
general_s = []                             # the "web text": whole sentences by both authors
for _ in range(600):
    general_s += sentences(author_a if rng.random() < 0.5 else author_b, 1, rng.random(), held_out)
a_train_s = sentences(author_a, 60, 4, held_out)   # the small "author" corpus (60 sentences)
assert not (joined(general_s) | joined(a_train_s)) & held_out       # disjoint, checked
general, a_train, a_valid, b_valid = map(flat, (general_s, a_train_s, a_valid_s, b_valid_s))

VOCAB = sorted(set(general) | set(a_train) | set(a_valid) | set(b_valid))
stoi = {w: i for i, w in enumerate(VOCAB)}


def encode(words):
    return torch.tensor([stoi[w] for w in words])


def decode(ids):
    return " ".join(VOCAB[i] for i in ids)


GEN, A_TRAIN, A_VALID, B_VALID = map(encode, (general, a_train, a_valid, b_valid))
CTX, D = 16, 32


# ------------------------------------------------------------------ tiny GPT
class CausalSelfAttention(nn.Module):
    def __init__(self, heads=2):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(D, 3 * D)
        self.proj = nn.Linear(D, D)
        self.register_buffer("mask", torch.tril(torch.ones(CTX, CTX, dtype=torch.bool)))

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = self.qkv(x).split(D, dim=-1)
        q, k, v = (z.view(b, t, self.h, D // self.h).transpose(1, 2) for z in (q, k, v))
        att = q @ k.transpose(-2, -1) / math.sqrt(D // self.h)
        att = att.masked_fill(~self.mask[:t, :t], float("-inf"))   # no peeking at the future
        y = att.softmax(-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, D))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.attn = CausalSelfAttention()
        self.mlp = nn.Sequential(nn.Linear(D, 4 * D), nn.GELU(), nn.Linear(4 * D, D))

    def forward(self, x):                  # pre-LN residual block, as in GPT-2
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, layers=1):
        super().__init__()
        self.tok = nn.Embedding(len(VOCAB), D)
        self.pos = nn.Embedding(CTX, D)
        self.blocks = nn.Sequential(*[Block() for _ in range(layers)])
        self.ln_f = nn.LayerNorm(D)
        self.head = nn.Linear(D, len(VOCAB), bias=False)
        self.head.weight = self.tok.weight        # tied input/output embeddings, like GPT-2
        for m in self.modules():                  # GPT-2 init: N(0, 0.02), zero biases
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)

    def forward(self, input_ids, labels=None):
        t = input_ids.size(1)
        h = self.tok(input_ids) + self.pos(torch.arange(t))
        logits = self.head(self.ln_f(self.blocks(h)))
        if labels is None:
            return logits
        # Hugging Face convention: labels == input_ids; the shift happens here.
        # Position i predicts token i+1, so drop the last logit and the first label.
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)),
                               labels[:, 1:].reshape(-1), ignore_index=-100)
        return logits, loss


def batch(stream, n=16):
    """Random CTX-long windows: the toy version of group_texts() + shuffling."""
    starts = torch.randint(0, len(stream) - CTX, (n,))
    return torch.stack([stream[s:s + CTX] for s in starts])


@torch.no_grad()
def eval_loss(model, stream):
    """Mean next-token loss over held-out text, in non-overlapping windows of up to CTX
    tokens. The last window may be shorter: cutting only full blocks (as for training)
    would leave NOTHING to evaluate when the held-out text is shorter than one block."""
    if len(stream) < 2:
        raise ValueError("held-out text needs at least 2 tokens (one next-token target)")
    model.eval()
    total, count = 0.0, 0
    for start in range(0, len(stream), CTX):
        window = stream[start:start + CTX].unsqueeze(0)
        if window.size(1) < 2:                           # a 1-token tail has no target
            continue
        logits = model(window)
        total += F.cross_entropy(logits[0, :-1], window[0, 1:], reduction="sum").item()
        count += window.size(1) - 1
    model.train()
    return total / count                                  # mean over all targets


def train(model, stream, steps, lr, valid=None, every=10):
    """With `valid`, evaluate every `every` steps and restore the best checkpoint at the end
    (best-checkpoint selection: the run itself always goes the full `steps`)."""
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(           # 5-step warmup, cosine decay to 10%
        opt, lambda s: min(1.0, (s + 1) / 5) * (0.55 + 0.45 * math.cos(math.pi * s / steps)))
    best, best_state, losses = float("inf"), None, []
    for step in range(1, steps + 1):
        x = batch(stream)
        _, loss = model(x, labels=x)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        losses.append(loss.item())
        if valid is not None and step % every == 0:      # track the best held-out loss
            v = eval_loss(model, valid)
            if v < best:
                best, best_state = v, {k: t.clone() for k, t in model.state_dict().items()}
    if best_state is not None:
        model.load_state_dict(best_state)
    return losses


@torch.no_grad()
def sample(model, prompt, n_tokens=30, temperature=0.8, top_k=10):
    """Autoregressive sampling with temperature and top-k, like generate(do_sample=True)."""
    model.eval()
    ids = encode(prompt.split()).unsqueeze(0)
    for _ in range(n_tokens):
        logits = model(ids[:, -CTX:])[:, -1] / temperature
        kth = logits.topk(top_k).values[:, -1:]
        logits[logits < kth] = float("-inf")
        ids = torch.cat([ids, torch.multinomial(logits.softmax(-1), 1)], dim=1)
    model.train()
    return ids[0].tolist()


def a_marker_share(ids):
    """Of all style-marker words in a sample, the share that belong to author A."""
    words = [VOCAB[i] for i in ids]
    a = sum(w in A_MARKERS for w in words)
    b = sum(w in B_MARKERS for w in words)
    return a / max(a + b, 1)


# ------------------------------------------------------------------ checks on the mechanics
model = TinyGPT()
x = batch(GEN, 2)
logits, loss = model(x, labels=x)
manual = F.cross_entropy(logits[:, :-1].reshape(-1, len(VOCAB)), x[:, 1:].reshape(-1))
assert torch.allclose(loss, manual)                       # label shift done exactly once
x2 = x.clone()
x2[:, -1] = (x2[:, -1] + 1) % len(VOCAB)                  # change only the last token
assert torch.allclose(model(x2)[:, :-1], model(x)[:, :-1], atol=1e-6)   # causal mask holds
assert abs(loss.item() - math.log(len(VOCAB))) < 0.1      # untrained: near uniform
# A validation text shorter than one block must still be evaluated, not crash or give NaN.
short = A_VALID[: CTX // 2]
full_blocks = short[: len(short) // CTX * CTX]            # what "full blocks only" would keep
assert full_blocks.numel() == 0
short_loss = eval_loss(model, short)
with torch.no_grad():
    model.eval()
    direct = F.cross_entropy(model(short[None])[0, :-1], short[1:]).item()
    model.train()
assert math.isfinite(short_loss) and abs(short_loss - direct) < 1e-5

# ------------------------------------------------------------------ 1. pre-train on both authors
# One base model, as there is one released GPT-2 checkpoint that everybody fine-tunes.
torch.manual_seed(0)
base = TinyGPT()
train(base, GEN, steps=40, lr=1e-2)
pre_a, pre_b, pre_fit = (eval_loss(base, s) for s in (A_VALID, B_VALID, A_TRAIN))
torch.manual_seed(1000)
pre_share = sum(a_marker_share(sample(base, "the sea")) for _ in range(6)) / 6
print(f"vocab {len(VOCAB)} words; author-A corpus {len(a_train)} tokens")
print(f"pre-trained : A valid ppl {math.exp(pre_a):5.2f} | B valid ppl {math.exp(pre_b):5.2f}"
      f" | A-marker share in samples {pre_share:.2f}")
assert 0.25 < pre_share < 0.75, pre_share     # before fine-tuning: a mix of both styles


# ------------------------------------------------------------------ 2-3. fine-tune on author A, evaluate
# The claims are statistical, so they must hold for every fine-tuning seed (batches, sampling),
# not for one lucky run.
for seed in (0, 1, 2):
    torch.manual_seed(seed)
    model = TinyGPT()
    model.load_state_dict(base.state_dict())                 # start from the same checkpoint
    train(model, A_TRAIN, steps=30, lr=3e-3, valid=A_VALID)  # restores the best checkpoint
    ft_a, ft_b, ft_fit = (eval_loss(model, s) for s in (A_VALID, B_VALID, A_TRAIN))
    samples = [sample(model, "the sea") for _ in range(3)]
    ft_share = sum(map(a_marker_share, samples)) / 3
    print(f"seed {seed} fine-tuned: A valid ppl {math.exp(ft_a):5.2f} | B valid ppl {math.exp(ft_b):5.2f}"
          f" | A-marker share in samples {ft_share:.2f}")
    assert ft_fit < pre_fit - 0.2, (pre_fit, ft_fit)   # fits the author's corpus better
    assert ft_a < pre_a - 0.1, (pre_a, ft_a)           # better on held-out text by the same author
    assert ft_a < ft_b - 0.5, (ft_a, ft_b)             # and clearly worse on the other style
    assert ft_b > pre_b + 0.3, (pre_b, ft_b)           # fine-tuning narrowed the distribution
    assert ft_share > 0.8, ft_share                    # samples now use author A's markers
print("sample (seed 2):", decode(samples[0][:24]))
print("all checks passed")
