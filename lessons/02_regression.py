"""Regression losses: MSE, MAE and Huber, and what outliers do to each.

MSE squares the residual, so its pull on a point grows with the point's error; MAE
pulls every point equally hard; Huber is quadratic near zero and linear beyond δ.
The first part draws each loss, its gradient and its curvature against the
residual, all three computed by minigrad (the gradient from backward, the curvature
by differentiating the gradient again), with the closed forms dashed on top. The
second part fits a line to data in which 10% of the points are outliers: MSE's fit
is dragged toward them, MAE's and Huber's stay near the true line.

Run it with `python -m lessons 02` (or `python -m lessons.02_regression`). To step
through it, open this file in VS Code or Jupyter: each `# %%` cell defines one part,
and the last cell runs main().
"""
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons._common import Report, derivatives, fit, line_with_outliers, loss_gradient_curvature

FIGURES = ["loss_gradient_curvature", "outlier_fits", "error_over_steps"]

DELTAS = (0.5, 1.0, 2.0)
TRUE_SLOPE, TRUE_INTERCEPT = 2.0, 1.0


def regression_losses():
    """{label: f}, f mapping predictions (n,) to per-entry losses against a target of 0."""
    def against_zero(loss, **kwargs):
        return lambda pred: loss(pred, np.zeros(pred.shape), reduction="none", **kwargs)
    curves = {"MSE": against_zero(losses.mse), "MAE": against_zero(losses.mae)}
    for delta in DELTAS:
        curves[f"Huber δ={delta:g}"] = against_zero(losses.huber, delta=delta)
    return curves


def closed_forms():
    """{label: (loss, gradient, curvature)} in numpy, for the residual r = ŷ - y."""
    forms = {"MSE": (lambda r: r**2, lambda r: 2 * r, lambda r: np.full_like(r, 2.0)),
             "MAE": (np.abs, np.sign, np.zeros_like)}
    for d in DELTAS:
        forms[f"Huber δ={d:g}"] = (
            lambda r, d=d: np.where(np.abs(r) <= d, 0.5 * r**2, d * np.abs(r) - 0.5 * d**2),
            lambda r, d=d: np.clip(r, -d, d),
            lambda r, d=d: (np.abs(r) <= d).astype(float))
    return forms


# %% Part 1 — loss, gradient and curvature against the residual.
# Look at the middle panel: MSE's gradient is a straight line (a point 3 away pulls 6
# times harder than a point 0.5 away), MAE's is a step of ±1 (every point pulls the
# same), Huber's follows MSE until |r| = δ and then stays flat at ±δ. The right panel
# is where the kinks show: MAE has no curvature at all, Huber's curvature switches off at δ.
def part_loss_gradient_curvature(report, quick):
    # an even number of points, so no grid point sits exactly on a kink (0 or ±δ)
    r = np.linspace(-3, 3, 300 if quick else 600)
    curves, forms = regression_losses(), closed_forms()
    fig = loss_gradient_curvature(
        curves, r, xlabel="residual ŷ − y",
        title="MSE's pull grows with the residual, MAE's never shrinks, Huber's stops growing at δ",
        analytic=forms)
    report.save(fig, "loss_gradient_curvature")

    worst_gradient = worst_curvature = 0.0
    for label, f in curves.items():
        _, gradient, curvature = derivatives(f, r)
        worst_gradient = max(worst_gradient, np.max(np.abs(gradient - forms[label][1](r))))
        worst_curvature = max(worst_curvature, np.max(np.abs(curvature - forms[label][2](r))))
        if label.startswith("Huber"):
            delta = float(label.split("=")[1])
            report.check(f"{label}: the gradient never exceeds δ in size",
                         np.max(np.abs(gradient)) <= delta + 1e-12,
                         f"largest |gradient| {np.max(np.abs(gradient)):.3f}")
    report.check("the gradients from backward match the closed forms", worst_gradient < 1e-12,
                 f"largest difference {worst_gradient:.1e}")
    report.check("the curvatures from second-order backward match the closed forms",
                 worst_curvature < 1e-12, f"largest difference {worst_curvature:.1e}")
    _, mae_gradient, _ = derivatives(curves["MAE"], r)
    _, mse_gradient, _ = derivatives(curves["MSE"], r)
    report.check("MAE's gradient is ±1 at every residual, MSE's reaches 2|r| = 6 at |r| = 3",
                 np.all(np.abs(mae_gradient) == 1.0) and abs(np.max(np.abs(mse_gradient)) - 6) < 1e-12,
                 f"MAE |gradient| in [{np.min(np.abs(mae_gradient)):g}, {np.max(np.abs(mae_gradient)):g}], "
                 f"MSE up to {np.max(np.abs(mse_gradient)):.2f}")


