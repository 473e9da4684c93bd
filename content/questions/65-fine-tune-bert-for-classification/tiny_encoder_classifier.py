"""Transfer learning with a tiny BERT-style encoder, end to end, on CPU in a few seconds.

The same mechanism as fine-tuning BERT, at toy scale:
  1. Pre-train an encoder with masked-language modelling (MLM) on unlabeled "reviews".
  2. Drop the MLM head and put a fresh classification head on the [CLS] position,
     which is what AutoModelForSequenceClassification does (it warns that
     classifier.weight / classifier.bias are newly initialised).
  3. Fine-tune on only 64 labeled, imbalanced examples with layer-wise LR decay,
     warmup + linear decay and a class-weighted loss. Compare with a frozen encoder
     (train the head only) and with the same model trained without pre-training,
     over five fine-tuning seeds: fine-tuning on small data is noisy, so one seed proves
     nothing.

Toy language: token ids 3-8 are positive words, 9-14 negative words, 15-31 filler.
Label = 1 if a review has more positive than negative words. Unlabeled reviews lean
strongly one way, so MLM learns "positive words co-occur with positive words":
the distributional signal that makes real pre-training transfer. The 64 labeled reviews
use only 2 of the 6 words of each polarity (a small labeled set never covers the whole
vocabulary); test reviews use all of them, so only pre-training can tell the model what
the other 8 sentiment words mean.
"""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)

# ------------------------------------------------------------------ toy data
PAD, CLS, MASK = 0, 1, 2
POS, NEG, FILLER = list(range(3, 9)), list(range(9, 15)), list(range(15, 32))
VOCAB, SEQ, D = 32, 10, 16


def review(rng, pos=POS, neg=NEG):
    lean = rng.choice([0.1, 0.9])               # each review leans one way
    toks = [CLS]
    for _ in range(SEQ - 1):
        if rng.random() < 0.6:
            toks.append(rng.choice(pos) if rng.random() < lean else rng.choice(neg))
        else:
            toks.append(rng.choice(FILLER))
    return toks


def label(toks):
    return int(sum(t in POS for t in toks) > sum(t in NEG for t in toks))


def make_set(n, pos_fraction, seed, words=(POS, NEG)):
    """pos_fraction=None: natural distribution; otherwise rejection-sample to it.
    words = (positive words, negative words) that may appear."""
    rng, xs, ys = random.Random(seed), [], []
    while len(xs) < n:
        toks = review(rng, *words)
        y = label(toks)
        if pos_fraction is not None and y != int(rng.random() < pos_fraction):
            continue
        xs.append(toks)
        ys.append(y)
    return torch.tensor(xs), torch.tensor(ys)


X_unlab, _ = make_set(2048, None, seed=1)       # plentiful unlabeled text
X_train, y_train = make_set(64, 0.25, seed=2, words=(POS[:2], NEG[:2]))  # few labels, 1 pos : 3 neg
X_test, y_test = make_set(500, 0.25, seed=3)
train_rows = {tuple(r) for r in X_train.tolist()}
assert not any(tuple(r) in train_rows for r in X_test.tolist())   # held-out really is held out

# Toy-scale settings. Real BERT fine-tuning uses lr 2e-5..5e-5 for 2-4 epochs;
# a 16-dim model trained for 30 steps needs a far larger rate. The model trained from
# scratch gets twice the rate: it has nothing to preserve, and it does better with it.
PRETRAIN_STEPS, FINETUNE_STEPS, LR, LR_SCRATCH = 80, 30, 5e-3, 1e-2
SEEDS = range(5)                  # fine-tuning seeds: head init, dropout, batch order
ACC_MIN, F1_MIN = 0.88, 0.84      # must hold for every seed


def head_tail(ids, max_len, head):
    """Sun et al. (2019): for texts longer than the model's limit, keep the first `head`
    tokens and the last max_len - head (they found 128 + 382 best for BERT's 512)."""
    return ids if len(ids) <= max_len else ids[:head] + ids[len(ids) - (max_len - head):]


assert head_tail(list(range(10)), 6, 2) == [0, 1, 6, 7, 8, 9]
assert head_tail(list(range(600)), 510, 128)[127:129] == [127, 218]   # 128 head + 382 tail
assert head_tail([1, 2, 3], 6, 2) == [1, 2, 3]


