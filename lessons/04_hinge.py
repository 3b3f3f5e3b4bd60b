# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 — Hinge loss and the linear SVM
#
# A binary classifier with labels $y \in \{-1, +1\}$ and a score $f(x)$ is judged by one number,
# the **margin** $m = y\,f(x)$: positive when the point is on the right side of the line, large
# when it is far on the right side. Every loss of this lesson is a function of $m$:
#
# $$\text{hinge} = \max(0,\ 1 - m) \qquad \text{squared hinge} = \max(0,\ 1 - m)^2 \qquad
#   \text{logistic} = \log(1 + e^{-m})$$
#
# The lecture says the hinge is the loss of Support Vector Machines, that it **encourages margin
# maximisation**, **creates sparse solutions**, is **non-differentiable at the hinge point**, and
# that the **squared hinge is its smoothed variant**. Each of those is measured below — and, in part 6,
# CS231n's worked example of the multiclass hinge, and why its margin of 1 is no choice at all.
#
# Run the cells in order. Each figure appears under the cell that draws it, and each
# `claim(...)` prints **holds** or **FAILS** with the numbers that decide it.

# %%
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons.helpers import SEEDS, claim, derivatives, finish, fit, pick, rng, show, start

lesson = start("04_hinge")

# %% [markdown]
# ## 1. Four losses against the margin
#
# The 0-1 loss $[m \le 0]$ counts mistakes — what we would like to minimise — but its gradient
# is 0 everywhere except at the jump, so gradient descent gets no signal from it. The other three
# are stand-ins with a gradient. The hinge's gradient is $-1$ for every point with $m < 1$ and
# exactly $0$ beyond: a point that is right *by a margin of 1* stops pulling on the model. The
# logistic gradient $-\sigma(-m)$ only fades; it never reaches 0.
#
# With the label fixed to $y = +1$ a score equal to $m$ has margin exactly $m$, so we can hand
# the margin grid to the library's losses and let `backward` give $dL/dm$.

# %%
margin = np.linspace(-2.5, 2.5, 500)      # an even count: no grid point sits exactly on m = 0 or 1


def at_margin(loss, target):
    """Per-entry loss of scores m for the label `target` of y = +1, so the score is the margin."""
    return lambda m: loss(m, np.full(m.shape, target), reduction="none")


curves = {"hinge": at_margin(losses.hinge, 1.0),
          "squared hinge": at_margin(losses.squared_hinge, 1.0),
          # BCE from logits with the {0, 1} label 1 of y = +1 is log(1 + e^−m)
          "logistic": at_margin(losses.binary_cross_entropy_with_logits, 1.0)}
formulas = {"hinge": "max(0, 1 − m)", "squared hinge": "max(0, 1 − m)²", "logistic": "log(1 + $e^{-m}$)"}
derived = {label: derivatives(f, margin) for label, f in curves.items()}
zero_one = (margin <= 0).astype(float)    # a count, not a minigrad loss: it has no gradient

# %%
fig, (ax_loss, ax_grad) = plt.subplots(1, 2, figsize=(12, 4.5))
ax_loss.plot(margin, zero_one, color="black", lw=2, label="0-1  [m ≤ 0]")
ax_grad.plot(margin, np.zeros_like(margin), color="black", lw=2, label="0-1: 0 (no signal)")
for label, (value, slope, _) in derived.items():
    ax_loss.plot(margin, value, lw=2, label=f"{label}  {formulas[label]}")
    ax_grad.plot(margin, slope, lw=2, label=label)
for ax in (ax_loss, ax_grad):
    ax.axvline(1.0, color="0.4", ls=":", lw=1, label="m = 1, the hinge point")
    ax.set_xlabel("margin m = y·f(x)   (m < 0: misclassified)")
ax_loss.set_ylim(-0.2, 5)
ax_loss.set_ylabel("loss")
ax_loss.set_title("The hinge is exactly 0 for m ≥ 1; logistic never is")
ax_loss.legend(loc="upper right")
ax_grad.set_ylim(-7.5, 0.9)
ax_grad.set_ylabel("gradient dL/dm (backward)")
ax_grad.set_title("Beyond m = 1 the hinge gradient is 0: those points stop pulling")
ax_grad.legend(loc="lower right")
fig.tight_layout()
show(fig, "margin_losses")

# %% [markdown]
# Two claims from those curves. The hinge lies on or above the 0-1 loss, so driving it down
# drives the error count down (a convex upper bound); the logistic loss in nats does not ($\log 2
# < 1$ at $m = 0$). And past $m = 1$ the hinge's pull is exactly zero, the logistic one is not.

# %%
hinge_value, hinge_slope, _ = derived["hinge"]
logistic_value, logistic_slope, _ = derived["logistic"]
below = np.sum(hinge_value < zero_one)
logistic_below = np.sum(logistic_value < zero_one)
claim("hinge_bounds_zero_one", "the hinge lies on or above the 0-1 loss everywhere; the logistic loss (in nats) dips below it",
      below == 0 and logistic_below > 0,
      f"grid points below the 0-1 loss: hinge {below}, logistic {logistic_below} of {len(margin)}")
beyond = margin > 1
claim("hinge_stops_pulling", "past m = 1 the hinge gradient is exactly 0, the logistic one never is",
      np.all(hinge_slope[beyond] == 0) and np.all(logistic_slope[beyond] != 0),
      f"{beyond.sum()} grid points with m > 1: hinge max |dL/dm| {np.abs(hinge_slope[beyond]).max():g}, "
      f"logistic min |dL/dm| {np.abs(logistic_slope[beyond]).min():.4f}")

