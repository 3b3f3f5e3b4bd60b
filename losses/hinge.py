"""Margin losses: hinge and squared hinge for labels ±1, and the multiclass hinge.

`hinge` and `squared_hinge` are elementwise (any shape; `"none"` keeps it).
`multiclass_hinge` is per-sample: scores (N, C), class indices (N,), `"none"` has shape (N,).
"""
import numpy as np

from . import reduce, validate


def hinge(scores, target, reduction="mean"):
    """Hinge loss of raw scores f(x) against labels y in {-1, +1}: the SVM loss.

    Lecture form:   L = max(0, 1 - y·f(x))
    Computed as relu(1 - y·f(x)). Zero once a sample is on the right side with margin
    at least 1; at the hinge point y·f(x) = 1 the gradient takes the engine's
    convention relu'(0) = 0. Labels must be exactly -1 or +1 (0/1 labels raise:
    with y = 0 the loss would be a constant 1 and silently learn nothing), so NaN
    in `target` raises; NaN in `scores` propagates to a NaN loss.
    Reference: C. Cortes and V. Vapnik, "Support-Vector Networks", Machine Learning 20, 1995.

    >>> # 1 - y·f: 1 - 2 = -1 -> 0,  1 - 0.5 = 0.5,  1 + 0.5 = 1.5,  1 + 1 = 2;  (0 + 0.5 + 1.5 + 2) / 4
    >>> hinge([2.0, 0.5, 0.5, -1.0], [1, 1, -1, 1]).item()
    1.0
    """
    fn = "hinge"
    scores, y = validate.same_shape(scores, target, fn, names=("scores", "target"))
    validate.nonempty(scores, fn, "scores")
    validate.labels_in(y, (-1, 1), fn, "target")
    return reduce.apply((1.0 - y * scores).relu(), reduction, fn)


def squared_hinge(scores, target, reduction="mean"):
    """Squared hinge loss: the hinge squared, smooth at the hinge point.

    Lecture form:   L = max(0, 1 - y·f(x))²,   y in {-1, +1}
    Computed as relu(1 - y·f(x))². Unlike the hinge, its gradient -2y·max(0, 1 - y·f(x))
    is continuous: it shrinks to 0 as the margin reaches 1, so no kink convention
    is needed. Labels must be exactly -1 or +1, so NaN in `target` raises; NaN in
    `scores` propagates to a NaN loss.
    Reference: C.-P. Lee and C.-J. Lin, "A Study on L2-Loss (Squared Hinge-Loss)
    Multiclass SVM", Neural Computation 25(5), 2013.

    >>> # margins as in `hinge`: 0, 0.5, 1.5, 2 squared: (0 + 0.25 + 2.25 + 4) / 4 = 6.5 / 4
    >>> squared_hinge([2.0, 0.5, 0.5, -1.0], [1, 1, -1, 1]).item()
    1.625
    """
    fn = "squared_hinge"
    scores, y = validate.same_shape(scores, target, fn, names=("scores", "target"))
    validate.nonempty(scores, fn, "scores")
    validate.labels_in(y, (-1, 1), fn, "target")
    return reduce.apply((1.0 - y * scores).relu() ** 2, reduction, fn)


def multiclass_hinge(scores, target, margin=1.0, reduction="mean"):
    """Multiclass hinge (Weston-Watkins SVM) loss of class scores (N, C) against class indices (N,).

    Lecture form, per sample with true class y:   L = Σ_{j≠y} max(0, margin - s_y + s_j)
    Computed as relu(margin - s_y + s_j) over every class j, then multiplied by a 0/1
    mask that drops j = y (whose term would be a constant `margin`), summed over j.
    Each wrong class that scores within `margin` of the true one adds to the loss;
    at exactly the margin the gradient takes the convention relu'(0) = 0.
    `margin` is a finite number >= 0; `target` holds class indices in [0, C) (NaN
    raises). NaN in `scores` propagates to a NaN loss.
    Reference: J. Weston and C. Watkins, "Support Vector Machines for Multi-Class
    Pattern Recognition", ESANN 1999; the CS231n notes on linear classification.

    >>> # CS231n's example, true class 0: max(0, 1 - 3.2 + 5.1) + max(0, 1 - 3.2 - 1.7) = 2.9 + 0
    >>> round(multiclass_hinge([[3.2, 5.1, -1.7]], [0]).item(), 6)
    2.9
    """
    fn = "multiclass_hinge"
    scores = validate.class_scores(scores, fn, "scores")
    n, classes = scores.shape
    margin = validate.number(margin, fn, "margin", minimum=0.0)
    y = validate.class_indices(target, classes, fn, n=n)
    true_score = scores[np.arange(n), y].reshape(n, 1)             # s_y, one per sample
    others = 1.0 - np.eye(classes, dtype=scores.dtype)[y]         # 0 at j = y, 1 elsewhere
    loss = ((margin - true_score + scores).relu() * others).sum(axis=1)
    return reduce.apply(loss, reduction, fn)
