"""DP-SGD (Abadi et al., 2016) from scratch: per-example clipping + Gaussian noise.

One DP-SGD step on a batch B:
    g_i      = grad of loss on example i                (per-example gradient)
    g_i_bar  = g_i * min(1, C / ||g_i||)                (clip to L2 norm <= C)
    g_noisy  = (sum_i g_i_bar + N(0, sigma^2 C^2 I)) / |B|
The clipping bounds each example's influence on the sum by C (the sensitivity);
the noise, scaled to that bound, is what a privacy accountant turns into (epsilon, delta).
Accounting itself is left to a library (e.g. Opacus' RDP/PRV accountant).
torch only, CPU, about a second.
"""
import torch

torch.manual_seed(0)
torch.set_num_threads(1)


def make_model():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))


def per_example_grads(model, x, y):
    """Loop over the batch: one backward pass per example (torch 1.13 and 2.x safe)."""
    grads = []
    for i in range(x.shape[0]):
        model.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(x[i:i + 1]).squeeze(1), y[i:i + 1])
        loss.backward()
        grads.append(torch.cat([p.grad.reshape(-1) for p in model.parameters()]))
    return torch.stack(grads)                                  # [batch, n_params]


def clip(grads, C):
    norms = grads.norm(dim=1, keepdim=True)
    return grads * torch.clamp(C / (norms + 1e-12), max=1.0)


def privatize(grads, C, sigma, gen):
    """The DP-SGD aggregation: clip each row, sum, add N(0, sigma^2 C^2 I), divide by batch size."""
    g = clip(grads, C)
    return (g.sum(0) + torch.randn(g.shape[1], generator=gen) * sigma * C) / grads.shape[0]


def dp_sgd_step(model, x, y, C, sigma, lr, gen):
    noisy = privatize(per_example_grads(model, x, y), C, sigma, gen)
    offset = 0
    with torch.no_grad():
        for p in model.parameters():
            n = p.numel()
            p -= lr * noisy[offset:offset + n].view_as(p)
            offset += n


def data(n, gen):
    x = torch.randn(n, 4, generator=gen)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).float()
    return x, y


C, SIGMA = 1.0, 1.0
gen = torch.Generator().manual_seed(0)
model = make_model()
x, y = data(32, gen)
x[0] *= 50.0                                                  # an outlier with a huge gradient
y[0] = 1.0 - y[0]

# 1. per-example gradients are right: they sum to the batch gradient
g = per_example_grads(model, x, y)
model.zero_grad()
torch.nn.functional.binary_cross_entropy_with_logits(model(x).squeeze(1), y, reduction="sum").backward()
batch_grad = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
assert torch.allclose(g.sum(0), batch_grad, atol=1e-5), "per-example grads must sum to the batch grad"

# 2. clipping: every norm <= C, small gradients untouched, direction preserved
gc = clip(g, C)
norms_before, norms_after = g.norm(dim=1), gc.norm(dim=1)
assert (norms_after <= C + 1e-5).all(), "a clipped per-example norm exceeds C"
small = norms_before <= C
assert torch.allclose(gc[small], g[small]), "gradients already below C must not change"
cos = torch.nn.functional.cosine_similarity(gc, g, dim=1)
assert (cos > 1 - 1e-5).all(), "clipping must only rescale"
assert norms_before[0] > 5 * C, "the outlier should have had a large gradient"

# 3. sensitivity: on the neighbouring batch without the outlier (recomputed from scratch),
#    the clipped sum moves by at most C; the unclipped sum moves by the outlier's full norm
total = gc.sum(0)
g_nb = per_example_grads(model, x[1:], y[1:])
max_shift = (total - clip(g_nb, C).sum(0)).norm().item()
unclipped_shift = (g.sum(0) - g_nb.sum(0)).norm().item()
assert max_shift <= C + 1e-5 and unclipped_shift > 5 * C

# 4. noise, measured from the aggregation that training uses. C and sigma differ here
#    (0.5 and 1.3), so scaling the noise by sigma alone, C alone or sigma^2 C^2 would fail.
C4, S4, B = 0.5, 1.3, x.shape[0]
outs = torch.stack([privatize(g, C4, S4, gen) for _ in range(4000)])
clipped_mean = clip(g, C4).sum(0) / B
noise = (outs - clipped_mean) * B                              # noise added to the clipped sum
measured = noise.std(dim=0)
assert ((measured - S4 * C4).abs() < 0.06 * S4 * C4).all(), f"noise std off: {measured.min():.3f}..{measured.max():.3f}"
se = S4 * C4 / B / 4000 ** 0.5                                 # standard error of the mean output
assert ((outs.mean(0) - clipped_mean).abs() < 5 * se).all(), "output must be centred on the clipped mean"
snr = total.norm().item() / (SIGMA * C * gc.shape[1] ** 0.5)   # signal vs expected noise norm

# 5. DP-SGD still learns on this toy task, for several seeds
accs = []
for seed in range(3):
    torch.manual_seed(seed)
    gen_s = torch.Generator().manual_seed(100 + seed)
    m = make_model()
    xtr, ytr = data(512, gen_s)
    xte, yte = data(512, gen_s)
    for step in range(40):
        idx = torch.randint(0, 512, (32,), generator=gen_s)
        dp_sgd_step(m, xtr[idx], ytr[idx], C, SIGMA, lr=0.5, gen=gen_s)
    with torch.no_grad():
        accs.append(((m(xte).squeeze(1) > 0).float() == yte).float().mean().item())
assert min(accs) > 0.85, f"DP-SGD failed to learn: {accs}"

print(f"per-example norms before clip: max {norms_before.max():.2f}, after: max {norms_after.max():.3f} (C={C})")
print(f"removing the outlier moves the clipped sum by {max_shift:.3f} (unclipped sum: {unclipped_shift:.2f})")
print(f"measured noise std per coordinate: {measured.min():.3f}-{measured.max():.3f} (target sigma*C={S4 * C4:.2f})")
print(f"batch of 32: clipped-sum norm / expected noise norm = {snr:.2f}")
print("DP-SGD test accuracy over 3 seeds:", ", ".join(f"{a:.1%}" for a in accs))
