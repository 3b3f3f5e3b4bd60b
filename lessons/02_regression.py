# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 — Regression losses: MSE, MAE and Huber
#
# A regression model predicts a number $\hat y$; the loss turns the residual $r = \hat y - y$
# into a penalty. Three choices from the lecture:
#
# $$\text{MSE} = \frac1n\sum_i (y_i-\hat y_i)^2 \qquad
#   \text{MAE} = \frac1n\sum_i |y_i-\hat y_i| \qquad
#   \text{Huber}_\delta(r) = \begin{cases} \tfrac12 r^2 & |r|\le\delta \\ \delta|r| - \tfrac12\delta^2 & |r|>\delta \end{cases}$$
#
# What to notice: how hard each loss *pulls* on a point (its gradient) as the point's error
# grows, and what that does to a fit when some points are outliers.
#
# Run the cells in order. Each figure appears under the cell that draws it, and each
# `claim(...)` prints **holds** or **FAILS** with the numbers that decide it.

# %%
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons.helpers import claim, derivatives, finish, fit, line_with_outliers, loss_gradient_curvature, pick, show, start

lesson = start("02_regression")

# %% [markdown]
# ## 1. Loss, gradient and curvature against the residual
#
# minigrad computes all three panels: the loss by evaluating it, the gradient
# $\partial L/\partial \hat y$ by `backward`, and the curvature $\partial^2 L/\partial \hat y^2$ by
# differentiating the gradient again (`create_graph=True`). The closed forms are drawn dashed on top.
#
# Notice in the middle panel: MSE's gradient is a straight line (a point 3 away pulls six
# times harder than a point 0.5 away), MAE's is a step of ±1 (every point pulls the same),
# Huber's follows MSE until $|r| = \delta$ and then stays flat at $\pm\delta$.

# %%
DELTAS = (0.5, 1.0, 2.0)          # Try it 1: (0.1, 1.0, 5.0)
residual = np.linspace(-3, 3, 600)  # an even count: no grid point sits exactly on a kink


def against_zero(loss, **params):
    """Per-entry loss of a prediction ŷ against a target of 0, so ŷ is the residual."""
    return lambda pred: loss(pred, np.zeros(pred.shape), reduction="none", **params)


curves = {"MSE": against_zero(losses.mse), "MAE": against_zero(losses.mae)}
closed_forms = {"MSE": (lambda r: r**2, lambda r: 2 * r, lambda r: np.full_like(r, 2.0)),
                "MAE": (np.abs, np.sign, np.zeros_like)}
for d in DELTAS:
    curves[f"Huber δ={d:g}"] = against_zero(losses.huber, delta=d)
    closed_forms[f"Huber δ={d:g}"] = (
        lambda r, d=d: np.where(np.abs(r) <= d, 0.5 * r**2, d * np.abs(r) - 0.5 * d**2),
        lambda r, d=d: np.clip(r, -d, d),
        lambda r, d=d: (np.abs(r) <= d).astype(float))

fig = loss_gradient_curvature(
    curves, residual, xlabel="residual r = ŷ − y",
    title="MSE's pull grows with the residual, MAE's never shrinks, Huber's stops growing at δ",
    analytic=closed_forms)
show(fig, "loss_gradient_curvature")

# %% [markdown]
# Now the same three quantities as numbers. A claim compares two things that could come
# out either way: backward against the closed form, Huber's largest pull against δ,
# MAE's smallest pull against MSE's.

# %%
derived = {label: derivatives(f, residual) for label, f in curves.items()}
gradient_error = max(np.max(np.abs(derived[k][1] - closed_forms[k][1](residual))) for k in curves)
curvature_error = max(np.max(np.abs(derived[k][2] - closed_forms[k][2](residual))) for k in curves)
claim("backward_matches", "the gradients from backward match the closed forms",
      gradient_error < 1e-12, f"largest difference {gradient_error:.1e}")
claim("curvature_matches", "the curvatures from second-order backward match the closed forms",
      curvature_error < 1e-12, f"largest difference {curvature_error:.1e}")

huber_pull = {d: np.max(np.abs(derived[f"Huber δ={d:g}"][1])) for d in DELTAS}
mse_pull = np.max(np.abs(derived["MSE"][1]))
claim("huber_bounded", "every Huber gradient stays within ±δ, while MSE's grows past all of them",
      all(huber_pull[d] <= d + 1e-12 for d in DELTAS) and mse_pull > max(DELTAS),
      ", ".join(f"δ={d:g}: max |grad| {huber_pull[d]:.3f}" for d in DELTAS) + f"; MSE {mse_pull:.2f}")

small = np.abs(residual) < 0.25
mae_small, mse_small = np.min(np.abs(derived["MAE"][1][small])), np.max(np.abs(derived["MSE"][1][small]))
claim("mae_pulls_small_errors", "near a perfect fit MAE still pulls with 1, MSE's pull fades below it",
      mae_small > mse_small, f"|r| < 0.25: MAE's smallest pull {mae_small:g}, MSE's largest {mse_small:.2f}")

# %% [markdown]
# ## 2. A line fitted to data with outliers
#
# A tenth of the points below sit far above the line $y = 2x + 1$. Under MSE each outlier
# pulls with a force proportional to its (large) residual, so the fitted line shifts up.
# Under MAE and Huber an outlier pulls no harder than any other point.

