"""Counterfactual-swap bias probe and counterfactual data augmentation (CDA).

A toy "suitability scorer" (bag-of-words logistic regression) is trained on
sentences whose true label depends only on quality words ("skilled", "late"...).
The training sample is skewed: positive examples mention male words more often,
negative ones female words, as a biased hiring corpus might. The probe swaps
gendered words in held-out sentences and measures how much the score moves.
CDA adds a gender-swapped copy of every training sentence and retrains.
Standard library + torch only; runs on CPU in about a second.
"""
import random

import torch

torch.set_num_threads(1)

SWAP = {"he": "she", "she": "he", "his": "her", "her": "his",
        "man": "woman", "woman": "man", "mr": "ms", "ms": "mr"}
MALE, FEMALE = ["he", "his", "man", "mr"], ["she", "her", "woman", "ms"]
GOOD = ["skilled", "reliable", "experienced", "careful", "creative", "punctual"]
BAD = ["careless", "late", "rude", "sloppy", "unprepared", "dishonest"]
JOBS = ["engineer", "nurse", "pilot", "teacher", "chef", "lawyer", "clerk", "doctor"]
VOCAB = sorted(set(MALE + FEMALE + GOOD + BAD + JOBS))
IDX = {w: i for i, w in enumerate(VOCAB)}


def make_sentence(rng, label, p_male):
    """Label 1: one or two GOOD words (maybe one BAD), label 0 the reverse; gender is sampled with skew p_male."""
    gender = MALE if rng.random() < p_male else FEMALE
    main, other = (GOOD, BAD) if label == 1 else (BAD, GOOD)
    words = [rng.choice(gender), rng.choice(JOBS)] + rng.sample(main, rng.choice([1, 2]))
    if rng.random() < 0.4:          # mixed evidence: one word from the other list
        words.append(rng.choice(other))
    return tuple(words)


def swap(sentence):
    return tuple(SWAP.get(w, w) for w in sentence)


def bag(sentence):
    return tuple(sorted(sentence))


def featurize(sentences):
    x = torch.zeros(len(sentences), len(VOCAB))
    for r, s in enumerate(sentences):
        for w in s:
            x[r, IDX[w]] += 1.0
    return x


def train(sentences, labels, seed, steps=120):
    torch.manual_seed(seed)
    x, y = featurize(sentences), torch.tensor(labels, dtype=torch.float32)
    model = torch.nn.Linear(len(VOCAB), 1)
    opt = torch.optim.Adam(model.parameters(), lr=0.1, weight_decay=1e-3)
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x).squeeze(1), y)
        loss.backward()
        opt.step()
    return model


def score(model, sentences):
    with torch.no_grad():
        return torch.sigmoid(model(featurize(sentences)).squeeze(1))


def counterfactual_gap(model, sentences):
    """Mean |score(x) - score(swap(x))| and the share of decisions that flip at 0.5."""
    s, t = score(model, sentences), score(model, [swap(x) for x in sentences])
    return (s - t).abs().mean().item(), ((s > 0.5) != (t > 0.5)).float().mean().item()


def accuracy(model, sentences, labels):
    pred = (score(model, sentences) > 0.5).long()
    return (pred == torch.tensor(labels)).float().mean().item()


results = []
for seed in range(5):
    rng = random.Random(seed)
    train_lab = [rng.randint(0, 1) for _ in range(600)]
    # biased collection: P(male) = 0.8 for positives, 0.2 for negatives
    train_x = [make_sentence(rng, y, 0.8 if y == 1 else 0.2) for y in train_lab]
    # held-out probe set: balanced gender, labels from quality words only
    test_lab = [rng.randint(0, 1) for _ in range(400)]
    test_x = [make_sentence(rng, y, 0.5) for y in test_lab]
    # bag-of-words sees a sentence as a multiset, so compare sorted word lists
    seen = {bag(s) for s in train_x}
    test_x, test_lab = zip(*[(s, y) for s, y in zip(test_x, test_lab)
                             if bag(s) not in seen and bag(swap(s)) not in seen])
    assert not {bag(s) for s in test_x} & seen, "probe sentences must be unseen"
    assert not {bag(swap(s)) for s in test_x} & seen, "their swapped twins too"

    base = train(train_x, train_lab, seed)
    cda_x = list(train_x) + [swap(s) for s in train_x]          # CDA: add swapped twins
    cda = train(cda_x, list(train_lab) * 2, seed)

    gap_b, flip_b = counterfactual_gap(base, test_x)
    gap_c, flip_c = counterfactual_gap(cda, test_x)
    acc_b, acc_c = accuracy(base, test_x, test_lab), accuracy(cda, test_x, test_lab)
    w = base.weight[0]
    results.append((seed, gap_b, gap_c, flip_b, flip_c, acc_b, acc_c))

    # the biased model learned a gender direction; the probe must detect it
    assert (w[IDX["he"]] - w[IDX["she"]]).item() > 0.5, "expected a learned male-positive weight"
    assert gap_b > 0.05, f"probe failed to detect bias (seed {seed}): {gap_b:.3f}"
    # CDA removes most of the counterfactual gap without hurting task accuracy
    assert gap_c < 0.2 * gap_b, f"CDA did not shrink the gap (seed {seed})"
    assert flip_c <= flip_b
    assert min(acc_b, acc_c) > 0.8 and acc_c >= acc_b - 0.03, "CDA should not cost task accuracy here"

print("seed  gap(base)  gap(CDA)  flips(base)  flips(CDA)  acc(base)  acc(CDA)")
for seed, gb, gc, fb, fc, ab, ac in results:
    print(f"{seed:4d}  {gb:9.3f}  {gc:8.3f}  {fb:11.1%}  {fc:10.1%}  {ab:9.1%}  {ac:8.1%}")
print("checked on 5 seeds: probe detects the bias, CDA cuts the gap by >80%, accuracy kept")
