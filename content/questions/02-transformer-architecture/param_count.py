"""Parameter counting for transformer configs, checked against real PyTorch modules.

1. A closed-form count for the 2017 post-norm block (biases, LayerNorm, ReLU FFN),
   checked against torch.nn.Transformer.
2. A small Llama-style decoder-only model (pre-norm RMSNorm, RoPE, grouped-query
   attention, SwiGLU, no biases), its closed-form count, and a causality check.
3. The same formulas applied to published configs: Transformer-base (2017),
   GPT-3 175B (2020), Llama 3 8B and 70B (2024).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def n_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


# ---------------------------------------------------------------------------
# 1. The 2017 block: every linear layer has a bias, every LayerNorm has a gain and a bias.
# ---------------------------------------------------------------------------
def mha_2017(d):                    # W_Q, W_K, W_V, W_O (d x d each) + 4 bias vectors
    return 4 * d * d + 4 * d


def ffn_2017(d, d_ff):              # d -> d_ff -> d, with biases
    return 2 * d * d_ff + d_ff + d


def layernorm(d):
    return 2 * d


def encoder_layer_2017(d, d_ff):    # self-attention + FFN, 2 LayerNorms
    return mha_2017(d) + ffn_2017(d, d_ff) + 2 * layernorm(d)


def decoder_layer_2017(d, d_ff):    # masked self-attn + cross-attn + FFN, 3 LayerNorms
    return 2 * mha_2017(d) + ffn_2017(d, d_ff) + 3 * layernorm(d)


def enc_dec_2017(d, d_ff, n_enc, n_dec, vocab, final_norms=True):
    body = n_enc * encoder_layer_2017(d, d_ff) + n_dec * decoder_layer_2017(d, d_ff)
    if final_norms:                 # torch.nn.Transformer adds one LayerNorm after each stack
        body += 2 * layernorm(d)
    return body + vocab * d         # one embedding matrix shared by source, target and softmax


# Check the formula against PyTorch's own implementation on a tiny config.
d, h, d_ff, n_layers = 32, 4, 128, 2
ref = nn.Transformer(d_model=d, nhead=h, num_encoder_layers=n_layers,
                     num_decoder_layers=n_layers, dim_feedforward=d_ff)
assert n_params(ref) == enc_dec_2017(d, d_ff, n_layers, n_layers, vocab=0)
# Roughly 12 d^2 per layer when d_ff = 4d: 4 d^2 (attention) + 8 d^2 (FFN). Measured on a real
# base-size layer (meta device: no memory allocated), biases and norms add well under 1%.
enc_512 = n_params(nn.TransformerEncoderLayer(512, 8, 2048, device="meta"))
assert enc_512 == encoder_layer_2017(512, 2048)
assert 0 < enc_512 / (12 * 512 ** 2) - 1 < 0.01


# ---------------------------------------------------------------------------
# 2. A Llama-style decoder-only model.
# ---------------------------------------------------------------------------
class RMSNorm(nn.Module):
    """x / rms(x) * g. No mean subtraction and no bias (nn.RMSNorm is not in torch 1.13)."""

    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope(x, base=10000.0):
    """Rotate channel pairs (i, i + hd/2) of x (batch, heads, seq, hd) by angle pos * base^(-2i/hd)."""
    _, _, t, hd = x.shape
    inv_freq = base ** (-torch.arange(0, hd, 2, dtype=torch.float32) / hd)
    ang = torch.arange(t, dtype=torch.float32)[:, None] * inv_freq[None, :]   # (t, hd/2)
    cos, sin = ang.cos(), ang.sin()
    x1, x2 = x[..., : hd // 2], x[..., hd // 2:]
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class GQAttention(nn.Module):
    def __init__(self, d, n_heads, n_kv_heads):
        super().__init__()
        assert n_heads % n_kv_heads == 0
        self.h, self.kv, self.hd = n_heads, n_kv_heads, d // n_heads
        self.wq = nn.Linear(d, n_heads * self.hd, bias=False)
        self.wk = nn.Linear(d, n_kv_heads * self.hd, bias=False)   # fewer K/V heads:
        self.wv = nn.Linear(d, n_kv_heads * self.hd, bias=False)   # smaller KV cache
        self.wo = nn.Linear(n_heads * self.hd, d, bias=False)

    def forward(self, x):
        b, t, _ = x.shape
        q = self.wq(x).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.wk(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.wv(x).view(b, t, self.kv, self.hd).transpose(1, 2)
        q, k = rope(q), rope(k)                      # position enters only here
        rep = self.h // self.kv                      # each K/V head serves `rep` query heads
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(self.hd)
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        att = att.masked_fill(causal, float("-inf")).softmax(-1)
        return self.wo((att @ v).transpose(1, 2).reshape(b, t, self.h * self.hd))


class SwiGLU(nn.Module):
    def __init__(self, d, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d, d_ff, bias=False)     # gate
        self.w3 = nn.Linear(d, d_ff, bias=False)     # up
        self.w2 = nn.Linear(d_ff, d, bias=False)     # down

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Block(nn.Module):
    def __init__(self, d, n_heads, n_kv_heads, d_ff):
        super().__init__()
        self.norm1, self.attn = RMSNorm(d), GQAttention(d, n_heads, n_kv_heads)
        self.norm2, self.ffn = RMSNorm(d), SwiGLU(d, d_ff)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))             # pre-norm: the residual stream is never normalised
        return x + self.ffn(self.norm2(x))


class DecoderLM(nn.Module):
    def __init__(self, vocab, d, n_layers, n_heads, n_kv_heads, d_ff, tie=False):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(Block(d, n_heads, n_kv_heads, d_ff) for _ in range(n_layers))
        self.norm = RMSNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        if tie:
            self.head.weight = self.embed.weight     # one matrix, counted once

    def forward(self, ids):
        x = self.embed(ids)
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x))


def llama_block(d, n_heads, n_kv_heads, d_ff):
    hd = d // n_heads
    attn = d * n_heads * hd + 2 * d * n_kv_heads * hd + n_heads * hd * d
    return attn + 3 * d * d_ff + 2 * d               # + two RMSNorm gains


def llama_model(vocab, d, n_layers, n_heads, n_kv_heads, d_ff, tie=False):
    emb = vocab * d
    return emb + n_layers * llama_block(d, n_heads, n_kv_heads, d_ff) + d + (0 if tie else emb)


cfg = dict(vocab=100, d=32, n_layers=2, n_heads=4, n_kv_heads=2, d_ff=88)
for tie in (False, True):
    model = DecoderLM(**cfg, tie=tie)
    assert n_params(model) == llama_model(**cfg, tie=tie), tie

ids = torch.randint(0, cfg["vocab"], (2, 10))
logits = model(ids)
assert logits.shape == (2, 10, cfg["vocab"])
# Causality: changing the last token must not change any earlier position's logits.
ids2 = ids.clone()
ids2[:, -1] = (ids2[:, -1] + 1) % cfg["vocab"]
logits2 = model(ids2)
assert torch.allclose(logits[:, :-1], logits2[:, :-1], atol=1e-6)
assert not torch.allclose(logits[:, -1], logits2[:, -1])


# ---------------------------------------------------------------------------
# 3. Published configs.
# ---------------------------------------------------------------------------
# Transformer base and big, WMT14 En-De: one shared BPE vocabulary of about 37,000 tokens.
# The paper reports 65M and 213M but gives no breakdown, so allow a few percent either way.
base_layers = enc_dec_2017(512, 2048, 6, 6, vocab=0, final_norms=False)
base = enc_dec_2017(512, 2048, 6, 6, vocab=37000, final_norms=False)
big = enc_dec_2017(1024, 4096, 6, 6, vocab=37000, final_norms=False)
assert 44.0e6 < base_layers < 44.2e6                 # the 12 layers alone
assert abs(base / 65e6 - 1) < 0.04                   # 63.1M with the shared embedding
assert abs(big / 213e6 - 1) < 0.01                   # 214.2M
# Untied source, target and output matrices: 12 layers + 3 separate 37k x 512 tables.
# Count it independently from real modules built on the "meta" device (no memory allocated):
# torch.nn.Transformer at base size minus its two final LayerNorms, plus three nn.Embedding.
ref_base = nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
                          dim_feedforward=2048, device="meta")
ref_layers = n_params(ref_base) - 2 * layernorm(512)
ref_table = nn.Embedding(37000, 512, device="meta").weight.numel()
assert ref_layers == base_layers and ref_table == 18_944_000
untied = ref_layers + 3 * ref_table                  # 44.1M + 3 x 18.9M
assert abs(untied - 101.0e6) < 0.1e6                 # about 101M, far from the paper's 65M,
assert untied - base == 2 * ref_table                # so 65M fits the single shared matrix

# GPT-3 175B: 96 layers, d 12288, d_ff 4d, vocab 50257, 2048 learned positions, tied head.
d = 12288
gpt3 = 96 * (encoder_layer_2017(d, 4 * d)) + 50257 * d + 2048 * d + 2 * d
assert abs(gpt3 / 175e9 - 1) < 0.01
assert abs(96 * 12 * d * d / gpt3 - 1) < 0.01       # 12 d^2 L is within 1%

# Llama 3: untied embeddings, 128,256-token vocabulary, 8 KV heads.
llama3_8b = llama_model(128256, 4096, 32, 32, 8, 14336)
llama3_70b = llama_model(128256, 8192, 80, 64, 8, 28672)
# Exactly the totals of the released checkpoints (Hugging Face safetensors metadata).
assert llama3_8b == 8_030_261_248
assert llama3_70b == 70_553_706_496


def kv_cache_bytes_per_token(n_layers, n_kv_heads, head_dim, bytes_per=2):
    return 2 * n_layers * n_kv_heads * head_dim * bytes_per     # K and V, every layer


gqa = kv_cache_bytes_per_token(32, 8, 128)
mha = kv_cache_bytes_per_token(32, 32, 128)
assert gqa == 128 * 1024 and mha == 4 * gqa

print(f"Transformer base (2017) ~ {base / 1e6:.1f}M params (paper: 65M); big ~ {big / 1e6:.1f}M (paper: 213M)")
print(f"  base with untied source, target and output embeddings: {untied / 1e6:.1f}M")
print(f"GPT-3                   ~ {gpt3 / 1e9:.1f}B params; 12*d^2*L = {96 * 12 * d * d / 1e9:.1f}B")
print(f"Llama 3 8B              ~ {llama3_8b / 1e9:.2f}B params; 70B ~ {llama3_70b / 1e9:.1f}B")
print(f"KV cache, Llama 3 8B bf16: {gqa // 1024} KiB/token with GQA vs {mha // 1024} KiB with full MHA")
print("formulas match nn.Transformer and the Llama-style module; causal mask verified")
