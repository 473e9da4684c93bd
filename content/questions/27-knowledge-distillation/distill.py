"""Knowledge-distillation losses from scratch (Hinton et al., 2015), and forward vs reverse KL.

What this file checks (run: python3 distill.py):
  1. Our soft-target term KL(p_teacher^T || p_student^T) equals torch's F.kl_div, and the
     full loss mixes it (scaled by T^2) with ordinary cross-entropy on the hard labels.
  2. The gradient of the unscaled soft term w.r.t. the student logits shrinks like 1/T^2
     (slope -2 on a log-log plot, measured with autograd, for several seeds); multiplying by
     T^2 keeps it roughly constant, and at high T it approaches logit matching (z - v) / N.
  3. Forward KL (token-level KD, "mean-seeking") vs reverse KL (MiniLLM, "mode-seeking"): a
     one-bump student fitted to a two-bump teacher spreads over both modes under forward KL
     and sits on one mode under reverse KL (global minima found by grid search, for four
     teachers with different mode gaps and weights).
"""
import math

import torch
import torch.nn.functional as F


def soft_kl(student_logits, teacher_logits, T):
    """KL(p_t || p_s) with both distributions softened by temperature T, mean over rows."""
    log_p_s = F.log_softmax(student_logits / T, dim=-1)
    log_p_t = F.log_softmax(teacher_logits / T, dim=-1)
    return (log_p_t.exp() * (log_p_t - log_p_s)).sum(-1).mean()


def distillation_loss(student_logits, teacher_logits, labels, T=2.0, alpha=0.5):
    """alpha * T^2 * KL(soft teacher || soft student) + (1 - alpha) * CE(student, labels)."""
    soft = soft_kl(student_logits, teacher_logits, T) * T ** 2  # T^2 restores gradient scale
    hard = F.cross_entropy(student_logits, labels)                # T = 1 for the hard labels
    return alpha * soft + (1 - alpha) * hard


# 1. The loss itself ------------------------------------------------------------------------
torch.manual_seed(0)
B, V = 8, 10
z_s, z_t = torch.randn(B, V), 3 * torch.randn(B, V)
labels = z_t.argmax(-1)
T = 4.0
ours = soft_kl(z_s, z_t, T)
ref = F.kl_div(F.log_softmax(z_s / T, -1), F.log_softmax(z_t / T, -1),
               reduction="batchmean", log_target=True)
assert torch.allclose(ours, ref, atol=1e-6)
assert soft_kl(z_t, z_t, T).abs() < 1e-6 and ours > 0  # zero iff the distributions match
full = distillation_loss(z_s, z_t, labels, T=T, alpha=0.7)
assert torch.allclose(full, 0.7 * T ** 2 * ours + 0.3 * F.cross_entropy(z_s, labels))


# 2. Why multiply by T^2: measure the gradient norm at several temperatures ----------------
def grad_norm(z_s, z_t, T, scaled):
    z = z_s.clone().requires_grad_(True)
    loss = soft_kl(z, z_t, T) * (T ** 2 if scaled else 1.0)
    loss.backward()
    return z.grad.norm().item()


temps = [8.0, 16.0, 32.0, 64.0]
for seed in range(5):
    torch.manual_seed(seed)
    z_s, z_t = torch.randn(B, V), 2 * torch.randn(B, V)
    raw = [grad_norm(z_s, z_t, t, scaled=False) for t in temps]
    scl = [grad_norm(z_s, z_t, t, scaled=True) for t in temps]
    # least-squares slope of log(grad) against log(T)
    xs, ys = [math.log(t) for t in temps], [math.log(g) for g in raw]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    assert -2.1 < slope < -1.9, (seed, slope)
    assert max(scl) / min(scl) < 1.15, (seed, scl)      # T^2 keeps the scale roughly fixed
    assert raw[0] / raw[-1] > 50                          # without it: ~64x smaller at T=64
    # high-T limit: the T^2-scaled gradient is logit matching on zero-mean logits, divided by N
    z = z_s.clone().requires_grad_(True)
    (soft_kl(z, z_t, 200.0) * 200.0 ** 2).backward()
    centred = (z_s - z_s.mean(-1, keepdim=True)) - (z_t - z_t.mean(-1, keepdim=True))
    assert torch.allclose(z.grad, centred / (V * B), atol=2e-3)

# 3. Forward vs reverse KL on a two-mode teacher --------------------------------------------
# The student family is one discretised bump (mean mu, width sigma); we find each objective's
# global minimum by brute force over a (mu, sigma) grid, so no optimiser can get stuck.
x = torch.linspace(-14, 14, 281)
mus = torch.linspace(-6, 6, 121)
sigmas = torch.linspace(0.3, 6.0, 58)
M, S = torch.meshgrid(mus, sigmas, indexing="ij")
students = torch.softmax(-(x - M.reshape(-1, 1)) ** 2 / (2 * S.reshape(-1, 1) ** 2), dim=-1)
log_s = students.clamp_min(1e-30).log()
for sep, w in [(3.0, 0.5), (3.5, 0.5), (4.0, 0.5), (3.0, 0.65)]:
    # teacher: two unit-width bumps at -sep and +sep with weights w and 1 - w
    teacher = w * torch.exp(-(x + sep) ** 2 / 2) + (1 - w) * torch.exp(-(x - sep) ** 2 / 2)
    teacher = teacher / teacher.sum()
    log_t = teacher.clamp_min(1e-30).log()
    fwd = (teacher * (log_t - log_s)).sum(-1)   # KL(teacher || student): token-level KD
    rev = (students * (log_s - log_t)).sum(-1)  # KL(student || teacher): MiniLLM's objective
    i, j = fwd.argmin(), rev.argmin()
    mu_f, sd_f = M.reshape(-1)[i].item(), S.reshape(-1)[i].item()
    mu_r, sd_r = M.reshape(-1)[j].item(), S.reshape(-1)[j].item()
    t_mean = (teacher * x).sum().item()
    t_std = (teacher * (x - t_mean) ** 2).sum().sqrt().item()
    # forward KL: the bump stretches over both modes (matches the teacher's mean and spread)
    assert abs(mu_f - t_mean) < 0.15 and abs(sd_f / t_std - 1) < 0.1, (sep, w, mu_f, sd_f)
    # reverse KL: the bump sits on one mode (the heavier one) with that mode's own width
    heavy = -sep if w > 0.5 else None
    assert abs(abs(mu_r) - sep) < 0.25 and abs(sd_r - 1.0) < 0.25, (sep, w, mu_r, sd_r)
    if heavy is not None:
        assert abs(mu_r - heavy) < 0.25
    valley = x.abs() < sep - 1.5  # the gap between the modes, where the teacher is small
    assert students[i][valley].sum() > 5 * students[j][valley].sum()

print(f"soft KL == F.kl_div; loss = alpha*T^2*KL + (1-alpha)*CE checked (T={T})")
print(f"unscaled soft-loss gradient vs T: slope {slope:.2f} on log-log (expect -2); "
      f"T^2-scaled norms {[round(g, 4) for g in scl]}")
print(f"forward KL: mu={mu_f:.2f}, sigma={sd_f:.2f} (covers both modes); "
      f"reverse KL: mu={mu_r:.2f}, sigma={sd_r:.2f} (one mode)")
