"""Zero-, one- and few-shot prompts, and contextual calibration (Zhao et al., 2021).

Part 1 builds k-shot prompts the way evaluation harnesses do: an instruction, k
demonstrations in one fixed format, then the query with the answer slot left open.

Part 2 is contextual calibration. A few-shot prompt biases a model towards some labels
(the majority label, the label of the last demonstration, frequent tokens). Calibration
measures that bias by asking for the label distribution on a content-free input such as
"N/A", then divides it out: q = normalize(p / p_cf). No language model is available
offline, so we pre-train ten tiny networks (ten seeds) on documents in which demonstration
labels really predict the query's label. The bias is learned, not written into the model;
the test is whether calibration removes it on a balanced task, for every seed.
"""
import math
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
# No language model is available offline, so we train a small one to do "in-context
# classification", and nothing in it is told to be biased. Its pre-training documents each
# hold 4 labelled demonstrations and a query. As in real text, documents are lopsided (each
# has its own label rate) and neighbouring items tend to share a label, so the demonstration
# labels really are evidence about the query's label. The network learns that prior from
# data. On a downstream task whose gold labels are balanced and independent of the prompt,
# the same habit becomes majority-label and recency bias, which calibration must remove.
LABELS = ["negative", "positive"]
K, MU = 4, 1.0  # demonstrations per prompt; class means of the 1-d "review" feature are +-MU


def make_documents(n, g):
    """Pre-training data: per-document label rate pi ~ Beta(0.5, 0.5); the query copies the
    last demonstration's label half the time, else draws from pi. Features are noisy."""
    pi = torch.distributions.Beta(0.5, 0.5).sample((n, 1))
    y_demo = (torch.rand(n, K, generator=g) < pi).float()
    copy_last = torch.rand(n, generator=g) < 0.5
    y_query = torch.where(copy_last, y_demo[:, -1], (torch.rand(n, generator=g) < pi[:, 0]).float())
    return y_demo, y_query.long()


def features(y, g):
    return (2 * y.float() - 1) * MU + torch.randn(y.shape, generator=g)


def encode(y_demo, x_query):
    """The 'prompt' as the network sees it: the demonstrations' labels (+-1) in order,
    then the query's feature. (The demonstrations' own inputs carry no information about
    the query here, so the toy leaves them out.)"""
    return torch.cat([2 * y_demo - 1, x_query[:, None]], dim=1)


SEEDS = range(10)  # the claim must hold for every trained model, not for one lucky seed


class ToyLMs(torch.nn.Module):
    """len(SEEDS) independent 2-layer MLPs (5 -> 8 -> 2), one per seed, each with its own
    initialisation and its own pre-training data, trained side by side with batched matmuls."""

    def __init__(self, n_models, d_in=K + 1, hidden=8):
        super().__init__()
        u = lambda *shape, fan_in: (torch.rand(*shape) * 2 - 1) / fan_in ** 0.5
        self.w1 = torch.nn.Parameter(u(n_models, d_in, hidden, fan_in=d_in))
        self.b1 = torch.nn.Parameter(u(n_models, 1, hidden, fan_in=d_in))
        self.w2 = torch.nn.Parameter(u(n_models, hidden, 2, fan_in=hidden))
        self.b2 = torch.nn.Parameter(u(n_models, 1, 2, fan_in=hidden))

    def forward(self, x):  # x: (n_models, batch, d_in) -> logits (n_models, batch, 2)
        return torch.tanh(x @ self.w1 + self.b1) @ self.w2 + self.b2


def pretrain_toy_lms(n=1500, steps=150):
    inputs, targets = [], []
    for seed in SEEDS:
        g = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)  # Beta sampling uses the global generator
        y_demo, y_query = make_documents(n, g)
        inputs.append(encode(y_demo, features(y_query, g)))
        targets.append(y_query)
    inputs, targets = torch.stack(inputs), torch.stack(targets)
    torch.manual_seed(0)
    nets = ToyLMs(len(SEEDS))
    opt = torch.optim.Adam(nets.parameters(), lr=0.05)
    for _ in range(steps):
        logits = nets(inputs)
        # Sum of the per-model mean losses: each model gets exactly its own gradient.
        loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(),
                                                 reduction="none").view(len(SEEDS), n).mean(1).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return nets


