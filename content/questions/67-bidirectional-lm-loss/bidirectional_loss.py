"""A bidirectional language-modelling loss (ELMo-style) for causal transformers.

One causal model reads each sequence left to right and predicts the next token;
a second causal model reads the same sequence right to left and predicts the
previous token. The loss is a weighted sum of the two cross-entropies:

    L = alpha * CE(forward) + (1 - alpha) * CE(backward)

The hard part is the alignment in a right-padded batch: reverse only the real
tokens of every row (pads stay at the end), then shift the targets by one in
each direction and mask pads (and the final position) with ignore_index.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0
IGNORE = -100


def reverse_padded(ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse the first lengths[b] tokens of each row; keep the pads at the end.
    Works on (B, T) ids and on (B, T, V) logits (to map backward logits to original order).

    torch.flip(ids, [1]) would be wrong: on a right-padded batch it moves the
    pads to the front, so the backward model would read pads first and every
    target would be shifted by the amount of padding.
    """
    B, T = ids.shape[:2]
    pos = torch.arange(T, device=ids.device).expand(B, T)
    L = lengths.unsqueeze(1)
    src = torch.where(pos < L, L - 1 - pos, pos)  # real part mirrored, pads in place
    if ids.dim() == 3:
        src = src.unsqueeze(-1).expand_as(ids)
    return ids.gather(1, src)


def next_token_targets(ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """targets[b, t] = ids[b, t + 1] for real positions; IGNORE elsewhere.

    The last real position has no next token, so it is ignored too (add an EOS
    token to the data if you want the model to learn where sequences end).
    """
    B, T = ids.shape
    tgt = torch.full_like(ids, IGNORE)
    tgt[:, :-1] = ids[:, 1:]
    pos = torch.arange(T, device=ids.device).expand(B, T)
    tgt[pos >= (lengths.unsqueeze(1) - 1)] = IGNORE
    return tgt


class BidirectionalLMLoss(nn.Module):
    """alpha * forward next-token CE + (1 - alpha) * backward previous-token CE.

    fwd_logits: (B, T, V) from the causal model run on `ids`.
    bwd_logits: (B, T, V) from the causal model run on reverse_padded(ids).
    Each direction is a mean over its own real target tokens, so a batch with
    more padding is not weighted differently from a full one.
    """

    def __init__(self, alpha: float = 0.5, ignore_index: int = IGNORE):
        super().__init__()
        assert 0.0 <= alpha <= 1.0
        self.alpha = alpha
        self.ignore_index = ignore_index

    def token_sums(self, fwd_logits, bwd_logits, ids, lengths):
        """Summed (not averaged) losses and target counts per direction. Use these under
        gradient accumulation: divide by the token count of the WHOLE accumulated batch."""
        V = fwd_logits.size(-1)
        fwd_tgt = next_token_targets(ids, lengths)
        bwd_tgt = next_token_targets(reverse_padded(ids, lengths), lengths)
        s_fwd = F.cross_entropy(fwd_logits.reshape(-1, V), fwd_tgt.reshape(-1),
                                ignore_index=self.ignore_index, reduction="sum")
        s_bwd = F.cross_entropy(bwd_logits.reshape(-1, V), bwd_tgt.reshape(-1),
                                ignore_index=self.ignore_index, reduction="sum")
        return s_fwd, s_bwd, (fwd_tgt != self.ignore_index).sum(), (bwd_tgt != self.ignore_index).sum()

    def mix(self, s_fwd, s_bwd, n_fwd, n_bwd):
        return self.alpha * s_fwd / n_fwd + (1.0 - self.alpha) * s_bwd / n_bwd

    def forward(self, fwd_logits, bwd_logits, ids, lengths):
        s_fwd, s_bwd, n_fwd, n_bwd = self.token_sums(fwd_logits, bwd_logits, ids, lengths)
        l_fwd, l_bwd = s_fwd / n_fwd, s_bwd / n_bwd     # each direction: mean over its targets
        loss = self.alpha * l_fwd + (1.0 - self.alpha) * l_bwd
        return loss, {"fwd": l_fwd.detach(), "bwd": l_bwd.detach()}


class TinyBiLM(nn.Module):
    """Two causal transformer stacks sharing token embeddings and the output head,
    as ELMo shared its token representation and softmax between directions."""

    def __init__(self, vocab: int, d: int = 32, max_len: int = 16):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)

        def stack():
            layer = nn.TransformerEncoderLayer(d, nhead=2, dim_feedforward=64,
                                               dropout=0.0, batch_first=True)
            return nn.TransformerEncoder(layer, num_layers=1, enable_nested_tensor=False)

        self.fwd, self.bwd = stack(), stack()
        self.head = nn.Linear(d, vocab)

    def run(self, stack, ids):
        T = ids.size(1)
        # True above the diagonal = "may not attend": position t sees only <= t.
        # Right padding means real positions never see pads, so no padding mask is needed.
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        x = self.tok(ids) + self.pos(torch.arange(T))
        return self.head(stack(x, mask=causal))

    def forward(self, ids, lengths):
        return self.run(self.fwd, ids), self.run(self.bwd, reverse_padded(ids, lengths))


