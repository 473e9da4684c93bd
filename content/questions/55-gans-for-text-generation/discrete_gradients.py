"""Why GANs struggle with text: no gradient flows through a sampled token.

1. argmax / sampling: the discriminator's score of a sampled token has no gradient
   with respect to the generator's logits (None in autograd, zero by finite differences).
2. REINFORCE (score function), as in SeqGAN: unbiased, checked against the exact gradient.
   A baseline cuts its variance.
3. Gumbel-softmax, straight-through: one-hot forward, nonzero (but biased) gradient backward.
4. A tiny SeqGAN-style loop: generator and discriminator trained adversarially,
   with log D(fake) used as the REINFORCE reward.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(0)
V = 6                                                    # vocabulary size

logits = torch.randn(V, requires_grad=True)              # generator output for one position
reward = torch.tensor([0.1, 0.9, 0.2, 0.4, 0.0, 0.6])    # "discriminator score" of each token
emb = torch.randn(V, 4)                                  # what a discriminator would read

# ---------------------------------------------------------------------------
# 1. The dead end: argmax or sample, then score.
# ---------------------------------------------------------------------------
tok = torch.argmax(logits)                               # integer index: no grad_fn
assert tok.grad_fn is None and not tok.requires_grad
sampled = torch.multinomial(F.softmax(logits, -1), 1)    # same for a sample
assert sampled.grad_fn is None

score = reward[tok] + emb[sampled].sum()                 # the score cannot "see" the logits
assert not score.requires_grad                           # so backward() is impossible
try:
    score.backward()
    raise AssertionError("expected backward to fail")
except RuntimeError:
    pass

# Finite differences: the score of the argmax token is piecewise constant in the logits,
# so its derivative is zero almost everywhere (and undefined at ties).
with torch.no_grad():
    base = reward[torch.argmax(logits)]
    fd = torch.stack([(reward[torch.argmax(logits + 1e-4 * F.one_hot(torch.tensor(i), V))] - base) / 1e-4
                      for i in range(V)])
assert torch.all(fd == 0)

# ---------------------------------------------------------------------------
# 2. REINFORCE: grad E_p[r(y)] = E_p[(r(y) - b) * grad log p(y)]
# ---------------------------------------------------------------------------
# Exact gradient (possible here only because V is tiny; a sequence of T tokens has V^T outcomes).
exact = torch.autograd.grad((F.softmax(logits, -1) * reward).sum(), logits)[0]

N = 20_000
with torch.no_grad():
    ys = torch.multinomial(F.softmax(logits, -1), N, replacement=True)
r = reward[ys]
logp = F.log_softmax(logits, -1)[ys]

# Per-sample estimator: (r - b) * (onehot(y) - p). Autograd for the mean, closed form for the variance.
p = F.softmax(logits, -1).detach()
per_sample = (F.one_hot(ys, V).float() - p)              # grad of log p(y) w.r.t. logits
est_no_base = (r[:, None] * per_sample)
b = r.mean()                                             # simplest baseline: average reward
est_base = ((r - b)[:, None] * per_sample)

surrogate = -((r - b).detach() * logp).mean()            # what a training loop minimises
g_auto = -torch.autograd.grad(surrogate, logits)[0]
assert torch.allclose(g_auto, est_base.mean(0), atol=1e-5)

for est in (est_no_base.mean(0), est_base.mean(0)):
    assert F.cosine_similarity(est, exact, dim=0) > 0.99
    assert (est - exact).norm() / exact.norm() < 0.1
var_no_base, var_base = est_no_base.var(0).sum().item(), est_base.var(0).sum().item()
assert var_base < var_no_base                            # same mean, less noise

# ---------------------------------------------------------------------------
# 3. Gumbel-softmax with the straight-through trick
# ---------------------------------------------------------------------------
y_hard = F.gumbel_softmax(logits, tau=0.5, hard=True)    # exactly one-hot in the forward pass
assert torch.all((y_hard == 0) | (y_hard == 1)) and y_hard.sum().item() == 1.0
(y_hard * reward).sum().backward()                       # backward uses the soft relaxation
assert logits.grad is not None and logits.grad.abs().sum() > 0
logits.grad = None

# Averaged over many draws, the straight-through gradient points the right way but is biased:
# with 40,000 draws its error stays near 10%, while REINFORCE with half as many samples is within 1-2%.
M = 40_000
y_st = F.gumbel_softmax(logits.expand(M, V), tau=0.5, hard=True)
st = torch.autograd.grad((y_st * reward).sum(1).mean(), logits)[0]
cos_st = F.cosine_similarity(st, exact, dim=0).item()
bias_st = ((st - exact).norm() / exact.norm()).item()
err_reinforce = ((est_base.mean(0) - exact).norm() / exact.norm()).item()
assert cos_st > 0.8
assert bias_st > 0.05 and bias_st > 3 * err_reinforce

# ---------------------------------------------------------------------------
# 4. Toy SeqGAN: sequences of length T; "real data" mostly follows one pattern.
# ---------------------------------------------------------------------------
torch.manual_seed(0)
T, B = 4, 128
pattern = torch.tensor([1, 3, 0, 5])


def real_batch(n):
    x = pattern.repeat(n, 1)
    noise = torch.rand(n, T) < 0.1                        # 10% of tokens replaced at random
    return torch.where(noise, torch.randint(0, V, (n, T)), x)


gen_logits = torch.zeros(T, V, requires_grad=True)      # position-wise generator (no context, for brevity)
disc = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(T * V, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
opt_g = torch.optim.Adam([gen_logits], lr=0.05)
opt_d = torch.optim.Adam(disc.parameters(), lr=0.01)


def match_rate():
    return (F.softmax(gen_logits, -1)[torch.arange(T), pattern]).mean().item()


start = match_rate()
for step in range(200):
    with torch.no_grad():
        fake = torch.multinomial(F.softmax(gen_logits, -1), B, replacement=True).T   # (B, T)
    # Discriminator step (max over D): real -> 1, fake -> 0
    d_real = disc(F.one_hot(real_batch(B), V).float())
    d_fake = disc(F.one_hot(fake, V).float())
    loss_d = F.binary_cross_entropy_with_logits(d_real, torch.ones_like(d_real)) + \
        F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
    opt_d.zero_grad()
    loss_d.backward()
    opt_d.step()
    # Generator: REINFORCE with reward log D(fake) (non-saturating), sequence-level credit
    with torch.no_grad():
        rew = F.logsigmoid(disc(F.one_hot(fake, V).float())).squeeze(1)
        adv = rew - rew.mean()
    logp_seq = F.log_softmax(gen_logits, -1)[torch.arange(T), fake].sum(1)           # (B,)
    loss_g = -(adv * logp_seq).mean()
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()

end = match_rate()
entropy = -(F.softmax(gen_logits, -1) * F.log_softmax(gen_logits, -1)).sum(-1).mean().item()
p_data = torch.full((V,), 0.1 / V)
p_data[0] += 0.9                                         # per position: pattern token 0.9 + 0.1/V, others 0.1/V
data_entropy = -(p_data * p_data.log()).sum().item()
assert end > 0.8 and end > start + 0.5
# At the theoretical optimum p_G = p_data, noise included. The match rate is a quality-only
# metric and says nothing about diversity; compare the two entropies printed below.

print(f"argmax/sample: no grad_fn, finite-difference gradient = {fd.tolist()}")
print(f"REINFORCE ({N} samples): cos(est, exact) = {F.cosine_similarity(est_base.mean(0), exact, dim=0):.4f}, "
      f"variance {var_no_base:.3f} -> {var_base:.3f} with a baseline")
print(f"Gumbel straight-through (tau 0.5, {M} draws): cos = {cos_st:.3f}, relative error = {bias_st:.2f} "
      f"(REINFORCE: {err_reinforce:.3f})")
print(f"toy SeqGAN: P(real pattern token) {start:.2f} -> {end:.2f}; "
      f"entropy per position {entropy:.2f} nats vs data {data_entropy:.2f}")
