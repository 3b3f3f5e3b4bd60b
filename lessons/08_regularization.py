# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 08 — Regularisation: L1 zeroes weights, L2 shrinks them
#
# A regularisation term is added to the data loss and pulls the weights towards 0:
#
# $$\text{L1 (lasso)}:\ R = \lambda\sum_i |w_i| \qquad
#   \text{L2 (ridge, weight decay)}:\ R = \lambda\sum_i w_i^2 \qquad
#   \text{elastic net}:\ R = \lambda_1\sum_i |w_i| + \lambda_2\sum_i w_i^2$$
#
# How each one pulls decides what it does. L1 pulls with the same force $\lambda$ however
# small a weight already is, so weights land **exactly** on 0 and drop out of the model
# (feature selection). L2 pulls in proportion to the weight, $2\lambda w$, so weights shrink
# but never reach 0, and its gradient is smooth.
#
# You will see this as gradients, as coefficient paths, as the diamond and the circle, as
# Gaussian and Laplace priors, as weight decay in an optimizer, and in a penalty designed
# for one task. Every `claim(...)` prints **holds** or **FAILS** with the numbers behind it.

# %%
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons.helpers import SEEDS, claim, finish, pick, rng, show, start

lesson = start("08_regularization")

# %% [markdown]
# ## 1. A smooth penalty and one with a kink
#
# Each penalty is a sum over the weights, so its gradient with respect to one weight is that
# weight's own derivative: $2\lambda w$ for L2, $\lambda\,\mathrm{sign}(w)$ for L1. Below, both
# come from `backward` of `losses.l2_penalty`, `losses.l1_penalty` and `losses.elastic_net`.
#
# Notice at $w = 0$: L2's gradient passes smoothly through 0 — a weight near 0 feels almost
# no pull, so it is never pushed all the way. L1's gradient **jumps** from $-\lambda$ to
# $+\lambda$: however close to 0 a weight is, it is pulled with the full force $\lambda$.

# %%
LAMBDA = 1.0                        # the penalty strength of this part
L1_SHARE = 0.5                      # Try it 3: 1.0 — elastic net's share of L1 (the rest is L2)
w_grid = np.linspace(-2, 2, 400)    # an even count: no grid point sits exactly on 0


def penalty_and_gradient(penalty, w):
    """Per-weight value and gradient of a separable penalty(params) on the grid w (numpy)."""
    values = np.array([penalty([mg.Tensor(v)]).item() for v in w])
    wt = mg.Tensor(w, requires_grad=True)
    penalty([wt]).backward()            # a sum over weights: d/dw_i is weight i's own slope
    return values, wt.grad


penalties = {"L1: λ Σ|w|": lambda p: losses.l1_penalty(p, LAMBDA),
             "L2: λ Σw²": lambda p: losses.l2_penalty(p, LAMBDA),
             f"elastic net: {L1_SHARE:g}·L1 + {1 - L1_SHARE:g}·L2":
                 lambda p: losses.elastic_net(p, L1_SHARE * LAMBDA, (1 - L1_SHARE) * LAMBDA)}
curves = {label: penalty_and_gradient(f, w_grid) for label, f in penalties.items()}

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.3))
styles = [dict(lw=2.5), dict(lw=2.5), dict(lw=2, ls="--")]
for (label, (values, grads)), style in zip(curves.items(), styles):
    axes[0].plot(w_grid, values, label=label, **style)
    axes[1].plot(w_grid, grads, label=label, **style)
axes[0].set_ylabel("penalty of one weight")
axes[0].set_title(f"λ = {LAMBDA:g}: L1 is a V with a corner at 0, L2 a bowl")
axes[1].set_ylabel("dR/dw (backward)")
axes[1].set_title("L1's gradient jumps by 2λ at w = 0; L2's passes through 0")
for ax in axes:
    ax.set_xlabel("weight w")
    ax.axvline(0, color="black", lw=0.8)
axes[0].legend(loc="upper center")
axes[1].legend(loc="upper left")
fig.tight_layout()
show(fig, "smoothness")

# %% [markdown]
# The jump, measured: the gradient just left of 0 and just right of 0, from `backward`.
# Elastic net inherits a jump of $2\lambda_1$ from its L1 part — the corner that gives it zeros.

# %%
def gradient_at(penalty, w):
    wt = mg.Tensor(np.array(w), requires_grad=True)
    penalty([wt]).backward()
    return wt.grad


jumps = {}
for label, f in penalties.items():
    left, right = gradient_at(f, [-1e-9, 1e-9])
    jumps[label] = right - left
l1_label, l2_label, en_label = penalties
claim("l2_gradient_continuous", "L2's gradient is continuous at 0 while L1's jumps by 2λ",
      abs(jumps[l2_label]) < 1e-6 and abs(jumps[l1_label] - 2 * LAMBDA) < 1e-6,
      f"jump across w = 0 (±1e-9): L2 {jumps[l2_label]:.1e}, L1 {jumps[l1_label]:.3f}")
claim("elastic_net_jumps_by_its_l1_part", "elastic net's gradient jumps by 2λ₁, its L1 part only",
      abs(jumps[en_label] - 2 * L1_SHARE * LAMBDA) < 1e-6 and jumps[en_label] > 1e-6,
      f"jump {jumps[en_label]:.3f} vs 2λ₁ = {2 * L1_SHARE * LAMBDA:.3f}")

# %% [markdown]
# ## 2. Exact zeros: L1 against L2 on the same problem
#
# A linear regression with 8 standardised features: $x_0 \dots x_3$ carry signal, $x_1$ is
# correlated with $x_0$, $x_4$ with $x_2$ but carries no signal, $x_5 \dots x_7$ are noise.
# We minimise $\text{mse} + R(w)$ for a range of $\lambda$, strong to weak.
#
# *How* the L1 problem is solved matters. Plain gradient descent on $\text{mse} + \lambda\sum|w|$
# steps over 0 and back forever; it never lands on exactly 0.0. The **proximal step** (ISTA)
# takes a gradient step on the smooth part (mse, plus any L2 part: gradient from minigrad),
# then moves each weight towards 0 by $\eta$ times the L1 penalty's pull — the gradient of
# `losses.l1_penalty`, $\lambda\,\mathrm{sign}(w)$ — and **stops at 0** where that move would cross it.
# That is the soft threshold
#
# $$w \leftarrow S_{\eta\lambda}\big(w - \eta\nabla\text{mse}(w)\big),\qquad
#   S_\tau(v) = \mathrm{sign}(v)\max(|v| - \tau, 0),$$
#
# which sets every weight within $\eta\lambda$ of 0 to exactly 0.0. L2 is smooth, so the
# same loop without the L1 step is gradient descent on $\text{mse} + $ `losses.l2_penalty`, and
# reaches the ridge optimum; the paths below draw its closed form (part 5 checks they agree).

# %%
TRUE_W = np.array([2.0, 1.0, -1.5, 0.7, 0.0, 0.0, 0.0, 0.0])
FEATURES = ["x₀", "x₁ (≈ x₀)", "x₂", "x₃", "x₄ (≈ x₂, irrelevant)", "x₅ (irrelevant)",
            "x₆ (irrelevant)", "x₇ (irrelevant)"]


def correlated_regression(n=60, seed=0):
    """Standardised features: x₁ is 85% x₀, x₄ is 80% x₂ but carries no signal; x₅..x₇ are noise."""
    r = rng(seed)
    z = r.standard_normal((n, 8))
    X = z.copy()
    X[:, 1] = 0.85 * z[:, 0] + np.sqrt(1 - 0.85**2) * z[:, 1]
    X[:, 4] = 0.80 * z[:, 2] + np.sqrt(1 - 0.80**2) * z[:, 4]
    X = (X - X.mean(0)) / X.std(0)
    y = X @ TRUE_W + 0.5 * r.standard_normal(n)
    return X, y - y.mean()


