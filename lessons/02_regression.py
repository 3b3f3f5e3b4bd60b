# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
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
# grows, and what that does to a fit when some points are outliers. Then where the losses
# come from — each is the negative log-likelihood of a noise model — and why, outliers
# aside, MSE stays the standard regression loss. Last, beyond the lecture: Barron's general
# robust loss, one slider from MSE past MAE, and outliers far out in $x$ (leverage points),
# which break MAE and Huber too.
#
# Run the cells in order. Each figure appears under the cell that draws it, and each
# `claim(...)` prints **holds** or **FAILS** with the numbers that decide it.

# %%
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons.helpers import SEEDS, claim, derivatives, finish, fit, line_with_outliers, loss_gradient_curvature, pick, show, start

lesson = start("02_regression")
# the figures draw data seed SEEDS[0] thick and the others thin
thin_seeds = ("thin: seed " if len(SEEDS) == 2 else "thin: seeds ") + ", ".join(map(str, SEEDS[1:]))

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
# Under MAE and Huber an outlier pulls no harder than any other point. (These outliers are
# wrong in $y$ only; part 6 moves some far out in $x$, and there MAE and Huber break too.)
#
# One data set could be lucky, so every claim about a fit is checked on each data seed in
# `SEEDS`. The seeds train side by side: row $s$ of `x` and `y` is data set $s$, and `w`, `b`
# hold one line per row. The training loss is the sum of the per-seed means, so each row's
# line gets exactly its own gradient (and Adam scales every entry on its own).

# %%
OUTLIER_FRACTION = 0.10    # Try it 2: 0.3
HUBER_DELTA = 1.0          # Try it 3: 20.0
STEPS = pick(800, 400)
TRUE_SLOPE, TRUE_INTERCEPT = 2.0, 1.0
data = [line_with_outliers(n=100, slope=TRUE_SLOPE, intercept=TRUE_INTERCEPT,
                           outlier_fraction=OUTLIER_FRACTION, seed=seed) for seed in SEEDS]
x, y = np.stack([d[0] for d in data]), np.stack([d[1] for d in data])     # (seeds, 100) each
huber = f"Huber δ={HUBER_DELTA:g}"
fitters = {"MSE": losses.mse, "MAE": losses.mae,
           huber: lambda pred, target, reduction: losses.huber(pred, target, delta=HUBER_DELTA, reduction=reduction)}


def decaying_adam(params, lr, steps):
    """Adam whose learning rate falls linearly to 0 over `steps` (so even MAE settles), and its on_step."""
    opt = mg.optim.Adam(params, lr=lr)
    return opt, lambda step: setattr(opt, "lr", lr * (1 - (step + 1) / steps))


def train_lines(per_entry_loss, x, y, steps, lr=0.1):
    """Fit ŷ = w x + b to every row of x, y with decaying Adam; the (w, b) after every step, (steps, rows, 2)."""
    w = mg.Tensor(np.zeros((len(x), 1)), requires_grad=True)
    b = mg.Tensor(np.zeros((len(x), 1)), requires_grad=True)
    opt, decay = decaying_adam([w, b], lr, steps)
    path = []
    def after_step(step):
        decay(step)
        path.append(np.concatenate([w.data, b.data], axis=1))
    fit([w, b], lambda: per_entry_loss(w * x + b, y, reduction="none").mean(axis=1).sum(), steps,
        optimizer=opt, on_step=after_step)
    return np.array(path)


def gap_to_true_line(w, b):
    """RMS vertical gap between w x + b and the true line for x uniform on [-3, 3]:
    E[((w - 2) x + (b - 1))²] = 3 (w - 2)² + (b - 1)²."""
    return np.sqrt(3 * (w - TRUE_SLOPE) ** 2 + (b - TRUE_INTERCEPT) ** 2)


paths = {label: train_lines(loss, x, y, STEPS) for label, loss in fitters.items()}
gaps = {label: gap_to_true_line(path[..., 0], path[..., 1]) for label, path in paths.items()}   # (steps, seeds)

# %% [markdown]
# The figure shows the first data set; the claims below use every seed.

# %%
x0, y0 = x[0], y[0]
outlier = y0 - (TRUE_SLOPE * x0 + TRUE_INTERCEPT) > 6      # the points pushed up by 12 or more
fig, ax = plt.subplots(figsize=(10, 5))
ax.scatter(x0[~outlier], y0[~outlier], s=14, color="0.5", label="data")
ax.scatter(x0[outlier], y0[outlier], s=30, color="crimson", marker="x", label=f"outliers ({OUTLIER_FRACTION:.0%})")
grid = np.linspace(-3, 3, 2)
ax.plot(grid, TRUE_SLOPE * grid + TRUE_INTERCEPT, color="black", lw=6, alpha=0.25,
        label=f"true line: y = {TRUE_SLOPE:g} x + {TRUE_INTERCEPT:g}")
styles = {"MSE": dict(lw=2.5), "MAE": dict(lw=4, alpha=0.6), huber: dict(lw=1.5, ls="--")}
for label, path in paths.items():
    w, b = path[-1, 0]
    ax.plot(grid, w * grid + b, label=f"{label}: ŷ = {w:.2f} x + {b:.2f}", **styles[label])
