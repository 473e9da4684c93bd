"""GPT-2 versus GPT-3 in numbers, and how a few-shot prompt is built.

What this file checks (run: python3 gpt_scaling.py):
  1. Parameter counts recomputed from each published configuration (layers, d_model,
     vocabulary 50,257, context) land within 3% of the sizes the papers report, for all
     4 GPT-2 and all 8 GPT-3 models.
  2. Training compute of GPT-3 175B: about 6 x parameters x 300B tokens, which agrees
     with the 3.14e23 FLOPs the paper reports; tokens per parameter ~1.7, far below the
     ~20 that Chinchilla later found compute-optimal.
  3. Zero-, one- and few-shot prompts as GPT-3 built them: K demonstrations drawn from
     the task's training split, never including the test example, and fitting in 2,048 tokens.
"""
import random

V = 50257  # byte-level BPE vocabulary shared by GPT-2 and GPT-3


def decoder_params(d, L, n_ctx):
    """Token + position embeddings, L blocks (attention 4d^2+4d, MLP 8d^2+5d, 2 LayerNorms),
    final LayerNorm; the output layer is tied to the token embedding."""
    return V * d + n_ctx * d + L * (12 * d * d + 13 * d) + 2 * d


# (reported size, d_model, layers)
GPT2 = [(117e6, 768, 12), (345e6, 1024, 24), (762e6, 1280, 36), (1542e6, 1600, 48)]
# GPT-3 Table 2.1 (d_model 5140 for 13B is as printed in the paper)
GPT3 = [(125e6, 768, 12), (350e6, 1024, 24), (760e6, 1536, 24), (1.3e9, 2048, 24),
        (2.7e9, 2560, 32), (6.7e9, 4096, 32), (13e9, 5140, 40), (175e9, 12288, 96)]

# 1. Sizes -------------------------------------------------------------------------------
rows = []
for family, table, n_ctx in (("GPT-2", GPT2, 1024), ("GPT-3", GPT3, 2048)):
    for reported, d, L in table:
        n = decoder_params(d, L, n_ctx)
        rows.append((family, reported, n))
        # GPT-2's paper undercounted its small model (released checkpoint: 124M, +6%)
        tol = 0.07 if reported == 117e6 else 0.03
        assert abs(n / reported - 1) < tol, (family, reported, n)
n_gpt2_xl = decoder_params(1600, 48, 1024)
n_gpt3 = decoder_params(12288, 96, 2048)
assert 110 < n_gpt3 / n_gpt2_xl < 115  # "over 100x" GPT-2's largest model

# 2. Compute and data ---------------------------------------------------------------------------
tokens = 300e9
flops = 6 * n_gpt3 * tokens  # ~2N FLOPs/token forward, ~4N backward
assert abs(flops / 3.14e23 - 1) < 0.02, flops
pf_days = flops / (1e15 * 86400)
assert abs(pf_days / 3640 - 1) < 0.02  # the paper's 3,640 petaflop/s-days
tokens_per_param = tokens / n_gpt3
assert 1.6 < tokens_per_param < 1.8


# 3. Few-shot prompting ---------------------------------------------------------------------------
def build_prompt(instruction, demos, query):
    lines = [instruction, ""]
    for q, a in demos:
        lines += [f"Q: {q}", f"A: {a}", ""]
    lines += [f"Q: {query}", "A:"]
    return "\n".join(lines)


rng = random.Random(0)
words = ["cheese", "house", "river", "window", "garden", "apple", "bread", "music",
         "winter", "school", "mountain", "paper", "friend", "water", "light", "table"]
french = ["fromage", "maison", "rivière", "fenêtre", "jardin", "pomme", "pain", "musique",
          "hiver", "école", "montagne", "papier", "ami", "eau", "lumière", "table"]
pairs = list(zip(words, french))
rng.shuffle(pairs)
train, test = pairs[:12], pairs[12:]
assert not set(train) & set(test)  # demonstrations come only from the training split

for k in (0, 1, 8):
    for query, answer in test:
        demos = rng.sample(train, k)  # fresh random demonstrations per test example
        prompt = build_prompt("Translate English to French.", demos, query)
        assert answer not in prompt.split("Q: " + query)[0]  # the answer is never shown
        assert prompt.count("Q: ") == k + 1 and prompt.endswith("A:")
        # rough length check: ~1.3 tokens per word is generous for such short English text
        assert len(prompt.split()) * 1.3 < 2048

print("model          reported   from config")
for family, reported, n in rows:
    print(f"{family}  {reported / 1e9:8.3f}B  {n / 1e9:9.3f}B")
print(f"GPT-3 175B: {flops:.2e} FLOPs = {pf_days:,.0f} PF-days; {tokens_per_param:.1f} tokens/param; "
      f"{n_gpt3 / n_gpt2_xl:.0f}x GPT-2 XL")
print(f"few-shot prompt (k=1):\n{build_prompt('Translate English to French.', train[:1], test[0][0])}")
