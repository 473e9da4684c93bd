"""Temperature, top-k, top-p (nucleus) and min-p sampling over a fixed next-token distribution.

Run: python3 sampling.py   (numpy only; the sampler is written from scratch, no library decoder)

What it checks:
  1. Temperature: T = 1 leaves the softmax unchanged; as T -> 0 the distribution and every
     sample collapse to the argmax; entropy rises monotonically with T and approaches log(V).
  2. Top-k: exactly k tokens keep non-zero probability, they are the k most likely ones, and
     no sample ever falls outside them.
  3. Top-p: the kept set is the smallest prefix of the sorted distribution whose mass is >= p
     (dropping its last token takes the mass below p); p = 1 keeps everything.
  4. Min-p: keeps tokens with probability >= min_p * max probability, so the cut adapts to
     how peaked the distribution is.
  5. Sampling is faithful: for 10 seeds, empirical frequencies of 20,000 draws are within a
     small total-variation distance of the renormalised (filtered) distribution, and clearly
     far from the unfiltered one, so the test would catch a sampler that ignored the filter.
  6. Order matters: applying temperature before top-p keeps a different set than after.
"""
import numpy as np

VOCAB = ["the", "a", "its", "this", "one", "my", "our", "that", "his", "every", "some", "zebra"]
LOGITS = np.array([3.2, 2.9, 2.1, 1.8, 1.5, 1.1, 0.9, 0.6, 0.2, -0.4, -1.0, -3.0])


def softmax(logits, temperature=1.0):
    z = logits / temperature
    z = z - z.max()  # numerically safe: exp of values <= 0
    e = np.exp(z)
    return e / e.sum()


def top_k_filter(probs, k):
    keep = np.zeros_like(probs, dtype=bool)
    keep[np.argsort(-probs, kind="stable")[:k]] = True
    out = np.where(keep, probs, 0.0)
    return out / out.sum()


def top_p_filter(probs, p):
    """Nucleus: keep the smallest set of most-likely tokens whose total mass is >= p."""
    order = np.argsort(-probs, kind="stable")
    cum = np.cumsum(probs[order])
    n_keep = int(np.searchsorted(cum, p - 1e-12) + 1)  # first index where cum >= p, plus one
    keep = np.zeros_like(probs, dtype=bool)
    keep[order[:n_keep]] = True
    out = np.where(keep, probs, 0.0)
    return out / out.sum()


def min_p_filter(probs, min_p):
    out = np.where(probs >= min_p * probs.max(), probs, 0.0)
    return out / out.sum()


def sample(probs, rng, n):
    """Inverse-CDF sampling: draw u ~ U[0,1) and find the first token whose CDF exceeds u."""
    cdf = np.cumsum(probs)
    cdf[-1] = 1.0  # guard against rounding
    return np.searchsorted(cdf, rng.random(n), side="right")


def entropy(p):
    nz = p[p > 0]
    return float(-(nz * np.log(nz)).sum())


def total_variation(p, q):
    return 0.5 * float(np.abs(p - q).sum())


base = softmax(LOGITS)
argmax = int(np.argmax(LOGITS))
V = len(VOCAB)

# 1. Temperature -------------------------------------------------------------------------
assert np.allclose(softmax(LOGITS, 1.0), np.exp(LOGITS) / np.exp(LOGITS).sum())
cold = softmax(LOGITS, 0.01)
assert cold[argmax] > 0.999999
assert (sample(cold, np.random.default_rng(0), 5000) == argmax).all()  # greedy in the limit
temps = [0.1, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 5.0, 100.0]
ents = [entropy(softmax(LOGITS, t)) for t in temps]
assert all(a < b for a, b in zip(ents, ents[1:]))  # hotter = flatter
assert abs(ents[-1] - np.log(V)) < 0.01  # T -> infinity approaches uniform

# 2. Top-k --------------------------------------------------------------------------------
k = 4
pk = top_k_filter(base, k)
assert (pk > 0).sum() == k
assert set(np.flatnonzero(pk)) == set(np.argsort(-base)[:k])
assert np.isclose(pk.sum(), 1.0)

# 3. Top-p --------------------------------------------------------------------------------
for p in [0.3, 0.5, 0.75, 0.9, 0.95, 0.99]:
    pp = top_p_filter(base, p)
    kept = np.flatnonzero(pp)
    mass = base[kept].sum()
    assert mass >= p  # the nucleus covers at least p
    assert mass - base[kept].min() < p  # ...and is minimal: drop its least likely token and it falls short
    assert set(kept) == set(np.argsort(-base)[: len(kept)])  # a prefix of the sorted order
assert (top_p_filter(base, 1.0) > 0).all()
p_nucleus = 0.9
pp = top_p_filter(base, p_nucleus)

# 4. Min-p adapts to the shape of the distribution ------------------------------------------
flat, peaked = softmax(LOGITS, 2.0), softmax(LOGITS, 0.5)
assert (min_p_filter(flat, 0.1) > 0).sum() > (min_p_filter(peaked, 0.1) > 0).sum()

# 5. Samples follow the filtered distributions, for many seeds ------------------------------
N = 20_000
worst = {}
for name, dist in [("T=0.7", softmax(LOGITS, 0.7)), ("top-k=4", pk), ("top-p=0.9", pp),
                   ("min-p=0.1", min_p_filter(base, 0.1))]:
    for seed in range(10):
        draws = sample(dist, np.random.default_rng(seed), N)
        emp = np.bincount(draws, minlength=V) / N
        assert set(np.flatnonzero(emp)) <= set(np.flatnonzero(dist))  # never outside the support
        tv = total_variation(emp, dist)
        assert tv < 0.02, (name, seed, tv)
        if name != "T=0.7":
            assert total_variation(emp, base) > 0.02  # distinguishable from no filtering
        worst[name] = max(worst.get(name, 0.0), tv)
assert len(set(sample(pk, np.random.default_rng(1), N))) == k  # all k tokens do occur

# 6. Temperature then top-p differs from top-p then temperature -----------------------------
hot_then_p = set(np.flatnonzero(top_p_filter(softmax(LOGITS, 2.0), p_nucleus)))
p_then_hot = set(np.flatnonzero(top_p_filter(base, p_nucleus)))
assert len(hot_then_p) > len(p_then_hot)

print(f"{'setting':<12}{'support':>8}{'entropy':>9}   kept tokens")
for name, dist in [("T=1", base), ("T=0.01", cold), ("T=2", softmax(LOGITS, 2.0)),
                   ("top-k=4", pk), ("top-p=0.9", pp), ("min-p=0.1", min_p_filter(base, 0.1))]:
    kept = [VOCAB[i] for i in np.argsort(-dist) if dist[i] > 1e-9]
    shown = " ".join(kept[:6]) + (" ..." if len(kept) > 6 else "")
    print(f"{name:<12}{len(kept):>8}{entropy(dist):>9.3f}   {shown}")
print("worst total-variation distance over 10 seeds x 20,000 draws: "
      + ", ".join(f"{k} {v:.4f}" for k, v in worst.items()))
print(f"top-p=0.9 keeps {len(p_then_hot)} tokens at T=1 but {len(hot_then_p)} if T=2 is applied first")
