"""Beam search with length normalisation and correct end-of-sequence handling.

Any model with this interface can be decoded:
    state = model.init()                       # state for the empty prefix
    logp, state = model.step(state, tokens)    # (n, V) log-probs of the next token
    state = model.reorder(state, idx)          # follow the surviving beams
`reorder` is the toy version of re-indexing a transformer's KV cache by beam.

Running this file checks beam search against exhaustive search, against
greedy decoding, and on hand-built models where greedy fails and where
unnormalised scores prefer the empty output.
"""
import math

import torch
import torch.nn as nn

EOS = 0


def length_penalty(length: int, alpha: float, kind: str = "gnmt") -> float:
    """Divide a hypothesis' log-prob by this. alpha = 0 means raw log-prob.
    gnmt:   ((5 + |Y|) / 6) ** alpha           (Wu et al., 2016)
    simple: |Y| ** alpha; alpha = 1 is the mean log-prob per token."""
    if kind == "gnmt":
        return ((5.0 + length) / 6.0) ** alpha
    return float(length) ** alpha


def beam_search(model, beam_size, max_len, alpha=0.0, kind="gnmt", early_stop=True, trace=None):
    """Returns (finished hypotheses sorted best first, decoding steps run).
    Each hypothesis is (tokens, log_prob, normalised_score); its length counts
    the EOS token. A hypothesis that reaches max_len without EOS is finished as is.
    If trace is a list, every candidate with probability > 0.01 is appended to it as
    (step, tokens, probability, status), status in {"beam", "finished", "pruned"}."""
    lp = lambda n: length_penalty(n, alpha, kind)
    state = model.init()
    seqs = [()]                                  # live prefixes (never contain EOS)
    scores = torch.zeros(1)                      # their summed log-probs
    last = torch.full((1,), -1, dtype=torch.long)  # -1 = "start of sequence"
    finished = []

    for t in range(1, max_len + 1):
        logp, state = model.step(state, last)                 # (n_live, V)
        V = logp.shape[1]
        cand = (scores[:, None] + logp).view(-1)              # every one-token extension
        # Take 2B candidates: at most one per beam ends in EOS, so at least B
        # non-EOS candidates remain to keep the beam full.
        k = min(2 * beam_size, cand.numel())
        top, idx = cand.topk(k)
        src, tok = torch.div(idx, V, rounding_mode="floor"), idx % V   # (beam, token)
        keep_src, keep_tok, keep_scores, new_seqs = [], [], [], []
        status = {}
        for rank in range(k):
            s, b, w = top[rank].item(), src[rank].item(), tok[rank].item()
            seq = seqs[b] + (w,)
            if w == EOS or t == max_len:
                # A hypothesis that ends here leaves the beam for good. Only
                # candidates ranked inside the beam may finish (as in HF).
                if rank < beam_size:
                    finished.append((seq, s, s / lp(t)))
                    status[seq] = "finished"
            elif len(new_seqs) < beam_size:
                new_seqs.append(seq)
                keep_src.append(b)
                keep_tok.append(w)
                keep_scores.append(s)
                status[seq] = "beam"
        if trace is not None:                                 # for the diagram
            for flat in (cand > math.log(0.01)).nonzero().flatten().tolist():
                seq = seqs[flat // V] + (flat % V,)
                trace.append((t, seq, math.exp(cand[flat].item()), status.get(seq, "pruned")))
        if not new_seqs:
            break
        seqs = new_seqs
        scores = torch.tensor(keep_scores)
        last = torch.tensor(keep_tok)
        state = model.reorder(state, torch.tensor(keep_src))  # reorder the "cache"

        if early_stop and finished:
            # Exact stopping rule: log-probs only fall as a hypothesis grows, so a
            # live beam with score s can at best reach s / max(lp) over the
            # lengths it can still have. Stop when the best finished beats that.
            # (This guarantees the best hypothesis, not a complete n-best list.)
            best_lp = max(lp(n) for n in range(t + 1, max_len + 1))
            bound = scores.max().item() / best_lp
            if max(f[2] for f in finished) >= bound:
                break
    finished.sort(key=lambda f: -f[2])
    return finished, t


def batched_beam_search(model, sources, beam_size, max_len, alpha=0.0, kind="gnmt",
                        early_stop=True):
    """The same search for a batch of inputs at once, as on a GPU: the B beams of each of
    the N inputs are folded into the batch dimension, so every step is ONE model call on
    N * B rows, scores are an (N, B) tensor and top-k runs over each input's B * V
    candidates. Only the per-input bookkeeping (finished lists, stopping) is a Python loop.
    Returns one finished list (best first) per input."""
    lp = lambda n: length_penalty(n, alpha, kind)
    N, B, NEG = len(sources), beam_size, float("-inf")
    state = model.init_batch(sources).repeat_interleave(B, dim=0)   # (N * B, hidden)
    scores = torch.full((N, B), NEG)
    scores[:, 0] = 0.0                         # one live beam per input at the start
    seqs = [[()] * B for _ in range(N)]
    last = torch.full((N * B,), -1, dtype=torch.long)
    finished, done = [[] for _ in range(N)], [False] * N
    for t in range(1, max_len + 1):
        logp, state = model.step(state, last)                        # (N * B, V)
        V = logp.shape[1]
        cand = (scores.view(N * B, 1) + logp).view(N, B * V)         # each input's candidates
        top, idx = cand.topk(2 * B, dim=1)                           # (N, 2B)
        src, tok = torch.div(idx, V, rounding_mode="floor"), idx % V
        new_scores = torch.full((N, B), NEG)
        new_last = torch.zeros(N * B, dtype=torch.long)
        rows = torch.arange(N * B)             # which parent row each new slot continues
        new_seqs = [[()] * B for _ in range(N)]
        for n in range(N):
            if done[n]:
                continue                       # finished inputs just ride along as padding
            kept = 0
            for rank in range(2 * B):
                s = top[n, rank].item()
                if s == NEG:
                    break                      # empty beam slots, only before the beam fills
                b, w = src[n, rank].item(), tok[n, rank].item()
                seq = seqs[n][b] + (w,)
                if w == EOS or t == max_len:
                    if rank < B:
                        finished[n].append((seq, s, s / lp(t)))
                elif kept < B:
                    new_seqs[n][kept], new_scores[n, kept] = seq, s
                    new_last[n * B + kept], rows[n * B + kept] = w, n * B + b
                    kept += 1
            if kept == 0:
                done[n] = True
            elif early_stop and finished[n]:   # the same exact stopping rule, per input
                bound = new_scores[n].max().item() / max(lp(m) for m in range(t + 1, max_len + 1))
                done[n] = max(f[2] for f in finished[n]) >= bound
            if done[n]:
                new_scores[n] = NEG
        if all(done):
            break
        scores, seqs, last = new_scores, new_seqs, new_last
        state = model.reorder(state, rows)     # gather the "KV cache" rows by parent beam
    return [sorted(f, key=lambda h: -h[2]) for f in finished]


def greedy(model, max_len):
    """Argmax at every step, stop at the first EOS. Returns (tokens, log_prob)."""
    state, last, seq, total = model.init(), torch.full((1,), -1, dtype=torch.long), (), 0.0
    for _ in range(max_len):
        logp, state = model.step(state, last)
        w = int(logp[0].argmax())
        seq, total = seq + (w,), total + logp[0, w].item()
        if w == EOS:
            break
        last = torch.tensor([w])
    return seq, total


def exhaustive(model, max_len, alpha=0.0, kind="gnmt"):
    """Reference: expand every prefix, level by level, with no pruning, and
    score every complete output (ends in EOS, or reaches max_len).
    Exponential in max_len: only for tiny models."""
    state, seqs, scores = model.init(), [()], torch.zeros(1)
    last = torch.full((1,), -1, dtype=torch.long)
    best = None
    for t in range(1, max_len + 1):
        logp, state = model.step(state, last)
        V = logp.shape[1]
        total = scores[:, None] + logp
        for i, seq in enumerate(seqs):
            for w in (range(V) if t == max_len else [EOS]):
                s = total[i, w].item()
                cand = (seq + (w,), s, s / length_penalty(t, alpha, kind))
                if best is None or cand[2] > best[2]:
                    best = cand
        if t == max_len:
            break
        # Every non-EOS extension stays alive.
        src = torch.arange(len(seqs)).repeat_interleave(V - 1)
        last = torch.arange(1, V).repeat(len(seqs))
        seqs = [seq + (w,) for seq in seqs for w in range(1, V)]
        scores = total[src, last]
        state = model.reorder(state, src)
    return best


class ToyLM(nn.Module):
    """A tiny randomly initialised GRU language model: its next-token
    distribution depends on the whole prefix, like a real LM."""

    def __init__(self, vocab=4, hidden=16, seed=0, sharpness=3.0):
        super().__init__()
        torch.manual_seed(seed)
        self.vocab = vocab
        self.emb = nn.Embedding(vocab + 1, hidden)      # last row = start token
        self.cell = nn.GRUCell(hidden, hidden)
        self.head = nn.Linear(hidden, vocab)
        with torch.no_grad():
            self.head.weight.mul_(sharpness)             # peakier, more interesting
        self.hidden = hidden

    def init(self):
        return torch.zeros(1, self.hidden)

    @torch.no_grad()
    def step(self, state, tokens):
        tokens = torch.where(tokens < 0, torch.full_like(tokens, self.vocab), tokens)
        h = self.cell(self.emb(tokens), state)
        return torch.log_softmax(self.head(h), dim=-1), h

    def reorder(self, state, idx):
        return state.index_select(0, idx)


class CondToyLM(ToyLM):
    """A toy "encoder-decoder": each source id sets the decoder's initial state, so
    different inputs in a batch have different output distributions."""

    def __init__(self, n_sources=6, **kwargs):
        super().__init__(**kwargs)
        self.src_emb = nn.Embedding(n_sources, self.hidden)

    @torch.no_grad()
    def init_batch(self, sources):
        return torch.tanh(self.src_emb(sources))


class OneSource:
    """View of a CondToyLM for a single input, for the unbatched beam_search."""

    def __init__(self, model, source):
        self.model, self.source = model, source

    def init(self):
        return self.model.init_batch(torch.tensor([self.source]))

    def step(self, state, tokens):
        return self.model.step(state, tokens)

    def reorder(self, state, idx):
        return self.model.reorder(state, idx)


class TableLM:
    """Hand-written next-token probabilities, keyed by prefix, for
    constructing specific cases. Unlisted prefixes end with p(EOS) = 0.97."""

    def __init__(self, table, vocab):
        self.table, self.vocab = table, vocab

    def dist(self, prefix):
        p = self.table.get(prefix)
        if p is None:
            p = {EOS: 0.97, **{w: 0.03 / (self.vocab - 1) for w in range(1, self.vocab)}}
        probs = torch.full((self.vocab,), 1e-12)
        for w, q in p.items():
            probs[w] = q
        return (probs / probs.sum()).log()

    def init(self):
        return [()]

    def step(self, state, tokens):
        new = [prefix + ((t.item(),) if t.item() >= 0 else ()) for prefix, t in zip(state, tokens)]
        return torch.stack([self.dist(p) for p in new]), new

    def reorder(self, state, idx):
        return [state[i] for i in idx.tolist()]


def check_hypotheses(finished, max_len):
    for seq, logp, _ in finished:
        assert EOS not in seq[:-1], "nothing may follow EOS"
        assert seq[-1] == EOS or len(seq) == max_len, "finished = EOS or max length"


def main():
    # 0. The GNMT penalty is 1 for a one-token output and grows like (5 + n) / 6.
    assert length_penalty(1, 0.6) == 1.0 and math.isclose(length_penalty(7, 1.0), 2.0)

    # 1. Beam width V**max_len never prunes, so it must equal exhaustive search,
    #    with and without length normalisation, for both penalty formulas.
    max_len = 4
    for seed in range(3):
        lm = ToyLM(vocab=4, seed=seed)
        for alpha, kind in [(0.0, "gnmt"), (0.6, "gnmt"), (1.0, "gnmt"), (1.0, "simple")]:
            found, _ = beam_search(lm, beam_size=4 ** max_len, max_len=max_len, alpha=alpha, kind=kind)
            check_hypotheses(found, max_len)
            best = exhaustive(lm, max_len, alpha, kind)
            assert found[0][0] == best[0], (seed, alpha, found[0], best)
            assert math.isclose(found[0][2], best[2], rel_tol=1e-5)

    # 2. On these toy models, beam (B = 2..4) is never worse than greedy in log-prob.
    #    This is NOT a theorem (see test 4): a pruned prefix could have led higher.
    max_len = 6
    for seed in range(5):
        lm = ToyLM(vocab=5, seed=seed)
        g = greedy(lm, max_len)
        for B in (2, 3, 4):
            found, _ = beam_search(lm, beam_size=B, max_len=max_len)
            check_hypotheses(found, max_len)
            assert found[0][1] >= g[1] - 1e-6, (seed, B, found[0], g)
            # The exact stopping rule never changes the answer.
            no_stop, _ = beam_search(lm, beam_size=B, max_len=max_len, early_stop=False)
            assert no_stop[0][0] == found[0][0]

    # 3. Greedy strictly worse: the locally best first token leads nowhere good.
    a, b, c = 1, 2, 3
    trap = TableLM({
        (): {a: 0.50, b: 0.40, EOS: 0.10},
        (a,): {a: 0.34, b: 0.33, c: 0.23, EOS: 0.10},   # a spreads its mass thinly
        (b,): {c: 0.90, EOS: 0.10},                      # b is followed confidently
    }, vocab=4)
    g = greedy(trap, max_len=5)
    trace = []
    (beam_best, *_), trap_steps = beam_search(trap, beam_size=2, max_len=5, trace=trace)
    assert trap_steps == 3   # live beams after step 3 are at most 0.36 * 0.01 < 0.349: stop
    assert g[0] == (a, a, EOS) and beam_best[0] == (b, c, EOS)
    assert beam_best[1] > g[1] + 0.5                    # p = 0.349 vs 0.165 (see diagram)
    # The diagram draws exactly these candidates (every one above p = 0.01), with the
    # status the search gave them. Printed below; the SVG is drawn from these numbers.
    name = lambda seq: " ".join("EOS" if w == EOS else "_abc"[w] for w in seq)
    drawn = [(t, name(seq), round(p, 3), st) for t, seq, p, st in sorted(trace, key=lambda r: (r[0], -r[2]))]
    assert drawn == [
        (1, "a", 0.5, "beam"), (1, "b", 0.4, "beam"), (1, "EOS", 0.1, "pruned"),
        (2, "b c", 0.36, "beam"), (2, "a a", 0.17, "beam"), (2, "a b", 0.165, "pruned"),
        (2, "a c", 0.115, "pruned"), (2, "a EOS", 0.05, "pruned"), (2, "b EOS", 0.04, "pruned"),
        (3, "b c EOS", 0.349, "finished"), (3, "a a EOS", 0.165, "finished")], drawn
    # Legend: each step's "beam" boxes are its B most probable non-EOS candidates.
    for t in (1, 2):
        live = [r for r in drawn if r[0] == t and not r[1].endswith("EOS")]
        assert [r[3] for r in live[:2]] == ["beam", "beam"] and all(r[3] == "pruned" for r in live[2:])

    # 4. ... and beam can also lose to greedy: with B = 2 the greedy prefix
    #    (a, x) is pushed out of the beam at step 2 by b's two children, whose
    #    own continuations turn out to be poor.
    x, y1, y2 = 1, 2, 3
    lose = TableLM({
        (): {a: 0.40, b: 0.35, c: 0.25},
        (a,): {x: 0.28, y1: 0.24, y2: 0.24, EOS: 0.24},   # greedy continues (a, x)
        (b,): {y1: 0.50, y2: 0.50},
        (a, x): {EOS: 1.0},                              # greedy ends at p = 0.112
        (b, y1): {x: 0.34, y1: 0.33, y2: 0.33},          # beam's prefixes fizzle out
        (b, y2): {x: 0.34, y1: 0.33, y2: 0.33},
    }, vocab=4)
    g = greedy(lose, max_len=4)
    (beam_best, *_), _ = beam_search(lose, beam_size=2, max_len=4)
    assert beam_best[1] < g[1], (beam_best, g)

    # 5. EOS and length bias ("the empty output"): EOS first has p = 0.4, while a
    #    5-token answer has p = 0.6 * 0.8^4 = 0.25. Maximising raw probability
    #    returns the empty sequence; length normalisation returns the answer.
    w = [1, 2, 3, 1, 2]
    short = TableLM({(): {w[0]: 0.6, EOS: 0.4},
                     **{tuple(w[:i]): {w[i]: 0.8, EOS: 0.2} for i in range(1, 5)},
                     tuple(w): {EOS: 1.0}}, vocab=4)
    raw, steps = beam_search(short, beam_size=3, max_len=8, alpha=0.0)
    assert raw[0][0] == (EOS,) and raw[0][0] == exhaustive(short, 8)[0]
    assert steps < 8                                  # exact early stop: live beams fell below 0.4
    normed, _ = beam_search(short, beam_size=3, max_len=8, alpha=1.0, kind="simple")
    assert normed[0][0] == tuple(w) + (EOS,)

    # 6. Why 2B candidates: at step 2 the two best candidates both end in EOS.
    #    With only the top B, both would finish and no live beam would be left;
    #    with 2B the beam refills, and under length normalisation the longer
    #    answer (1, 3, EOS) beats (1, EOS), as exhaustive search confirms.
    refill = TableLM({(): {1: 0.55, 2: 0.45},
                      (1,): {EOS: 0.6, 3: 0.4}, (2,): {EOS: 0.6, 3: 0.4},
                      (1, 3): {EOS: 1.0}, (2, 3): {EOS: 1.0}}, vocab=4)
    found, _ = beam_search(refill, beam_size=2, max_len=5, alpha=1.0, kind="simple")
    assert found[0][0] == (1, 3, EOS) == exhaustive(refill, 5, 1.0, "simple")[0], found[0]

    # 7. Batched beam search (batch x beam folded into one batch dimension) returns
    #    exactly what the one-input-at-a-time search returns, for every input.
    for seed in range(3):
        lm = CondToyLM(n_sources=6, vocab=5, seed=seed)
        sources = torch.arange(6)
        for B, alpha, kind in [(1, 0.0, "gnmt"), (2, 0.6, "gnmt"), (3, 1.0, "simple")]:
            batched = batched_beam_search(lm, sources, B, max_len=6, alpha=alpha, kind=kind)
            for n in range(6):
                single, _ = beam_search(OneSource(lm, n), B, max_len=6, alpha=alpha, kind=kind)
                assert [h[0] for h in batched[n]] == [h[0] for h in single], (seed, B, n)
                assert all(math.isclose(x[1], y[1], rel_tol=1e-5, abs_tol=1e-6)
                           for x, y in zip(batched[n], single))
        # Different sources really give different outputs (the batch is not one input 6 times).
        assert len({batched[n][0][0] for n in range(6)}) > 1

    print("diagram (step, prefix, p, status):")
    for row in drawn:
        print("   ", row)
    print("beam == exhaustive for width V^L (alpha in 0, 0.6, 1; gnmt and simple penalties)")
    print("beam >= greedy on 5 random toy LMs; greedy strictly worse on the trap model")
    print(f"counterexample: beam(B=2) {math.exp(beam_best[1]):.3f} < greedy {math.exp(g[1]):.3f}")
    print(f"length bias: raw score picks empty output (stopped after {steps} steps); "
          f"alpha=1 picks the 5-token answer")
    print("2B candidates refill the beam when the top B all end in EOS")
    print("batched (6 inputs x B beams in one tensor) == one input at a time, B = 1, 2, 3")


if __name__ == "__main__":
    main()