ax.set_xlabel("x")
ax.set_ylabel("y")
near = [label for label in ("MAE", huber) if gaps[label][-1, 0] < gaps["MSE"][-1, 0] / 2]
ax.set_title(f"Seed {SEEDS[0]}: MSE's line is dragged toward the outliers;\n"
             + (" and ".join(near) + " stay" + ("s" if len(near) == 1 else "") + " near the true line" if near
                else "no line stays near the true line")
             + " (MAE's line is the wide one, Huber's dashed)")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
fig.tight_layout()
show(fig, "outlier_fits")

# %%
fig, ax = plt.subplots(figsize=(8, 4.5))
for (label, gap), color in zip(gaps.items(), ["C0", "C1", "C2"]):
    for i in range(len(SEEDS)):
        ax.plot(np.arange(1, STEPS + 1), gap[:, i], lw=2 if i == 0 else 0.8, color=color,
                label=label if i == 0 else None)
ax.plot([], [], color="0.4", lw=0.8, label=thin_seeds)
ax.set_yscale("log")
ax.set_xlabel("training step (Adam, lr 0.1 decaying to 0, full batch)")
ax.set_ylabel("RMS gap to the true line")
ax.set_title("MSE settles far from the true line on every seed: the outliers are part of its optimum")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
fig.tight_layout()
show(fig, "error_over_steps")

# %% [markdown]
# MSE's optimum has a closed form, least squares, so we can check that training reached it.
# Then the claims the lecture makes: Huber and MAE are robust to outliers, MSE is not.
# "Robust" is measured, not assumed: the robust fit must land less than half as far from
# the true line as MSE's, on every seed.

# %%
least_squares = np.array([np.linalg.lstsq(np.stack([xs, np.ones_like(xs)], 1), ys, rcond=None)[0]
                          for xs, ys in zip(x, y)])                               # (seeds, 2)
mse_end = paths["MSE"][-1]
off = np.max(np.abs(mse_end - least_squares), axis=1)
claim("mse_is_least_squares", "the MSE fit reached the least-squares line on every seed",
      np.all(off < 1e-3), "; ".join(f"seed {s}: w, b = {m[0]:.4f}, {m[1]:.4f} vs {q[0]:.4f}, {q[1]:.4f}"
                                     for s, m, q in zip(SEEDS, mse_end, least_squares)))
final_gap = {label: gap[-1] for label, gap in gaps.items()}


def per_seed(a, b):
    return ", ".join(f"seed {s}: {u:.3f} vs {v:.3f}" for s, u, v in zip(SEEDS, a, b))


claim("huber_beats_mse", f"{huber}'s fit lies less than half as far from the true line as MSE's, on every seed",
      np.all(final_gap[huber] < final_gap["MSE"] / 2), "RMS gap " + per_seed(final_gap[huber], final_gap["MSE"]))
claim("mae_beats_mse", "MAE's fit lies less than half as far from the true line as MSE's, on every seed",
      np.all(final_gap["MAE"] < final_gap["MSE"] / 2), "RMS gap " + per_seed(final_gap["MAE"], final_gap["MSE"]))

# %% [markdown]
# ## 3. The likelihood view: MSE and MAE are negative log-likelihoods
#
# Where do these losses come from? Assume each target is the prediction plus noise, and
# ask which line makes the observed data most probable. With **Gaussian** noise of spread
# $\sigma$,
#
# $$p(y\mid\hat y,\sigma) = \frac{1}{\sqrt{2\pi}\,\sigma}\,e^{-(y-\hat y)^2/2\sigma^2}
#   \quad\Rightarrow\quad -\log p = \frac{(y-\hat y)^2}{2\sigma^2} + \log\sigma + \tfrac12\log 2\pi ,$$
#
# so for any fixed $\sigma$ the negative log-likelihood (NLL) is MSE, rescaled and shifted:
# the same best line. With **Laplace** noise of scale $b$,
#
# $$p(y\mid\hat y,b) = \frac{1}{2b}\,e^{-|y-\hat y|/b}
#   \quad\Rightarrow\quad -\log p = \frac{|y-\hat y|}{b} + \log 2b ,$$
#
# which is MAE, rescaled and shifted. Choosing MSE means believing the noise is Gaussian,
# whose tails are so thin that a residual of 12 is all but impossible ($e^{-72}$) — so the
# fit bends toward it. The Laplace tail ($e^{-12}$) tolerates it.
#
# First check: fit the line *and* $\sigma$ by minimising the Gaussian NLL with minigrad
# (on the outlier data of part 2). The line should be the least-squares line, and $\sigma$
# the RMS residual of that line (set $\partial/\partial\sigma = 0$: $\sigma^2$ = the mean squared residual).

# %%
LINE_LIKELIHOOD = "Gaussian"     # or "Laplace": which line does the Laplace NLL pick?
NLL_STEPS = pick(600, 400)


def gaussian_nll(pred, target, log_sigma):
    """-log N(target | pred, σ²) per entry = squared error / 2σ² + log σ + ½ log 2π, with σ = exp(log_sigma)."""
    squared = losses.mse(pred, np.broadcast_to(target, pred.shape), reduction="none")
    return 0.5 * squared / mg.exp(2 * log_sigma) + log_sigma + 0.5 * np.log(2 * np.pi)


