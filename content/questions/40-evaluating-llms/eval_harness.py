"""Perplexity and a tiny benchmark harness, checked against hand-computed values.

What this file checks (run: python3 eval_harness.py):
  1. Perplexity from given token probabilities equals the value worked out by hand,
     and a uniform model over V tokens has perplexity exactly V.
  2. Perplexity of a tiny torch language model: computing it by hand from log-softmax
     matches exp(cross-entropy), padding is excluded, and after training the model
     beats the uniform baseline on held-out text that is disjoint from the training text.
  3. Exact match with answer normalisation, checked case by case.
  4. A bootstrap 95% confidence interval for accuracy covers the true accuracy in
     about 95% of simulated benchmarks (tested over 200 seeds), and a paired bootstrap
     on the same items gives a narrower interval for a model difference than an unpaired one
     (on each of 20 simulated benchmarks).
  5. Contamination: an n-gram overlap check finds the benchmark items that were pasted
     into the training corpus, and a memorising model (built without the detector) looks
     far better on them.
"""
import math
import re
import string

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


# 1. Perplexity from log-probs --------------------------------------------------------
def perplexity(token_logprobs):
    """exp of the mean negative log-likelihood per token (natural log)."""
    return math.exp(-sum(token_logprobs) / len(token_logprobs))


# By hand: p = 1/2, 1/4, 1/8, 1/4 -> NLL = (1 + 2 + 3 + 2) ln 2 = 8 ln 2 over 4 tokens
# -> mean 2 ln 2 -> PPL = e^(2 ln 2) = 4; in bits, 2 bits per token.
probs = [1 / 2, 1 / 4, 1 / 8, 1 / 4]
ppl = perplexity([math.log(p) for p in probs])
assert abs(ppl - 4.0) < 1e-12
assert abs(-sum(math.log2(p) for p in probs) / 4 - 2.0) < 1e-12
# A uniform guess over V = 8 tokens: every log-prob is -ln 8 -> PPL = 8.
assert abs(perplexity([-math.log(8)] * 5) - 8.0) < 1e-12


# 2. Perplexity of a tiny torch LM ------------------------------------------------------
V, PAD = 8, 0  # token 0 is padding; real tokens are 1..7


