"""Bytes of GPU memory per parameter during training, with and without each technique.

What this file checks (run: python3 memory_table.py):
  1. Measured: torch's Adam keeps two fp32 states per parameter (8 bytes), so plain
     fp32 training holds 4 + 4 + 8 = 16 bytes per parameter of model state.
  2. Measured: the Llama 2 7B shape, built on the 'meta' device (no memory used),
     has 6,738,415,616 parameters, and LoRA r=16 on all its linear layers adds 39,976,960.
  3. The ZeRO formulas reproduce the ZeRO paper's worked example exactly
     (7.5B parameters, 64 GPUs, K = 12: 120, 31.4, 16.6 and 1.9 GB per GPU).
  4. Prints the model-state table and the activation table shown on the page.
GB here means 10^9 bytes, as in the ZeRO paper.
"""
import torch
import torch.nn as nn

torch.manual_seed(0)
GB = 1e9

# ---- 1. Measure what Adam stores (tiny model, real optimizer step) -------------------
tiny = nn.Sequential(nn.Linear(64, 256), nn.GELU(), nn.Linear(256, 64))
opt = torch.optim.Adam(tiny.parameters(), lr=1e-3)
tiny(torch.randn(8, 64)).pow(2).mean().backward()
opt.step()
n_tiny = sum(p.numel() for p in tiny.parameters())
w_bytes = sum(p.numel() * p.element_size() for p in tiny.parameters())
g_bytes = sum(p.grad.numel() * p.grad.element_size() for p in tiny.parameters())
s_bytes = sum(v.numel() * v.element_size() for st in opt.state.values()
              for v in st.values() if torch.is_tensor(v) and v.dim() > 0)  # skip scalar step
assert (w_bytes, g_bytes, s_bytes) == (4 * n_tiny, 4 * n_tiny, 8 * n_tiny)


# ---- 2. Count the 7B model's parameters from real module shapes ----------------------
class RMSNormWeight(nn.Module):
    """Parameters of an RMSNorm (one gain vector); nn.RMSNorm is not in torch 1.13."""

    def __init__(self, d, device):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(d, device=device))


def llama_like(d=4096, layers=32, ffn=11008, vocab=32000, device="meta"):
    """Parameter-bearing modules of a Llama 2 7B-shaped decoder (no forward needed)."""
    mods = [nn.Embedding(vocab, d, device=device), nn.Linear(d, vocab, bias=False, device=device)]
    for _ in range(layers):
        mods += [nn.Linear(d, d, bias=False, device=device) for _ in range(4)]  # q, k, v, o
        mods += [nn.Linear(d, ffn, bias=False, device=device) for _ in range(2)]  # gate, up
        mods += [nn.Linear(ffn, d, bias=False, device=device)]  # down
        mods += [RMSNormWeight(d, device), RMSNormWeight(d, device)]  # pre-attn, pre-MLP
    mods += [RMSNormWeight(d, device)]  # final norm
    return nn.ModuleList(mods)


model = llama_like()
P = sum(p.numel() for p in model.parameters())
assert P == 6_738_415_616, P  # Llama 2 7B parameter count
linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
block_linears = linears[1:]  # everything except the output head
P_block_linear = sum(m.weight.numel() for m in block_linears)
R = 16
P_lora = sum(R * (m.in_features + m.out_features) for m in block_linears)  # A: r x in, B: out x r
assert P_lora == 39_976_960 and abs(P_lora / P - 0.00593) < 1e-4


# ---- 3. ZeRO-DP formulas (Rajbhandari et al., 2020), checked on the paper's example ---
def zero_states(psi, n_gpus, stage, k=12):
    """Per-GPU bytes of (weights, gradients, optimizer states) for mixed-precision Adam:
    2 bytes fp16/bf16 weights, 2 bytes gradients, K = 12 bytes of fp32 master weights,
    momentum and variance. Stage 1 shards the optimizer, 2 also gradients, 3 also weights."""
    w = 2 * psi / (n_gpus if stage >= 3 else 1)
    g = 2 * psi / (n_gpus if stage >= 2 else 1)
    o = k * psi / (n_gpus if stage >= 1 else 1)
    return w, g, o


paper = {0: 120.0, 1: 31.4, 2: 16.6, 3: 1.9}  # ZeRO paper, Figure 1: 7.5B params, Nd = 64
for stage, gb in paper.items():
    assert round(sum(zero_states(7.5e9, 64, stage)) / GB, 1) == gb, stage

