"""Three small, dependency-free hallucination checks (run: python3 hallucination_checks.py).

1. Grounding check (faithfulness): flag answer sentences whose content words or
   numbers are not supported by the source document. A lexical stand-in for the
   NLI- or QA-based checkers (SummaC, QAGS) used in practice.
2. Sampling consistency (factuality without a reference): sample the same question
   several times; if the answers disagree, the model is probably guessing.
   A stand-in for SelfCheckGPT / semantic entropy.
3. Grading incentives: under right/wrong grading, guessing always beats "I don't know";
   penalising wrong answers by t / (1 - t) makes abstaining optimal below confidence t.
"""
import math
import random
import re
from collections import Counter

STOPWORDS = set(
    "a an the of in on at to for by with and or but is was were are be been it its this that "
    "these those as from has had have their there which who what when where how than then".split()
)


def tokens(text):
    return re.findall(r"[a-z]+|\d+(?:\.\d+)?", text.lower())


def split_sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]


# 1. Grounding check --------------------------------------------------------------------
def grounding_report(answer, source, min_support=0.6):
    """For each answer sentence: fraction of its content words found in the source, and
    any numbers that do not appear in the source. Numbers get a strict check because a
    sentence can share almost every word with the source and still contradict it."""
    source_vocab = set(tokens(source))
    report = []
    for sentence in split_sentences(answer):
        content = [t for t in tokens(sentence) if t not in STOPWORDS]
        supported = [t for t in content if t in source_vocab]
        support = len(supported) / max(len(content), 1)
        bad_numbers = [t for t in content if t[0].isdigit() and t not in source_vocab]
        flagged = support < min_support or bool(bad_numbers)
        report.append({"sentence": sentence, "support": support, "bad_numbers": bad_numbers, "flagged": flagged})
    return report


source = (
    "The Transformer was introduced in 2017 by Vaswani and colleagues in the paper "
    "Attention Is All You Need. The base model stacks 6 encoder layers and 6 decoder "
    "layers, uses a model dimension of 512, and has 8 attention heads."
)
answer = (
    "The Transformer was introduced in 2017 by Vaswani and colleagues. "
    "The base model has 8 attention heads. "
    "It was trained on 300 billion tokens of web text. "  # extrinsic: not in the source at all
    "The base model stacks 12 decoder layers."  # intrinsic: contradicts the source
)
report = grounding_report(answer, source)
assert [r["flagged"] for r in report] == [False, False, True, True]
assert report[2]["support"] < 0.2  # almost nothing in sentence 3 is in the source
assert report[3]["support"] >= 0.6 and report[3]["bad_numbers"] == ["12"]  # overlap alone would miss it


# 2. Sampling consistency -----------------------------------------------------------------
def normalise(ans):
    ans = re.sub(r"[^\w\s]", " ", ans.lower())
    return " ".join(w for w in ans.split() if w not in {"a", "an", "the"})


def consistency(samples, same_meaning=lambda a, b: normalise(a) == normalise(b)):
    """Cluster sampled answers by meaning, then return (share of the largest cluster,
    entropy over clusters in nats). Real systems decide "same meaning" with a
    bidirectional-entailment NLI model or an LLM; exact match after normalisation is
    the cheapest proxy and is enough for short factual answers."""
    clusters = []
    for s in samples:
        for c in clusters:
            if same_meaning(s, c[0]):
                c.append(s)
                break
        else:
            clusters.append([s])
    probs = [len(c) / len(samples) for c in clusters]
    entropy = -sum(p * math.log(p) for p in probs)
    return max(probs), entropy


