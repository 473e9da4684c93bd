"""Sample size, significance and the classic traps of an A/B test on an LLM feature.

Scenario: the current assistant gets a thumbs-up on 30% of rated responses; we want to
detect a lift to 33% (3 points absolute, 10% relative) with a two-sided alpha of 0.05
and 80% power.

What this file checks (run: python3 ab_test.py):
  1. The two-proportion sample-size formula gives the number worked out by hand (3,763
     per arm), and the n = 16 * p(1-p) / delta^2 rule of thumb lands within 3% of it.
  2. Simulation, over several seeds: with no real difference the z-test rejects about
     5% of the time (alpha), and at the planned n with a real 30% -> 33% lift it rejects
     about 80% of the time (the power we planned for).
  3. Peeking: testing after each of 10 batches and stopping at the first p < 0.05 more
     than triples the false-positive rate; a Pocock-style constant boundary (|z| > 2.555
     at every look) brings it back to about 5%.
  4. Unit of analysis: randomising users but computing the z-test over sessions (users
     contribute several correlated sessions) inflates false positives; analysing
     per-user means keeps them at about 5%.
"""
import math
from statistics import NormalDist

import numpy as np

Z = NormalDist()


def n_per_arm(p1, p2, alpha=0.05, power=0.80):
    """Two-sided two-proportion z-test (pooled variance under H0, unpooled under H1)."""
    z_a, z_b = Z.inv_cdf(1 - alpha / 2), Z.inv_cdf(power)
    p_bar = (p1 + p2) / 2
    num = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(num**2 / (p2 - p1) ** 2)


def z_stat(x1, n1, x2, n2):
    """Pooled two-proportion z statistic; works on numpy arrays of counts."""
    p_pool = (x1 + x2) / (n1 + n2)
    se = np.sqrt(p_pool * (1 - p_pool) * (1 / n1 + 1 / n2))
    return (x2 / n2 - x1 / n1) / se


# 1. Sample size by hand -------------------------------------------------------------------
# z_{0.975} = 1.959964, z_{0.80} = 0.841621, p_bar = 0.315
# sqrt(2 * 0.315 * 0.685) = sqrt(0.43155) = 0.656925 -> * 1.959964 = 1.287549
# sqrt(0.30 * 0.70 + 0.33 * 0.67) = sqrt(0.4311) = 0.656582 -> * 0.841621 = 0.552594
# (1.287549 + 0.552594)^2 / 0.03^2 = 3.386126 / 0.0009 = 3762.4 -> 3,763 users per arm
p_control, p_treat = 0.30, 0.33
n = n_per_arm(p_control, p_treat)
assert n == 3763, n
# Rule of thumb (80% power, alpha 0.05): n ~ 16 * sigma^2 / delta^2 with sigma^2 = p_bar(1 - p_bar)
rule = 16 * 0.315 * 0.685 / 0.03**2  # = 3.4524 / 0.0009 = 3836.0
assert abs(rule - 3836.0) < 0.1 and abs(rule / n - 1) < 0.03
# Halving the detectable effect quadruples the sample: 30% -> 31.5% needs about 4x as many.
n_half = n_per_arm(0.30, 0.315)
assert 3.8 < n_half / n < 4.1, n_half / n

# 2. Simulated false-positive rate and power, over several seeds ---------------------------
crit = Z.inv_cdf(0.975)
fprs, powers = [], []
for seed in range(5):
    rng = np.random.default_rng(seed)
    E = 4000  # simulated experiments per seed
    a0, b0 = rng.binomial(n, p_control, E), rng.binomial(n, p_control, E)  # no real effect
    a1, b1 = rng.binomial(n, p_control, E), rng.binomial(n, p_treat, E)  # real 3-point lift
    fprs.append(np.mean(np.abs(z_stat(a0, n, b0, n)) > crit))
    powers.append(np.mean(np.abs(z_stat(a1, n, b1, n)) > crit))
    assert 0.038 <= fprs[-1] <= 0.062, (seed, fprs[-1])
    assert 0.77 <= powers[-1] <= 0.83, (seed, powers[-1])

# 3. Peeking -------------------------------------------------------------------------------
looks, E = 10, 4000
batch = math.ceil(n / looks)
peek_fpr, pocock_fpr = [], []
for seed in range(5):
    rng = np.random.default_rng(100 + seed)
    xa = rng.binomial(batch, p_control, (E, looks)).cumsum(1)  # null: both arms at 30%
    xb = rng.binomial(batch, p_control, (E, looks)).cumsum(1)
    m = batch * np.arange(1, looks + 1)
    z = np.abs(z_stat(xa, m, xb, m))
    peek_fpr.append(np.mean((z > crit).any(1)))  # stop at the first "significant" look
    pocock_fpr.append(np.mean((z > 2.555).any(1)))  # constant boundary for 10 looks
    assert peek_fpr[-1] > 0.15, peek_fpr[-1]
    assert 0.035 <= pocock_fpr[-1] <= 0.065, pocock_fpr[-1]

# 4. Randomise by user, analyse by user ----------------------------------------------------
# Each user has their own thumbs-up propensity (Beta(0.6, 1.4), mean 0.3) and 5 sessions.
# Sessions of one user are correlated, so a session-level z-test treats 5 correlated
# observations as 5 independent ones and underestimates the variance.
users, sessions, E = 1000, 5, 1500
naive, per_user = [], []
for seed in range(3):
    rng = np.random.default_rng(200 + seed)
    pa = rng.beta(0.6, 1.4, (E, users))
    pb = rng.beta(0.6, 1.4, (E, users))  # null: same distribution in both arms
    ya, yb = rng.binomial(sessions, pa), rng.binomial(sessions, pb)  # thumbs-up per user
    ns = users * sessions
    naive.append(np.mean(np.abs(z_stat(ya.sum(1), ns, yb.sum(1), ns)) > crit))
    ma, mb = ya / sessions, yb / sessions  # one number per user: their thumbs-up rate
    se = np.sqrt(ma.var(1, ddof=1) / users + mb.var(1, ddof=1) / users)
    per_user.append(np.mean(np.abs((mb.mean(1) - ma.mean(1)) / se) > crit))
    assert naive[-1] > 0.12, naive[-1]
    assert 0.03 <= per_user[-1] <= 0.07, per_user[-1]

print(f"n per arm for 30% -> 33% (alpha 0.05, power 0.8): {n} (hand: 3,763); rule of thumb {rule:.0f}")
print(f"simulated false-positive rate {np.mean(fprs):.3f}, power {np.mean(powers):.3f} (5 seeds x 4,000 tests)")
print(f"peeking 10 times: false positives {np.mean(peek_fpr):.3f}; Pocock boundary: {np.mean(pocock_fpr):.3f}")
print(f"session-level analysis of user-randomised test: {np.mean(naive):.3f}; per-user analysis: {np.mean(per_user):.3f}")
