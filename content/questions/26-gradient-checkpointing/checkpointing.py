"""Gradient (activation) checkpointing with torch.utils.checkpoint.

What this file checks (run: python3 checkpointing.py):
  1. Gradients with checkpointing equal the gradients without it, bit for bit on CPU,
     even with dropout inside the checkpointed blocks (the RNG state is restored for
     the recomputation), for both use_reentrant=False (recommended) and True.
  2. With preserve_rng_state=False the recomputed dropout masks differ from the
     forward ones, so the gradients are silently wrong.
  (1 and 2 are checked for three dropout seeds.)
  3. The price: every checkpointed block runs its forward twice (counted).
  4. The gain: bytes of activations saved for backward, measured with
     saved-tensor hooks, for no checkpointing, one checkpoint per block, and
     sqrt(n)-sized segments.
  5. The same accounting at scale, from the Korthikanti et al. (2022) formula.
Works on torch 1.13 and 2.x (use_reentrant is a keyword argument in both).
"""
import math

import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

N_BLOCKS, D, B, T = 16, 32, 4, 8  # 16 residual MLP blocks, tiny shapes


class Block(nn.Module):
    """Pre-norm residual MLP block with dropout (a stand-in for a transformer layer)."""

    calls = 0  # counts forward executions across all blocks

    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.up = nn.Linear(d, 4 * d)
        self.down = nn.Linear(4 * d, d)
        self.drop = nn.Dropout(0.1)

    def forward(self, x):
        Block.calls += 1
        return x + self.drop(self.down(torch.nn.functional.gelu(self.up(self.norm(x)))))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList(Block(D) for _ in range(N_BLOCKS))

    def forward(self, x, segment=0, reentrant=False, preserve_rng=True):
        """segment=0: no checkpointing; segment=k: checkpoint every run of k blocks."""
        if segment == 0:
            for blk in self.blocks:
                x = blk(x)
            return x
        for start in range(0, N_BLOCKS, segment):
            run = self.blocks[start : start + segment]

            def seg(h, run=run):
                for blk in run:
                    h = blk(h)
                return h

            # Only the segment's input is kept; its insides are recomputed in backward.
            x = checkpoint(seg, x, use_reentrant=reentrant, preserve_rng_state=preserve_rng)
        return x


torch.manual_seed(0)
net = Net().train()  # train mode: dropout is active, which is the hard case
x = torch.randn(B, T, D, requires_grad=True)  # e.g. embeddings, which require grad
param_ptrs = {p.data_ptr() for p in net.parameters()}


def run(seed=123, **kw):
    """One forward + backward with a fixed RNG seed; returns loss, grads, calls, saved bytes."""
    net.zero_grad(set_to_none=True)
    x.grad = None
    saved = {}

    def pack(t):  # called for every tensor autograd keeps for the backward pass
        if t.data_ptr() not in param_ptrs:  # weights are stored anyway; count activations
            saved[t.data_ptr()] = t.numel() * t.element_size()
        return t

    Block.calls = 0
    torch.manual_seed(seed)  # same dropout masks in every run with this seed
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = net(x, **kw).pow(2).mean()
    fwd_calls = Block.calls
    loss.backward()
    grads = [x.grad.clone()] + [p.grad.clone() for p in net.parameters()]
    return loss.detach(), grads, fwd_calls, Block.calls, sum(saved.values())


def same(a, b):
    return all(torch.equal(u, v) for u, v in zip(a, b))


k = int(math.isqrt(N_BLOCKS))  # sqrt(n) segments of sqrt(n) blocks
SEEDS = (123, 7, 2024)  # the claims below must hold for every dropout seed, not one lucky draw
results = {}
max_err = float("inf")
for dseed in SEEDS:
    base_loss, base_g, f0, c0, bytes_none = run(dseed, segment=0)
    assert f0 == c0 == N_BLOCKS  # each block runs once
    for reentrant in (False, True):
        for seg in (1, k):
            loss, g, f, c, nbytes = run(dseed, segment=seg, reentrant=reentrant)
            # 1. Same loss and gradients. On CPU the recomputation replays the same kernels
            #    on the same inputs with the same dropout masks, so they match exactly.
            #    (On GPU, non-deterministic kernels can differ in the last bits; compare
            #    with allclose there.)
            assert torch.equal(loss, base_loss)
            assert same(g, base_g), (dseed, reentrant, seg)
            # 3. Forward runs once in the forward pass and once more during backward.
            assert f == N_BLOCKS and c == 2 * N_BLOCKS
            results[(reentrant, seg)] = nbytes

    # 2. Without restoring the RNG state, dropout draws new masks during recomputation:
    #    the backward pass then differentiates a different network than the forward ran.
    _, g_bad, _, _, _ = run(dseed, segment=1, preserve_rng=False)
    assert not same(g_bad, base_g), dseed
    err = max((a - b).abs().max().item() for a, b in zip(g_bad, base_g))
    assert err > 1e-4, (dseed, err)
    max_err = min(max_err, err)  # report the smallest error over the seeds

# 4. Memory held between forward and backward (measured with the reentrant variant,
#    whose saved segment inputs are visible to the outer hook; the non-reentrant
#    variant keeps its inputs through its own hooks, invisible here).
act = B * T * D * 4  # bytes of one block input/output in fp32
per_block = results[(True, 1)]
per_segment = results[(True, k)]
# (+1 activation: the loss's pow() saves the network output in every variant)
assert per_block == (N_BLOCKS + 1) * act  # only the 16 block inputs survive
assert per_segment == (N_BLOCKS // k + 1) * act  # only the 4 segment inputs survive
assert bytes_none > 8 * per_block  # LayerNorm, GELU, dropout mask, 4d hidden... per block

# 5. Scale: Korthikanti et al. (2022) estimate sbh(34 + 5as/h) bytes of 16-bit activations
#    per GPT layer. For the GPT-3 175B shape, one 2,048-token sequence:
s, b, h, a, L = 2048, 1, 12288, 96, 96
per_layer = s * b * h * (34 + 5 * a * s / h)
attn_share = (5 * a * s / h) / (34 + 5 * a * s / h)
full_ckpt = 2 * s * b * h * L  # only each layer's 16-bit input is kept
assert round(per_layer * L / 1e9) == 275 and round(100 * attn_share) == 70
assert round(full_ckpt / 1e9, 1) == 4.8

print(f"{N_BLOCKS} blocks, dropout on, {len(SEEDS)} dropout seeds: loss and all gradients identical "
      f"with checkpointing (use_reentrant False and True, segments of 1 and {k}): OK")
print(f"preserve_rng_state=False gives wrong gradients for all {len(SEEDS)} seeds "
      f"(max abs error at least {max_err:.2e}): OK")
print(f"block forward calls: {c0} without checkpointing, {2 * N_BLOCKS} with (one extra forward)")
print(f"activation bytes kept for backward: {bytes_none:,} none, {per_block:,} per-block, "
      f"{per_segment:,} with {N_BLOCKS // k} segments")
print(f"GPT-3 175B shape, one 2,048-token sequence: {per_layer * L / 1e9:.0f} GB of activations "
      f"({100 * attn_share:.0f}% s x s softmax/dropout tensors), {full_ckpt / 1e9:.1f} GB "
      f"of layer inputs with full checkpointing")
