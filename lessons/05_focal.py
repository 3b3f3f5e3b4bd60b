"""Focal loss: turn down the easy examples so the hard ones are heard.

Focal loss multiplies cross-entropy by (1 − pₜ)^γ, where pₜ is the probability the
model gives to the true class. An example the model already gets right (pₜ near 1)
is scaled down almost to nothing; a hard one (pₜ small) keeps nearly its full loss.
The first part redraws figure 1 of Lin et al. 2017 (the loss against pₜ for
γ = 0, 0.5, 1, 2, 5) with the gradient beside it. The second part trains the same
linear classifier with cross-entropy and with focal loss on a 1:50 imbalanced toy
set. Under cross-entropy the thousands of easy negatives supply a large part of the
gradient; under focal loss almost none, so the model finds the rare class many steps
sooner. On this simple toy both end, given enough steps, at almost the same line:
the printed minority recall and average precision say so.

Run it with `python -m lessons 05` (or `python -m lessons.05_focal`). To step
through it, open this file in VS Code or Jupyter: each `# %%` cell defines one part,
and the last cell runs main().
"""
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons._common import Report, fit, imbalanced

FIGURES = ["focal_vs_pt", "imbalanced"]

GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)
GAMMA = 2.0          # the γ used for training, as in RetinaNet
EASY = 0.9           # an example is "easy" when the model gives its true class pₜ > 0.9
EARLY_STEP = 100     # where we compare the two runs early in training


def logit(p):
    """The logit z with sigmoid(z) = p."""
    return np.log(p) - np.log1p(-p)


def focal_curve(gamma):
    """z (Tensor (n,)) -> focal loss per entry, for a positive example (y = 1, so pₜ = sigmoid(z))."""
    return lambda z: losses.focal(z, np.ones(z.shape), alpha=None, gamma=gamma, reduction="none")


def slope_at(pt, gamma):
    """dL/dz of the focal loss for one positive example with probability pₜ."""
    z = mg.Tensor([logit(pt)], requires_grad=True)
    (slope,) = mg.grad(focal_curve(gamma)(z).sum(), [z])
    return slope.item()