# %% [markdown]
# ## 2. The kink at the hinge point, and the squared hinge that smooths it
#
# "Non-differentiable at the hinge point" is a statement about the two one-sided slopes at
# $m = 1$: a function is differentiable there only if they agree. We ask `backward` for the
# gradient just left ($m = 1 - \varepsilon$) and just right ($m = 1 + \varepsilon$) of the
# hinge point, and shrink $\varepsilon$:
#
# - hinge: $-1$ on the left, $0$ on the right, however small $\varepsilon$ — a jump of 1 that
#   never closes (minigrad returns $0$ exactly *at* $m = 1$, the convention relu'(0) = 0);
# - squared hinge: $dL/dm = -2(1 - m)$ on the left is $-2\varepsilon$, so the jump $2\varepsilon$
#   closes as $\varepsilon \to 0$: its gradient is continuous. Its curvature (second-order
#   backward) is 2 on $m < 1$, where the hinge's is 0: the hinge does all its bending in the kink.

# %%
EPSILONS = 10.0 ** -np.arange(1, 7)      # 0.1 … 1e-6


def gradient_at(loss, m):
    """dL/dm from backward at each margin in m (label y = +1)."""
    m = mg.Tensor(np.asarray(m, dtype=float), requires_grad=True)
    (grad,) = mg.grad(curves[loss](m).sum(), [m])
    return grad.data


jumps = {}
for loss in ("hinge", "squared hinge"):
    left, right = gradient_at(loss, 1 - EPSILONS), gradient_at(loss, 1 + EPSILONS)
    jumps[loss] = np.abs(right - left)
at_kink = {loss: gradient_at(loss, [1.0])[0] for loss in jumps}
curvature = {loss: derived[loss][2] for loss in jumps}

# %%
fig, (ax_zoom, ax_jump) = plt.subplots(1, 2, figsize=(12, 4.3))
near = (margin > 0) & (margin < 2)
styles = {"hinge": dict(color="tab:blue"), "squared hinge": dict(color="tab:orange")}
sizes = {"hinge": 110, "squared hinge": 45}     # the big hinge marker stays visible under the small one
for loss in jumps:
    for side in (margin < 1, margin > 1):          # drawn apart, so no line bridges the kink
        ax_zoom.plot(margin[near & side], derived[loss][1][near & side], lw=2,
                     label=f"{loss}: dL/dm" if side[0] else None, **styles[loss])
    eps = EPSILONS[0]
    ax_zoom.scatter([1 - eps, 1 + eps], gradient_at(loss, [1 - eps, 1 + eps]), s=sizes[loss], zorder=3,
                    edgecolors="k", **styles[loss])
    ax_jump.loglog(EPSILONS, jumps[loss], marker="o", lw=2, label=loss, **styles[loss])
ax_zoom.scatter([], [], s=60, color="white", edgecolors="k", label=f"backward at m = 1 ± {EPSILONS[0]:g}")
ax_zoom.axvline(1.0, color="0.4", ls=":", lw=1, label="hinge point m = 1")
ax_zoom.set_xlabel("margin m")
ax_zoom.set_ylabel("gradient dL/dm (backward)")
ax_zoom.set_ylim(-2.3, 0.4)
ax_zoom.set_title("Near m = 1: the hinge's gradient jumps, the squared hinge's runs into 0")
ax_zoom.legend(loc="lower right")
ax_jump.loglog(EPSILONS, 2 * EPSILONS, color="black", ls="--", lw=1, label="closed form 2ε")
ax_jump.set_xlabel("ε (distance from the hinge point)")
ax_jump.set_ylabel("|dL/dm(1 + ε) − dL/dm(1 − ε)|")
ax_jump.set_title("The hinge's jump stays 1; the squared hinge's shrinks like 2ε")
ax_jump.legend(loc="lower right")
fig.tight_layout()
show(fig, "kink")

# %%
claim("hinge_not_differentiable", "the hinge's left and right gradients at m = 1 differ by 1 however close to the kink",
      np.all(np.abs(jumps["hinge"] - 1) < 1e-12),
      ", ".join(f"ε={e:.0e}: jump {j:g}" for e, j in zip(EPSILONS, jumps["hinge"]))
      + f"; backward exactly at m = 1 gives {at_kink['hinge'] + 0.0:g}")
squared_ratio = jumps["squared hinge"] / EPSILONS
claim("squared_hinge_smooth",
      "the squared hinge's gradient jump closes as 2ε, and its curvature on m < 1 is 2 where the hinge's is 0",
      np.allclose(squared_ratio, 2, rtol=1e-6) and np.allclose(curvature["squared hinge"][margin < 1], 2)
      and np.all(curvature["hinge"] == 0),
      ", ".join(f"ε={e:.0e}: jump {j:.1e}" for e, j in zip(EPSILONS, jumps["squared hinge"]))
      + f"; curvature on m < 1: squared hinge {curvature['squared hinge'][margin < 1].min():g}, "
        f"hinge {curvature['hinge'].max():g}")

