"""Two calibration fixes for sentiment classifiers, from scratch (run: python3 sentiment_calibration.py).

What this file checks, over several seeds:
  1. Contextual calibration (Zhao et al., 2021) of a zero/few-shot prompted classifier.
     A simulated LM scores the label words "positive" / "negative"; the prompt adds a bias
     towards "positive" (majority-label / recency bias). Querying the same prompt with a
     content-free input ("N/A") estimates that bias; dividing it out restores accuracy and
     balances the predicted label distribution on a balanced test set.
  2. Temperature scaling (Guo et al., 2017) of a fine-tuned classifier head. A bag-of-words
     logistic-regression head trained to zero loss on a small, noisy training set is
     overconfident on new data. One scalar T > 1, fitted by NLL on a calibration split that is
     disjoint from the test split, lowers the test expected calibration error (ECE) and
     leaves every prediction (the argmax) unchanged.
The "LM" in part 1 is a stand-in with a known bias, not a real model: the point is the mechanism.
"""
import math

import numpy as np
import torch

SEEDS = range(5)


def softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def ece(probs, labels, n_bins=10):
    """Expected calibration error: |accuracy - confidence| averaged over equal-width bins."""
    conf = probs.max(1)
    pred = probs.argmax(1)
    total = 0.0
    for lo in np.linspace(0, 1, n_bins, endpoint=False):
        in_bin = (conf > lo) & (conf <= lo + 1.0 / n_bins)
        if in_bin.any():
            total += in_bin.mean() * abs((pred[in_bin] == labels[in_bin]).mean() - conf[in_bin].mean())
    return total


# 1. Contextual calibration of a prompted classifier -------------------------------------
def simulated_lm_logits(evidence, prompt_bias, rng):
    """Logits for the label words [negative, positive]: the text's evidence, plus a bias the
    prompt adds to one label word regardless of input, plus a little per-call noise."""
    noise = rng.normal(0, 0.3, size=(len(evidence), 2))
    return np.stack([-evidence, evidence], 1) / 2 + prompt_bias + noise


for seed in SEEDS:
    rng = np.random.default_rng(seed)
    labels = np.repeat([0, 1], 500)  # balanced test set: 0 = negative, 1 = positive
    evidence = np.where(labels == 1, 1.0, -1.0) * 1.5 + rng.normal(0, 1.2, size=labels.size)
    bias = np.array([0.0, rng.uniform(1.5, 2.5)])  # this prompt favours "positive"
    p = softmax(simulated_lm_logits(evidence, bias, rng))
    acc_raw = (p.argmax(1) == labels).mean()

    # content-free inputs ("N/A", "", "[MASK]") carry no evidence: average their probabilities
    p_cf = softmax(simulated_lm_logits(np.zeros(3), bias, rng)).mean(0)
    q = p / p_cf  # W = diag(p_cf)^-1, b = 0, then renormalise
    q = q / q.sum(1, keepdims=True)
    acc_cal = (q.argmax(1) == labels).mean()

    assert p.argmax(1).mean() > 0.7  # raw: most test items are called positive
    assert abs(q.argmax(1).mean() - 0.5) < 0.15  # calibrated: predictions roughly balanced
    assert acc_cal > acc_raw + 0.08, (seed, acc_raw, acc_cal)
    if seed == 0:
        cc_report = (acc_raw, acc_cal, p.argmax(1).mean(), q.argmax(1).mean())


# 2. Temperature scaling of a trained classifier head ------------------------------------
VOCAB, POLAR, DOC_LEN = 300, 25, 12  # words 0-24 lean positive, 25-49 lean negative


def make_docs(n, rng):
    """Bag-of-words reviews. Each label has its own polar words; 15% of labels are flipped
    (annotator noise, sarcasm), so no classifier should be near 100% confident."""
    y = rng.integers(0, 2, n)
    X = np.zeros((n, VOCAB), dtype=np.float32)
    for i in range(n):
        n_polar = rng.binomial(DOC_LEN, 0.3)
        start = 0 if y[i] == 1 else POLAR
        polar = rng.integers(start, start + POLAR, n_polar)
        neutral = rng.integers(2 * POLAR, VOCAB, DOC_LEN - n_polar)
        np.add.at(X[i], np.concatenate([polar, neutral]), 1.0)
    flip = rng.random(n) < 0.15
    return X, np.where(flip, 1 - y, y)


def train_head(X, y, seed, steps=400):
    """Logistic-regression head (one linear layer, 2 logits), no regularisation, trained
    until it fits the small training set: the usual recipe for overconfidence."""
    torch.manual_seed(seed)
    head = torch.nn.Linear(X.shape[1], 2)
    opt = torch.optim.Adam(head.parameters(), lr=0.05)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y).long()
    for _ in range(steps):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(head(Xt), yt)
        loss.backward()
        opt.step()
    return head, loss.item()


def fit_temperature(logits, y):
    """Grid search of T minimising negative log-likelihood on the calibration split."""
    grid = np.exp(np.linspace(math.log(0.25), math.log(20), 400))
    nll = [-np.log(softmax(logits / t)[np.arange(len(y)), y] + 1e-12).mean() for t in grid]
    return grid[int(np.argmin(nll))]


ts_report = []
for seed in SEEDS:
    rng = np.random.default_rng(100 + seed)
    X_all, y_all = make_docs(1700, rng)
    idx = rng.permutation(len(y_all))
    tr, cal, te = idx[:200], idx[200:700], idx[700:]
    assert not (set(tr) & set(cal)) and not (set(cal) & set(te)) and not (set(tr) & set(te))

    head, train_loss = train_head(X_all[tr], y_all[tr], seed)
    with torch.no_grad():
        logits = head(torch.from_numpy(X_all)).numpy().astype(np.float64)
    T = fit_temperature(logits[cal], y_all[cal])
    p_before, p_after = softmax(logits[te]), softmax(logits[te] / T)
    ece_before, ece_after = ece(p_before, y_all[te]), ece(p_after, y_all[te])

    assert train_loss < 0.05  # the head has memorised its 200 training reviews
    assert T > 1.5, T  # overconfident, so the fitted temperature softens the logits
    assert (p_before.argmax(1) == p_after.argmax(1)).all()  # T > 0 never changes a prediction
    assert ece_before > 0.08 and ece_after < ece_before / 2, (seed, ece_before, ece_after)
    ts_report.append((T, (p_before.argmax(1) == y_all[te]).mean(), ece_before, ece_after))

acc_raw, acc_cal, pos_raw, pos_cal = cc_report
print(f"contextual calibration (seed 0): accuracy {acc_raw:.3f} -> {acc_cal:.3f}, "
      f"share predicted positive {pos_raw:.2f} -> {pos_cal:.2f}; holds for seeds {list(SEEDS)}")
for seed, (T, acc, e0, e1) in zip(SEEDS, ts_report):
    print(f"temperature scaling seed {seed}: T={T:.2f}, test acc {acc:.3f} (unchanged), "
          f"ECE {e0:.3f} -> {e1:.3f}")