def mse_gradient(X, y, w):
    """∇ of losses.mse(X w, y) at w, from minigrad's backward."""
    wt = mg.Tensor(w, requires_grad=True)
    losses.mse(mg.Tensor(X) @ wt, y).backward()
    return wt.grad


def soft_threshold(v, tau):
    """The formula S_τ(v): move every entry τ towards 0 and stop at 0 (numpy, the closed forms' reference)."""
    return np.sign(v) * np.maximum(np.abs(v) - tau, 0.0) + 0.0      # + 0.0 turns −0.0 into 0.0


def smooth_gradient(X, y, w, l2):
    """∇ of losses.mse(X w, y) + losses.l2_penalty([w], l2) at w, from minigrad's backward."""
    wt = mg.Tensor(w, requires_grad=True)
    (losses.mse(mg.Tensor(X) @ wt, y) + losses.l2_penalty([wt], l2)).backward()
    return wt.grad


def l1_step(v, tau):
    """The proximal step of losses.l1_penalty: move each entry by the penalty's pull (its gradient
    from backward, τ·sign(v)) and stop at 0 where the move would cross it. For L1 this is S_τ(v)."""
    vt = mg.Tensor(v, requires_grad=True)
    losses.l1_penalty([vt], tau).backward()
    return np.where(np.abs(v) <= np.abs(vt.grad), 0.0, v - vt.grad)


def proximal_gradient(X, y, l1, l2, w, iterations, tol=1e-10):
    """ISTA on mse + l1_penalty(l1) + l2_penalty(l2): a gradient step on the smooth part, then the L1 step."""
    step = 1 / (2 / len(y) * np.linalg.eigvalsh(X.T @ X).max() + 2 * l2)   # 1 / Lipschitz constant
    for _ in range(iterations):
        w_new = w - step * smooth_gradient(X, y, w, l2)
        if l1 > 0:
            w_new = l1_step(w_new, step * l1)
        if np.max(np.abs(w_new - w)) < tol:
            return w_new
        w = w_new
    return w


def subgradient_descent(X, y, l1, w, iterations):
    """Plain gradient descent on mse + l1_penalty, |w|'s gradient at 0 taken as 0."""
    step = 0.5 / (2 / len(y) * np.linalg.eigvalsh(X.T @ X).max())
    for _ in range(iterations):
        wt = mg.Tensor(w, requires_grad=True)
        (losses.mse(mg.Tensor(X) @ wt, y) + losses.l1_penalty([wt], l1)).backward()
        w = w - step * wt.grad
    return w


def ridge(X, y, lam):
    """The minimiser of mse + λΣw²: (XᵀX/n + λI) w = Xᵀy/n."""
    n, d = X.shape
    return np.linalg.solve(X.T @ X / n + lam * np.eye(d), X.T @ y / n)


X, y = correlated_regression(seed=SEEDS[0])
lam_max = np.max(np.abs(2 / len(y) * X.T @ y))   # above it the lasso solution is exactly 0
lams = lam_max * np.logspace(0.3, -2.5, pick(20, 10))
ITERATIONS = pick(3000, 1500)
paths = {"L1": [], "elastic": []}
w_l1 = w_en = np.zeros(8)
for lam in lams:                                 # warm start: each λ starts from the last answer
    w_l1 = proximal_gradient(X, y, lam, 0.0, w_l1, ITERATIONS)
    w_en = proximal_gradient(X, y, L1_SHARE * lam, (1 - L1_SHARE) * lam, w_en, ITERATIONS)
    paths["L1"].append(w_l1)
    paths["elastic"].append(w_en)
paths["L2"] = [ridge(X, y, lam) for lam in lams]
paths = {k: np.array(v) for k, v in paths.items()}
zeros = {k: (v == 0.0).sum(1) for k, v in paths.items()}

# %% [markdown]
# Plain subgradient descent on the same L1 objective at one λ, for comparison: how close to
# 0 does it get, and is its objective lower or higher than the proximal step's?

# %%
k_mid = int(np.argmin(np.abs(lams - 0.1 * lam_max)))
lam_mid = lams[k_mid]
w_sub = subgradient_descent(X, y, lam_mid, np.zeros(8), pick(1500, 500))


def lasso_objective(w, lam):
    return (losses.mse(X @ w, y) + losses.l1_penalty([mg.Tensor(w)], lam)).item()


print(f"λ = {lam_mid:.3f}: proximal {np.round(paths['L1'][k_mid], 4)}")
print(f"          subgradient {np.round(w_sub, 4)}")
print(f"objective: proximal {lasso_objective(paths['L1'][k_mid], lam_mid):.6f}, "
      f"subgradient {lasso_objective(w_sub, lam_mid):.6f}")

# %%
fig, axes = plt.subplots(2, 2, figsize=(12, 9.5), sharex=True)
colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
irrelevant = TRUE_W == 0
titles = {"L1": "L1 (lasso, proximal step): lines hit 0 and stay there",
          "L2": "L2 (ridge): lines shrink towards 0, none reaches it",
          "elastic": f"elastic net ({L1_SHARE:g} L1 + {1 - L1_SHARE:g} L2, proximal step): zeros, later"}
for ax, key in zip(axes.flat, ["L1", "L2", "elastic"]):
    for j in range(8):
        ax.plot(lams, paths[key][:, j], color=colors[j % len(colors)], lw=2,
                ls="--" if irrelevant[j] else "-", label=FEATURES[j])
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xscale("log")
    ax.set_ylabel("coefficient $w_j$")
    ax.set_title(titles[key])
axes[0, 0].invert_xaxis()           # strong penalty on the left, weak on the right (axes are shared)
ax = axes[1, 1]
for key, marker in zip(["L1", "L2", "elastic"], "os^"):
    ax.plot(lams, zeros[key], marker=marker, label=key)
ax.plot([lam_mid], [(w_sub == 0).sum()], "k*", ms=14,
        label=f"L1 by plain subgradient descent\n(λ = {lam_mid:.3f}: smallest |w| = {np.abs(w_sub).min():.1e})")
ax.set_ylabel("number of coefficients exactly 0.0")
ax.set_title("exact zeros: L1 and elastic net only")
ax.legend(loc="upper right", fontsize=8)
for ax in axes[1]:
    ax.set_xlabel("penalty strength λ (log scale, strong → weak; loss = mse + penalty)")
for ax in axes.flat:
    ax.axvline(lam_max, color="gray", ls=":", lw=1)
    ax.text(lam_max, 0.35 if ax is axes[1, 1] else 0.97, r" $\lambda_{max}$", color="gray", fontsize=9, va="top",
            transform=ax.get_xaxis_transform())     # in an empty spot of each panel
fig.suptitle("Coefficient paths on 8 standardised features (x₀..x₃ carry signal, x₄..x₇ do not): "
             "L1 zeroes coefficients, L2 only shrinks", fontsize=11)
handles, labels = axes[0, 0].get_legend_handles_labels()
fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=9,
           title="dashed lines: features whose true coefficient is 0")
fig.tight_layout(rect=(0, 0.1, 1, 1))
show(fig, "paths")

# %% [markdown]
# Now the claims, on every data seed: at the middle λ, L1 (solved by `L1_METHOD`) against L2
# (gradient descent on mse + `losses.l2_penalty`). Both penalties come from the library.
# The optimum of the lasso satisfies its optimality (KKT) conditions — where $w_j \ne 0$,
# $\partial\,\text{mse}/\partial w_j = -\lambda\,\mathrm{sign}(w_j)$; where $w_j = 0$,
# $|\partial\,\text{mse}/\partial w_j| \le \lambda$ — which checks that ISTA really got there.

# %%
L1_METHOD = "proximal"      # Try it 1: "subgradient"
COMPARED = ("L1", "L2")     # the first claim below: the first of these gives more exact zeros


