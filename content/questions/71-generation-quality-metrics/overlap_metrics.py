"""Corpus BLEU and ROUGE-L from scratch, checked against numbers worked out by hand.

What this file checks (run: python3 overlap_metrics.py):
  1. Clipped ("modified") n-gram precision: Papineni et al.'s own example, 2/7.
  2. Corpus BLEU (n = 1..4, uniform weights, brevity penalty) on a two-sentence
     corpus equals the value computed by hand in the comments below.
  3. Sentence-level BLEU of a good translation can be exactly 0 (no 4-gram match),
     which is why BLEU is a corpus-level metric and sentence BLEU needs smoothing.
  4. ROUGE-L (LCS-based precision, recall, F1) on Lin's "police killed the gunman"
     example and on an unequal-length pair, against hand values.
  5. What overlap metrics miss: a factually wrong answer outscores a correct
     paraphrase, and re-tokenising the same text changes BLEU (why sacreBLEU exists).
"""
import math
from collections import Counter


def ngrams(tokens, n):
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def clipped_matches(cand, refs, n):
    """Matches of candidate n-grams, each clipped to its max count in any one reference."""
    cand_counts = ngrams(cand, n)
    max_ref = Counter()
    for ref in refs:
        for gram, c in ngrams(ref, n).items():
            max_ref[gram] = max(max_ref[gram], c)
    matched = sum(min(c, max_ref[gram]) for gram, c in cand_counts.items())
    return matched, max(len(cand) - n + 1, 0)


def closest_ref_len(cand_len, refs):
    # effective reference length: the reference length closest to the candidate's
    # (ties go to the shorter reference, as in sacreBLEU and NLTK)
    return min((abs(len(r) - cand_len), len(r)) for r in refs)[1]


def corpus_bleu(candidates, references, max_n=4):
    """candidates: list of token lists; references: list of lists of token lists.
    Counts are summed over the whole corpus BEFORE dividing (Papineni et al., 2002)."""
    matched, total = [0] * max_n, [0] * max_n
    c_len = r_len = 0
    for cand, refs in zip(candidates, references):
        c_len += len(cand)
        r_len += closest_ref_len(len(cand), refs)
        for n in range(1, max_n + 1):
            m, t = clipped_matches(cand, refs, n)
            matched[n - 1] += m
            total[n - 1] += t
    if min(matched) == 0:
        return 0.0, [m / t for m, t in zip(matched, total)], 1.0
    precisions = [m / t for m, t in zip(matched, total)]
    log_mean = sum(math.log(p) for p in precisions) / max_n  # geometric mean, w_n = 1/4
    bp = 1.0 if c_len > r_len else math.exp(1 - r_len / c_len)
    return bp * math.exp(log_mean), precisions, bp


def lcs_len(a, b):
    # classic O(len(a) * len(b)) dynamic programme
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(cand, ref, beta=1.0):
    """ROUGE-L (Lin, 2004): R = LCS/|ref|, P = LCS/|cand|,
    F = (1 + beta^2) P R / (R + beta^2 P); beta = 1 gives the F1 most libraries report."""
    lcs = lcs_len(cand, ref)
    if lcs == 0:
        return 0.0, 0.0, 0.0
    p, r = lcs / len(cand), lcs / len(ref)
    return p, r, (1 + beta**2) * p * r / (r + beta**2 * p)


tok = str.split

# 1. Clipping: Papineni et al.'s example. "the" occurs at most twice in any reference,
#    so only 2 of the 7 candidate unigrams count: modified precision 2/7 (plain precision 7/7).
m, t = clipped_matches(tok("the the the the the the the"),
                       [tok("the cat is on the mat"), tok("there is a cat on the mat")], 1)
assert (m, t) == (2, 7)

# 2. Corpus BLEU by hand.
#  S1 cand "the cat sat on the mat" (6)   ref "the cat is on the mat" (6)
#     1-grams: the x2, cat, on, mat match       -> 5/6
#     2-grams: "the cat", "on the", "the mat"   -> 3/5
#     3-grams: "on the mat"                     -> 1/4
#     4-grams: none                             -> 0/3
#  S2 cand "a quick brown fox jumps" (5)  ref "the quick brown fox jumps over the dog" (8)
#     1-grams: quick, brown, fox, jumps         -> 4/5
#     2-grams: quick brown, brown fox, fox jumps -> 3/4
#     3-grams: quick brown fox, brown fox jumps -> 2/3
#     4-grams: quick brown fox jumps            -> 1/2
#  Corpus: p1 = 9/11, p2 = 6/9, p3 = 3/7, p4 = 1/5; c = 11, r = 14
#  BP = exp(1 - 14/11) = exp(-3/11) = 0.76130
#  BLEU = BP * (9/11 * 6/9 * 3/7 * 1/5) ** (1/4) = 0.76130 * (54/1155) ** 0.25 = 0.3540
cands = [tok("the cat sat on the mat"), tok("a quick brown fox jumps")]
refs = [[tok("the cat is on the mat")], [tok("the quick brown fox jumps over the dog")]]
bleu, precisions, bp = corpus_bleu(cands, refs)
hand_p = [9 / 11, 6 / 9, 3 / 7, 1 / 5]
assert all(abs(a - b) < 1e-12 for a, b in zip(precisions, hand_p)), precisions
assert abs(bp - 0.76130) < 5e-5, bp
assert abs(bleu - 0.3540) < 5e-4, bleu
# exact closed form typed from the fractions above
assert abs(bleu - math.exp(-3 / 11) * (54 / 1155) ** 0.25) < 1e-12

