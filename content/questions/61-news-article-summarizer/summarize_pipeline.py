"""Skeleton of a long-article summariser: token-budget chunking with overlap, map-reduce
summarisation, and a faithfulness check that flags unsupported summary sentences.

Run: python3 summarize_pipeline.py   (standard library only; no model is called)

The "LLM" here is a stand-in: an extractive scorer that picks the most salient sentence of a
chunk. The pipeline around it (budgets, overlap, recursion, checks) is what a real system
keeps when the stand-in is replaced by a model call. Token counts use a regex word-piece count
as a stand-in for the model's tokenizer.

Checks (over 10 seeds of synthetic articles):
1. chunks respect the token budget, keep sentence order, cover every sentence, and each
   consecutive pair shares at least `overlap` tokens of context;
2. the reduce step never receives more than its budget (it recurses instead), and the final
   summary keeps key facts that sit in different chunks of the article;
3. the faithfulness check passes summaries built from the article, and flags a changed number,
   a swapped name, a flipped negation and an invented sentence;
4. the cost arithmetic under ASSUMED prices (not a vendor's price list).
"""
import math
import random
import re
from collections import Counter

TOKEN_RE = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")
STOP = set("a an the of to and or in on at for by with from as is was were be been has have had "
           "that this it its their they he she his her said says will would after before than".split())
NEGATIONS = {"not", "no", "never", "denied", "without"}


def n_tokens(text):
    return len(TOKEN_RE.findall(text))


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]


# ------------------------------------------------------------------ 1. chunking
def chunk(text, budget, overlap):
    """Greedy sentence packing. Each new chunk starts with the last sentences of the previous
    one (at least `overlap` tokens) so that a fact split across a boundary is seen whole."""
    sents = sentences(text)
    if any(n_tokens(s) > budget - overlap for s in sents):
        raise ValueError("a single sentence is longer than the budget allows; split it first")
    chunks, start = [], 0
    while start < len(sents):
        end, used = start, 0
        while end < len(sents) and used + n_tokens(sents[end]) <= budget:
            used += n_tokens(sents[end])
            end += 1
        chunks.append((start, end))
        if end == len(sents):
            break
        back, carried = end, 0  # step back far enough to carry `overlap` tokens forward
        while back > start + 1 and carried < overlap:
            back -= 1
            carried += n_tokens(sents[back])
        start = back
    return sents, chunks


# ------------------------------------------------------------------ 2. map-reduce
def content(text):
    return [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text) if w.lower() not in STOP]


def stand_in_llm(text, max_tokens, doc_freq, n_docs):
    """Stand-in for 'summarise this text in at most max_tokens tokens': keep the highest
    tf-idf sentences, in original order, within the limit. A real system calls a model here."""
    sents = sentences(text)
    tf = Counter(w for s in sents for w in content(s))
    def score(s):
        ws = content(s)
        return sum(tf[w] * math.log(n_docs / (1 + doc_freq[w])) for w in ws) / (1 + len(ws))
    chosen, used = set(), 0
    for i in sorted(range(len(sents)), key=lambda i: -score(sents[i])):
        if used + n_tokens(sents[i]) <= max_tokens:
            chosen.add(i)
            used += n_tokens(sents[i])
    return " ".join(sents[i] for i in sorted(chosen))


REDUCE_CALLS = []


def map_reduce(text, budget, overlap, out_tokens, doc_freq, n_docs):
    sents, spans = chunk(text, budget, overlap)
    partials = [stand_in_llm(" ".join(sents[a:b]), out_tokens, doc_freq, n_docs) for a, b in spans]
    merged = " ".join(dict.fromkeys(partials))  # drop exact duplicates from overlapping chunks
    first_merge, rounds = n_tokens(merged), 0
    assert out_tokens <= budget // 2, "each collapse round must shrink the text"
    while n_tokens(merged) > budget:  # too long to reduce in one call: collapse recursively
        merged = " ".join(stand_in_llm(" ".join(sents_[a:b]), out_tokens, doc_freq, n_docs)
                          for sents_, spans_ in [chunk(merged, budget, 0)] for a, b in spans_)
        rounds += 1
    REDUCE_CALLS.append((first_merge, rounds, n_tokens(merged)))
    return stand_in_llm(merged, out_tokens, doc_freq, n_docs), spans


# ------------------------------------------------------------------ 3. faithfulness check
def check_faithfulness(summary, source, min_support=0.7):
    """For each summary sentence find the best-matching source sentence and flag it if
    (a) too few of its content words are in that sentence, (b) it has a number or a
    capitalised name that appears nowhere in the source, or (c) its negation differs from
    the best-matching sentence. A lexical stand-in for NLI- or QA-based checkers."""
    src_sents = sentences(source)
    src_words = set(re.findall(r"[A-Za-z0-9]+", source))
    report = []
    for s in sentences(summary):
        cw = set(content(s))
        best = max(src_sents, key=lambda t: len(cw & set(content(t))))
        support = len(cw & set(content(best))) / max(1, len(cw))
        toks = re.findall(r"[A-Za-z0-9]+", s)
        unsupported = [t for t in toks if (t[0].isdigit() or (t[0].isupper() and t.lower() not in STOP))
                       and t not in src_words]
        neg_s = {w.lower() for w in toks} & NEGATIONS
        neg_b = {w.lower() for w in re.findall(r"[A-Za-z]+", best)} & NEGATIONS
        reasons = []
        if support < min_support:
            reasons.append(f"support {support:.2f}")
        if unsupported:
            reasons.append("not in source: " + ",".join(unsupported))
        if neg_s != neg_b:
            reasons.append("negation differs")
        report.append((s, reasons))
    return report