def laplace_nll(pred, target, log_b):
    """-log Laplace(target | pred, b) per entry = absolute error / b + log 2b, with b = exp(log_b)."""
    absolute = losses.mae(pred, np.broadcast_to(target, pred.shape), reduction="none")
    return absolute / mg.exp(log_b) + log_b + np.log(2)


def fit_line_and_scale(nll, steps):
    """The line (w, b) and the noise scale that minimise the average NLL on every seed: (seeds, 2), (seeds,)."""
    w = mg.Tensor(np.zeros((len(x), 1)), requires_grad=True)
    b = mg.Tensor(np.zeros((len(x), 1)), requires_grad=True)
    log_scale = mg.Tensor(np.log(y.std(axis=1, keepdims=True)), requires_grad=True)   # start at the spread of y
    opt, decay = decaying_adam([w, b, log_scale], 0.2, steps)
    fit([w, b, log_scale], lambda: nll(w * x + b, y, log_scale).mean(axis=1).sum(), steps, optimizer=opt, on_step=decay)
    return np.concatenate([w.data, b.data], axis=1), np.exp(log_scale.data[:, 0])


nll_fits = {name: fit_line_and_scale(nll, NLL_STEPS)                              # both, for the figure
            for name, nll in (("Gaussian", gaussian_nll), ("Laplace", laplace_nll))}
nll_line, nll_scale = nll_fits[LINE_LIKELIHOOD]
rms_residual = np.sqrt(np.mean((y - least_squares[:, :1] * x - least_squares[:, 1:]) ** 2, axis=1))

# %%
off = np.max(np.abs(nll_line - least_squares), axis=1)
claim("gaussian_nll_is_least_squares",
      f"the {LINE_LIKELIHOOD}-NLL fit of the line is the least-squares line, and its scale the RMS residual, on every seed",
      np.all(off < 1e-3) and np.all(np.abs(nll_scale - rms_residual) < 1e-3),
      "; ".join(f"seed {s}: (w, b) off by {o:.1e}, scale {sc:.4f} vs RMS residual {r:.4f}"
                for s, o, sc, r in zip(SEEDS, off, nll_scale, rms_residual)))

# %% [markdown]
# Second check, on the simplest model there is: one constant $c$ predicted for every sample.
# The data are skewed (a long tail to the right), so their mean and median differ. Setting
# the derivative of each NLL to zero gives the answer in closed form:
#
# $$\frac{d}{dc}\sum_i \frac{(y_i-c)^2}{2\sigma^2} = 0 \iff c = \text{mean}(y), \qquad
#   \frac{d}{dc}\sum_i \frac{|y_i-c|}{b} = \frac1b\sum_i -\text{sign}(y_i-c) = 0 \iff c = \text{median}(y)$$
#
# (as many points above $c$ as below). We evaluate both NLLs (σ = b = 1; the best $c$ does
# not depend on them) on a fine grid of $c$ with minigrad and compare the best $c$ with
# `np.mean` and `np.median`.

# %%
SKEW = 1.0          # the data are exp(SKEW · z), z standard normal: 0.01 is almost symmetric
N_VALUES = 201      # odd: the median is one data value
c_grid = np.linspace(0.0, 4.0, 4001)
c_step = c_grid[1] - c_grid[0]
skewed = {seed: np.exp(SKEW * np.random.default_rng(seed).standard_normal(N_VALUES)) for seed in SEEDS}
nll_curves, best_c = {}, {}
with mg.no_grad():
    for seed, values in skewed.items():
        table = np.broadcast_to(c_grid[:, None], (len(c_grid), N_VALUES))   # every c against every value
        for name, f in (("Gaussian", gaussian_nll), ("Laplace", laplace_nll)):
            curve = f(mg.Tensor(table), values, 0.0).data.mean(axis=1)
            nll_curves[seed, name] = curve
            best_c[seed, name] = c_grid[np.argmin(curve)]

# %%
values = skewed[SEEDS[0]]
fig, axes = plt.subplots(1, 3, figsize=(15, 5.6))
ax = axes[0]
ax.scatter(x0, y0, s=10, color="0.5", label=f"data (seed {SEEDS[0]} of part 2)")
ax.plot(grid, least_squares[0, 0] * grid + least_squares[0, 1], color="C0", lw=6, alpha=0.35,
        label="least squares (closed form)")
(g_line, g_sigma), (l_line, l_scale) = (nll_fits[name] for name in ("Gaussian", "Laplace"))
ax.plot(grid, g_line[0, 0] * grid + g_line[0, 1], color="black", ls="--", lw=1.5,
        label=f"Gaussian NLL, trained: σ = {g_sigma[0]:.2f}")
ax.fill_between(grid, g_line[0, 0] * grid + g_line[0, 1] - g_sigma[0], g_line[0, 0] * grid + g_line[0, 1] + g_sigma[0],
                color="black", alpha=0.08, label="± σ: the spread the Gaussian fit believes")
