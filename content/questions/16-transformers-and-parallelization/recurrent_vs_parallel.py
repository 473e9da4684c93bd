"""Sequential (RNN-style) vs parallel (transformer-style) computation over time.

Three computations, each done two ways, asserting identical outputs and
counting the number of *dependent* steps (steps that must wait for the previous
one):
  1. causal softmax attention: token-by-token decoding with a KV cache (T steps)
     vs one masked matmul over all positions, as in teacher-forced training (1 step);
  2. causal linear attention: a recurrent state update (T steps) vs one masked
     matmul (1 step), the "transformers are RNNs" duality;
  3. a diagonal linear recurrence h_t = a_t * h_{t-1} + b_t (the core of
     S4/Mamba-style layers): a loop (T steps) vs a parallel prefix scan
     (ceil(log2 T) steps).
"""
import math

import torch

torch.manual_seed(0)
T, d = 16, 8                                   # sequence length, head dimension
q, k, v = torch.randn(3, T, d).unbind(0)
causal = torch.ones(T, T).tril().bool()        # position t may see positions <= t


# ---- 1. softmax attention: decode loop vs one masked matmul -------------------
def softmax_attention_parallel(q, k, v):
    scores = q @ k.T / math.sqrt(d)                        # (T, T) in one matmul
    scores = scores.masked_fill(~causal, float("-inf"))    # hide the future
    return torch.softmax(scores, dim=-1) @ v, 1            # outputs, dependent steps


def softmax_attention_decode(q, k, v):
    k_cache, v_cache, outs, steps = [], [], [], 0
    for t in range(T):                 # token t can only be processed after t-1
        k_cache.append(k[t])           # (in real decoding, x_t is the token
        v_cache.append(v[t])           #  generated at step t-1)
        K, V = torch.stack(k_cache), torch.stack(v_cache)
        a = torch.softmax(K @ q[t] / math.sqrt(d), dim=0)
        outs.append(a @ V)
        steps += 1
    return torch.stack(outs), steps


par, par_steps = softmax_attention_parallel(q, k, v)
seq, seq_steps = softmax_attention_decode(q, k, v)
assert torch.allclose(par, seq, atol=1e-5), "masking must reproduce step-by-step outputs"
assert seq_steps == T          # loop iterations actually run (the parallel form is one call by construction)

