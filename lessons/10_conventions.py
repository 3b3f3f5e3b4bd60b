"""Same name, different loss: the conventions students trip over.

Two libraries can ship a loss under the same name and still compute different numbers:
a clamp, a clip, a ½, a divided-by-β, ε/C instead of ε/(C−1), labels {0, 1} instead of
±1, a squared distance instead of a plain one. None of these is a bug, but copying a
hyper-parameter (a margin, a learning rate, a smoothing ε) from a paper or another
framework without knowing which convention it assumed changes the loss you train.
This lesson puts the variants side by side: each one written out here (the naive
versions on purpose, inside np.errstate so that no RuntimeWarning escapes), its
number next to ours from the `losses` package, a check that states the exact relation
between them, a figure, and a summary table at the end.
The PyTorch and Keras conventions quoted here are from their documentation:
BCELoss clamps each log at −100; Keras clips p to [ε, 1 − ε] with ε = 1e-7;
CrossEntropyLoss(label_smoothing=ε) mixes the target with the uniform ε/C;
SmoothL1Loss(beta) = HuberLoss(delta=beta) / beta.

Run it:   python -m lessons 10      (or python -m lessons.10_conventions)
Step through it: open this file in VS Code or Jupyter; each `# %%` cell defines one
part, the last cell runs main().
"""
# %% Setup
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons._common import Report, derivatives, rng

FIGURES = ["bce", "label_smoothing", "huber_smoothl1", "contrastive", "hinge", "triplet", "summary"]

KERAS_EPSILON = 1e-7          # keras.config.epsilon()
TORCH_LOG_FLOOR = -100.0      # torch.nn.BCELoss: each log term clamped at -100


def table_row(report, convention, ours, other, relation):
    """Remember one line of the summary table printed at the end."""
    report.numbers.setdefault("table", []).append((convention, ours, other, relation))


# %% Part 1 — BCE at p = 1 for a negative example (y = 0).
# Look for: the textbook formula gives inf (and nan at p = 0, y = 0, a *perfect*
# prediction, because 0·log 0 = 0·(−inf) is nan in floating point). PyTorch clamps
# each log at −100, so the loss stops at 100; Keras clips p to [1e-7, 1 − 1e-7], so
# it stops at −log(1e-7) ≈ 16.1 — and with it the gradient stops too. Ours follows
# PyTorch. The same confident mistake costs 100 in one framework and 16 in the other.