ax.plot(grid, l_line[0, 0] * grid + l_line[0, 1], color="C1", lw=2, label=f"Laplace NLL, trained: b = {l_scale[0]:.2f}")
ax.set_xlabel("x")
ax.set_ylabel("y")
lands = np.max(np.abs(nll_line[0] - least_squares[0])) < 1e-3
ax.set_title(f"The {LINE_LIKELIHOOD}-NLL line " + ("lands on" if lands else "misses")
             + " the least-squares line;\nthe Laplace-NLL line ignores the outliers", fontsize=10)
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), fontsize=8, ncol=2)
ax = axes[1]
ax.hist(values, bins=40, color="0.7")
ax.axvline(values.mean(), color="C0", lw=2, label=f"mean {values.mean():.3f}")
ax.axvline(np.median(values), color="C1", lw=2, label=f"median {np.median(values):.3f}")
ax.set_xlabel("value")
ax.set_ylabel("count")
ax.set_title(f"{N_VALUES} skewed values (seed {SEEDS[0]})")
ax.legend(loc="upper right")
ax = axes[2]
for name, color, stat in (("Gaussian", "C0", "mean"), ("Laplace", "C1", "median")):
    curve = nll_curves[SEEDS[0], name]
    loss_name = "MSE" if stat == "mean" else "MAE"
    ax.plot(c_grid, curve - curve.min(), color=color, lw=2, label=f"{name} NLL (∝ {loss_name}) − its minimum")
    ax.plot(best_c[SEEDS[0], name], 0, "o", color=color, ms=9, mfc="white", mew=2,
            label=f"its best c = {best_c[SEEDS[0], name]:.3f} (the {stat})")
ax.set_ylim(-0.1, 2.0)
ax.set_xlabel("constant prediction c")
ax.set_ylabel("average NLL above its minimum")
ax.set_title("Gaussian NLL is lowest at the mean, Laplace at the median")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), fontsize=8, ncol=2)
fig.suptitle("The likelihood view: MSE is the Gaussian negative log-likelihood, MAE the Laplace one")
fig.tight_layout()
show(fig, "likelihood")

# %%
median = {seed: np.median(v) for seed, v in skewed.items()}
mean = {seed: np.mean(v) for seed, v in skewed.items()}


def lands_on(name, own, other):
    """The best c is within one grid step of its own statistic, and ten steps or more from the other."""
    return all(abs(best_c[s, name] - own[s]) <= c_step and abs(best_c[s, name] - other[s]) >= 10 * c_step for s in SEEDS)


claim("laplace_constant_is_median",
      "the constant that minimises the Laplace NLL (MAE) is the median, not the mean, on every seed",
      lands_on("Laplace", median, mean),
      "; ".join(f"seed {s}: c = {best_c[s, 'Laplace']:.3f}, median {median[s]:.3f}, mean {mean[s]:.3f}" for s in SEEDS))
claim("gaussian_constant_is_mean",
      "the constant that minimises the Gaussian NLL (MSE) is the mean, not the median, on every seed",
      lands_on("Gaussian", mean, median),
      "; ".join(f"seed {s}: c = {best_c[s, 'Gaussian']:.3f}, mean {mean[s]:.3f}, median {median[s]:.3f}" for s in SEEDS))

# %% [markdown]
# ## 4. Why MSE is still the standard regression loss
#
# Two reasons, each measured.
#
# **A smooth gradient everywhere.** MSE's gradient shrinks in proportion to the error, so
# plain gradient descent at a fixed learning rate slows down as it nears the optimum and
# settles on it. MAE's gradient is $\pm1$ per point whatever the error: near the optimum
# the steps keep their size and the iterates hop back and forth across it. Below, both run
# full-batch gradient descent on clean data (no outliers); we record the length of every step.
#
# **The best estimate when the noise is Gaussian.** Part 3 says MSE is the right likelihood
# for Gaussian noise. Then its estimate should be the more accurate one. We draw many small
# data sets around a true value 0, fit one constant to each with `losses.mse` and with
# `losses.mae` (they land on the mean and the median, as part 3 showed), and compare the two
# by their RMS error.

# %%
GD_LR = 0.1                 # the fixed learning rate of plain gradient descent
GD_STEPS = pick(300, 150)
clean = [line_with_outliers(n=100, outlier_fraction=0.0, seed=seed) for seed in SEEDS]
x_clean, y_clean = np.stack([d[0] for d in clean]), np.stack([d[1] for d in clean])


def descent_step_lengths(per_entry_loss, x, y, steps, lr):
    """Plain gradient descent on ŷ = w x + b for every row; the length of each step, shape (steps, rows)."""
    w = mg.Tensor(np.zeros((len(x), 1)), requires_grad=True)
    b = mg.Tensor(np.zeros((len(x), 1)), requires_grad=True)
    path = [np.zeros((len(x), 2))]
    fit([w, b], lambda: per_entry_loss(w * x + b, y, reduction="none").mean(axis=1).sum(), steps, lr=lr,
        optimizer="sgd", on_step=lambda step: path.append(np.concatenate([w.data, b.data], axis=1)))
    return np.linalg.norm(np.diff(np.array(path), axis=0), axis=2)


step_length = {name: descent_step_lengths(loss, x_clean, y_clean, GD_STEPS, GD_LR)
               for name, loss in (("MSE", losses.mse), ("MAE", losses.mae))}

# %%
NOISE = "gaussian"          # Try it 4: "laplace"
N_SETS, SET_SIZE = pick(4000, 2000), 25
noise_rng = np.random.default_rng(0)
if NOISE == "gaussian":
    samples = noise_rng.standard_normal((N_SETS, SET_SIZE))