def solve(penalty, X, y, lam):
    """The minimiser of mse + the library's penalty: L2 by gradient descent, L1 by L1_METHOD."""
    if penalty == "L2":
        return proximal_gradient(X, y, 0.0, lam, np.zeros(X.shape[1]), ITERATIONS)
    if L1_METHOD == "proximal":
        return proximal_gradient(X, y, lam, 0.0, np.zeros(X.shape[1]), ITERATIONS)
    return subgradient_descent(X, y, lam, np.zeros(X.shape[1]), pick(1500, 500))


zero_counts, l1_zeros = {}, {}
kkt = 0.0
for seed in SEEDS:
    Xs, ys = correlated_regression(seed=seed)
    solutions = {penalty: solve(penalty, Xs, ys, lam_mid) for penalty in ("L1", "L2")}
    zero_counts[seed] = [(solutions[p] == 0).sum() for p in COMPARED]
    w1 = solutions["L1"]
    l1_zeros[seed] = np.flatnonzero(w1 == 0)
    w1t = mg.Tensor(w1, requires_grad=True)
    losses.l1_penalty([w1t], lam_mid).backward()        # the penalty's pull λ·sign(w) where w ≠ 0
    g = mse_gradient(Xs, ys, w1)
    on = w1 != 0
    kkt = max(kkt, np.max(np.abs(g[on] + w1t.grad[on]), initial=0.0),
              np.max(np.abs(g[~on]) - lam_mid, initial=0.0))
first, second = COMPARED
claim("l1_more_zeros_than_l2", f"at λ = {lam_mid:.3f} {first} gives more exact zeros than {second} "
      f"(L1 by the {L1_METHOD} method)", all(a > b for a, b in zero_counts.values()),
      "; ".join(f"seed {s}: {first} {a}, {second} {b}" for s, (a, b) in zero_counts.items()))
claim("l1_zeros_are_irrelevant_features", "L1 sets at least one coefficient to 0, and every one it sets to 0 "
      "belongs to an irrelevant feature",
      all(len(z) > 0 and irrelevant[z].all() for z in l1_zeros.values()),
      "; ".join(f"seed {s}: zeros at {z.tolist()}" for s, z in l1_zeros.items()))
claim("lasso_kkt", f"the L1 solution ({L1_METHOD}) satisfies the lasso optimality (KKT) conditions",
      kkt < 1e-6, f"largest violation {kkt:.1e}")
above = lams >= lam_max
claim("all_zero_above_lambda_max", "for λ ≥ λ_max = max|∇mse(0)| every L1 coefficient is exactly 0; "
      "below it some are not", np.all(zeros["L1"][above] == 8) and np.all(zeros["L1"][~above] < 8),
      f"λ_max = {lam_max:.2f}: zeros above {zeros['L1'][above].tolist()}, below {zeros['L1'][~above].tolist()}")

# %% [markdown]
# ## 3. Elastic net: zeros like L1, groups like L2
#
# L1 facing two correlated features tends to keep one and drop the other; L2 shares the weight
# between them. Elastic net combines both: it still zeroes irrelevant features, but keeps a
# correlated pair together. Here $x_1$ is a near copy of $x_0$ (correlation `PAIR_CORRELATION`).

# %%
PAIR_CORRELATION = 0.95
pair_results = {}
for seed in SEEDS:
    Xs, ys = correlated_regression(seed=seed)
    z = rng(100 + seed).standard_normal(len(ys))
    Xs[:, 1] = PAIR_CORRELATION * Xs[:, 0] + np.sqrt(1 - PAIR_CORRELATION**2) * (z - z.mean()) / z.std()
    lam = 0.15 * np.max(np.abs(2 / len(ys) * Xs.T @ ys))
    w1 = proximal_gradient(Xs, ys, lam, 0.0, np.zeros(8), ITERATIONS)
    we = proximal_gradient(Xs, ys, L1_SHARE * lam, (1 - L1_SHARE) * lam, np.zeros(8), ITERATIONS)
    pair_results[seed] = (w1[:2], we[:2], (we[4:] == 0).sum())


def pair_ratio(pair):
    """The smaller of a pair's two weights over the larger (0: one dropped, 1: shared equally)."""
    return np.min(np.abs(pair)) / np.max(np.abs(pair))


claim("elastic_net_groups", "elastic net shares the weight of a correlated pair more evenly than L1",
      all(pair_ratio(e) > pair_ratio(a) + 0.1 for a, e, _ in pair_results.values()),
      "; ".join(f"seed {s}: smaller/larger of (w₀, w₁) L1 {pair_ratio(a):.2f}, elastic {pair_ratio(e):.2f}"
                for s, (a, e, _) in pair_results.items()))
claim("elastic_net_zeros", "… and, unlike L2, still sets irrelevant features to exactly 0",
      all(n > 0 for _, _, n in pair_results.values()),
      "; ".join(f"seed {s}: {n} of 4 irrelevant at 0" for s, (_, _, n) in pair_results.items()))

# %% [markdown]
# ## 4. The diamond and the circle
#
# The same choice as a constraint: minimise mse subject to a weight budget, $\sum|w| \le t$
# (a diamond) or $\sum w^2 \le t^2$ (a circle). The loss contours are ellipses around the
# unpenalised optimum; the answer is where the lowest contour first touches the shape.
# The diamond has corners on the axes, and a contour usually touches one there: $w_2 = 0$.
# The circle has no corner, so both weights stay non-zero. We find the constrained optimum
# by projected gradient descent (gradient from minigrad, then the closest point in the shape).

# %%
UNPENALISED_W2 = 0.6     # Try it 2: 1.6 — the true second weight; moves the unpenalised optimum up
BUDGET = 1.3
r = rng(3)
z = r.standard_normal((80, 2))
X2 = np.stack([z[:, 0], 0.5 * z[:, 0] + 0.8 * z[:, 1]], 1)
y2 = X2 @ np.array([2.0, UNPENALISED_W2]) + 0.3 * r.standard_normal(80)


def project_l1_ball(v, t):
    """The closest point to v with Σ|w| ≤ t (Duchi et al. 2008): soft-threshold by the right τ."""
    if np.abs(v).sum() <= t:
        return v.copy()
    u = np.sort(np.abs(v))[::-1]
    cumulative = np.cumsum(u)
    k = np.flatnonzero(u - (cumulative - t) / np.arange(1, len(u) + 1) > 0)[-1]
    return soft_threshold(v, (cumulative[k] - t) / (k + 1))


def project_l2_ball(v, t):
    norm = np.sqrt(np.sum(v**2))
    return v.copy() if norm <= t else v * (t / norm)


def grid_mse(W):
    """mse for every row of W (m, 2) at once, from the library loss with reduction='none'."""
    pred = W @ X2.T
    return losses.mse(pred, np.broadcast_to(y2, pred.shape), reduction="none").data.mean(1)


step = 1 / (2 / 80 * np.linalg.eigvalsh(X2.T @ X2).max())
constrained = {}
for name, project in [("L1", project_l1_ball), ("L2", project_l2_ball)]:
    w = np.zeros(2)
    for _ in range(pick(600, 300)):
        w = project(w - step * mse_gradient(X2, y2, w), BUDGET)
    constrained[name] = w