def bce_naive(p, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_torch_style(p, y):
    with np.errstate(divide="ignore"):
        return -(y * np.maximum(np.log(p), TORCH_LOG_FLOOR)
                 + (1 - y) * np.maximum(np.log(1 - p), TORCH_LOG_FLOOR))


def bce_keras_style(p, y):
    p = np.clip(p, KERAS_EPSILON, 1 - KERAS_EPSILON)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def part_bce(report, quick):
    naive = bce_naive(np.array(1.0), np.array(0.0))
    naive_perfect = bce_naive(np.array(0.0), np.array(0.0))
    torch_style = bce_torch_style(np.array(1.0), np.array(0.0))
    keras_style = bce_keras_style(np.array(1.0), np.array(0.0))
    p1 = mg.Tensor([1.0], requires_grad=True)
    ours_t = losses.binary_cross_entropy(p1, [0.0])
    ours_t.backward()
    ours, ours_grad = ours_t.item(), p1.grad[0]
    print(f"  BCE at p = 1, y = 0:  naive {naive}   PyTorch-style {torch_style:g}   "
          f"Keras-style {keras_style:.4f}   losses.binary_cross_entropy {ours:g} (gradient {ours_grad:g})")
    print(f"  BCE at p = 0, y = 0 (a perfect prediction):  naive {naive_perfect}")

    # The sweep. Near p = 1 floats cannot resolve 1 − p below 1.1e-16 (1 − 1e-20 is
    # exactly 1.0), so sweep the mirror image instead: BCE(p, y = 0) = BCE(1 − p, y = 1),
    # y = 1 and p → 0, where p = 1e-60 is an ordinary float.
    p = np.logspace(-60, 0, 400 if quick else 1200)
    one = np.ones_like(p)
    curves = {"naive −log p": bce_naive(p, one),
              "PyTorch BCELoss (log ≥ −100)": bce_torch_style(p, one),
              "Keras (p clipped to [1e-7, 1 − 1e-7])": bce_keras_style(p, one)}
    ours_curve = losses.binary_cross_entropy(p, one, reduction="none").data
    slope = derivatives(lambda t: losses.binary_cross_entropy(t, mg.wrap(one, like=t), reduction="none"), p)[1]
    mirror = losses.binary_cross_entropy([0.0], [1.0]).item()

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.6))
    ax = axes[0]
    for (label, values), style in zip(curves.items(), ["-", "--", "-."]):
        ax.plot(p, values, style, lw=2.5, label=label)
    ax.plot(p[::12], ours_curve[::12], "k.", ms=6, label="losses.binary_cross_entropy (ours)")
    ax.annotate("clamp: log p ≥ −100\nfrom p < e⁻¹⁰⁰ ≈ 3.7e-44", xy=(np.exp(-100), 100), xytext=(1e-30, 115),
                arrowprops=dict(arrowstyle="->"), fontsize=9)
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_ylim(-3, 150)
    ax.set_xlabel("p, the predicted probability of the true class (y = 1; p → 0 to the right)")
    ax.set_ylabel("BCE loss")
    ax.set_title("a confident wrong answer costs 100 (PyTorch, ours) or 16.1 (Keras)")
    ax.legend(fontsize=8, loc="upper left")
    ax = axes[1]
    ax.plot(p, 1 / p, lw=2.5, label="naive: |dL/dp| = 1 / p")
    active = slope != 0
    ax.plot(p[active], np.abs(slope[active]), "k.", ms=3, label="ours, from backward")
    ax.plot(p[~active], np.full((~active).sum(), 1e-1), "kx", ms=4,
            label="ours = 0 exactly (clamp active; drawn on the bottom edge)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-1, 1e62)
    ax.invert_xaxis()
    ax.set_xlabel("p (y = 1)")
    ax.set_ylabel("|dL/dp|")
    ax.set_title("the clamp also switches the gradient off: no inf, no nan")
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    report.save(fig, "bce")

    report.check("naive BCE at p = 1, y = 0 is inf, and at p = 0, y = 0 it is nan (0·log 0)",
                 np.isinf(naive) and np.isnan(naive_perfect), f"{naive}, {naive_perfect}")
    report.check("ours equals PyTorch's clamp: BCE(p = 1, y = 0) = −(−100) = 100, with a finite gradient",
                 ours == 100.0 == torch_style and np.isfinite(ours_grad), f"ours {ours:g}, gradient {ours_grad:g}")
    report.check("Keras-style clipping gives −log(1e-7) ≈ 16.118 instead",
                 np.isclose(keras_style, -np.log(KERAS_EPSILON), rtol=1e-8),
                 f"{keras_style:.6f} vs −log(1e-7) = {-np.log(KERAS_EPSILON):.6f}")
    report.check("the mirror case p = 0, y = 1 gives the same 100", mirror == ours, f"{mirror:g}")
    report.check("over the sweep p = 1e-60 … 1 (y = 1), ours == min(−log p, 100)",
                 np.allclose(ours_curve, np.minimum(-np.log(p), 100.0), rtol=1e-12, atol=0),
                 f"{len(p)} points; naive reaches {curves['naive −log p'][0]:.1f} at p = 1e-60")
    keras = curves["Keras (p clipped to [1e-7, 1 − 1e-7])"][:-1]          # p < 1: the clip's upper end is unused
    report.check("and Keras-style == min(−log p, −log 1e-7): the same curve cut at 16.1 instead of 100",
                 np.allclose(keras, np.minimum(-np.log(p[:-1]), -np.log(KERAS_EPSILON)), rtol=1e-12, atol=0),
                 f"{len(keras)} points")
    table_row(report, "BCE, p = 1, y = 0", f"{ours:g}", f"naive {naive}, Keras {keras_style:.3f}",
              "ours = PyTorch = min(−log(1−p), 100)")


# %% Part 2 — label smoothing: ε/C or ε/(C − 1)?
# Look for: with ε = 0.1 and C = 4 classes, PyTorch (and ours) give every class ε/C =
# 0.025 and the true class 1 − ε + ε/C = 0.925. The other common convention gives the
# wrong classes ε/(C − 1) ≈ 0.033 and the true class exactly 1 − ε = 0.9. Same ε,
# different target, different loss — and a different best logit gap.

def smoothed_targets(true_class, classes, epsilon, convention):
    """The target distribution label smoothing trains against, for one sample."""
    if convention == "eps/C":                       # PyTorch, ours
        y = np.full(classes, epsilon / classes)
        y[true_class] += 1 - epsilon
    else:                                           # "eps/(C-1)": the true class gets exactly 1 - ε
        y = np.full(classes, epsilon / (classes - 1))
        y[true_class] = 1 - epsilon
    return y


def part_label_smoothing(report, quick):
    classes, epsilon = 4, 0.1
    target_c = smoothed_targets(0, classes, epsilon, "eps/C")
    target_c1 = smoothed_targets(0, classes, epsilon, "eps/(C-1)")
    logits = np.array([[2.0, 0.5, -1.0, 0.0]])
    ours = losses.cross_entropy(logits, [0], label_smoothing=epsilon).item()
    via_c = losses.cross_entropy(logits, target_c[None]).item()
    via_c1 = losses.cross_entropy(logits, target_c1[None]).item()
    # The two conventions are the same family: ε' spread over C − 1 classes equals
    # ε = ε'·C/(C − 1) spread over all C (the true class then gets 1 − ε + ε/C = 1 − ε').
    matched = losses.cross_entropy(logits, [0], label_smoothing=epsilon * classes / (classes - 1)).item()

    # loss against the logit gap m for logits (m, 0, 0, 0): the minimum is at log(y_true / y_other)
    gaps = np.linspace(0, 8, 161 if quick else 801)
    z = np.zeros((len(gaps), classes))
    z[:, 0] = gaps
    curves = {
        "no smoothing": losses.cross_entropy(z, np.zeros(len(gaps), int), reduction="none").data,
        f"ε/C (PyTorch, ours), ε = {epsilon}": losses.cross_entropy(
            z, np.zeros(len(gaps), int), label_smoothing=epsilon, reduction="none").data,
        f"ε/(C−1), ε = {epsilon}": losses.cross_entropy(
            z, np.tile(target_c1, (len(gaps), 1)), reduction="none").data,
    }
    best = {k: gaps[np.argmin(v)] for k, v in curves.items()}
    closed = {"ε/C": np.log(target_c[0] / target_c[1]), "ε/(C−1)": np.log(target_c1[0] / target_c1[1])}

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.6))
    ax = axes[0]
    width = 0.38
    index = np.arange(classes)
    for offset, (label, target) in zip([-width / 2, width / 2], [("ε/C (PyTorch, ours)", target_c),
                                                                 ("ε/(C−1)", target_c1)]):
        bars = ax.bar(index + offset, target, width, label=label)
        ax.bar_label(bars, fmt="%.4f", fontsize=8)
    ax.set_xticks(index, ["class 0 (true)", "class 1", "class 2", "class 3"])
    ax.set_yscale("log")
    ax.set_ylim(0.01, 2)
    ax.set_ylabel("target probability (log scale)")
    ax.set_title(f"same ε = {epsilon}, C = {classes}: two different targets")
    ax.legend(fontsize=8)
    ax = axes[1]
    for (label, values), style in zip(curves.items(), ["-", "--", "-."]):
        ax.plot(gaps, values, style, lw=2, label=label)
    for (name, m), color in zip(closed.items(), ["tab:orange", "tab:green"]):
        ax.axvline(m, color=color, ls=":", lw=1.5, label=f"best gap {name}: log(y_true/y_other) = {m:.2f}")
    ax.set_xlabel("logit gap m (logits m, 0, 0, 0)")
    ax.set_ylabel("cross-entropy")
    ax.set_title("smoothing makes the best logit gap finite — and it depends on the convention")
    ax.legend(fontsize=8)
    fig.tight_layout()
    report.save(fig, "label_smoothing")

    step = gaps[1] - gaps[0]
    report.check("ours (label_smoothing = ε) equals cross-entropy against the ε/C target",
                 np.isclose(ours, via_c, rtol=1e-12), f"{ours:.6f} vs {via_c:.6f}")
    report.check("the ε/(C−1) target gives a different loss for the same ε",
                 abs(via_c1 - ours) > 1e-3, f"{via_c1:.6f} vs ours {ours:.6f}")
    report.check("exact relation: ε/(C−1) smoothing = ours with ε·C/(C−1)",
                 np.isclose(matched, via_c1, rtol=1e-12),
                 f"ours at ε = {epsilon * classes / (classes - 1):.4f}: {matched:.6f} = {via_c1:.6f}")
    report.check("the best logit gap is log(y_true / y_other) for each convention (argmin of the curve)",
                 all(abs(best[k] - m) <= step for k, m in zip(list(curves)[1:], closed.values())),
                 f"ε/C {best[list(curves)[1]]:.2f} vs {closed['ε/C']:.2f}; "
                 f"ε/(C−1) {best[list(curves)[2]]:.2f} vs {closed['ε/(C−1)']:.2f}")
    table_row(report, f"label smoothing ε = {epsilon}, C = {classes}", f"{ours:.4f}", f"ε/(C−1): {via_c1:.4f}",
              "ε/(C−1) with ε' = ours with ε'·C/(C−1)")


