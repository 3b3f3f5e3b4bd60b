"""Classification losses: binary and categorical cross-entropy, from probabilities or logits.

`binary_cross_entropy*` are elementwise (any shape; `"none"` keeps it).
`categorical_cross_entropy` and `cross_entropy` are per-sample: (N, C) inputs,
`"none"` has shape (N,).
"""
import numpy as np

import minigrad as mg

from . import reduce, validate

LOG_FLOOR = -100.0   # PyTorch's BCE clamps log(p) at -100 so that p = 0 or 1 gives a finite loss


def _log_clamped(p):
    """max(log p, -100), finite in value, gradient and curvature for every p in [0, 1], float32 too.

    Where p < e^-100 the log is clamped: the value is -100 and the gradient 0. float32
    cannot hold 1/p below its smallest normal number (1.2e-38: 1/p would overflow), so
    there too the value max(log p, -100) is taken as a constant with gradient 0; in
    float64 that threshold is e^-100 itself. The log is evaluated at 1 on the clamped
    entries, so neither backward pass meets 1/0 or 0 · inf (PyTorch clamps the same way).
    """
    threshold = max(np.exp(LOG_FLOOR), float(np.finfo(p.dtype).tiny))
    if p.data.size and p.data.min() >= threshold:     # the usual case, checked with no mask array
        return p.log()
    flat = p.data < threshold
    if not np.any(flat):
        return p.log()
    tiny = np.maximum(p.data.astype(np.float64), 1e-300)          # log(1e-300) < -100: no log(0) warning
    clamped = np.where(flat, np.maximum(np.log(tiny), LOG_FLOOR), 0.0).astype(p.dtype)
    return mg.where(flat, clamped, mg.where(flat, 1.0, p).log())


def binary_cross_entropy(prob, target, reduction="mean"):
    """Binary cross-entropy of predicted probabilities against targets in [0, 1].

    Lecture form:   L = -[y·log(p) + (1-y)·log(1-p)]
    Each log is clamped at -100, as PyTorch's `F.binary_cross_entropy` does, so p of
    exactly 0 or 1 gives a finite loss (at most 100 per entry, in float32 as in float64)
    and a finite gradient and curvature (0 where the clamp is active) instead of inf and nan. From logits, prefer
    `binary_cross_entropy_with_logits`: it never rounds σ(z) to 0 or 1 first.
    Targets may be soft (any value in [0, 1]). `prob` and `target` are validated to lie
    in [0, 1], so NaN in either raises ValueError.
    Reference: C. M. Bishop, "Pattern Recognition and Machine Learning", 2006, eq. 4.90.

    >>> round(binary_cross_entropy([0.5, 0.5], [1.0, 0.0]).item(), 6)   # -(log ½ + log ½)/2 = log 2
    0.693147
    >>> binary_cross_entropy([0.0], [1.0]).item()      # -log(0) clamped: -(-100) = 100
    100.0
    """
    fn = "binary_cross_entropy"
    p, y = validate.same_shape(prob, target, fn, names=("prob", "target"))
    validate.nonempty(p, fn, "prob")
    validate.in_range(p, 0.0, 1.0, fn, "prob")
    validate.in_range(y, 0.0, 1.0, fn, "target")
    loss = -(y * _log_clamped(p) + (1.0 - y) * _log_clamped(1.0 - p))
    return reduce.apply(loss, reduction, fn)


