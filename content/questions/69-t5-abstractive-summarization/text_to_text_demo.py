"""T5's text-to-text recipe, from scratch, on a tiny encoder-decoder.

Every task is "string in, string out"; a task prefix in the input tells the one
model which task to do. Here a single model learns two toy tasks:

    "summarize: red red blue green green"  ->  "red blue green"  (collapse repeats)
    "headline: red red blue green green"   ->  "red"             (first word only)

Training is teacher-forced cross-entropy on the target tokens. Decoding starts
from the decoder start token (T5 reuses the pad id, 0, and so do we) and stops
at </s>. The input space is split once into train and held-out word sequences
(disjoint, asserted); greedy and beam search must reproduce exact outputs on held-out inputs.
"""
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, EOS = 0, 1                 # pad doubles as the decoder start token, as in T5
PREFIXES = ["summarize:", "headline:"]
WORDS = ["red", "green", "blue", "cat", "dog", "sun", "sea", "tree"]
VOCAB = ["<pad>", "</s>"] + PREFIXES + WORDS
ID = {w: i for i, w in enumerate(VOCAB)}
MAX_NEW = 8


def encode(text):               # a word-level "tokenizer": text -> ids, then </s>
    return [ID[w] for w in text.split()] + [EOS]


def decode(ids):
    words = []
    for i in ids:
        if i == EOS:
            break
        if i != PAD:
            words.append(VOCAB[i])
    return " ".join(words)


def solve(task, words):         # ground truth for the toy tasks
    if task == "summarize:":
        return [w for i, w in enumerate(words) if i == 0 or w != words[i - 1]]
    return words[:1]


def all_inputs():               # every input: 2-3 runs, each of 1-2 copies of a word
    out = []

    def grow(words, runs):
        if runs >= 2:
            out.append(tuple(words))
        if runs == 3:
            return
        for w in WORDS:
            if words and w == words[-1]:
                continue
            for copies in (1, 2):
                grow(words + [w] * copies, runs + 1)

    grow([], 0)
    return out


def split_inputs(held_out_texts, test_fraction=0.2, seed=0):
    """Split the whole input space once. A word sequence goes to train or test, under
    both prefixes, so no test input is ever seen in training, whatever the task."""
    inputs = all_inputs()
    random.Random(seed).shuffle(inputs)
    n_test = int(test_fraction * len(inputs))
    test = set(inputs[:n_test]) | set(held_out_texts)   # the named examples are test inputs
    train = [x for x in inputs if x not in test]
    return train, sorted(test)


def pad_batch(seqs):
    L = max(len(s) for s in seqs)
    return torch.tensor([s + [PAD] * (L - len(s)) for s in seqs])


class TinyT5(nn.Module):
    """Encoder-decoder with pre-norm layers (as in T5) and one token-embedding table
    shared by encoder and decoder. T5 uses relative position biases; learned absolute
    positions keep this sample short."""

    def __init__(self, d=32):
        super().__init__()
        self.emb = nn.Embedding(len(VOCAB), d)
        self.pos = nn.Embedding(16, d)
        kw = dict(d_model=d, nhead=2, dim_feedforward=64, dropout=0.0,
                  batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(**kw), 1,
                                             norm=nn.LayerNorm(d), enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(**kw), 1,
                                             norm=nn.LayerNorm(d))
        self.lm_head = nn.Linear(d, len(VOCAB))

    def embed(self, ids):
        return self.emb(ids) + self.pos(torch.arange(ids.size(1)))

    def encode(self, src):      # run once per input, reused at every decoding step
        return self.encoder(self.embed(src), src_key_padding_mask=src == PAD)

    def decode(self, memory, src, dec_in):
        T = dec_in.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        h = self.decoder(self.embed(dec_in), memory, tgt_mask=causal,
                         memory_key_padding_mask=src == PAD)
        return self.lm_head(h)

    def forward(self, src, dec_in):
        return self.decode(self.encode(src), src, dec_in)


def shift_right(labels):
    """Teacher forcing: decoder input = [start] + labels[:-1]; pads in labels -> -100."""
    dec_in = torch.full_like(labels, PAD)
    dec_in[:, 1:] = labels[:, :-1]
    return dec_in, labels.masked_fill(labels == PAD, -100)


