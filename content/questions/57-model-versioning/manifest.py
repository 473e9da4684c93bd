"""A release manifest for an LLM feature: every part that shapes behaviour, content-hashed.

The release id is a hash of the per-component hashes, so it changes when ANY pinned
part changes (weights, tokenizer, chat template, system prompt, prompt template,
decoding parameters, retrieval index, guardrail policy, output schema) and never
otherwise. A tiny registry keeps versions immutable and moves aliases such as
"production", which is how promotion and rollback work.

Checks (run: python3 manifest.py):
  1. the id is deterministic: rebuilding the same release (dict order shuffled) gives the same id;
  2. a one-element change in any single component changes the id, and the diff names exactly that component;
  3. casting the weights to fp16 (a quantized build) is a new version;
  4. the registry refuses to overwrite a version name with different content, and
     rollback = moving the alias back to the previous id;
  5. a version-bump policy derived from the diff (major / minor / patch);
  6. storage arithmetic quoted in the answer: a 70B bf16 checkpoint vs a rank-16 LoRA adapter
     on every linear layer of a Llama-2-70B-shaped model (hidden 8192, 80 layers, 8 KV heads
     of 128, MLP 28672).
"""
import hashlib
import json
import random

import numpy as np


def digest_bytes(b):
    return hashlib.sha256(b).hexdigest()


def digest(obj):
    """Content hash with a canonical encoding: arrays by dtype+shape+bytes, the rest as sorted JSON."""
    if isinstance(obj, np.ndarray):
        header = json.dumps([str(obj.dtype), list(obj.shape)]).encode()
        return digest_bytes(header + np.ascontiguousarray(obj).tobytes())
    if isinstance(obj, dict) and any(isinstance(v, np.ndarray) for v in obj.values()):
        return digest({k: digest(v) for k, v in obj.items()})  # e.g. a state dict
    return digest_bytes(json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())


def release_id(components):
    parts = {name: digest(value) for name, value in components.items()}
    return "rel-" + digest(parts)[:16], parts


def diff(parts_a, parts_b):
    return sorted(k for k in set(parts_a) | set(parts_b) if parts_a.get(k) != parts_b.get(k))


# Which changes break callers, which change behaviour, which only tune it (one team's policy).
MAJOR = {"output_schema", "tokenizer"}
MINOR = {"weights", "chat_template", "system_prompt", "prompt_template", "retrieval_index"}


def bump(changed):
    if set(changed) & MAJOR:
        return "major"
    if set(changed) & MINOR:
        return "minor"
    return "patch" if changed else "none"


def build_release(seed=0):
    rng = np.random.default_rng(seed)
    return {
        "weights": {"layer0.w": rng.standard_normal((8, 8)).astype(np.float32),
                    "layer0.b": np.zeros(8, dtype=np.float32)},
        "tokenizer": {"vocab": {"<s>": 0, "</s>": 1, "hello": 2, "world": 3}, "merges": ["h e", "l l"]},
        "chat_template": "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}",
        "system_prompt": "You are a support assistant. Cite the policy section you used.",
        "prompt_template": "Context:\n{context}\n\nQuestion: {question}",
        "decoding": {"temperature": 0.2, "top_p": 0.9, "max_tokens": 512, "stop": ["</s>"]},
        "retrieval_index": {"embedding_model": "embedder@sha256:ab12", "doc_ids": [101, 102, 103],
                            "snapshot": "kb-2026-11-30"},
        "guardrails": {"toxicity_threshold": 0.8, "pii_redaction": True},
        "output_schema": {"type": "object", "required": ["answer", "citations"]},
    }


# 1. Deterministic: same content -> same id, regardless of construction order.
base = build_release()
rid, parts = release_id(base)
shuffled = dict(random.Random(1).sample(list(build_release().items()), k=len(base)))
assert list(shuffled) != list(base)  # really a different insertion order
assert release_id(shuffled)[0] == rid