w_ols = np.linalg.lstsq(X2, y2, rcond=None)[0]
angle = np.linspace(0, 2 * np.pi, 20000, endpoint=False)
circle = BUDGET * np.stack([np.cos(angle), np.sin(angle)], 1)
diamond = circle / np.abs(np.stack([np.cos(angle), np.sin(angle)], 1)).sum(1, keepdims=True)

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 6.4))
g1, g2 = np.meshgrid(np.linspace(-1.9, 2.9, 121), np.linspace(-1.9, 2.9, 121))
surface = grid_mse(np.stack([g1.ravel(), g2.ravel()], 1)).reshape(g1.shape)
levels = np.quantile(surface, [0.01, 0.05, 0.12, 0.25, 0.45, 0.7])
for ax, name, shape in [(axes[0], "L1", diamond), (axes[1], "L2", circle)]:
    w = constrained[name]
    touching = grid_mse(w[None])[0]
    gray = [lv for lv in levels if abs(lv - touching) > 0.08 * touching]     # none on top of the red one
    cs = ax.contour(g1, g2, surface, levels=gray, colors="dimgray", linewidths=1)
    ax.clabel(cs, fmt="%.2f", fontsize=8)
    ax.contour(g1, g2, surface, levels=[touching], colors="crimson", linewidths=2)
    ax.fill(shape[::50, 0], shape[::50, 1], color="tab:blue", alpha=0.25,     # 400 of the points suffice to draw
            label=("Σ|w| ≤ t" if name == "L1" else "Σw² ≤ t²") + f",  t = {BUDGET}")
    ax.plot(*w_ols, "k+", ms=14, mew=2, label=f"unpenalised optimum ({w_ols[0]:.2f}, {w_ols[1]:.2f})")
    ax.plot(*w, "o", color="crimson", ms=9, label=f"constrained optimum ({w[0]:.2f}, {w[1]:.2f})")
    ax.plot([], [], color="crimson", lw=2, label=f"lowest mse contour touching the shape: mse {touching:.2f}")
    ax.axhline(0, color="black", lw=0.8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_aspect("equal")
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=8, ncol=2)
axes[0].set_title("L1: the red contour touches the diamond "
                  + ("at a corner → w₂ = 0" if constrained["L1"][1] == 0 else "on an edge → w₂ ≠ 0"))
axes[1].set_title("L2: the circle has no corner → both weights non-zero")
fig.suptitle("mse contours (gray, labelled with their mse) and a weight budget", fontsize=11)
fig.tight_layout()
show(fig, "constraint")

# %%
w1, w2 = constrained["L1"], constrained["L2"]
claim("l1_corner_l2_not", "the L1-constrained optimum sits on a corner (w₂ exactly 0), the L2 one does not",
      w1[1] == 0.0 and abs(w2[1]) > 0.05,
      f"L1 w = ({w1[0]:.4f}, {w1[1]:.4f}), L2 w = ({w2[0]:.4f}, {w2[1]:.4f})")
best = {"L1": grid_mse(diamond).min(), "L2": grid_mse(circle).min()}
found = {k: grid_mse(w[None])[0] for k, w in constrained.items()}
claim("constrained_optimum_is_lowest", "no point of either boundary has a lower mse than the found optimum "
      "(20 000 points each)", all(found[k] <= best[k] + 1e-6 for k in found),
      f"L1 {found['L1']:.5f} vs best on diamond {best['L1']:.5f}; L2 {found['L2']:.5f} vs {best['L2']:.5f}")

# %% [markdown]
# ## 5. L2 and L1 as priors: the MAP estimate
#
# Model the targets as $y_i = x_i^\top w + \varepsilon_i$ with Gaussian noise
# $\varepsilon_i \sim \mathcal N(0, \sigma^2)$, and put a **prior** on the weights. The most
# probable weights given the data (maximum a posteriori, MAP) minimise the negative log posterior
#
# $$-\log p(w \mid y) = \frac{1}{2\sigma^2}\lVert y - Xw\rVert^2 \;-\; \log p(w) + \text{const}.$$
#
# - A **Gaussian** prior $w_j \sim \mathcal N(0, \tau^2)$ adds $\frac{1}{2\tau^2}\lVert w\rVert^2$:
#   an L2 penalty. Multiplying by $2\sigma^2$ gives ridge,
#   $\lVert y - Xw\rVert^2 + \lambda\lVert w\rVert^2$ with $\lambda = \sigma^2/\tau^2$, whose solution is
#   $w = (X^\top X + \lambda I)^{-1} X^\top y$.
# - A **Laplace** prior $p(w_j) \propto e^{-|w_j|/b}$ adds $\frac1b\sum|w_j|$: an L1 penalty.
#   Its density has a sharp peak at 0, and the posterior keeps that corner, so the MAP
#   weight sits *exactly* at 0 whenever the data pull less than the corner holds. With an
#   orthogonal design ($X^\top X = nI$) the MAP has a closed form — the soft threshold of
#   least squares, $w = S_{\sigma^2/(nb)}(X^\top y / n)$ — while the Gaussian MAP only scales
#   least squares, $w = \frac{X^\top y/n}{1 + \sigma^2/(n\tau^2)}$.
#
# We write the negative log posterior out with minigrad, minimise it, and compare with the
# closed forms and with `mse + l2_penalty`.

# %%
NOISE_STD = 0.5                  # σ of the data
PRIOR_STD = 0.1                  # Try it 4: 1.0 — τ, the prior's standard deviation (both priors)
LAPLACE_SCALE = PRIOR_STD / np.sqrt(2)       # b: a Laplace prior with the same variance 2b² = τ²
Xp, yp = correlated_regression(seed=SEEDS[0])
n, d = Xp.shape


def neg_log_posterior(w, prior):
    """−log p(w | y) up to a constant, for a Gaussian or Laplace prior, written out with minigrad."""
    data_term = (((yp - mg.Tensor(Xp) @ w) / NOISE_STD) ** 2).sum() / 2
    if prior == "gaussian":
        return data_term + ((w / PRIOR_STD) ** 2).sum() / 2
    return data_term + w.abs().sum() / LAPLACE_SCALE


w_map = np.zeros(d)
step = 1 / (np.linalg.eigvalsh(Xp.T @ Xp).max() / NOISE_STD**2 + 1 / PRIOR_STD**2)
for _ in range(3000):                               # gradient descent on −log posterior
    wt = mg.Tensor(w_map, requires_grad=True)
    neg_log_posterior(wt, "gaussian").backward()
    w_map, previous = w_map - step * wt.grad, w_map
    if np.max(np.abs(w_map - previous)) < 1e-12:
        break
lam_sum = NOISE_STD**2 / PRIOR_STD**2
w_closed = np.linalg.solve(Xp.T @ Xp + lam_sum * np.eye(d), Xp.T @ yp)
w_penalised = proximal_gradient(Xp, yp, 0.0, lam_sum / n, np.zeros(d), 3000, tol=1e-12)   # mse + l2_penalty(λ/n)
print("MAP (Gaussian prior), gradient descent:", np.round(w_map, 5))
print("(XᵀX + λI)⁻¹Xᵀy, λ = σ²/τ² =", f"{lam_sum:.3f}:", np.round(w_closed, 5))
print("mse + l2_penalty(λ/n), trained:       ", np.round(w_penalised, 5))

# %%
gap_map = np.max(np.abs(w_map - w_closed))
gap_penalised = np.max(np.abs(w_penalised - w_closed))
w_ls = np.linalg.lstsq(Xp, yp, rcond=None)[0]
claim("gaussian_map_is_ridge", "the Gaussian-prior MAP equals the closed-form ridge solution "
      "(XᵀX + λI)⁻¹Xᵀy with λ = σ²/τ², and so does mse + l2_penalty",
      gap_map < 1e-8 and gap_penalised < 1e-8 and np.max(np.abs(w_ls - w_closed)) > 1e-3,
      f"largest gaps {gap_map:.1e} (MAP) and {gap_penalised:.1e} (penalised); "
      f"least squares differs by {np.max(np.abs(w_ls - w_closed)):.3f}")

# %% [markdown]
# Now both priors with the same variance, on an orthogonal design, against the closed forms.