# ------------------------------------------------------------------ synthetic articles
CITIES = ["Lisbon", "Oslo", "Denver", "Osaka", "Nairobi"]
PEOPLE = ["Mayor Alvarez", "Minister Okafor", "Director Lindqvist", "Senator Park"]
FILLER = ["Residents gathered near the station to follow the debate",
          "Local traders described a busy week for the market",
          "The weather stayed mild for most of the month",
          "Commuters reported longer queues at the ticket office",
          "A spokesperson repeated the statement from the morning briefing"]


def make_article(rng):
    city, person = rng.choice(CITIES), rng.choice(PEOPLE)
    budget_m, jobs, year = rng.randint(120, 900), rng.randint(300, 5000), rng.randint(2027, 2032)
    facts = [f"The council of {city} approved a transit plan worth {budget_m} million euros.",
             f"{person} said the plan would create {jobs} jobs by {year}.",
             f"{person} did not rule out higher fares for the new metro line.",
             f"Opposition members said the {city} transit plan ignored cyclists."]
    body = []
    for i in range(40):  # a long article: facts spread among filler
        body.append(rng.choice(FILLER) + f" on day {i + 1}.")
        if i in (2, 14, 27, 38):
            body.append(facts[(2, 14, 27, 38).index(i)])
    return " ".join(body), city, person, budget_m, jobs


BUDGET, OVERLAP, OUT = 120, 20, 60
arts = [make_article(random.Random(seed)) for seed in range(10)]
doc_freq = Counter(w for a in arts for w in set(content(a[0])))
for seed, (text, city, person, budget_m, jobs) in enumerate(arts):
    sents, spans = chunk(text, BUDGET, OVERLAP)
    assert len(spans) > 3  # the article really is longer than one chunk
    assert spans[0][0] == 0 and spans[-1][1] == len(sents)  # covers the start and the end
    for (a, b), (c, d) in zip(spans, spans[1:]):
        assert n_tokens(" ".join(sents[a:b])) <= BUDGET
        assert a < c < b <= d  # order kept, no gap, and an overlap of whole sentences
        assert sum(n_tokens(s) for s in sents[c:b]) >= OVERLAP
    summary, _ = map_reduce(text, BUDGET, OVERLAP, OUT, doc_freq, len(arts))
    assert 0 < n_tokens(summary) <= OUT
    assert str(budget_m) in summary and str(jobs) in summary and "cyclists" in summary  # facts from 3 different chunks survive
    assert all(not reasons for _, reasons in check_faithfulness(summary, text)), seed
    # Corrupted summaries: each corruption must be caught, for every seed.
    other_person = next(p for p in PEOPLE if p != person)
    good = f"The council of {city} approved a transit plan worth {budget_m} million euros."
    assert not check_faithfulness(good, text)[0][1]
    bad = {
        "number": good.replace(str(budget_m), str(budget_m + 50)),
        "name": f"{other_person} said the plan would create {jobs} jobs.",
        "negation": f"{person} ruled out higher fares for the new metro line.",
        "invented": "Protesters blocked the main bridge for three hours.",
    }
    for kind, sentence in bad.items():
        reasons = check_faithfulness(sentence, text)[0][1]
        assert reasons, (seed, kind, sentence)
assert all(final <= BUDGET for _, _, final in REDUCE_CALLS)
max_reduce_input = max(final for _, _, final in REDUCE_CALLS)
# Force the recursive collapse: with a small budget the mapped partials do not fit in one call.
small, _ = map_reduce(arts[0][0], 60, 15, 30, doc_freq, len(arts))
first_merge, rounds, final = REDUCE_CALLS[-1]
assert first_merge > 60 and rounds >= 1 and final <= 60 and n_tokens(small) <= 30

# ------------------------------------------------------------------ 4. cost (ASSUMED prices)
PRICE_IN, PRICE_OUT = 0.50, 2.00  # dollars per million tokens: assumptions for illustration only
ARTICLES_PER_DAY = 20_000
summ = 1_300 + 300, 120  # article + instructions in, summary out (assumed averages)
verify = 1_300 + 120 + 200, 60  # article + summary + instructions in, verdicts out
cost = sum(i * PRICE_IN / 1e6 + o * PRICE_OUT / 1e6 for i, o in (summ, verify))
# (1,600 x 0.5 + 120 x 2 + 1,620 x 0.5 + 60 x 2) / 1e6 = (800 + 240 + 810 + 120) / 1e6
assert abs(cost - 0.00197) < 1e-12 and abs(cost * ARTICLES_PER_DAY - 39.4) < 1e-6

demo = check_faithfulness(bad["number"] + " " + good + " " + bad["negation"], arts[-1][0])
print(f"chunking: 10 long articles, budget {BUDGET} tokens, overlap >= {OVERLAP}; max reduce input {max_reduce_input}; "
      f"small-budget run collapsed {first_merge} -> {final} tokens in {rounds} extra round(s)")
print("faithfulness check on the last article:")
for sent, reasons in demo:
    print(f"  {'FLAG' if reasons else 'ok  '} {sent}  {reasons if reasons else ''}")
print(f"cost at assumed prices: ${cost:.5f}/article, ${cost * ARTICLES_PER_DAY:.2f}/day for {ARTICLES_PER_DAY:,} articles")