# %% Part 2 — a line fitted to data with 10% outliers.
# Every outlier sits far above the line. Under MSE each one pulls with a force
# proportional to its (large) residual, so the fitted line shifts up; under MAE and
# Huber an outlier pulls no harder than any other point, and the line stays put.
def train_line(loss, x, y, steps):
    """Fit ŷ = w x + b with Adam; returns the final (w, b) and the (w, b) after every step."""
    w, b = mg.Tensor(0.0, requires_grad=True), mg.Tensor(0.0, requires_grad=True)
    path = np.empty((steps, 2))

    def record(step):
        path[step] = w.item(), b.item()
    fit([w, b], lambda: loss(w * x + b, y), steps, lr=0.05, on_step=record)
    return path[-1], path


def gap_to_true_line(w, b):
    """Root-mean-square vertical gap between w x + b and the true line over x in [-3, 3].

    With x uniform on [-3, 3], E[((w - 2) x + (b - 1))²] = 3 (w - 2)² + (b - 1)².
    """
    return np.sqrt(3 * (w - TRUE_SLOPE) ** 2 + (b - TRUE_INTERCEPT) ** 2)


def part_outliers(report, quick):
    x, y = line_with_outliers(n=100, slope=TRUE_SLOPE, intercept=TRUE_INTERCEPT,
                              outlier_fraction=0.1, seed=0)
    steps = 400 if quick else 800
    fitters = {"MSE": losses.mse, "MAE": losses.mae,
               "Huber δ=1": lambda pred, target: losses.huber(pred, target, delta=1.0)}
    finals, gaps = {}, {}
    for label, loss in fitters.items():
        finals[label], path = train_line(loss, x, y, steps)
        gaps[label] = gap_to_true_line(path[:, 0], path[:, 1])

    outlier = y - (TRUE_SLOPE * x + TRUE_INTERCEPT) > 6      # pushed up by 12 or more
    fig, ax = plt.subplots(figsize=(10, 5))
    ax.scatter(x[~outlier], y[~outlier], s=14, color="0.5", label="data")
    ax.scatter(x[outlier], y[outlier], s=30, color="crimson", marker="x", label="outliers (10%)")
    grid = np.linspace(-3, 3, 2)
    ax.plot(grid, TRUE_SLOPE * grid + TRUE_INTERCEPT, color="black", lw=3, alpha=0.4,
            label=f"true line: y = {TRUE_SLOPE:g} x + {TRUE_INTERCEPT:g}")
    for label, (w, b) in finals.items():
        ax.plot(grid, w * grid + b, lw=2, label=f"{label}: ŷ = {w:.2f} x + {b:.2f}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("MSE's line is dragged toward the outliers; MAE's and Huber's stay on the true line")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    report.save(fig, "outlier_fits")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for label, gap in gaps.items():
        ax.plot(np.arange(1, steps + 1), gap, lw=2, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("training step (Adam, lr = 0.05, full batch)")
    ax.set_ylabel("RMS gap to the true line")
    ax.set_title("MSE settles far from the true line: the outliers are part of its optimum")
    ax.legend()
    fig.tight_layout()
    report.save(fig, "error_over_steps")

    # MSE's optimum has a closed form (least squares): training should have reached it
    least_squares = np.linalg.lstsq(np.stack([x, np.ones_like(x)], 1), y, rcond=None)[0]
    report.check("the MSE fit reached the least-squares line",
                 np.max(np.abs(finals["MSE"] - least_squares)) < 1e-3,
                 f"w, b = {finals['MSE'][0]:.4f}, {finals['MSE'][1]:.4f} vs "
                 f"{least_squares[0]:.4f}, {least_squares[1]:.4f}")
    final_gap = {label: gap[-1] for label, gap in gaps.items()}
    report.check("Huber's fit lies nearer the true line than MSE's",
                 final_gap["Huber δ=1"] < final_gap["MSE"],
                 f"RMS gap {final_gap['Huber δ=1']:.3f} vs {final_gap['MSE']:.3f}")
    report.check("MAE's fit lies nearer the true line than MSE's",
                 final_gap["MAE"] < final_gap["MSE"],
                 f"RMS gap {final_gap['MAE']:.3f} vs {final_gap['MSE']:.3f}")


# %% Run every part.
def main(quick=False):
    report = Report("02_regression")
    part_loss_gradient_curvature(report, quick)
    part_outliers(report, quick)
    return report


# %% Try it
# 1. Change DELTAS to (0.1, 1, 5). Before you run: where does each Huber gradient go flat,
#    and which one looks like MAE, which like MSE?
# 2. In part 2, set outlier_fraction=0.3. Does MAE still hold the line? Does Huber δ=1?
# 3. In part 2, fit with Huber δ = 20 instead of δ = 1. Predict the line before you run it:
#    which residuals are larger than 20, and what is Huber when none is?
# 4. In train_line, pass optimizer="sgd" and lr=0.01 to fit. Under MAE each point's gradient
#    is ±1 whatever its error, so the steps never shrink: watch the gap curve keep wobbling.

if __name__ == "__main__":
    main()