# %%
r = rng(7)
Q, _ = np.linalg.qr(r.standard_normal((n, d)))
Xo = np.sqrt(n) * Q                                    # XᵀX = n I
yo = Xo @ np.array([1.0, -0.6, 0.3, 0.15, 0.08, -0.04, 0.02, 0.0]) + NOISE_STD * r.standard_normal(n)
w_ls_o = Xo.T @ yo / n                                 # least squares when XᵀX = n I
tau_l1 = NOISE_STD**2 / (n * LAPLACE_SCALE)
lam_l2 = NOISE_STD**2 / (n * PRIOR_STD**2)
w_laplace = proximal_gradient(Xo, yo, 2 * tau_l1, 0.0, np.zeros(d), 4000)   # mse + 2τ Σ|w| = (2σ²/n)·(−log post.)
w_gauss = proximal_gradient(Xo, yo, 0.0, lam_l2, np.zeros(d), 4000)
laplace_closed, gauss_closed = soft_threshold(w_ls_o, tau_l1), w_ls_o / (1 + lam_l2)
claim("laplace_map_is_soft_threshold", "the Laplace-prior MAP equals the soft threshold of least squares, "
      "the Gaussian one its scaling (orthogonal design)",
      np.max(np.abs(w_laplace - laplace_closed)) < 1e-8 and np.max(np.abs(w_gauss - gauss_closed)) < 1e-8,
      f"gaps {np.max(np.abs(w_laplace - laplace_closed)):.1e}, {np.max(np.abs(w_gauss - gauss_closed)):.1e}")
claim("laplace_prior_sparse", "with the same prior variance, the Laplace MAP has more exact zeros than the Gaussian",
      (w_laplace == 0).sum() > (w_gauss == 0).sum(),
      f"τ = {PRIOR_STD:g}: zeros {(w_laplace == 0).sum()} vs {(w_gauss == 0).sum()} of {d}; "
      f"threshold σ²/(nb) = {tau_l1:.4f}")

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
ax = axes[0]
grid = np.linspace(-3 * PRIOR_STD, 3 * PRIOR_STD, 401)
ax.plot(grid, np.exp(-grid**2 / (2 * PRIOR_STD**2)) / np.sqrt(2 * np.pi * PRIOR_STD**2), lw=2.5,
        color="tab:orange", label=f"Gaussian, τ = {PRIOR_STD:g}  (−log p = w²/2τ²: L2)")
ax.plot(grid, np.exp(-np.abs(grid) / LAPLACE_SCALE) / (2 * LAPLACE_SCALE), lw=2.5, color="tab:blue",
        label=f"Laplace, b = τ/√2 = {LAPLACE_SCALE:.3f}  (−log p = |w|/b: L1)")
ax.set_xlabel("weight w")
ax.set_ylabel("prior density p(w)")
ax.set_title("same variance: the Laplace prior has a sharp peak at 0")
ax.set_ylim(0, 1.5 / (2 * LAPLACE_SCALE))           # room above the Laplace peak 1/(2b) for the legend
ax.legend(loc="upper left", fontsize=8)
ax = axes[1]
line = np.linspace(-1.2 * np.abs(w_ls_o).max(), 1.2 * np.abs(w_ls_o).max(), 401)
ax.plot(line, line, color="0.6", lw=1, ls=":", label="no prior: MAP = least squares")
ax.plot(line, soft_threshold(line, tau_l1), color="tab:blue", lw=2, label="Laplace: soft threshold (closed form)")
ax.plot(line, line / (1 + lam_l2), color="tab:orange", lw=2, ls="--", label="Gaussian: scaling (closed form)")
ax.plot(w_ls_o, w_laplace, "o", color="tab:blue", mec="k", ms=7, label="Laplace MAP, trained (ISTA)")
ax.plot(w_ls_o, w_gauss, "s", color="tab:orange", mec="k", ms=5, label="Gaussian MAP, trained")
zoom = ax.inset_axes([0.6, 0.07, 0.37, 0.37])
zoom.plot(line, soft_threshold(line, tau_l1), color="tab:blue", lw=2)
zoom.plot(line, line / (1 + lam_l2), color="tab:orange", lw=2, ls="--")
zoom.plot(line, line, color="0.6", lw=1, ls=":")
zoom.set_xlim(-2.5 * tau_l1, 2.5 * tau_l1)
zoom.set_ylim(-2.5 * tau_l1, 2.5 * tau_l1)
zoom.set_title(f"zoom: the flat part, |x| ≤ {tau_l1:.3f}", fontsize=8)
zoom.tick_params(labelsize=7)
ax.indicate_inset_zoom(zoom, edgecolor="0.4")
ax.set_xlabel("least-squares weight Xᵀy/n (orthogonal design)")
ax.set_ylabel("MAP weight")
ax.set_title(f"the Laplace MAP is exactly 0 for |least squares| ≤ {tau_l1:.3f}")
ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()
show(fig, "priors")

# %% [markdown]
# ## 6. L2 prevents over-fitting
#
# A degree-11 polynomial (12 Legendre coefficients) fitted to 15 noisy points of $\sin(\pi x)$
# chases the noise: tiny training error, huge error between the points. The L2 penalty keeps the
# coefficients small and the curve smooth. Each fit is the exact minimiser of
# $\text{mse} + \lambda\sum w^2$ (the normal equations of part 5), on every data seed.

# %%
L2_LAMBDA = 1e-2
DEGREE, N_TRAIN = 11, 15
x_test = np.linspace(-1, 1, 400)


def polynomial_data(seed):
    r = rng(50 + seed)
    x = np.sort(r.uniform(-1, 1, N_TRAIN))
    return x, np.sin(np.pi * x) + 0.25 * r.standard_normal(N_TRAIN)


def errors(w, x, y):
    """(train mse, test mse against the noise-free truth) of the Legendre coefficients w."""
    F, F_test = np.polynomial.legendre.legvander(x, DEGREE), np.polynomial.legendre.legvander(x_test, DEGREE)
    return losses.mse(F @ w, y).item(), losses.mse(F_test @ w, np.sin(np.pi * x_test)).item()


poly = {}
for seed in SEEDS:
    x_tr, y_tr = polynomial_data(seed)
    F = np.polynomial.legendre.legvander(x_tr, DEGREE)
    poly[seed] = {"none": ridge(F, y_tr, 1e-12), "L2": ridge(F, y_tr, L2_LAMBDA)}   # 1e-12: no penalty, kept solvable
lam_grid = np.logspace(-7, 1, 30)
x_tr, y_tr = polynomial_data(SEEDS[0])
F0 = np.polynomial.legendre.legvander(x_tr, DEGREE)
curve = np.array([errors(ridge(F0, y_tr, lam), x_tr, y_tr) for lam in lam_grid])

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
ax = axes[0]
ax.plot(x_test, np.sin(np.pi * x_test), color="black", lw=1, ls=":", label="truth sin(πx)")
ax.scatter(x_tr, y_tr, color="black", zorder=3, label=f"{N_TRAIN} training points (seed {SEEDS[0]})")
F_test = np.polynomial.legendre.legvander(x_test, DEGREE)
for w, color, name in zip(poly[SEEDS[0]].values(), ["tab:red", "tab:blue"], ["λ = 0", f"λ = {L2_LAMBDA:g}"]):
    train_err, test_err = errors(w, x_tr, y_tr)
    ax.plot(x_test, F_test @ w, color=color, lw=2, label=f"{name}: train {train_err:.3f}, test {test_err:.3f}")
ax.set_ylim(-2.5, 2.5)
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_title(f"degree-{DEGREE} fit: λ = 0 chases the noise, L2 (λ = {L2_LAMBDA:g}) smooths it")
ax.legend(fontsize=8, loc="lower right")
ax = axes[1]
ax.plot(lam_grid, curve[:, 0], "o-", ms=3, label="train mse")
ax.plot(lam_grid, curve[:, 1], "s-", ms=3, label="test mse (vs the noise-free truth)")
ax.axvline(L2_LAMBDA, color="tab:blue", ls="--", label=f"λ = {L2_LAMBDA:g} (left panel)")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("penalty strength λ (exact minimiser of mse + λΣw²)")
ax.set_ylabel("mean squared error")
ax.set_title("too little λ over-fits, too much under-fits")
ax.legend(fontsize=8, loc="upper center")
fig.tight_layout()
show(fig, "polynomial")

