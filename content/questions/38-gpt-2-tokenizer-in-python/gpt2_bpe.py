"""GPT-2's byte-level BPE tokenizer, from scratch, plus batching into PyTorch tensors.

The real GPT-2 tokenizer is this algorithm with OpenAI's files: encoder.json
(50,257 ids) and vocab.bpe (50,000 merges). Those files cannot be downloaded
here, so we learn a small merges table from a toy corpus with the same
procedure and test the mechanism: the byte-to-unicode table, the
pre-tokenization regex, merging by rank, encoding and decoding, special
tokens, and padding a batch with attention masks.
"""
import re as std_re
from collections import Counter

import torch

# GPT-2's pre-tokenization pattern, verbatim. It needs the third-party `regex`
# module for the Unicode classes \p{L} (letters) and \p{N} (numbers).
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""

# Approximation for the standard-library `re`, which has no \p{...} classes:
#   letters  \p{L}  ~ [^\W\d_]   (word characters that are not digits or "_")
#   numbers  \p{N}  ~ \d         (decimal digits only: misses e.g. "½" and "²")
#   other           ~ [^\s\w]|_  (everything else that is not whitespace)
# Checked against the `regex` module over every code point: the two patterns
# classify characters differently only for numeric characters that are not
# decimal digits (Unicode categories No and Nl, e.g. "²", "½", "Ⅻ"), which \p{N}
# calls numbers and this approximation calls letters. Combining marks
# (category M: the accent of a decomposed "é", Devanagari vowel signs) are
# neither letters nor numbers in BOTH patterns, so both split them off from the
# base letter in the same way. A difference changes ids, never the round trip.
APPROX_PATTERN = (
    r"""'s|'t|'re|'ve|'m|'ll|'d"""
    r"""| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+"""
)

try:
    import regex as _re          # what GPT-2 (and Hugging Face's slow tokenizer) use
    PAT = _re.compile(GPT2_PATTERN)
    EXACT = True
except ImportError:              # Debian's python3 here has no `regex`: fall back
    PAT = std_re.compile(APPROX_PATTERN)
    EXACT = False


