"""Why domain models often get their own vocabulary: a from-scratch BPE experiment.

We train two byte-pair-encoding (BPE) tokenizers with the same merge budget, one on a toy
"general" corpus and one on a toy "biomedical" corpus, then measure on HELD-OUT sentences
(disjoint from training, asserted) for several seeds:
  * fertility = tokens per word (lower means shorter sequences, more context per token);
  * coverage  = share of words encoded as a single token (a whole-word vocabulary entry).
Checks: the biomedical tokenizer has lower fertility and higher coverage on biomedical text,
the general tokenizer wins on general text, and a domain term like "acetylcholinesterase"
splits into fewer pieces under the domain vocabulary (as SciBERT's SciVocab was built to do).
Run: python3 domain_tokenizer.py
"""
import random
from collections import Counter

GENERAL = ("the a people city market weather morning family school music game river "
           "house friend story garden dinner travel holiday window street paper").split()
BIOMED = ("the a patients kinase inhibitor acetylcholinesterase receptor antibody "
          "cytokine mutation carcinoma phosphorylation pharmacokinetics dosage tumour "
          "expression inflammation enzyme protein hepatocyte").split()
VERBS = "saw showed reduced increased met bound described changed measured liked".split()


def make_corpus(words, n_sent, rng):
    """Sentences of 6-9 words: mostly domain words, some shared verbs."""
    out = []
    for _ in range(n_sent):
        k = rng.randint(6, 9)
        out.append(" ".join(rng.choice(words) if rng.random() < 0.75 else rng.choice(VERBS)
                            for _ in range(k)))
    return out


def word_counts(sentences):
    return Counter(w for s in sentences for w in s.split())


def train_bpe(sentences, n_merges):
    """Classic BPE (Sennrich et al., 2016): start from characters plus an end-of-word
    marker and repeatedly merge the most frequent adjacent pair, weighted by word counts."""
    vocab = {tuple(w) + ("</w>",): c for w, c in word_counts(sentences).items()}
    merges = []
    for _ in range(n_merges):
        pairs = Counter()
        for symbols, c in vocab.items():
            for a, b in zip(symbols, symbols[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        best = max(pairs, key=lambda p: (pairs[p], p))  # ties broken deterministically
        merges.append(best)
        new_vocab = {}
        for symbols, c in vocab.items():
            out, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                    out.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            new_vocab[tuple(out)] = c
        vocab = new_vocab
    return merges


def encode_word(word, merges):
    symbols = list(word) + ["</w>"]
    for a, b in merges:  # apply merges in the order they were learned
        i, out = 0, []
        while i < len(symbols):
            if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
                out.append(a + b)
                i += 2
            else:
                out.append(symbols[i])
                i += 1
        symbols = out
    return symbols


def stats(sentences, merges):
    words = [w for s in sentences for w in s.split()]
    pieces = [len(encode_word(w, merges)) for w in words]
    return sum(pieces) / len(words), sum(p == 1 for p in pieces) / len(words)


N_MERGES = 120
results = []
for seed in range(3):
    rng = random.Random(seed)
    gen_train, bio_train = make_corpus(GENERAL, 300, rng), make_corpus(BIOMED, 300, rng)
    gen_test, bio_test = make_corpus(GENERAL, 60, rng), make_corpus(BIOMED, 60, rng)
    # held-out sentences must not appear in training
    assert not set(gen_test) & set(gen_train) and not set(bio_test) & set(bio_train)

    gen_bpe, bio_bpe = train_bpe(gen_train, N_MERGES), train_bpe(bio_train, N_MERGES)
    assert len(gen_bpe) == len(bio_bpe) == N_MERGES  # same vocabulary budget

    f_gen_on_bio, c_gen_on_bio = stats(bio_test, gen_bpe)
    f_bio_on_bio, c_bio_on_bio = stats(bio_test, bio_bpe)
    f_gen_on_gen, _ = stats(gen_test, gen_bpe)
    f_bio_on_gen, _ = stats(gen_test, bio_bpe)

    assert f_bio_on_bio < 0.6 * f_gen_on_bio, (seed, f_bio_on_bio, f_gen_on_bio)
    assert c_bio_on_bio > c_gen_on_bio + 0.3
    assert f_gen_on_gen < f_bio_on_gen          # and the general vocabulary wins at home
    term = "acetylcholinesterase"
    n_gen, n_bio = len(encode_word(term, gen_bpe)), len(encode_word(term, bio_bpe))
    assert n_bio < n_gen
    results.append((f_gen_on_bio, f_bio_on_bio, c_gen_on_bio, c_bio_on_bio, n_gen, n_bio))

for s, (fg, fb, cg, cb, ng, nb) in enumerate(results):
    print(f"seed {s}: biomedical held-out text: fertility {fg:.2f} (general BPE) vs {fb:.2f} "
          f"(domain BPE); whole-word coverage {cg:.0%} vs {cb:.0%}; "
          f"'acetylcholinesterase' = {ng} vs {nb} tokens")
