"""KV-cache arithmetic: the memory a decoder needs to *remember* its context.

Per token and per layer the model stores one key and one value vector for each
KV head, so
    bytes/token = 2 (K and V) * layers * kv_heads * head_dim * bytes_per_element
and the cache for a sequence is that times the number of tokens (times batch).
Configs below are the published ones (Hugging Face config.json of each model).
"""
import torch

torch.manual_seed(0)  # nothing random here; kept for the site's conventions

MODELS = {
    # name: (layers, query heads, kv heads, head_dim, max context)
    "Llama-2-7B (MHA)": (32, 32, 32, 128, 4_096),
    "Llama-3.1-8B (GQA)": (32, 32, 8, 128, 131_072),
    "Llama-3.1-70B (GQA)": (80, 64, 8, 128, 131_072),
}
GiB = 2 ** 30


def kv_bytes_per_token(layers, kv_heads, head_dim, bytes_per_elem=2):
    return 2 * layers * kv_heads * head_dim * bytes_per_elem


def kv_bytes_measured(layers, kv_heads, head_dim, n_tokens, dtype=torch.bfloat16):
    """Allocate a (tiny-length) real cache and scale, to check the formula."""
    k = torch.empty(layers, kv_heads, n_tokens, head_dim, dtype=dtype)
    v = torch.empty_like(k)
    return (k.numel() + v.numel()) * k.element_size()


for name, (layers, q_heads, kv_heads, head_dim, max_ctx) in MODELS.items():
    per_tok = kv_bytes_per_token(layers, kv_heads, head_dim)
    assert per_tok == kv_bytes_measured(layers, kv_heads, head_dim, 1)
    assert per_tok * 16 == kv_bytes_measured(layers, kv_heads, head_dim, 16)
    print(f"{name:20s} {per_tok // 1024:4d} KiB/token; full {max_ctx:>7,}-token "
          f"context: {per_tok * max_ctx / GiB:5.1f} GiB per sequence (bf16)")

# Hand-checked values quoted in the answer.
assert kv_bytes_per_token(32, 8, 128) == 128 * 1024            # Llama 3 8B: 128 KiB
assert kv_bytes_per_token(32, 32, 128) * 4_096 == 2 * GiB      # Llama 2 7B at 4K: 2 GiB
assert kv_bytes_per_token(32, 32, 128) == 512 * 1024           # Llama 2 7B: 512 KiB
assert kv_bytes_per_token(80, 8, 128) == 320 * 1024            # Llama 3 70B: 320 KiB
assert kv_bytes_per_token(32, 8, 128) * 131_072 == 16 * GiB    # 8B at 128K: 16 GiB
assert kv_bytes_per_token(80, 8, 128) * 131_072 == 40 * GiB    # 70B at 128K: 40 GiB
# GQA with 8 KV heads instead of 32 cuts the cache by exactly 4x.
assert kv_bytes_per_token(32, 32, 128) == 4 * kv_bytes_per_token(32, 8, 128)
print("OK: formula matches allocated tensors; GQA (32 -> 8 KV heads) = 4x smaller cache.")