# %% [markdown]
# ## 3. A linear SVM and a logistic regression: who still pulls?
#
# Both models are $f(x) = w\cdot x + b$ with the same L2 penalty; only the data term differs:
#
# $$\min_{w, b}\ \sum_i L\big(y_i f(x_i)\big) + \lambda \lVert w\rVert^2, \qquad
#   L = \text{hinge (the linear SVM) or logistic.}$$
#
# (This is the textbook $\tfrac12\lVert w\rVert^2 + C\sum_i \xi_i$ with $C = 1/(2\lambda)$.) After
# training we ask `backward` for each point's $dL/df(x_i)$. Under the hinge only the points with
# $m < 1$ — on or inside the margin lines $f = \pm 1$ — have a nonzero gradient: the **support
# vectors**. That is the lecture's "sparse solution". Under the logistic loss every point keeps
# a (small) gradient.
#
# We train one model per data seed in `SEEDS`, all at once: the weights of every model sit in one
# tensor, and because Adam updates every coordinate on its own, that is exactly the same as
# training them one after another (only faster). Two choices make the SVM converge: a subgradient
# method needs a shrinking step to settle on the hinge's kinks, so the learning rate decays to 0;
# and Adam keeps only a short memory of the gradient's scale ($\beta_2 = 0.9$): once every point
# is past its margin, the only pull left is the small $2\lambda w$, and a long memory of the
# earlier, large hinge gradients would shrink its steps to nothing.

# %%
LAMBDA = 1.0          # Try it 1: 10.0
STEPS = pick(400, 300)


def svm_data(seed, n_per_class=60, separation=1.5, std=0.8, corridor=0.0):
    """Two Gaussian clouds centred at ±separation·u, u = (1, 0.6)/‖(1, 0.6)‖: X (2n, 2), y (2n,) in {−1, +1}.
    corridor > 0 keeps only points at least corridor/2 from the line u·x = 0 on their own side:
    separable data with an empty corridor at least that wide between the classes.
    """
    u = np.array([1.0, 0.6]) / np.hypot(1.0, 0.6)
    points = rng(seed).standard_normal((2, 8 * n_per_class, 2)) * std
    X, y = [], []
    for label, cloud in zip((-1.0, 1.0), points):
        cloud = cloud + label * separation * u
        cloud = cloud[label * (cloud @ u) >= corridor / 2][:n_per_class]
        X.append(cloud)
        y.append(np.full(len(cloud), label))
    return np.concatenate(X), np.concatenate(y)


def train_linear(X, y, lams, kind, steps, weight=None, lr=0.3, margin=1.0):
    """Minimise Σᵢ weightᵢ·L(yᵢ f(xᵢ)) + λ‖w‖² for every data set and every λ at once.
    X (S, n, 2), y (S, n): S data sets; lams (K,): K penalties. Returns w (S, K, 2), b (S, K).
    weight (S, n) of 0/1 drops points (a dropped point is one that never pulls).
    kind: "hinge", "logistic", or "margin hinge" — max(0, margin − y·f) (part 6).
    """
    S, n, _ = X.shape
    lams = np.asarray(lams, dtype=float)
    w = mg.Tensor(np.zeros((S, 2, len(lams))), requires_grad=True)
    b = mg.Tensor(np.zeros((S, 1, len(lams))), requires_grad=True)
    features = mg.Tensor(X)
    labels = np.repeat(y[:, :, None], len(lams), axis=2)
    weight = np.ones((S, n, 1)) if weight is None else weight[:, :, None]
    opt = mg.optim.Adam([w, b], lr=lr, betas=(0.9, 0.9))
    def objective():
        scores = features @ w + b                                   # (S, n, K)
        if kind == "hinge":
            data = losses.hinge(scores, labels, reduction="none")
        elif kind == "margin hinge":
            data = margin_hinge(scores, labels, margin)
        else:                                                       # BCE on the {0, 1} label (y + 1)/2
            data = losses.binary_cross_entropy_with_logits(scores, (labels + 1) / 2, reduction="none")
        return (weight * data).sum() + (lams * w**2).sum()         # λ_k‖w_k‖² for every model
    def decay(step):
        opt.lr = lr * (1 - (step + 1) / steps) ** 2
    fit([w, b], objective, steps, optimizer=opt, on_step=decay)
    return np.moveaxis(w.data, 2, 1), b.data[:, 0, :]


def margin_hinge(scores, labels, margin):
    """max(0, margin − y·f) per entry, as CS231n's multiclass hinge with two classes scored (−f/2, +f/2):
    the true class's score minus the other's is y·f, so the one term of the sum is max(0, margin − y·f)."""
    two_classes = scores.reshape(-1, 1) * np.array([-0.5, 0.5])
    target = (np.asarray(labels).reshape(-1) > 0).astype(int)
    return losses.multiclass_hinge(two_classes, target, margin=margin, reduction="none").reshape(scores.shape)


def per_sample_gradient(X, y, w, b, kind):
    """dL/df(xᵢ) at the end of training, for every sample of one data set: how hard each point still pulls."""
    scores = mg.Tensor(X @ w + b, requires_grad=True)
    if kind == "hinge":
        data = losses.hinge(scores, y, reduction="sum")
    else:
        data = losses.binary_cross_entropy_with_logits(scores, (y + 1) / 2, reduction="sum")
    (grad,) = mg.grad(data, [scores])
    return grad.data


sets = [svm_data(seed) for seed in SEEDS]
Xs, ys = np.stack([X for X, _ in sets]), np.stack([y for _, y in sets])
models = {kind: train_linear(Xs, ys, [LAMBDA], kind, STEPS) for kind in ("hinge", "logistic")}
# one (w, b) per seed and kind
fitted = {kind: [(w[s, 0], b[s, 0]) for s in range(len(SEEDS))] for kind, (w, b) in models.items()}
grads = {kind: [per_sample_gradient(Xs[s], ys[s], *fitted[kind][s], kind) for s in range(len(SEEDS))]
         for kind in fitted}