# %% Part 1 — focal loss against pₜ, as in Lin et al. 2017, figure 1.
# Left: γ = 0 is plain cross-entropy. The larger γ, the sooner the curve drops to 0 as
# pₜ grows: well-classified examples (pₜ > 0.5, shaded) add almost nothing. Hard examples
# (pₜ small) keep nearly their whole cross-entropy. Right: what matters for training
# is the gradient with respect to the logit; on a log scale you can read how many
# times weaker an easy example pulls under focal loss than under cross-entropy.
def part_focal_curves(report, quick):
    pt = np.linspace(0.001, 0.999, 500 if quick else 999)
    z = logit(pt)
    values, slopes = {}, {}
    for gamma in GAMMAS:
        zt = mg.Tensor(z, requires_grad=True)
        value = focal_curve(gamma)(zt)
        (slope,) = mg.grad(value.sum(), [zt])
        values[gamma], slopes[gamma] = value.data, slope.data

    fig, (ax, ax_grad) = plt.subplots(1, 2, figsize=(13, 5))
    for gamma in GAMMAS:
        label = "γ = 0 (cross-entropy)" if gamma == 0 else f"γ = {gamma:g}"
        ax.plot(pt, values[gamma], lw=2, label=label)
        ax_grad.plot(pt, np.abs(slopes[gamma]), lw=2, label=label)
    for a in (ax, ax_grad):
        a.axvspan(0.5, 1.0, color="tab:green", alpha=0.08)
        a.set_xlim(0, 1)
        a.set_xlabel("probability of the ground-truth class pₜ")
    ax.text(0.62, 3.0, "well-classified\nexamples (pₜ > 0.5)", color="darkgreen")
    ax.set_ylim(0, 5)
    ax.set_ylabel(r"loss  $-(1 - p_t)^\gamma \, \log p_t$")
    ax.set_title("Larger γ: easy examples (pₜ → 1) lose almost all their loss")
    ax.legend(loc="upper right")
    ax_grad.set_yscale("log")
    ax_grad.set_ylim(1e-6, 2)
    ax_grad.set_ylabel("|dL/dz|, z the logit (backward)")
    ratio = slope_at(0.9, 0.0) / slope_at(0.9, 2.0)
    ax_grad.set_title(f"At pₜ = 0.9, γ = 2 pulls {ratio:.0f}× weaker than cross-entropy")
    ax_grad.legend(loc="lower left")
    fig.tight_layout()
    report.save(fig, "focal_vs_pt")

    ce = losses.binary_cross_entropy_with_logits(z, np.ones_like(z), reduction="none").data
    report.check("with γ = 0 (and no α) the focal loss is exactly cross-entropy",
                 np.max(np.abs(values[0.0] - ce)) < 1e-12,
                 f"largest difference {np.max(np.abs(values[0.0] - ce)):.1e} over {len(pt)} values of pₜ")
    # at pₜ = 0.9 the factor is (1 − 0.9)² = 0.01: a hundred times less loss
    fl = focal_curve(2.0)(mg.Tensor([logit(0.9)])).item()
    ce_point = -np.log(0.9)                               # 0.1053605...
    report.check("at pₜ = 0.9, γ = 2 keeps (1 − 0.9)² = 1/100 of the cross-entropy",
                 abs(fl / ce_point - 0.01) < 1e-12, f"FL / CE = {fl / ce_point:.6f}")
    # d/dz of −(1 − p)^γ log p with dp/dz = p(1 − p):  γ p (1 − p)^γ log p − (1 − p)^(γ+1)
    # at p = 0.9, γ = 2:  2·0.9·0.01·ln 0.9 − 0.001 = −0.0018965 − 0.001 = −0.0028965
    report.check("its gradient at pₜ = 0.9 matches the closed form γp(1 − p)^γ log p − (1 − p)^(γ+1) "
                 "= −0.0028965 (cross-entropy's: p − 1 = −0.1, about 35 times larger)",
                 abs(slope_at(0.9, 2.0) - (-0.0028965)) < 1e-7 and abs(slope_at(0.9, 0.0) - (-0.1)) < 1e-12,
                 f"backward gives {slope_at(0.9, 2.0):.7f} and {slope_at(0.9, 0.0):.7f}")
    hard = focal_curve(2.0)(mg.Tensor([logit(0.1)])).item() / -np.log(0.1)
    report.check("a hard example (pₜ = 0.1) keeps most of its loss under γ = 2: (1 − 0.1)² = 81%",
                 abs(hard - 0.81) < 1e-12, f"FL / CE = {hard:.6f}")


# %% Part 2 — average precision, from sorted scores.
# Rank the examples by score, highest first. Walking down the list, each time we meet
# a positive we note the precision so far (positives seen / examples seen). AP is the
# mean of those precisions: 1 when every positive is ranked above every negative.
def precision_recall(scores, labels):
    """Precision and recall after each rank, scores sorted from high to low."""
    order = np.argsort(-scores, kind="stable")
    hits = labels[order] == 1
    true_positives = np.cumsum(hits)
    return true_positives / np.arange(1, len(hits) + 1), true_positives / hits.sum(), hits


def average_precision(scores, labels):
    """Mean, over the positives, of the precision at each positive's rank."""
    precision, _, hits = precision_recall(scores, labels)
    return precision[hits].mean()


def part_average_precision(report, quick):
    # ranked: +, −, +, −  ->  precisions at the positives 1/1 and 2/3, AP = (1 + 2/3)/2 = 5/6
    ap = average_precision(np.array([0.9, 0.8, 0.7, 0.6]), np.array([1, 0, 1, 0]))
    report.check("average_precision on a hand example: ranks +, −, +, − give (1 + 2/3)/2 = 0.8333",
                 abs(ap - 5 / 6) < 1e-12, f"got {ap:.4f}")


# %% Part 3 — cross-entropy against focal loss on a 1:50 imbalanced set.
# Watch the bottom-left panel: under cross-entropy, the easy examples (pₜ > 0.9, almost
# all of them the 2500 negatives) carry a large share of the gradient; under focal loss
# a tiny one. That is why, top right, focal loss finds the rare class in far fewer
# steps. Bottom right: by the end the two precision-recall curves lie on top of each
# other. A linear model on two Gaussian clouds has one best line and both losses reach
# it; focal loss buys speed here, and the hard cases' share of attention.
def data_loss(kind, z, y, reduction="mean"):
    if kind == "cross-entropy":
        return losses.binary_cross_entropy_with_logits(z, y, reduction=reduction)
    return losses.focal(z, y, alpha=None, gamma=GAMMA, reduction=reduction)


