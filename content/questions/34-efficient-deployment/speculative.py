"""Speculative sampling (Leviathan et al., 2022; Chen et al., 2023) on toy models.

What this file checks (run: python3 speculative.py):
  1. Exactness: tokens produced by draft-then-verify follow the TARGET model's
     distribution, not the draft's (total-variation distance on 2-token sequences).
  2. Speed-up theory: with per-token acceptance rate alpha = sum_x min(p(x), q(x)),
     the expected number of tokens per target-model call is
     (1 - alpha^(gamma+1)) / (1 - alpha). The simulation measures it by counting.
"""
import random

import numpy as np

V = 6  # vocabulary size


def sample(rng, dist):
    """Draw an index from a probability vector (inverse-CDF; fast for tiny V)."""
    u, c = rng.random() * sum(dist), 0.0
    for i, w in enumerate(dist):
        c += w
        if u < c:
            return i
    return len(dist) - 1


def speculative_step(rng, prev, p_tab, q_tab, gamma):
    """One target-model call. p_tab[prev] / q_tab[prev] are next-token distributions
    (lists of floats). Returns the list of tokens emitted (between 1 and gamma + 1)."""
    drafts, ctx = [], prev
    for _ in range(gamma):  # the cheap draft model proposes gamma tokens
        x = sample(rng, q_tab[ctx])
        drafts.append(x)
        ctx = x
    out, ctx = [], prev
    for x in drafts:  # the target scores all gamma positions in ONE parallel pass
        p, q = p_tab[ctx], q_tab[ctx]
        if rng.random() < min(1.0, p[x] / q[x]):  # accept with prob min(1, p/q)
            out.append(x)
            ctx = x
            continue
        resid = [max(a - b, 0.0) for a, b in zip(p, q)]  # reject: resample from max(0, p - q)
        out.append(sample(rng, resid))
        return out
    out.append(sample(rng, p_tab[ctx]))  # all accepted: one bonus token from p
    return out


def random_tables(rng, noise):
    p = rng.dirichlet(np.ones(V) * 0.7, size=V)  # target bigram model
    q = (1 - noise) * p + noise * rng.dirichlet(np.ones(V), size=V)  # imperfect draft
    return p, q


# 1. Exactness: the distribution of the first two generated tokens equals the target's.
tv_spec, tv_draft = [], []
for seed in range(3):
    rng = np.random.default_rng(seed)
    p, q = random_tables(rng, noise=0.6)
    p_l, q_l, r = p.tolist(), q.tolist(), random.Random(seed)
    exact = p[0][:, None] * p  # P(x1, x2 | prev=0) under the target
    draft = q[0][:, None] * q
    counts = np.zeros((V, V))
    n = 8000
    for _ in range(n):
        toks = []
        while len(toks) < 2:
            toks += speculative_step(r, toks[-1] if toks else 0, p_l, q_l, gamma=3)
        counts[toks[0], toks[1]] += 1
    emp = counts / n
    tv_spec.append(0.5 * np.abs(emp - exact).sum())
    tv_draft.append(0.5 * np.abs(draft - exact).sum())
    assert tv_spec[-1] < 0.05, (seed, tv_spec[-1])  # sampling noise only
    assert tv_draft[-1] > 3 * tv_spec[-1]  # the test can tell the draft apart

# 2. Tokens per target call vs theory, for context-free p and q (alpha is then constant).
for seed in range(5):
    rng = np.random.default_rng(100 + seed)
    p1 = rng.dirichlet(np.ones(V))
    for noise in (0.2, 0.5, 0.8):
        q1 = (1 - noise) * p1 + noise * rng.dirichlet(np.ones(V))
        p_tab, q_tab = [p1.tolist()] * V, [q1.tolist()] * V
        r = random.Random(seed * 10 + int(noise * 10))
        alpha = np.minimum(p1, q1).sum()  # = 1 - TV(p, q)
        for gamma in (2, 4):
            calls = 2000
            produced = sum(len(speculative_step(r, 0, p_tab, q_tab, gamma)) for _ in range(calls))
            measured = produced / calls
            theory = (1 - alpha ** (gamma + 1)) / (1 - alpha)
            assert abs(measured - theory) < 0.06 * theory, (seed, noise, gamma, measured, theory)
            assert 1.0 <= measured <= gamma + 1

print(f"exactness: TV(speculative, target) = {max(tv_spec):.3f} max over 3 seeds; "
      f"TV(draft, target) = {min(tv_draft):.3f} min")
print(f"last case: alpha={alpha:.2f}, gamma={gamma}: {measured:.2f} tokens/target call measured vs {theory:.2f} theory")
print("tokens per target call match (1 - alpha^(gamma+1)) / (1 - alpha) within 6% for 5 seeds x 3 drafts x 2 gammas")