def calibrate(p, p_content_free):
    """Zhao et al. 2021: W = diag(p_cf)^-1, b = 0, then renormalize."""
    q = p / p_content_free
    return q / q.sum(-1, keepdim=True)


def downstream_eval(nets, demo_labels, n=3000):
    """A balanced task: gold labels are independent of the prompt's demonstrations.
    Returns per-model accuracy raw and calibrated, share predicted 'negative', and p_cf."""
    g = torch.Generator().manual_seed(12345)  # test data drawn apart from pre-training data
    y_demo = torch.tensor(demo_labels, dtype=torch.float).expand(n, K)
    gold = torch.randint(0, 2, (n,), generator=g)
    with torch.no_grad():
        x = encode(y_demo, features(gold, g))
        p = nets(x.expand(len(SEEDS), -1, -1)).softmax(-1)                      # (models, n, 2)
        # Content-free probe ("N/A"): the same demonstrations, a query with no evidence (x = 0).
        probe = encode(y_demo[:1], torch.zeros(1))
        p_cf = nets(probe.expand(len(SEEDS), -1, -1)).softmax(-1)             # (models, 1, 2)
    q = calibrate(p, p_cf)
    acc = lambda probs: (probs.argmax(-1) == gold).float().mean(1)
    share_neg = lambda probs: (probs.argmax(-1) == 0).float().mean(1)
    # For two labels, dividing by p_cf moves the decision threshold to the probe's score:
    # a model whose output rises with x then predicts 'positive' exactly when x > 0.
    agree = (q.argmax(-1) == (x[:, -1] > 0).long()).float().mean(1)
    return acc(p), acc(q), share_neg(p), share_neg(q), p_cf[:, 0, 0], agree


# A skewed prompt: 3 negative demonstrations out of 4, and a negative one last.
SKEWED = [1, 0, 0, 0]
assert torch.allclose(calibrate(torch.tensor([0.7, 0.3]), torch.tensor([0.7, 0.3])),
                      torch.tensor([0.5, 0.5]))  # the probe itself maps to uniform
nets = pretrain_toy_lms()
acc_raw, acc_cal, neg_raw, neg_cal, p_cf_neg, agree = downstream_eval(nets, SKEWED)
# Independent reference: with balanced classes the best possible rule is x > 0, whose
# accuracy is Phi(MU) for unit-variance noise (0.841 for MU = 1).
bayes = 0.5 * (1 + math.erf(MU / math.sqrt(2)))
for s in SEEDS:
    assert p_cf_neg[s] > 0.6, (s, p_cf_neg)        # the probe exposes a learned bias
    assert neg_raw[s] > 0.55, (s, neg_raw)         # raw predictions lean 'negative' (gold: 50%)
    assert abs(neg_cal[s] - 0.5) < 0.05, (s, neg_cal)
    assert acc_cal[s] > acc_raw[s] + 0.01, (s, acc_raw, acc_cal)
    assert abs(acc_cal[s] - bayes) < 0.02 and agree[s] > 0.99, (s, acc_cal, agree)
gain = acc_cal - acc_raw
assert gain.mean() > 0.04, gain

print("few-shot prompt (k=4):\n" + few + "\n")
print(f"{len(SEEDS)} toy LMs pre-trained on lopsided documents, skewed prompt "
      f"{[LABELS[y][:3] for y in SKEWED]}:")
print(f"  content-free P(negative): {p_cf_neg.min():.2f} to {p_cf_neg.max():.2f} (a learned bias)")
print(f"  predicts 'negative' {neg_raw.mean():.0%} raw -> {neg_cal.mean():.0%} calibrated (gold: 50%)")
print(f"  accuracy {acc_raw.mean():.3f} raw -> {acc_cal.mean():.3f} calibrated "
      f"(gain {gain.min():+.3f} to {gain.max():+.3f}; best possible {bayes:.3f})")
print("all checks passed")
