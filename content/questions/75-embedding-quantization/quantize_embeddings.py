"""Scalar (int8) and binary quantization of embeddings, with rescoring and product quantization.

Synthetic "embeddings": topic clusters on a sphere with anisotropic per-dimension scales and a
shared mean direction (real sentence embeddings are anisotropic too). Ground truth is exact
float32 top-10 by dot product; every method is scored by recall@10 against it.
Run: /usr/bin/python3 quantize_embeddings.py
"""
import numpy as np

D, N_DOCS, N_QUERIES, N_CALIB, K, RESCORE_MULT = 256, 2000, 120, 1500, 10, 4
POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int32)


def make_embeddings(seed):
    rng = np.random.default_rng(seed)
    scale = np.exp(rng.normal(0.0, 0.7, D))          # anisotropic dimensions
    mean_dir = 0.6 * rng.normal(size=D) * scale / np.sqrt(D)  # shared offset (anisotropy)
    topics = rng.normal(size=(60, D))

    def draw(n):
        t = topics[rng.integers(0, 60, n)]
        x = (t + 0.9 * rng.normal(size=(n, D))) * scale / np.sqrt(D) + mean_dir
        return x / np.linalg.norm(x, axis=1, keepdims=True)

    docs, calib = draw(N_DOCS), draw(N_CALIB)
    # queries: paraphrase-like perturbations of random documents
    q = docs[rng.integers(0, N_DOCS, N_QUERIES)] + 0.6 * draw(N_QUERIES)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return docs.astype(np.float32), q.astype(np.float32), calib.astype(np.float32)


def topk(scores, k):
    idx = np.argpartition(-scores, k, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, idx, 1), axis=1)
    return np.take_along_axis(idx, order, 1)


def recall(found, truth):
    return np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth)])


# ---- scalar int8 with calibrated per-dimension ranges ----------------------------------
def int8_fit(calib):
    lo, hi = calib.min(0), calib.max(0)       # per-dimension range from calibration embeddings
    return lo, (hi - lo) / 255.0


def int8_fit_uncalibrated():
    # components of a unit vector lie in [-1, 1], but typical ones are far smaller
    return np.full(D, -1.0, np.float32), np.full(D, 2.0 / 255.0, np.float32)


def int8_encode(x, lo, step):
    return (np.clip(np.round((x - lo) / step), 0, 255) - 128).astype(np.int8)


def int8_scores(q, codes, lo, step):
    # q . (lo + step * (code + 128)) = q.lo + 128 q.step + (q * step) . code
    # so a float query scores int8 codes directly; the docs are never dequantized in memory.
    w = q * step
    return (q @ lo + 128.0 * (q @ step))[:, None] + w @ codes.T.astype(np.float32)


# ---- binary: 1 bit per dimension, Hamming distance --------------------------------------
def binary_encode(x, threshold):
    return np.packbits(x > threshold, axis=1)        # D/8 bytes per vector


def hamming_popcount(qbits, dbits):
    # what a binary index does: XOR the packed bytes and count the set bits
    return POPCOUNT[np.bitwise_xor(qbits[:, None, :], dbits[None, :, :])].sum(-1)


def to_signs(bits):
    return np.unpackbits(bits, axis=1)[:, :D].astype(np.float32) * 2 - 1


def hamming(qbits, dbits):
    # same number, computed faster in numpy: for +-1 vectors, hamming = (D - a.b) / 2
    return ((D - to_signs(qbits) @ to_signs(dbits).T) / 2).astype(np.int32)


def binary_search_rescore(q, ham, dbits, rescore_codes=None):
    cand = topk(-ham.astype(np.float32), K * RESCORE_MULT)     # shortlist by Hamming distance
    out = []
    for i, c in enumerate(cand):
        if rescore_codes is None:   # float query . {-1, +1} document bits (no extra storage)
            s = to_signs(dbits[c]) @ q[i]
        else:                       # float query . int8 documents fetched for the candidates only
            codes, lo, step = rescore_codes
            s = int8_scores(q[i : i + 1], codes[c], lo, step)[0]
        out.append(c[np.argsort(-s)[:K]])
    return np.array(out), cand


# ---- product quantization (Jegou et al., 2011) -------------------------------------------
def kmeans(x, k, rng, iters=8):
    c = x[rng.choice(len(x), k, replace=False)].copy()
    for _ in range(iters):
        a = (-2 * x @ c.T + (c ** 2).sum(1)).argmin(1)   # nearest centroid
        onehot = np.eye(k, dtype=x.dtype)[a]
        counts = onehot.sum(0)
        c[counts > 0] = (onehot.T @ x)[counts > 0] / counts[counts > 0, None]
    return c


def pq_fit(train, m, k, rng):
    return [kmeans(s, k, rng) for s in np.split(train, m, axis=1)]


