"""Static (BERT) versus dynamic (RoBERTa) masking, and RoBERTa's FULL-SENTENCES packing.

What this file checks (run: python3 dynamic_masking.py):
  1. BERT-style static masking with the data duplicated 10 times gives each sequence at
     most 10 distinct masks over 40 epochs; dynamic masking draws a fresh one every epoch.
     Measured by simulation, the share of positions that are ever a prediction target
     agrees with 1 - 0.85^k (k = number of distinct masks), for several seeds.
  2. FULL-SENTENCES inputs: sentences packed contiguously up to 512 tokens, allowed to
     cross document boundaries (with a separator), no sentence pairs and no NSP label.
  3. The batch-size comparison RoBERTa ran at equal cost: 256 x 1M = 2K x 125K = 8K x 31K.
"""
import numpy as np

SELECT = 0.15  # share of positions selected for prediction (BERT and RoBERTa)


def choose_positions(rng, n_seq, length):
    """Boolean (n_seq, length) array: which positions are prediction targets."""
    return rng.random((n_seq, length)) < SELECT


def coverage(masks):
    """Share of positions selected in at least one of the given masks."""
    return np.logical_or.reduce(masks).mean()


# 1. Static vs dynamic masking over 40 epochs ------------------------------------
N_SEQ, LENGTH, EPOCHS, DUPLICATES = 2000, 128, 40, 10
for seed in range(5):
    rng = np.random.default_rng(seed)
    # static: masks fixed at preprocessing; the 10 copies are cycled through the epochs
    static_pool = [choose_positions(rng, N_SEQ, LENGTH) for _ in range(DUPLICATES)]
    static_seen = [static_pool[epoch % DUPLICATES] for epoch in range(EPOCHS)]
    # dynamic: a new mask each time a sequence is fed to the model
    dynamic_seen = [choose_positions(rng, N_SEQ, LENGTH) for _ in range(EPOCHS)]

    # how many distinct masks did sequence 0 see?
    distinct_static = len({m[0].tobytes() for m in static_seen})
    distinct_dynamic = len({m[0].tobytes() for m in dynamic_seen})
    assert distinct_static == DUPLICATES and distinct_dynamic == EPOCHS

    cov_static, cov_dynamic = coverage(static_seen), coverage(dynamic_seen)
    assert abs(cov_static - (1 - (1 - SELECT) ** DUPLICATES)) < 0.01, cov_static  # about 0.80
    assert abs(cov_dynamic - (1 - (1 - SELECT) ** EPOCHS)) < 0.01, cov_dynamic  # about 0.998
    assert cov_dynamic - cov_static > 0.15
    # both select 15% per pass: the difference is variety, not the amount of signal
    assert abs(np.mean([m.mean() for m in dynamic_seen]) - SELECT) < 0.002


# 2. FULL-SENTENCES packing ----------------------------------------------------------
def pack_full_sentences(documents, max_len=512, doc_sep=-1):
    """Pack whole sentences into inputs of at most max_len tokens. An input may cross a
    document boundary; a separator token marks it. Returns a list of token lists."""
    inputs, current = [], []
    for d, doc in enumerate(documents):
        if d > 0 and current:
            current.append(doc_sep)
        for sentence in doc:
            if current and len(current) + len(sentence) > max_len:
                inputs.append(current)
                current = []
            current.extend(sentence)
    if current:
        inputs.append(current)
    return inputs


rng = np.random.default_rng(0)
docs = [[list(rng.integers(0, 1000, rng.integers(5, 60))) for _ in range(rng.integers(3, 30))]
        for _ in range(50)]
packed = pack_full_sentences(docs)
n_tokens = sum(len(s) for d in docs for s in d)
assert sum(len([t for t in x if t != -1]) for x in packed) == n_tokens  # nothing lost
assert all(len(x) <= 512 for x in packed)
fill = np.mean([len(x) for x in packed[:-1]]) / 512
assert fill > 0.9  # inputs are nearly full: few wasted (padded) positions
crossing = sum(-1 in x for x in packed)
assert crossing > 0  # some inputs span two documents

# 3. Equal-compute batch sizes (sequences processed) --------------------------------
configs = {"256 x 1M (BERT)": 256 * 1_000_000, "2K x 125K": 2048 * 125_000, "8K x 31K": 8192 * 31_250}
base = configs["256 x 1M (BERT)"]
assert all(abs(v / base - 1) < 0.03 for v in configs.values())
roberta_final = 8192 * 500_000  # 8K batch for 500K steps
assert 15 < roberta_final / base < 17  # about 16x the sequences BERT saw

print(f"positions ever targeted over {EPOCHS} epochs (seed 4): static {cov_static:.3f} "
      f"(10 masks) vs dynamic {cov_dynamic:.3f} ({EPOCHS} masks)")
print(f"FULL-SENTENCES: {len(packed)} inputs, {fill:.0%} full on average, {crossing} cross a document boundary")
print(f"sequences seen: BERT {base:,}; RoBERTa final {roberta_final:,} (~{roberta_final / base:.0f}x)")