pulling = {kind: np.array([np.mean(g != 0) for g in grads[kind]]) for kind in grads}

# %%
X, y = Xs[0], ys[0]
w, b = fitted["hinge"][0]
hinge_margin = y * (X @ w + b)
x1 = np.array([X[:, 0].min() - 0.5, X[:, 0].max() + 0.5])


def draw_line(ax, w, b, level, **style):
    """The line w·x + b = level across the x₁ range."""
    ax.plot(x1, (level - b - w[0] * x1) / w[1], **style)


def scatter_classes(ax, X, y, **style):
    ax.scatter(*X[y < 0].T, s=18, color="tab:blue", label="y = −1", **style)
    ax.scatter(*X[y > 0].T, s=18, color="tab:orange", label="y = +1", **style)


fig, (ax, ax_grad) = plt.subplots(1, 2, figsize=(13, 5.2), gridspec_kw={"width_ratios": [1.1, 1]})
scatter_classes(ax, X, y)
support = grads["hinge"][0] != 0
ax.scatter(*X[support].T, s=110, facecolors="none", edgecolors="crimson", lw=1.5,
           label=f"support vectors: dL/df ≠ 0 ({support.sum()} of {len(y)})")
draw_line(ax, w, b, 0, color="black", lw=2, label="SVM decision line f = 0")
draw_line(ax, w, b, 1, color="black", lw=1, ls="--", label="SVM margin lines f = ±1")
draw_line(ax, w, b, -1, color="black", lw=1, ls="--")
draw_line(ax, *fitted["logistic"][0], 0, color="tab:green", lw=2, ls=":", label="logistic decision line")
ax.set_xlim(x1)
ax.set_ylim(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5)
ax.set_xlabel("x₁")
ax.set_ylabel("x₂")
ax.set_title(f"Linear SVM (hinge + λ‖w‖², λ = {LAMBDA:g}): only the ringed points pull")
ax.legend(loc="upper left", bbox_to_anchor=(0, -0.13), ncol=2, fontsize=8)

logistic_margin = y * (X @ fitted["logistic"][0][0] + fitted["logistic"][0][1])
ax_grad.scatter(hinge_margin, np.abs(grads["hinge"][0]), s=22, color="crimson",
                label=f"hinge (SVM): {support.sum()} of {len(y)} non-zero")
ax_grad.scatter(logistic_margin, np.abs(grads["logistic"][0]), s=22, color="tab:green", marker="s", alpha=0.7,
                label=f"logistic: {np.sum(grads['logistic'][0] != 0)} of {len(y)} non-zero")
ax_grad.axvline(1.0, color="0.4", ls=":", lw=1, label="m = 1")
ax_grad.set_xlabel("margin m = y·f(x) of each training point (under its own model)")
ax_grad.set_ylabel("|dL/df(x)| at the end of training")
ax_grad.set_title("Past m = 1 the hinge gradient is exactly 0; the logistic one only fades")
ax_grad.legend(loc="upper left", bbox_to_anchor=(0, -0.13), ncol=2, fontsize=8)
fig.tight_layout()
show(fig, "svm")

# %%
claim("svm_is_sparse",
      "after training, fewer than half the points carry gradient under the hinge; under the logistic loss every point does",
      np.all(pulling["hinge"] < 0.5) and np.all(pulling["logistic"] == 1),
      "; ".join(f"seed {s}: hinge {100 * pulling['hinge'][i]:.0f}%, logistic {100 * pulling['logistic'][i]:.0f}%"
                for i, s in enumerate(SEEDS)))

# %% [markdown]
# ## 4. Only the support vectors matter
#
# A point with zero gradient at the optimum does not pull on it, so removing it cannot move the
# optimum: the SVM is determined by its support vectors alone. We keep the points with margin
# $m <$ `KEEP_BELOW` (a little above 1, so the points sitting on the margin lines stay: a few hundred
# subgradient steps leave a support vector's margin within a few percent of 1, at 1.01 or 1.03), drop
# the rest, and train both models again. Logistic regression has no points that stop pulling: on the
# same subset its $(w, b)$ changes a lot.

# %%
KEEP_BELOW = 1.05     # Try it 2: 0.5
keep = np.stack([ys[s] * (Xs[s] @ w_ + b_) < KEEP_BELOW for s, (w_, b_) in enumerate(fitted["hinge"])])
retrained = {kind: train_linear(Xs, ys, [LAMBDA], kind, STEPS, weight=keep.astype(float)) for kind in fitted}


def relative_change(before, after):
    """‖(w, b)_after − (w, b)_before‖ / ‖(w, b)_before‖."""
    before, after = np.r_[before[0], before[1]], np.r_[after[0], after[1]]
    return np.linalg.norm(after - before) / np.linalg.norm(before)


