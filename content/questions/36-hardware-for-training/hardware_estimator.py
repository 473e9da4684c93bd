"""Back-of-envelope hardware sizing for LLM training (run: python3 hardware_estimator.py).

What this file checks:
  1. The 6ND rule (Kaplan et al., 2020): we *measure* the matmul FLOPs of one
     training step of a small bias-free MLP with the PyTorch profiler and check
     they equal 6 x parameters x tokens (2ND forward + 4ND backward).
  2. A GPU-hours estimator, asserted against a hand-computed case (Llama 3 405B:
     6 x 405e9 x 15.6e12 FLOPs on H100s at an assumed 40% MFU).
  3. A roofline check: a large training GEMM is compute-bound on an H100 while a
     batch-1 decode GEMV is memory-bound; arithmetic intensities hand-computed.
  4. Memory for mixed-precision Adam (16 bytes/parameter, ZeRO paper) and the
     minimum number of 80 GB GPUs just to hold a 70B model's training state.
"""
import math

import torch
import torch.nn as nn

torch.manual_seed(0)

# Vendor datasheet figures (dense BF16 Tensor/Matrix-core peak, HBM bandwidth).
SPECS = {
    #  name            dense BF16 FLOP/s   HBM bytes/s   HBM bytes
    "A100-80GB-SXM": dict(flops=312e12, bw=2.039e12, mem=80e9),
    "H100-SXM": dict(flops=989e12, bw=3.35e12, mem=80e9),
    "H200-SXM": dict(flops=989e12, bw=4.8e12, mem=141e9),
    "MI300X": dict(flops=1307.4e12, bw=5.3e12, mem=192e9),  # AMD ROCm MI300 page: matrix BF16
    "TPU-v5p": dict(flops=459e12, bw=2.765e12, mem=95e9),
}


def training_flops(n_params, n_tokens):
    """Kaplan et al. (2020): C ~= 6 N D (ignores the attention n^2 term)."""
    return 6.0 * n_params * n_tokens


def gpu_hours(total_flops, peak_flops, mfu):
    """GPU-hours = FLOPs / (peak x MFU) / 3600."""
    return total_flops / (peak_flops * mfu) / 3600.0


def ridge_point(spec):
    """FLOPs per byte above which a kernel is compute-bound (roofline knee)."""
    return spec["flops"] / spec["bw"]


def attainable(spec, intensity):
    """Roofline (Williams et al., 2009): min(peak compute, intensity x bandwidth)."""
    return min(spec["flops"], intensity * spec["bw"])


def gemm_intensity(m, k, n, bytes_per_el=2):
    """C[m,n] = A[m,k] @ B[k,n]: 2mkn FLOPs over reading A, B and writing C once."""
    return (2 * m * k * n) / (bytes_per_el * (m * k + k * n + m * n))


# ---------- 1. measure FLOPs of a training step and compare with 6ND ----------
d, h, tokens = 64, 256, 32
model = nn.Sequential(nn.Linear(d, h, bias=False), nn.GELU(), nn.Linear(h, d, bias=False))
n_params = sum(p.numel() for p in model.parameters())
# Inside a real LM the MLP input comes from trainable layers, so it needs a gradient too.
x = torch.randn(tokens, d, requires_grad=True)
with torch.autograd.profiler.profile(with_flops=True) as prof:
    loss = model(x).pow(2).mean()
    loss.backward()
measured = sum(e.flops for e in prof.function_events if e.name in ("aten::mm", "aten::addmm") and e.flops)
assert measured == training_flops(n_params, tokens), (measured, training_flops(n_params, tokens))

# ---------- 2. GPU-hours for a Llama-3-405B-sized run, hand-computed ----------
C = training_flops(405e9, 15.6e12)
assert abs(C - 3.7908e25) / 3.7908e25 < 1e-4  # 6 * 405e9 * 15.6e12 = 3.7908e25
hours = gpu_hours(C, SPECS["H100-SXM"]["flops"], mfu=0.40)
# by hand: 3.7908e25 / (989e12 * 0.40) = 9.5824e10 GPU-seconds = 2.6618e7 GPU-hours
assert abs(hours - 2.6618e7) / 2.6618e7 < 1e-3, hours
days_on_16k = hours / 16384 / 24
assert 67 < days_on_16k < 68.5, days_on_16k  # about 68 days of wall clock on 16,384 GPUs
# the same run at 20% MFU takes exactly twice as long: utilisation is a first-order cost lever
assert math.isclose(gpu_hours(C, 989e12, 0.20), 2 * hours)

# ---------- 3. roofline: which kernels are compute-bound? ----------
h100 = SPECS["H100-SXM"]
ridge = ridge_point(h100)
assert 295 < ridge < 296  # 989e12 / 3.35e12 = 295.2 FLOPs/byte
train_ai = gemm_intensity(4096, 4096, 4096)  # 4,096 tokens x a 4096x4096 weight
assert abs(train_ai - 4096 / 3) < 1e-6  # 2*4096^3 / (2*3*4096^2) = 1365.3
decode_ai = gemm_intensity(1, 4096, 4096)  # one token at a time: matrix-vector
assert 0.99 < decode_ai < 1.0  # ~1 FLOP per byte: every weight read once per token
assert attainable(h100, train_ai) == h100["flops"]  # compute-bound
assert attainable(h100, decode_ai) < 0.01 * h100["flops"]  # memory-bound: <1% of peak
for name, spec in SPECS.items():  # every listed accelerator agrees on both verdicts
    assert decode_ai < ridge_point(spec) < train_ai, name

# ---------- 4. memory: training state alone for a 70B model ----------
bytes_per_param = 2 + 2 + 4 + 4 + 4  # bf16 weights, bf16 grads, fp32 master, Adam m, Adam v
state = 70e9 * bytes_per_param
assert state == 1.12e12
min_gpus = math.ceil(state / SPECS["H100-SXM"]["mem"])
assert min_gpus == 14  # before activations: sharding (ZeRO/FSDP) is not optional

print(f"6ND check: profiler counted {measured:,} matmul FLOPs = 6 x {n_params:,} params x {tokens} tokens")
print(f"405B x 15.6T tokens: {C:.3e} FLOPs -> {hours / 1e6:.2f}M H100-hours at 40% MFU, "
      f"{days_on_16k:.0f} days on 16,384 GPUs")
print(f"H100 ridge point {ridge:.0f} FLOPs/byte; training GEMM {train_ai:.0f} (compute-bound), "
      f"decode GEMV {decode_ai:.2f} (memory-bound)")
print(f"70B mixed-precision Adam state: {state / 1e12:.2f} TB -> at least {min_gpus} x 80 GB GPUs")
