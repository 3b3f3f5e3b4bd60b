"""Focal losses for class imbalance: binary (sigmoid) and multiclass (softmax), from logits.

`focal` is elementwise (any shape; `"none"` keeps it). `softmax_focal` is per-sample:
logits (N, C), class indices (N,), `"none"` has shape (N,).

Both are written in log space so that every γ >= 0 gives finite values and gradients,
including γ < 1 as pₜ -> 1, where the textbook (1 - pₜ)^γ has an infinite slope
γ(1 - pₜ)^(γ-1) and a pow of an exact 0 would turn the gradient into nan.
"""
import numpy as np

import minigrad as mg

from . import reduce, validate


def focal(logits, target, alpha=0.25, gamma=2.0, reduction="mean"):
    """Binary focal loss from logits: cross-entropy scaled down on well-classified entries.

    Lecture form:   FL = -αₜ·(1 - pₜ)^γ·log(pₜ),   p = σ(z),
                    pₜ = p and αₜ = α where y = 1;  pₜ = 1 - p and αₜ = 1 - α where y = 0.
    Stable form, with zₜ = z where y = 1 and zₜ = -z where y = 0 (so pₜ = σ(zₜ)):
                    log pₜ = -softplus(-zₜ),   (1 - pₜ)^γ = exp(-γ·softplus(zₜ)),
    since 1 - pₜ = σ(-zₜ). No pow of 0, no log of 0 and no exp overflow, so values and
    gradients are finite for every γ >= 0 (γ < 1 as pₜ -> 1 included) and logits of ±1e4.
    With γ = 0 and alpha=None it is exactly `binary_cross_entropy_with_logits`.
    `alpha` in [0, 1] weights the positive class (1 - alpha the negative one);
    alpha=None drops αₜ. `gamma` is a finite number >= 0. `target` holds labels 0 or 1
    (NaN raises); NaN in `logits` propagates to a NaN loss.
    Reference: T.-Y. Lin, P. Goyal, R. Girshick, K. He and P. Dollár, "Focal Loss for
    Dense Object Detection", ICCV 2017.

    >>> # z = 0: pₜ = ½ for either label;  (1 - ½)²·(-log ½) = ¼·log 2 ≈ 0.173287
    >>> round(focal([0.0], [1.0], alpha=None).item(), 6)
    0.173287
    >>> # y = 0 with alpha = 0.25: αₜ = 0.75, so 0.75·¼·log 2 ≈ 0.129965
    >>> round(focal([0.0], [0.0]).item(), 6)
    0.129965
    """
    fn = "focal"
    z, y = validate.same_shape(logits, target, fn, names=("logits", "target"))
    validate.nonempty(z, fn, "logits")
    validate.labels_in(y, (0, 1), fn, "target")
    if alpha is not None:
        alpha = validate.fraction(alpha, fn, "alpha")
    gamma = validate.number(gamma, fn, "gamma", minimum=0.0)
    y = y.detach()                                  # labels steer the formula; no gradient to them
    z_t = z * (2.0 * y - 1.0)                       # zₜ: z for y = 1, -z for y = 0
    minus_log_p_t = mg.softplus(-z_t)               # -log pₜ
    modulating = mg.exp(-gamma * mg.softplus(z_t))  # (1 - pₜ)^γ, in [0, 1], never a pow of 0
    loss = modulating * minus_log_p_t
    if alpha is not None:
        loss = (alpha * y + (1.0 - alpha) * (1.0 - y)) * loss     # αₜ
    return reduce.apply(loss, reduction, fn)


def softmax_focal(logits, target, alpha=None, gamma=2.0, reduction="mean"):
    """Multiclass focal loss from logits (N, C) and class indices (N,).

    Lecture form, per sample with true class y:   FL = -α_y·(1 - pₜ)^γ·log(pₜ),
    p = softmax(z), pₜ = p_y.
    Stable form: log pₜ = z_y - logsumexp(z), and
                    log(1 - pₜ) = logsumexp_{j≠y}(z_j) - logsumexp(z),
    so (1 - pₜ)^γ = exp(γ·log(1 - pₜ)): 1 - pₜ is never formed by a subtraction that
    cancels to 0 as pₜ -> 1, and no pow of 0 appears. Values and gradients are finite
    for every γ >= 0 and logits of ±1e4. With γ = 0 and alpha=None it equals
    `cross_entropy` with class indices.
    `alpha` is None or a vector (C,) of finite weights >= 0, one per class; the "mean"
    is a plain mean over the N samples (not divided by the summed α). `gamma` is a
    finite number >= 0. Needs C >= 2. `target` holds class indices in [0, C) (NaN
    raises); NaN in `logits` propagates to a NaN loss.
    Reference: T.-Y. Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017
    (the multiclass form is the paper's direct extension of the binary one).

    >>> # 4 equal logits: pₜ = ¼;  (1 - ¼)²·(-log ¼) = 0.5625·log 4 ≈ 0.779791
    >>> round(softmax_focal([[0.0, 0.0, 0.0, 0.0]], [2]).item(), 6)
    0.779791
    """
    fn = "softmax_focal"
    z = validate.class_scores(logits, fn, "logits")
    n, classes = z.shape
    if classes < 2:
        raise ValueError(f"{fn}: logits must have at least 2 classes (shape (N, C) with C >= 2), "
                         f"got {z.shape}")
    gamma = validate.number(gamma, fn, "gamma", minimum=0.0)
    if alpha is not None:
        alpha = validate.nonnegative_weights(alpha, fn, "alpha", like=z, shape=(classes,))
    y = validate.class_indices(target, classes, fn, n=n)

    log_normalizer = z.logsumexp(axis=1)                              # log Σ_j e^z_j
    log_p_t = z[np.arange(n), y] - log_normalizer                     # log pₜ
    # -inf on the true class drops it from the sum: e^-inf = 0 exactly, in both passes
    true_class_out = np.where(np.eye(classes, dtype=bool)[y], -np.inf, 0.0).astype(z.dtype)
    log_one_minus_p_t = (z + true_class_out).logsumexp(axis=1) - log_normalizer   # log(1 - pₜ)
    loss = -mg.exp(gamma * log_one_minus_p_t) * log_p_t
    if alpha is not None:
        loss = alpha[y] * loss                                        # α_y
    return reduce.apply(loss, reduction, fn)
