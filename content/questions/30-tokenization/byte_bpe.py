"""Byte-level BPE from scratch: train merges, encode, decode.

What this file checks (run: python3 byte_bpe.py):
  1. On the classic toy corpus {low:5, lower:2, newest:6, widest:3} the trainer learns
     exactly the merges worked out by hand in the comments below.
  2. An unseen word ("lowest") is split into learned pieces ("low" + "est"), not [UNK].
  3. A tokenizer trained on a small mixed-script corpus round-trips ASCII, accented Latin,
     Japanese, emoji (skin tone, flag, ZWJ family) and odd whitespace exactly, and every id
     is inside the vocabulary.
  4. Merges compress: trained text needs fewer tokens than bytes, and more merges never
     make it longer.
  5. Some learned tokens are fragments of a multi-byte UTF-8 character, so decoding must
     join bytes first and decode once (decoding token by token breaks).
Standard library only; deterministic (no randomness at all).
"""
import re
from collections import Counter

# Pre-tokenizer: split text into chunks; merges never cross a chunk boundary.
# A simplified GPT-2-style pattern for Python's built-in `re`:
# optional leading space + letters, optional space + digits, optional space + other symbols,
# whitespace runs. ([^\W\d_] = "word characters that are not digits or underscore" = letters.)
PRETOKENIZE = re.compile(r" ?[^\W\d_]+| ?\d+| ?[^\w\s]+|\s+(?!\S)|\s+")


def chunk_counts(text):
    """Count pre-tokenized chunks as tuples of byte values (0..255)."""
    return Counter(tuple(m.group().encode("utf-8")) for m in PRETOKENIZE.finditer(text))


