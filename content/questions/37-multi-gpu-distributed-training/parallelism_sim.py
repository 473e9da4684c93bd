"""Data, tensor, pipeline and sharded (ZeRO/FSDP) parallelism simulated on one CPU.

Run: python3 parallelism_sim.py. "Workers" are list entries; nothing here needs a GPU.
What this file checks:
  1. Data parallelism: averaging the gradients of equal shards gives the full-batch gradient
     (for several seeds); with unequal shards a plain average is wrong, a weighted one is right.
  2. Ring all-reduce = reduce-scatter + all-gather: it returns the exact sum on every worker,
     and each worker sends 2(p-1)/p of the buffer, counted element by element.
  3. Megatron-style tensor parallelism: a column-split first layer, a local GeLU and a
     row-split second layer, summed (the all-reduce), equal the unsplit MLP; splitting the
     first layer by rows instead is wrong, because GeLU(a + b) != GeLU(a) + GeLU(b).
  4. Pipeline schedules: a list-scheduling simulation of GPipe and 1F1B measures the idle
     ("bubble") fraction, checked against (p-1)/(m+p-1), and the activations each stage holds.
  5. ZeRO-3/FSDP: sharded parameters, all-gather before use, reduce-scatter of gradients and a
     per-shard optimizer step reproduce plain data-parallel SGD; plus the ZeRO paper's
     per-GPU memory figures for a 7.5B model on 64 GPUs.
"""
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)  # exact comparisons without float32 noise


def mlp_loss(params, x, y):
    w1, w2 = params
    return ((F.gelu(x @ w1) @ w2 - y) ** 2).mean()


def grads(params, x, y):
    ps = [p.detach().clone().requires_grad_(True) for p in params]
    mlp_loss(ps, x, y).backward()
    return [p.grad for p in ps]


# ---------- 1. data parallelism ----------
for seed in range(5):
    torch.manual_seed(seed)
    params = [torch.randn(8, 16), torch.randn(16, 4)]
    x, y = torch.randn(16, 8), torch.randn(16, 4)
    full = grads(params, x, y)
    shards = [grads(params, xs, ys) for xs, ys in zip(x.chunk(4), y.chunk(4))]  # 4 workers
    averaged = [sum(g[i] for g in shards) / 4 for i in range(2)]  # the all-reduce (mean)
    assert all(torch.allclose(a, f) for a, f in zip(averaged, full)), seed
    # unequal shards (10 + 6 examples): per-worker means must be weighted by shard size
    parts = [(x[:10], y[:10]), (x[10:], y[10:])]
    g = [grads(params, xs, ys) for xs, ys in parts]
    plain = [(g[0][i] + g[1][i]) / 2 for i in range(2)]
    weighted = [(10 * g[0][i] + 6 * g[1][i]) / 16 for i in range(2)]
    assert all(torch.allclose(a, f) for a, f in zip(weighted, full))
    assert not torch.allclose(plain[0], full[0])


# ---------- 2. ring all-reduce as reduce-scatter + all-gather ----------
def ring_all_reduce(buffers):
    """Each of p workers holds a buffer split into p chunks. Returns the reduced buffers
    and the number of elements each worker sent."""
    p = len(buffers)
    chunks = [list(b.clone().chunk(p)) for b in buffers]
    sent = [0] * p
    for step in range(p - 1):  # reduce-scatter: after p-1 steps worker r owns sum of chunk r+1
        msgs = [(r, (r - step) % p, chunks[r][(r - step) % p].clone()) for r in range(p)]
        for r, c, data in msgs:
            chunks[(r + 1) % p][c] += data
            sent[r] += data.numel()
    for step in range(p - 1):  # all-gather: pass the finished chunks around the ring
        msgs = [(r, (r + 1 - step) % p, chunks[r][(r + 1 - step) % p].clone()) for r in range(p)]
        for r, c, data in msgs:
            chunks[(r + 1) % p][c] = data
            sent[r] += data.numel()
    return [torch.cat(c) for c in chunks], sent


