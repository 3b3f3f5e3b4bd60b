"""Hinge loss and the linear SVM: only the points inside the margin pull.

Every binary classification loss can be read as a function of one number, the
margin m = y·f(x) (y = ±1): positive when the point is on the right side of the
line, large when it is far on the right side. The first part draws the 0-1 loss
(what we want to count, but it has no gradient), the hinge max(0, 1 − m), the
squared hinge and the logistic loss log(1 + e^−m) against the margin, with their
gradients from minigrad. The hinge is exactly flat beyond m = 1, so a point there
stops pulling on the model; the logistic loss only fades. The second part trains
a linear SVM (hinge + a small L2 penalty) and a logistic regression on the same
2-D data and counts the points that still carry gradient: one in six for the SVM
(its support vectors), every single point for logistic regression. The third
part drops every point that carries no gradient and trains again: the SVM does
not change, logistic regression does.

Run it with `python -m lessons 04` (or `python -m lessons.04_hinge`). To step
through it, open this file in VS Code or Jupyter: each `# %%` cell defines one part,
and the last cell runs main().
"""
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons._common import Report, blobs, derivatives, fit

FIGURES = ["margin_losses", "svm", "support_vectors"]

LAM = 0.5        # λ in Σᵢ loss(mᵢ) + λ‖w‖²: the usual ½‖w‖² + C·Σ ξᵢ with C = 1/(2λ) = 1
LR = 0.05        # Adam's first learning rate; it decays linearly to ~0 over training


# %% Part 1 — four losses against the margin m = y·f(x).
# Left: the 0-1 loss is what we want to count, but it is flat everywhere (gradient 0)
# except at the jump, so gradient descent gets no signal from it. The other three are
# smooth-ish stand-ins. Right: the gradient dL/dm. The hinge's is −1 for every point
# with m < 1 and exactly 0 beyond: a point that is right *by a margin* is done. The
# squared hinge is also exactly 0 beyond m = 1 but pulls harder the worse a point is.
# The logistic gradient −σ(−m) shrinks with the margin and never reaches 0.
def margin_curves():
    """{label: f}, f mapping margins m (Tensor (n,)) to per-entry losses, from `losses`.

    With the target fixed to +1, a score equal to m has margin exactly m.
    """
    def at_margin(loss, target_of_plus_one):
        return lambda m: loss(m, np.full(m.shape, target_of_plus_one), reduction="none")
    return {"hinge  max(0, 1 − m)": at_margin(losses.hinge, 1.0),
            "squared hinge  max(0, 1 − m)²": at_margin(losses.squared_hinge, 1.0),
            # BCE from logits with target 1 (the {0, 1} label of y = +1) is log(1 + e^−m)
            "logistic  log(1 + $e^{-m}$)": at_margin(losses.binary_cross_entropy_with_logits, 1.0)}


