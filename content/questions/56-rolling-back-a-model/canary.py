"""A canary controller that rolls back on a real regression but not on noise.

Traffic moves to a new release in stages (1% -> 5% -> 25% -> 50%); the old release
stays warm and serves the rest, so it is a concurrent control. After every interval the
controller compares the canary's guardrail-failure rate (e.g. judged-bad answers,
schema errors, 5xx) with the control's using a one-sided two-proportion z-test on
cumulative counts, and rolls back if z > 3.3 (a strict threshold because it looks 24
times). A hard limit on the canary's absolute failure rate acts as a circuit breaker.

Checks (run: python3 canary.py), 300 simulated rollouts per scenario for each of 5 seeds
(every check must hold for every seed, not just on average):
  1. healthy release (same 2% failure rate): rolled back in at most 3% of rollouts;
  2. a bad release (2% -> 3.5%) is rolled back in >= 99% of rollouts, almost always
     before it reaches 25% of traffic; a subtle one (2% -> 2.5%) in >= 95%;
  3. a naive rule ("canary rate above 1.2x control at any check") rolls back the
     HEALTHY release in about half of all rollouts: it reacts to noise.
"""
import math

import numpy as np

STAGES = [0.01, 0.05, 0.25, 0.50]  # share of traffic on the canary
INTERVALS_PER_STAGE, REQS_PER_INTERVAL = 6, 20_000
BASE_RATE = 0.02
Z_ROLLBACK, MIN_CANARY = 3.3, 500
HARD_LIMIT = 0.10  # circuit breaker: roll back at once above 10% failures


def z_score(fc, nc, fb, nb):
    p = (fc + fb) / (nc + nb)
    se = math.sqrt(p * (1 - p) * (1 / nc + 1 / nb)) or 1e-12
    return (fc / nc - fb / nb) / se


def rollout(rng, canary_rate, naive=False):
    """Returns (rolled_back, stage_index_at_decision, canary_requests_served)."""
    fc = nc = fb = nb = 0
    for s, share in enumerate(STAGES):
        for _ in range(INTERVALS_PER_STAGE):
            n_c = int(REQS_PER_INTERVAL * share)
            n_b = REQS_PER_INTERVAL - n_c
            fc += rng.binomial(n_c, canary_rate)
            fb += rng.binomial(n_b, BASE_RATE)
            nc += n_c
            nb += n_b
            if naive:
                if fc / nc > 1.2 * fb / nb:
                    return True, s, nc
                continue
            if fc / nc > HARD_LIMIT and nc >= 100:
                return True, s, nc
            if nc >= MIN_CANARY and z_score(fc, nc, fb, nb) > Z_ROLLBACK:
                return True, s, nc
    return False, len(STAGES), nc  # promote to 100%


def run(canary_rate, seed, naive=False, trials=300):
    rng = np.random.default_rng(seed)
    return [rollout(rng, canary_rate, naive) for _ in range(trials)]


rate = lambda res: sum(r[0] for r in res) / len(res)
SEEDS = range(5)
false_rbs, bad_rbs, subtle_rbs, naive_rbs, earlies, exposures = [], [], [], [], [], []
for seed in SEEDS:
    base = 10 * seed
    healthy = run(0.020, seed=base + 1)
    bad = run(0.035, seed=base + 2)
    subtle = run(0.025, seed=base + 3)
    naive_healthy = run(0.020, seed=base + 4, naive=True)
    broken = run(0.30, seed=base + 5)  # e.g. a tokenizer mismatch producing garbage

    false_rb, bad_rb, subtle_rb, naive_rb = rate(healthy), rate(bad), rate(subtle), rate(naive_healthy)
    assert false_rb <= 0.03, (seed, false_rb)  # does not roll back on noise
    assert bad_rb >= 0.99, (seed, bad_rb)  # catches a real regression
    early = np.mean([r[1] < 2 for r in bad if r[0]])  # decided at 1% or 5% traffic
    assert early >= 0.95, (seed, early)
    assert subtle_rb >= 0.95, (seed, subtle_rb)
    assert naive_rb >= 0.4, (seed, naive_rb)  # the naive rule is mostly noise
    assert rate(broken) == 1.0 and max(r[2] for r in broken) <= REQS_PER_INTERVAL * STAGES[0]  # first interval
    false_rbs.append(false_rb); bad_rbs.append(bad_rb); subtle_rbs.append(subtle_rb)
    naive_rbs.append(naive_rb); earlies.append(early)
    exposures.append(np.median([r[2] for r in bad if r[0]]))

false_rb, naive_rb = max(false_rbs), min(naive_rbs)
bad_rb, early, subtle_rb = min(bad_rbs), min(earlies), min(subtle_rbs)
exposure_bad = float(np.median(exposures))

print(f"over {len(SEEDS)} seeds x 300 rollouts: healthy release rolled back at most {false_rb:.1%} "
      f"(naive 1.2x rule: at least {naive_rb:.1%}, mean {np.mean(naive_rbs):.1%})")
print(f"bad release (3.5% vs 2%) rolled back: >= {bad_rb:.1%}, >= {early:.1%} of them at <= 5% traffic; "
      f"median canary requests served before rollback: {exposure_bad:.0f}")
print(f"subtle release (2.5% vs 2%) rolled back: >= {subtle_rb:.1%}; broken release: caught in its first interval")
