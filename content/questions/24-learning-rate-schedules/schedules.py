"""Three learning-rate schedules used to train transformers, checked and plotted.

Run: python3 schedules.py            -> checks the schedules and the chart
     python3 schedules.py --write-svg -> (re)draws schedules.svg from the same numbers

What this file checks:
  1. Linear warm-up + cosine decay (GPT-3 / Llama style): peak exactly at the end of
     warm-up, monotonic segments, min_lr exactly at the last step, midpoint of the decay.
  2. Inverse square root (Vaswani et al., 2017):
     lr = d_model^-0.5 * min(step^-0.5, step * warmup^-1.5); peak at step == warmup,
     and lr * sqrt(step) is constant after warm-up.
  3. Warm-up-stable-decay (WSD; Hu et al., 2024, MiniCPM): flat plateau, short decay.
     A WSD run of any length shares its plateau with longer runs; cosine does not.
  4. torch.optim.lr_scheduler.LambdaLR driving a real optimizer reproduces our numbers.
  5. On a noisy quadratic (a stand-in for SGD noise), decaying the LR at the end lowers
     the final loss well below a constant LR, for every one of several seeds.
  6. schedules.svg is exactly the chart drawn from the points computed here.
"""
import math
import os
import re
import sys

import numpy as np
import torch

PEAK, MIN_LR = 3e-4, 3e-5          # Llama-2-7B-like peak; decay to 10% of peak
TOTAL, WARMUP = 1000, 100          # toy run: 1,000 steps, 10% warm-up (real runs: ~0.1-1%)
DECAY_FRAC = 0.2                   # WSD: last 20% of steps decay (MiniCPM found ~10% enough)
D_MODEL = 512                      # Transformer-base width for the inverse-sqrt rule


def warmup_cosine(step, peak=PEAK, min_lr=MIN_LR, warmup=WARMUP, total=TOTAL):
    if step < warmup:
        return peak * (step + 1) / warmup            # reaches peak on the last warm-up step
    progress = (step - (warmup - 1)) / (total - warmup)   # 0 at peak, 1 at the last step
    progress = min(progress, 1.0)
    return min_lr + 0.5 * (peak - min_lr) * (1 + math.cos(math.pi * progress))


def inverse_sqrt(step, d_model=D_MODEL, warmup=WARMUP):
    s = step + 1                                      # the paper counts steps from 1
    return d_model ** -0.5 * min(s ** -0.5, s * warmup ** -1.5)


def wsd(step, peak=PEAK, min_lr=MIN_LR, warmup=WARMUP, total=TOTAL, decay_frac=DECAY_FRAC):
    decay_start = total - int(round(decay_frac * total))
    if step < warmup:
        return peak * (step + 1) / warmup
    if step < decay_start:
        return peak                                   # stable phase: no dependence on total
    progress = (step - decay_start + 1) / (total - decay_start)  # linear cool-down
    return peak + (min_lr - peak) * progress


def series(fn, **kw):
    return np.array([fn(s, **kw) for s in range(TOTAL)])