# %%
rows = {s: (errors(v["none"], *polynomial_data(s)), errors(v["L2"], *polynomial_data(s))) for s, v in poly.items()}
claim("overfits_without_penalty", "without a penalty the polynomial over-fits: train error below half the test error",
      all(tr0 < 0.5 * te0 for (tr0, te0), _ in rows.values()),
      "; ".join(f"seed {s}: train {a[0]:.3f}, test {a[1]:.3f}" for s, (a, _) in rows.items()))


def stationarity(w, x, y):
    """|∇(mse + l2_penalty(L2_LAMBDA))| at w, relative to its size at w = 0: about 0 at the minimiser."""
    def gradient(v):
        wt = mg.Tensor(v, requires_grad=True)
        F = np.polynomial.legendre.legvander(x, DEGREE)
        (losses.mse(mg.Tensor(F) @ wt, y) + losses.l2_penalty([wt], L2_LAMBDA)).backward()
        return np.linalg.norm(wt.grad)
    return gradient(w) / gradient(np.zeros_like(w))


stationary = max(stationarity(v["L2"], *polynomial_data(s)) for s, v in poly.items())
claim("l2_lowers_test_error", f"L2 (λ = {L2_LAMBDA:g}) at least halves the test error, and the fit is the minimiser "
      "of mse + l2_penalty (its gradient there is 0)",
      all(te1 < 0.5 * te0 for (_, te0), (_, te1) in rows.values()) and stationary < 1e-8,
      "; ".join(f"seed {s}: test {a[1]:.3f} → {b[1]:.3f}" for s, (a, b) in rows.items())
      + f"; largest relative gradient of mse + l2_penalty at the fit {stationary:.1e}")

# %% [markdown]
# ## 7. L2 as weight decay: the same under SGD, not under Adam
#
# "Weight decay" shrinks every weight a little at each step, $w \leftarrow w - \eta\lambda w$.
# Under plain SGD that is *exactly* an L2 penalty $\frac\lambda2\lVert w\rVert^2$ added to the
# loss, whose gradient is $\lambda w$: three ways of writing it give the same trajectory, and it
# heads for the ridge optimum of $\text{mse} + \frac\lambda2\lVert w\rVert^2$.
#
# Adam divides each gradient coordinate by its own running size $\sqrt{\hat v}$. An L2 penalty
# (or `Adam(weight_decay=λ)`, which adds $\lambda w$ to the gradient — the same thing) gets
# divided too; Adam + L2 still ends on the ridge optimum, because that is where the penalised
# gradient is 0. **AdamW** (Loshchilov & Hutter, 2019) decouples the decay: it shrinks the
# weights directly, $w \leftarrow w - \eta\lambda w$, outside Adam's scaling. It stops where the
# decay balances Adam's *normalised* step, $\hat m/(\sqrt{\hat v} + \epsilon) = \lambda w$. That step is
# at most about 1 in size, so holding a weight far from its unregularised value takes a decay
# $\lambda w$ of about 1: weights much smaller than $1/\lambda$ end near least squares.
#
# The data: a regression whose 4 features have very different scales (0.1 to 5), so their
# gradients do too.

# %%
DECAY = 0.1                 # λ of the weight decay
LR = 0.05                   # Adam's and AdamW's learning rate
STEPS = pick(400, 150)
SGD_STEPS = pick(2000, 600)
FEATURE_SCALES = (0.1, 0.5, 2.0, 5.0)     # the size of each feature
TRUE_DECAY_W = np.array([3.0, -2.0, 1.0, 0.5])


def decay_problem(seed):
    """A regression whose 4 features have very different scales, so their gradients do too."""
    r = rng(30 + seed)
    X = r.standard_normal((100, 4)) * FEATURE_SCALES
    y = X @ TRUE_DECAY_W + 0.1 * r.standard_normal(100)
    return X, y


def trajectory(X, y, optimizer, penalty=0.0, decoupled=0.0, steps=STEPS):
    """Weights after every step: loss mse + l2_penalty(penalty/2); `decoupled` shrinks w by lr·λ by hand."""
    w = mg.Tensor(np.zeros(X.shape[1]), requires_grad=True)
    opt = optimizer([w])
    path = []
    for _ in range(steps):
        opt.zero_grad()
        (losses.mse(mg.Tensor(X) @ w, y) + losses.l2_penalty([w], penalty / 2)).backward()
        w.data -= opt.lr * decoupled * w.data
        opt.step()
        path.append(w.data.copy())
    return np.array(path)


Xd, yd = decay_problem(SEEDS[0])
sgd_lr = 1 / (2 * np.linalg.eigvalsh(Xd.T @ Xd / len(yd)).max() + DECAY)     # 1 / the largest curvature
ridge_d = ridge(Xd, yd, DECAY / 2)     # the optimum of mse + λ/2·Σw²: (XᵀX/n + λ/2 I) w = Xᵀy/n
same_rule = {      # four ways to write the same decay: the equalities are checked on one data set
    "SGD, no decay": trajectory(Xd, yd, lambda p: mg.optim.SGD(p, lr=sgd_lr), steps=SGD_STEPS),
    "SGD + L2 penalty": trajectory(Xd, yd, lambda p: mg.optim.SGD(p, lr=sgd_lr), penalty=DECAY, steps=SGD_STEPS),
    "SGD(weight_decay=λ)": trajectory(Xd, yd, lambda p: mg.optim.SGD(p, lr=sgd_lr, weight_decay=DECAY), steps=SGD_STEPS),
    "SGD + decoupled decay": trajectory(Xd, yd, lambda p: mg.optim.SGD(p, lr=sgd_lr), decoupled=DECAY, steps=SGD_STEPS),
    "Adam + L2 penalty": trajectory(Xd, yd, lambda p: mg.optim.Adam(p, lr=LR), penalty=DECAY),
    "Adam(weight_decay=λ)": trajectory(Xd, yd, lambda p: mg.optim.Adam(p, lr=LR, weight_decay=DECAY)),
}

# %% [markdown]
# ### The same λ, two optimizers: Loshchilov and Hutter's learning-rate × λ grid
#
# Loshchilov and Hutter compared Adam + L2 with AdamW over a grid of learning rates and decay
# strengths. Here is that grid for our regression: each cell trains for the same number of
# steps and reports how much of the least-squares weights' size is left, $\lVert w\rVert/\lVert w_\text{OLS}\rVert$
# (1: no shrinkage). Read each panel along a column (one λ, several learning rates) and then
# across: which knob sets the shrinkage, and does the same λ shrink the same in both?

# %%
GRID_LRS = pick((0.02, 0.05, 0.1), (0.05, 0.1))
GRID_LAMBDAS = pick((0.01, 0.03, DECAY, 0.3, 1.0, 3.0), (0.01, DECAY, 1.0))
w_ols_d = np.linalg.lstsq(Xd, yd, rcond=None)[0]
grid_kept = {
    "Adam + L2 penalty (λ/2·Σw²)": np.array([[np.linalg.norm(trajectory(
        Xd, yd, lambda p, lr=lr: mg.optim.Adam(p, lr=lr), penalty=lam)[-1]) for lam in GRID_LAMBDAS] for lr in GRID_LRS]),
    "AdamW(weight_decay=λ)": np.array([[np.linalg.norm(trajectory(
        Xd, yd, lambda p, lr=lr, lam=lam: mg.optim.AdamW(p, lr=lr, weight_decay=lam))[-1]) for lam in GRID_LAMBDAS]
        for lr in GRID_LRS]),
}
grid_kept = {k: v / np.linalg.norm(w_ols_d) for k, v in grid_kept.items()}
l2_name, adamw_name = grid_kept

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 5), layout="constrained")     # room for the colorbar and the title
for ax, (name, kept) in zip(axes, grid_kept.items()):
    image = ax.imshow(kept, cmap="viridis", vmin=0, vmax=1, aspect="auto", origin="lower")
    for (i, j), value in np.ndenumerate(kept):
        ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=9, color="white" if value < 0.6 else "black")
    ax.set_xticks(range(len(GRID_LAMBDAS)), [f"{lam:g}" for lam in GRID_LAMBDAS])
    ax.set_yticks(range(len(GRID_LRS)), [f"{lr:g}" for lr in GRID_LRS])
    ax.set_xlabel("λ (weight_decay, or the L2 penalty's λ)")
    ax.set_ylabel("learning rate")
    ax.grid(False)
    ax.set_title(name, fontsize=10)