def easy_share(kind, z, y):
    """Share of Σᵢ |dL/dzᵢ| carried by the examples with pₜ > EASY, and their number."""
    zt = mg.Tensor(z, requires_grad=True)
    (grad,) = mg.grad(data_loss(kind, zt, y, reduction="sum"), [zt])
    pt = np.where(y == 1, 1 / (1 + np.exp(-z)), 1 / (1 + np.exp(z)))
    easy = pt > EASY
    return np.abs(grad.data[easy]).sum() / np.abs(grad.data).sum(), easy.sum()


def train(kind, X, y, X_test, y_test, steps):
    """A linear classifier f(x) = w·x + b trained with full-batch Adam; records its history."""
    w = mg.Tensor(np.zeros(2), requires_grad=True)
    b = mg.Tensor(0.0, requires_grad=True)
    features = mg.Tensor(X)
    run = {"recall": np.empty(steps), "easy share": np.empty(steps), "lines": {}}

    def record(step):
        w_now, b_now = w.data.copy(), b.item()
        predicted = X_test @ w_now + b_now > 0            # p > 0.5
        run["recall"][step] = np.sum(predicted & (y_test == 1)) / np.sum(y_test == 1)
        run["easy share"][step], _ = easy_share(kind, X @ w_now + b_now, y)
        if step + 1 in (EARLY_STEP, steps):
            run["lines"][step + 1] = (w_now, b_now)
    fit([w, b], lambda: data_loss(kind, features @ w + b, y), steps, lr=0.05, on_step=record)
    run["w"], run["b"] = w.data.copy(), b.item()
    return run


