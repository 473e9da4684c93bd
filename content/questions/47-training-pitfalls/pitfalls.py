"""Catching five common LLM training pitfalls on CPU (run: python3 pitfalls.py).

What this file checks:
  1. Padding in the loss: a loss that counts pad tokens differs from the true loss; a masked
     loss (ignore_index) equals the token-weighted loss of the unpadded sequences. Averaging
     per-micro-batch means under gradient accumulation is also wrong when token counts differ.
  2. fp16 overflow: a sum of squares (as in a norm layer) overflows to inf in fp16 but not in
     bf16 or fp32, because fp16's largest finite value is 65,504.
  3. fp16 underflow and loss scaling: small gradients flush to zero in fp16; multiplying the
     loss by 2**16 keeps them, and dynamic loss scaling skips steps that overflow.
  4. Resuming from a checkpoint: restoring model, optimizer, RNG and data-order state gives a
     bit-identical run; forgetting the RNG state or the optimizer state does not.
  5. Test-set contamination: a 13-gram overlap check (as in GPT-3) flags a test item pasted
     into the training data with different case and spacing, and passes a clean one.
"""
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, IGNORE = 0, -100

# ---------- 1. padding tokens in the loss ----------
for seed in range(5):
    torch.manual_seed(seed)
    lengths, T, V = [5, 3, 2], 5, 11
    logits = torch.randn(3, T, V)
    labels = torch.randint(1, V, (3, T))
    for i, n in enumerate(lengths):
        labels[i, n:] = PAD  # right padding
    wrong = F.cross_entropy(logits.reshape(-1, V), labels.reshape(-1))  # pads count as targets
    masked_labels = labels.masked_fill(labels == PAD, IGNORE)
    masked = F.cross_entropy(logits.reshape(-1, V), masked_labels.reshape(-1), ignore_index=IGNORE)
    per_seq_sum = sum(F.cross_entropy(logits[i, :n], labels[i, :n], reduction="sum")
                      for i, n in enumerate(lengths))
    assert torch.allclose(masked, per_seq_sum / sum(lengths))  # true per-token loss
    assert not torch.allclose(wrong, masked)
    # gradient accumulation over two micro-batches with 8 and 2 target tokens
    mb = [(0, 1), (2,)]
    means = [F.cross_entropy(logits[list(ix)].reshape(-1, V), masked_labels[list(ix)].reshape(-1),
                             ignore_index=IGNORE) for ix in mb]
    naive = sum(means) / len(means)  # mean of micro-batch means: weights tokens unequally
    sums = [F.cross_entropy(logits[list(ix)].reshape(-1, V), masked_labels[list(ix)].reshape(-1),
                            ignore_index=IGNORE, reduction="sum") for ix in mb]
    correct = sum(sums) / sum(lengths)  # divide by the global number of target tokens
    assert torch.allclose(correct, masked) and not torch.allclose(naive, masked)

# ---------- 2. fp16 overflow in a norm-like reduction ----------
x = torch.full((8,), 300.0)  # large activations, plausible late in a diverging run
ms16 = (x.half() * x.half()).mean()  # 90,000 > 65,504 -> inf
ms_bf16 = (x.bfloat16() * x.bfloat16()).float().mean()
ms32 = (x * x).mean()
assert torch.isinf(ms16) and torch.finfo(torch.float16).max == 65504.0
assert torch.isfinite(ms_bf16) and abs(ms_bf16 - 90000) / 90000 < 0.01  # bf16: fp32's range
assert ms32 == 90000.0
assert (x.half() / ms16 == 0).all()  # dividing by inf silently zeroes the activations
assert torch.isnan(ms16 - ms16)  # and the next inf - inf (e.g. in the backward pass) is NaN

# ---------- 3. fp16 underflow, loss scaling, dynamic scaling ----------
torch.manual_seed(0)
g32 = torch.randn(10000) * 1e-7  # tiny gradients, below fp16's normal range (~6e-5)
no_scale = g32.half().float()  # what an fp16 backward pass would keep
lost = (no_scale == 0).float().mean().item()
assert lost > 0.2, lost  # a large fraction of the gradient vanishes
S = 2.0 ** 16
scaled = (g32 * S).half().float() / S  # scale the loss (hence gradients), unscale in fp32
assert (scaled == 0).sum() == (g32 == 0).sum()
rel = ((scaled - g32).norm() / g32.norm()).item()
assert rel < 1e-3, rel  # fp16 rounding error only


def dynamic_scale(grads32, scale, max_tries=40):
    """Halve the scale and skip the step while the scaled fp16 gradients overflow."""
    skipped = 0
    for _ in range(max_tries):
        g16 = (grads32 * scale).half()
        if torch.isfinite(g16).all():
            return g16.float() / scale, scale, skipped
        scale, skipped = scale / 2, skipped + 1
    raise RuntimeError("could not find a finite scale")


