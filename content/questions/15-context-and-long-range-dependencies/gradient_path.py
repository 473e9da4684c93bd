"""Why attention handles long-range dependencies better than an RNN: path length.

We measure how strongly the final output depends on each input position,
as the norm of d(output)/d(x_j), for
  1. a vanilla tanh RNN, where x_1 reaches h_T through T-1 recurrent steps, and
  2. one causal self-attention layer, where every x_j reaches the last
     position through a single weighted sum (path length 1).
The RNN signal shrinks geometrically with distance; the attention signal does not.
The claim is checked for 20 random seeds (fresh inputs and weights each time),
not for one lucky draw.
"""
import math

import torch

T, d = 64, 16                      # sequence length, model width
rho = 0.9                          # spectral norm of the RNN's recurrent matrix
SEEDS = range(20)
# Distance of each position j < T-1 from the last token (the last one also feeds the query).
dist = torch.arange(T - 1, 0, -1, dtype=torch.float64)


def decay_rate(g):
    """Least-squares slope of log|grad| against distance, over positions 0..T-2.
    A slope of s means the gradient shrinks by a factor e^s per token of distance."""
    y = g[:-1].double().log()
    xc = dist - dist.mean()
    return float((xc * (y - y.mean())).sum() / (xc * xc).sum())


def run(seed):
    torch.manual_seed(seed)
    x = torch.randn(T, d)
    readout = torch.randn(d)       # turn the final vector into a scalar "loss"

    def grad_norms(forward):
        """Return ||d readout.y_T / d x_j|| for every position j."""
        xs = x.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(readout @ forward(xs), xs)
        return g.norm(dim=-1)

    # ---- 1. vanilla RNN: h_t = tanh(W h_{t-1} + U x_t) -----------------------
    W = rho * torch.linalg.qr(torch.randn(d, d))[0]         # scaled orthogonal
    U = torch.randn(d, d) / math.sqrt(d)

    def rnn(xs):
        h = torch.zeros(d)
        for t in range(T):                                  # T sequential steps
            h = torch.tanh(W @ h + U @ xs[t])
        return h

    g_rnn = grad_norms(rnn)
    # Chain rule: dh_T/dx_j = (prod of diag(tanh') W over T-1-j steps) diag(tanh') U.
    # |tanh'| <= 1 and ||W||_2 = rho, so the gradient is bounded by rho^(T-1-j) ||U|| ||r||.
    bound = torch.tensor([rho ** (T - 1 - j) for j in range(T)])
    bound = bound * torch.linalg.matrix_norm(U, ord=2) * readout.norm()
    assert torch.all(g_rnn <= bound + 1e-6), f"seed {seed}: RNN gradient breaks the rho^k bound"
    assert g_rnn[0] / g_rnn[-1] < 1e-2, f"seed {seed}: first token's signal should have vanished"

    # ---- 2. one causal self-attention layer (single head, for clarity) -------
    Wq, Wk, Wv = (torch.randn(d, d) / math.sqrt(d) for _ in range(3))

    def attention_last(xs):
        q = xs[-1] @ Wq                   # only the last position's output is used
        k, v = xs @ Wk, xs @ Wv           # all T positions are visible (causal: j <= T)
        a = torch.softmax(k @ q / math.sqrt(d), dim=0)
        return a @ v                      # one weighted sum: path length 1 for every j

    g_att = grad_norms(attention_last)
    s_rnn, s_att = decay_rate(g_rnn), decay_rate(g_att)
    # RNN: at least the rho^k rate (log 0.9 = -0.105 per token). Attention: no trend with
    # distance; per-token content noise leaves a slope near 0 (|s| < 0.04 means less than a
    # factor e over 25 tokens, against e^-2.6 for the rho bound alone).
    assert s_rnn < math.log(rho), f"seed {seed}: RNN slope {s_rnn:.3f}"
    assert abs(s_att) < 0.04, f"seed {seed}: attention slope {s_att:.3f}"
    far, near = g_att[: T // 4].mean(), g_att[3 * T // 4: -1].mean()
    return float(g_rnn[0] / g_rnn[-1]), s_rnn, s_att, float(far / near)


results = [run(s) for s in SEEDS]
# Pooled over seeds, far and near tokens get the same gradient on average (geometric mean).
gm_far_near = math.exp(sum(math.log(r[3]) for r in results) / len(results))
assert 0.5 < gm_far_near < 2.0, gm_far_near

print(f"{len(results)} seeds. RNN: |grad x_1|/|grad x_T| <= {max(r[0] for r in results):.1e}, "
      f"log-slope per token {min(r[1] for r in results):.2f} to {max(r[1] for r in results):.2f}")
print(f"Attention: log-slope per token {min(r[2] for r in results):+.3f} to "
      f"{max(r[2] for r in results):+.3f}; far/near gradient (geometric mean) = {gm_far_near:.2f}")
print("OK: RNN signal decays geometrically with distance for every seed; attention's does not.")