# ------------------------------------------------------------------ model
class Encoder(nn.Module):
    """Token + learned position embeddings, pre-LN transformer layers, final LayerNorm."""

    def __init__(self, layers=2):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, D)
        self.pos = nn.Embedding(SEQ, D)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(D, 2, 2 * D, dropout=0.1,
                                       batch_first=True, norm_first=True)
            for _ in range(layers)])
        self.norm = nn.LayerNorm(D)

    def forward(self, x):
        h = self.tok(x) + self.pos(torch.arange(x.size(1)))
        for layer in self.layers:
            h = layer(h, src_key_padding_mask=x == PAD)   # True = padding, ignore
        return self.norm(h)                               # (batch, seq, D)


class ForMaskedLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.mlm_head = nn.Linear(D, VOCAB)

    def forward(self, x):
        return self.mlm_head(self.encoder(x))


class ForSequenceClassification(nn.Module):
    """Same encoder; a new head reads the [CLS] vector or the mean over real tokens."""

    def __init__(self, num_labels=2, pooling="cls"):
        super().__init__()
        self.encoder = Encoder()
        self.pooling = pooling
        self.dropout = nn.Dropout(0.1)
        self.classifier = nn.Linear(D, num_labels)

    def forward(self, x):
        h = self.encoder(x)
        if self.pooling == "cls":
            pooled = h[:, 0]                              # position 0 is [CLS]
        else:
            keep = (x != PAD).unsqueeze(-1).float()
            pooled = (h * keep).sum(1) / keep.sum(1)
        return self.classifier(self.dropout(pooled))      # logits, no softmax


# ------------------------------------------------------------------ 1. pre-train (MLM)
def mask_tokens(x, p=0.4):
    """BERT's 80/10/10 rule on a random subset of ordinary tokens. BERT masks 15%;
    40% gives more training signal per step in this tiny budget."""
    labels = x.clone()
    chosen = (torch.rand(x.shape) < p) & (x > MASK)       # never mask [CLS] / [PAD]
    labels[~chosen] = -100                                # -100 = ignored by the loss
    x = x.clone()
    r = torch.rand(x.shape)
    x[chosen & (r < 0.8)] = MASK
    swap = chosen & (r >= 0.8) & (r < 0.9)
    x[swap] = torch.randint(3, VOCAB, x.shape)[swap]      # remaining 10%: unchanged
    return x, labels


mlm = ForMaskedLM()
opt = torch.optim.AdamW(mlm.parameters(), lr=1e-2, weight_decay=0.01)
mlm_losses = []
for _ in range(PRETRAIN_STEPS):
    inp, labels = mask_tokens(X_unlab[torch.randint(0, len(X_unlab), (32,))])
    loss = F.cross_entropy(mlm(inp).reshape(-1, VOCAB), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    mlm_losses.append(loss.item())
first_mlm, final_mlm = sum(mlm_losses[:10]) / 10, sum(mlm_losses[-10:]) / 10
assert final_mlm < first_mlm - 0.2, (first_mlm, final_mlm)
checkpoint = mlm.state_dict()          # stands in for the downloaded bert-base weights


# ------------------------------------------------------------------ 2. swap the head
def from_pretrained():
    model = ForSequenceClassification()
    missing, unexpected = model.load_state_dict(checkpoint, strict=False)
    # The same report transformers prints when it loads an MLM checkpoint into a
    # classifier: head weights missing (fresh init), MLM-head weights unused.
    assert sorted(missing) == ["classifier.bias", "classifier.weight"], missing
    assert sorted(unexpected) == ["mlm_head.bias", "mlm_head.weight"], unexpected
    return model


# ------------------------------------------------------------------ 3. fine-tune
def llrd_param_groups(model, base_lr, decay):
    """Layer-wise LR decay: the head (and final norm) gets base_lr, the top layer
    base_lr * decay, each layer below one more factor of decay, the embeddings the
    smallest rate. Lower layers hold the most general features: disturb them least."""
    n = len(model.encoder.layers)
    groups = [{"params": [*model.classifier.parameters(), *model.encoder.norm.parameters()],
               "lr": base_lr}]
    for i, layer in enumerate(model.encoder.layers):
        groups.append({"params": list(layer.parameters()), "lr": base_lr * decay ** (n - i)})
    groups.append({"params": [*model.encoder.tok.parameters(), *model.encoder.pos.parameters()],
                   "lr": base_lr * decay ** (n + 1)})
    return groups


def scores(pred, y):
    acc = (pred == y).float().mean().item()
    f1 = []
    for c in (0, 1):              # macro-F1: the rare class counts as much as the common one
        tp = ((pred == c) & (y == c)).sum().item()
        fp = ((pred == c) & (y != c)).sum().item()
        fn = ((pred != c) & (y == c)).sum().item()
        f1.append(2 * tp / max(2 * tp + fp + fn, 1))
    return acc, sum(f1) / 2


# Weights inversely proportional to class frequency: errors on the rare positive
# class cost 3x more, so the model cannot win by always predicting "negative".
counts = torch.bincount(y_train, minlength=2).float()
CLASS_WEIGHTS = counts.sum() / (2 * counts)


def fine_tune(model, lr, decay=0.8, steps=FINETUNE_STEPS, seed=0):
    torch.manual_seed(seed)                               # same batches for both variants
    opt = torch.optim.AdamW(llrd_param_groups(model, lr, decay), weight_decay=0.01)
    warm = steps // 10                                    # 10% linear warmup, then linear decay
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, (steps - s) / (steps - warm)))
    model.train()
    for _ in range(steps):
        idx = torch.randint(0, len(X_train), (32,))
        loss = F.cross_entropy(model(X_train[idx]), y_train[idx], weight=CLASS_WEIGHTS)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
    model.eval()                                          # dropout off for evaluation
    with torch.no_grad():
        return scores(model(X_test).argmax(-1), y_test)