def reference_loss(fwd_logits, bwd_logits, seqs, alpha):
    """Plain-Python loss for unpadded sequences: loops, no tensor tricks."""
    def nll(logit_row, target):
        m = max(logit_row)
        logz = m + math.log(sum(math.exp(v - m) for v in logit_row))
        return logz - logit_row[target]

    f_terms, b_terms = [], []
    for b, s in enumerate(seqs):
        rev = s[::-1]
        for t in range(len(s) - 1):
            f_terms.append(nll(fwd_logits[b][t], s[t + 1]))   # predict the next token
            b_terms.append(nll(bwd_logits[b][t], rev[t + 1]))  # predict the previous token
    return alpha * sum(f_terms) / len(f_terms) + (1 - alpha) * sum(b_terms) / len(b_terms)


def main():
    torch.manual_seed(0)

    # 1. Alignment on a hand-built right-padded batch.
    ids = torch.tensor([[5, 6, 7, 8], [3, 4, 9, PAD], [2, 1, PAD, PAD]])
    lengths = torch.tensor([4, 3, 2])
    rev = reverse_padded(ids, lengths)
    assert rev.tolist() == [[8, 7, 6, 5], [9, 4, 3, PAD], [1, 2, PAD, PAD]]
    assert torch.equal(reverse_padded(rev, lengths), ids)  # reversing twice is identity
    assert next_token_targets(ids, lengths).tolist() == [
        [6, 7, 8, IGNORE], [4, 9, IGNORE, IGNORE], [1, IGNORE, IGNORE, IGNORE]]
    # Backward targets are the previous tokens: reading "9 4 3", predict 4 then 3.
    assert next_token_targets(rev, lengths).tolist() == [
        [7, 6, 5, IGNORE], [4, 3, IGNORE, IGNORE], [2, IGNORE, IGNORE, IGNORE]]
    # The naive flip puts pads first and misaligns every padded row.
    assert torch.flip(ids, [1])[1].tolist() == [PAD, 9, 4, 3] != rev[1].tolist()

    # 2. The loss equals a hand-computed reference.
    V, alpha = 10, 0.3
    fwd = torch.randn(3, 4, V, dtype=torch.float64, requires_grad=True)
    bwd = torch.randn(3, 4, V, dtype=torch.float64, requires_grad=True)
    crit = BidirectionalLMLoss(alpha=alpha)
    loss, parts = crit(fwd, bwd, ids, lengths)
    seqs = [[5, 6, 7, 8], [3, 4, 9], [2, 1]]
    ref = reference_loss(fwd.tolist(), bwd.tolist(), seqs, alpha)
    assert abs(loss.item() - ref) < 1e-10, (loss.item(), ref)

    # 3. Pad positions (and each row's last real position) contribute nothing:
    #    overwrite their logits with garbage and the loss must not move.
    pos = torch.arange(4).expand(3, 4)
    dead = (pos >= (lengths.unsqueeze(1) - 1)).unsqueeze(-1)
    noisy_fwd = torch.where(dead, 100 * torch.randn_like(fwd), fwd)
    noisy_bwd = torch.where(dead, 100 * torch.randn_like(bwd), bwd)
    loss2, _ = crit(noisy_fwd, noisy_bwd, ids, lengths)
    assert torch.allclose(loss, loss2, atol=0, rtol=0)
    loss.backward()
    assert fwd.grad[dead.expand_as(fwd)].abs().max() == 0
    assert bwd.grad[dead.expand_as(bwd)].abs().max() == 0

    # 4. Gradients reach both directions of a model; alpha=1 cuts the backward one off.
    model = TinyBiLM(vocab=V)
    f_logits, b_logits = model(ids, lengths)
    BidirectionalLMLoss(alpha=0.5)(f_logits, b_logits, ids, lengths)[0].backward()
    grad_norm = lambda m: sum(p.grad.abs().sum().item() for p in m.parameters() if p.grad is not None)
    assert grad_norm(model.fwd) > 0 and grad_norm(model.bwd) > 0
    model.zero_grad(set_to_none=True)
    f_logits, b_logits = model(ids, lengths)
    BidirectionalLMLoss(alpha=1.0)(f_logits, b_logits, ids, lengths)[0].backward()
    assert grad_norm(model.bwd) == 0

    # Causality in both directions (a bidirectional encoder would leak the answer).
    # Change the token at position j. Forward logits at positions < j must not move; the
    # backward stack, mapped back to the original order, must not move at positions > j
    # (it may only see x_j.. x_L). Both must move at position j itself, or the test is vacuous.
    model.eval()
    with torch.no_grad():
        x, n = torch.tensor([[5, 6, 7, 8, 3, 4]]), torch.tensor([6])
        f_x, b_x = model(x, n)
        b_x = reverse_padded(b_x, n)                      # backward logits in original order
        for j in range(6):
            y = x.clone()
            y[0, j] = 9 - y[0, j]                         # a different token at position j
            f_y, b_y = model(y, n)
            b_y = reverse_padded(b_y, n)
            assert torch.allclose(f_x[:, :j], f_y[:, :j], atol=1e-6), j          # past: unchanged
            assert torch.allclose(b_x[:, j + 1:], b_y[:, j + 1:], atol=1e-6), j  # later: unchanged
            assert not torch.allclose(f_x[:, j], f_y[:, j], atol=1e-4), j        # sensitive at j
            assert not torch.allclose(b_x[:, j], b_y[:, j], atol=1e-4), j
    model.train()

    # Gradient accumulation: micro-batches with different numbers of real tokens.
    # Correct: sum each micro-batch's token losses, divide by the token count of the whole
    # accumulated batch, backward, repeat. That reproduces the full-batch loss and
    # gradients. Averaging per-micro-batch means does not.
    acc_ids = torch.tensor([[3, 4, PAD, PAD, PAD, PAD], [5, 6, 7, 8, 2, 3],
                            [2, 1, 4, PAD, PAD, PAD], [7, 7, 8, 9, 1, PAD]])
    acc_len = torch.tensor([2, 6, 3, 5])
    micro = [slice(0, 1), slice(1, 4)]                    # 1 target per direction vs 5 + 2 + 4
    crit = BidirectionalLMLoss(alpha=0.3)
    model.zero_grad(set_to_none=True)
    full_loss, _ = crit(*model(acc_ids, acc_len), acc_ids, acc_len)
    full_loss.backward()
    full_grads = [p.grad.clone() for p in model.parameters()]
    # The denominators come from the labels of all micro-batches, known before any backward.
    n_tot = int((acc_len - 1).sum())                      # each row has L - 1 targets per direction
    model.zero_grad(set_to_none=True)
    acc_loss, mean_of_means = 0.0, 0.0
    for mb in micro:
        s_f, s_b, n_f, n_b = crit.token_sums(*model(acc_ids[mb], acc_len[mb]), acc_ids[mb], acc_len[mb])
        part = crit.mix(s_f, s_b, n_tot, n_tot)
        part.backward()                                   # gradients add up across micro-batches
        acc_loss += part.item()
        mean_of_means += crit.mix(s_f, s_b, n_f, n_b).item() / len(micro)
    assert abs(acc_loss - full_loss.item()) < 1e-5
    assert all(torch.allclose(p.grad, g, atol=1e-6) for p, g in zip(model.parameters(), full_grads))
    assert abs(mean_of_means - full_loss.item()) > 0.01   # the naive average is a different loss
    print(f"grad accumulation: full batch {full_loss.item():.4f} | sum/total tokens "
          f"{acc_loss:.4f} | mean of means {mean_of_means:.4f}")

    # 5. Train on counting sequences (a, a+1, a+2, ... mod 8, values 1..8) of random
    #    lengths: forward must learn "+1", backward must learn "-1". Training is stochastic,
    #    so the claim is checked for several seeds, not one.
    def batch(n=32, T=8):
        lens = torch.randint(3, T + 1, (n,))
        start = torch.randint(0, 8, (n, 1))
        ids = (start + torch.arange(T)) % 8 + 1
        ids[torch.arange(T).expand(n, T) >= lens.unsqueeze(1)] = PAD
        return ids, lens

    steps = 40
    crit = BidirectionalLMLoss(alpha=0.5)
    for seed in (0, 1, 2):
        torch.manual_seed(seed)
        model = TinyBiLM(vocab=9)
        opt = torch.optim.Adam(model.parameters(), lr=3e-3)
        history = []
        for step in range(steps):
            b_ids, b_lens = batch()
            loss, parts = crit(*model(b_ids, b_lens), b_ids, b_lens)
            opt.zero_grad()
            loss.backward()
            opt.step()
            history.append((loss.item(), parts["fwd"].item(), parts["bwd"].item()))
        first, last = history[0], history[-1]
        print(f"seed {seed}: step 0 loss {first[0]:.3f} (fwd {first[1]:.3f}, bwd {first[2]:.3f}) -> "
              f"step {steps - 1} loss {last[0]:.3f} (fwd {last[1]:.3f}, bwd {last[2]:.3f})")
        assert last[0] < 0.05 * first[0] and last[1] < 0.1 and last[2] < 0.1, (seed, first, last)

        # The trained backward model really predicts the previous token.
        model.eval()
        with torch.no_grad():
            ids = torch.tensor([[3, 4, 5, 6, 7]])
            _, b_logits = model(ids, torch.tensor([5]))
            # It reads 7, 6, 5, 4 and should predict 6, 5, 4, 3.
            assert b_logits[0, :4].argmax(-1).tolist() == [6, 5, 4, 3], seed
    print("backward stack blind to earlier tokens, forward stack blind to later ones (6 positions)")
    print("all bidirectional-loss checks passed")


if __name__ == "__main__":
    main()
