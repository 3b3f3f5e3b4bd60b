"""Your own loss: write it, register it, check it, see it.

A template to copy. It writes a loss the way the library's losses are written (check
the inputs, compute one value per element, reduce), adds it to the catalogue with
`@losses.register`, lets `losses.check` test the lecture's properties on it (gradient,
kinks, extremes, non-negative, zero at a perfect fit, shapes, float32, scale,
robustness), and draws it with the explore tool: loss, gradient and curvature against
the residual, and a line fitted through outliers next to MSE. The loss is log-cosh
(smooth like MSE near 0, linear like MAE far away); the second one is a weighted blend
of MSE and MAE, built from existing losses with `losses.weighted_sum`.

Run it with `python -m lessons.your_own_loss`. Copy this file, change the loss, and
run it again. To step through it, open it in VS Code or Jupyter: each `# %%` cell
defines one part, and the last cell runs main(). Once the file has run, the command
line knows your losses too:

    python -m lessons check my_log_cosh --import lessons/your_own_loss.py
    python -m lessons explore mse_mae_blend --param weight=0.2 --import lessons/your_own_loss.py
"""
import math

import numpy as np

import losses
import minigrad as mg
from lessons import explore
from lessons._common import Report
from losses import _checks, _reduce

FIGURES = ["explore_my_log_cosh_curves", "explore_my_log_cosh_convergence",
           "explore_mse_mae_blend_curves", "explore_mse_mae_blend_convergence"]


# %% Step 1 — write the loss. A first attempt, straight from the formula log(cosh(r)).
# It looks right for small residuals. Notice what cosh does to a residual of 1000:
# e^1000 does not fit in a float, so cosh is inf and the loss too.
def naive_log_cosh(pred, target, reduction="mean"):
    """log(cosh(r)), written as the formula reads (it overflows past |r| ≈ 710)."""
    pred, target = _checks.same_shape(pred, target, fn="naive_log_cosh")
    r = target - pred
    return _reduce.apply(((r.exp() + (-r).exp()) / 2).log(), reduction, fn="naive_log_cosh")


def part_naive(report, quick):
    result = losses.check(naive_log_cosh, kind="regression")
    report.check("check catches the overflow of the naive log(cosh r) at huge residuals",
                 result["extremes"].failed, result["extremes"].detail)


# %% Step 2 — the stable version, registered. cosh(r) = e^r (1 + e^-2r) / 2, so
#     log cosh(r) = r + softplus(-2r) - log 2,
# and softplus never overflows. `@losses.register` adds it to the catalogue: its kind
# tells the tools how to feed it (pred, target), its parameters come from the signature,
# and the closed-form gradient tanh(r) is drawn dashed over the engine's.
@losses.register(kind="regression", gradient=lambda r: np.tanh(r))
def my_log_cosh(pred, target, reduction="mean"):
    """Log-cosh loss: about r²/2 near 0 and |r| - log 2 far away, smooth everywhere.

    Lecture form, with r = y - ŷ:   L = log(cosh(r))
    Stable form: r + softplus(-2r) - log 2 (cosh itself overflows once |r| > 710).
    Its gradient is tanh(r): never larger than 1, so outliers cannot dominate.

    >>> my_log_cosh([0.0, 0.0], [0.0, 1000.0], reduction="none")   # 0, and 1000 - log 2
    Tensor([  0.        , 999.30685282])
    """
    pred, target = _checks.same_shape(pred, target, fn="my_log_cosh")
    r = target - pred
    return _reduce.apply(r + mg.softplus(-2.0 * r) - math.log(2.0), reduction, fn="my_log_cosh")


# %% Step 3 — check it. Read the report line by line: every property of the lecture
# passes, and the "robust to outliers" line says yes: tanh(r) stays below 1.
def part_check(report, quick):
    result = losses.check("my_log_cosh")
    report.check("my_log_cosh passes every check", result.passed,
                 f"{sum(line.status == 'pass' for line in result.lines)} properties pass")
    report.check("its gradient stays bounded as the residual grows (robust to outliers)",
                 result["robust"].detail.startswith("yes"), result["robust"].detail)
    r = np.linspace(-50, 50, 101)
    gap = np.max(np.abs(my_log_cosh(r, np.zeros_like(r), reduction="none").data
                        - losses.log_cosh(r, np.zeros_like(r), reduction="none").data))
    report.check("it agrees with the library's losses.log_cosh", gap < 1e-12, f"largest difference {gap:.1e}")


# %% Step 4 — a second loss from two existing ones: weight·MSE + (1 - weight)·MAE.
# No new maths: `losses.weighted_sum` adds the two tensors, and the engine adds their
# gradients. Its parameter `weight` is read from the signature, so the command line
# can change it (--param weight=0.2).
@losses.register(kind="regression",
                 gradient=lambda r, weight=0.5: weight * 2 * r + (1 - weight) * np.sign(r))
def mse_mae_blend(pred, target, weight=0.5, reduction="mean"):
    """weight·MSE + (1 - weight)·MAE: MSE's smooth bottom with part of MAE's steady pull.

    >>> mse_mae_blend([2.0], [0.0], weight=0.25).item()    # 0.25·4 + 0.75·2
    2.5
    """
    _checks.number(weight, "mse_mae_blend", "weight", minimum=0.0)
    return losses.weighted_sum([losses.mse(pred, target, reduction=reduction),
                                losses.mae(pred, target, reduction=reduction)], [weight, 1.0 - weight])


def part_blend(report, quick):
    result = losses.check("mse_mae_blend")
    report.check("the blend passes every check", result.passed)
    report.check("any share of MSE makes the blend's gradient grow with the residual",
                 result["robust"].detail.startswith("no"), result["robust"].detail)


# %% Step 5 — see it: the loss, gradient and curvature against the residual, then a line
# fitted through data with 10% outliers, next to MSE. Open the four explore_*.png figures.
def part_explore(report, quick):
    for name in ("my_log_cosh", "mse_mae_blend"):
        shown = explore.explore(name, quick=quick)
        report.figures.extend(shown.figures)
        report.numbers.update({f"{name}: {k}": v for k, v in shown.numbers.items()})
    ours = report.numbers["my_log_cosh: my_log_cosh"]
    blend = report.numbers["mse_mae_blend: mse_mae_blend(weight=0.5)"]
    reference = report.numbers["my_log_cosh: mse (reference)"]
    report.check("log-cosh's fit lies nearer the true line than MSE's", ours < reference,
                 f"error {ours:.3f} vs {reference:.3f}")
    report.check("the blend's fit lies between: nearer than MSE's, farther than log-cosh's",
                 ours < blend < reference, f"error {blend:.3f}")


def main(quick=False):
    report = Report("your_own_loss")
    part_naive(report, quick)
    part_check(report, quick)
    part_blend(report, quick)
    part_explore(report, quick)
    return report


# %% Try it
# 1. Change the blend's weight to 0.1 (--param weight=0.1): predict first whether its fit
#    moves toward MAE's, then run `python -m lessons explore mse_mae_blend --param weight=0.1
#    --import lessons/your_own_loss.py`.
# 2. Write the Cauchy loss log(1 + r²) the same way and register it. Its gradient
#    2r / (1 + r²) falls back to 0 for outliers: what does the robust line say?
# 3. Plant a fault: drop the `_checks.same_shape` line from my_log_cosh and run the check
#    again. Which line fails, and what shape did the loss silently produce?
if __name__ == "__main__":
    main()