refitted = {kind: [(w[s, 0], b[s, 0]) for s in range(len(SEEDS))] for kind, (w, b) in retrained.items()}
change = {kind: np.array([relative_change(fitted[kind][s], refitted[kind][s]) for s in range(len(SEEDS))])
          for kind in fitted}

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 5.3), sharex=True, sharey=True)
names = {"hinge": "SVM (hinge)", "logistic": "logistic regression"}
for ax, kind in zip(axes, ("hinge", "logistic")):
    ax.scatter(*X[~keep[0]].T, s=18, color="0.75", label=f"dropped ({(~keep[0]).sum()} points)")
    scatter_classes(ax, X[keep[0]], y[keep[0]])
    for level in (-1, 0, 1):     # the decision line f = 0 and the lines f = ±1
        draw_line(ax, *fitted[kind][0], level, color="black", lw=3, alpha=0.4,
                  label=f"f = 0, ±1 trained on all {len(y)}" if level == 0 else None)
        draw_line(ax, *refitted[kind][0], level, color="crimson", lw=1.5, ls="--",
                  label=f"f = 0, ±1 trained on the {keep[0].sum()} kept" if level == 0 else None)
    ax.set_title(f"{names[kind]}: (w, b) changes by {100 * change[kind][0]:.2g}%")
    ax.set_xlabel("x₁")
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.13), ncol=2, fontsize=8)
axes[0].set_ylabel("x₂")
axes[0].set_xlim(x1)
axes[0].set_ylim(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5)
fig.suptitle(f"Keep only the points with m < {KEEP_BELOW:g}: the SVM does not move; "
             "logistic regression's lines f = ±1 spread apart")
fig.tight_layout()
show(fig, "support_vectors")

# %%
# how far a refit may move and still count as "the same": the optimiser's precision, worse in quick mode's fewer steps
UNMOVED = pick(0.01, 0.05)
claim("svm_needs_only_support_vectors",
      f"trained on the points with m < {KEEP_BELOW:g} alone, the SVM moves by under {UNMOVED:.0%}, "
      "logistic regression by over 10%",
      np.all(change["hinge"] < UNMOVED) and np.all(change["logistic"] > 0.1),
      "; ".join(f"seed {s}: {keep[i].sum()} kept, SVM {100 * change['hinge'][i]:.2f}%, "
                f"logistic {100 * change['logistic'][i]:.0f}%" for i, s in enumerate(SEEDS)))

# %% [markdown]
# ## 5. Margin maximisation: the width $2/\lVert w\rVert$ against $\lambda$
#
# The lines $f = \pm 1$ lie $2/\lVert w\rVert$ apart: that is the SVM's **margin width**. The
# hinge asks every point to reach $m \ge 1$, the penalty $\lambda\lVert w\rVert^2$ asks for a small
# $\lVert w\rVert$, i.e. a wide margin. On data that a line can separate, with a small $\lambda$, the
# SVM finds the *widest empty corridor* between the classes — the maximum-margin line. We check
# that against brute force: for thousands of directions, how wide a gap the classes leave.
# Logistic regression, trained with the same $\lambda$, also separates the data, but nothing asks
# it to centre its line in the widest gap.
#
# A larger $\lambda$ makes $\lVert w\rVert$ cost more than a few points inside the margin: the
# margin widens past the empty corridor (a *soft* margin), and more points become support vectors.

# %%
LAMBDAS = (0.1, 0.3, 1.0, 3.0, 10.0)     # Try it 3: (0.03, 0.1)
CORRIDOR = 1.0
corridor_sets = [svm_data(seed, separation=1.5, corridor=CORRIDOR) for seed in SEEDS]
Xc, yc = np.stack([X for X, _ in corridor_sets]), np.stack([y for _, y in corridor_sets])
sweep = {kind: train_linear(Xc, yc, LAMBDAS, kind, STEPS) for kind in ("hinge", "logistic")}
width = 2 / np.linalg.norm(sweep["hinge"][0], axis=-1)              # (S, K)


def widest_gap(X, y, directions=20000):
    """The widest empty band any line leaves between the classes (brute force over directions)."""
    angle = np.linspace(0, 2 * np.pi, directions, endpoint=False)
    projection = X @ np.stack([np.cos(angle), np.sin(angle)])       # (n, directions)
    return np.max(projection[y > 0].min(0) - projection[y < 0].max(0))


def empty_band(X, y, w, b):
    """Width of the empty band around the line w·x + b = 0: twice the distance to the nearest point."""
    return 2 * np.min(y * (X @ w + b)) / np.linalg.norm(w)


gap = np.array([widest_gap(Xc[s], yc[s]) for s in range(len(SEEDS))])
band = {kind: np.array([[empty_band(Xc[s], yc[s], w[s, k], b[s, k]) for k in range(len(LAMBDAS))]
                        for s in range(len(SEEDS))]) for kind, (w, b) in sweep.items()}
# inside the margin: m < 0.999, so the points sitting on the lines f = ±1 (m = 1 up to rounding) are not counted
inside = np.array([[np.sum(yc[s] * (Xc[s] @ sweep["hinge"][0][s, k] + sweep["hinge"][1][s, k]) < 0.999)
                    for k in range(len(LAMBDAS))] for s in range(len(SEEDS))])

# %%
logistic_width = 2 / np.linalg.norm(sweep["logistic"][0], axis=-1)                  # (S, K)
fig, (ax, ax_width, ax_inside) = plt.subplots(1, 3, figsize=(16, 5.3), gridspec_kw={"width_ratios": [1.2, 1, 1]})
X, y = Xc[0], yc[0]
x1 = np.array([X[:, 0].min() - 0.5, X[:, 0].max() + 0.5])
scatter_classes(ax, X, y)
for k, color, shade in ((0, "black", "0.6"), (len(LAMBDAS) - 1, "tab:purple", "tab:purple")):
    w_, b_ = sweep["hinge"][0][0, k], sweep["hinge"][1][0, k]
    lower, upper = (-1 - b_ - w_[0] * x1) / w_[1], (1 - b_ - w_[0] * x1) / w_[1]
    ax.fill_between(x1, lower, upper, color=shade, alpha=0.18,
                    label=f"SVM λ = {LAMBDAS[k]:g}: between f = ±1, width {width[0, k]:.2f}")
    draw_line(ax, w_, b_, 1, color=color, lw=1, ls="--")
    draw_line(ax, w_, b_, -1, color=color, lw=1, ls="--")