# Answers sampled at temperature 1 for a well-known fact and for an obscure one.
known = ["2017", "2017.", "2017", "The 2017", "2018"]
obscure = ["March 3, 1971", "July 19, 1968", "march 3 1971", "October 2, 1974", "June 11, 1969"]
agree_k, h_k = consistency(known)
agree_o, h_o = consistency(obscure)
assert agree_k == 0.8 and agree_o == 0.4
assert h_o > 2 * h_k  # disagreement = high entropy = likely fabricated
FLAG_BELOW = 0.5  # agreement threshold; tune it on labelled data in practice
assert agree_k >= FLAG_BELOW > agree_o


# 3. Why binary grading rewards guessing -------------------------------------------------------
def expected_score(p_correct, wrong_penalty):
    """Answering: +1 if right, -wrong_penalty if wrong. Abstaining ("I don't know"): 0."""
    return p_correct - (1 - p_correct) * wrong_penalty


for t in (0.5, 0.75, 0.9):
    penalty = t / (1 - t)
    for p in (0.05, 0.3, 0.6, 0.8, 0.95):
        assert expected_score(p, 0.0) >= 0  # binary grading: guessing never loses
        if p > t:
            assert expected_score(p, penalty) > 0  # confident enough: answer
        elif p < t:
            assert expected_score(p, penalty) < 0  # below the target: abstain

# Simulate a calibrated model on 20,000 questions: confidence c means P(correct) = c.
# The outcomes are sampled, so every claim below is checked on 10 seeds, not one. (With
# only 2,000 questions, sampling noise makes 0.9 beat 0.75 on some seeds.)


def simulate(seed, n=20000):
    rng = random.Random(seed)
    qs = [rng.random() for _ in range(n)]
    return qs, [rng.random() < c for c in qs]


def grade(threshold, wrong_penalty):
    score, wrong, answered = 0.0, 0, 0
    for c, correct in zip(questions, outcomes):
        if c < threshold:
            continue  # abstain
        answered += 1
        score += 1 if correct else -wrong_penalty
        wrong += not correct
    return score / len(questions), wrong / len(questions), answered / len(questions)


t = 0.75
grid = (0.0, 0.25, 0.5, 0.75, 0.9)
for seed in range(10):
    questions, outcomes = simulate(seed)
    always_bin, always_err, _ = grade(0.0, 0.0)
    abstain_bin, abstain_err, coverage = grade(t, 0.0)
    always_pen, _, _ = grade(0.0, t / (1 - t))
    abstain_pen, _, _ = grade(t, t / (1 - t))
    assert always_bin > abstain_bin, seed  # the leaderboard prefers the guesser ...
    assert abstain_pen > always_pen, seed  # ... unless wrong answers cost something
    assert abstain_err < always_err / 4, seed  # and the abstainer states far fewer falsehoods
    # The best abstention threshold: 0 under binary grading, t under the t/(1-t) penalty.
    assert max(grid, key=lambda th: grade(th, 0.0)[0]) == 0.0, seed
    assert max(grid, key=lambda th: grade(th, t / (1 - t))[0]) == t, seed
questions, outcomes = simulate(0)  # the figures printed below are for seed 0
always_bin, always_err, _ = grade(0.0, 0.0)
abstain_bin, abstain_err, coverage = grade(t, 0.0)
always_pen, _, _ = grade(0.0, t / (1 - t))
abstain_pen, _, _ = grade(t, t / (1 - t))

print("grounding check:")
for r in report:
    mark = "FLAG" if r["flagged"] else "ok  "
    print(f"  {mark} support={r['support']:.2f} bad_numbers={r['bad_numbers']} | {r['sentence']}")
print(f"consistency: known fact agree={agree_k:.1f} H={h_k:.2f}; obscure fact agree={agree_o:.1f} H={h_o:.2f}")
print(
    f"binary grading: always-answer {always_bin:.3f} vs abstain-below-{t} {abstain_bin:.3f}; "
    f"penalised grading: {always_pen:.3f} vs {abstain_pen:.3f}"
)
print(f"wrong answers per question: always-answer {always_err:.1%} vs abstain-below-{t} {abstain_err:.1%} (answers {coverage:.0%})")