# %%
OUTLIER_FRACTION = 0.10    # Try it 2: 0.3
HUBER_DELTA = 1.0          # Try it 3: 20.0
STEPS = pick(800, 300)
TRUE_SLOPE, TRUE_INTERCEPT = 2.0, 1.0
x, y = line_with_outliers(n=100, slope=TRUE_SLOPE, intercept=TRUE_INTERCEPT,
                          outlier_fraction=OUTLIER_FRACTION, seed=0)
fitters = {"MSE": losses.mse, "MAE": losses.mae,
           f"Huber δ={HUBER_DELTA:g}": lambda pred, target: losses.huber(pred, target, delta=HUBER_DELTA)}


def train_line(loss, x, y, steps):
    """Fit ŷ = w x + b with Adam (lr 0.05); return (w, b) after every step, shape (steps, 2)."""
    w, b = mg.Tensor(0.0, requires_grad=True), mg.Tensor(0.0, requires_grad=True)
    path = []
    fit([w, b], lambda: loss(w * x + b, y), steps, lr=0.05, on_step=lambda step: path.append((w.item(), b.item())))
    return np.array(path)


def gap_to_true_line(w, b):
    """RMS vertical gap between w x + b and the true line for x uniform on [-3, 3]:
    E[((w - 2) x + (b - 1))²] = 3 (w - 2)² + (b - 1)²."""
    return np.sqrt(3 * (w - TRUE_SLOPE) ** 2 + (b - TRUE_INTERCEPT) ** 2)


paths = {label: train_line(loss, x, y, STEPS) for label, loss in fitters.items()}
gaps = {label: gap_to_true_line(path[:, 0], path[:, 1]) for label, path in paths.items()}

# %%
outlier = y - (TRUE_SLOPE * x + TRUE_INTERCEPT) > 6      # the points pushed up by 12 or more
fig, ax = plt.subplots(figsize=(10, 5))
ax.scatter(x[~outlier], y[~outlier], s=14, color="0.5", label="data")
ax.scatter(x[outlier], y[outlier], s=30, color="crimson", marker="x", label=f"outliers ({OUTLIER_FRACTION:.0%})")
grid = np.linspace(-3, 3, 2)
ax.plot(grid, TRUE_SLOPE * grid + TRUE_INTERCEPT, color="black", lw=6, alpha=0.25,
        label=f"true line: y = {TRUE_SLOPE:g} x + {TRUE_INTERCEPT:g}")
styles = {"MSE": dict(lw=2.5), "MAE": dict(lw=4, alpha=0.6), f"Huber δ={HUBER_DELTA:g}": dict(lw=1.5, ls="--")}
for label, path in paths.items():
    w, b = path[-1]
    ax.plot(grid, w * grid + b, label=f"{label}: ŷ = {w:.2f} x + {b:.2f}", **styles[label])
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_title("MSE's line is dragged toward the outliers; MAE's (wide) and Huber's (dashed) stay near the true line")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
fig.tight_layout()
show(fig, "outlier_fits")

# %%
fig, ax = plt.subplots(figsize=(8, 4.5))
for label, gap in gaps.items():
    ax.plot(np.arange(1, STEPS + 1), gap, lw=2, label=label)
ax.set_yscale("log")
ax.set_xlabel("training step (Adam, lr = 0.05, full batch)")
ax.set_ylabel("RMS gap to the true line")
ax.set_title("MSE settles far from the true line: the outliers are part of its optimum")
ax.legend(loc="upper right")
fig.tight_layout()
show(fig, "error_over_steps")

# %% [markdown]
# MSE's optimum has a closed form, least squares, so we can check that training reached it.
# Then the claims the lecture makes: Huber and MAE are robust to outliers, MSE is not.

# %%
least_squares = np.linalg.lstsq(np.stack([x, np.ones_like(x)], 1), y, rcond=None)[0]
mse_end = paths["MSE"][-1]
claim("mse_is_least_squares", "the MSE fit reached the least-squares line",
      np.max(np.abs(mse_end - least_squares)) < 1e-3,
      f"w, b = {mse_end[0]:.4f}, {mse_end[1]:.4f} vs {least_squares[0]:.4f}, {least_squares[1]:.4f}")
final_gap = {label: gap[-1] for label, gap in gaps.items()}
huber = f"Huber δ={HUBER_DELTA:g}"
claim("huber_beats_mse", f"{huber}'s fit lies nearer the true line than MSE's",
      final_gap[huber] < final_gap["MSE"], f"RMS gap {final_gap[huber]:.3f} vs {final_gap['MSE']:.3f}")
claim("mae_beats_mse", "MAE's fit lies nearer the true line than MSE's",
      final_gap["MAE"] < final_gap["MSE"], f"RMS gap {final_gap['MAE']:.3f} vs {final_gap['MSE']:.3f}")

# %%
finish()

# %% [markdown]
# ## Try it
#
# Predict before you run; then compare with [the answers](answers/02_regression.md).
#
# 1. Set `DELTAS = (0.1, 1.0, 5.0)` in part 1. Where does each Huber gradient go flat, and
#    which one looks like MAE, which like MSE? Does every Huber pull still stay within ±δ?
# 2. Set `OUTLIER_FRACTION = 0.3` in part 2. Does MAE still hold the line? Does Huber?
# 3. Set `HUBER_DELTA = 20.0` in part 2. Which residuals are larger than 20 — and what is
#    Huber when none is?