# 3. Sentence BLEU of S1 alone is 0: no 4-gram matches, so the geometric mean collapses.
s1_bleu, s1_p, _ = corpus_bleu(cands[:1], refs[:1])
assert s1_bleu == 0.0 and s1_p[3] == 0.0

# Multiple references: the effective length is the closest one (7 is closer to 6 than 9).
assert closest_ref_len(6, [tok("a b c d e f g h i"), tok("a b c d e f g")]) == 7

# 4. ROUGE-L on Lin (2004)'s example: LCS("police kill the gunman", ref) = 3
#    ("police ... the gunman"), LCS("the gunman kill police", ref) = 2 ("the gunman").
#    Both candidates have 4 tokens, like the reference, so P = R = F.
ref = tok("police killed the gunman")
assert rouge_l(tok("police kill the gunman"), ref) == (0.75, 0.75, 0.75)
assert rouge_l(tok("the gunman kill police"), ref) == (0.5, 0.5, 0.5)
#    Unequal lengths: cand "the cat on mat" (4) vs "the cat is on the mat" (6):
#    LCS = 4, P = 4/4 = 1, R = 4/6, F1 = 2 * 1 * (2/3) / (1 + 2/3) = 0.8
p, r, f = rouge_l(tok("the cat on mat"), tok("the cat is on the mat"))
assert (p, abs(r - 2 / 3) < 1e-12, abs(f - 0.8) < 1e-12) == (1.0, True, True)
#    Recall-weighted (beta = 2): F = 5 * 1 * (2/3) / (2/3 + 4) = (10/3) / (14/3) = 5/7
assert abs(rouge_l(tok("the cat on mat"), tok("the cat is on the mat"), beta=2)[2] - 5 / 7) < 1e-12

# 5a. Overlap is not meaning. Reference "the meeting is at noon on friday" (7 tokens).
#     Wrong day, "... on monday": 6/7, 5/6, 4/5, 3/4 n-gram matches, same length (BP = 1),
#     so BLEU = (6/7 * 5/6 * 4/5 * 3/4) ** (1/4) = (3/7) ** (1/4) = 0.809; LCS = 6, ROUGE-L F1 = 6/7.
#     Correct paraphrase "on friday the meeting starts at noon": no 3-gram match, so BLEU = 0;
#     LCS = "the meeting at noon" = 4, ROUGE-L F1 = 4/7.
reference = tok("the meeting is at noon on friday")
wrong, right = tok("the meeting is at noon on monday"), tok("on friday the meeting starts at noon")
b_wrong, b_right = corpus_bleu([wrong], [[reference]])[0], corpus_bleu([right], [[reference]])[0]
f_wrong, f_right = rouge_l(wrong, reference)[2], rouge_l(right, reference)[2]
assert abs(b_wrong - (3 / 7) ** 0.25) < 1e-12 and b_right == 0.0
assert abs(f_wrong - 6 / 7) < 1e-12 and abs(f_right - 4 / 7) < 1e-12

# 5b. Same strings, different tokenisation -> different BLEU. Splitting punctuation
#     ("mat ." instead of "mat.") creates extra matching n-grams.
hyp, ref_txt = "the cat sat on the mat.", "the cat is on the mat."
raw = corpus_bleu([hyp.split()], [[ref_txt.split()]])[0]
split_punct = corpus_bleu([hyp.replace(".", " .").split()], [[ref_txt.replace(".", " .").split()]])[0]
assert raw == 0.0 and split_punct > 0.3, (raw, split_punct)

print(f"modified unigram precision (Papineni example): {m}/{t}")
print(f"corpus BLEU = {bleu:.4f} (hand: 0.3540), p_n = {[round(x, 4) for x in precisions]}, BP = {bp:.4f}")
print(f"sentence BLEU of a near-miss with no 4-gram match: {s1_bleu}")
print("ROUGE-L on Lin's example: 0.75 and 0.50; unequal lengths F1 = 0.8: OK")
print(f"wrong-day answer: BLEU {b_wrong:.3f}, ROUGE-L {f_wrong:.3f}; correct paraphrase: BLEU {b_right:.3f}, ROUGE-L {f_right:.3f}")
print(f"tokenisation alone moves BLEU from {raw:.3f} to {split_punct:.3f}")