# ---- 4. The table on the page: Llama 2 7B, full fine-tuning or pre-training -------
N = 8  # GPUs for the sharded rows
q_bits = 4 + 8 / 64 + 32 / (64 * 256)  # QLoRA NF4 + double-quantised constants
assert abs(q_bits - 4.127) < 1e-3
adapter = P_lora * (2 + 2 + 12)  # LoRA adapters train in mixed precision with Adam
rows = [
    ("fp32 weights + Adam", (4 * P, 4 * P, 8 * P)),
    ("Mixed precision (bf16 + fp32 master) + Adam", zero_states(P, 1, 0)),
    ("Mixed precision + 8-bit Adam", (2 * P, 2 * P, (4 + 2) * P)),
    (f"ZeRO-1, {N} GPUs", zero_states(P, N, 1)),
    (f"ZeRO-2, {N} GPUs", zero_states(P, N, 2)),
    (f"ZeRO-3 / FSDP, {N} GPUs", zero_states(P, N, 3)),
    ("ZeRO-Offload, 1 GPU (grads + optimizer on CPU)", (2 * P, 0, 0)),
    ("LoRA r=16, frozen bf16 base", (2 * P + 2 * P_lora, 2 * P_lora, 12 * P_lora)),
    ("QLoRA r=16, NF4 base", (P_block_linear * q_bits / 8 + 2 * (P - P_block_linear)
                              + 2 * P_lora, 2 * P_lora, 12 * P_lora)),
]
table = {name: tuple(x / GB for x in parts) for name, parts in rows}
total = {name: sum(parts) for name, parts in table.items()}
assert round(total["fp32 weights + Adam"], 1) == round(total[rows[1][0]], 1) == 107.8
assert round(total[f"ZeRO-3 / FSDP, {N} GPUs"], 1) == 13.5
assert 4.0 < total["QLoRA r=16, NF4 base"] < total["LoRA r=16, frozen bf16 base"] < 15.0
# Pin every total shown in the page's table (GB, one decimal), so text and code cannot drift.
page_totals = [107.8, 107.8, 67.4, 37.1, 25.3, 13.5, 13.5, 14.1, 4.5]
assert [round(total[name], 1) for name, _ in rows] == page_totals, [round(v, 1) for v in total.values()]
assert abs(adapter / GB - 0.64) < 0.01
offload_cpu = (2 + 12) * P / GB  # fp16 gradients + fp32 master, momentum, variance in host RAM
assert round(offload_cpu, 1) == 94.3

print(f"Adam measured: {s_bytes // n_tiny} bytes of state per parameter; "
      f"7B shape has {P:,} params; LoRA r={R} adds {P_lora:,} ({100 * P_lora / P:.2f}%)")
print("ZeRO example (7.5B, 64 GPUs):",
      ", ".join(f"stage {s}: {sum(zero_states(7.5e9, 64, s)) / GB:.1f} GB" for s in paper), "OK")
print(f"ZeRO-Offload keeps {offload_cpu:.1f} GB in CPU memory")
print(f"{'setup':48s} {'weights':>8s} {'grads':>7s} {'optim':>7s} {'total GB':>9s} {'B/param':>8s}")
for name, (w, g, o) in table.items():
    print(f"{name:48s} {w:8.2f} {g:7.2f} {o:7.2f} {w + g + o:9.1f} {(w + g + o) * GB / P:8.2f}")

# ---- Activations: Korthikanti et al. (2022) per-layer estimate, 16-bit ------------
s, b, h, a, L = 4096, 1, 4096, 32, 32  # one 4,096-token sequence, 7B-like GPT shape
naive = s * b * h * (34 + 5 * a * s / h) * L  # s x s softmax output, dropout mask and output stored
flash = 34 * s * b * h * L  # FlashAttention: no s x s matrices stored
ckpt = 2 * s * b * h * L + 34 * s * b * h  # keep block inputs, rebuild one layer at a time
assert (round(naive / GB, 1), round(flash / GB, 1), round(ckpt / GB, 2)) == (104.2, 18.3, 1.64)
print(f"activations per 4,096-token sequence: {naive / GB:.1f} GB naive attention, "
      f"{flash / GB:.1f} GB with FlashAttention, {ckpt / GB:.2f} GB with full checkpointing")