fig.colorbar(image, ax=axes, label="‖w‖ / ‖w_OLS‖ after training (1: not shrunk)")
column = GRID_LAMBDAS.index(DECAY)
fig.suptitle(f"λ sets the shrinkage (AdamW's also a little the learning rate); but the same λ = {DECAY:g} shrinks "
             f"Adam + L2's weights to {grid_kept[l2_name][:, column].max():.2f} of least squares\nand leaves AdamW's "
             f"near least squares ({grid_kept[adamw_name][:, column].min():.2f} or more): λ means different things "
             "in the two", fontsize=11)
show(fig, "adamw_grid")

# %%
lr_spread = {k: np.max(v.max(axis=0) - v.min(axis=0)) for k, v in grid_kept.items()}
l2_at, w_at = (v[:, column] for v in grid_kept.values())
claim("same_lambda_not_same_shrinkage", f"the same λ = {DECAY:g} is not the same regularisation: at every learning "
      "rate of the grid Adam + L2 keeps under 70% of the least-squares weights' size, AdamW over 85% — near the "
      "unregularised fit", np.all(l2_at < 0.7) and np.all(w_at > 0.85),
      f"Adam + L2 keeps {', '.join(f'{v:.2f}' for v in l2_at)}, AdamW {', '.join(f'{v:.2f}' for v in w_at)} "
      f"at learning rates {', '.join(f'{lr:g}' for lr in GRID_LRS)}")
claim("lambda_sets_shrinkage", "on the grid λ sets the shrinkage: Adam + L2's is the same down every column (within "
      "0.01: the ridge optimum of its λ, at every learning rate); AdamW's changes down a column by under a fifth of "
      "its change across the columns", lr_spread[l2_name] < 0.01 and lr_spread[adamw_name] < 0.2 * np.ptp(grid_kept[adamw_name]),
      "; ".join(f"{k.split(' (')[0]}: largest change down a column {lr_spread[k]:.3f}, range {np.ptp(v):.2f}"
                for k, v in grid_kept.items()))

# %% [markdown]
# Why is AdamW so weak at λ = 0.1? Its decay $\lambda w$ must balance a normalised step of at most
# about 1, and our weights (3, −2, 1, 0.5) are far smaller than $1/\lambda = 10$: they end close to
# least squares. Comparing the two at the same λ compares a
# strong regulariser with a weak one. A fair
# comparison matches the **shrinkage**: AdamW at `ADAMW_DECAY`, and Adam + L2 at the λ whose
# ridge optimum has the same size $\lVert w\rVert$ (found by bisection on the closed form). Same
# overall shrinkage — is it the same solution?

# %%
ADAMW_DECAY = 1.0           # AdamW's λ in the matched comparison


def ridge_lambda_with_norm(X, y, size):
    """The λ whose optimum of mse + λ/2·Σw² has ‖w‖ = size: bisection on log λ (‖w‖ falls as λ grows)."""
    low, high = -8.0, 4.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if np.linalg.norm(ridge(X, y, 10**middle / 2)) > size else (low, middle)
    return 10 ** ((low + high) / 2)


matched = {}       # on every data seed
for seed in SEEDS:
    X, y = decay_problem(seed)
    w_adamw = trajectory(X, y, lambda p: mg.optim.AdamW(p, lr=LR, weight_decay=ADAMW_DECAY))[-1]
    lam_l2 = ridge_lambda_with_norm(X, y, np.linalg.norm(w_adamw))
    matched[seed] = dict(ols=np.linalg.lstsq(X, y, rcond=None)[0], lam=lam_l2, ridge=ridge(X, y, lam_l2 / 2), adamw=w_adamw,
                         adam_l2=trajectory(X, y, lambda p: mg.optim.Adam(p, lr=LR), penalty=lam_l2)[-1])

# %%
m = matched[SEEDS[0]]
fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
ax = axes[0]
step_axis = np.arange(1, SGD_STEPS + 1)
for label, style in [("SGD, no decay", dict(lw=2, color="0.5")), ("SGD + L2 penalty", dict(lw=7, alpha=0.3, color="tab:blue")),
                     ("SGD(weight_decay=λ)", dict(lw=3, color="tab:blue")),
                     ("SGD + decoupled decay", dict(lw=1.2, ls="--", color="black"))]:
    ax.plot(step_axis, np.linalg.norm(same_rule[label] - ridge_d, axis=1), label=label, **style)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel(f"step (SGD, lr = {sgd_lr:.3g}, 1 / the largest curvature)")
ax.set_ylabel(f"distance to the ridge optimum, λ = {DECAY:g}")
ax.set_title("SGD: the three decays draw one line, towards the ridge optimum (slowly along w₀,\n"
             "whose feature is 50× smaller); without decay SGD heads for least squares instead", fontsize=10)
ax.legend(loc="lower left", fontsize=8)
ax = axes[1]
index = np.arange(4)
width = 0.38
for offset, (label, values), color in zip([-width / 2, width / 2],
                                          [(f"Adam + L2, λ = {m['lam']:.3g} (lands on the ridge optimum)", m["adam_l2"]),
                                           (f"AdamW(weight_decay={ADAMW_DECAY:g})", m["adamw"])],
                                          ["tab:orange", "tab:green"]):
    bars = ax.bar(index + offset, values / m["ols"], width, color=color, label=label)
    ax.bar_label(bars, fmt="%.2f", fontsize=8)
ax.set_xticks(index, [f"w{'₀₁₂₃'[j]}\n(feature scale {s:g})" for j, s in enumerate(FEATURE_SCALES)])
ax.set_ylim(0, 1.25)
ax.set_ylabel("weight / its least-squares value (1: not shrunk)")
ax.set_title(f"matched shrinkage (both ‖w‖ = {np.linalg.norm(m['adamw']) / np.linalg.norm(m['ols']):.2f}·‖w_OLS‖): "
             "L2 takes w₀,\nAdamW takes from every weight", fontsize=10)
ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()
show(fig, "weight_decay")

# %% [markdown]
# Notice $w_0$: its feature is tiny (scale 0.1), so the data resist shrinking its weight only
# weakly. The L2 penalty charges every weight the same $\frac\lambda2 w^2$, so the ridge
# optimum — where Adam + L2 ends — pays for the shrinkage almost entirely with $w_0$. AdamW's
# decay is not a term of the loss: it pulls each weight by $\lambda w$ against Adam's normalised
# step, which does not depend on the feature's scale, so it takes from every weight, the
# largest ones most.

# %%
sgd_gap = max(np.max(np.abs(same_rule["SGD + L2 penalty"] - same_rule[k]))
              for k in ("SGD(weight_decay=λ)", "SGD + decoupled decay"))
to_ridge_sgd = {k: np.linalg.norm(same_rule[k][[0, -1]] - ridge_d, axis=1) for k in ("SGD + L2 penalty", "SGD, no decay")}
claim("sgd_decay_is_l2", "under SGD an L2 penalty, weight_decay and decoupled decay give the same trajectory, and it "
      "heads for the ridge optimum (the distance to it more than halved)",
      sgd_gap < 1e-12 and to_ridge_sgd["SGD + L2 penalty"][1] < 0.5 * to_ridge_sgd["SGD + L2 penalty"][0],
      f"largest difference over {SGD_STEPS} steps: {sgd_gap:.1e}; distance to the ridge optimum from the first to the "
      "last step: " + ", ".join(f"{k} {a:.3f} → {b:.3f}" for k, (a, b) in to_ridge_sgd.items()))
