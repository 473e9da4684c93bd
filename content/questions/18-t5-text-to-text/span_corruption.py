"""T5's span-corruption objective and its text-to-text task format, from scratch.

What this file checks (run: python3 span_corruption.py):
  1. Span corruption as in T5: 15% of tokens corrupted, in spans of mean length 3; each
     span becomes ONE sentinel in the input, and the target lists sentinel + dropped span.
     Checked exactly per sequence and on average over 600 sequences x 5 seeds.
  2. Nothing is lost: input + target reconstruct the original sequence for every example.
  3. Targets are short: about 15% + spans + 1 tokens, which is why T5 found this objective
     cheaper than reconstructing the whole input.
  4. Text-to-text formatting: every task (translation, classification, regression) is
     input string -> output string; STS-B scores (1 to 5 in the paper) are rounded to the
     nearest 0.2, which the paper calls a 21-class problem.
"""
import numpy as np

WORDPIECES = 32000  # T5's SentencePiece vocabulary (Raffel et al., Sec. 3.1.3)
EXTRA_IDS = 100  # sentinels are added on top, not taken from the wordpieces (t5 code: extra_ids=100)
VOCAB = WORDPIECES + EXTRA_IDS  # 32,100 ids (Hugging Face pads the embedding to 32,128)
EOS = 1


def sentinel(i):
    """T5 uses the last vocabulary ids as sentinels: <extra_id_0> = 32099, <extra_id_1> = 32098..."""
    return VOCAB - 1 - i


assert sentinel(0) == 32099 and sentinel(EXTRA_IDS - 1) == WORDPIECES  # all 100 lie above the wordpieces


def noise_mask(length, rng, density=0.15, mean_span=3.0):
    """Boolean mask with round(length*density) noise tokens split into
    round(noise/mean_span) spans, interleaved with non-noise spans (after T5's
    random_spans_noise_mask). The sequence starts with a non-noise span."""
    n_noise = int(round(length * density))
    n_noise = min(max(n_noise, 1), length - 1)
    n_spans = max(int(round(n_noise / mean_span)), 1)
    n_clean = length - n_noise

    def segment(total, parts):
        # random composition of `total` into `parts` positive integers
        cuts = np.sort(rng.choice(np.arange(1, total), parts - 1, replace=False))
        return np.diff(np.concatenate([[0], cuts, [total]]))

    noise_lens, clean_lens = segment(n_noise, n_spans), segment(n_clean, n_spans)
    mask = np.zeros(length, dtype=bool)
    pos = 0
    for c, n in zip(clean_lens, noise_lens):
        pos += c
        mask[pos:pos + n] = True
        pos += n
    return mask


def corrupt(tokens, mask):
    """Return (input, target) for span corruption."""
    inp, tgt, k = [], [], 0
    for i, t in enumerate(tokens):
        if mask[i]:
            if i == 0 or not mask[i - 1]:  # first token of a span
                inp.append(sentinel(k))
                tgt.append(sentinel(k))
                k += 1
            tgt.append(t)
        else:
            inp.append(t)
    return inp + [EOS], tgt + [sentinel(k), EOS]  # final sentinel marks the end


def reconstruct(inp, tgt):
    spans, current = {}, None
    for t in tgt[:-1]:
        if t >= WORDPIECES:  # a sentinel opens a new span
            current = t
            spans[current] = []
        else:
            spans[current].append(t)
    out = []
    for t in inp[:-1]:
        out.extend(spans[t] if t >= WORDPIECES else [t])
    return out


# 1-3. Span corruption -----------------------------------------------------------------------
for seed in range(5):
    rng = np.random.default_rng(seed)
    n_tokens = n_noise = 0
    span_lens, in_lens, tgt_lens = [], [], []
    for _ in range(600):
        L = int(rng.integers(64, 513))  # varying lengths, so rounding effects average out
        tokens = list(rng.integers(100, WORDPIECES, L))  # ordinary (non-sentinel) ids
        mask = noise_mask(L, rng)
        inp, tgt = corrupt(tokens, mask)
        assert reconstruct(inp, tgt) == tokens  # lossless
        starts = np.flatnonzero(mask & ~np.concatenate([[False], mask[:-1]]))
        ends = np.flatnonzero(mask & ~np.concatenate([mask[1:], [False]]))
        lens = ends - starts + 1
        assert mask.sum() == round(L * 0.15) and len(lens) == round(mask.sum() / 3)
        assert len(inp) == L - mask.sum() + len(lens) + 1  # one sentinel per span, plus EOS
        assert len(tgt) == mask.sum() + len(lens) + 2  # spans + sentinels + final sentinel + EOS
        n_tokens += L
        n_noise += int(mask.sum())
        span_lens.extend(lens.tolist())
        in_lens.append(len(inp) / L)
        tgt_lens.append(len(tgt) / L)
    assert abs(n_noise / n_tokens - 0.15) < 0.002
    assert abs(np.mean(span_lens) - 3.0) < 0.05, np.mean(span_lens)
    # span lengths are random (not a fixed 3): many lengths occur, mostly short
    assert len(set(span_lens)) >= 6 and max(span_lens) > 6
    assert np.mean(tgt_lens) < 0.25  # targets are about a fifth of the input length

# 4. Text-to-text format -----------------------------------------------------------------
def stsb_target(score):
    return f"{round(score * 5) / 5:.1f}"  # nearest 0.2, written as text


examples = [
    ("translate English to German: That is good.", "Das ist gut."),
    ("cola sentence: The course is jumping well.", "not acceptable"),
    ("stsb sentence1: A man plays a guitar. sentence2: A man is playing music.", stsb_target(3.77)),
    ("summarize: state authorities dispatched emergency crews tuesday to survey the damage ...",
     "six people hospitalized after a storm in attala county."),
]
assert stsb_target(3.77) == "3.8" and stsb_target(4.91) == "5.0"
assert len({stsb_target(x / 100) for x in range(100, 501)}) == 21  # 1.0, 1.2, ..., 5.0: "21-class"
assert all(isinstance(x, str) and isinstance(y, str) for x, y in examples)

print(f"span corruption (seed 4): {n_noise / n_tokens:.3f} of tokens in spans of mean length "
      f"{np.mean(span_lens):.2f} (5 seeds x 600 sequences), lossless round trip")
print(f"input {np.mean(in_lens):.0%} and target {np.mean(tgt_lens):.0%} of the original length")
rng = np.random.default_rng(1)
toks = list(range(200, 240))
m = noise_mask(40, rng)
i, t = corrupt(toks, m)
show = lambda s: " ".join(f"<X{VOCAB - 1 - x}>" if x >= WORDPIECES else ("</s>" if x == EOS else str(x)) for x in s)
print("example input: ", show(i))
print("example target:", show(t))
for x, y in examples[:3]:
    print(f"{x!r} -> {y!r}")
