"""Task metrics and a forgetting check for a fine-tuned model, against hand values.

What this file checks (run: python3 finetune_metrics.py):
  1. Accuracy and macro-F1 for a 3-class classifier equal the values worked out by hand.
  2. Field-level precision/recall/F1 for structured extraction, with normalisation.
  3. A regression suite compares base and fine-tuned models on the SAME items per suite
     with a paired bootstrap; over 20 seeds it flags a real drop in general knowledge
     (catastrophic forgetting: 6 points in the underlying skill, about 5.4 after the 5%
     item noise of both models) almost every time and rarely flags a suite that did
     not change.
"""
import numpy as np


def macro_f1(gold, pred):
    scores = []
    for c in sorted(set(gold) | set(pred)):
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores)


# 1. By hand: gold a a b b c c / pred a b b b c a
#    a: TP 1, FP 1, FN 1 -> P 1/2, R 1/2, F1 0.5
#    b: TP 2, FP 1, FN 0 -> P 2/3, R 1,   F1 0.8
#    c: TP 1, FP 0, FN 1 -> P 1,   R 1/2, F1 2/3
#    macro-F1 = (0.5 + 0.8 + 2/3) / 3 = 0.65556; accuracy = 4/6
gold = list("aabbcc")
pred = list("abbbca")
acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
assert abs(acc - 4 / 6) < 1e-12
assert abs(macro_f1(gold, pred) - (0.5 + 0.8 + 2 / 3) / 3) < 1e-12


# 2. Extraction: a field counts only if key and normalised value both match.
def norm(v):
    return " ".join(str(v).lower().split())


def field_prf(gold_fields, pred_fields):
    g = {(k, norm(v)) for k, v in gold_fields.items()}
    p = {(k, norm(v)) for k, v in pred_fields.items()}
    tp = len(g & p)
    prec, rec = tp / len(p), tp / len(g)
    return prec, rec, 2 * prec * rec / (prec + rec) if tp else 0.0


# name matches after lower-casing; date is wrong; amount is missing; currency is invented
# -> TP 1, FP 2, FN 2 -> P = R = F1 = 1/3
prf = field_prf({"name": "Ada Lovelace", "date": "1843", "amount": "100"},
                {"name": "ada  lovelace", "date": "1842", "currency": "GBP"})
assert all(abs(x - 1 / 3) < 1e-12 for x in prf), prf


# 3. Regression suite with a paired bootstrap -----------------------------------------------
def paired_drop_ci(base, tuned, rng, n_boot=2000):
    """95% percentile-bootstrap CI of (tuned - base) accuracy, resampling items jointly."""
    d = tuned.astype(float) - base.astype(float)
    idx = rng.integers(0, len(d), size=(n_boot, len(d)))
    return np.quantile(d[idx].mean(1), [0.025, 0.975])


def simulate_suite(rng, n, base_acc, delta):
    """Per-item correctness. Items have a shared difficulty, so the two models' results
    are correlated, as they are on a real benchmark."""
    difficulty = rng.random(n)
    base = difficulty < base_acc
    tuned = difficulty < base_acc + delta  # tuned solves a superset or a subset
    # plus independent item-level noise in each model (same rate, so delta = 0 means no change)
    flip_b, flip_t = rng.random(n) < 0.05, rng.random(n) < 0.05
    return np.where(flip_b, ~base, base), np.where(flip_t, ~tuned, tuned)


flagged = {"target task": 0, "general knowledge": 0, "safety refusals": 0}
gk_drops = []  # simulated accuracy change on the general-knowledge suite, one per seed
truth = {"target task": +0.15, "general knowledge": -0.06, "safety refusals": 0.0}
for seed in range(20):
    rng = np.random.default_rng(seed)
    for suite, delta in truth.items():
        base, tuned = simulate_suite(rng, 1000, 0.6, delta)
        lo, hi = paired_drop_ci(base, tuned, rng)
        if suite == "general knowledge":
            gk_drops.append(tuned.mean() - base.mean())
        if hi < 0:  # the whole interval is below zero: a significant regression
            flagged[suite] += 1
assert flagged["general knowledge"] >= 18, flagged  # real forgetting is caught
assert flagged["safety refusals"] <= 3, flagged  # an unchanged suite is rarely flagged
assert flagged["target task"] == 0, flagged
# With 5% item noise in each model, accuracy is a*0.95 + (1-a)*0.05, so the 6-point skill drop
# shows as (0.54*0.95 + 0.46*0.05) - (0.60*0.95 + 0.40*0.05) = 0.536 - 0.590 = -0.054.
assert abs(np.mean(gk_drops) - (-0.054)) < 0.005, np.mean(gk_drops)

print(f"accuracy {acc:.3f}, macro-F1 {macro_f1(gold, pred):.4f} (hand: 0.6556)")
print(f"extraction field P/R/F1 = {prf[0]:.3f}/{prf[1]:.3f}/{prf[2]:.3f} (hand: 1/3 each)")
print(f"regressions flagged in 20 seeds: {flagged}; mean simulated general-knowledge change {np.mean(gk_drops):+.3f}")
