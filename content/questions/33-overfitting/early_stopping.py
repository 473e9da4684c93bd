"""Overfitting a small fine-tuning set, and early stopping on a validation set.

Data: sentences from a random first-order Markov chain over 24 tokens (the
"true language"). A small next-token model that sees the previous TWO tokens is
trained, many epochs, on only 24 short sentences. With 24 x 24 possible contexts
and a few hundred training transitions, it can memorise the noise of its tiny
training set: training loss keeps falling while validation loss turns up.

Early stopping: evaluate on a held-out validation set after every epoch, keep
the checkpoint with the lowest validation loss, stop after `patience` epochs
without improvement. A third, untouched test set (disjoint from both, asserted)
checks that the chosen checkpoint really generalises better than the last one.
Two reference points: the same recipe with 5x more training sentences, and the
loss of the true Markov chain itself (the floor no model can beat on average).
Run: python3 early_stopping.py
"""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
V, LEN = 24, 12


def make_chain(gen):
    """Sparse-ish random transition matrix: each token has a few likely successors."""
    logits = 3.0 * torch.randn(V, V, generator=gen)
    return logits.softmax(-1)


def sample(chain, n, gen):
    x = torch.empty(n, LEN, dtype=torch.long)
    x[:, 0] = torch.randint(0, V, (n,), generator=gen)
    for t in range(1, LEN):
        x[:, t] = torch.multinomial(chain[x[:, t - 1]], 1, generator=gen).squeeze(1)
    return x


def windows(x):
    """(prev2, prev1) -> next, for every position with two tokens of context."""
    return x[:, :-2].reshape(-1), x[:, 1:-1].reshape(-1), x[:, 2:].reshape(-1)


class TinyLM(nn.Module):
    def __init__(self, d=16, hidden=64):
        super().__init__()
        self.emb = nn.Embedding(V, d)
        self.mlp = nn.Sequential(nn.Linear(2 * d, hidden), nn.ReLU(), nn.Linear(hidden, V))

    def loss(self, data):
        a, b, y = data
        # The model sees only (prev2, prev1), so run the MLP once per distinct context
        # and reuse its logits for every window with that context: the same loss, less work.
        ctx, inv = torch.unique(a * V + b, return_inverse=True)  # context id -> (ctx // V, ctx % V)
        prev2, prev1 = torch.div(ctx, V, rounding_mode="floor"), ctx % V
        logits = self.mlp(torch.cat([self.emb(prev2), self.emb(prev1)], -1))
        return F.cross_entropy(logits[inv], y)


def rows(t):
    return {tuple(r) for r in t.tolist()}


def run(seed, n_train=24, max_epochs=150, patience=15):
    gen = torch.Generator().manual_seed(seed)
    chain = make_chain(gen)
    train = sample(chain, n_train, gen)
    pool = [r for r in sample(chain, 300, gen).tolist() if tuple(r) not in rows(train)]
    pool = [list(r) for r in dict.fromkeys(tuple(r) for r in pool)]  # drop repeats
    val, test = torch.tensor(pool[:100]), torch.tensor(pool[100:200])
    assert len(test) == 100
    assert not rows(train) & rows(val) and not rows(train) & rows(test) and not rows(val) & rows(test)
    train, val, test = windows(train), windows(val), windows(test)
    _, b_tr, y_tr = train
    true_train = -chain[b_tr, y_tr].log().mean().item()  # the chain's own loss on the training text

    torch.manual_seed(seed)
    model = TinyLM()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    history, best, best_state, best_epoch, waited = [], math.inf, None, -1, 0
    for epoch in range(max_epochs):
        loss = model.loss(train)            # full batch: one step is one epoch
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            va = model.loss(val).item()
        history.append((loss.item(), va))   # train loss measured just before the step
        if va < best - 1e-4:
            best, best_state, best_epoch, waited = va, copy.deepcopy(model.state_dict()), epoch, 0
        else:
            waited += 1
            if waited >= patience and epoch >= 60:  # keep going a while to show the U-shape
                break
    a, b, y = test
    true_loss = -chain[b, y].log().mean().item()  # the data-generating chain's own loss
    with torch.no_grad():
        test_last = model.loss(test).item()
        model.load_state_dict(best_state)
        test_best = model.loss(test).item()
    return history, best_epoch, test_best, test_last, true_loss, true_train


for seed in range(3):
    history, best_epoch, test_best, test_last, true_loss, true_train = run(seed)
    tr_best, va_best = history[best_epoch]
    tr_last, va_last = history[-1]
    _, _, test_more_data, _, _, _ = run(seed, n_train=120, max_epochs=40)  # same chain, 5x the sentences
    print(f"seed {seed}: best epoch {best_epoch:2d} train {tr_best:.2f} val {va_best:.2f} | "
          f"last epoch {len(history) - 1} train {tr_last:.2f} val {va_last:.2f} | "
          f"test loss: early-stopped {test_best:.2f}, last {test_last:.2f}, "
          f"5x data {test_more_data:.2f}, true chain {true_loss:.2f}")
    if seed == 0:  # the curves drawn in loss-curves.svg
        print("  seed 0 every 10 epochs (train/val):", " ".join(f"{t:.2f}/{v:.2f}" for t, v in history[::10]))
    assert best_epoch < len(history) - 1 - 15, "validation loss should bottom out early"
    assert tr_last < tr_best - 0.2, "training loss keeps falling after the best epoch"
    assert va_last > va_best + 0.3, "validation loss turns up: overfitting"
    assert tr_last < true_train - 0.2, "below the true chain's loss on the same text: memorised noise"
    assert test_best < test_last - 0.3, "the early-stopped checkpoint generalises better"
    assert test_more_data < test_best - 0.1, "more data beats any stopping rule"
    assert true_loss < test_more_data, "no model beats the process that made the data"
print("ok: training loss fell while validation loss rose; the checkpoint picked on validation "
      "also wins on an untouched test set, and 5x more data wins by more")
