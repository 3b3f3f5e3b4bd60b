"""Regression losses: mean squared error, mean absolute error, Huber.

Each is elementwise: `pred` and `target` have the same shape (any shape), `"none"`
keeps that shape, `"mean"` averages every entry and `"sum"` adds them.
NaN in `pred` or `target` is not validated: it propagates to a NaN loss.
"""
import minigrad as mg

from . import reduce, validate


def mse(pred, target, reduction="mean"):
    """Mean squared error: the squared residual, averaged.

    Lecture form, with r = y - ŷ:   L = (1/n) Σ (y - ŷ)²
    Computed as written: r² is smooth and finite for every finite r, so no rewrite is
    needed. The gradient 2r grows with the residual, which is why outliers dominate.
    NaN in `pred` or `target` propagates to a NaN loss.
    Reference: C. F. Gauss, "Theoria motus corporum coelestium", 1809 (least squares);
    Goodfellow, Bengio and Courville, "Deep Learning", 2016, section 5.1.4.

    >>> mse([1.0, 2.0], [0.0, 0.0]).item()      # (1² + 2²) / 2 = 5 / 2
    2.5
    """
    pred, target = validate.same_shape(pred, target, fn="mse")
    validate.nonempty(pred, "mse", "pred")
    r = target - pred
    return reduce.apply(r ** 2, reduction, fn="mse")


def mae(pred, target, reduction="mean"):
    """Mean absolute error: the absolute residual, averaged.

    Lecture form:   L = (1/n) Σ |y - ŷ|
    Computed as written with minigrad's `abs`. At r = 0 the kink takes the engine's
    convention |r|'(0) = 0, so a perfect prediction gets no push. Away from 0 the
    gradient is ±1 whatever the size of the residual: robust to outliers.
    NaN in `pred` or `target` propagates to a NaN loss.
    Reference: P. J. Huber and E. M. Ronchetti, "Robust Statistics", 2nd ed., 2009, ch. 3.

    >>> mae([1.0, -2.0], [0.0, 0.0]).item()     # (|0 - 1| + |0 - (-2)|) / 2 = 3 / 2
    1.5
    """
    pred, target = validate.same_shape(pred, target, fn="mae")
    validate.nonempty(pred, "mae", "pred")
    r = target - pred
    return reduce.apply(r.abs(), reduction, fn="mae")


def huber(pred, target, delta=1.0, reduction="mean"):
    """Huber loss: quadratic for small residuals, linear for large ones.

    Lecture form, with r = y - ŷ:   0.5 r²  if |r| <= δ,  else  δ|r| - 0.5 δ²
    Computed as q = min(|r|, δ);  L = 0.5 q² + δ(|r| - q): no branch, and the
    gradient is continuous at |r| = δ. The gradient with respect to ŷ is
    -clip(r, -δ, δ): the MSE gradient for small residuals, capped at δ for outliers.
    `delta` must be a finite number > 0. NaN in `pred` or `target` propagates.
    Reference: P. J. Huber, "Robust Estimation of a Location Parameter",
    Annals of Mathematical Statistics 35(1), 1964.

    >>> huber([0.0, 3.0], [0.5, 0.0]).item()    # (0.5·0.5² + (1·3 - 0.5·1²)) / 2 = (0.125 + 2.5) / 2
    1.3125
    """
    pred, target = validate.same_shape(pred, target, fn="huber")
    validate.nonempty(pred, "huber", "pred")
    delta = validate.number(delta, fn="huber", name="delta", minimum=0.0, strict=True)
    r = (target - pred).abs()
    q = mg.minimum(r, delta)
    return reduce.apply(0.5 * q ** 2 + delta * (r - q), reduction, fn="huber")
