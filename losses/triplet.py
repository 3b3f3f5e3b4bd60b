"""Triplet losses: one given triplet per sample, and a whole batch with mining.

Distances are Euclidean (value 0 and gradient 0 where two embeddings coincide: the
smallest subgradient of the norm, so identical embeddings give finite gradients).
Mining picks triplets from the distance values alone (numpy,
no gradient), as is usual in practice; the loss is then computed on the graph from
the chosen distances, so the gradient is the one of the mined triplets' losses.
At an exact tie (two candidates at the same distance) the first in index order is taken.
"""
import numpy as np

import minigrad as mg

from . import _distance, reduce, validate

MINING = ("all", "hard", "semi-hard")


def triplet(anchor, positive, negative, margin=1.0, squared=False, reduction="mean"):
    """Triplet loss: the anchor must be closer to the positive than to the negative by a margin.

    Lecture form:   L = max(0, d(a,p) - d(a,n) + margin)
    with d the Euclidean distance of each row (its square when squared=True). Inputs are
    (N, D) (or (N, ...), every axis after the first a feature); `"none"` gives (N,).
    The distance has an infinite slope at 0, so where an anchor coincides with its
    positive or negative it is taken with gradient 0 and the gradients stay finite; with squared=True no root is taken at all. At
    d(a,p) - d(a,n) + margin = 0 the kink takes relu'(0) = 0: a margin exactly met costs
    nothing and pushes nothing. An easy triplet, d(a,n) > d(a,p) + margin, gives 0.
    `margin` must be a finite number >= 0. NaN in the embeddings is not validated: it
    propagates to a NaN loss.
    Reference: F. Schroff, D. Kalenichenko and J. Philbin, "FaceNet: A Unified Embedding
    for Face Recognition and Clustering", CVPR 2015.

    >>> a, p, n = [[0.0, 0.0]], [[3.0, 4.0]], [[0.0, 2.0]]    # d(a,p) = 5, d(a,n) = 2
    >>> triplet(a, p, n, margin=1.0).item()                     # max(0, 5 - 2 + 1)
    4.0
    >>> triplet(a, p, n, margin=1.0, squared=True).item()       # max(0, 25 - 4 + 1)
    22.0
    """
    fn = "triplet"
    anchor, positive = validate.same_shape(anchor, positive, fn, names=("anchor", "positive"))
    anchor, negative = validate.same_shape(anchor, negative, fn, names=("anchor", "negative"))
    validate.ndim_at_least(anchor, 2, fn, "anchor", "(N, D): one embedding per row; reshape a "
                          "single embedding with x.reshape(1, -1)")
    validate.nonempty(anchor, fn, "anchor")
    margin = validate.number(margin, fn, "margin", minimum=0.0)
    validate.one_of(squared, (False, True), fn, "squared")

    d_ap = _distance.row_distances(anchor, positive, squared=squared)
    d_an = _distance.row_distances(anchor, negative, squared=squared)
    return reduce.apply(mg.relu(d_ap - d_an + margin), reduction, fn)


# ---- mining: index arrays chosen from the distance values ------------------------------

def _label_masks(labels):
    """(N, N) masks: positive[a, p] for a != p of one label, negative[a, n] for another label."""
    same = labels[:, None] == labels[None, :]
    return same & ~np.eye(len(labels), dtype=bool), ~same


def _mine_all(dist, positive, negative):
    """Every valid triplet (a, p, n), in the order a, then p, then n: three index arrays."""
    a, p, n = np.nonzero(positive[:, :, None] & negative[:, None, :])
    return a, p, n, np.ones(len(a), dtype=bool)


def _mine_hard(dist, positive, negative):
    """Per anchor: its farthest positive and its nearest negative (Hermans et al.'s batch-hard).

    `valid` marks anchors that have both; the others point at themselves, so their
    distances are D[a, a] = 0, finite, and are masked out afterwards.
    """
    anchors = np.arange(len(dist))
    valid = positive.any(axis=1) & negative.any(axis=1)
    p = np.where(positive, dist, -np.inf).argmax(axis=1)
    n = np.where(negative, dist, np.inf).argmin(axis=1)
    return anchors, np.where(valid, p, anchors), np.where(valid, n, anchors), valid


def _mine_semi_hard(dist, positive, negative):
    """Per anchor-positive pair: the nearest negative farther than the positive, else the farthest negative.

    `valid` marks pairs whose anchor has a negative at all (false only when the whole
    batch has one label); the others point at the anchor itself and are masked out.
    """
    a, p = np.nonzero(positive)
    d_ap, d_an, is_negative = dist[a, p], dist[a], negative[a]          # (P,), (P, N), (P, N)
    farther = is_negative & (d_an > d_ap[:, None])
    nearest_farther = np.where(farther, d_an, np.inf).argmin(axis=1)
    farthest = np.where(is_negative, d_an, -np.inf).argmax(axis=1)
    n = np.where(farther.any(axis=1), nearest_farther, farthest)
    valid = is_negative.any(axis=1)
    return a, p, np.where(valid, n, a), valid


_MINERS = {"all": _mine_all, "hard": _mine_hard, "semi-hard": _mine_semi_hard}