# %% Part 3 — Huber δ vs SmoothL1 β.
# Look for: PyTorch's SmoothL1Loss has a parameter β at the same place as Huber's δ,
# but it divides the whole loss by β: SmoothL1_β(r) = Huber_δ=β(r) / β. Its linear part
# always has slope 1 (Huber's has slope δ), and its quadratic part gets *steeper* as β
# shrinks. At β = δ = 1 they coincide; anywhere else a copied hyper-parameter changes
# the gradient scale by a factor β.

def smooth_l1(r, beta):
    """SmoothL1 as PyTorch documents it: 0.5 r²/β where |r| < β, else |r| − 0.5 β (a tensor r)."""
    a = r.abs()
    q = mg.minimum(a, beta)               # the same branch-free trick as Huber: continuous gradient
    return 0.5 * q**2 / beta + (a - q)


def part_huber_smoothl1(report, quick):
    r = np.linspace(-3, 3, 241 if quick else 601)
    zero = np.zeros_like(r)
    betas = [0.5, 1.0, 2.0]
    worst = 0.0
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.6))
    colors = ["tab:blue", "tab:orange", "tab:green"]
    for beta, color in zip(betas, colors):
        huber = lambda t, b=beta: losses.huber(t, mg.wrap(zero, like=t), delta=b, reduction="none")  # noqa: E731
        smooth = lambda t, b=beta: smooth_l1(t, b)  # noqa: E731
        h_value, h_slope, _ = derivatives(huber, r)
        s_value, s_slope, _ = derivatives(smooth, r)
        worst = max(worst, np.abs(s_value - h_value / beta).max(), np.abs(s_slope - h_slope / beta).max())
        axes[0].plot(r, h_value, color=color, lw=2, label=f"Huber δ = {beta:g}")
        axes[0].plot(r, s_value, color=color, lw=2, ls="--", label=f"SmoothL1 β = {beta:g}")
        axes[1].plot(r, h_slope, color=color, lw=2, label=f"Huber δ = {beta:g}: slope capped at ±δ")
        axes[1].plot(r, s_slope, color=color, lw=2, ls="--", label=f"SmoothL1 β = {beta:g}: capped at ±1")
        if beta == 1.0:
            same_at_one = np.abs(s_value - h_value).max()
    axes[0].set_ylabel("loss")
    axes[0].set_title("SmoothL1_β = Huber_δ=β / β: equal only at β = δ = 1")
    axes[1].set_ylabel("dL/dr (backward)")
    axes[1].set_ylim(-3.9, 2.3)                     # room for the legend below the curves
    axes[1].set_title("Huber's gradient saturates at δ, SmoothL1's always at 1")
    for ax, where in zip(axes, ["upper center", "lower right"]):
        ax.set_xlabel("residual r = ŷ − y")
        ax.legend(fontsize=8, ncol=2, loc=where, title="at β = δ = 1 the orange lines coincide",
                  title_fontsize=8)
    fig.tight_layout()
    report.save(fig, "huber_smoothl1")

    value_ours = losses.huber([3.0], [0.0], delta=0.5).item()
    value_smooth = smooth_l1(mg.Tensor([3.0]), 0.5).item()
    report.check("exact relation: SmoothL1_β(r) == losses.huber(r, δ = β)(r) / β, value and gradient, "
                 "for β = 0.5, 1, 2", worst < 1e-12, f"largest difference {worst:.1e}")
    report.check("at β = δ = 1 they are the same function", same_at_one < 1e-12,
                 f"largest difference {same_at_one:.1e}")
    report.check("at r = 3 with β = δ = 0.5: Huber 0.5·3 − 0.5·0.5² = 1.375, SmoothL1 3 − 0.25 = 2.75",
                 np.isclose(value_ours, 1.375) and np.isclose(value_smooth, 2.75),
                 f"Huber {value_ours:g}, SmoothL1 {value_smooth:g}")
    table_row(report, "Huber δ=0.5 vs SmoothL1 β=0.5 at r=3", f"{value_ours:g}", f"{value_smooth:g}",
              "SmoothL1_β = Huber_β / β")


