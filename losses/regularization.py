"""Regularisation terms: penalties on the weights, added to a data loss.

Each takes `params`, a list of tensors (a model's `parameters()`, or a single tensor),
and returns one scalar tensor: there is no per-sample value, so no `reduction`.
The penalty is a tensor like any loss, so `mse(pred, y) + l2_penalty(model.parameters(), 1e-4)`
trains both terms. NaN in a parameter is not validated: it propagates to a NaN penalty.
"""
import numpy as np

import minigrad as mg

from . import validate


def _parameter_list(params, fn):
    """A single tensor or array, or any iterable of them (a list, `model.parameters()`), as a list of tensors."""
    if isinstance(params, (mg.Tensor, np.ndarray)):
        params = [params]
    try:
        params = list(params)
    except TypeError:
        raise ValueError(f"{fn}: params must be a tensor or a list of tensors, "
                         f"got {type(params).__name__}") from None
    if not params:
        raise ValueError(f"{fn}: params must hold at least one tensor, got an empty list")
    return [validate.as_tensor(p, fn, f"params[{i}]") for i, p in enumerate(params)]


def _total(params, term):
    """Σ over every tensor of term(tensor).sum(): one scalar."""
    total = term(params[0]).sum()
    for w in params[1:]:
        total = total + term(w).sum()
    return total


def l1_penalty(params, lam):
    """L1 (lasso) penalty: the summed absolute weights, which drives weights to exactly 0.

    Lecture form:   R = λ·Σ|wᵢ|   over every entry of every tensor in `params`.
    Computed as written. At w = 0 the kink takes the engine's convention |w|'(0) = 0, so a
    weight already at 0 gets no push from the penalty (0 is in the subdifferential
    [-λ, λ] there); elsewhere the gradient is λ·sign(w), the same size however small w
    is: this constant pull is what makes weights reach 0 (sparsity, feature selection).
    `lam` must be a finite number >= 0 (NaN raises); NaN in a parameter propagates.
    Reference: R. Tibshirani, "Regression Shrinkage and Selection via the Lasso",
    Journal of the Royal Statistical Society B 58(1), 1996.

    >>> import minigrad as mg
    >>> l1_penalty([mg.Tensor([1.0, -2.0]), mg.Tensor([[3.0]])], lam=0.5).item()   # 0.5·(1 + 2 + 3)
    3.0
    """
    fn = "l1_penalty"
    params = _parameter_list(params, fn)
    lam = validate.number(lam, fn, "lam", minimum=0.0)
    return lam * _total(params, mg.abs)


def l2_penalty(params, lam):
    """L2 (ridge) penalty: the summed squared weights, which shrinks large weights most.

    Lecture form:   R = λ·Σwᵢ²   over every entry of every tensor in `params` (no ½).
    Computed as written: smooth everywhere, gradient 2λw, so a weight's pull towards 0
    fades as it gets small and weights shrink without reaching 0. The optimisers'
    `weight_decay=wd` adds wd·w to the gradient: the same as this penalty with λ = wd/2.
    `lam` must be a finite number >= 0 (NaN raises); NaN in a parameter propagates.
    Reference: A. E. Hoerl and R. W. Kennard, "Ridge Regression: Biased Estimation for
    Nonorthogonal Problems", Technometrics 12(1), 1970.

    >>> import minigrad as mg
    >>> l2_penalty([mg.Tensor([1.0, -2.0]), mg.Tensor([[3.0]])], lam=0.5).item()   # 0.5·(1 + 4 + 9)
    7.0
    """
    fn = "l2_penalty"
    params = _parameter_list(params, fn)
    lam = validate.number(lam, fn, "lam", minimum=0.0)
    return lam * _total(params, lambda w: w * w)


def elastic_net(params, l1, l2):
    """Elastic net: the L1 and L2 penalties together, sparsity with the stability of ridge.

    Lecture form:   R = λ₁·Σ|wᵢ| + λ₂·Σwᵢ²   (`l1` is λ₁, `l2` is λ₂).
    Computed as written, the two sums of `l1_penalty` and `l2_penalty` with their
    conventions: |w|'(0) = 0, so the gradient is λ₁·sign(w) + 2λ₂w. `l1` and `l2` must be finite
    numbers >= 0 (NaN raises); l2 = 0 gives the lasso, l1 = 0 ridge. NaN in a parameter
    propagates.
    Reference: H. Zou and T. Hastie, "Regularization and Variable Selection via the
    Elastic Net", Journal of the Royal Statistical Society B 67(2), 2005.

    >>> import minigrad as mg
    >>> elastic_net([mg.Tensor([1.0, -2.0]), mg.Tensor([[3.0]])], l1=0.5, l2=0.25).item()
    6.5

    (0.5·(1 + 2 + 3) + 0.25·(1 + 4 + 9) = 3 + 3.5.)
    """
    fn = "elastic_net"
    params = _parameter_list(params, fn)
    l1 = validate.number(l1, fn, "l1", minimum=0.0)
    l2 = validate.number(l2, fn, "l2", minimum=0.0)
    return l1 * _total(params, mg.abs) + l2 * _total(params, lambda w: w * w)