adam_gap = np.max(np.abs(same_rule["Adam + L2 penalty"] - same_rule["Adam(weight_decay=λ)"]))
claim("adam_weight_decay_is_l2", "Adam(weight_decay=λ) is Adam on the L2-penalised loss: same trajectory",
      adam_gap < 1e-9, f"largest difference {adam_gap:.1e}")
kept = {s: (np.linalg.norm(v["adamw"]) / np.linalg.norm(v["ols"]), v["adamw"] / v["ols"], v["adam_l2"] / v["ols"],
            np.max(np.abs(v["adam_l2"] - v["ridge"]))) for s, v in matched.items()}
claim("adamw_differs_from_adam_l2", f"at matched shrinkage (AdamW with λ = {ADAMW_DECAY:g}, Adam + L2 with the λ of the "
      f"same ‖w‖) the two land apart: Adam + L2 on the ridge optimum, which takes most of w₀ (feature scale "
      f"{FEATURE_SCALES[0]:g}); AdamW keeps more of w₀ and less of w₃ (scale {FEATURE_SCALES[3]:g})",
      all(size < 0.9 and to_ridge < 0.01 and w_keep[0] > l2_keep[0] + 0.1 and w_keep[3] < l2_keep[3]
          for size, w_keep, l2_keep, to_ridge in kept.values()),
      "; ".join(f"seed {s}: ‖w‖ kept {size:.2f}, w₀ kept AdamW {w_keep[0]:.2f} vs L2 {l2_keep[0]:.2f}, w₃ kept "
                f"{w_keep[3]:.2f} vs {l2_keep[3]:.2f}, Adam+L2 to ridge {to_ridge:.4f}"
                for s, (size, w_keep, l2_keep, to_ridge) in kept.items()))

# %% [markdown]
# ## 8. A task-specific penalty: smoothness
#
# A penalty does not have to pull towards 0. If the weights are a signal sampled in time — a
# denoised curve, a filter, coefficients of neighbouring pixels — the prior knowledge is that
# **neighbours are similar**. Penalise their differences instead:
#
# $$R(w) = \lambda\sum_j (w_{j+1} - w_j)^2 .$$
#
# Here the weights are the estimate $w$ of a smooth signal from noisy samples $y$, trained on
# $\text{mse}(w, y) + R(w)$. An L2 penalty pulls the estimate towards 0 (the wrong prior here);
# the smoothness penalty pulls it towards a smooth curve.

# %%
SMOOTHNESS = 8.0            # λ·n of the smoothness penalty
SIGNAL_POINTS = 80
t_signal = np.linspace(0, 1, SIGNAL_POINTS)
signal = np.sin(2 * np.pi * t_signal) + 0.5 * np.sin(6 * np.pi * t_signal)


def smoothness_penalty(w, lam):
    return lam * ((w[1:] - w[:-1]) ** 2).sum()


def denoise(y, lam, steps):
    """Gradient descent on mse(w, y) + smoothness_penalty(w): gradients from minigrad."""
    w = mg.Tensor(y.copy(), requires_grad=True)
    opt = mg.optim.SGD([w], lr=1 / (2 / len(y) + 8 * lam))        # 1 / Lipschitz constant
    for _ in range(steps):
        opt.zero_grad()
        (losses.mse(w, y) + smoothness_penalty(w, lam)).backward()
        opt.step()
    return w.data.copy()


D = np.diff(np.eye(SIGNAL_POINTS), axis=0)              # (w[1:] − w[:-1]) = D w
denoised = {}
for seed in SEEDS:
    noisy = signal + 0.4 * rng(60 + seed).standard_normal(SIGNAL_POINTS)
    smooth = denoise(noisy, SMOOTHNESS / SIGNAL_POINTS, pick(700, 600))
    exact = np.linalg.solve(np.eye(SIGNAL_POINTS) + SMOOTHNESS * D.T @ D, noisy)   # (I + nλ DᵀD) w = y
    best_l2 = min((noisy / (1 + lam) for lam in np.logspace(-3, 1, 41)),     # the best L2 shrinkage
                  key=lambda w: np.mean((w - signal) ** 2))
    denoised[seed] = dict(noisy=noisy, smooth=smooth, exact=exact, l2=best_l2)


def rms(w):
    return np.sqrt(np.mean((w - signal) ** 2))


# %%
run = denoised[SEEDS[0]]
fig, ax = plt.subplots(figsize=(10, 4.6))
ax.plot(t_signal, run["noisy"], ".", color="0.5", ms=6, label=f"noisy samples y: {rms(run['noisy']):.3f}")
ax.plot(t_signal, signal, color="black", lw=5, alpha=0.25, label="true signal")
ax.plot(t_signal, run["l2"], color="tab:orange", lw=1.5, ls="--",
        label=f"best L2 penalty (shrinks towards 0): {rms(run['l2']):.3f}")
ax.plot(t_signal, run["smooth"], color="tab:blue", lw=2,
        label=f"smoothness penalty, λ = {SMOOTHNESS:g}/n: {rms(run['smooth']):.3f}")
ax.set_xlabel("time t")
ax.set_ylabel("signal")
ax.set_ylim(-2.6, 3.4)
ax.set_title("penalising neighbours' differences recovers the curve; L2 only shrinks the noise")
ax.legend(loc="upper right", fontsize=8, ncol=2, title="RMS error against the true signal", title_fontsize=8)
fig.tight_layout()
show(fig, "task_penalty")

# %%
trained_gap = max(np.max(np.abs(v["smooth"] - v["exact"])) for v in denoised.values())
claim("smoothness_trained_is_exact", "gradient descent on mse + smoothness penalty reaches its closed form "
      "(I + nλDᵀD)⁻¹y", trained_gap < 1e-6, f"largest gap {trained_gap:.1e}")
claim("smoothness_beats_l2", "the smoothness penalty's estimate is nearer the true signal than the data "
      "and than the best L2 shrinkage", all(rms(v["smooth"]) < min(rms(v["l2"]), rms(v["noisy"])) for v in denoised.values()),
      "; ".join(f"seed {s}: smooth {rms(v['smooth']):.3f}, L2 {rms(v['l2']):.3f}, data {rms(v['noisy']):.3f}"
                for s, v in denoised.items()))

# %%
finish()

# %% [markdown]
# ## Try it
#
# Predict before you run; then compare with [the answers](answers/08_regularization.md).
#
# 1. Set `L1_METHOD = "subgradient"` in part 2. Does plain gradient descent on the lasso
#    objective still give more exact zeros than L2? Is its solution still optimal (KKT)?
# 2. Set `UNPENALISED_W2 = 1.6` in part 4. Does the L1-constrained optimum still sit on a corner?
# 3. Set `L1_SHARE = 1.0` (all L1, no L2) in part 1. Is elastic net still grouping the correlated pair?
# 4. Set `PRIOR_STD = 1.0` in part 5: a much wider prior. Predict how many Laplace-MAP weights are 0.


# %% [markdown]
# ## Write it yourself: the L1 proximal step
#
# Part 2's exact zeros come from the proximal step of the L1 penalty (soft-thresholding): after a
# gradient step on the data loss, each weight moves $t = \eta\lambda$ toward 0 and stops there:
#
# $$\operatorname{prox}_t(w) = \operatorname{sign}(w)\,\max(|w| - t,\ 0) = \arg\min_x\ \tfrac12 (x - w)^2 + t\,|x| .$$
#
# Replace the `raise`, then run the cell after it.

# %%
from lessons.exercises import grade  # noqa: E402  (the exercises' grader)


def soft_threshold(w, threshold):
    """The proximal step of the L1 penalty (soft-thresholding), elementwise:

        prox(w) = sign(w)·max(|w| - t, 0),    t = threshold = learning rate × λ

    It is the exact minimiser of ½(x - w)² + t·|x|: weights with |w| <= t become exactly
    0, the others move t closer to 0. Return one value per weight, same shape as w.
    """
    raise NotImplementedError("write soft_threshold here")


# %%
report = grade("soft_threshold", soft_threshold)