def binary_cross_entropy_with_logits(logits, target, pos_weight=None, reduction="mean"):
    """Binary cross-entropy from logits z, with p = σ(z): stable for any logit.

    Lecture form:   L = -[y·log(p) + (1-y)·log(1-p)],   p = σ(z)
    With `pos_weight` w (PyTorch's meaning) the positive term is weighted:
                    L = -[w·y·log σ(z) + (1-y)·log(1 - σ(z))]
    Stable form: log σ(z) = -softplus(-z) and log(1 - σ(z)) = -softplus(z), so
                    L = w·y·softplus(-z) + (1-y)·softplus(z),
    where softplus(z) = log(1 + e^z) is computed as max(z, 0) + log(1 + e^-|z|): no
    exp overflows and no log sees 0, so logits of ±1e4 give finite values and
    gradients. Without pos_weight the gradient is σ(z) - y exactly, and the
    curvature σ(z)(1 - σ(z)).
    `target` lies in [0, 1] (soft targets allowed; NaN raises). `pos_weight` is a
    number or an array of finite values >= 0 that broadcasts to the logits' shape,
    e.g. one weight per column. NaN in `logits` propagates to a NaN loss.
    Reference: C. M. Bishop, "Pattern Recognition and Machine Learning", 2006, sec. 4.3.2;
    PyTorch `BCEWithLogitsLoss` for pos_weight.

    >>> round(binary_cross_entropy_with_logits([0.0, 0.0], [1.0, 0.0]).item(), 6)  # σ(0) = ½: log 2
    0.693147
    >>> binary_cross_entropy_with_logits([1e4], [0.0]).item()   # softplus(1e4) = 1e4 + log(1 + e^-1e4)
    10000.0
    """
    fn = "binary_cross_entropy_with_logits"
    z, y = validate.same_shape(logits, target, fn, names=("logits", "target"))
    validate.nonempty(z, fn, "logits")
    validate.in_range(y, 0.0, 1.0, fn, "target")
    if pos_weight is None and not y.requires_grad and np.all((y.data == 0.0) | (y.data == 1.0)):
        # Hard labels, decided on the exact values 0 and 1 (a soft label of 1e-9 is not 0, though
        # 1 - 2·1e-9 rounds to 1 in float32): L is softplus(-z) where y = 1 and softplus(z) where
        # y = 0, the same numbers as below with one softplus and two nodes. (softplus(z) - z·y is
        # shorter still, but for y = 1 and a large z it subtracts z from z + e^-z, losing e^-z's digits.)
        return reduce.apply(mg.softplus(z * (1.0 - 2.0 * y.data)), reduction, fn)
    positive = y * mg.softplus(-z)                     # -y·log σ(z)
    if pos_weight is not None:
        positive = positive * validate.nonnegative_weights(pos_weight, fn, "pos_weight", like=z,
                                                          broadcasts_to=z.shape)
    loss = positive + (1.0 - y) * mg.softplus(z)       # -(1-y)·log(1 - σ(z))
    return reduce.apply(loss, reduction, fn)


def categorical_cross_entropy(prob, target, reduction="mean"):
    """Categorical cross-entropy of predicted class probabilities (N, C) against targets (N, C).

    Lecture form, per sample:   L = -Σᵢ yᵢ·log(pᵢ)   over the C classes
    Targets may be one-hot or soft (each entry in [0, 1]). Each log is clamped at
    -100 as in `binary_cross_entropy`, so a probability of exactly 0 gives a finite
    loss, and 0·log 0 counts as 0 where the target is 0. Rows are not required to
    sum to 1. From logits, prefer `cross_entropy`, which uses log_softmax.
    `prob` and `target` are validated to lie in [0, 1], so NaN in either raises ValueError.
    Reference: Goodfellow, Bengio and Courville, "Deep Learning", 2016, sec. 6.2.2.3.

    >>> # one-hot on class 1, where p = 0.25:  -log 0.25 = 2·log 2 ≈ 1.386294
    >>> round(categorical_cross_entropy([[0.5, 0.25, 0.25]], [[0.0, 1.0, 0.0]]).item(), 6)
    1.386294
    """
    fn = "categorical_cross_entropy"
    p, y = validate.same_shape(prob, target, fn, names=("prob", "target"))
    validate.ndim_exactly(p, 2, fn, "prob", "(N, C)")
    validate.nonempty(p, fn, "prob")
    validate.in_range(p, 0.0, 1.0, fn, "prob")
    validate.in_range(y, 0.0, 1.0, fn, "target")
    loss = -(y * _log_clamped(p)).sum(axis=1)
    return reduce.apply(loss, reduction, fn)