@torch.no_grad()
def greedy(model, text):
    src = torch.tensor([encode(text)])
    memory, out = model.encode(src), [PAD]
    for _ in range(MAX_NEW):
        nxt = model.decode(memory, src, torch.tensor([out]))[0, -1].argmax().item()
        out.append(nxt)
        if nxt == EOS:
            break
    return decode(out[1:])


@torch.no_grad()
def beam_search(model, text, num_beams=3, length_penalty=1.0):
    """Keep the num_beams best prefixes by total log-prob. A hypothesis that emits
    </s> is set aside with score logp / len**length_penalty (so length_penalty > 0
    favours longer outputs); stop once num_beams hypotheses have finished."""
    src = torch.tensor([encode(text)])
    memory = model.encode(src)
    beams, finished = [([PAD], 0.0)], []
    for _ in range(MAX_NEW):
        n = len(beams)
        logits = model.decode(memory.expand(n, -1, -1), src.expand(n, -1),
                              torch.tensor([seq for seq, _ in beams]))
        logp = F.log_softmax(logits[:, -1], dim=-1)
        cand = []
        for (seq, score), row in zip(beams, logp):
            top = row.topk(num_beams)
            cand += [(seq + [i.item()], score + v.item()) for v, i in zip(top.values, top.indices)]
        cand.sort(key=lambda c: c[1], reverse=True)
        beams = []
        for seq, score in cand:
            if seq[-1] == EOS:
                finished.append((seq, score / (len(seq) - 1) ** length_penalty))
            else:
                beams.append((seq, score))
            if len(beams) == num_beams:
                break
        if not beams or len(finished) >= num_beams:
            break
    best = max(finished or beams, key=lambda c: c[1])
    return decode(best[0][1:])


def main():
    torch.manual_seed(0)
    rng = random.Random(0)

    held_out = {
        ("summarize:", "sun sun dog cat cat"): "sun dog cat",
        ("summarize:", "tree sea sea"): "tree sea",
        ("summarize:", "blue blue green blue"): "blue green blue",
        ("summarize:", "cat cat dog dog"): "cat dog",
        ("headline:", "cat cat dog dog"): "cat",
        ("headline:", "red tree tree green"): "red",
    }
    for (task, text), target in held_out.items():
        assert " ".join(solve(task, text.split())) == target

    train_inputs, test_inputs = split_inputs({tuple(text.split()) for _, text in held_out})
    assert not set(train_inputs) & set(test_inputs)     # disjoint, checked
    seen = set()

    def batch(n):
        src, tgt = [], []
        while len(src) < n:
            # 3:1 mix of the two tasks; one model, the prefix says which task.
            task = rng.choice(["summarize:"] * 3 + ["headline:"])
            words = list(rng.choice(train_inputs))
            seen.add(tuple(words))
            src.append(encode(task + " " + " ".join(words)))
            tgt.append(encode(" ".join(solve(task, words))))
        return pad_batch(src), pad_batch(tgt)

    model = TinyT5()
    steps = 250
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1 - s / steps)  # linear decay
    losses = []
    for _ in range(steps):
        src, labels = batch(24)
        dec_in, labels = shift_right(labels)
        logits = model(src, dec_in)
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1),
                               ignore_index=-100)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    final = sum(losses[-20:]) / 20
    print(f"train loss: {losses[0]:.3f} -> {final:.4f}")
    assert final < 0.05 * losses[0]

    model.eval()
    for (task, text), target in held_out.items():
        g = greedy(model, f"{task} {text}")
        b = beam_search(model, f"{task} {text}", num_beams=3)
        print(f"{task:11} {text:22} -> greedy {g!r:16} beam {b!r}")
        assert g == target and b == target, (task, text, g, b)

    # Beam search with a single beam is greedy search.
    assert beam_search(model, "summarize: sea sea tree", num_beams=1) == greedy(model, "summarize: sea sea tree")

    # Exact-match accuracy on 100 held-out inputs (both tasks), none of them seen in training.
    assert not seen & set(test_inputs)
    test_rng, correct, n = random.Random(123), 0, 100
    for words in test_rng.sample(test_inputs, n):
        task = test_rng.choice(PREFIXES)
        correct += greedy(model, task + " " + " ".join(words)) == " ".join(solve(task, words))
    print(f"{len(train_inputs)} train / {len(test_inputs)} held-out inputs (disjoint); "
          f"greedy exact match on {n} held-out inputs: {correct}/{n}")
    assert correct >= 95
    print("all text-to-text checks passed")


if __name__ == "__main__":
    main()
