"""A traditional statistical language model: a bigram model with smoothing, and its perplexity.

Three estimators of P(w | v) from the same counts:
  * MLE         c(v, w) / c(v): any unseen bigram gets probability 0 -> infinite perplexity.
  * add-k       (c(v, w) + k) / (c(v) + k|V|): simple, but moves too much mass to unseen events.
  * Kneser-Ney  (interpolated): absolute discounting + a "continuation" lower-order model that
                asks "in how many different contexts does w appear?" rather than "how often?".
Pure standard library; the asserts are the tests.
"""
import math
from collections import Counter, defaultdict

BOS, EOS, UNK = "<s>", "</s>", "<unk>"

train_text = """
i live in san francisco
she moved to san francisco last year
san francisco is foggy in the summer
we love san francisco
i need my reading glasses
she lost her glasses in the city
his glasses are new
i like the city in the summer
she likes the fog
we live in the city
i lost my keys
he moved to the coast last year
""".strip().splitlines()

test_text = """
she lost her keys in the fog
we like san francisco
he needs new glasses
""".strip().splitlines()


def tokenize(line):
    return [BOS] + line.split() + [EOS]


# Held-out text must be disjoint from training text, or perplexity measures memorisation.
assert not set(test_text) & set(train_text)
train = [tokenize(s) for s in train_text]
vocab = sorted({w for s in train for w in s} | {UNK})
# We predict every token except <s> (it only ever appears as a context).
targets = [w for w in vocab if w != BOS]
test = [[w if w in vocab else UNK for w in tokenize(s)] for s in test_text]

bigrams = Counter((s[i - 1], s[i]) for s in train for i in range(1, len(s)))
context_count = Counter()  # c(v): how often v is followed by something
followers = defaultdict(set)  # distinct words seen after v
preceders = defaultdict(set)  # distinct words seen before w
for (v, w), c in bigrams.items():
    context_count[v] += c
    followers[v].add(w)
    preceders[w].add(v)
n_bigram_types = len(bigrams)


def p_mle(w, v):
    return bigrams[(v, w)] / context_count[v] if context_count[v] else 0.0


def p_add_k(w, v, k):
    return (bigrams[(v, w)] + k) / (context_count[v] + k * len(targets))


D = 0.75  # a common fixed discount; it can be estimated as n1 / (n1 + 2 * n2) from count-of-counts


def p_continuation(w):
    """Lower-order KN model: share of bigram *types* that end in w, itself interpolated
    with a uniform distribution so that words never seen as a continuation (e.g. <unk>)
    still get a little mass."""
    n_cont_types = sum(1 for t in targets if preceders[t])
    lam = D * n_cont_types / n_bigram_types
    return max(len(preceders[w]) - D, 0) / n_bigram_types + lam / len(targets)


def p_kn(w, v):
    """Interpolated Kneser-Ney bigram probability P(w | v)."""
    c_v = context_count[v]
    if c_v == 0:  # unseen context: fall back entirely on the continuation model
        return p_continuation(w)
    discounted = max(bigrams[(v, w)] - D, 0) / c_v
    lam = D * len(followers[v]) / c_v  # exactly the mass removed by discounting
    return discounted + lam * p_continuation(w)


def perplexity(prob, sents):
    """exp of the average negative log-probability per predicted token (incl. </s>)."""
    nll, n = 0.0, 0
    for s in sents:
        for i in range(1, len(s)):
            p = prob(s[i], s[i - 1])
            if p == 0.0:
                return math.inf
            nll -= math.log(p)
            n += 1
    return math.exp(nll / n)


# 1. Every smoothed estimator is a proper distribution for every context.
for v in vocab:
    for name, prob in [("add-1", lambda w, v: p_add_k(w, v, 1.0)), ("KN", p_kn)]:
        total = sum(prob(w, v) for w in targets)
        assert abs(total - 1.0) < 1e-9, (name, v, total)

# 2. Sparsity: a bigram never seen in training gets 0 under MLE, > 0 once smoothed.
assert bigrams[("her", "keys")] == 0
assert p_mle("keys", "her") == 0.0
assert p_add_k("keys", "her", 1.0) > 0 and p_kn("keys", "her") > 0

# 3. So MLE perplexity on held-out text is infinite; smoothed models are finite.
ppl = {
    "MLE": perplexity(p_mle, test),
    "add-1": perplexity(lambda w, v: p_add_k(w, v, 1.0), test),
    "add-0.1": perplexity(lambda w, v: p_add_k(w, v, 0.1), test),
    "Kneser-Ney": perplexity(p_kn, test),
}
assert ppl["MLE"] == math.inf
# Both smoothers beat add-1, which hands far too much mass to unseen bigrams. On a corpus
# this tiny a hand-picked add-0.1 can match KN; KN's advantage shows on real corpora
# (Chen & Goodman 1998), which is why it became the standard choice.
assert ppl["Kneser-Ney"] < ppl["add-1"] and ppl["add-0.1"] < ppl["add-1"]
assert ppl["add-1"] < len(targets)  # any sane model beats uniform guessing (ppl = |V|)

# 4. The Kneser-Ney intuition: "francisco" is frequent (4 tokens) but only ever follows
#    "san", while "glasses" (3 tokens) follows three different words. After a context where
#    neither was seen, KN prefers "glasses"; a raw unigram count would prefer "francisco".
unigram = Counter(w for s in train for w in s)
assert unigram["francisco"] > unigram["glasses"]
assert bigrams[("new", "glasses")] == 0 and bigrams[("new", "francisco")] == 0
assert p_kn("glasses", "new") > p_kn("francisco", "new")

print(f"vocabulary: {len(vocab)} types, {sum(context_count.values())} training bigram tokens")
for name, value in ppl.items():
    print(f"  test perplexity {name:<11} {value:8.2f}")
print(f"  P_KN(glasses | new) = {p_kn('glasses', 'new'):.4f}  "
      f"P_KN(francisco | new) = {p_kn('francisco', 'new'):.4f}")
print("all checks passed")
