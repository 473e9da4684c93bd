"""A tiny BERT from scratch: embeddings, bidirectional encoder, MLM and NSP heads.

What this file checks (run: python3 bert_tiny.py):
  1. The parameter-count formula matches a model built in PyTorch, and applied to the
     published configurations it gives BERT-base ~110M and BERT-large ~340M.
  2. Bidirectional attention: changing the LAST token changes the FIRST token's output.
  3. The pre-training loss: cross-entropy on the selected (masked) positions only, plus
     the next-sentence-prediction loss on the pooled [CLS] vector.
"""
import torch
import torch.nn as nn

torch.set_num_threads(1)  # tiny shapes: threads only add overhead
PAD, CLS, SEP, MASK = 0, 1, 2, 3  # special token ids; ordinary tokens start at 4


class TinyBERT(nn.Module):
    def __init__(self, vocab, d=32, layers=2, heads=4, max_len=16):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)  # learned absolute positions, as in BERT
        self.seg = nn.Embedding(2, d)  # segment A / segment B
        self.emb_norm = nn.LayerNorm(d)
        # BERT's block: post-LayerNorm, GELU, 4x feed-forward
        block = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0,
                                           activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
        self.pooler = nn.Linear(d, d)  # tanh(W h_[CLS]) feeds the NSP classifier
        self.nsp = nn.Linear(d, 2)
        self.mlm_bias = nn.Parameter(torch.zeros(vocab))  # MLM decoder reuses self.tok.weight

    def forward(self, ids, segments, causal=False):
        T = ids.size(1)
        pos = torch.arange(T).unsqueeze(0)
        h = self.emb_norm(self.tok(ids) + self.pos(pos) + self.seg(segments))
        mask = None
        if causal:  # True = blocked; used only for the left-to-right comparison
            mask = torch.ones(T, T, dtype=torch.bool).triu(1)
        h = self.encoder(h, mask=mask, src_key_padding_mask=ids.eq(PAD))
        mlm_logits = h @ self.tok.weight.t() + self.mlm_bias  # tied input/output embeddings
        nsp_logits = self.nsp(torch.tanh(self.pooler(h[:, 0])))
        return h, mlm_logits, nsp_logits


def bert_params(V, P, d, L):
    """Parameters of the BERT encoder + pooler (no pre-training heads)."""
    embeddings = V * d + P * d + 2 * d + 2 * d  # token, position, segment, LayerNorm
    per_layer = 4 * d * d + 4 * d + 8 * d * d + 5 * d + 4 * d  # attention, FFN, 2 LayerNorms
    pooler = d * d + d
    return embeddings + L * per_layer + pooler


# 1. Parameter counts -----------------------------------------------------------------
torch.manual_seed(0)
m = TinyBERT(vocab=50, d=32, layers=2, heads=4, max_len=16)
counted = sum(p.numel() for name, p in m.named_parameters()
              if not name.startswith(("nsp", "mlm_bias")))
assert counted == bert_params(50, 16, 32, 2), (counted, bert_params(50, 16, 32, 2))
base = bert_params(30522, 512, 768, 12)  # released uncased vocabulary: 30,522 WordPieces
large = bert_params(30522, 512, 1024, 24)
assert base == 109_482_240 and large == 335_141_888
assert abs(base / 110e6 - 1) < 0.01 and abs(large / 340e6 - 1) < 0.02

# 2. Every position sees every other position --------------------------------------
m.eval()
ids = torch.tensor([[CLS, 10, 11, 12, SEP, 13, 14, SEP]])
seg = torch.tensor([[0, 0, 0, 0, 0, 1, 1, 1]])
with torch.no_grad():
    h1, mlm, nsp = m(ids, seg)
    ids2 = ids.clone()
    ids2[0, 6] = 20
    h2, _, _ = m(ids2, seg)
    h3, _, _ = m(ids, seg, causal=True)
    h4, _, _ = m(ids2, seg, causal=True)
assert mlm.shape == (1, 8, 50) and nsp.shape == (1, 2)
assert not torch.allclose(h1[0, 1], h2[0, 1])  # bidirectional: future token changes position 1
assert torch.allclose(h3[0, :6], h4[0, :6], atol=1e-6)  # causal: positions before 6 unchanged


# 3. One pre-training step's loss: MLM on selected positions + NSP on [CLS] ----------
labels = torch.full_like(ids, -100)  # -100 = position not selected, ignored by the loss
labels[0, 2], labels[0, 5] = 11, 13  # pretend positions 2 and 5 were selected
masked = ids.clone()
masked[0, 2] = MASK  # [MASK] at position 2; position 5 is a "kept unchanged" case
_, mlm, nsp = m(masked, seg)
mlm_loss = nn.functional.cross_entropy(mlm.view(-1, 50), labels.view(-1), ignore_index=-100)
logp = torch.log_softmax(mlm[0], -1)
manual = -(logp[2, 11] + logp[5, 13]) / 2  # mean over the 2 selected positions only
assert torch.allclose(mlm_loss, manual)
all_positions = nn.functional.cross_entropy(mlm.view(-1, 50), ids.view(-1))
assert not torch.allclose(mlm_loss, all_positions)  # counting every position is a different loss
is_next = torch.tensor([1])  # label: segment B really follows segment A
loss = mlm_loss + nn.functional.cross_entropy(nsp, is_next)
loss.backward()
assert m.tok.weight.grad is not None and m.nsp.weight.grad is not None

print(f"BERT-base encoder+pooler: {base:,} parameters; BERT-large: {large:,}")
print("bidirectional: a later token changes earlier outputs; with a causal mask it does not")
print(f"pre-training loss = MLM {mlm_loss.item():.3f} (2 selected positions) + NSP {loss.item() - mlm_loss.item():.3f}")
