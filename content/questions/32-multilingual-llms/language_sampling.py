"""Multilingual data handling: temperature sampling, UniMax, Unicode normalization, byte premiums.

What this file checks (run: python3 language_sampling.py):
  1. Temperature (exponent) sampling q_i ∝ p_i^alpha: alpha = 1 is proportional, alpha = 0 is
     uniform, and lowering alpha monotonically raises the three smallest languages' shares
     and lowers English's. With a fixed token budget, alpha = 0.3 makes the smallest
     languages repeat their data dozens of times (overfitting risk).
  2. UniMax-style allocation (uniform budget, at most N epochs per language, leftover given
     to larger languages) spends the whole budget, never exceeds N epochs, and gives large
     languages equal shares.
  3. Unicode normalization matters per script: NFC and NFD "é" differ in bytes until
     normalized; NFKC folds full-width Latin and ligatures but also rewrites "²" and "Ⅳ";
     NFD splits a Hangul syllable into 3 jamo; Turkish dotted capital I lower-cases to 2
     code points with str.lower().
  4. Byte premium on one parallel sentence: Cyrillic, Greek and Devanagari need far more
     UTF-8 bytes (= tokens for a merge-free byte-level tokenizer) than English, Chinese fewer.
Standard library only.
"""
import unicodedata

# 1. Exponent (temperature) sampling ---------------------------------------------------
sizes = {"en": 1000.0, "de": 200.0, "ru": 150.0, "hi": 10.0, "sw": 2.0, "yo": 0.5}  # e.g. B tokens
total = sum(sizes.values())
p = {k: v / total for k, v in sizes.items()}


def exp_sampling(alpha):
    w = {k: v ** alpha for k, v in p.items()}
    z = sum(w.values())
    return {k: v / z for k, v in w.items()}


alphas = [1.0, 0.7, 0.5, 0.3, 0.0]
q = {a: exp_sampling(a) for a in alphas}
assert all(abs(q[1.0][k] - p[k]) < 1e-12 for k in p)                 # proportional
assert all(abs(q[0.0][k] - 1 / len(p)) < 1e-12 for k in p)           # uniform
for lang in ("hi", "sw", "yo"):                                      # small languages gain
    shares = [q[a][lang] for a in alphas]
    assert all(x < y for x, y in zip(shares, shares[1:])), (lang, shares)
assert all(x > y for x, y in zip([q[a]["en"] for a in alphas], [q[a]["en"] for a in alphas[1:]]))

budget = 1000.0  # tokens to train on, same unit as sizes
epochs = {a: {k: q[a][k] * budget / sizes[k] for k in p} for a in alphas}
assert epochs[1.0]["yo"] < 1.0 + 1e-9 and epochs[0.3]["yo"] > 20, epochs[0.3]["yo"]


# 2. UniMax-style allocation (Chung et al., 2023) ----------------------------------------
def unimax(sizes, budget, max_epochs):
    """Visit languages from smallest to largest; give each an equal share of what is left,
    capped at max_epochs passes over its data."""
    alloc, remaining = {}, budget
    order = sorted(sizes, key=sizes.get)
    for i, k in enumerate(order):
        share = remaining / (len(order) - i)
        alloc[k] = min(share, max_epochs * sizes[k])
        remaining -= alloc[k]
    return alloc


alloc = unimax(sizes, budget, max_epochs=4)
assert abs(sum(alloc.values()) - budget) < 1e-9
assert all(alloc[k] / sizes[k] <= 4 + 1e-9 for k in sizes)
big = [alloc[k] for k in ("en", "de", "ru")]
assert max(big) - min(big) < 1e-9  # head languages share the rest uniformly
assert alloc["yo"] == 4 * sizes["yo"]  # tail language capped at 4 epochs, not dozens

# 3. Unicode normalization ---------------------------------------------------------------
nfc, nfd = "caf\u00e9", "cafe\u0301"  # same text as displayed
assert nfc != nfd and len(nfc.encode()) == 5 and len(nfd.encode()) == 6
assert unicodedata.normalize("NFC", nfd) == nfc
assert unicodedata.normalize("NFKC", "ＡＢＣ１２３ ﬁne") == "ABC123 fine"  # full-width + ligature
assert unicodedata.normalize("NFKC", "x² Ⅳ") == "x2 IV"                    # lossy: meaning changes
assert unicodedata.normalize("NFC", "x² Ⅳ") == "x² Ⅳ"                      # NFC keeps them
assert len(unicodedata.normalize("NFD", "한")) == 3                          # Hangul -> 3 jamo
assert len("İ".lower()) == 2 and "I".lower() == "i"                         # not Turkish "ı"

# 4. Byte premium on a parallel sentence -------------------------------------------------
parallel = {
    "en": "The weather is very nice today.",
    "fr": "Il fait très beau aujourd'hui.",
    "de": "Das Wetter ist heute sehr schön.",
    "ru": "Сегодня очень хорошая погода.",
    "el": "Ο καιρός είναι πολύ ωραίος σήμερα.",
    "hi": "आज मौसम बहुत अच्छा है।",
    "th": "วันนี้อากาศดีมาก",
    "zh": "今天天气很好。",
    "ja": "今日はとても良い天気です。",
}
en_bytes = len(parallel["en"].encode())
premium = {k: len(v.encode()) / en_bytes for k, v in parallel.items()}
bytes_per_char = {k: len(v.encode()) / len(v) for k, v in parallel.items()}
assert bytes_per_char["en"] == 1.0 and bytes_per_char["zh"] == 3.0
assert all(premium[k] > 1.5 for k in ("ru", "el", "hi", "th"))
assert all(abs(premium[k] - 1) < 0.1 for k in ("fr", "de"))
assert premium["zh"] < 1.0  # few characters, 3 bytes each: per-character metrics mislead

print("sampling share by alpha (en, hi, yo):")
for a in alphas:
    print(f"  alpha={a:.1f}: en {q[a]['en']:.3f}  hi {q[a]['hi']:.3f}  yo {q[a]['yo']:.3f}"
          f"  -> yo epochs {epochs[a]['yo']:.1f}")
print("UniMax (max 4 epochs):", {k: round(v, 1) for k, v in alloc.items()})
print("byte premium vs English:", {k: round(v, 2) for k, v in premium.items()})
print("all checks passed")
