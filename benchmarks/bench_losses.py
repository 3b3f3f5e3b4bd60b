"""Each loss of `losses`, forward + backward, against the same loss and gradient in numpy.

The numpy side is what a careful person writes by hand: the loss and its gradient
with respect to the predictions (logits, embeddings, weights), derived on paper,
vectorised. Both run in one process, interleaved; before timing, the script checks
that both give the same value and gradients. Printed, not asserted.

    python benchmarks/bench_losses.py            # N = 65,536 (about 25 s)
    python benchmarks/bench_losses.py --quick    # N = 4,096, a smoke run
    python benchmarks/bench_losses.py --only triplet --only mse   # a few rows

Sizes: elementwise losses on N values; cross-entropy, categorical cross-entropy,
softmax focal and multiclass hinge on (N, 10); contrastive and triplet on (N, 128)
embeddings; penalties on a 256 x 256 weight matrix and its bias (65,792 numbers).
batch_triplet works on an (N, N) distance matrix (through the Gram matrix on both
sides) and an (N, N, N) tensor of triplets for "all", so it runs on a training batch,
not on N = 65,536: 128 embeddings, 32 identities x 4 samples each (the P x K batches
of Hermans et al.), in float64 and in float32 (the numpy side then works in float32).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _timing import compare, fmt_bytes, fmt_time, peak_memory, settle_allocator, table  # noqa: E402

import losses  # noqa: E402
import minigrad as mg  # noqa: E402

LOG_FLOOR = np.exp(-100.0)   # the losses clamp log p at -100, as PyTorch does


def sigmoid(z):
    return 0.5 + 0.5 * np.tanh(0.5 * z)        # no overflow for any z


def log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


# ---- numpy references: (value, [gradient for each differentiable input]), reduction "mean" ----

def np_mse(p, y):
    r = y - p
    return np.mean(r * r), [-2.0 * r / r.size]


def np_mae(p, y):
    r = y - p
    return np.mean(np.abs(r)), [-np.sign(r) / r.size]


def np_huber(p, y, delta=1.0):
    r = y - p
    a = np.abs(r)
    q = np.minimum(a, delta)
    return np.mean(0.5 * q * q + delta * (a - q)), [-np.clip(r, -delta, delta) / r.size]


def np_bce(p, y):
    p_safe, q_safe = np.maximum(p, LOG_FLOOR), np.maximum(1.0 - p, LOG_FLOOR)
    loss = -np.mean(y * np.log(p_safe) + (1.0 - y) * np.log(q_safe))
    return loss, [(-y / p_safe + (1.0 - y) / q_safe) / p.size]


def np_bce_logits(z, y):
    return np.mean(np.logaddexp(0.0, z) - z * y), [(sigmoid(z) - y) / z.size]


def np_categorical_ce(p, y):
    p_safe = np.maximum(p, LOG_FLOOR)
    n = len(p)
    return -np.sum(y * np.log(p_safe)) / n, [-y / p_safe / n]


def np_cross_entropy(z, labels):
    n = len(z)
    log_p = log_softmax(z)
    rows = np.arange(n)
    grad = np.exp(log_p)
    grad[rows, labels] -= 1.0
    return -log_p[rows, labels].mean(), [grad / n]


def np_hinge(s, y):
    m = 1.0 - y * s
    return np.mean(np.maximum(m, 0.0)), [-y * (m > 0) / s.size]


def np_squared_hinge(s, y):
    h = np.maximum(1.0 - y * s, 0.0)
    return np.mean(h * h), [-2.0 * y * h / s.size]


def np_multiclass_hinge(s, labels, margin=1.0):
    n = len(s)
    rows = np.arange(n)
    m = margin - s[rows, labels][:, None] + s
    m[rows, labels] = 0.0                          # j = y is not a term
    active = (m > 0).astype(s.dtype)
    grad = active.copy()
    grad[rows, labels] = -active.sum(axis=1)
    return np.maximum(m, 0.0).sum() / n, [grad / n]


def np_focal(z, y, alpha=0.25, gamma=2.0):
    sign = 2.0 * y - 1.0
    z_t = z * sign
    log_p_t = -np.logaddexp(0.0, -z_t)
    p_t, one_minus = np.exp(log_p_t), sigmoid(-z_t)
    alpha_t = alpha * y + (1.0 - alpha) * (1.0 - y)
    modulating = one_minus ** gamma
    loss = -alpha_t * modulating * log_p_t
    # d/dz_t of -(1 - p)^γ log p, with dp/dz_t = p (1 - p):  (1 - p)^γ (γ p log p - (1 - p))
    d_z_t = alpha_t * modulating * (gamma * p_t * log_p_t - one_minus)
    return loss.mean(), [d_z_t * sign / z.size]


def np_softmax_focal(z, labels, gamma=2.0):
    n = len(z)
    rows = np.arange(n)
    log_p = log_softmax(z)
    u = log_p[rows, labels]                        # log p_t
    p_t = np.exp(u)
    one_minus = 1.0 - p_t
    loss = -(one_minus ** gamma) * u
    # dL/du = γ (1-p_t)^(γ-1) p_t u - (1-p_t)^γ;   du/dz = onehot - p
    d_u = gamma * one_minus ** (gamma - 1) * p_t * u - one_minus ** gamma
    grad = -np.exp(log_p) * d_u[:, None]
    grad[rows, labels] += d_u
    return loss.mean(), [grad / n]


def np_contrastive(x1, x2, y, margin=1.0):
    n = len(x1)
    diff = x1 - x2
    d2 = np.sum(diff * diff, axis=1)
    d = np.sqrt(d2)
    gap = np.maximum(margin - d, 0.0)
    loss = np.mean((1.0 - y) * d2 + y * gap * gap)
    # d(D²)/dx1 = 2 diff;  d(gap²)/dx1 = -2 gap diff / D  (gap > 0 implies D < margin; D > 0 here)
    coef = 2.0 * ((1.0 - y) - y * gap / np.where(d > 0, d, 1.0)) / n
    g1 = coef[:, None] * diff
    return loss, [g1, -g1]


def np_triplet(a, p, neg, margin=1.0):
    n = len(a)
    d_ap_vec, d_an_vec = a - p, a - neg
    d_ap = np.sqrt(np.sum(d_ap_vec * d_ap_vec, axis=1))
    d_an = np.sqrt(np.sum(d_an_vec * d_an_vec, axis=1))
    h = d_ap - d_an + margin
    active = (h > 0) / n
    u_ap = d_ap_vec * (active / d_ap)[:, None]     # distances > 0 here
    u_an = d_an_vec * (active / d_an)[:, None]
    return np.maximum(h, 0.0).mean(), [u_ap - u_an, -u_ap, u_an]


def _pairwise(e):
    """Distances by the Gram matrix, as a careful hand-written version takes them:
    |e_i|² + |e_j|² - 2 e_i·e_j, clamped at 0, with an exact 0 on the diagonal."""
    norms = np.sum(e * e, axis=1)
    s = np.maximum(norms[:, None] + norms[None, :] - 2.0 * (e @ e.T), 0.0)
    np.fill_diagonal(s, 0.0)
    return np.sqrt(s)


def _embedding_grad(G, e, dist):
    """dL/de from dL/dD for D_ij = |e_i - e_j| (gradient 0 where D = 0):
    Σ_j (G_ij + G_ji) (e_i - e_j) / D_ij = e_i Σ_j W_ij - (W e)_i."""
    W = np.divide(G + G.T, dist, out=np.zeros_like(dist), where=dist > 0)
    return e * W.sum(axis=1, keepdims=True) - W @ e


def _label_masks(labels):
    same = labels[:, None] == labels[None, :]
    return same & ~np.eye(len(labels), dtype=bool), ~same


def np_batch_triplet_all(e, labels, margin=1.0):
    dist = _pairwise(e)
    positive, negative = _label_masks(labels)
    valid = positive[:, :, None] & negative[:, None, :]                 # (a, p, n)
    per = np.maximum(dist[:, :, None] - dist[:, None, :] + margin, 0.0) * valid
    active = per > 0
    count = max(int(active.sum()), 1)
    G = (active.sum(axis=2) - active.sum(axis=1)) / count               # +1 at (a,p), -1 at (a,n)
    return per.sum() / count, [_embedding_grad(G, e, dist)]


def np_batch_triplet_hard(e, labels, margin=1.0):
    dist = _pairwise(e)
    positive, negative = _label_masks(labels)
    rows = np.arange(len(e))
    p = np.where(positive, dist, -np.inf).argmax(axis=1)
    n = np.where(negative, dist, np.inf).argmin(axis=1)
    valid = positive.any(axis=1) & negative.any(axis=1)
    per = np.maximum(dist[rows, p] - dist[rows, n] + margin, 0.0) * valid
    count = max(int(valid.sum()), 1)
    w = (per > 0) / count
    G = np.zeros_like(dist)
    G[rows, p] += w                                                     # one p and one n per anchor
    G[rows, n] -= w
    return per.sum() / count, [_embedding_grad(G, e, dist)]


def np_batch_triplet_semi_hard(e, labels, margin=1.0):
    dist = _pairwise(e)
    positive, negative = _label_masks(labels)
    a, p = np.nonzero(positive)
    d_ap, d_an, is_negative = dist[a, p], dist[a], negative[a]
    farther = is_negative & (d_an > d_ap[:, None])
    n = np.where(farther.any(axis=1), np.where(farther, d_an, np.inf).argmin(axis=1),
                 np.where(is_negative, d_an, -np.inf).argmax(axis=1))
    per = np.maximum(d_ap - dist[a, n] + margin, 0.0)
    w = (per > 0) / len(a)
    size = dist.size
    G = (np.bincount(a * len(e) + p, w, size) - np.bincount(a * len(e) + n, w, size)).reshape(dist.shape)
    return per.sum() / len(a), [_embedding_grad(G, e, dist)]


def np_l1(params, lam):
    return lam * sum(np.abs(w).sum() for w in params), [lam * np.sign(w) for w in params]


def np_l2(params, lam):
    return lam * sum((w * w).sum() for w in params), [2.0 * lam * w for w in params]


def np_elastic_net(params, l1, l2):
    value = l1 * sum(np.abs(w).sum() for w in params) + l2 * sum((w * w).sum() for w in params)
    return value, [l1 * np.sign(w) + 2.0 * l2 * w for w in params]


def np_log_cosh(p, y):
    r = y - p
    return np.mean(np.logaddexp(r, -r) - np.log(2.0)), [-np.tanh(r) / r.size]


def np_weighted(p, y, w, b, lam):
    value, (g_p,) = np_mse(p, y)
    l1, (g_w, g_b) = np_l1([w, b], lam)
    return 0.7 * value + 0.3 * l1, [0.7 * g_p, 0.3 * g_w, 0.3 * g_b]


# ---- the cases -------------------------------------------------------------------------------

def build_cases(n, batch):
    """name -> (differentiable inputs, constant inputs, minigrad loss, numpy reference)."""
    r = np.random.default_rng(0)
    pred, target = r.standard_normal(n), r.standard_normal(n)
    prob, labels01 = r.uniform(0.01, 0.99, n), r.integers(0, 2, n).astype(float)
    pm1 = 2.0 * labels01 - 1.0
    logits10, classes = 2.0 * r.standard_normal((n, 10)), r.integers(0, 10, n)
    prob10 = np.exp(log_softmax(logits10))
    onehot = np.eye(10)[classes]
    # embeddings at a scale where distances straddle the margin 1 (both branches used)
    x1, x2, x3 = (0.06 * r.standard_normal((n, 128)) for _ in range(3))
    same01 = r.integers(0, 2, n).astype(float)
    emb = 0.1 * r.standard_normal((batch, 128))
    emb32 = emb.astype(np.float32)
    ids = np.repeat(np.arange(batch // 4), 4)
    weight, bias = 0.05 * r.standard_normal((256, 256)), 0.05 * r.standard_normal(256)
    lam = 1e-4
    L = losses
    return {
        "mse": ([pred], [target], L.mse, np_mse),
        "mae": ([pred], [target], L.mae, np_mae),
        "huber": ([pred], [target], L.huber, np_huber),
        "binary_cross_entropy": ([prob], [labels01], L.binary_cross_entropy, np_bce),
        "binary_cross_entropy_with_logits": ([pred], [labels01], L.binary_cross_entropy_with_logits,
                                             np_bce_logits),
        "categorical_cross_entropy (N, 10)": ([prob10], [onehot], L.categorical_cross_entropy,
                                              np_categorical_ce),
        "cross_entropy (N, 10)": ([logits10], [classes], L.cross_entropy, np_cross_entropy),
        "hinge": ([pred], [pm1], L.hinge, np_hinge),
        "squared_hinge": ([pred], [pm1], L.squared_hinge, np_squared_hinge),
        "multiclass_hinge (N, 10)": ([logits10], [classes], L.multiclass_hinge, np_multiclass_hinge),
        "focal": ([pred], [labels01], L.focal, np_focal),
        "softmax_focal (N, 10)": ([logits10], [classes], L.softmax_focal, np_softmax_focal),
        "contrastive (N, 128)": ([x1, x2], [same01], L.contrastive, np_contrastive),
        "triplet (N, 128)": ([x1, x2, x3], [], L.triplet, np_triplet),
        f"batch_triplet all ({batch}, 128)": (
            [emb], [ids], lambda e, y: L.batch_triplet(e, y, mining="all"), np_batch_triplet_all),
        f"batch_triplet hard ({batch}, 128)": (
            [emb], [ids], lambda e, y: L.batch_triplet(e, y, mining="hard"), np_batch_triplet_hard),
        f"batch_triplet semi-hard ({batch}, 128)": (
            [emb], [ids], lambda e, y: L.batch_triplet(e, y, mining="semi-hard"),
            np_batch_triplet_semi_hard),
        # float32 embeddings: the distances are summed in float64 (issue 15), the gradient stays float32
        f"batch_triplet all float32 ({batch}, 128)": (
            [emb32], [ids], lambda e, y: L.batch_triplet(e, y, mining="all"), np_batch_triplet_all),
        f"batch_triplet hard float32 ({batch}, 128)": (
            [emb32], [ids], lambda e, y: L.batch_triplet(e, y, mining="hard"), np_batch_triplet_hard),
        f"batch_triplet semi-hard float32 ({batch}, 128)": (
            [emb32], [ids], lambda e, y: L.batch_triplet(e, y, mining="semi-hard"), np_batch_triplet_semi_hard),
        "l1_penalty (256x256 + 256)": ([weight, bias], [lam], lambda w, b, lam: L.l1_penalty([w, b], lam),
                                       lambda w, b, lam: np_l1([w, b], lam)),
        "l2_penalty (256x256 + 256)": ([weight, bias], [lam], lambda w, b, lam: L.l2_penalty([w, b], lam),
                                       lambda w, b, lam: np_l2([w, b], lam)),
        "elastic_net (256x256 + 256)": (
            [weight, bias], [lam, 2 * lam], lambda w, b, l1, l2: L.elastic_net([w, b], l1, l2),
            lambda w, b, l1, l2: np_elastic_net([w, b], l1, l2)),
        "log_cosh": ([pred], [target], L.log_cosh, np_log_cosh),
        "0.7 mse + 0.3 l1_penalty": (
            [pred, weight, bias], [target, lam],
            lambda p, w, b, y, lam: 0.7 * L.mse(p, y) + 0.3 * L.l1_penalty([w, b], lam),
            lambda p, w, b, y, lam: np_weighted(p, y, w, b, lam)),
    }


def run(name, case, repeats, min_seconds):
    inputs, consts, mg_loss, np_loss = case
    leaves = [mg.Tensor(x, requires_grad=True) for x in inputs]

    def minigrad_once():
        for t in leaves:
            t.grad = None               # a fresh gradient each call, as after zero_grad()
        loss = mg_loss(*leaves, *consts)
        loss.backward()
        return loss.item(), [t.grad for t in leaves]

    def numpy_once():
        return np_loss(*inputs, *consts)

    (v_mg, g_mg), (v_np, g_np) = minigrad_once(), numpy_once()
    scale = max(float(np.max(np.abs(g))) for g in g_np) or 1.0
    error = max([abs(v_mg - v_np) / max(abs(v_np), 1e-300)] +
                [float(np.max(np.abs(a - b))) / scale for a, b in zip(g_mg, g_np)])

    # enough calls per timed unit that it lasts min_seconds on the numpy side
    once = compare({"numpy": numpy_once}, repeats=1, warmup=0)["numpy"].best
    calls = max(1, int(min_seconds / max(once, 1e-9)))

    def minigrad_unit():
        for _ in range(calls):
            minigrad_once()

    def numpy_unit():
        for _ in range(calls):
            numpy_once()
    timing = compare({"minigrad": minigrad_unit, "numpy": numpy_unit}, repeats=repeats)
    t_mg, t_np = timing["minigrad"].best / calls, timing["numpy"].best / calls
    mem_mg, mem_np = peak_memory(minigrad_once), peak_memory(numpy_once)
    ratio = t_mg / t_np
    print(f"  {name}: minigrad {fmt_time(t_mg)}, numpy {fmt_time(t_np)}, ratio {ratio:.2f}x "
          f"(medians {timing['minigrad'].median / timing['numpy'].median:.2f}x); peak memory "
          f"{fmt_bytes(mem_mg)} vs {fmt_bytes(mem_np)}; relative difference {error:.1e}", flush=True)
    return [name, fmt_time(t_mg), fmt_time(t_np), f"{ratio:.2f}x", "yes" if ratio <= 2 else "NO",
            fmt_bytes(mem_mg), fmt_bytes(mem_np), f"{error:.0e}"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 4,096 and few repeats: a smoke run")
    parser.add_argument("--only", action="append", help="run the rows whose name contains this text")
    args = parser.parse_args(argv)
    settle_allocator()
    n, batch = (4096, 64) if args.quick else (65_536, 128)
    repeats, min_seconds = (3, 0.005) if args.quick else (7, 0.03)
    print(f"numpy {np.__version__}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
          f"N = {n:,}, float64, reduction 'mean', forward + backward; target <= 2x", flush=True)
    rows = []
    for name, case in build_cases(n, batch).items():
        if args.only and not any(text in name for text in args.only):
            continue
        rows.append(run(name, case, repeats, min_seconds))
    print()
    table(rows, ["loss", "minigrad", "numpy", "ratio", "<= 2x", "peak mem minigrad", "peak mem numpy",
                 "max rel. diff"])


if __name__ == "__main__":
    main()
