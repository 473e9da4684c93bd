"""Vocabulary management for a byte-level BPE tokenizer, from scratch.

What this file checks (run: python3 vocab_management.py):
  1. Vocabulary size trade-off: on held-out English text (disjoint from the training
     corpus, asserted) more merges never increase the token count, the gain per added
     merge shrinks, and the embedding + output parameter count grows linearly with V.
  2. Tokens per character differ by script for one tokenizer trained on English-heavy
     text: held-out English < German < Russian < Hindi (bytes per character 1 / ~1 / 2 / 3).
  3. Special tokens are reserved ids that user text cannot produce: a literal
     "<|endoftext|>" in untrusted input is encoded as ordinary bytes, and only becomes the
     control id when the caller explicitly allows it.
  4. Adding a token and resizing a tied embedding matrix: old rows and the model's
     relative probabilities over old tokens are unchanged; initialising the new row to the
     mean of the old rows bounds the new token's probability by 1/V_old (Jensen), while a
     default N(0, 1) init violates that bound for some hidden states (checked over seeds).
"""
import re
from collections import Counter

import torch
import torch.nn as nn

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
    """Byte-level BPE: most frequent pair wins, ties broken by smallest ids."""
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


class Tokenizer:
    def __init__(self, merges, special=("<|endoftext|>",)):
        self.merges = merges
        self.vocab = {i: bytes([i]) for i in range(256)}
        for (a, b), i in merges.items():
            self.vocab[i] = self.vocab[a] + self.vocab[b]
        # Special tokens get ids after the merges; they are never produced by merging.
        self.special = {s: len(self.vocab) + k for k, s in enumerate(special)}
        self.added = {}  # ordinary added tokens (whole strings), e.g. domain terms

    def __len__(self):
        return len(self.vocab) + len(self.special) + len(self.added)

    def add_token(self, s):
        self.added[s] = len(self)
        return self.added[s]

    def _bpe(self, chunk):
        seq = tuple(chunk)
        while len(seq) > 1:
            ranked = [(self.merges[p], p) for p in zip(seq, seq[1:]) if p in self.merges]
            if not ranked:
                break
            new_id, pair = min(ranked)
            seq = merge_pair(seq, pair, new_id)
        return list(seq)

    def _encode_ordinary(self, text):
        ids = []
        # Added tokens are matched before BPE (longest first), like tokenizers' added vocab.
        if self.added:
            pattern = "(" + "|".join(re.escape(s) for s in sorted(self.added, key=len, reverse=True)) + ")"
            parts = re.split(pattern, text)
        else:
            parts = [text]
        for part in parts:
            if part in self.added:
                ids.append(self.added[part])
            else:
                for m in PRETOKENIZE.finditer(part):
                    ids.extend(self._bpe(m.group().encode()))
        return ids

    def encode(self, text, allowed_special=()):
        if not allowed_special:
            return self._encode_ordinary(text)  # untrusted text: specials are plain bytes
        pattern = "(" + "|".join(re.escape(s) for s in allowed_special) + ")"
        ids = []
        for part in re.split(pattern, text):
            ids.extend([self.special[part]] if part in allowed_special else self._encode_ordinary(part))
        return ids

    def decode(self, ids):
        inv_special = {i: s.encode() for s, i in list(self.special.items()) + list(self.added.items())}
        return b"".join(inv_special.get(i) or self.vocab[i] for i in ids).decode("utf-8")


# ---------------------------------------------------------------------------------------
train_text = (
    "The model reads the text and predicts the next token. " * 12
    + "A larger vocabulary makes sequences shorter but the embedding matrix larger. " * 8
    + "Tokenizers are trained once and then frozen with the model weights. " * 8
    + "Das Modell liest den Text und sagt das nächste Token voraus. " * 2
    + "Модель читает текст и предсказывает следующий токен. " * 1
)
held_out = {
    "English": "The tokenizer reads a sentence and the model predicts the next word.",
    "German": "Der Tokenizer liest einen Satz und das Modell sagt das nächste Wort voraus.",
    "Russian": "Токенизатор читает предложение, а модель предсказывает следующее слово.",
    "Hindi": "टोकनाइज़र एक वाक्य पढ़ता है और मॉडल अगला शब्द बताता है।",
}
for s in held_out.values():  # held-out sentences must not occur in the training text
    assert s not in train_text and s[:30] not in train_text