g_mixed = torch.cat([g32, torch.tensor([3.0, -5.0])])  # a few large gradients too
g_out, final_scale, skipped = dynamic_scale(g_mixed, 2.0 ** 24)
assert skipped > 0 and final_scale < 2.0 ** 24  # 5 * 2**24 overflows: steps were skipped
assert torch.isfinite(g_out).all() and abs(g_out[-1].item() + 5.0) < 1e-2


# ---------- 4. checkpoint / resume must restore RNG, optimizer and data order ----------
def make():
    torch.manual_seed(123)
    model = nn.Sequential(nn.Linear(6, 16), nn.Dropout(0.3), nn.Linear(16, 1))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    return model, opt


data_x, data_y = torch.randn(64, 6, generator=torch.Generator().manual_seed(7)), \
    torch.randn(64, 1, generator=torch.Generator().manual_seed(8))


def train(model, opt, gen, steps):
    for _ in range(steps):
        idx = torch.randperm(64, generator=gen)[:8]  # shuffling draws from the data generator
        loss = F.mse_loss(model(data_x[idx]), data_y[idx])  # dropout draws from the global RNG
        opt.zero_grad()
        loss.backward()
        opt.step()


model, opt = make()
gen = torch.Generator().manual_seed(99)
train(model, opt, gen, 6)
reference = torch.cat([p.flatten() for p in model.parameters()])


def resumed(restore_rng=True, restore_opt=True):
    model, opt = make()
    gen = torch.Generator().manual_seed(99)
    train(model, opt, gen, 3)
    ckpt = {"model": model.state_dict(), "opt": opt.state_dict(),
            "rng": torch.get_rng_state(), "data": gen.get_state()}
    torch.manual_seed(2024)  # the new process starts with some other RNG state
    model2, opt2 = make()
    model2.load_state_dict(ckpt["model"])
    if restore_opt:
        opt2.load_state_dict(ckpt["opt"])
    if restore_rng:
        torch.set_rng_state(ckpt["rng"])
    else:
        torch.manual_seed(2024)
    gen2 = torch.Generator()
    gen2.set_state(ckpt["data"])
    train(model2, opt2, gen2, 3)
    return torch.cat([p.flatten() for p in model2.parameters()])


assert torch.equal(resumed(), reference)  # bit-identical continuation
assert not torch.allclose(resumed(restore_rng=False), reference)  # different dropout masks
assert not torch.allclose(resumed(restore_opt=False), reference)  # Adam moments reset


# ---------- 5. n-gram contamination check ----------
def ngrams(text, n=13):
    words = re.findall(r"[a-z0-9]+", text.lower())  # normalise case, punctuation, spacing
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


train_docs = [
    "The mitochondria is the powerhouse of the cell and produces most of the chemical energy "
    "needed to power the biochemical reactions of the cell.",
    "QUESTION: A train leaves the station at 3 pm travelling at 60 miles per hour; how far has "
    "it gone by 5 pm?   ANSWER: 120 miles.",  # a benchmark item that leaked into a web page
]
test_items = [
    "Question: a train leaves the station at 3 pm travelling at 60 miles per hour; how far has it "
    "gone by 5 pm? Answer: 120 miles.",
    "Question: a cyclist rides at 12 miles per hour for two and a half hours; how many miles does "
    "the cyclist cover in total? Answer: 30 miles.",
]
train_grams = set().union(*(ngrams(d) for d in train_docs))
flags = [bool(ngrams(t) & train_grams) for t in test_items]
assert flags == [True, False], flags
clean_test = [t for t, f in zip(test_items, flags) if not f]
assert clean_test == [test_items[1]]


# Independent check of the filter (not the same n-gram code): the longest run of words the
# kept item shares with any training document is shorter than 13, and the leaked one's is not.
def longest_shared_run(a, b):
    wa, wb = re.findall(r"[a-z0-9]+", a.lower()), re.findall(r"[a-z0-9]+", b.lower())
    best, prev = 0, [0] * (len(wb) + 1)
    for x in wa:
        cur = [0] * (len(wb) + 1)
        for j, y in enumerate(wb, 1):
            if x == y:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


assert all(longest_shared_run(t, d) < 13 for t in clean_test for d in train_docs)
assert max(longest_shared_run(test_items[0], d) for d in train_docs) >= 13

print("1. masked loss == per-token loss of unpadded sequences; naive accumulation differs (5 seeds)")
print(f"2. mean(x^2) for x=300: fp16 {ms16.item()}, bf16 {ms_bf16.item():.0f}, fp32 {ms32.item():.0f}")
print(f"3. fp16 loses {lost:.0%} of 1e-7-scale gradients; with loss scale 2^16 none, rel. error "
      f"{rel:.1e}; dynamic scaling skipped {skipped} steps")
print("4. resume with RNG + optimizer + data state is bit-identical; without either it is not")
print("5. 13-gram check flags the leaked test item and passes the clean one")
