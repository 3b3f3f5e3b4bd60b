"""The contrastive loss for pairs of embeddings (siamese networks).

A per-sample loss: x1 and x2 are (N, D) embeddings (or (N, ...), every axis after the
first is a feature), y has shape (N,), and `"none"` gives one value per pair, (N,).
"""
import minigrad as mg

from . import _distance, reduce, validate


def contrastive(x1, x2, y, margin=1.0, reduction="mean"):
    """Contrastive loss: pull similar pairs together, push dissimilar pairs to a margin.

    Lecture form, with D = ||x1 - x2|| the Euclidean distance of each pair:
        L = (1 - Y)·D² + Y·max(0, m - D)²,   Y = 0 similar, Y = 1 dissimilar
    (no ½ factors, as in the lecture; Hadsell et al. write ½ before each term).
    Computed with D² = Σ (x1 - x2)² for the similar term, so that term is smooth and its
    gradient with respect to x1 is 2(x1 - x2), of length 2D. The dissimilar term needs D
    itself, whose slope is infinite at D = 0; there D is taken with gradient 0 (the
    smallest subgradient of the norm), so two identical embeddings give finite gradients. A
    dissimilar pair already farther apart than the margin gives 0 and no gradient.
    `y` must contain only 0 or 1 (a NaN there raises); `margin` must be a finite
    number >= 0. NaN in the embeddings is not validated: it propagates to a NaN loss.
    Reference: R. Hadsell, S. Chopra and Y. LeCun, "Dimensionality Reduction by
    Learning an Invariant Mapping", CVPR 2006.

    >>> x1 = [[0.0, 0.0], [0.0, 0.0]]
    >>> x2 = [[3.0, 4.0], [0.3, 0.4]]            # D = 5 and D = 0.5
    >>> contrastive(x1, x2, [0, 1], reduction="none")    # [5², max(0, 1 - 0.5)²]
    Tensor([25.  ,  0.25])
    """
    fn = "contrastive"
    x1, x2 = validate.same_shape(x1, x2, fn, names=("x1", "x2"))
    validate.ndim_at_least(x1, 2, fn, "x1", "(N, D): one embedding per row; reshape a single "
                          "embedding with x.reshape(1, -1)")
    validate.nonempty(x1, fn, "x1")
    y = validate.as_tensor(y, fn, "y", like=x1)
    validate.per_sample(y, x1.shape[0], fn, "y")
    validate.labels_in(y, (0, 1), fn, "y")
    m = validate.number(margin, fn, "margin", minimum=0.0)

    squared = _distance.row_distances(x1, x2, squared=True)
    D = _distance.safe_sqrt(squared)
    Y = mg.Tensor(y.data, dtype=x1.dtype)        # a constant in the embeddings' dtype: float32 stays float32
    per_pair = (1.0 - Y) * squared + Y * mg.relu(m - D) ** 2
    return reduce.apply(per_pair, reduction, fn)