else:                       # Laplace noise with the same variance (scale 1/√2)
    samples = noise_rng.laplace(0.0, 1 / np.sqrt(2), (N_SETS, SET_SIZE))


CONSTANT_STEPS = pick(300, 200)


def fit_constants(per_entry_loss, samples, steps=CONSTANT_STEPS, lr=0.1):
    """The constant c minimising the loss on each row of samples (decaying Adam, all rows at once): (rows,)."""
    c = mg.Tensor(np.zeros((len(samples), 1)), requires_grad=True)
    opt, decay = decaying_adam([c], lr, steps)
    fit([c], lambda: per_entry_loss(c * np.ones_like(samples), samples, reduction="none").mean(axis=1).sum(), steps,
        optimizer=opt, on_step=decay)
    return c.data[:, 0]


estimate = {"MSE (mean)": fit_constants(losses.mse, samples), "MAE (median)": fit_constants(losses.mae, samples)}
off_statistic = max(np.max(np.abs(estimate["MSE (mean)"] - samples.mean(axis=1))),
                    np.max(np.abs(estimate["MAE (median)"] - np.median(samples, axis=1))))
rms_error = {label: np.sqrt(np.mean(e**2)) for label, e in estimate.items()}

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
for (name, lengths), color in zip(step_length.items(), ["C0", "C1"]):
    for i in range(len(SEEDS)):
        left.plot(np.arange(1, GD_STEPS + 1), lengths[:, i], color=color, lw=2 if i == 0 else 0.8,
                  label=name if i == 0 else None)
left.plot([], [], color="0.4", lw=0.8, label=thin_seeds)
left.set_yscale("log")
left.set_xlabel(f"step of gradient descent (fixed lr = {GD_LR:g}, clean data)")
left.set_ylabel("length of the step in (w, b)")
settled = np.all(step_length["MSE"][-1] < 1e-6 * step_length["MAE"][-1])
left.set_title(("MSE's steps shrink to nothing" if settled else "MSE's steps do not shrink") + "; MAE's keep hopping")
left.legend(loc="lower left")
bins = np.linspace(-1.2, 1.2, 61)
for (label, e), color in zip(estimate.items(), ["C0", "C1"]):
    right.hist(e, bins=bins, histtype="step", lw=2, color=color,
               label=f"{label}: RMS error {rms_error[label]:.3f}")
right.set_xlabel(f"estimate − true value ({N_SETS} data sets of {SET_SIZE}, {NOISE} noise)")
right.set_ylabel("number of data sets")
right.set_title(f"{NOISE.capitalize()} noise: the narrower histogram is the better estimator")
right.legend(loc="upper left", fontsize=8)
fig.tight_layout()
show(fig, "mse_standard")

