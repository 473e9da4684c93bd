"""Integrated gradients (Sundararajan et al., 2017) from scratch, checked against its axioms.

IG_i(x) = (x_i - x'_i) * integral_0^1 dF/dx_i (x' + a (x - x')) da
approximated by a midpoint Riemann sum with m steps. Completeness says
sum_i IG_i = F(x) - F(x'); the Riemann error should shrink as m grows (~1/m^2).
The model is a tiny token classifier: embeddings -> position-weighted pooling -> MLP -> logit.
Attributions are per embedding dimension, summed per token. torch only, CPU, < 1 s.
"""
import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)      # so the Riemann error, not rounding, dominates


class TinyClassifier(torch.nn.Module):
    def __init__(self, vocab=20, dim=8, seq=5):
        super().__init__()
        self.emb = torch.nn.Embedding(vocab, dim)
        pos = torch.ones(seq)
        pos[-1] = 0.0                       # the model ignores the last position entirely
        self.register_buffer("pos_weight", pos)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(dim, 16), torch.nn.GELU(), torch.nn.Linear(16, 1))

    def forward_from_embeddings(self, e):   # e: [batch, seq, dim]
        pooled = (e * self.pos_weight[None, :, None]).sum(1)
        return self.mlp(pooled).squeeze(-1)


def integrated_gradients(f, x, baseline, steps):
    alphas = (torch.arange(steps) + 0.5) / steps                 # midpoint rule
    path = baseline[None] + alphas[:, None, None] * (x - baseline)[None]
    path.requires_grad_(True)
    grads, = torch.autograd.grad(f(path).sum(), path)            # one batched backward pass
    return (x - baseline) * grads.mean(0)


def grad_times_input(f, x, baseline):
    x = x.clone().requires_grad_(True)
    g, = torch.autograd.grad(f(x[None]).sum(), x)
    return (x - baseline) * g


rows = []
for seed in range(5):
    torch.manual_seed(seed)
    model = TinyClassifier()
    f = model.forward_from_embeddings
    tokens = torch.randint(0, 20, (5,))
    x = model.emb(tokens).detach() * 3.0                         # scale up so the MLP is far from linear
    baseline = torch.zeros_like(x)                               # all-zero embedding baseline
    with torch.no_grad():
        delta = (f(x[None]) - f(baseline[None])).item()
    assert abs(delta) > 1e-2, "degenerate example: F(x) ~ F(baseline)"

    errs = {}
    for m in (4, 16, 64, 256):
        ig = integrated_gradients(f, x, baseline, m)
        errs[m] = abs(ig.sum().item() - delta)
        if m == 256:
            ig_tokens = ig.sum(1)                                # per-token attribution
    # completeness: the error shrinks as steps grow and is tiny at 256 steps
    assert errs[4] > errs[16] > errs[64] > errs[256], errs
    assert errs[256] < 1e-4 * max(1.0, abs(delta)), errs
    assert errs[4] / errs[64] > 30, "midpoint rule should converge roughly as 1/m^2"
    # dummy axiom: the ignored last position gets exactly zero attribution
    assert ig_tokens[-1].abs().item() < 1e-12
    # gradient x input is a one-point approximation and does not satisfy completeness
    gxi_err = abs(grad_times_input(f, x, baseline).sum().item() - delta)
    assert gxi_err > 100 * errs[256], "grad x input unexpectedly complete"
    rows.append((seed, delta, errs[4], errs[16], errs[64], errs[256], gxi_err))

print("seed  F(x)-F(x')  err m=4    err m=16   err m=64   err m=256  err grad*input")
for r in rows:
    print(f"{r[0]:4d}  {r[1]:+10.4f}  {r[2]:.2e}  {r[3]:.2e}  {r[4]:.2e}  {r[5]:.2e}  {r[6]:.2e}")
print("completeness holds with error falling ~1/m^2; ignored token gets 0; grad*input is not complete")