def part_margin_losses(report, quick):
    m = np.linspace(-2.5, 2.5, 250 if quick else 500)   # even count: no point exactly on m = 0 or 1
    zero_one = (m <= 0).astype(float)                    # a count, not a minigrad loss: no gradient
    curves = margin_curves()
    values = {label: derivatives(f, m) for label, f in curves.items()}

    fig, (ax_loss, ax_grad) = plt.subplots(1, 2, figsize=(12, 4.5))
    ax_loss.plot(m, zero_one, color="black", lw=2, label="0-1  [m ≤ 0]")
    ax_grad.plot(m, np.zeros_like(m), color="black", lw=2, label="0-1: 0 (no signal)")
    for label, (value, slope, _) in values.items():
        ax_loss.plot(m, value, lw=2, label=label)
        ax_grad.plot(m, slope, lw=2, label=label.split("  ")[0])
    for ax in (ax_loss, ax_grad):
        ax.axvline(1.0, color="0.4", ls=":", lw=1)
        ax.axvline(0.0, color="0.4", ls=":", lw=1)
        ax.set_xlabel("margin m = y·f(x)   (m < 0: misclassified)")
    ax_loss.text(1.05, 2.4, "m = 1: the hinge\nstops here", fontsize=9, color="0.3")
    ax_loss.set_ylim(-0.2, 5)
    ax_loss.set_ylabel("loss")
    ax_loss.set_title("The hinge is exactly 0 for m ≥ 1; logistic never is")
    ax_loss.legend(loc="upper right")
    ax_grad.set_ylim(-7.5, 0.5)
    ax_grad.set_ylabel("gradient dL/dm (backward)")
    ax_grad.set_title("Beyond m = 1 the hinge gradient is 0: those points stop pulling")
    ax_grad.legend(loc="lower right")
    fig.tight_layout()
    report.save(fig, "margin_losses")

    hinge_value, hinge_slope, _ = values["hinge  max(0, 1 − m)"]
    squared_value, squared_slope, _ = values["squared hinge  max(0, 1 − m)²"]
    _, logistic_slope, _ = values["logistic  log(1 + $e^{-m}$)"]
    beyond = m > 1
    report.check("hinge and squared hinge: loss and gradient are exactly 0 at every m > 1",
                 np.all(hinge_value[beyond] == 0) and np.all(hinge_slope[beyond] == 0)
                 and np.all(squared_value[beyond] == 0) and np.all(squared_slope[beyond] == 0),
                 f"{beyond.sum()} grid points with m > 1")
    report.check("the hinge pulls with the same force, dL/dm = −1, at every m < 1",
                 np.all(hinge_slope[m < 1] == -1.0),
                 f"dL/dm in [{hinge_slope[m < 1].min():g}, {hinge_slope[m < 1].max():g}]")
    # squared hinge: d/dm (1 − m)² = −2(1 − m), so −2·(1 − (−2.5)) = −7 at the left end
    report.check("the squared hinge pulls harder the worse the point: dL/dm = −2(1 − m) = −7 at m = −2.5",
                 abs(squared_slope[0] - (-7.0)) < 1e-12, f"dL/dm(−2.5) = {squared_slope[0]:.6f}")
    report.check("the logistic gradient is never 0 on the grid, even at m = 2.5",
                 np.all(logistic_slope != 0), f"smallest |dL/dm| = {np.abs(logistic_slope).min():.4f} "
                 f"(−σ(−2.5) = {-1 / (1 + np.exp(2.5)):.4f})")
    report.check("the hinge lies on or above the 0-1 loss everywhere (a convex upper bound)",
                 np.all(hinge_value >= zero_one), "checked at every grid point")


# %% Part 2 — a linear SVM and a logistic regression on the same data.
# Both models are f(x) = w·x + b, both have the same L2 penalty λ‖w‖²; only the data
# term differs. Look at the left panel: the points that still carry gradient after
# training (ringed) are exactly the ones on or inside the SVM's margin lines
# (f = ±1). On the right, each point's |dL/df| against its margin: for the hinge,
# every point with m > 1 sits at exactly 0; for the logistic loss no point does.
def svm_data():
    """Two overlapping Gaussian clouds, labels y in {−1, +1}: X (120, 2), y (120,)."""
    X, label = blobs(n_per_class=60, centers=((-1.3, -0.8), (1.3, 0.8)), std=0.8, seed=0)
    return X, np.where(label == 1, 1.0, -1.0)


def data_term(scores, y, kind, reduction="sum"):
    """Σᵢ loss(f(xᵢ), yᵢ): the hinge on y = ±1, or BCE from logits on the {0, 1} label (y + 1)/2."""
    if kind == "hinge":
        return losses.hinge(scores, y, reduction=reduction)
    return losses.binary_cross_entropy_with_logits(scores, (y + 1) / 2, reduction=reduction)


def train_linear(X, y, kind, steps):
    """Minimise Σᵢ loss + λ‖w‖² over f(x) = w·x + b with full-batch Adam; returns (w (2,), b)."""
    w = mg.Tensor(np.zeros(2), requires_grad=True)
    b = mg.Tensor(0.0, requires_grad=True)
    features = mg.Tensor(X)
    opt = mg.optim.Adam([w, b], lr=LR)

    def objective():
        return data_term(features @ w + b, y, kind) + losses.l2_penalty([w], LAM)

    def decay(step):
        # a subgradient method needs a shrinking step to settle on the kinks of the hinge
        opt.lr = LR * (1 - (step + 1) / steps) + 1e-5
    fit([w, b], objective, steps, optimizer=opt, on_step=decay)
    return w.data.copy(), b.item()