def pq_encode(x, books):
    subs = zip(np.split(x, len(books), 1), books)
    codes = np.stack([(-2 * s @ b.T + (b ** 2).sum(1)).argmin(1) for s, b in subs], 1).astype(np.uint8)
    return (codes[:, 0::2] << 4) | codes[:, 1::2]            # two 4-bit codes per byte


def pq_unpack(packed):
    codes = np.empty((len(packed), 2 * packed.shape[1]), dtype=np.uint8)
    codes[:, 0::2], codes[:, 1::2] = packed >> 4, packed & 15
    return codes


def pq_scores(q, packed, books):
    codes = pq_unpack(packed)
    # asymmetric distance computation: per-subspace lookup tables of q_sub . centroid
    tables = [qs @ b.T for qs, b in zip(np.split(q, len(books), 1), books)]  # each [Q, k]
    return sum(t[:, codes[:, j]] for j, t in enumerate(tables))


rows = []
for seed in range(3):
    docs, queries, calib = make_embeddings(seed)
    # calibration data are separate draws, never the indexed documents
    assert not (calib[:, None, :5] == docs[None, :, :5]).all(-1).any()
    truth = topk(queries @ docs.T, K)

    lo, step = int8_fit(calib)
    codes = int8_encode(docs, lo, step)
    s8 = int8_scores(queries, codes, lo, step)
    deq = lo + step * (codes.astype(np.float32) + 128)
    assert np.allclose(s8, queries @ deq.T, atol=1e-4)        # code-space scoring == dequantized
    r_int8 = recall(topk(s8, K), truth)
    glo, gstep = int8_fit_uncalibrated()
    r_int8_uncal = recall(topk(int8_scores(queries, int8_encode(docs, glo, gstep), glo, gstep), K), truth)

    bits, qbits = binary_encode(docs, 0.0), binary_encode(queries, 0.0)  # sign, as sentence-transformers does
    ham = hamming(qbits, bits)
    assert (ham[:5] == hamming_popcount(qbits[:5], bits)).all()
    r_bin = recall(topk(-ham.astype(np.float32), K), truth)
    found_b, cand = binary_search_rescore(queries, ham, bits)
    r_bin_rescore = recall(found_b, truth)
    found_8, _ = binary_search_rescore(queries, ham, bits, rescore_codes=(codes, lo, step))
    r_bin_int8 = recall(found_8, truth)
    r_cand = recall(cand, truth)                              # ceiling for any rescoring

    rng = np.random.default_rng(100 + seed)
    books = pq_fit(calib, m=64, k=16, rng=rng)  # 64 sub-vectors of 4 dims, 16 centroids (4 bits) each
    pq_codes = pq_encode(docs, books)
    r_pq = recall(topk(pq_scores(queries, pq_codes, books), K), truth)

    mem = dict(float32=docs.nbytes, int8=codes.nbytes, binary=bits.nbytes, pq=pq_codes.nbytes)
    assert mem["float32"] == 4 * mem["int8"] == 32 * mem["binary"] == 32 * mem["pq"]

    # Each of these can fail if the method is broken (e.g. a wrong range, a wrong bit order).
    assert r_int8 > 0.95, r_int8
    deq_uncal = glo + gstep * (int8_encode(docs, glo, gstep).astype(np.float32) + 128)
    err_cal, err_uncal = np.mean((deq - docs) ** 2), np.mean((deq_uncal - docs) ** 2)
    assert err_cal < err_uncal / 5, (err_cal, err_uncal)    # calibrated ranges: much finer steps
    assert r_bin < r_int8 - 0.1, (r_bin, r_int8)              # 1 bit loses more than 8 bits
    assert r_bin_rescore > r_bin + 0.05, (r_bin_rescore, r_bin)
    assert r_pq > r_bin + 0.1, (r_pq, r_bin)                  # same 32 bytes, better codes (on this data)
    assert r_bin_int8 >= r_bin_rescore - 0.02 and r_bin_int8 <= r_cand + 1e-9
    rows.append((seed, err_uncal / err_cal, r_int8_uncal, r_int8, r_bin, r_bin_rescore, r_bin_int8, r_cand, r_pq))

print(f"bytes per vector (d={D}): float32 {4*D}, int8 {D} (4x smaller), binary {D//8} (32x), PQ 64 x 4-bit codes (32x)")
print("int8 error ratio fixed/calibrated | recall@10 vs float32 top-10: int8 fixed [-1,1], int8 calibrated | binary, "
      f"+rescore float.q x bits, +rescore int8 (top {K*RESCORE_MULT}) | candidate ceiling | PQ 64x4bit")
for r in rows:
    print(f"seed {r[0]}: " + "  ".join(f"{v:.3f}" for v in r[1:]))