w_, b_ = sweep["hinge"][0][0, 0], sweep["hinge"][1][0, 0]
draw_line(ax, w_, b_, 0, color="black", lw=2, label=f"SVM λ = {LAMBDAS[0]:g}: f = 0 (λ = {LAMBDAS[-1]:g}'s is near it)")
ax.set_xlim(x1)
ax.set_ylim(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5)
ax.set_xlabel("x₁")
ax.set_ylabel("x₂")
ax.set_title(f"Small λ: the band f = ±1 touches both classes; large λ: it takes points in (seed {SEEDS[0]})", fontsize=10)
ax.legend(loc="upper left", bbox_to_anchor=(0, -0.13), ncol=1, fontsize=8)

for s in range(len(SEEDS)):
    ax_width.plot(LAMBDAS, width[s] / gap[s], marker="o", ms=3, lw=1.5, color="black", alpha=0.6,
                  label="SVM (hinge): 2/‖w‖, one line per seed" if s == 0 else None)
    ax_width.plot(LAMBDAS, logistic_width[s] / gap[s], marker="s", ms=3, lw=1.5, ls=":", color="tab:green", alpha=0.8,
                  label="logistic: 2/‖w‖ of its lines f = ±1" if s == 0 else None)
    ax_inside.plot(LAMBDAS, inside[s], marker="o", ms=3, lw=1, color="black", alpha=0.35,
                   label="one seed" if s == 0 else None)
ax_inside.plot(LAMBDAS, inside.mean(0), lw=3, color="tab:purple", label=f"mean over {len(SEEDS)} seeds")
ax_width.axhline(1.0, color="crimson", lw=1, label="the widest empty gap any line leaves")
ax_width.set_xscale("log")
ax_width.set_xlabel("λ (penalty λ‖w‖²)")
ax_width.set_ylabel("margin width 2/‖w‖ ÷ the widest empty gap")
ax_width.set_title("The hinge's margin starts at the widest gap, then widens", fontsize=10)
ax_width.legend(loc="upper left", bbox_to_anchor=(0, -0.13), fontsize=8)
ax_inside.set_xscale("log")
ax_inside.set_xlabel("λ (penalty λ‖w‖²)")
ax_inside.set_ylabel("training points strictly inside the margin (m < 1)")
ax_inside.set_title("The price of a wider margin: points inside it", fontsize=10)
ax_inside.legend(loc="upper left", bbox_to_anchor=(0, -0.13), fontsize=8)
fig.tight_layout()
show(fig, "margin_width")

# %%
small = 0
claim("hinge_finds_widest_gap",
      f"at λ = {LAMBDAS[small]:g} the SVM's margin 2/‖w‖ equals the widest gap any line leaves between the classes (within 1%)",
      np.all(np.abs(width[:, small] / gap - 1) < 0.01),
      "; ".join(f"seed {seed}: 2/‖w‖ {width[s, small]:.3f} vs widest {gap[s]:.3f} (logistic's line leaves "
                f"{band['logistic'][s, small]:.3f})" for s, seed in enumerate(SEEDS)))
growth = width[:, -1] / width[:, 0]
claim("margin_widens_with_lambda",
      f"the SVM's margin 2/‖w‖ starts at the widest empty gap at λ = {LAMBDAS[0]:g} (within 1%), never narrows as λ "
      f"grows to {LAMBDAS[-1]:g}, and ends at least 1.5× wider",
      np.all(np.abs(width[:, 0] / gap - 1) < 0.01) and np.all(np.diff(width, axis=1) > -1e-3) and np.all(growth >= 1.5),
      "; ".join(f"seed {seed}: widest gap {gap[s]:.2f}, 2/‖w‖ " + " → ".join(f"{v:.2f}" for v in width[s])
                + f" ({inside[s, 0]} → {inside[s, -1]} points inside)" for s, seed in enumerate(SEEDS)))

# %% [markdown]
# ## 6. Many classes, and why the margin is 1 (CS231n)
#
# The **multiclass hinge** of the Weston–Watkins SVM, as Stanford's CS231n teaches it, asks the true class's
# score $s_y$ to beat every other score by a margin Δ: $L = \sum_{j \ne y} \max(0,\ s_j - s_y + \Delta)$.
# CS231n's notes work one example by hand: scores $[-2.85,\ 0.86,\ 0.28]$, the third class the true one.
# The hinge charges class 2 nothing ($-2.85$ is far below $0.28 - 1$) and class 1 its excess
# $0.86 - 0.28 + 1 = 1.58$. Cross-entropy reads the same scores as log-probabilities:
# $-\log\frac{e^{0.28}}{e^{-2.85} + e^{0.86} + e^{0.28}} = 1.04$. The two numbers are on different scales and
# cannot be compared with each other — only with the same loss on other scores.