def bytes_to_unicode() -> dict:
    """Map each of the 256 byte values to a printable unicode character.

    BPE works on strings, and a vocabulary file must not contain raw control
    bytes or whitespace. The printable Latin-1 bytes map to themselves; the
    other 68 bytes (control characters, space, 0x7F-0xA0, 0xAD) are shifted to
    256 + n. So the space (0x20) becomes 'Ġ' (U+0120) and the newline 'Ċ'."""
    bs = (list(range(ord("!"), ord("~") + 1))
          + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_ENCODER = bytes_to_unicode()
BYTE_DECODER = {c: b for b, c in BYTE_ENCODER.items()}


def pretokenize(text: str) -> list:
    """Split text into chunks that BPE never merges across: words with their
    leading space, runs of digits, runs of punctuation, whitespace."""
    return PAT.findall(text)


def to_byte_chars(chunk: str) -> str:
    return "".join(BYTE_ENCODER[b] for b in chunk.encode("utf-8"))


def learn_merges(corpus: str, num_merges: int) -> list:
    """Train byte-level BPE: repeatedly merge the most frequent adjacent pair.
    (GPT-2's 50,000 merges were learned by this procedure on a large corpus.)"""
    words = Counter(tuple(to_byte_chars(w)) for w in pretokenize(corpus))
    merges = []
    for _ in range(num_merges):
        pairs = Counter()
        for word, freq in words.items():
            for pair in zip(word, word[1:]):
                pairs[pair] += freq
        if not pairs:
            break
        # Most frequent pair; ties broken by the pair itself, for determinism.
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        new_words = Counter()
        for word, freq in words.items():
            new_words[tuple(merge_pair(list(word), best))] += freq
        words = new_words
    return merges


def merge_pair(symbols: list, pair: tuple) -> list:
    """Replace every occurrence of `pair` in `symbols`, left to right."""
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


class GPT2StyleTokenizer:
    EOT = "<|endoftext|>"

    def __init__(self, merges: list):
        # Vocabulary layout exactly as in GPT-2's encoder.json:
        # 256 byte symbols first (in bytes_to_unicode order), then one token
        # per merge in merge order, then <|endoftext|> last.
        # GPT-2: 256 + 50,000 + 1 = 50,257.
        vocab = list(BYTE_ENCODER.values()) + ["".join(p) for p in merges] + [self.EOT]
        self.encoder = {tok: i for i, tok in enumerate(vocab)}
        self.decoder = {i: tok for tok, i in self.encoder.items()}
        self.ranks = {pair: r for r, pair in enumerate(merges)}
        self.eot_id = self.encoder[self.EOT]
        self.cache = {}

    def bpe(self, chunk: str) -> list:
        """Apply merges to one pre-token: always merge the lowest-rank
        (earliest learned) pair present, until no known pair remains."""
        if chunk in self.cache:
            return self.cache[chunk]
        symbols = list(chunk)
        while len(symbols) > 1:
            pairs = set(zip(symbols, symbols[1:]))
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            symbols = merge_pair(symbols, best)
        self.cache[chunk] = symbols
        return symbols

    def encode(self, text: str, allow_special: bool = False) -> list:
        # Special tokens are only recognised when the caller opts in, so that
        # user text containing "<|endoftext|>" cannot inject a control token.
        parts = text.split(self.EOT) if allow_special else [text]
        ids = []
        for k, part in enumerate(parts):
            if k > 0:
                ids.append(self.eot_id)
            for chunk in pretokenize(part):
                ids.extend(self.encoder[s] for s in self.bpe(to_byte_chars(chunk)))
        return ids

    def decode(self, ids: list) -> str:
        # Map each token back to its bytes and decode UTF-8 once at the end:
        # a single token may hold half of a multi-byte character.
        special = {self.EOT}
        out, buf = [], []
        for tok in [self.decoder[i] for i in ids]:
            if tok in special:
                out.append(bytes(buf).decode("utf-8", errors="replace") + tok)
                buf = []
            else:
                buf.extend(BYTE_DECODER[c] for c in tok)
        out.append(bytes(buf).decode("utf-8", errors="replace"))
        return "".join(out)

    def __call__(self, texts: list, max_length: int = 1024, padding_side: str = "right"):
        """Batch-encode like a Hugging Face tokenizer called with
        padding=True, truncation=True, return_tensors="pt".

        GPT-2 has no pad token, so we pad with <|endoftext|>; the attention
        mask (1 = real token, 0 = padding) is what tells the model to ignore it."""
        seqs = [self.encode(t)[:max_length] for t in texts]
        width = max(len(s) for s in seqs)
        input_ids = torch.full((len(seqs), width), self.eot_id, dtype=torch.long)
        attention_mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for row, s in enumerate(seqs):
            # Left padding for batched generation: every prompt then ends at
            # the last column, where the next token is appended.
            start = width - len(s) if padding_side == "left" else 0
            input_ids[row, start:start + len(s)] = torch.tensor(s, dtype=torch.long)
            attention_mask[row, start:start + len(s)] = 1
        return {"input_ids": input_ids, "attention_mask": attention_mask}


def encode_reference(tok: GPT2StyleTokenizer, merges: list, text: str) -> list:
    """Slow reference: apply every merge once, in rank order, to each chunk.
    For a learned merges table this equals the lowest-rank-first loop, because
    a pair can only be learned after both of its parts exist."""
    ids = []
    for chunk in pretokenize(text):
        symbols = list(to_byte_chars(chunk))
        for pair in merges:
            symbols = merge_pair(symbols, pair)
        ids.extend(tok.encoder[s] for s in symbols)
    return ids


CORPUS = """
The tokenizer splits the text into words. The model reads the tokens, and the
tokens are the units the model predicts. Then the next token is sampled and the
text grows. There are 2019 tokens in the theory of the thing; there they go.
"""


def main():
    # 1. The byte table: a bijection onto printable characters.
    assert len(BYTE_ENCODER) == 256 and len(set(BYTE_ENCODER.values())) == 256
    assert all(c.isprintable() and not c.isspace() for c in BYTE_ENCODER.values())
    assert BYTE_ENCODER[ord(" ")] == "Ġ" and BYTE_ENCODER[ord("\n")] == "Ċ"

    # 2. Pre-tokenization: leading spaces stick to words; contractions split;
    #    in a run of spaces, the last one goes with the next word; \s+(?!\S)
    #    backtracks, so "\n\n" before a word comes out as two "\n" chunks.
    assert pretokenize("Hello world! It's 2019.") == \
        ["Hello", " world", "!", " It", "'s", " 2019", "."]
    assert pretokenize("a   b\n\nc") == ["a", "  ", " b", "\n", "\n", "c"]
    assert pretokenize("naïve café 東京") == ["naïve", " café", " 東京"]
    # A decomposed accent (e + U+0301 COMBINING ACUTE) is not a letter to either
    # pattern: GPT-2 itself splits it off, and so does the approximation.
    assert pretokenize("cafe\u0301") == ["cafe", "\u0301"]
    # The one real difference: "²" is \p{N} (a number) but not a decimal digit.
    assert pretokenize("x²") == (["x", "²"] if EXACT else ["x²"])

    merges = learn_merges(CORPUS, num_merges=60)
    tok = GPT2StyleTokenizer(merges)
    assert len(tok.encoder) == 256 + len(merges) + 1
    # Same id layout as GPT-2's real vocabulary for the byte tokens.
    assert tok.encoder["!"] == 0 and tok.encoder["Ċ"] == 198 and tok.encoder["Ġ"] == 220
    assert "Ġthe" in tok.encoder and "Ġtoken" in tok.encoder   # frequent words became tokens

    # 3. Round trips: ASCII, accented Latin, CJK, emoji (incl. a skin-tone
    #    modifier), whitespace, and the special token as plain text.
    samples = [
        "The tokens are the units the model predicts.",
        "naïve café in Zürich, déjà vu",
        "東京で会いましょう",
        "emoji: 🙂👍🏽 and 🇫🇷",
        "decomposed cafe\u0301 and हिन्दी (combining marks)",
        "tabs\tand\n\nnewlines   and  spaces ",
        "user text with <|endoftext|> inside",
    ]
    if EXACT:   # with the `regex` module available, check the approximation too
        assert all(std_re.findall(APPROX_PATTERN, s) == pretokenize(s) for s in samples)
    for s in samples:
        ids = tok.encode(s)
        assert tok.decode(ids) == s, s
        assert ids == encode_reference(tok, merges, s), s      # merge loop == reference
    # No unknown token exists: any character falls back to its UTF-8 bytes.
    assert len(tok.encode("🙂")) == 4                           # 4 bytes, no merges learned
    assert len(tok.encode(" the")) == 1                         # one merged token
    n_bytes = len(CORPUS.encode("utf-8"))
    n_tokens = len(tok.encode(CORPUS))
    assert n_tokens < 0.5 * n_bytes                             # BPE compresses

    # 4. Special tokens only when allowed.
    assert tok.eot_id not in tok.encode("a<|endoftext|>b")
    ids = tok.encode("a<|endoftext|>b", allow_special=True)
    assert ids.count(tok.eot_id) == 1 and tok.decode(ids) == "a<|endoftext|>b"

    # 5. A padded batch as PyTorch tensors.
    texts = ["The model reads the tokens.", "Hi", "emoji 🙂 and a long tail of text " * 3]
    batch = tok(texts, max_length=16)
    ids, mask = batch["input_ids"], batch["attention_mask"]
    lengths = [min(len(tok.encode(t)), 16) for t in texts]
    assert ids.dtype == torch.long and ids.shape == (3, max(lengths)) == mask.shape
    assert mask.sum(1).tolist() == lengths                      # mask counts real tokens
    assert (ids[mask == 0] == tok.eot_id).all()                 # padding is <|endoftext|>
    assert tok.decode(ids[0, :lengths[0]].tolist()) == texts[0]
    left = tok(texts, max_length=16, padding_side="left")
    assert (left["attention_mask"][:, -1] == 1).all()           # every row ends on a real token

    print(f"pre-tokenizer: {'exact (regex module)' if EXACT else 're approximation'}")
    print(f"vocab = 256 bytes + {len(merges)} merges + 1 special = {len(tok.encoder)} "
          f"(GPT-2: 256 + 50,000 + 1 = 50,257)")
    print(f"toy corpus: {n_bytes} bytes -> {n_tokens} tokens; all round trips exact")
    print("batch input_ids shape", tuple(ids.shape), "mask row sums", mask.sum(1).tolist())


if __name__ == "__main__":
    main()