class BigramLM(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.logits = nn.Embedding(vocab, vocab)  # row i = next-token logits after token i

    def forward(self, x):
        return self.logits(x)


def lm_perplexity(model, seqs):
    """seqs: (B, T) token ids with PAD on the right. Next-token prediction, PAD ignored."""
    with torch.no_grad():
        logits = model(seqs[:, :-1])
        targets = seqs[:, 1:]
        nll = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=PAD)
        # the same number by hand: gather log p(target) at non-pad positions
        logp = F.log_softmax(logits, -1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        mask = targets != PAD
        by_hand = -(logp[mask]).sum() / mask.sum()
    assert torch.allclose(nll, by_hand, atol=1e-6)
    return math.exp(nll.item())


def make_seqs(starts, length=12):
    # a deterministic "language": each token is followed by (t mod 7) + 1, i.e. 1->2->...->7->1
    out = []
    for s in starts:
        seq, t = [], s
        for _ in range(length):
            seq.append(t)
            t = t % 7 + 1
        out.append(seq)
    return torch.tensor(out)


train, held_out = make_seqs([1, 2, 3, 4]), make_seqs([5, 6, 7])
# held-out sequences are different strings from every training sequence
assert not {tuple(r) for r in train.tolist()} & {tuple(r) for r in held_out.tolist()}

model = BigramLM(V)
with torch.no_grad():
    model.logits.weight.zero_()  # all-zero logits = uniform over 8 tokens
assert abs(lm_perplexity(model, held_out) - V) < 1e-4  # uniform -> PPL = vocabulary size
padded = torch.cat([held_out[:, :8], torch.full((3, 4), PAD)], dim=1)
assert abs(lm_perplexity(model, padded) - V) < 1e-4  # padding does not count

opt = torch.optim.Adam(model.parameters(), lr=0.1)
for _ in range(100):
    loss = F.cross_entropy(model(train[:, :-1]).reshape(-1, V), train[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
ppl_held = lm_perplexity(model, held_out)
assert 1.0 <= ppl_held < 1.5, ppl_held  # learned the rule: near-certain next tokens


# 3. Exact match with normalisation ------------------------------------------------------
def normalise(text):
    """Lower-case, drop punctuation and English articles, collapse whitespace
    (the SQuAD-style normalisation most QA harnesses use)."""
    text = text.lower()
    text = "".join(ch for ch in text if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction, gold):
    return float(normalise(prediction) == normalise(gold))


assert exact_match("The Eiffel Tower.", "eiffel tower") == 1.0
assert exact_match("  Paris ", "paris") == 1.0
assert exact_match("Paris, France", "Paris") == 0.0  # extra content is a miss under EM
assert exact_match("1,000", "1000") == 1.0  # the comma is punctuation and is dropped
assert exact_match("42 apples", "42") == 0.0


# 4. Bootstrap confidence intervals -------------------------------------------------------
def bootstrap_ci(scores, rng, n_boot=1000, level=0.95):
    """Percentile bootstrap: resample items with replacement, recompute the mean."""
    scores = np.asarray(scores, dtype=float)
    idx = rng.integers(0, len(scores), size=(n_boot, len(scores)))
    means = scores[idx].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, 1 - (1 - level) / 2])
    return lo, hi


true_acc, n_items = 0.7, 200
covered = []
for seed in range(200):
    rng = np.random.default_rng(seed)
    correct = rng.random(n_items) < true_acc  # one simulated benchmark run
    lo, hi = bootstrap_ci(correct, rng)
    covered.append(lo <= true_acc <= hi)
coverage = float(np.mean(covered))
assert 0.90 <= coverage <= 0.99, coverage  # nominal 95%

# Width on n = 200 items at 70% accuracy is about +-6 points: small benchmarks are noisy.
rng = np.random.default_rng(1)
lo, hi = bootstrap_ci(rng.random(n_items) < true_acc, rng)
assert 0.09 < hi - lo < 0.16, hi - lo

# Paired comparison: two models answer the SAME items; item difficulty is shared, so
# the paired interval for the difference is much narrower than treating runs as independent.
# The claim is statistical, so it is checked on 20 independently simulated benchmarks.
# Each model solves an item when the item's difficulty is below the model's skill plus
# its own per-item noise, so A does not simply solve a superset of B's items.
paired_wins, paired_excludes_zero, unpaired_excludes_zero = 0, 0, 0
for seed in range(20):
    rng = np.random.default_rng(1000 + seed)
    difficulty = rng.random(n_items)
    a = (difficulty < 0.72 + 0.1 * rng.standard_normal(n_items)).astype(float)
    b = (difficulty < 0.64 + 0.1 * rng.standard_normal(n_items)).astype(float)
    diff_lo, diff_hi = bootstrap_ci(a - b, rng)
    idx_a = rng.integers(0, n_items, size=(1000, n_items))
    idx_b = rng.integers(0, n_items, size=(1000, n_items))
    unpaired = a[idx_a].mean(1) - b[idx_b].mean(1)
    u_lo, u_hi = np.quantile(unpaired, [0.025, 0.975])
    paired_wins += (diff_hi - diff_lo) < 0.8 * (u_hi - u_lo)
    paired_excludes_zero += diff_lo > 0
    unpaired_excludes_zero += u_lo > 0
assert paired_wins == 20, paired_wins  # pairing narrows the interval on every benchmark
assert paired_excludes_zero > unpaired_excludes_zero, (paired_excludes_zero, unpaired_excludes_zero)


# 5. Contamination check by n-gram overlap -------------------------------------------------
def word_ngrams(text, n):
    words = normalise(text).split()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def contaminated(items, corpus, n=8):
    """Flag an item if any of its word n-grams occurs in the training corpus.
    GPT-3's contamination study used 13-grams; 8 keeps this toy example short."""
    corpus_grams = word_ngrams(corpus, n)
    return [bool(word_ngrams(q, n) & corpus_grams) for q in items]


benchmark = [
    ("What is the capital city of the country where the Eiffel Tower stands?", "Paris"),
    ("How many legs does a spider have in total when fully grown?", "8"),
    ("Which planet in our solar system is known as the red planet?", "Mars"),
    ("What gas do green plants absorb from the air to make their food?", "carbon dioxide"),
    ("Who wrote the play about two young lovers from Verona called Romeo and Juliet?", "Shakespeare"),
    ("What is the freezing point of pure water at sea level in Celsius?", "0"),
]
training_corpus = (
    "Forum post: quiz answers below. How many legs does a spider have in total when fully "
    "grown? Answer: 8. Also, which planet in our solar system is known as the red planet? "
    "Mars, of course. Unrelated text about cooking pasta and the weather in Verona follows."
)
flags = contaminated([q for q, _ in benchmark], training_corpus)
assert flags == [False, True, True, False, False, False], flags


memorised = {normalise(q) for q, _ in benchmark if normalise(q) in normalise(training_corpus)}
assert len(memorised) == 2


def memorising_model(question):
    # Answers correctly only questions it saw verbatim in its training text, otherwise
    # guesses. It never calls the detector, so the detector is tested, not assumed.
    if normalise(question) in memorised:
        return dict(benchmark)[question]
    return "Paris"


scores = [exact_match(memorising_model(q), gold) for q, gold in benchmark]
clean = [s for s, f in zip(scores, flags) if not f]
dirty = [s for s, f in zip(scores, flags) if f]
assert np.mean(dirty) == 1.0 and np.mean(clean) == 0.25  # 2/2 vs 1/4 (the lucky Paris guess)

print(f"PPL of p=(1/2,1/4,1/8,1/4): {ppl:.3f} (hand: 4); uniform over 8 tokens: 8")
print(f"tiny LM: uniform PPL {V}, trained held-out PPL {ppl_held:.3f}")
print(f"bootstrap 95% CI coverage over 200 seeds: {coverage:.3f}; width at n=200: {hi - lo:.3f}")
print(f"paired CI narrower than unpaired on {paired_wins}/20 benchmarks; excludes 0: paired {paired_excludes_zero}/20, unpaired {unpaired_excludes_zero}/20")
print(f"contaminated items flagged: {sum(flags)}/6; accuracy clean {np.mean(clean):.2f} vs contaminated {np.mean(dirty):.2f}")