def check_shapes():
    cos, inv, w = series(warmup_cosine), series(inverse_sqrt), series(wsd)
    # 1. warm-up + cosine
    assert np.all(np.diff(cos[:WARMUP]) > 0), "warm-up must increase"
    assert int(np.argmax(cos)) == WARMUP - 1 and math.isclose(cos.max(), PEAK)
    assert np.all(np.diff(cos[WARMUP - 1:]) < 0), "cosine decay must decrease"
    assert math.isclose(cos[-1], MIN_LR, rel_tol=1e-12), cos[-1]
    mid = (WARMUP - 1) + (TOTAL - WARMUP) // 2
    assert abs(cos[mid] - (PEAK + MIN_LR) / 2) < 1e-3 * PEAK, "cos(pi/2) midpoint"
    # 2. inverse square root
    assert int(np.argmax(inv)) == WARMUP - 1
    assert math.isclose(inv.max(), D_MODEL ** -0.5 * WARMUP ** -0.5)
    assert np.all(np.diff(inv[:WARMUP]) > 0) and np.all(np.diff(inv[WARMUP - 1:]) < 0)
    steps_after = np.arange(WARMUP, TOTAL + 1)       # 1-based steps after warm-up
    const = inv[WARMUP - 1:] * np.sqrt(steps_after)
    assert np.allclose(const, const[0]), "lr * sqrt(step) is constant after warm-up"
    assert math.isclose(inv[-1] / inv.max(), math.sqrt(WARMUP / TOTAL))
    # 3. WSD
    decay_start = TOTAL - int(round(DECAY_FRAC * TOTAL))
    assert int(np.argmax(w)) == WARMUP - 1 and math.isclose(w.max(), PEAK)
    assert np.all(w[WARMUP - 1:decay_start] == PEAK), "stable phase is flat"
    assert np.all(np.diff(w[decay_start - 1:]) < 0), "decay phase decreases"
    assert math.isclose(w[-1], MIN_LR, rel_tol=1e-12)
    # WSD's prefix does not depend on the run length; cosine's does.
    longer = [wsd(s, total=2 * TOTAL) for s in range(decay_start)]
    assert np.array_equal(np.array(longer), w[:decay_start])
    cos_long = np.array([warmup_cosine(s, total=2 * TOTAL) for s in range(TOTAL)])
    assert np.all(cos_long[WARMUP:] > cos[WARMUP:]), "cosine must be planned for its length"
    return cos, inv, w


def check_torch_lambdalr(cos):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.AdamW([p], lr=PEAK, betas=(0.9, 0.95), weight_decay=0.1)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: warmup_cosine(s) / PEAK)
    seen = []
    for _ in range(TOTAL):
        seen.append(opt.param_groups[0]["lr"])
        p.grad = torch.ones(1)
        opt.step()
        sched.step()
    assert np.allclose(seen, cos, rtol=1e-9, atol=0), "LambdaLR must match the formula"


def noisy_quadratic_final_loss(lrs, seed, dim=100, noise=1.0):
    """SGD on 0.5 * sum(h_i x_i^2) with Gaussian gradient noise; returns final loss."""
    rng = np.random.default_rng(seed)
    h = np.logspace(0, -1, dim)                       # curvatures from 1 down to 0.1
    x = rng.normal(size=dim) * 3.0
    for lr in lrs:
        g = h * x + noise * rng.normal(size=dim)
        x = x - lr * g
    return 0.5 * float(np.sum(h * x ** 2))


def check_decay_helps():
    scale = 0.5 / PEAK                                # peak step size 0.5 on this toy problem
    const = np.full(TOTAL, PEAK) * scale
    results = []
    for seed in range(8):
        lc = noisy_quadratic_final_loss(const, seed)
        lcos = noisy_quadratic_final_loss(series(warmup_cosine) * scale, seed)
        lw = noisy_quadratic_final_loss(series(wsd) * scale, seed)
        assert lcos < lc / 3 and lw < lc / 3, (seed, lc, lcos, lw)   # several times lower
        assert lcos < lw, (seed, lcos, lw)   # no river direction here: cosine's longer decay wins
        results.append((lc, lcos, lw))
    return np.mean(results, axis=0)


# ---------------------------------------------------------------- chart (SVG)
X0, X1, Y0, Y1 = 70.0, 600.0, 40.0, 280.0           # plot box in SVG coordinates
PLOT_EVERY = 20


def polyline_points(values):
    """Normalise to the schedule's own peak, sample every PLOT_EVERY steps, map to pixels."""
    v = values / values.max()
    idx = list(range(0, TOTAL, PLOT_EVERY)) + [WARMUP - 1, TOTAL - 1]
    pts = []
    for s in sorted(set(idx)):
        x = X0 + (X1 - X0) * s / (TOTAL - 1)
        y = Y1 - (Y1 - Y0) * v[s]
        pts.append(f"{x:.1f},{y:.1f}")
    return " ".join(pts)


