"""LoRA from scratch (Hu et al., 2021), with a QLoRA-style NF4 base (Dettmers et al., 2023).

What this file checks (run: python3 lora.py):
  1. A LoRA layer starts as the base layer: B is zero, so B @ A = 0 and outputs match exactly.
  2. The trainable parameter count is r * (d_in + d_out), and only A and B receive updates:
     the frozen W and bias are bit-for-bit unchanged after training.
  3. LoRA fits a task whose true weight change is low-rank (loss falls by > 100x for several seeds).
  4. Merging W + (alpha / r) * B @ A gives the same outputs as the unmerged layer (no extra latency).
  5. NF4 (4-bit NormalFloat levels from normal quantiles, blockwise absmax scaling) reconstructs
     Gaussian weights with lower error than uniform 4-bit, and LoRA trained on top of the frozen
     dequantized weights learns a rank-2 task change down to the 4-bit error floor for three
     seeds (QLoRA's recipe, minus the CUDA kernels and paged optimizer).
"""
from statistics import NormalDist

import torch
import torch.nn as nn

torch.set_num_threads(1)  # tiny shapes: one thread is fastest and keeps runs reproducible


class LoRALinear(nn.Module):
    """y = x W^T + b + (alpha / r) * x A^T B^T, with W and b frozen."""

    def __init__(self, base: nn.Linear, r: int = 4, alpha: float = 8.0):
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)  # the pre-trained weights stay frozen
        d_out, d_in = base.weight.shape
        self.r, self.scaling = r, alpha / r
        # A: small random init; B: zeros, so the adapter starts as an exact no-op
        self.A = nn.Parameter(torch.randn(r, d_in) / d_in ** 0.5)
        self.B = nn.Parameter(torch.zeros(d_out, r))

    def forward(self, x):
        return self.base(x) + self.scaling * (x @ self.A.t()) @ self.B.t()

    def merged_weight(self):
        """W' = W + (alpha / r) B A: one matrix, so inference costs the same as the base."""
        return self.base.weight + self.scaling * self.B @ self.A