# 2. Any single change -> new id, and the diff pinpoints the component.
mutations = {
    "weights": lambda r: r["weights"]["layer0.w"].__setitem__((0, 0), np.nextafter(r["weights"]["layer0.w"][0, 0], np.float32(9))),
    "tokenizer": lambda r: r["tokenizer"]["vocab"].__setitem__("!", 4),
    "chat_template": lambda r: r.__setitem__("chat_template", r["chat_template"].replace("|>", "|>\n")),
    "system_prompt": lambda r: r.__setitem__("system_prompt", r["system_prompt"] + " "),  # one trailing space
    "prompt_template": lambda r: r.__setitem__("prompt_template", r["prompt_template"].replace("Question", "Q")),
    "decoding": lambda r: r["decoding"].__setitem__("temperature", 0.3),
    "retrieval_index": lambda r: r["retrieval_index"]["doc_ids"].append(104),
    "guardrails": lambda r: r["guardrails"].__setitem__("toxicity_threshold", 0.85),
    "output_schema": lambda r: r["output_schema"]["required"].append("confidence"),
}
assert set(mutations) == set(base)  # every pinned component is exercised
seen = {rid}
bumps = {}
for name, mutate in mutations.items():
    changed = build_release()
    mutate(changed)
    new_id, new_parts = release_id(changed)
    assert new_id not in seen, name  # distinct from the base and from every other variant
    seen.add(new_id)
    assert diff(parts, new_parts) == [name], (name, diff(parts, new_parts))
    bumps[name] = bump([name])

# 3. A quantized build is a different release, even though "it is the same model".
fp16 = build_release()
fp16["weights"] = {k: v.astype(np.float16) for k, v in fp16["weights"].items()}
assert diff(parts, release_id(fp16)[1]) == ["weights"]


# 4. Immutable registry with movable aliases.
class Registry:
    def __init__(self):
        self.versions, self.aliases, self.history = {}, {}, []

    def register(self, version, components):
        rid_, _ = release_id(components)
        if version in self.versions and self.versions[version] != rid_:
            raise ValueError(f"{version} already points to {self.versions[version]}; versions are immutable")
        self.versions[version] = rid_
        return rid_

    def set_alias(self, alias, version):
        self.history.append((alias, self.aliases.get(alias)))
        self.aliases[alias] = version

    def rollback(self, alias):
        for i in range(len(self.history) - 1, -1, -1):
            a, previous = self.history[i]
            if a == alias and previous is not None:
                del self.history[i:]
                self.aliases[alias] = previous
                return previous
        raise LookupError("no previous version")


reg = Registry()
reg.register("support-bot 1.4.0", base)
assert reg.register("support-bot 1.4.0", build_release()) == rid  # idempotent re-register
candidate = build_release()
mutations["system_prompt"](candidate)
reg.register("support-bot 1.5.0", candidate)
try:
    reg.register("support-bot 1.4.0", candidate)  # silently replacing a release is refused
    raise AssertionError("overwrite should have failed")
except ValueError:
    pass
reg.set_alias("production", "support-bot 1.4.0")
reg.set_alias("production", "support-bot 1.5.0")  # promote
assert reg.rollback("production") == "support-bot 1.4.0"  # roll back: move the alias
assert reg.versions[reg.aliases["production"]] == rid

# 5. Version-bump policy from the diff.
assert bumps["output_schema"] == "major" and bumps["tokenizer"] == "major"
assert bumps["weights"] == "minor" and bumps["system_prompt"] == "minor"
assert bumps["decoding"] == "patch" and bumps["guardrails"] == "patch"

# 6. Storage: full checkpoint vs one LoRA adapter (A: r x d_in, B: d_out x r per adapted matrix).
hidden, layers, kv, mlp, r = 8192, 80, 8 * 128, 28672, 16
shapes = [(hidden, hidden), (hidden, kv), (hidden, kv), (hidden, hidden),  # q, k, v, o
          (hidden, mlp), (hidden, mlp), (mlp, hidden)]  # gate, up, down
lora_params = layers * sum(r * (d_in + d_out) for d_in, d_out in shapes)
assert lora_params == 207_093_760, lora_params
assert abs(lora_params * 2 / 1e9 - 0.414) < 0.001  # bytes in bf16 -> about 0.4 GB
assert 70e9 * 2 / 1e9 == 140.0  # 70B parameters x 2 bytes = 140 GB

print(f"base release id {rid}; {len(mutations)} single-component changes -> {len(seen) - 1} distinct new ids")
print("diff names exactly the changed component; fp16 weights -> new release")
print("registry: versions immutable, alias 'production' promoted and rolled back")
print("bumps: " + ", ".join(f"{k}={v}" for k, v in sorted(bumps.items())))
print(f"70B bf16 checkpoint 140 GB; rank-16 LoRA on all linear layers: {lora_params / 1e6:.0f}M params, {lora_params * 2 / 1e9:.2f} GB")