# %% Part 4 — contrastive with and without ½.
# Look for: the lecture (and ours) writes (1−Y)·D² + Y·max(0, m − D)²; Hadsell et al.
# (2006) put ½ before each term. The ½ halves the loss and its gradient, nothing else.
# With plain SGD that is the same as halving the learning rate; with Adam, which
# divides the step by the gradient's own size, it changes (almost) nothing.

def contrastive_half(x1, x2, y, margin):
    """Hadsell et al.'s form: ½(1−Y)·D² + ½·Y·max(0, m − D)², written out in numpy."""
    D = np.sqrt(((x1 - x2) ** 2).sum(1))
    return 0.5 * (1 - y) * D**2 + 0.5 * y * np.maximum(0.0, margin - D) ** 2


def part_contrastive(report, quick):
    margin = 1.0
    D = np.linspace(0, 2, 201)
    x1 = np.zeros((len(D), 2))
    x2 = np.stack([D, np.zeros_like(D)], 1)
    curves = {}
    for y_value, name in [(0, "similar (Y = 0)"), (1, "dissimilar (Y = 1)")]:
        y = np.full(len(D), float(y_value))
        curves[name] = (losses.contrastive(x1, x2, y, margin=margin, reduction="none").data,
                        contrastive_half(x1, x2, y, margin))
    ratio_gap = max(np.abs(half - ours / 2).max() for ours, half in curves.values())

    # one training step of a linear embedding x ↦ x·W on 16 pairs: both conventions, SGD and Adam
    r = rng(10)
    a, b = r.standard_normal((16, 2)), r.standard_normal((16, 2))
    y = (np.arange(16) % 2).astype(float)
    steps = {}
    for half in (False, True):
        for optimizer in ("sgd", "adam"):
            w = mg.Tensor(np.eye(2), requires_grad=True)
            opt = mg.optim.SGD([w], lr=0.1) if optimizer == "sgd" else mg.optim.Adam([w], lr=0.1)
            scale = 0.5 if half else 1.0
            opt.zero_grad()
            (scale * losses.contrastive(mg.Tensor(a) @ w, mg.Tensor(b) @ w, y, margin=margin)).backward()
            opt.step()
            steps[(half, optimizer)] = w.data - np.eye(2)
    sgd_ratio = np.abs(steps[(True, "sgd")]).sum() / np.abs(steps[(False, "sgd")]).sum()
    adam_gap = np.abs(steps[(True, "adam")] - steps[(False, "adam")]).max()

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.6))
    ax = axes[0]
    for (name, (ours, half)), color in zip(curves.items(), ["tab:blue", "tab:red"]):
        ax.plot(D, ours, color=color, lw=2, label=f"{name}: ours / lecture")
        ax.plot(D, half, color=color, lw=2, ls="--", label=f"{name}: with ½ (Hadsell et al.)")
    ax.axvline(margin, color="gray", ls=":", label=f"margin m = {margin:g}")
    ax.set_xlabel("distance D between the pair's embeddings")
    ax.set_ylabel("loss")
    ax.set_title("the ½ halves both branches — nothing else")
    ax.legend(fontsize=8)
    ax = axes[1]
    labels = ["SGD, no ½", "SGD, with ½", "Adam, no ½", "Adam, with ½"]
    sizes = [np.abs(steps[k]).sum() for k in [(False, "sgd"), (True, "sgd"), (False, "adam"), (True, "adam")]]
    bars = ax.bar(labels, sizes, color=["tab:blue", "tab:cyan", "tab:purple", "tab:pink"])
    ax.bar_label(bars, fmt="%.4f")
    ax.set_ylabel("Σ|change of the weights| after one step")
    ax.set_title("SGD: the ½ halves the step; Adam: the same step")
    fig.tight_layout()
    report.save(fig, "contrastive")

    ours_one = losses.contrastive([[0.0, 0.0]], [[0.3, 0.4]], [0.0]).item()
    report.check("exact relation: contrastive with ½ == ours / 2 on both branches",
                 ratio_gap < 1e-12, f"largest difference {ratio_gap:.1e}")
    report.check("a similar pair at D = 0.5: ours D² = 0.25, with ½: 0.125",
                 np.isclose(ours_one, 0.25), f"ours {ours_one:g}")
    report.check("with SGD the ½ halves the update (the same as halving the learning rate)",
                 np.isclose(sgd_ratio, 0.5, rtol=1e-6), f"ratio of step sizes {sgd_ratio:.6f}")
    report.check("with Adam the ½ leaves the update (almost) unchanged", adam_gap < 1e-6,
                 f"largest difference {adam_gap:.1e}")
    table_row(report, "contrastive, similar pair, D = 0.5", f"{ours_one:g}", f"{ours_one / 2:g} (with ½)",
              "with ½ = ours / 2")