def n_trainable(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def train_lora(seed, d_in=64, d_out=48, r=4, rank_true=2, steps=300):
    torch.manual_seed(seed)
    base = nn.Linear(d_in, d_out)
    # the "task": the ideal weights differ from the pre-trained ones by a rank-2 change
    delta = 0.5 * torch.randn(d_out, rank_true) @ torch.randn(rank_true, d_in) / d_in ** 0.5
    x_train = torch.randn(256, d_in)
    with torch.no_grad():
        y_train = x_train @ (base.weight + delta).t() + base.bias

    layer = LoRALinear(base, r=r, alpha=2 * r)
    w0, b0 = base.weight.clone(), base.bias.clone()
    a0 = layer.A.detach().clone()

    # 1. starts exactly as the base model
    with torch.no_grad():
        assert torch.equal(layer(x_train), base(x_train))

    # 2. trainable parameters: r * (d_in + d_out) instead of d_in * d_out + d_out
    assert n_trainable(layer) == r * (d_in + d_out) == 448
    assert d_in * d_out + d_out == 3120

    opt = torch.optim.Adam([p for p in layer.parameters() if p.requires_grad], lr=1e-2)
    loss_fn = nn.MSELoss()
    with torch.no_grad():
        loss_start = loss_fn(layer(x_train), y_train).item()
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(layer(x_train), y_train)
        loss.backward()
        assert base.weight.grad is None  # no gradient (and no optimizer state) for W
        opt.step()
    loss_end = loss.item()

    assert torch.equal(base.weight, w0) and torch.equal(base.bias, b0)  # frozen, bit for bit
    assert not torch.equal(layer.A.detach(), a0) and layer.B.abs().sum() > 0  # adapters moved
    assert loss_end < loss_start / 100, (seed, loss_start, loss_end)

    # 4. merged weights reproduce the unmerged layer
    x_test = torch.randn(32, d_in)
    with torch.no_grad():
        y_unmerged = layer(x_test)
        y_merged = x_test @ layer.merged_weight().t() + base.bias
    assert torch.allclose(y_unmerged, y_merged, atol=1e-5)
    rank_update = torch.linalg.matrix_rank(layer.scaling * layer.B @ layer.A).item()
    assert rank_update <= r
    return loss_start, loss_end


# --- NF4: the QLoRA storage type ------------------------------------------------------------
def nf4_levels():
    """16 levels: quantiles of N(0, 1), 8 positive and 7 negative plus an exact zero,
    normalised to [-1, 1] (the construction used by QLoRA / bitsandbytes)."""
    nd, offset = NormalDist(), 0.9677083
    pos = [nd.inv_cdf(offset - i * (offset - 0.5) / 8) for i in range(8)]   # 8 values
    neg = [-nd.inv_cdf(offset - i * (offset - 0.5) / 7) for i in range(7)]  # 7 values
    levels = torch.tensor(sorted(pos + [0.0] + neg))
    return levels / levels.abs().max()


def quantize_blockwise(w, levels, block=64):
    """Absmax scaling per block of 64 weights, then round each weight to the nearest level."""
    flat = w.reshape(-1, block)
    scale = flat.abs().max(dim=1, keepdim=True).values  # one constant per block
    idx = ((flat / scale).unsqueeze(-1) - levels).abs().argmin(dim=-1)  # 4-bit codes
    return idx.to(torch.uint8), scale


def dequantize(idx, scale, levels, shape):
    return (levels[idx.long()] * scale).reshape(shape)


NF4 = nf4_levels()
INT4 = torch.linspace(-1, 1, 15)  # symmetric uniform 4-bit (15 levels, includes 0)
assert NF4.numel() == 16 and (NF4 == 0).sum() == 1 and NF4.max() == 1 and NF4.min() == -1

# 1-4 over several seeds
results = [train_lora(seed) for seed in range(4)]

# 5. NF4 vs uniform 4-bit on Gaussian weights, then LoRA on the frozen 4-bit base
errs = []
for seed in range(4):
    torch.manual_seed(100 + seed)
    w = torch.randn(128, 256) * 0.02
    e_nf4 = (dequantize(*quantize_blockwise(w, NF4), NF4, w.shape) - w).pow(2).mean()
    e_int4 = (dequantize(*quantize_blockwise(w, INT4), INT4, w.shape) - w).pow(2).mean()
    assert e_nf4 < e_int4, (seed, e_nf4, e_int4)
    errs.append((e_int4 / e_nf4).item())

# QLoRA's recipe: freeze a 4-bit copy of the pre-trained weights and train only the adapter.
# The task is the full-precision layer plus a rank-2 change; LoRA (r=4) must learn that change
# (and can absorb part of the quantisation error) while the 4-bit weights stay untouched.
qlora = []
for seed in range(3):
    torch.manual_seed(200 + seed)
    base = nn.Linear(64, 48)
    w_fp = base.weight.detach().clone()
    delta = 0.5 * torch.randn(48, 2) @ torch.randn(2, 64) / 8
    x = torch.randn(128, 64)
    target = x @ (w_fp + delta).t() + base.bias.detach()
    with torch.no_grad():
        codes, scales = quantize_blockwise(base.weight, NF4)
        base.weight.copy_(dequantize(codes, scales, NF4, base.weight.shape))  # frozen 4-bit
    assert codes.max() <= 15  # every stored code fits in 4 bits
    q_layer = LoRALinear(base, r=4, alpha=8)
    w_q = base.weight.clone()
    with torch.no_grad():
        quant_floor = (x @ (w_q - w_fp).t()).pow(2).mean().item()  # error of the 4-bit base alone
        first = (q_layer(x) - target).pow(2).mean().item()
    opt = torch.optim.Adam([q_layer.A, q_layer.B], lr=1e-2)
    for _ in range(150):
        opt.zero_grad()
        loss = (q_layer(x) - target).pow(2).mean()
        loss.backward()
        opt.step()
    assert torch.equal(base.weight, w_q)                # 4-bit base untouched
    assert loss.item() < first / 20, (seed, first, loss.item())  # the rank-2 change was learned
    assert loss.item() < 2 * quant_floor                # down to the quantisation-error level
    qlora.append((first, loss.item(), quant_floor))

# Storage per weight: 4 bits + one fp32 constant per 64 weights (0.5 bits); QLoRA's double
# quantisation stores those constants in 8 bits with one fp32 per 256 of them.
bits_plain = 4 + 32 / 64
bits_double = 4 + 8 / 64 + 32 / (64 * 256)
assert bits_plain == 4.5 and abs(bits_double - 4.127) < 1e-3

print(f"LoRA r=4 on a 64->48 layer: {n_trainable(LoRALinear(nn.Linear(64, 48)))} trainable "
      f"vs {64 * 48 + 48} for full fine-tuning")
for s, (a, b) in enumerate(results):
    print(f"seed {s}: loss {a:.4f} -> {b:.6f}; W frozen; merged == unmerged")
print(f"NF4 error is {min(errs):.2f}-{max(errs):.2f}x lower than uniform int4 on Gaussian weights")
print(f"bits per weight: {bits_plain} with fp32 block constants, {bits_double:.3f} with double quantisation")
for s, (a, b, q) in enumerate(qlora):
    print(f"LoRA on a frozen NF4 base, seed {s}: loss {a:.4f} -> {b:.5f} (4-bit error floor {q:.5f})")