def frozen_encoder_probe(lr=0.05, steps=200):
    """Feature extraction: freeze the encoder, cache its [CLS] vectors once and train
    only the linear head. Cheap, but [CLS] was never trained for this task."""
    model = from_pretrained()
    for p in model.encoder.parameters():
        p.requires_grad = False
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert trainable == D * 2 + 2, trainable              # the classifier's weight and bias only
    model.eval()
    with torch.no_grad():
        f_train, f_test = model.encoder(X_train)[:, 0], model.encoder(X_test)[:, 0]
    opt = torch.optim.AdamW(model.classifier.parameters(), lr=lr)
    for _ in range(steps):
        loss = F.cross_entropy(model.classifier(f_train), y_train, weight=CLASS_WEIGHTS)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return scores(model.classifier(f_test).argmax(-1), y_test)


# LLRD check: 2 layers, decay 0.8 -> embeddings 0.512x, layer 0 0.64x, layer 1 0.8x, head 1x.
lrs = sorted(g["lr"] for g in llrd_param_groups(from_pretrained(), 1.0, 0.8))
assert [round(v, 6) for v in lrs] == [0.512, 0.64, 0.8, 1.0], lrs

frozen = frozen_encoder_probe()
majority = (y_test == 0).float().mean().item()            # accuracy of "always negative"
full, scratch = [], []
for seed in SEEDS:
    torch.manual_seed(1000 + seed)                        # the new head's initialisation
    full.append(fine_tune(from_pretrained(), LR, decay=0.8, seed=seed))
    torch.manual_seed(2000 + seed)                        # random init: no LLRD, nothing to preserve
    scratch.append(fine_tune(ForSequenceClassification(), LR_SCRATCH, decay=1.0, seed=seed))

print(f"MLM pre-training loss {first_mlm:.2f} -> {final_mlm:.2f}")
print(f"always-negative baseline  : acc {majority:.3f}")
print(f"frozen encoder, head only : acc {frozen[0]:.3f}  macro-F1 {frozen[1]:.3f}")
print("seed | pre-trained + full FT + LLRD | no pre-training (acc / macro-F1)")
for seed, (f, r) in enumerate(zip(full, scratch)):
    print(f"{seed:4d} | {f[0]:.3f} / {f[1]:.3f}{'':16}| {r[0]:.3f} / {r[1]:.3f}")
mean_f1 = lambda runs: sum(r[1] for r in runs) / len(runs)
print(f"mean macro-F1: pre-trained {mean_f1(full):.3f}, from scratch {mean_f1(scratch):.3f}")

for f, r in zip(full, scratch):                           # every seed, not one lucky one
    assert f[0] >= ACC_MIN and f[1] >= F1_MIN, (f, r)     # the stated thresholds
    assert f[1] > r[1] + 0.02, (f, r)                     # pre-training helped with 64 labels
assert mean_f1(full) > mean_f1(scratch) + 0.1
assert frozen[0] > majority and frozen[1] >= F1_MIN       # frozen features carry the signal too
assert ForSequenceClassification(pooling="mean")(X_test[:4]).shape == (4, 2)   # mean pooling works too
print("all checks passed")