# %% Part 5 — hinge with labels {0, 1} instead of ±1.
# Look for: the hinge max(0, 1 − y·f(x)) needs y = ±1. Feed it a label 0 and the
# term becomes max(0, 1 − 0) = 1 whatever the score: a constant, with gradient 0. A
# naive hinge trains without complaint, but only the positive class pushes: the
# boundary it learns does not depend on the class-0 points at all. Move them to the
# other side of the positives and the naive boundary stays exactly where it was.
# Ours refuses 0/1 labels and says so.

def hinge_naive(scores, y):
    """max(0, 1 − y·f) with no check of the labels (what goes wrong with y = 0)."""
    return mg.relu(1.0 - y * scores)


def part_hinge(report, quick):
    r = rng(4)
    m = 20
    positives = r.normal(1.2, 0.6, (m, 2))
    negatives = {"A": r.normal(-1.2, 0.6, (m, 2)),      # class 0 on one side of the positives ...
                 "B": r.normal(3.6, 0.6, (m, 2))}       # ... or on the other side
    y01 = np.repeat([1.0, 0.0], m)
    ypm = 2 * y01 - 1                                    # the fix: {0, 1} → {−1, +1}
    try:
        losses.hinge(np.zeros(2 * m), y01)
        message = "(no error raised)"
    except ValueError as error:
        message = str(error)
    print(f"  losses.hinge(scores, labels in {{0, 1}}) raises ValueError: {message}")

    def train(loss_fn, X, labels, steps):
        w = mg.Tensor(np.zeros(2), requires_grad=True)
        b = mg.Tensor(0.0, requires_grad=True)
        opt = mg.optim.SGD([w, b], lr=0.1)
        for _ in range(steps):
            opt.zero_grad()
            loss_fn(mg.Tensor(X) @ w + b, labels).mean().backward()
            opt.step()
        return w.data.copy(), float(b.data)

    steps = 200 if quick else 500
    data = {k: np.concatenate([positives, neg]) for k, neg in negatives.items()}
    naive = {k: train(hinge_naive, X, y01, steps) for k, X in data.items()}
    ours = {k: train(lambda s, t: losses.hinge(s, t, reduction="none"), X, ypm, steps) for k, X in data.items()}

    def accuracy(model, X):
        w, b = model
        return np.mean(((X @ w + b) > 0) == (y01 == 1))

    naive_shift = max(np.abs(naive["A"][0] - naive["B"][0]).max(), abs(naive["A"][1] - naive["B"][1]))
    # the gradient a y = 0 sample sends back through the naive hinge: exactly 0
    s = mg.Tensor(np.linspace(-3, 3, 7), requires_grad=True)
    hinge_naive(s, np.zeros(7)).sum().backward()
    zero_label_grad = np.abs(s.grad).max()

    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    ax = axes[0]
    f = np.linspace(-3, 3, 241)
    for label, color in [(1.0, "tab:blue"), (-1.0, "tab:red"), (0.0, "gray")]:
        values = hinge_naive(mg.Tensor(f), label).data
        ax.plot(f, values, lw=2, color=color, ls="--" if label == 0 else "-",
                label=f"y = {label:+g}" + ("  (a {0,1} label: constant 1, gradient 0)" if label == 0 else ""))
    ax.set_xlabel("score f(x)")
    ax.set_ylabel("max(0, 1 − y·f(x))")
    ax.set_title("a label 0 turns the hinge into a constant")
    ax.set_ylim(-0.2, 7.2)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, 0.84))
    wrapped = "\n".join(message[i:i + 52] for i in range(0, len(message), 52))
    ax.text(0.03, 0.97, "losses.hinge with {0, 1} labels raises\nValueError: " + wrapped,
            transform=ax.transAxes, fontsize=8, family="monospace", va="top",
            bbox=dict(facecolor="lightyellow", edgecolor="gray"))
    ax = axes[1]
    ax.scatter(*positives.T, color="tab:blue", edgecolors="k", s=30, label="class 1")
    ax.scatter(*negatives["A"].T, color="tab:red", alpha=0.35, s=30, label="class 0, placement A")
    ax.scatter(*negatives["B"].T, color="tab:red", edgecolors="k", s=30, label="class 0, placement B")
    grid = np.linspace(-3, 6, 2)
    lines = [(naive["B"], "gray", "-", f"naive, 0/1 labels, A or B (identical): accuracy on B "
                                     f"{accuracy(naive['B'], data['B']):.0%}"),
             (ours["A"], "black", ":", f"ours, ±1 labels, A: accuracy {accuracy(ours['A'], data['A']):.0%}"),
             (ours["B"], "black", "-", f"ours, ±1 labels, B: accuracy {accuracy(ours['B'], data['B']):.0%}")]
    for (w, b), color, style, name in lines:
        ax.plot(grid, -(w[0] * grid + b) / w[1], color=color, ls=style, lw=2, label=name)
    ax.set_xlim(-3, 6)
    ax.set_ylim(-3, 6)
    ax.set_aspect("equal")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title("0/1 labels: class 0 never pushes, so moving it changes nothing")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    report.save(fig, "hinge")

    acc_naive, acc_ours = accuracy(naive["B"], data["B"]), accuracy(ours["B"], data["B"])
    report.check("ours raises ValueError for {0, 1} labels, naming the argument",
                 message != "(no error raised)" and "target" in message, message)
    scores = data["B"] @ ours["B"][0] + ours["B"][1]
    mapped_gap = np.abs(losses.hinge(scores, 2 * y01 - 1, reduction="none").data
                        - np.maximum(0.0, 1 - (2 * y01 - 1) * scores)).max()
    report.check("exact relation: with y = 2·y01 − 1, ours == max(0, 1 − y·f) for every sample",
                 mapped_gap < 1e-12, f"largest difference {mapped_gap:.1e}")
    report.check("with a label 0 the naive hinge is the constant 1 with gradient exactly 0",
                 zero_label_grad == 0.0, f"largest |gradient| {zero_label_grad:g}")
    report.check("the naive 0/1 model is identical whether class 0 sits at A or at B",
                 naive_shift == 0.0, f"largest weight difference {naive_shift:g}")
    report.check("with class 0 at B the naive model misclassifies it; ours (±1 labels) separates",
                 acc_naive <= 0.6 and acc_ours >= 0.95, f"accuracy {acc_naive:.0%} vs {acc_ours:.0%}")
    table_row(report, "hinge, labels {0,1}", "ValueError", f"naive: accuracy {acc_naive:.0%}",
              "map labels with y = 2·y01 − 1")


