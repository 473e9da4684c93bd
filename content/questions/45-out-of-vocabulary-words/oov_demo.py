"""Out-of-vocabulary words: word-level vs WordPiece-style vs byte-level BPE, from scratch.

What this file checks (run: python3 oov_demo.py):
  1. A word-level vocabulary built from a training corpus maps unseen held-out words to
     [UNK]; decoding cannot recover them, and two different sentences collide.
  2. A WordPiece-style greedy longest-match tokenizer splits unseen words into known
     pieces, but a word containing a character it never saw (an emoji) becomes [UNK].
  3. Byte-level BPE has no out-of-vocabulary input: unseen words, emoji, random Unicode
     strings (several seeds) and arbitrary random bytes, even invalid UTF-8, encode to ids
     inside the vocabulary and decode back exactly.
  4. The cost moves elsewhere: unseen or rare words take more tokens than frequent ones.
"""
import random
import re
from collections import Counter

train_text = (
    "the patient was given the new drug and the fever went down . "
    "the doctor said the drug works well for most patients . "
    "a new study of the drug found fewer side effects . "
) * 10
held_out = "the patient was given remdesivir and the fever went down 🙂"
train_words = set(train_text.split())
assert "remdesivir" not in train_words and "remdesivir" not in train_text  # truly unseen

# 1. Word-level vocabulary ------------------------------------------------------------
word_vocab = ["[UNK]"] + sorted(train_words)
word_id = {w: i for i, w in enumerate(word_vocab)}


def word_encode(text):
    return [word_id.get(w, 0) for w in text.split()]


def word_decode(ids):
    return " ".join(word_vocab[i] for i in ids)


word_ids = word_encode(held_out)
unk_words = [w for w in held_out.split() if w not in word_id]
assert unk_words == ["remdesivir", "🙂"] and word_ids.count(0) == 2
assert word_decode(word_ids) != held_out and "[UNK]" in word_decode(word_ids)
# Information is lost: two different sentences get identical ids.
assert word_encode("the patient was given aspirin") == word_encode("the patient was given ibuprofen")
oov_rate = word_ids.count(0) / len(word_ids)

# 2. WordPiece-style greedy longest match with '##' continuation pieces ---------------
wp_vocab = {"[UNK]"} | set(train_words)
for w in train_words:  # add every character, plus '##' continuation characters
    wp_vocab |= {w[0]} | {"##" + c for c in w[1:]}
wp_vocab |= {"rem", "##des", "##iv", "##ir"}  # a few pieces learned from other text


def wordpiece(word):
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in wp_vocab:
                break
            end -= 1
        if end == start:  # no piece matches: the whole word is unknown
            return ["[UNK]"]
        pieces.append(piece)
        start = end
    return pieces


assert wordpiece("remdesivir") == ["rem", "##des", "##iv", "##ir"]  # unseen word, known pieces
assert wordpiece("fevers") == ["fever", "##s"]
assert wordpiece("🙂") == ["[UNK]"] and wordpiece("drug🙂") == ["[UNK]"]  # unseen character

# 3. Byte-level BPE --------------------------------------------------------------------
PRETOKENIZE = re.compile(r" ?[^\W\d_]+| ?\d+| ?[^\w\s]+|\s+(?!\S)|\s+")


def merge_pair(seq, pair, new_id):
    out, i = [], 0
    while i < len(seq):
        if i + 1 < len(seq) and (seq[i], seq[i + 1]) == pair:
            out.append(new_id)
            i += 2
        else:
            out.append(seq[i])
            i += 1
    return tuple(out)


def train_bpe(text, num_merges):
    words = Counter(tuple(m.group().encode()) for m in PRETOKENIZE.finditer(text))
    merges = {}
    for step in range(num_merges):
        pairs = Counter()
        for w, f in words.items():
            for p in zip(w, w[1:]):
                pairs[p] += f
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges[best] = 256 + step
        words = Counter({merge_pair(w, best, 256 + step): f for w, f in words.items()})
    return merges


merges = train_bpe(train_text, 80)
vocab = {i: bytes([i]) for i in range(256)}
for (a, b), i in merges.items():
    vocab[i] = vocab[a] + vocab[b]


def bpe_bytes(data):
    """Encode arbitrary bytes (no pre-tokenizer needed for the guarantee)."""
    seq = tuple(data)
    while len(seq) > 1:
        ranked = [(merges[p], p) for p in zip(seq, seq[1:]) if p in merges]
        if not ranked:
            break
        new_id, pair = min(ranked)
        seq = merge_pair(seq, pair, new_id)
    return list(seq)


def bpe_encode(text):
    return [i for m in PRETOKENIZE.finditer(text) for i in bpe_bytes(m.group().encode("utf-8"))]


def bpe_decode_bytes(ids):
    return b"".join(vocab[i] for i in ids)


def check_roundtrip(text):
    ids = bpe_encode(text)
    assert all(0 <= i < len(vocab) for i in ids)
    assert bpe_decode_bytes(ids).decode("utf-8") == text
    return ids


check_roundtrip(held_out)
for s in ["Pneumonoultramicroscopicsilicovolcanoconiosis", "👩🏾‍🔬 🏳️‍🌈 🇯🇵", "naïve Ωμέγα ∑ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
          "e\u0301 vs \u00e9", "\x00\x07\ttab", "ąčęėįšųūž ⟨x|y⟩"]:
    check_roundtrip(s)

n_strings = 0
for seed in range(5):
    rng = random.Random(seed)
    for _ in range(100):
        # random code points from the whole Unicode range, skipping surrogates
        cps = [rng.randrange(0x110000) for _ in range(rng.randrange(1, 12))]
        s = "".join(chr(c) for c in cps if not 0xD800 <= c <= 0xDFFF)
        check_roundtrip(s)
        # arbitrary bytes, including sequences that are not valid UTF-8
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        ids = bpe_bytes(data)
        assert all(0 <= i < len(vocab) for i in ids) and bpe_decode_bytes(ids) == data
        n_strings += 2

# 4. The cost: unseen words fragment into more tokens than frequent ones.
seen, unseen = len(bpe_encode(" patient")), len(bpe_encode(" remdesivir"))
assert seen == 1 and unseen >= 4, (seen, unseen)

print(f"word-level: held-out OOV rate {oov_rate:.0%}; decoded -> '{word_decode(word_ids)}'")
print(f"WordPiece-style: 'remdesivir' -> {wordpiece('remdesivir')}, '🙂' -> {wordpiece('🙂')}")
print(f"byte-level BPE (vocab {len(vocab)}): {n_strings} random strings/byte sequences round-trip, "
      f"0 unknown ids")
print(f"' patient' -> {seen} token, ' remdesivir' -> {unseen} tokens")
print("all checks passed")