def cross_entropy(logits, target, weight=None, label_smoothing=0.0, reduction="mean"):
    """Softmax cross-entropy from logits (N, C), as PyTorch's `F.cross_entropy`.

    Lecture form, per sample:   L = -Σᵢ yᵢ·log(pᵢ),   p = softmax(z)
    Stable form: log p = log_softmax(z) = z - logsumexp(z), with logsumexp shifted by
    the row max: no exp overflows and no log sees 0, for any finite logits. The
    gradient with respect to z is p - y (p - onehot for a class index).

    `target` is either class indices of shape (N,) (integers, or whole-number floats,
    in [0, C)) or probabilities of shape (N, C) (each in [0, 1]; NaN raises).
    `weight` (C,), finite and >= 0, rescales each class:
      class indices:  L = -w_y·log p_y;  "mean" divides the sum by Σ_n w_{y_n}, the
                      summed weight of the targets (an error if that sum is 0).
      probabilities:  L = -Σᵢ wᵢ·yᵢ·log pᵢ;  "mean" divides by N.
    `label_smoothing` ε in [0, 1] spreads ε/C over all C classes (the true class too):
      class indices:  L = (1-ε)·(-w_y·log p_y) + (ε/C)·Σᵢ (-wᵢ·log pᵢ), and the weighted
                      mean divides both parts by Σ_n w_{y_n}, as PyTorch does;
      probabilities:  y is replaced by (1-ε)·y + ε/C.
    NaN in `logits` propagates to a NaN loss.
    References: Goodfellow, Bengio and Courville, "Deep Learning", 2016, sec. 6.2.2.3;
    Szegedy et al., "Rethinking the Inception Architecture", CVPR 2016, sec. 7 (label smoothing).

    >>> round(cross_entropy([[0.0, 0.0, 0.0, 0.0]], [3]).item(), 6)   # p = ¼ each: -log ¼ = log 4
    1.386294
    >>> # two samples, p = ½ each, weights 1 and 3: (1·log 2 + 3·log 2) / (1 + 3) = log 2
    >>> round(cross_entropy([[0.0, 0.0], [0.0, 0.0]], [0, 1], weight=[1.0, 3.0]).item(), 6)
    0.693147
    """
    fn = "cross_entropy"
    z = validate.class_scores(logits, fn, "logits")
    n, classes = z.shape
    epsilon = validate.fraction(label_smoothing, fn, "label_smoothing")
    if weight is not None:
        weight = validate.nonnegative_weights(weight, fn, "weight", like=z, shape=(classes,))
    log_p = z.log_softmax(axis=1)

    target_shape = target.shape if isinstance(target, mg.Tensor) else np.shape(target)
    if target_shape == z.shape:                                   # probabilities (N, C)
        _, y = validate.same_shape(z, target, fn, names=("logits", "target"))
        validate.in_range(y, 0.0, 1.0, fn, "target")
        if epsilon:
            y = (1.0 - epsilon) * y + epsilon / classes
        if weight is not None:
            y = y * weight
        return reduce.apply(-(log_p * y).sum(axis=1), reduction, fn)

    if len(target_shape) != 1:
        hint = "; did you mean target.reshape(-1)?" if target_shape == (n, 1) else ""
        raise ValueError(f"{fn}: target must be class indices of shape ({n},) or probabilities "
                         f"of shape {z.shape}, got shape {target_shape}{hint}")
    validate.per_sample(validate.as_tensor(target, fn, "target"), n, fn, "target")
    y = validate.class_indices(target, classes, fn)
    loss = -log_p[np.arange(n), y]                               # -log p_y
    if weight is not None:
        target_weight = weight[y]                                # w_y, one per sample
        loss = target_weight * loss
    if epsilon:
        spread = -(log_p * weight).sum(axis=1) if weight is not None else -log_p.sum(axis=1)
        loss = (1.0 - epsilon) * loss + (epsilon / classes) * spread
    if reduction == "mean" and weight is not None:
        total_weight = target_weight.sum()
        if not total_weight.item() > 0:
            raise ValueError(f"{fn}: the weights of the target classes sum to 0, so the weighted "
                             f"mean is undefined; use reduction='sum' or give those classes weight")
        return loss.sum() / total_weight
    return reduce.apply(loss, reduction, fn)