# %% Part 6 — triplet loss with squared or plain distances.
# Look for: max(0, d(a,p) − d(a,n) + m) with d the distance (FaceNet uses the squared
# distance). The same margin m = 1 draws a different line between "done" and "still
# learning": d_n ≥ d_p + 1 for plain distances, d_n² ≥ d_p² + 1 for squared ones. Far
# from the origin the squared version is satisfied much sooner; close to it, later.

def part_triplet(report, quick):
    margin = 1.0
    a = np.zeros((1, 2))
    p = np.array([[1.0, 0.0]])
    n = np.array([[0.0, 1.5]])
    plain = losses.triplet(a, p, n, margin=margin).item()
    squared = losses.triplet(a, p, n, margin=margin, squared=True).item()
    # by hand: d_p = 1, d_n = 1.5:  plain max(0, 1 − 1.5 + 1) = 0.5;  squared max(0, 1 − 2.25 + 1) = 0

    r = rng(6)
    A, P, N = (r.standard_normal((200, 3)) for _ in range(3))
    dp, dn = np.sqrt(((A - P) ** 2).sum(1)), np.sqrt(((A - N) ** 2).sum(1))
    gap_plain = np.abs(losses.triplet(A, P, N, margin=margin, reduction="none").data
                       - np.maximum(0, dp - dn + margin)).max()
    gap_squared = np.abs(losses.triplet(A, P, N, margin=margin, squared=True, reduction="none").data
                         - np.maximum(0, dp**2 - dn**2 + margin)).max()
    disagree = np.mean((dp - dn + margin > 0) != (dp**2 - dn**2 + margin > 0))

    d = np.linspace(0, 3, 151 if quick else 301)
    gp, gn = np.meshgrid(d, d)
    # the loss surface over (d(a,p), d(a,n)): anchor at 0, positive and negative on two axes
    anchors = np.zeros((gp.size, 2))
    positives = np.stack([gp.ravel(), np.zeros(gp.size)], 1)
    negatives = np.stack([np.zeros(gn.size), gn.ravel()], 1)
    surfaces = {sq: losses.triplet(anchors, positives, negatives, margin=margin, squared=sq,
                                   reduction="none").data.reshape(gp.shape) for sq in (False, True)}

    fig, axes = plt.subplots(1, 2, figsize=(12, 5))
    for ax, sq in zip(axes, (False, True)):
        image = ax.contourf(gp, gn, surfaces[sq], levels=20, cmap="Blues")
        fig.colorbar(image, ax=ax, label="triplet loss")
        ax.plot(d, d + margin, "k-", lw=2, label="plain: d_n = d_p + 1")
        ax.plot(d, np.sqrt(d**2 + margin), "r--", lw=2.5, label="squared: d_n² = d_p² + 1")
        ax.plot([1.0], [1.5], "o", color="lime", ms=9, mec="k", label="d_p = 1, d_n = 1.5")
        ax.set_xlim(0, 3)
        ax.set_ylim(0, 3)
        ax.set_xlabel("d(a, p)")
        ax.set_ylabel("d(a, n)")
        ax.legend(fontsize=8, loc="lower right")
    axes[0].set_title(f"plain distances: loss {plain:g} at the green point")
    axes[1].set_title(f"squared=True: loss {squared:g} at the same point")
    fig.suptitle("same margin m = 1, different 'done' region (loss 0 above the line)", fontsize=11)
    fig.tight_layout()
    report.save(fig, "triplet")

    report.check("d_p = 1, d_n = 1.5, m = 1: plain 1 − 1.5 + 1 = 0.5, squared max(0, 1 − 2.25 + 1) = 0",
                 np.isclose(plain, 0.5) and squared == 0.0, f"plain {plain:g}, squared {squared:g}")
    report.check("exact relations on 200 random triplets: plain = max(0, d_p − d_n + m), "
                 "squared = max(0, d_p² − d_n² + m)", max(gap_plain, gap_squared) < 1e-12,
                 f"largest differences {gap_plain:.1e}, {gap_squared:.1e}")
    report.check("the two conventions disagree on which triplets still carry loss", disagree > 0.05,
                 f"{disagree:.0%} of the random triplets")
    table_row(report, "triplet, d_p = 1, d_n = 1.5, m = 1", f"{plain:g}", f"{squared:g} (squared)",
              "squared compares d², not d")