def part_imbalanced(report, quick):
    X, y = imbalanced(n_major=2500, ratio=50, separation=2.0, seed=0)        # 2500 : 50
    X_test, y_test = imbalanced(n_major=5000, ratio=50, separation=2.0, seed=1)
    steps = 800 if quick else 2000
    runs = {kind: train(kind, X, y, X_test, y_test, steps) for kind in ("cross-entropy", "focal")}
    colors = {"cross-entropy": "tab:blue", "focal": "tab:red"}
    step_axis = np.arange(1, steps + 1)

    fig, axes = plt.subplots(2, 2, figsize=(13, 10))
    ax = axes[0, 0]
    ax.scatter(*X[y == 0].T, s=4, color="0.7", label=f"negatives ({int((y == 0).sum())})")
    ax.scatter(*X[y == 1].T, s=25, color="tab:orange", edgecolors="k", lw=0.4,
               label=f"positives ({int(y.sum())})")
    x1 = np.array([X[:, 0].min(), X[:, 0].max()])
    for kind, run in runs.items():
        for at, style in ((EARLY_STEP, ":"), (steps, "-")):
            w, b = run["lines"][at]
            ax.plot(x1, -(b + w[0] * x1) / w[1], color=colors[kind], ls=style, lw=2,
                    label=f"{kind}, step {at}")
    ax.set_xlim(X[:, 0].min(), X[:, 0].max())
    ax.set_ylim(X[:, 1].min(), X[:, 1].max())
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title("Training data and the lines p = 0.5: early on, focal is already close")
    ax.legend(loc="lower right", fontsize=8)

    ax = axes[0, 1]
    for kind, run in runs.items():
        ax.plot(step_axis, run["recall"], color=colors[kind], lw=2, label=kind)
    ax.axvline(EARLY_STEP, color="0.4", ls=":", lw=1)
    ax.set_xscale("log")
    ax.set_xlabel("training step (Adam, full batch)")
    ax.set_ylabel("minority recall on held-out data (p > 0.5)")
    ax.text(0.97, 0.97, "at the start (w ≈ 0, p ≈ 0.5)\nevery point is called positive;\n"
            "both losses first learn\n'almost everything is negative'", fontsize=8, color="0.3",
            ha="right", va="top", transform=ax.transAxes)
    ax.set_title("Focal loss finds the rare class many steps sooner")
    ax.legend(loc="upper left")

    ax = axes[1, 0]
    for kind, run in runs.items():
        ax.plot(step_axis, 100 * run["easy share"], color=colors[kind], lw=2, label=kind)
    ax.set_xscale("log")
    ax.set_ylim(0, 100)
    ax.set_xlabel("training step (Adam, full batch)")
    ax.set_ylabel(f"% of Σ|dL/dz| from easy examples (pₜ > {EASY:g})")
    ax.set_title("Cross-entropy spends much of its gradient on easy examples")
    ax.legend(loc="upper right")

    ax = axes[1, 1]
    results = {}
    for kind, run in runs.items():
        scores = X_test @ run["w"] + run["b"]
        precision, recall, _ = precision_recall(scores, y_test)
        predicted = scores > 0
        results[kind] = {"AP": average_precision(scores, y_test),
                         "recall": np.sum(predicted & (y_test == 1)) / np.sum(y_test == 1),
                         "precision": np.sum(predicted & (y_test == 1)) / max(1, np.sum(predicted))}
        ax.plot(recall, precision, color=colors[kind], lw=2,
                label=f"{kind}: AP = {results[kind]['AP']:.3f}")
        ax.scatter([results[kind]["recall"]], [results[kind]["precision"]], color=colors[kind],
                   s=60, zorder=3, edgecolors="k", label=f"{kind} at p > 0.5")
    ax.set_xlabel("recall (held-out)")
    ax.set_ylabel("precision (held-out)")
    ax.set_title(f"After {steps} steps the two rank the held-out data alike")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    report.save(fig, "imbalanced")

    ce, fl = runs["cross-entropy"], runs["focal"]
    share_ce, n_easy_ce = easy_share("cross-entropy", X @ ce["w"] + ce["b"], y)
    share_fl, n_easy_fl = easy_share("focal", X @ fl["w"] + fl["b"], y)
    report.check(f"at the end, easy examples (pₜ > {EASY:g}) carry far less of the gradient under "
                 "focal loss (less than a fifth of cross-entropy's share)",
                 share_fl < share_ce / 5,
                 f"{100 * share_fl:.1f}% of Σ|dL/dz| from {n_easy_fl} easy examples vs "
                 f"{100 * share_ce:.1f}% from {n_easy_ce} under cross-entropy")
    report.check("over the whole run their share under focal loss is never above cross-entropy's, "
                 "and peaks at less than a tenth of cross-entropy's peak",
                 np.all(fl["easy share"] <= ce["easy share"])
                 and fl["easy share"].max() < ce["easy share"].max() / 10,
                 f"peak {100 * fl['easy share'].max():.1f}% vs {100 * ce['easy share'].max():.1f}%")
    early = EARLY_STEP - 1
    report.check(f"after {EARLY_STEP} steps, focal loss's minority recall is at least twice cross-entropy's",
                 fl["recall"][early] >= 2 * ce["recall"][early],
                 f"held-out recall {fl['recall'][early]:.2f} vs {ce['recall'][early]:.2f}")
    report.check(f"after {steps} steps both rank alike: average precision within 0.01",
                 abs(results["focal"]["AP"] - results["cross-entropy"]["AP"]) < 0.01,
                 "held-out AP " + ", ".join(
                     f"{kind} {r['AP']:.3f} (recall {r['recall']:.2f}, precision {r['precision']:.2f} "
                     f"at p > 0.5)" for kind, r in results.items()))


# %% Run every part.
def main(quick=False):
    report = Report("05_focal")
    part_focal_curves(report, quick)
    part_average_precision(report, quick)
    part_imbalanced(report, quick)
    return report


# %% Try it
# 1. Set GAMMA = 5. Predict first: does the rare class show up even sooner, or does the
#    model now learn too little from the examples it half gets right?
# 2. Train focal with alpha=0.25 (RetinaNet's setting: the positives get weight 0.25).
#    What happens to minority recall at p > 0.5, and to average precision?
# 3. Set EASY = 0.5 and rerun: how does cross-entropy's share of easy gradient change?
# 4. Make the classes overlap more (separation=1.0 in imbalanced). Does AP still agree?

if __name__ == "__main__":
    main()