def merge_pair(seq, pair, new_id):
    """Replace every non-overlapping occurrence of `pair` in `seq`, left to right."""
    out, i = [], 0
    while i < len(seq):
        if i + 1 < len(seq) and seq[i] == pair[0] and seq[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(seq[i])
            i += 1
    return tuple(out)


def train_bpe(counts, num_merges):
    """Learn up to `num_merges` merges from {chunk (tuple of ids): frequency}.

    Each step counts adjacent pairs (weighted by chunk frequency) and merges the most
    frequent one into a new id 256, 257, ... Ties go to the pair with the smallest ids,
    so the result is deterministic (real libraries break ties in their own ways).
    """
    words = dict(counts)
    merges = {}  # (id_a, id_b) -> new id; insertion order = rank
    for step in range(num_merges):
        pairs = Counter()
        for w, f in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += f
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        new_id = 256 + step
        merges[best] = new_id
        words = {merge_pair(w, best, new_id): f for w, f in words.items()}
    return merges


def build_vocab(merges):
    """id -> bytes. Ids 0..255 are the raw bytes, so every input is representable."""
    vocab = {i: bytes([i]) for i in range(256)}
    for (a, b), new_id in merges.items():  # dicts keep insertion order = merge order
        vocab[new_id] = vocab[a] + vocab[b]
    return vocab


def encode_chunk(chunk_bytes, merges):
    """Apply merges by rank: repeatedly merge the present pair that was learned earliest."""
    seq = tuple(chunk_bytes)
    while len(seq) > 1:
        ranked = [(merges[p], p) for p in zip(seq, seq[1:]) if p in merges]
        if not ranked:
            break
        new_id, pair = min(ranked)  # smaller new id = learned earlier
        seq = merge_pair(seq, pair, new_id)
    return list(seq)


def encode(text, merges):
    ids = []
    for m in PRETOKENIZE.finditer(text):
        ids.extend(encode_chunk(m.group().encode("utf-8"), merges))
    return ids


def decode(ids, vocab):
    # Join the bytes of all tokens, then decode once: a token may hold part of a character.
    return b"".join(vocab[i] for i in ids).decode("utf-8")


def show(ids, vocab):
    return [vocab[i].decode("utf-8", errors="replace") for i in ids]


# ---------------------------------------------------------------------------------------
# 1. Hand-checked merges on the textbook corpus (word counts, no spaces, so no pre-tokenizer).
#    Pair counts before merge 1: e-s 9, s-t 9, w-e 8, l-o 7, o-w 7, n-e 6, e-w 6, ...
#    merge 1: (e, s)  9   tie with (s, t) broken by smaller ids ('e' = 101 < 's' = 115)
#    merge 2: (es, t) 9   newest -> n e w est, widest -> w i d est
#    merge 3: (l, o)  7   tie with (o, w); 'l' = 108 < 'o' = 111
#    merge 4: (lo, w) 7
#    merge 5: (e, w)  6   three pairs tie at 6: (e,w) (n,e) (w,est); ids 101 < 110 < 119
#    merge 6: (n, ew) 6   tie with (ew, est); 110 < 260
#    merge 7: (new, est) 6 -> "newest" is one token
# ---------------------------------------------------------------------------------------
toy = {tuple(w.encode()): c for w, c in {"low": 5, "lower": 2, "newest": 6, "widest": 3}.items()}
toy_merges = train_bpe(toy, 7)
toy_vocab = build_vocab(toy_merges)
learned = [toy_vocab[i].decode() for i in toy_merges.values()]
assert learned == ["es", "est", "lo", "low", "ew", "new", "newest"], learned

# 2. Unseen words are built from learned pieces.
assert show(encode_chunk(b"lowest", toy_merges), toy_vocab) == ["low", "est"]
assert show(encode_chunk(b"newer", toy_merges), toy_vocab) == ["new", "e", "r"]

# 3. A small mixed-script corpus.
corpus = (
    "the cat sat on the mat. the dog sat on the log. " * 20
    + "café au lait, naïve résumé, Zürich und Köln. " * 10
    + "東京は日本の首都です。日本の東京。 " * 10
    + "I like pizza 🍕 and tea 🍵! " * 5
)
merges = train_bpe(chunk_counts(corpus), 100)
vocab = build_vocab(merges)
assert len(merges) == 100 and len(vocab) == 356

tests = [
    "the cat sat on the mat.",                     # seen ASCII
    "the rat ate the hat?",                        # unseen ASCII words
    "Crème brûlée à São Paulo, Ærøskøbing",        # accented Latin, mostly unseen
    "京都は日本の古都です",                          # CJK, partly unseen
    "👍🏽 🇫🇷 👨\u200d👩\u200d👧 🍕",                   # skin tone, flag, ZWJ sequence
    "tabs\tand\n\nnewlines   and  spaces ",        # whitespace runs
    "",                                            # empty string
]
for t in tests:
    ids = encode(t, merges)
    assert all(0 <= i < len(vocab) for i in ids)
    assert decode(ids, vocab) == t, t

# 4. Compression: fewer tokens than bytes on seen text, and monotone in the number of merges.
sample = "the cat sat on the mat. the dog sat on the log."
n_bytes = len(sample.encode("utf-8"))
lengths = [len(encode(sample, train_bpe(chunk_counts(corpus), k))) for k in (0, 10, 40, 100)]
assert lengths[0] == n_bytes  # zero merges = one token per byte
assert all(a >= b for a, b in zip(lengths, lengths[1:])), lengths
assert lengths[-1] < n_bytes / 3, lengths

# 5. Some tokens are pieces of a multi-byte character (e.g. the first 2 bytes of a kanji).
def valid_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


fragments = [i for i, b in vocab.items() if i >= 256 and not valid_utf8(b)]
assert fragments, "expected at least one learned token that is a partial UTF-8 character"
jp = "京都は日本の古都です"
jp_ids = encode(jp, merges)
token_by_token = "".join(vocab[i].decode("utf-8", errors="replace") for i in jp_ids)
assert decode(jp_ids, vocab) == jp and token_by_token != jp  # join bytes first, then decode

print("hand-checked merges:", learned)
print("'lowest' ->", show(encode_chunk(b"lowest", toy_merges), toy_vocab))
print(f"mixed corpus: {len(merges)} merges, vocab {len(vocab)}; "
      f"{len(tests)} strings round-trip exactly")
print(f"'{sample[:23]}...': tokens with 0/10/40/100 merges = {lengths} ({n_bytes} bytes)")
print(f"{len(fragments)} learned tokens are partial UTF-8 characters, "
      f"e.g. {vocab[fragments[0]]!r}")
print("all checks passed")