# %%
WORKED_SCORES = np.array([[-2.85, 0.86, 0.28]])
WORKED_TARGET = 2         # the third class is the true one
worked_hinge = losses.multiclass_hinge(WORKED_SCORES, np.array([WORKED_TARGET]), margin=1.0).item()
worked_ce = losses.cross_entropy(WORKED_SCORES, np.array([WORKED_TARGET])).item()
scores_ = WORKED_SCORES[0]
excess = np.maximum(0, scores_ - scores_[WORKED_TARGET] + 1.0)
excess[WORKED_TARGET] = 0                                          # the sum runs over j ≠ y
by_hand = {"hinge": excess.sum(), "cross-entropy": -(scores_[WORKED_TARGET] - np.log(np.exp(scores_).sum()))}
softmax_ = np.exp(scores_) / np.exp(scores_).sum()

# %%
fig, (ax, ax_p) = plt.subplots(1, 2, figsize=(12, 4.3))
classes = np.arange(len(scores_))
colors_ = ["tab:blue" if j == WORKED_TARGET else "0.6" for j in classes]
ax.bar(classes, scores_, color=colors_, width=0.6)
ax.axhline(scores_[WORKED_TARGET] - 1.0, color="crimson", ls="--", lw=1.5, label="s_y − Δ: any score above it is charged")
for j in classes:
    ax.text(j, scores_[j] + (0.12 if scores_[j] >= 0 else -0.3), f"s = {scores_[j]:g}", ha="center", fontsize=9)
    if j != WORKED_TARGET and excess[j] > 0:
        ax.annotate("", xy=(j + 0.38, scores_[j]), xytext=(j + 0.38, scores_[WORKED_TARGET] - 1.0),
                    arrowprops=dict(arrowstyle="<->", color="crimson"))
        ax.text(j + 0.45, (scores_[j] + scores_[WORKED_TARGET] - 1.0) / 2, f"{excess[j]:.2f}", color="crimson", fontsize=9)
ax.set_xticks(classes, [f"class {j}" + (" (true)" if j == WORKED_TARGET else "") for j in classes])
ax.set_ylabel("score s_j")
ax.set_ylim(-3.4, 1.6)
ax.set_title(f"Multiclass hinge (Δ = 1): only class 1 is charged — loss {worked_hinge:.2f}", fontsize=10)
ax.legend(loc="lower right", fontsize=8)
ax_p.bar(classes, softmax_, color=colors_, width=0.6)
for j in classes:
    ax_p.text(j, softmax_[j] + 0.02, f"p = {softmax_[j]:.3f}", ha="center", fontsize=9)
ax_p.set_xticks(classes, [f"class {j}" + (" (true)" if j == WORKED_TARGET else "") for j in classes])
ax_p.set_ylim(0, 0.8)
ax_p.set_ylabel("softmax probability")
ax_p.set_title(f"Cross-entropy: −log p_y = −log {softmax_[WORKED_TARGET]:.3f} = {worked_ce:.2f}", fontsize=10)
fig.suptitle("CS231n's worked scores [−2.85, 0.86, 0.28], true class 2: the same scores, two losses on two scales")
fig.tight_layout()
show(fig, "cs231n_scores")

# %%
claim("cs231n_worked_scores",
      "on CS231n's scores [−2.85, 0.86, 0.28] with the third class true, losses.multiclass_hinge gives 1.58 and "
      "losses.cross_entropy 1.04, as the notes work them out",
      abs(worked_hinge - by_hand["hinge"]) < 1e-12 and abs(worked_ce - by_hand["cross-entropy"]) < 1e-12
      and round(worked_hinge, 2) == 1.58 and round(worked_ce, 2) == 1.04,
      f"multiclass_hinge {worked_hinge:.6f} (by hand {by_hand['hinge']:.6f}); cross_entropy {worked_ce:.6f} "
      f"(by hand {by_hand['cross-entropy']:.6f}); the notes print 1.58 and 1.04")

# %% [markdown]
# Why Δ = 1 and not some other number? CS231n: Δ and λ "control the same tradeoff". Write the margin-Δ SVM
# with $w = \Delta u$, $b = \Delta c$:
#
# $$\sum_i \max(0,\ \Delta - y_i(w\cdot x_i + b)) + \lambda\lVert w\rVert^2
#   = \Delta\Big[\sum_i \max(0,\ 1 - y_i(u\cdot x_i + c)) + \lambda\Delta\,\lVert u\rVert^2\Big].$$
#
# The bracket is the margin-1 SVM with penalty $\lambda\Delta$: so margin Δ with λ finds the same line as margin 1
# with $\lambda\Delta$, its $w$ exactly Δ times larger. Any Δ can be traded for a λ, and λ is tuned anyway: fixing
# Δ = 1 loses nothing. We train both on part 3's overlapping clouds (a soft margin, where λ matters), with
# the two-class case of `losses.multiclass_hinge` and its `margin`, and compare. The third model keeps λ
# unchanged with margin 1, to show that the rescaling is needed.

# %%
DELTA = 3.0
RESCALE_POWER = 1          # margin 1 gets the penalty λ·Δ^RESCALE_POWER
with_delta = train_linear(Xs, ys, [LAMBDA], "margin hinge", STEPS, margin=DELTA)
with_one = train_linear(Xs, ys, [LAMBDA * DELTA**RESCALE_POWER, LAMBDA], "margin hinge", STEPS, margin=1.0)


def unit_line(w, b):
    """(w, b)/‖w‖: the decision line f = 0 alone, whatever the scale of f."""
    norm = np.linalg.norm(w, axis=-1)
    return w / norm[..., None], b / norm