# %%
tail = max(1, GD_STEPS // 5)            # the last fifth of the run
last = {name: lengths[-tail:].mean(axis=0) for name, lengths in step_length.items()}   # per seed
claim("mse_settles_mae_hops",
      f"at a fixed lr = {GD_LR:g}, MSE's last steps are a million times shorter than MAE's, on every seed",
      np.all(last["MSE"] * 1e6 < last["MAE"]),
      "mean step length over the last fifth: "
      + ", ".join(f"seed {s}: MSE {m:.1e} vs MAE {a:.1e}" for s, m, a in zip(SEEDS, last["MSE"], last["MAE"])))
claim("mse_best_under_gaussian_noise",
      f"with {NOISE} noise, MSE's estimate (the mean) has a smaller RMS error than MAE's (the median)",
      rms_error["MSE (mean)"] < rms_error["MAE (median)"],
      f"RMS error {rms_error['MSE (mean)']:.4f} vs {rms_error['MAE (median)']:.4f} over {N_SETS} data sets; "
      f"the trained constants are within {off_statistic:.0e} of the mean and the median")

# %% [markdown]
# ## 5. Barron's general robust loss: one slider from MSE to beyond MAE
#
# Huber bounds the pull of a far point; it never lowers it. Barron (2019, "A General and
# Adaptive Robust Loss Function") writes a whole family with one shape parameter $\alpha$ and a
# scale $c$:
#
# $$\rho(r, \alpha, c) = \frac{|\alpha - 2|}{\alpha}\left[\left(\frac{(r/c)^2}{|\alpha - 2|} + 1\right)^{\alpha/2} - 1\right]$$
#
# $\alpha = 2$ is $\tfrac12 (r/c)^2$ (MSE, as a limit), $\alpha = 1$ is Charbonnier
# $\sqrt{(r/c)^2 + 1} - 1$ (a smooth MAE, "pseudo-Huber"), $\alpha = 0$ is Cauchy
# $\log\big(\tfrac12 (r/c)^2 + 1\big)$ (a limit), $\alpha = -2$ is Geman–McClure
# $2 (r/c)^2 / \big((r/c)^2 + 4\big)$. Below we write $\rho$ with minigrad ops and let backward
# give the pull $\psi = \partial\rho/\partial r$. The third panel is the **IRLS weight**
# $\psi(r)/r$: minimising $\sum_i \rho(r_i)$ is the same as a least-squares fit in which point $i$
# counts with weight $\psi(r_i)/r_i$ — re-computed from the residuals after every fit
# (iteratively re-weighted least squares, IRLS). Notice: for $\alpha < 1$ the pull
# **redescends** — a point far enough away is pulled *less* than a near one, and its weight goes to 0.

# %%
BARRON_ALPHAS = (2.0, 1.0, 0.5, 0.0, -2.0)     # the slider: drawn from MSE (2) to Geman–McClure (−2)
BARRON_SCALE = 1.0                             # c: residuals much smaller than c are treated as by MSE


def barron(r, alpha, c=BARRON_SCALE):
    """Barron's general robust loss ρ(r, α, c) per entry, from minigrad ops (α = 2 and α = 0 as limits)."""
    z = (r / c) ** 2
    if alpha == 2:
        return 0.5 * z
    if alpha == 0:
        return mg.log(0.5 * z + 1)
    a = abs(alpha - 2)
    return a / alpha * ((z / a + 1) ** (alpha / 2) - 1)


def barron_pull(r, alpha, c=BARRON_SCALE):
    """The closed form of ψ = ∂ρ/∂r = (r / c²)·((r/c)²/|α − 2| + 1)^(α/2 − 1), in numpy."""
    if alpha == 2:
        return r / c**2
    return r / c**2 * ((r / c) ** 2 / abs(alpha - 2) + 1) ** (alpha / 2 - 1)


names = {2.0: "α = 2: L2 (MSE / 2)", 1.0: "α = 1: Charbonnier", 0.0: "α = 0: Cauchy", -2.0: "α = −2: Geman–McClure"}
wide = np.linspace(-10, 10, 1000) * BARRON_SCALE          # an even count: no grid point at r = 0
family = {}
for alpha in BARRON_ALPHAS:
    r_t = mg.Tensor(wide, requires_grad=True)
    rho = barron(r_t, alpha)
    rho.sum().backward()                                  # entry i depends on r_i only: r_t.grad is ψ
    family[alpha] = (rho.data, r_t.grad, r_t.grad / wide)

# %%
fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
colors = plt.cm.viridis(np.linspace(0, 0.9, len(BARRON_ALPHAS)))
for (alpha, (rho, pull, weight)), color in zip(family.items(), colors):
    label = names.get(alpha, f"α = {alpha:g}")
    for ax, values in zip(axes, (rho, pull, weight)):
        ax.plot(wide, values, color=color, lw=2, label=label)
axes[0].set_ylim(-0.2, 6)
axes[1].set_ylim(-2.2, 2.2)
for ax, name in zip(axes, ("loss ρ(r, α, c)", "pull ψ = ∂ρ/∂r (backward)", "IRLS weight ψ(r) / r")):
    ax.set_xlabel(f"residual r (scale c = {BARRON_SCALE:g})")
    ax.set_ylabel(name)
axes[0].set_title("The loss: α sets how fast it stops growing")
axes[1].set_title("The pull: it redescends for α < 1")
axes[2].set_title("The weight of a point in the re-weighted fit")
axes[2].set_yscale("log")
axes[2].legend(loc="lower center", fontsize=8)
fig.suptitle("Barron's general robust loss: one slider α from L2 through Charbonnier and Cauchy to Geman–McClure")
fig.tight_layout()
show(fig, "barron_family")

# %%
zeros = np.zeros_like(wide)
with mg.no_grad():
    special = {2.0: (0.5 * losses.mse(wide, zeros, reduction="none") / BARRON_SCALE**2).data,
               1.0: np.sqrt((wide / BARRON_SCALE) ** 2 + 1) - 1,
               0.0: np.log(0.5 * (wide / BARRON_SCALE) ** 2 + 1),
               -2.0: 2 * (wide / BARRON_SCALE) ** 2 / ((wide / BARRON_SCALE) ** 2 + 4)}
worst_case = max(np.max(np.abs(barron(mg.Tensor(wide), alpha).data - value)) for alpha, value in special.items())
worst_pull = max(np.max(np.abs(family[alpha][1] - barron_pull(wide, alpha))) for alpha in BARRON_ALPHAS)
claim("barron_special_cases",
      "Barron's loss at α = 2, 1, 0, −2 is half of losses.mse, Charbonnier, Cauchy and Geman–McClure, "
      "and its pull from backward is the closed form ψ",
      worst_case < 1e-12 and worst_pull < 1e-12,
      f"largest difference: loss {worst_case:.1e}, pull {worst_pull:.1e}")
far = np.argmin(np.abs(wide - 10 * BARRON_SCALE))
redescends = {alpha: family[alpha][1][far] < np.max(family[alpha][1]) - 1e-9 for alpha in BARRON_ALPHAS}
claim("pull_redescends_below_one",
      "for every α < 1 the pull at r = 10c is below its peak (it redescends); for α ≥ 1 it is the largest",
      all(redescends[alpha] == (alpha < 1) for alpha in BARRON_ALPHAS),
      ", ".join(f"α = {alpha:g}: ψ(10c) = {family[alpha][1][far]:.3f}, peak {np.max(family[alpha][1]):.3f}"
                for alpha in BARRON_ALPHAS))

# %% [markdown]
# ## 6. Leverage points: where MAE and Huber break and Cauchy holds
#
# Part 2's outliers were wrong in $y$ only. An outlier far out in $x$ — a **leverage point** —
# is worse: its pull $\psi(r)$ acts through a lever of length $x$ on the slope. MAE and Huber
# bound $\psi$ but not $x$, so a few such points tilt their lines. Below, 35 of 100 points are
# outliers: 25 pushed up in $y$ as in part 2, and 10 far to the right ($x$ between 10 and 15)
# with $y$ near 0, where the true line is at 21 to 31.
#
# Every fit starts from the least-squares line and descends its own loss (`losses.mae`,
# `losses.huber`, Barron's $\rho$ at `ROBUST_ALPHA`) with Adam, the learning rate falling from
# `ROBUST_LR` to 0. MAE and Huber are convex: they have one minimum, and it is tilted. Cauchy
# ($\alpha = 0$) is not convex, so *where* it ends depends on the start and on the steps. Adam's
# first steps are about `ROBUST_LR` long in each parameter, long enough to leave the tilted
# line's neighbourhood before they shrink. IRLS with the weights of part 5, from the same start,
# jumps straight to the nearest minimum and is trapped there on most seeds (the thin dash-dot
# line): a redescending loss needs a good start or long first steps.

# %%
ROBUST_ALPHA = 0.0          # Barron's α for the robust fit (0: Cauchy; Try 1: convex Charbonnier)
LEVERAGE_POINTS = 10        # outliers far out in x (part 2 had none)
Y_OUTLIERS = 25             # outliers pushed up in y, as in part 2
ROBUST_LR = 1.0             # Adam's first step size, falling linearly to 0 (Try 0.1: the steps are too short)
ROBUST_STEPS = pick(400, 300)
IRLS_STEPS = pick(60, 30)


def leverage_data(seed):
    """100 points on y = 2x + 1 (noise 0.3): Y_OUTLIERS pushed up by 12–16,
    LEVERAGE_POINTS moved to x in [10, 15], y in [−5, 5]."""
    generator = np.random.default_rng(seed)
    xs = generator.uniform(-3, 3, 100)
    ys = TRUE_SLOPE * xs + TRUE_INTERCEPT + 0.3 * generator.standard_normal(100)
    chosen = generator.choice(100, Y_OUTLIERS + LEVERAGE_POINTS, replace=False)
    lever, up = chosen[:LEVERAGE_POINTS], chosen[LEVERAGE_POINTS:]
    xs[lever], ys[lever] = generator.uniform(10, 15, len(lever)), generator.uniform(-5, 5, len(lever))
    ys[up] += 12 + generator.uniform(0, 4, len(up))
    return xs, ys


def irls(per_entry_loss, xs, ys, start, steps):
    """Iteratively re-weighted least squares: weights ψ(r)/r with ψ from backward of the loss."""
    line = np.asarray(start, dtype=float)
    design = np.stack([xs, np.ones_like(xs)], 1)
    for _ in range(steps):
        r = mg.Tensor(line[0] * xs + line[1] - ys, requires_grad=True)
        per_entry_loss(r).sum().backward()
        weight = r.grad * r.data / np.maximum(r.data**2, 1e-12)     # ψ(r)/r; MAE's 1/|r| capped at 10⁶ near r = 0
        root = np.sqrt(weight)
        line = np.linalg.lstsq(design * root[:, None], ys * root, rcond=None)[0]
    return line


def descend_from(per_entry_loss, xs, ys, start, steps, lr):
    """Adam from `start` on the mean loss of every seed's line, lr falling linearly to 0: (seeds, 2)."""
    w = mg.Tensor(start[:, :1].copy(), requires_grad=True)
    b = mg.Tensor(start[:, 1:].copy(), requires_grad=True)
    opt, decay = decaying_adam([w, b], lr, steps)
    fit([w, b], lambda: per_entry_loss(w * xs + b - ys).mean(axis=1).sum(), steps, optimizer=opt, on_step=decay)
    return np.concatenate([w.data, b.data], axis=1)


leverage_losses = {
    "MAE": lambda r: losses.mae(r, np.zeros(r.shape), reduction="none"),
    huber: lambda r: losses.huber(r, np.zeros(r.shape), delta=HUBER_DELTA, reduction="none"),
    "robust": lambda r: barron(r, ROBUST_ALPHA),
}
robust = names.get(ROBUST_ALPHA, f"α = {ROBUST_ALPHA:g}").split(": ")[-1] + f" (α = {ROBUST_ALPHA:g})"
leverage_sets = [leverage_data(seed) for seed in SEEDS]
lev_x, lev_y = np.stack([d[0] for d in leverage_sets]), np.stack([d[1] for d in leverage_sets])   # (seeds, 100)
ls_lines = np.array([np.linalg.lstsq(np.stack([xs, np.ones_like(xs)], 1), ys, rcond=None)[0] for xs, ys in leverage_sets])
leverage_fits = {"least squares": ls_lines}
leverage_fits.update({name: descend_from(leverage_losses[key], lev_x, lev_y, ls_lines, ROBUST_STEPS, ROBUST_LR)
                      for name, key in (("MAE", "MAE"), (huber, huber), (robust, "robust"))})
robust_from_ls = np.array([irls(leverage_losses["robust"], xs, ys, line, IRLS_STEPS)          # the contrast
                           for line, (xs, ys) in zip(ls_lines, leverage_sets)])
leverage_gap = {name: gap_to_true_line(lines[:, 0], lines[:, 1]) for name, lines in leverage_fits.items()}
robust_from_ls = np.array(robust_from_ls)
trapped = gap_to_true_line(robust_from_ls[:, 0], robust_from_ls[:, 1]) > 1


def slope_of_total_loss(per_entry_loss, line, xs, ys):
    """The largest |∂/∂(w, b)| of Σ ρ(w x + b − y) at `line`, from backward: 0 at a minimum."""
    wb = mg.Tensor(np.asarray(line, dtype=float), requires_grad=True)
    per_entry_loss(wb[0] * xs + wb[1] - ys).sum().backward()
    return np.max(np.abs(wb.grad))


robust_slope = np.array([slope_of_total_loss(leverage_losses["robust"], line, xs, ys)
                         for line, (xs, ys) in zip(leverage_fits[robust], leverage_sets)])

# %%
xs, ys = leverage_sets[0]
fig, ax = plt.subplots(figsize=(11, 5.5))
ax.scatter(xs, ys, s=14, color="0.5", label=f"data: {100 - Y_OUTLIERS - LEVERAGE_POINTS} on the line, "
           f"{Y_OUTLIERS} pushed up, {LEVERAGE_POINTS} leverage points (x ≥ 10)")
span = np.linspace(-3, 15, 2)
ax.plot(span, TRUE_SLOPE * span + TRUE_INTERCEPT, color="black", lw=6, alpha=0.25, label="true line y = 2x + 1")
styles = {"least squares": dict(color="C0", lw=1.5, ls=":"), "MAE": dict(color="C1", lw=2.5),
          huber: dict(color="C2", lw=1.5, ls="--"), robust: dict(color="C3", lw=2.5)}
for name, lines in leverage_fits.items():
    ax.plot(span, lines[0, 0] * span + lines[0, 1], label=f"{name}: gap {leverage_gap[name][0]:.2f}", **styles[name])
ax.plot(span, robust_from_ls[0, 0] * span + robust_from_ls[0, 1], color="C3", lw=1, ls="-.",
        label=f"{robust} by IRLS from the same start: gap {gap_to_true_line(*robust_from_ls[0]):.2f}")
ax.set_ylim(-10, 35)
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_title(f"Seed {SEEDS[0]}: leverage points tilt MAE and Huber; {robust}, by Adam from least squares, holds\n"
             f"(IRLS from the same start is trapped on {trapped.sum()} of {len(SEEDS)} seeds: the loss is not convex)",
             fontsize=10)
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
fig.tight_layout()
show(fig, "leverage")

# %%
claim("leverage_breaks_mae_huber",
      "with leverage points, MAE's and Huber's fits lie more than 1 from the true line on every seed "
      "(part 2's outliers in y did not move them)",
      np.all(leverage_gap["MAE"] > 1) and np.all(leverage_gap[huber] > 1),
      "RMS gap, MAE vs Huber: " + per_seed(leverage_gap["MAE"], leverage_gap[huber]))
claim("cauchy_holds_leverage",
      f"{robust}, descending from the least-squares start, ends at a minimum of its loss (gradient below 10⁻⁴) "
      "within 0.3 of the true line on every seed, less than a fifth of MAE's and Huber's gaps",
      np.all(robust_slope < 1e-4) and np.all(leverage_gap[robust] < 0.3)
      and np.all(5 * leverage_gap[robust] < np.minimum(leverage_gap["MAE"], leverage_gap[huber])),
      "RMS gap, robust vs the nearer of MAE and Huber: "
      + per_seed(leverage_gap[robust], np.minimum(leverage_gap["MAE"], leverage_gap[huber]))
      + "; largest gradient at the robust fit " + ", ".join(f"{g:.0e}" for g in robust_slope))

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
# 4. Set `NOISE = "laplace"` in part 4 (the same variance, heavier tails). Which estimate
#    has the smaller error now — and which likelihood from part 3 fits Laplace noise?


# %% [markdown]
# ## Write it yourself: MSE and Huber
#
# Write the two losses of this lesson, one value per element (no mean: the reduction is applied
# outside), with $r = y - \hat y$:
#
# $$\text{MSE: } (y - \hat y)^2, \qquad
#   \text{Huber: } \begin{cases} \tfrac12 r^2 & |r| \le \delta \\ \delta |r| - \tfrac12 \delta^2 & |r| > \delta \end{cases}$$
#
# Build them from minigrad ops (`abs`, `mg.where`, `mg.minimum`, `**`) so that the gradient and the
# curvature of part 1 come out of `backward`. Replace each `raise`, then run the cell after it.

# %%
from lessons.exercises import grade  # noqa: E402  (the exercises' grader)


def mse(pred, target):
    """Squared error of every element:  L = (y - ŷ)²,  with ŷ = pred and y = target.

    Return one value per element (same shape as pred), as a minigrad Tensor: the
    mean over the data is taken outside (losses.reduce).
    """
    raise NotImplementedError("write mse here")


# %%
report = grade("mse", mse)

# %%
def huber(pred, target, delta=1.0):
    """Huber loss of every element, with r = y - ŷ:

        L = ½ r²              where |r| <= δ
        L = δ|r| - ½ δ²       where |r| >  δ

    Return one value per element (same shape as pred), as a minigrad Tensor.
    """
    raise NotImplementedError("write huber here")


# %%
report = grade("huber", huber)