def per_sample_gradient(X, y, w, b, kind):
    """dL/df(xᵢ) for every sample: how hard the loss still pulls on each point's score."""
    scores = mg.Tensor(X @ w + b, requires_grad=True)
    (grad,) = mg.grad(data_term(scores, y, kind), [scores])
    return grad.data


def draw_line(ax, w, b, level, X, **style):
    """The line w·x + b = level across the x₁ range of X."""
    x1 = np.array([X[:, 0].min() - 0.5, X[:, 0].max() + 0.5])
    ax.plot(x1, (level - b - w[0] * x1) / w[1], **style)


def scatter_classes(ax, X, y, alpha=1.0):
    ax.scatter(*X[y < 0].T, s=18, color="tab:blue", alpha=alpha, label="y = −1")
    ax.scatter(*X[y > 0].T, s=18, color="tab:orange", alpha=alpha, label="y = +1")


def part_svm(report, quick):
    X, y = svm_data()
    steps = 1500 if quick else 4000
    models = {kind: train_linear(X, y, kind, steps) for kind in ("hinge", "logistic")}
    grads = {kind: per_sample_gradient(X, y, *models[kind], kind) for kind in models}
    pulling = {kind: grads[kind] != 0 for kind in models}
    w, b = models["hinge"]
    margin = y * (X @ w + b)

    fig, (ax, ax_grad) = plt.subplots(1, 2, figsize=(13, 5.2), gridspec_kw={"width_ratios": [1.1, 1]})
    scatter_classes(ax, X, y)
    ax.scatter(*X[pulling["hinge"]].T, s=110, facecolors="none", edgecolors="crimson", lw=1.5,
               label=f"carries gradient ({pulling['hinge'].sum()} of {len(y)})")
    draw_line(ax, w, b, 0, X, color="black", lw=2, label="SVM decision line f = 0")
    draw_line(ax, w, b, 1, X, color="black", lw=1, ls="--", label="SVM margin lines f = ±1")
    draw_line(ax, w, b, -1, X, color="black", lw=1, ls="--")
    draw_line(ax, *models["logistic"], 0, X, color="tab:green", lw=2, ls=":",
              label="logistic decision line")
    ax.set_xlim(X[:, 0].min() - 0.5, X[:, 0].max() + 2.0)     # room on the right for the legend
    ax.set_ylim(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title(f"Linear SVM (hinge + λ‖w‖², λ = {LAM:g}): only ringed points pull")
    ax.legend(loc="lower right", fontsize=8)

    logistic_margin = y * (X @ models["logistic"][0] + models["logistic"][1])
    ax_grad.scatter(margin, np.abs(grads["hinge"]), s=22, color="crimson",
                    label=f"hinge (SVM): {pulling['hinge'].sum()} of {len(y)} non-zero")
    ax_grad.scatter(logistic_margin, np.abs(grads["logistic"]), s=22, color="tab:green", marker="s",
                    alpha=0.7, label=f"logistic: {pulling['logistic'].sum()} of {len(y)} non-zero")
    ax_grad.axvline(1.0, color="0.4", ls=":", lw=1)
    ax_grad.set_xlabel("margin m = y·f(x) of each training point (under its own model)")
    ax_grad.set_ylabel("|dL/df(x)| at the end of training")
    ax_grad.set_title("Past m = 1 the hinge gradient is exactly 0; the logistic one only fades")
    ax_grad.legend(loc="upper right")
    fig.tight_layout()
    report.save(fig, "svm")

    n = len(y)
    count_hinge, count_logistic = pulling["hinge"].sum(), pulling["logistic"].sum()
    report.check("after training, fewer than a third of the points carry gradient under the hinge",
                 count_hinge < n / 3, f"{count_hinge} of {n} samples with dL/df ≠ 0")
    report.check("under the logistic loss every point still carries gradient",
                 count_logistic == n, f"{count_logistic} of {n} samples with dL/df ≠ 0, "
                 f"smallest |dL/df| = {np.abs(grads['logistic']).min():.1e}")
    report.check("the points with gradient are exactly those with margin m < 1 (inside the margin lines)",
                 np.array_equal(pulling["hinge"], margin < 1),
                 f"{(margin < 1).sum()} points with m < 1, {(margin < 0).sum()} of them misclassified")
    return X, y, models


# %% Part 3 — throw away every point that carries no gradient and train again.
# If a point does not pull on the SVM at its optimum, removing it cannot move the
# optimum: the SVM is determined by its support vectors alone (the points with m ≤ 1;
# we keep the few sitting right on the margin lines too, m < 1.01). Logistic
# regression has no such points: train it on the same subset and (w, b) changes a lot.
# Its decision line happens to stay close here (the kept points sit symmetrically
# around it), but w shrinks, so its lines f = ±1 (p = 0.27 and 0.73) spread far apart.
def relative_change(before, after):
    before, after = np.r_[before[0], before[1]], np.r_[after[0], after[1]]
    return np.linalg.norm(after - before) / np.linalg.norm(before)


def part_support_vectors(report, quick, trained):
    X, y, models = trained
    steps = 1500 if quick else 4000
    w, b = models["hinge"]
    keep = y * (X @ w + b) < 1.01          # the support vectors, including those on the margin lines
    retrained = {kind: train_linear(X[keep], y[keep], kind, steps) for kind in models}
    change = {kind: relative_change(models[kind], retrained[kind]) for kind in models}

    fig, axes = plt.subplots(1, 2, figsize=(13, 5), sharex=True, sharey=True)
    names = {"hinge": "SVM (hinge)", "logistic": "logistic regression"}
    for ax, kind in zip(axes, ("hinge", "logistic")):
        ax.scatter(*X[~keep].T, s=18, color="0.75", label=f"dropped ({(~keep).sum()} points)")
        scatter_classes(ax, X[keep], y[keep])
        for level in (-1, 0, 1):     # the decision line f = 0 and the lines f = ±1
            draw_line(ax, *models[kind], level, X, color="black", lw=3, alpha=0.4,
                      label="f = 0, ±1 trained on all 120" if level == 0 else None)
            draw_line(ax, *retrained[kind], level, X, color="crimson", lw=1.5, ls="--",
                      label=f"f = 0, ±1 trained on the {keep.sum()} kept" if level == 0 else None)
        ax.set_title(f"{names[kind]}: (w, b) changes by {100 * change[kind]:.2g}%")
        ax.set_xlabel("x₁")
        ax.legend(loc="lower right", fontsize=8)
    axes[0].set_ylabel("x₂")
    axes[0].set_xlim(X[:, 0].min() - 0.5, X[:, 0].max() + 0.5)
    axes[0].set_ylim(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5)
    fig.suptitle("Keep only the SVM's support vectors: the SVM does not change; "
                 "logistic regression's f does (its lines f = ±1 spread apart)")
    fig.tight_layout()
    report.save(fig, "support_vectors")

    report.check("the SVM trained on its support vectors alone finds the same line",
                 change["hinge"] < 0.01,
                 f"(w, b) changes by {100 * change['hinge']:.3f}% with {keep.sum()} of {len(y)} points")
    report.check("logistic regression trained on the same subset moves a lot",
                 change["logistic"] > 0.2, f"(w, b) changes by {100 * change['logistic']:.0f}%")


# %% Run every part.
def main(quick=False):
    report = Report("04_hinge")
    part_margin_losses(report, quick)
    trained = part_svm(report, quick)
    part_support_vectors(report, quick, trained)
    return report


# %% Try it
# 1. Set LAM = 5 (a stronger penalty, a softer margin). Predict first: do the margin
#    lines move apart or together, and do more or fewer points carry gradient?
# 2. In train_linear, replace "hinge" by the squared hinge (losses.squared_hinge). Is
#    the solution still sparse? Does the part 3 check still hold?
# 3. Move the class centres apart in svm_data (e.g. (-2.5, -1.5) and (2.5, 1.5)) so the
#    classes separate cleanly. How many support vectors are left?
# 4. Plot -σ(-m) on top of the logistic gradient in part 1 (it is dL/dm in closed form).

if __name__ == "__main__":
    main()