# 1. Vocabulary size sweep on held-out English.
d_model = 512
sizes = [0, 25, 50, 100, 200]
en = held_out["English"]
all_merges = train_bpe(train_text, max(sizes))  # training is greedy, so the first k merges
rows = []                                         # of this run are exactly a k-merge run
assert len(all_merges) == max(sizes)
for k in sizes:
    tok = Tokenizer(dict(list(all_merges.items())[:k]))
    ids = tok.encode(en)
    assert tok.decode(ids) == en
    rows.append((len(tok), len(ids), 2 * len(tok) * d_model))  # untied input + output matrices
counts = [r[1] for r in rows]
assert counts[0] == len(en.encode())  # no merges: one token per byte
assert all(a >= b for a, b in zip(counts, counts[1:])), counts
gain_first = (counts[0] - counts[1]) / (sizes[1] - sizes[0])
gain_last = (counts[-2] - counts[-1]) / (sizes[-1] - sizes[-2])
assert gain_first > 5 * gain_last, (gain_first, gain_last)  # diminishing returns
assert all(r[2] == 2 * r[0] * d_model for r in rows) and rows[-1][2] > rows[0][2]

# 2. Tokens per character across scripts, same tokenizer (200 merges).
tok = Tokenizer(all_merges)
tpc, bpc = {}, {}
for lang, s in held_out.items():
    ids = tok.encode(s)
    assert tok.decode(ids) == s
    tpc[lang] = len(ids) / len(s)
    bpc[lang] = len(s.encode()) / len(s)
assert tpc["English"] < tpc["German"] < tpc["Russian"] < tpc["Hindi"], tpc
assert bpc["English"] == 1.0 and 1.8 < bpc["Russian"] <= 2.0 and 2.5 < bpc["Hindi"] <= 3.0

# 3. Special tokens.
eot = tok.special["<|endoftext|>"]
user_text = "ignore this <|endoftext|> and continue"
plain = tok.encode(user_text)
assert eot not in plain and tok.decode(plain) == user_text
trusted = tok.encode("doc one<|endoftext|>doc two", allowed_special={"<|endoftext|>"})
assert trusted.count(eot) == 1 and tok.decode(trusted) == "doc one<|endoftext|>doc two"

# 4. Add a domain token, then resize a tied embedding / output matrix.
word = " nanobody"
before = tok.encode("a" + word)
new_id = tok.add_token(word)
after = tok.encode("a" + word)
assert len(before) > 2 and after[-1] == new_id and len(after) == 2
assert tok.decode(after) == "a" + word


def resize_tied(emb, new_size, init):
    old_n, d = emb.weight.shape
    new = nn.Embedding(new_size, d)
    with torch.no_grad():
        new.weight[:old_n] = emb.weight
        if init == "mean":
            new.weight[old_n:] = emb.weight.mean(dim=0, keepdim=True)
        # init == "default": keep nn.Embedding's N(0, 1) rows
    return new


violations = 0
for seed in range(20):
    torch.manual_seed(seed)
    v_old, d = len(tok) - 1, 64
    emb = nn.Embedding(v_old, d)
    with torch.no_grad():
        emb.weight.mul_(0.1)  # trained embeddings are typically much smaller than N(0, 1)
    h = torch.randn(8, d)  # final hidden states for 8 positions
    p_old = torch.softmax(h @ emb.weight.T, dim=-1)
    for init in ("mean", "default"):
        emb2 = resize_tied(emb, v_old + 1, init)
        assert torch.equal(emb2.weight[:v_old], emb.weight)
        p_new = torch.softmax(h @ emb2.weight.T, dim=-1)
        renorm = p_new[:, :v_old] / p_new[:, :v_old].sum(-1, keepdim=True)
        assert torch.allclose(renorm, p_old, atol=1e-6)  # relative odds of old tokens unchanged
        bound_ok = bool((p_new[:, -1] <= 1.0 / v_old + 1e-7).all())
        if init == "mean":
            assert bound_ok  # exp(mean logit) <= mean exp(logit)
        else:
            violations += not bound_ok
assert violations >= 15, violations  # a random N(0, 1) row usually dominates some position

print("merges  vocab  tokens(held-out EN)  emb+out params (d=512)")
for k, (v, n, p) in zip(sizes, rows):
    print(f"{k:6d} {v:6d} {n:12d} {p:20,d}")
print("tokens per character:", {k: round(v, 2) for k, v in tpc.items()})
print(f"special token id {eot} appears only when allowed; added token '{word.strip()}' -> id {new_id}")
print(f"mean-init keeps new-token prob <= 1/V_old in 20/20 seeds; N(0,1) init violates it in {violations}/20")
print("all checks passed")
