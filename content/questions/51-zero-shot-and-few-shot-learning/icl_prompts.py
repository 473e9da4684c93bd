"""Zero-, one- and few-shot prompts, and contextual calibration (Zhao et al., 2021).

Part 1 builds k-shot prompts the way evaluation harnesses do: an instruction, k
demonstrations in one fixed format, then the query with the answer slot left open.

Part 2 shows the arithmetic of contextual calibration. A few-shot prompt biases a model
towards some labels (the majority label, the label of the last demonstration, frequent
tokens). Calibration measures that bias by asking for the label distribution on a
content-free input such as "N/A", then divides it out: q = normalize(p / p_cf).
No language model is available offline, so a toy stand-in produces label probabilities
with a prompt-dependent multiplicative bias; the calibration code itself is the real method.
"""
import random

import torch

torch.manual_seed(0)
random.seed(0)

# ---------------------------------------------------------------- Part 1: prompt builder
INSTRUCTION = "Classify the sentiment of each review as positive or negative."
POOL = [
    ("The plot dragged and the ending made no sense.", "negative"),
    ("A warm, funny film with a terrific cast.", "positive"),
    ("I walked out after forty minutes.", "negative"),
    ("Beautifully shot and genuinely moving.", "positive"),
    ("Flat dialogue, forgettable characters.", "negative"),
    ("One of the best thrillers in years.", "positive"),
]


def format_example(text, label=None):
    # The same template for demonstrations and query: format consistency matters.
    return f"Review: {text}\nSentiment:" + (f" {label}" if label is not None else "")


def build_prompt(query, k, pool=POOL, seed=0, instruction=INSTRUCTION):
    """k = 0 is zero-shot, k = 1 one-shot, k > 1 few-shot. Demonstrations are drawn
    label-balanced and then shuffled, since majority and recency biases depend on them."""
    rng = random.Random(seed)
    by_label = {}
    for text, label in pool:
        by_label.setdefault(label, []).append((text, label))
    labels = sorted(by_label)
    demos = []
    for i in range(k):  # round-robin over labels keeps the label counts within 1
        bucket = by_label[labels[i % len(labels)]]
        demos.append(bucket[(i // len(labels)) % len(bucket)])
    rng.shuffle(demos)
    parts = [instruction] + [format_example(t, y) for t, y in demos] + [format_example(query)]
    return "\n\n".join(parts), demos


query = "Two hours of my life I will never get back."
zero, d0 = build_prompt(query, k=0)
one, d1 = build_prompt(query, k=1)
few, d4 = build_prompt(query, k=4)

assert len(d0) == 0 and "Sentiment: " not in zero  # zero-shot: instruction + query only
assert len(d1) == 1 and one.count("Review:") == 2
assert len(d4) == 4 and few.count("Review:") == 5
assert few.endswith("Sentiment:")  # the model's next tokens are the answer
labels4 = [y for _, y in d4]
assert labels4.count("positive") == labels4.count("negative") == 2  # balanced
assert build_prompt(query, 4, seed=0)[0] == few  # deterministic given the seed

# ---------------------------------------------------------- Part 2: contextual calibration
LABELS = ["negative", "positive"]


def toy_model_probs(true_p_pos, demo_labels, noise=0.3):
    """Stand-in for an LM's P(label | prompt). Its bias grows with the share of each label
    among the demonstrations and is extra strong for the last demonstration's label.
    Gaussian noise on the log-probabilities stands in for everything else the model does."""
    counts = torch.tensor([float(demo_labels.count(y)) for y in LABELS])
    bias = 1.0 + 1.5 * counts / max(len(demo_labels), 1)
    bias[LABELS.index(demo_labels[-1])] *= 2.0  # recency bias
    clean = torch.stack([1 - true_p_pos, true_p_pos], dim=-1)
    logits = (clean * bias).log() + noise * torch.randn(clean.shape)
    return logits.softmax(-1)


def calibrate(p, p_content_free):
    """Zhao et al. 2021: W = diag(p_cf)^-1, b = 0, then renormalize."""
    q = p / p_content_free
    return q / q.sum(-1, keepdim=True)


# A skewed prompt: 3 negative demonstrations out of 4, and a negative one last.
demo_labels = ["positive", "negative", "negative", "negative"]
n = 400
gold = torch.randint(0, 2, (n,))
# How strongly each test review "looks" positive to an unbiased model.
true_p_pos = torch.where(gold == 1, torch.rand(n) * 0.55 + 0.4, torch.rand(n) * 0.55 + 0.05)

p = toy_model_probs(true_p_pos, demo_labels)
# Content-free inputs ("N/A", "", "[MASK]") carry no evidence: the clean model would say
# 50/50, so whatever the biased model outputs on them is pure prompt bias. Average a few.
p_cf = toy_model_probs(torch.full((3,), 0.5), demo_labels).mean(0)
q = calibrate(p, p_cf)

acc_raw = (p.argmax(-1) == gold).float().mean().item()
acc_cal = (q.argmax(-1) == gold).float().mean().item()
share_neg_raw = (p.argmax(-1) == 0).float().mean().item()

assert torch.allclose(q.sum(-1), torch.ones(n))
assert torch.allclose(calibrate(p_cf, p_cf), torch.tensor([0.5, 0.5]))  # N/A -> uniform
assert p_cf[0] > 0.6  # the content-free probe exposes the bias towards 'negative'
assert share_neg_raw > 0.7  # the raw model over-predicts the majority/recent label
assert acc_cal > acc_raw + 0.1

print("few-shot prompt (k=4):\n" + few + "\n")
print(f"content-free probs (neg, pos): {[round(x, 3) for x in p_cf.tolist()]}")
print(f"accuracy raw {acc_raw:.3f} -> calibrated {acc_cal:.3f} "
      f"(raw predicts 'negative' {share_neg_raw:.0%} of the time; gold is ~50%)")
print("all checks passed")