line_delta, line_one, line_kept = (unit_line(w[:, k], b[:, k]) for w, b, k in
                                   ((*with_delta, 0), (*with_one, 0), (*with_one, 1)))
line_gap = np.array([np.linalg.norm(np.r_[line_delta[0][s] - line_one[0][s], line_delta[1][s] - line_one[1][s]])
                     for s in range(len(SEEDS))])
kept_gap = np.array([np.linalg.norm(np.r_[line_delta[0][s] - line_kept[0][s], line_delta[1][s] - line_kept[1][s]])
                     for s in range(len(SEEDS))])
scale = np.linalg.norm(with_delta[0][:, 0], axis=-1) / np.linalg.norm(with_one[0][:, 0], axis=-1)

# %%
fig, (ax, ax_scores) = plt.subplots(1, 2, figsize=(13, 5.2))
X, y = Xs[0], ys[0]
x1 = np.array([X[:, 0].min() - 0.5, X[:, 0].max() + 0.5])
scatter_classes(ax, X, y)
w_d, b_d = with_delta[0][0, 0], with_delta[1][0, 0]
w_1, b_1 = with_one[0][0, 0], with_one[1][0, 0]
w_k, b_k = with_one[0][0, 1], with_one[1][0, 1]
for level in (-1, 0, 1):
    draw_line(ax, w_d, b_d, level * DELTA, color="black", lw=4, alpha=0.35,
              label=f"margin Δ = {DELTA:g}, λ = {LAMBDA:g}: f = 0, ±Δ" if level == 0 else None)
    draw_line(ax, w_1, b_1, level, color="crimson", lw=1.5, ls="--",
              label=f"margin 1, λ = {LAMBDA * DELTA**RESCALE_POWER:g}: f = 0, ±1" if level == 0 else None)
    draw_line(ax, w_k, b_k, level, color="tab:green", lw=1, ls=":",
              label=f"margin 1, λ = {LAMBDA:g} (not rescaled): f = 0, ±1" if level == 0 else None)
ax.set_xlim(x1)
ax.set_ylim(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5)
ax.set_xlabel("x₁")
ax.set_ylabel("x₂")
ax.set_title(f"Margin {DELTA:g} with λ = {LAMBDA:g} and margin 1 with λ·Δ: the same lines (seed {SEEDS[0]})", fontsize=10)
ax.legend(loc="upper left", bbox_to_anchor=(0, -0.13), ncol=1, fontsize=8)
f_delta, f_one = X @ w_d + b_d, X @ w_1 + b_1
ax_scores.scatter(f_one, f_delta, s=14, color="crimson", label="one training point")
span = np.array([f_one.min(), f_one.max()])
ax_scores.plot(span, DELTA * span, color="black", lw=1, label=f"f_Δ = {DELTA:g}·f₁")
ax_scores.set_xlabel(f"score f₁(x) under margin 1, λ = {LAMBDA * DELTA**RESCALE_POWER:g}")
ax_scores.set_ylabel(f"score f_Δ(x) under margin {DELTA:g}, λ = {LAMBDA:g}")
ax_scores.set_title(f"Every score is {scale[0]:.3f}× the other: only the units of f change", fontsize=10)
ax_scores.legend(loc="upper left")
fig.tight_layout()
show(fig, "margin_scale")

# %%
claim("margin_one_costs_nothing",
      f"margin Δ = {DELTA:g} with λ = {LAMBDA:g} finds the same decision line as margin 1 with λ·Δ (unit normal and "
      "offset within 0.01), its w Δ times larger (within 1%)",
      np.all(line_gap < 0.01) and np.all(np.abs(scale / DELTA - 1) < 0.01),
      "; ".join(f"seed {seed}: lines differ by {line_gap[s]:.4f}, ‖w_Δ‖/‖w₁‖ = {scale[s]:.3f} "
                f"(margin 1 with λ unchanged: differs by {kept_gap[s]:.3f})" for s, seed in enumerate(SEEDS)))

# %%
finish()

# %% [markdown]
# ## Try it
#
# Predict before you run; then compare with [the answers](answers/04_hinge.md).
#
# 1. Set `LAMBDA = 10.0` in part 3 (a stronger penalty, a softer margin). Do the margin lines move
#    apart or together? Do more or fewer points carry gradient — is the solution still sparse?
# 2. Set `KEEP_BELOW = 0.5` in part 4: now you also drop support vectors sitting between m = 0.5
#    and the margin line. Does the SVM still come back unchanged?
# 3. Set `LAMBDAS = (0.03, 0.1)` in part 5. Both are small. Predict the two widths — and whether
#    "the margin widens with λ" still holds.


# %% [markdown]
# ## Write it yourself: the hinge loss
#
# With scores $f(x)$ and labels $y \in \{-1, +1\}$, one value per element:
#
# $$L = \max(0,\ 1 - y\,f(x)).$$
#
# Part 3 showed what the $\max$ is for: a point beyond the margin stops pulling. The grader checks
# that too. Replace the `raise`, then run the cell after it.

# %%
from lessons.exercises import grade  # noqa: E402  (the exercises' grader)


def hinge(scores, target):
    """Hinge loss of every element, scores f(x) and labels y in {-1, +1}:

        L = max(0, 1 - y·f(x))

    Return one value per element, as a minigrad Tensor (mg.relu or mg.maximum).
    """
    raise NotImplementedError("write hinge here")


# %%
report = grade("hinge", hinge)
