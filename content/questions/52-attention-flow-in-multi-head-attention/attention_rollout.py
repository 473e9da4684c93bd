"""Per-head attention maps, attention rollout and attention flow (Abnar & Zuidema, 2020).

A tiny random 3-layer pre-norm transformer built from nn.MultiheadAttention gives
per-head maps of shape (layers, heads, n, n). Rollout then
  1. averages the heads of each layer,
  2. adds the identity for the residual connection: A_hat = 0.5 A + 0.5 I,
  3. keeps rows summing to 1 (they already do, since A and I are row-stochastic),
  4. multiplies the layers: R = A_hat_L @ ... @ A_hat_1.
R[i, j] estimates how much of input token j is mixed into position i at the top.
Attention flow instead treats A_hat as edge capacities and computes a max-flow.
"""
from collections import deque

import torch
import torch.nn as nn

torch.manual_seed(0)
n_layers, n_heads, d, n = 3, 4, 16, 6


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, n_heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask=None):
        h = self.ln1(x)
        # average_attn_weights=False returns one map per head: (batch, heads, n, n)
        a_out, w = self.attn(h, h, h, attn_mask=mask, need_weights=True,
                             average_attn_weights=False)
        x = x + a_out                     # residual: the token keeps its own stream
        x = x + self.mlp(self.ln2(x))
        return x, w


def per_head_maps(blocks, x, causal=False):
    mask = torch.ones(n, n).triu(1).bool() if causal else None  # True = blocked
    maps = []
    for blk in blocks:
        x, w = blk(x, mask)
        maps.append(w[0])                 # drop the batch dim -> (heads, n, n)
    return torch.stack(maps)              # (layers, heads, n, n)


def rollout(maps, residual=0.5):
    """maps: (layers, heads, n, n) -> (n, n) input-attribution matrix."""
    eye = torch.eye(maps.shape[-1])
    R = eye
    for A in maps.mean(dim=1):            # average heads, bottom layer first
        A_hat = residual * eye + (1 - residual) * A
        A_hat = A_hat / A_hat.sum(dim=-1, keepdim=True)
        R = A_hat @ R                     # compose with everything below
    return R


def attention_flow(maps, out_pos, residual=0.5):
    """Max-flow from output position `out_pos` (top layer) to each input token,
    with capacities A_hat (Edmonds-Karp on the layered attention graph)."""
    L, m = maps.shape[0], maps.shape[-1]
    eye = torch.eye(m)
    node = lambda layer, tok: layer * m + tok             # layer 0 = inputs
    cap = {}
    for l, A in enumerate(maps.mean(dim=1)):
        A_hat = residual * eye + (1 - residual) * A
        for i in range(m):
            for j in range(m):
                if A_hat[i, j] > 0:
                    cap[(node(l + 1, i), node(l, j))] = float(A_hat[i, j])

    def max_flow(s, t):
        res = dict(cap)
        for (u, v) in list(cap):
            res.setdefault((v, u), 0.0)
        adj = {}
        for (u, v) in res:
            adj.setdefault(u, []).append(v)
        total = 0.0
        while True:
            parent, q = {s: None}, deque([s])
            while q and t not in parent:
                u = q.popleft()
                for v in adj.get(u, []):
                    if v not in parent and res[(u, v)] > 1e-12:
                        parent[v] = u
                        q.append(v)
            if t not in parent:
                return total
            path, v = [], t
            while parent[v] is not None:
                path.append((parent[v], v))
                v = parent[v]
            f = min(res[e] for e in path)
            for (u, v) in path:
                res[(u, v)] -= f
                res[(v, u)] += f
            total += f

    return torch.tensor([max_flow(node(L, out_pos), node(0, j)) for j in range(m)])


# ---- a tiny model ------------------------------------------------------------
blocks = nn.ModuleList(Block() for _ in range(n_layers)).eval()
x = torch.randn(1, n, d)
with torch.no_grad():
    maps = per_head_maps(blocks, x)
    causal_maps = per_head_maps(blocks, x, causal=True)

assert maps.shape == (n_layers, n_heads, n, n)
assert torch.allclose(maps.sum(-1), torch.ones(n_layers, n_heads, n), atol=1e-5)
R = rollout(maps)
assert R.shape == (n, n)
assert torch.allclose(R.sum(-1), torch.ones(n), atol=1e-5), "rollout rows are distributions"

# Causal attention can only move information forward, so rollout is lower-triangular.
Rc = rollout(causal_maps)
assert torch.allclose(Rc, Rc.tril()), "no flow from future tokens"

# ---- sanity checks -----------------------------------------------------------
# 1. If every head attends only to itself, nothing mixes: rollout is the identity.
identity_maps = torch.eye(n).expand(n_layers, n_heads, n, n)
assert torch.allclose(rollout(identity_maps), torch.eye(n))