torch.manual_seed(0)
for p in (2, 4, 8):
    n = 64 * p
    bufs = [torch.randn(n) for _ in range(p)]
    out, sent = ring_all_reduce(bufs)
    total = sum(bufs)
    assert all(torch.allclose(o, total) for o in out)
    assert all(s == 2 * (p - 1) * n // p for s in sent), (p, sent)  # 2(p-1)/p x buffer size

# ---------- 3. tensor parallelism (Megatron-LM MLP) ----------
torch.manual_seed(0)
d, h, t = 8, 32, 5
x = torch.randn(t, d)
w1, w2 = torch.randn(d, h), torch.randn(h, d)
reference = F.gelu(x @ w1) @ w2
for tp in (2, 4):
    w1_cols, w2_rows = w1.chunk(tp, dim=1), w2.chunk(tp, dim=0)  # rank r gets columns / rows r
    partial = [F.gelu(x @ a) @ b for a, b in zip(w1_cols, w2_rows)]  # no communication so far
    assert torch.allclose(sum(partial), reference)  # one all-reduce per MLP, in the forward pass
    # wrong split: rows of w1 need a sum *before* GeLU, so the nonlinearity breaks
    x_parts, w1_rows = x.chunk(tp, dim=1), w1.chunk(tp, dim=0)
    wrong = sum(F.gelu(xp @ wr) for xp, wr in zip(x_parts, w1_rows)) @ w2
    assert not torch.allclose(wrong, reference)


# ---------- 4. pipeline schedules (list scheduling, unit costs t_f = 1, t_b = 2) ----------
def schedule(p, m, kind, tf=1, tb=2):
    """Each stage runs its task list in order; a task starts when the stage is free and its
    dependency is done. Returns makespan, bubble fraction, peak stored activations, timeline."""
    orders = []
    for s in range(p):
        if kind == "gpipe":  # all forwards, then all backwards
            order = [("F", i) for i in range(m)] + [("B", i) for i in range(m)]
        else:  # 1F1B (PipeDream-Flush): warm-up forwards, then alternate, then drain
            warm = min(p - s - 1, m)
            order = [("F", i) for i in range(warm)]
            nf, nb = warm, 0
            while nb < m:
                if nf < m:
                    order.append(("F", nf))
                    nf += 1
                order.append(("B", nb))
                nb += 1
        orders.append(order)
    done, free, timeline = {}, [0] * p, []
    pending = [list(o) for o in orders]
    while any(pending):
        progressed = False
        for s in range(p):
            if not pending[s]:
                continue
            kind_, i = pending[s][0]
            dep = (("F", s - 1, i) if s > 0 else None) if kind_ == "F" else \
                  (("B", s + 1, i) if s < p - 1 else ("F", s, i))
            if dep is not None and dep not in done:
                continue
            start = max(free[s], done[dep] if dep else 0)
            end = start + (tf if kind_ == "F" else tb)
            done[(kind_, s, i)], free[s] = end, end
            timeline.append((s, kind_, i, start, end))
            pending[s].pop(0)
            progressed = True
        assert progressed, "deadlock"
    makespan = max(free)
    busy = m * (tf + tb)  # per stage
    bubble = (p * makespan - p * busy) / (p * makespan)
    peak = 0  # activations held by stage 0: forwards done whose backward is not yet done
    for _, _, _, _, tt in timeline:
        held = sum(1 for (k, s, i), e in done.items() if k == "F" and s == 0 and e <= tt) - \
               sum(1 for (k, s, i), e in done.items() if k == "B" and s == 0 and e <= tt)
        peak = max(peak, held)
    return makespan, bubble, peak, timeline


for p, m in [(4, 4), (4, 8), (8, 32)]:
    for kind in ("gpipe", "1f1b"):
        makespan, bubble, peak, _ = schedule(p, m, kind)
        assert abs(bubble - (p - 1) / (m + p - 1)) < 1e-12, (p, m, kind, bubble)
        assert peak == (m if kind == "gpipe" else min(p, m)), (p, m, kind, peak)
P, M = 4, 8
BUBBLE = schedule(P, M, "gpipe")[1]  # 3/11 = 27.3%: the figure in the page's diagram

# ---------- 5. ZeRO-3 / FSDP: sharded step == data-parallel step ----------
torch.manual_seed(1)
p, lr = 4, 0.1
flat = torch.randn(8 * 16 + 16 * 4)  # both weight matrices, flattened: 192 = 4 shards of 48
x, y = torch.randn(16, 8), torch.randn(16, 4)


def unflatten(v):
    return [v[:128].view(8, 16), v[128:].view(16, 4)]


g_full = torch.cat([g.flatten() for g in grads(unflatten(flat), x, y)])
reference_step = flat - lr * g_full
owned = list(flat.chunk(p))  # rank r stores only shard r of the parameters
gathered = torch.cat(owned)  # all-gather before forward/backward (ZeRO-3 / FSDP)
local = [torch.cat([g.flatten() for g in grads(unflatten(gathered), xs, ys)])
         for xs, ys in zip(x.chunk(p), y.chunk(p))]
reduced, _ = ring_all_reduce(local)  # reduce-scatter is the first half; keep own shard only
owned = [owned[r] - lr * (reduced[r].chunk(p)[r] / p) for r in range(p)]
assert torch.allclose(torch.cat(owned), reference_step)

# ZeRO paper, Figure 1: 7.5B parameters, 64-way data parallel, Adam (K = 12 bytes/param)
psi, nd, k = 7.5e9, 64, 12
per_gpu_gb = {
    "baseline DP": (2 + 2 + k) * psi / 1e9,
    "ZeRO-1 (optimizer states)": (2 * psi + 2 * psi + k * psi / nd) / 1e9,
    "ZeRO-2 (+ gradients)": (2 * psi + (2 + k) * psi / nd) / 1e9,
    "ZeRO-3 (+ parameters)": (2 + 2 + k) * psi / nd / 1e9,
}
expected = [120.0, 31.4, 16.6, 1.9]
assert all(abs(v - e) < 0.05 for v, e in zip(per_gpu_gb.values(), expected)), per_gpu_gb

print("data parallel: averaged shard gradients == full-batch gradient (5 seeds)")
print("ring all-reduce: exact sums; each worker sends 2(p-1)/p of the buffer (p = 2, 4, 8)")
print("tensor parallel: column-then-row split MLP == unsplit MLP (tp = 2, 4)")
print(f"pipeline p={P}, m={M}: bubble {BUBBLE:.3f} == (p-1)/(m+p-1); 1F1B holds <= p activations")
print("ZeRO-3 sharded SGD step == data-parallel step; per-GPU GB: " +
      ", ".join(f"{k_} {v:.1f}" for k_, v in per_gpu_gb.items()))
