"""chrF (Popovic, 2015) from scratch, checked against a case worked out by hand.

Run: python3 chrf.py   (standard library only)

chrF compares character n-grams (n = 1..6) of a hypothesis and a reference. For each n it
computes precision P_n (matched / hypothesis n-grams) and recall R_n (matched / reference
n-grams); P and R are the averages over n, and

    chrF_beta = (1 + beta^2) * P * R / (beta^2 * P + R)

with beta = 2 (recall weighted more), the setting of chrF++ and sacreBLEU's default (the
2015 paper found beta = 3 best; Popovic's chrF++ tool of 2017 defaults to beta = 2). Spaces are
removed before extracting n-grams (also sacreBLEU's default). Implementations differ in small
details (averaging over n, whitespace, effective order), so real evaluations report the
sacreBLEU signature; this file pins the definition down with exact fractions.

What it checks:
  1. The hand-worked example below, exactly (Fractions, no floating point).
  2. Boundary cases: identical strings score 1, strings with no shared character score 0.
  3. Morphology: an inflectional near-miss ("Katze schlief" for "Katzen schliefen") earns far
     more credit under chrF than under word-level unigram F, the reason chrF/chrF++ are
     preferred for morphologically rich languages (NLLB reports chrF++).
  4. Corpus chrF sums n-gram statistics over sentences before dividing; it is NOT the mean
     of sentence scores (same convention as corpus BLEU).
  5. A word-order scramble keeps all unigrams but loses long n-grams, so chrF drops.
"""
from collections import Counter
from fractions import Fraction

ORDER, BETA = 6, 2


def char_ngrams(text, n):
    s = "".join(text.split())  # drop whitespace
    return Counter(s[i : i + n] for i in range(len(s) - n + 1))


def stats(hyp, ref, order=ORDER):
    """Per order n: (hypothesis n-grams, reference n-grams, clipped matches)."""
    out = []
    for n in range(1, order + 1):
        h, r = char_ngrams(hyp, n), char_ngrams(ref, n)
        out.append((sum(h.values()), sum(r.values()), sum((h & r).values())))
    return out


def chrf_from_stats(st, beta=BETA):
    precisions, recalls = [], []
    for n_hyp, n_ref, n_match in st:
        if n_hyp > 0 and n_ref > 0:  # orders longer than a string are skipped
            precisions.append(Fraction(n_match, n_hyp))
            recalls.append(Fraction(n_match, n_ref))
    if not precisions:
        return Fraction(0)
    P = sum(precisions) / len(precisions)
    R = sum(recalls) / len(recalls)
    if P + R == 0:
        return Fraction(0)
    b2 = Fraction(beta) ** 2
    return (1 + b2) * P * R / (b2 * P + R)


def chrf(hyp, ref, beta=BETA):
    return chrf_from_stats(stats(hyp, ref), beta)


def corpus_chrf(hyps, refs, beta=BETA):
    totals = [[0, 0, 0] for _ in range(ORDER)]
    for h, r in zip(hyps, refs):
        for i, s in enumerate(stats(h, r)):
            for j in range(3):
                totals[i][j] += s[j]
    return chrf_from_stats([tuple(t) for t in totals], beta)


def word_unigram_f1(hyp, ref):
    h, r = Counter(hyp.split()), Counter(ref.split())
    m = sum((h & r).values())
    if m == 0:
        return Fraction(0)
    p, rc = Fraction(m, sum(h.values())), Fraction(m, sum(r.values()))
    return 2 * p * rc / (p + rc)


# 1. Worked by hand ------------------------------------------------------------------------
# hyp "cat sat" -> "catsat" (6 chars); ref "cat sits" -> "catsits" (7 chars)
# n=1  hyp c a t s a t         ref c a t s i t s          matches c,a,t,t,s = 5   P=5/6  R=5/7
# n=2  hyp ca at ts sa at      ref ca at ts si it ts      matches ca,at,ts  = 3   P=3/5  R=3/6
# n=3  hyp cat ats tsa sat     ref cat ats tsi sit its    matches cat,ats   = 2   P=2/4  R=2/5
# n=4  hyp cats atsa tsat      ref cats atsi tsit sits    matches cats      = 1   P=1/3  R=1/4
# n=5  hyp catsa atsat         ref catsi atsit tsits      matches 0               P=0    R=0
# n=6  hyp catsat              ref catsit atsits          matches 0               P=0    R=0
# P = (5/6 + 3/5 + 1/2 + 1/3) / 6 = (34/15) / 6 = 17/45
# R = (5/7 + 1/2 + 2/5 + 1/4) / 6 = (261/140) / 6 = 87/280
# chrF2 = 5PR / (4P + R) = (7395/12600) / (4591/2520) = 1479/4591 ~= 0.3222
HAND = Fraction(1479, 4591)
st = stats("cat sat", "cat sits")
assert st == [(6, 7, 5), (5, 6, 3), (4, 5, 2), (3, 4, 1), (2, 3, 0), (1, 2, 0)], st
assert chrf("cat sat", "cat sits") == HAND
# beta = 1 weights precision and recall equally: 2PR/(P+R)
P, R = Fraction(17, 45), Fraction(87, 280)
assert chrf("cat sat", "cat sits", beta=1) == 2 * P * R / (P + R)

# 2. Boundary cases ------------------------------------------------------------------------
assert chrf("the same sentence", "the same sentence") == 1
assert chrf("xyz", "abc") == 0

# 3. Morphology: partial credit for inflected forms ------------------------------------------
ref_de = "die Katzen schliefen"
hyp_de = "die Katze schlief"
c, w = chrf(hyp_de, ref_de), word_unigram_f1(hyp_de, ref_de)
assert w == Fraction(1, 3)  # only "die" matches as a whole word
assert c > 0.6 and c - w > Fraction(1, 4), (float(c), float(w))

# 4. Corpus score != mean of sentence scores -----------------------------------------------
hyps = ["cat sat", "a dog barked loudly at night"]
refs = ["cat sits", "a dog barked loudly at night"]
corpus = corpus_chrf(hyps, refs)
mean_sent = (chrf(hyps[0], refs[0]) + chrf(hyps[1], refs[1])) / 2
assert corpus != mean_sent and corpus > mean_sent  # the long perfect sentence dominates the counts

# 5. Word-order scramble ---------------------------------------------------------------------
ref_en = "the committee approved the new budget"
scrambled = "budget new the approved committee the"
s1 = stats(scrambled, ref_en)
assert s1[0][2] == s1[0][0]  # every character unigram still matches
assert chrf(scrambled, ref_en) < Fraction(3, 4)

print(f"hand-worked chrF2('cat sat' | 'cat sits') = 1479/4591 = {float(HAND):.4f}: matches")
print(f"inflection near-miss: chrF2 {float(c):.3f} vs word unigram F1 {float(w):.3f}")
print(f"corpus chrF2 {float(corpus):.4f} vs mean of sentence chrF2 {float(mean_sent):.4f}")
print(f"scrambled word order: chrF2 {float(chrf(scrambled, ref_en)):.3f} (all unigrams still match)")