# 2. Hand-checkable 2-layer, 2-token case: every head sends all attention to token 0.
A = torch.tensor([[1.0, 0.0], [1.0, 0.0]]).expand(2, 1, 2, 2)
# A_hat = 0.5 A + 0.5 I = [[1, 0], [0.5, 0.5]];  A_hat @ A_hat = [[1, 0], [0.75, 0.25]]
assert torch.allclose(rollout(A), torch.tensor([[1.0, 0.0], [0.75, 0.25]]))
# Attention flow on the same graph: token 1 at the top can push 0.5 via the
# layer-1 copy of token 0 plus 0.5 via its own residual path -> 1.0 to input 0,
# and only 0.5 to input 1 (the bottleneck is its own residual edge).
assert torch.allclose(attention_flow(A, out_pos=1), torch.tensor([1.0, 0.5]))

# 3. "Add identity and renormalise" is the same thing as 0.5 A + 0.5 I.
A_mean = maps[0].mean(0)
alt = (A_mean + torch.eye(n)) / (A_mean + torch.eye(n)).sum(-1, keepdim=True)
assert torch.allclose(alt, 0.5 * A_mean + 0.5 * torch.eye(n))

# ---- what the single-layer view misses ---------------------------------------
raw_last = maps[-1].mean(0)[0]            # top-layer attention of position 0, heads averaged
flow0 = attention_flow(maps, out_pos=0)
print("position 0 attends to (raw top layer):", [round(v, 2) for v in raw_last.tolist()])
print("position 0 rollout over inputs       :", [round(v, 2) for v in R[0].tolist()])
print("position 0 attention flow (capacities):", [round(v, 2) for v in flow0.tolist()])
print("head disagreement in top layer (max |head - mean|):",
      round(float((maps[-1] - maps[-1].mean(0)).abs().max()), 2))

# ---- the numbers drawn in the page's diagram ---------------------------------
# A 2-layer causal model on 4 tokens ([BOS] the cat sat). Edge weights are the
# head-averaged A_hat = 0.5 A + 0.5 I, so every row sums to 1 and every self
# (residual) edge is at least 0.5. The SVG is drawn from DIAGRAM below, and the
# assert ties it to what the model computes.
def diagram_graph(seed, m=4):
    torch.manual_seed(seed)
    blks = nn.ModuleList(Block() for _ in range(2)).eval()
    xm = torch.randn(1, m, d)
    mask = torch.ones(m, m).triu(1).bool()
    mp = []
    with torch.no_grad():
        for blk in blks:
            xm, w = blk(xm, mask)
            mp.append(w[0])
    mp = torch.stack(mp)                                    # (2, heads, m, m)
    a_hat = 0.5 * torch.eye(m) + 0.5 * mp.mean(dim=1)       # (2, m, m)
    return mp, a_hat


for seed in range(10):                    # the legend's properties, for any weights
    _, a_hat = diagram_graph(seed)
    assert torch.allclose(a_hat.sum(-1), torch.ones(2, 4), atol=1e-6), "rows sum to 1"
    assert torch.all(a_hat.diagonal(dim1=-2, dim2=-1) >= 0.5), "residual floor 0.5"
    assert torch.allclose(a_hat, a_hat.tril()), "causal: no edge to a later token"

# Rounded edge weights written into attention-graph.svg (row = reading token), and the
# rollout and flow of "sat" shown in its caption.
DIAGRAM = {
    "layer 1": [[1.00, 0, 0, 0], [0.29, 0.71, 0, 0], [0.17, 0.16, 0.67, 0],
                [0.16, 0.13, 0.13, 0.58]],
    "layer 2 (sat)": [0.13, 0.12, 0.14, 0.61],
    "rollout (sat)": [0.28, 0.19, 0.17, 0.36],
    "flow (sat)": [0.54, 0.39, 0.27, 0.58],
}
dmaps, a_hat = diagram_graph(seed=14)
sat_rollout = rollout(dmaps)[3]
sat_flow = attention_flow(dmaps, out_pos=3)
computed = {"layer 1": a_hat[0].tolist(), "layer 2 (sat)": a_hat[1][3].tolist(),
            "rollout (sat)": sat_rollout.tolist(), "flow (sat)": sat_flow.tolist()}
for key, want in DIAGRAM.items():
    got = computed[key] if key == "layer 1" else [computed[key]]
    for g_row, w_row in zip(got, want if key == "layer 1" else [want]):
        assert all(abs(g - w) < 0.006 for g, w in zip(g_row, w_row)), (key, g_row, w_row)
        if key != "flow (sat)":           # flow values are capacities, not a distribution
            assert abs(sum(w_row) - 1) < 1e-9, (key, "drawn row must sum to 1.00")
for i, row in enumerate(DIAGRAM["layer 1"]):
    assert row[i] >= 0.5                  # drawn self edges respect the residual floor
assert DIAGRAM["layer 2 (sat)"][3] >= 0.5
print("diagram, layer-1 edges (rows = [BOS] the cat sat):",
      [[round(v, 2) for v in r] for r in a_hat[0].tolist()])
print("diagram, layer-2 edges of sat:", [round(v, 2) for v in a_hat[1][3].tolist()])
print("diagram, rollout of sat:", [round(v, 2) for v in sat_rollout.tolist()],
      "| flow of sat:", [round(v, 2) for v in sat_flow.tolist()])
print("OK: maps are row-stochastic; rollout/flow match hand-computed cases; diagram matches.")