# %% The summary table, printed and drawn
# Look for: one line per trap, our number next to the other convention's, and the
# relation that converts one into the other.
def summary_table(report):
    rows = report.numbers.get("table", [])
    header = ("convention", "ours", "the other one", "exact relation")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(4)]
    line = "  " + "  ".join("{:<%d}" % w for w in widths)
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))

    fig, ax = plt.subplots(figsize=(13, 3.4))
    ax.axis("off")
    table = ax.table(cellText=[list(map(str, row)) for row in rows], colLabels=header, loc="center",
                     cellLoc="left", colWidths=[0.3, 0.12, 0.25, 0.33])
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    table.scale(1, 1.6)
    for (row, _), cell in table.get_celld().items():
        if row == 0:
            cell.set_facecolor("#dde6f0")
            cell.set_text_props(weight="bold")
    ax.set_title("same name, different loss: our number, the other convention's, and how to convert")
    fig.tight_layout()
    report.save(fig, "summary")


# %% Run everything
def main(quick=False):
    report = Report("10_conventions")
    part_bce(report, quick)
    part_label_smoothing(report, quick)
    part_huber_smoothl1(report, quick)
    part_contrastive(report, quick)
    part_hinge(report, quick)
    part_triplet(report, quick)
    summary_table(report)
    return report


# %% Try it
# 1. Set KERAS_EPSILON = 1e-15. Predict the Keras value at p = 1, y = 0 before you run.
# 2. Label smoothing with C = 2: how far apart are ε/C and ε/(C − 1) now? With C = 1000?
# 3. Train part 4's siamese step with SGD and the ½ convention: which learning rate
#    gives exactly ours' steps?
# 4. In part 6, use margin 0.2 with squared=True: where does the white line go?

if __name__ == "__main__":
    main()