def _mean_over(values, count, reduction, fn):
    """Like `losses.reduce.apply`, but "mean" divides by `count` (a number, no gradient); 0 when count is 0."""
    if reduction == "mean":
        return values.sum() / max(count, 1)
    return reduce.apply(values, reduction, fn)


def batch_triplet(embeddings, labels, margin=1.0, mining="all", reduction="mean"):
    """Triplet loss over a batch: every valid triplet, or the ones a mining strategy picks.

    Lecture form, per triplet:   L = max(0, d(a,p) - d(a,n) + margin)
    with d Euclidean, a != p, label[a] == label[p], label[n] != label[a].
    `embeddings` is (N, D), `labels` (N,) integers of any value. `mining`:

    - "all": every valid triplet, ordered by a, then p, then n. "none" gives the
      per-triplet losses (T,); "sum" their sum; "mean" averages over the triplets whose
      loss is > 0 (Hermans et al.'s "batch all"), 0 when there are none.
    - "hard" (batch-hard): per anchor, max over its positives of d(a,p) minus min over
      its negatives of d(a,n), plus margin, clipped at 0. "none" is (N,); an anchor with
      no positive or no negative gives 0 and is left out of "mean".
    - "semi-hard" (FaceNet): per anchor-positive pair, the nearest negative farther than
      the positive (d(a,n) > d(a,p)); where none is farther, the farthest negative.
      "none" is (P,) over the pairs, ordered by a, then p; "mean" averages over all
      pairs, zeros included.

    Stable form: the (N, N) distances come from the differences e_i - e_j (exact 0 for
    identical embeddings, gradient 0 there); mining reads
    their values with numpy and the loss gathers the chosen distances, so an empty
    mining result (one label only, or no two samples sharing a label) is a sum over
    nothing: the loss is 0 and every gradient is 0, finite. The counts that divide in
    "mean" are numbers without gradient. `margin` must be a finite number >= 0.
    The embeddings must be finite: NaN or infinity raises ValueError, because mining
    compares distances and a NaN would silently change which triplets are picked.
    References: F. Schroff, D. Kalenichenko and J. Philbin, "FaceNet", CVPR 2015
    (semi-hard); A. Hermans, L. Beyer and B. Leibe, "In Defense of the Triplet Loss for
    Person Re-Identification", 2017 (batch-hard, batch-all).

    Points on a line, labels 0, 0, 1, 1 and margin 1: e = 0, 1, 0.5, 3.5. Distances:
    d01 = 1, d02 = d12 = 0.5, d03 = 3.5, d13 = 2.5, d23 = 3.

    >>> e, labels = [[0.0], [1.0], [0.5], [3.5]], [0, 0, 1, 1]
    >>> batch_triplet(e, labels, mining="all", reduction="none")
    Tensor([1.5, 0. , 1.5, 0. , 3.5, 3.5, 0.5, 1.5])

    (0,1,2): 1 - 0.5 + 1;  (0,1,3): 1 - 3.5 + 1 < 0;  (1,0,2): 1 - 0.5 + 1;  (1,0,3):
    1 - 2.5 + 1 < 0;  (2,3,0) and (2,3,1): 3 - 0.5 + 1;  (3,2,0): 3 - 3.5 + 1;
    (3,2,1): 3 - 2.5 + 1. Six are positive, summing to 12: the mean is 12 / 6.

    >>> batch_triplet(e, labels, mining="all").item()
    2.0
    >>> batch_triplet(e, labels, mining="hard", reduction="none")    # 1-0.5+1, 1-0.5+1, 3-0.5+1, 3-2.5+1
    Tensor([1.5, 1.5, 3.5, 1.5])
    >>> batch_triplet(e, labels, mining="semi-hard", reduction="none")
    Tensor([0. , 0. , 3.5, 0.5])

    Semi-hard, pair (0,1): negatives at 0.5 and 3.5, the nearest farther than 1 is 3.5:
    1 - 3.5 + 1 < 0. (1,0): 2.5 is farther than 1: 1 - 2.5 + 1 < 0. (2,3): both negatives
    at 0.5 < 3, so the farthest, 0.5: 3 - 0.5 + 1. (3,2): 3.5 > 3: 3 - 3.5 + 1.
    """
    fn = "batch_triplet"
    embeddings = validate.as_tensor(embeddings, fn, "embeddings")
    validate.ndim_exactly(embeddings, 2, fn, "embeddings", "(N, D): one embedding per row")
    validate.nonempty(embeddings, fn, "embeddings")
    validate.finite(embeddings, fn, "embeddings")
    labels = validate.whole_numbers(labels, fn, "labels")
    validate.per_sample(labels, embeddings.shape[0], fn, "labels")
    margin = validate.number(margin, fn, "margin", minimum=0.0)
    validate.one_of(mining, MINING, fn, "mining")

    D = _distance.pairwise_distances(embeddings)
    positive, negative = _label_masks(labels)
    a, p, n, valid = _MINERS[mining](D.data, positive, negative)
    per_triplet = mg.relu(D[a, p] - D[a, n] + margin)
    if not np.all(valid):
        per_triplet = mg.where(valid, per_triplet, 0.0)

    if mining == "all":
        count = int(np.count_nonzero(per_triplet.data > 0))
    elif mining == "hard":
        count = int(np.count_nonzero(valid))
    else:
        count = len(a)
    return _mean_over(per_triplet, count, reduction, fn)