def build_svg(cos, inv, w):
    lines = {
        "cosine": (polyline_points(cos), "", "warm-up + cosine (to 10%)"),
        "invsqrt": (polyline_points(inv), ' stroke-dasharray="2 4"', "inverse square root"),
        "wsd": (polyline_points(w), ' stroke-dasharray="9 5"', "warm-up-stable-decay"),
    }
    out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 340" role="img" '
           'aria-labelledby="lrs-title lrs-desc" font-family="sans-serif">',
           '<title id="lrs-title">Three learning-rate schedules over a 1,000-step run</title>',
           '<desc id="lrs-desc">Learning rate divided by its peak against training step. '
           'All three warm up linearly for 100 steps. Cosine then falls smoothly to 10% of '
           'peak at step 1,000; inverse square root falls as one over the square root of the '
           'step, to about 32% of peak; warm-up-stable-decay stays at the peak until step 800 '
           'and then falls linearly to 10%.</desc>',
           f'<line x1="{X0}" y1="{Y1}" x2="{X1}" y2="{Y1}" stroke="currentColor"/>',
           f'<line x1="{X0}" y1="{Y0}" x2="{X0}" y2="{Y1}" stroke="currentColor"/>']
    for frac in (0.0, 0.5, 1.0):
        y = Y1 - (Y1 - Y0) * frac
        out.append(f'<text x="{X0 - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                   f'fill="currentColor">{frac:.1f}</text>')
    for s in (0, 250, 500, 750, 1000):
        x = X0 + (X1 - X0) * min(s, TOTAL - 1) / (TOTAL - 1)
        out.append(f'<text x="{x:.1f}" y="{Y1 + 18}" text-anchor="middle" font-size="12" '
                   f'fill="currentColor">{s}</text>')
    out.append(f'<text x="{(X0 + X1) / 2}" y="{Y1 + 40}" text-anchor="middle" font-size="13" '
               'fill="currentColor">training step</text>')
    out.append(f'<text x="18" y="{(Y0 + Y1) / 2}" text-anchor="middle" font-size="13" '
               f'fill="currentColor" transform="rotate(-90 18 {(Y0 + Y1) / 2})">lr / peak lr</text>')
    for i, (name, (pts, dash, label)) in enumerate(lines.items()):
        out.append(f'<polyline id="{name}" points="{pts}" fill="none" stroke="currentColor" '
                   f'stroke-width="2"{dash}/>')
        ly = 214 + 16 * i
        out.append(f'<line x1="150" y1="{ly}" x2="180" y2="{ly}" stroke="currentColor" '
                   f'stroke-width="2"{dash}/>')
        out.append(f'<text x="186" y="{ly + 4}" font-size="12" fill="currentColor">{label}</text>')
    out.append('</svg>')
    return "\n".join(out) + "\n", {k: v[0] for k, v in lines.items()}


def check_svg(expected_points, expected_text, path):
    with open(path, encoding="utf-8") as f:
        svg = f.read()
    # The whole file (axes, labels, legend, description) must be what build_svg draws.
    assert svg == expected_text, "schedules.svg is stale: run with --write-svg"
    found = dict(re.findall(r'<polyline id="(\w+)" points="([^"]+)"', svg))
    assert set(found) == set(expected_points), found.keys()
    for name, pts in expected_points.items():
        assert found[name] == pts, f"{name}: SVG polyline differs from computed schedule"


def main():
    cos, inv, w = check_shapes()
    check_torch_lambdalr(cos)
    lc, lcos, lw = check_decay_helps()
    svg_text, pts = build_svg(cos, inv, w)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schedules.svg")
    if "--write-svg" in sys.argv:
        with open(path, "w", encoding="utf-8") as f:
            f.write(svg_text)
    check_svg(pts, svg_text, path)

    print("step  cosine     inv-sqrt   wsd")
    for s in (0, WARMUP - 1, 300, 500, 799, 900, TOTAL - 1):
        print(f"{s:4d}  {cos[s]:.3e}  {inv[s]:.3e}  {w[s]:.3e}")
    print(f"noisy quadratic, mean final loss over 8 seeds: constant {lc:.4f}, "
          f"cosine {lcos:.4f}, WSD {lw:.4f}")
    print("ok: peaks at end of warm-up, monotonic segments, min at the end, "
          "LambdaLR parity, decay beats constant LR, SVG matches the computed chart")


if __name__ == "__main__":
    main()