# The mask is what makes this legal: without it, every row but the last sees the
# future and no longer matches what decoding would compute.
unmasked = torch.softmax(q @ k.T / math.sqrt(d), dim=-1) @ v
assert not torch.allclose(unmasked[:-1], seq[:-1], atol=1e-3), "no mask = leaked future"
assert torch.allclose(unmasked[-1], seq[-1], atol=1e-5)   # the last row sees everything anyway
# And row t of the parallel form ignores future tokens: changing them leaves it intact.
k2, v2 = k.clone(), v.clone()
k2[T // 2:], v2[T // 2:] = torch.randn(T - T // 2, d), torch.randn(T - T // 2, d)
par2, _ = softmax_attention_parallel(q, k2, v2)
assert torch.allclose(par2[: T // 2], par[: T // 2], atol=1e-6)
assert not torch.allclose(par2[T // 2:], par[T // 2:], atol=1e-3)


# ---- 2. causal linear attention: recurrent state vs masked matmul ------------
def phi(x):                                    # positive feature map (elu + 1)
    return torch.nn.functional.elu(x) + 1


def linear_attention_recurrent(q, k, v):
    S = torch.zeros(d, d)                      # running sum of phi(k_j) v_j^T
    z = torch.zeros(d)                         # running sum of phi(k_j)
    outs, steps = [], 0
    for t in range(T):
        S = S + torch.outer(phi(k[t]), v[t])   # O(1) state per step, like an RNN
        z = z + phi(k[t])
        outs.append(phi(q[t]) @ S / (phi(q[t]) @ z))
        steps += 1
    return torch.stack(outs), steps


def linear_attention_parallel(q, k, v):
    A = (phi(q) @ phi(k).T) * causal           # (T, T) unnormalised, future zeroed
    return (A @ v) / A.sum(-1, keepdim=True), 1


rec, rec_steps = linear_attention_recurrent(q, k, v)
lin, lin_steps = linear_attention_parallel(q, k, v)
assert torch.allclose(rec, lin, atol=1e-5), "recurrent and parallel forms must agree"
assert rec_steps == T
# Negative control: without the causal mask the parallel form no longer matches the recurrence.
A_nomask = phi(q) @ phi(k).T
assert not torch.allclose((A_nomask @ v) / A_nomask.sum(-1, keepdim=True), rec, atol=1e-3)


# ---- 3. linear recurrence: loop vs Hillis-Steele parallel scan ---------------
a = torch.rand(T, d) * 0.5 + 0.5               # per-step decay (input-dependent in Mamba)
b = torch.randn(T, d)                          # per-step input


def scan_sequential(a, b):
    h, hs = torch.zeros(d), []
    for t in range(T):
        h = a[t] * h + b[t]
        hs.append(h)
    return torch.stack(hs), T


def scan_parallel(a, b):
    """Each element is an affine map h -> A*h + B. Composition is associative:
    (A2, B2) o (A1, B1) = (A2*A1, A2*B1 + B2), so prefixes can be combined in a
    tree. Every round below is one vectorised op over all T positions."""
    A, B, offset, steps = a.clone(), b.clone(), 1, 0
    while offset < T:
        A_prev = torch.cat([torch.ones(offset, d), A[:-offset]])   # identity map pad
        B_prev = torch.cat([torch.zeros(offset, d), B[:-offset]])
        A, B = A * A_prev, A * B_prev + B      # compose with the map `offset` back
        offset *= 2
        steps += 1
    return B, steps                             # h_0 = 0, so h_t = B_t


h_seq, n_seq = scan_sequential(a, b)
h_par, n_par = scan_parallel(a, b)
assert torch.allclose(h_seq, h_par, atol=1e-5), "parallel scan must match the loop"
assert n_seq == T and n_par == math.ceil(math.log2(T))   # rounds counted by the while loop


def scan_wrong_order(a, b):
    """Negative control: compose the two maps in the wrong order. The scan is only
    correct because the combine step respects the order of an associative operator."""
    A, B, offset = a.clone(), b.clone(), 1
    while offset < T:
        A_prev = torch.cat([torch.ones(offset, d), A[:-offset]])
        B_prev = torch.cat([torch.zeros(offset, d), B[:-offset]])
        A, B = A * A_prev, A_prev * B + B_prev     # (A1, B1) o (A2, B2): reversed
        offset *= 2
    return B


assert not torch.allclose(h_seq, scan_wrong_order(a, b), atol=1e-3), "order must matter"

# The identities hold for any inputs, not one lucky draw: re-check on fresh seeds.
for seed in range(1, 6):
    torch.manual_seed(seed)
    q_, k_, v_ = torch.randn(3, T, d).unbind(0)
    assert torch.allclose(softmax_attention_parallel(q_, k_, v_)[0],
                          softmax_attention_decode(q_, k_, v_)[0], atol=1e-5), seed
    assert torch.allclose(linear_attention_parallel(q_, k_, v_)[0],
                          linear_attention_recurrent(q_, k_, v_)[0], atol=1e-5), seed
    a_, b_ = torch.rand(T, d) * 0.5 + 0.5, torch.randn(T, d)
    assert torch.allclose(scan_sequential(a_, b_)[0], scan_parallel(a_, b_)[0], atol=1e-5), seed

print(f"softmax attention : decode {seq_steps} dependent steps, training {par_steps} (masked matmul)")
print(f"linear attention  : recurrent {rec_steps} steps, parallel {lin_steps}")
print(f"linear recurrence : loop {n_seq} steps, parallel scan {n_par} steps")
print("OK: every parallel form reproduces its sequential counterpart exactly.")
