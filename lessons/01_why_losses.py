# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 01 — Why losses: what a loss is, what it is for, and what makes a good one
#
# A **loss** is one number that says how far a model's predictions $\hat y_i = f_\theta(x_i)$
# are from the actual values $y_i$, averaged over the data:
#
# $$L(\theta) = \frac1n \sum_{i=1}^n \ell\big(f_\theta(x_i),\, y_i\big), \qquad
#   \text{for instance } \ell(\hat y, y) = (y - \hat y)^2 .$$
#
# Its **purpose** is to guide training: the gradient $\nabla_\theta L$ tells every parameter
# which way to move, and an optimizer takes the step. The lecture asks three things of a loss —
#
# - **differentiable**, so that the gradient exists and carries information;
# - **task-appropriate**, because the model ends wherever its loss is lowest;
# - **well-scaled**, because the size of the loss sets the size of every step —
#
# and says that the choice of loss affects both **convergence** and the **model's behaviour**.
# Each of these is shown below and checked by a claim that compares two things that could
# come out either way. Run the cells in order; each figure appears under the cell that draws it.

# %%
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons.helpers import SEEDS, blobs, claim, finish, fit, line_with_outliers, pick, rng, show, start

lesson = start("01_why_losses")
# the figures draw data seed SEEDS[0] thick and the others thin
thin_seeds = ("thin: seed " if len(SEEDS) == 2 else "thin: seeds ") + ", ".join(map(str, SEEDS[1:]))

# %% [markdown]
# ## 1. A loss is a computation: the graph behind $L = (y - (w x + b))^2$
#
# One sample ($x = 2$, $y = 3$), a line with parameters $w = 0.5$, $b = 0.2$. We write the
# loss step by step, keeping every intermediate tensor, and ask minigrad for the gradient of
# $L$ with respect to each of them in **one** backward pass (`mg.grad`). The chain rule says
# what to expect: with $r = y - \hat y$,
#
# $$\frac{\partial L}{\partial r} = 2r,\quad \frac{\partial L}{\partial \hat y} = -2r,\quad
#   \frac{\partial L}{\partial b} = -2r,\quad \frac{\partial L}{\partial w} = -2r\,x .$$

# %%
w = mg.Tensor(0.5, requires_grad=True)
b = mg.Tensor(0.2, requires_grad=True)
x_one, y_one = 2.0, 3.0
wx = w * x_one
y_hat = wx + b
r = y_one - y_hat
L = r**2                      # one sample: the mean over the data is this value itself
nodes = {"w": w, "b": b, "(w·x)": wx, "ŷ": y_hat, "r": r}
grads = dict(zip(nodes, (g.item() for g in mg.grad(L, list(nodes.values())))))
print(f"L = {L.item():.4f}; gradients: " + ", ".join(f"∂L/∂{k} = {v:.3f}" for k, v in grads.items()))

# %%
# (position, text, colour) of every box; arrows go from inputs to the result they feed
boxes = {
    "w": ((0, 0.8), f"w (parameter)\nvalue {w.item():g}\n∂L/∂w = {grads['w']:.3g}", "#cfe8ff"),
    "x": ((0, -0.8), f"x (input)\nvalue {x_one:g}", "0.92"),
    "w·x": ((1, 0), f"w·x\nvalue {wx.item():.3g}\n∂L/∂(w·x) = {grads['(w·x)']:.3g}", "#ffe9c7"),
    "b": ((1, -1.3), f"b (parameter)\nvalue {b.item():g}\n∂L/∂b = {grads['b']:.3g}", "#cfe8ff"),
    "ŷ": ((2, 0), f"ŷ = w·x + b\nvalue {y_hat.item():.3g}\n∂L/∂ŷ = {grads['ŷ']:.3g}", "#ffe9c7"),
    "y": ((2, 1.3), f"y (target)\nvalue {y_one:g}", "0.92"),
    "r": ((3, 0), f"r = y − ŷ\nvalue {r.item():.3g}\n∂L/∂r = {grads['r']:.3g}", "#ffe9c7"),
    "L": ((4, 0), f"L = r²\nvalue {L.item():.3g}\n∂L/∂L = 1", "#ffd0d0"),
}
edges = [("w", "w·x"), ("x", "w·x"), ("w·x", "ŷ"), ("b", "ŷ"), ("ŷ", "r"), ("y", "r"), ("r", "L")]
fig, ax = plt.subplots(figsize=(11, 4.2))
for start_box, end_box in edges:
    ax.annotate("", xy=boxes[end_box][0], xytext=boxes[start_box][0],
                arrowprops=dict(arrowstyle="-|>", color="0.4", shrinkA=30, shrinkB=30, lw=1.2))
for position, text, face in boxes.values():
    ax.text(*position, text, ha="center", va="center", fontsize=9,
            bbox=dict(boxstyle="round,pad=0.4", fc=face, ec="0.3"))
ax.set_xlim(-0.6, 4.6)
ax.set_ylim(-1.9, 1.9)
ax.axis("off")
ax.set_title("The graph behind L = (y − (w·x + b))²: values flow right, gradients flow back left\n"
             "(blue: parameters, grey: data, orange: intermediate results, red: the loss)")
fig.tight_layout()
show(fig, "graph")

# %%
r_value = r.item()
by_hand = {"r": 2 * r_value, "ŷ": -2 * r_value, "(w·x)": -2 * r_value, "b": -2 * r_value, "w": -2 * r_value * x_one}
worst = max(abs(grads[k] - by_hand[k]) for k in by_hand)
claim("chain_rule_by_hand", "every gradient from backward equals the chain rule worked by hand",
      worst < 1e-12, ", ".join(f"∂L/∂{k}: {grads[k]:.4f} vs {by_hand[k]:.4f}" for k in by_hand))

# %% [markdown]
# ## 2. The purpose of a loss: its gradient guides the step
#
# Gradient descent moves the parameters against the gradient by a step size $\eta$:
# $\theta \leftarrow \theta - \eta\,\nabla_\theta L$. Here the new residual has a closed form,
#
# $$r' = r\,\big(1 - 2\eta\,(x^2 + 1)\big),$$
#
# so a small step shrinks the error, and a step longer than $\eta = 1/(x^2+1) = 0.2$
# overshoots so far that the loss *rises*: the gradient says which way, the step size
# says how far. Notice in the figure that the step *along* the gradient always raises the loss.

# %%
STEP_SIZE = 0.05               # Try it 1: 0.25
etas = np.linspace(0.0, 0.3, 301)


def loss_after_step(eta, direction):
    """L at θ + direction·η·∇L (direction −1: gradient descent), for an array of step sizes η."""
    with mg.no_grad():
        w_new = w.item() + direction * eta * grads["w"]
        b_new = b.item() + direction * eta * grads["b"]
        return losses.mse(mg.Tensor(w_new * x_one + b_new), np.full(np.shape(eta), y_one), reduction="none").data


against, along = loss_after_step(etas, -1), loss_after_step(etas, +1)
after_step = {"against": loss_after_step(STEP_SIZE, -1).item(), "along": loss_after_step(STEP_SIZE, +1).item()}
too_long = 1 / (x_one**2 + 1)

# %%
fig, ax = plt.subplots(figsize=(8, 4.5))
ax.plot(etas, against, color="C0", lw=2, label="step against the gradient (gradient descent)")
ax.plot(etas, along, color="C3", lw=2, ls="--", label="step along the gradient")
ax.axhline(L.item(), color="black", lw=1, label=f"loss before the step: {L.item():.2f}")
ax.axvspan(too_long, etas[-1], color="C1", alpha=0.15, label=f"η > 1/(x²+1) = {too_long:g}: the step overshoots")
ax.plot([STEP_SIZE], [after_step["against"]], "o", color="C0", ms=9, mfc="white", mew=2,
        label=f"STEP_SIZE = {STEP_SIZE:g}: loss {after_step['against']:.3f}")
ax.set_ylim(-0.3, 3 * L.item())
ax.set_xlabel("step size η")
ax.set_ylabel("loss after one step")
ax.set_title("Against the gradient the loss falls — until the step is too long")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
fig.tight_layout()
show(fig, "gradient_step")

# %%
claim("step_lowers_loss",
      f"a step of η = {STEP_SIZE:g} against the gradient lowers the loss, and the same step along it raises it",
      after_step["against"] < L.item() < after_step["along"],
      f"against: {after_step['against']:.4f}, before: {L.item():.4f}, along: {after_step['along']:.4f}")

# %% [markdown]
# ## 3. Differentiable: a loss whose gradient is zero teaches nothing
#
# For classification the quantity we care about is the error rate, the **0-1 loss**:
# 1 for a wrong answer, 0 for a right one. As a function of the margin $m = \pm z$ (the logit
# $z$, signed by the true class) it is a step, flat on both sides, so its gradient is zero
# almost everywhere. We write it as a ramp of width `RAMP_WIDTH` so that minigrad can
# differentiate it: $\ell_{01}(m) = \text{clip}(-m/\text{width},\,0,\,1)$, which for a tiny
# width *is* the step. The smooth surrogate is cross-entropy, $\log(1 + e^{-m})$.
#
# Both train the same linear classifier with plain gradient descent, from a start that gets
# most points wrong, on two overlapping blobs, once per data seed.

# %%
RAMP_WIDTH = 1e-6              # Try it 2: 0.5
CLASSIFY_STEPS = pick(200, 100)
blob_data = [blobs(n_per_class=50, centers=((-1.5, 0), (1.5, 0)), std=1.0, seed=seed) for seed in SEEDS]
X = np.stack([d[0] for d in blob_data])                    # (seeds, 100, 2)
labels = np.stack([d[1] for d in blob_data]).astype(float)  # (seeds, 100), 0 or 1
sign = 2 * labels - 1                                       # +1 for class 1, -1 for class 0


def zero_one(logits):
    margin = logits * sign
    return (-margin / RAMP_WIDTH).clip(0, 1)


def cross_entropy(logits):
    return losses.binary_cross_entropy_with_logits(logits, labels, reduction="none")


def train_classifier(per_sample_loss, steps, lr=0.5):
    """Gradient descent on z = X·w + b for every seed; the accuracy before and after each step."""
    w = mg.Tensor(np.tile([-1.0, 0.5], (len(SEEDS), 1, 1)), requires_grad=True)   # points the wrong way
    b = mg.Tensor(np.zeros((len(SEEDS), 1)), requires_grad=True)
    accuracy = lambda: np.mean(((X * w.data).sum(axis=2) + b.data > 0) == (labels > 0), axis=1)   # noqa: E731
    history = [accuracy()]
    fit([w, b], lambda: per_sample_loss((X * w).sum(axis=2) + b).mean(axis=1).sum(), steps, lr=lr,
        optimizer="sgd", on_step=lambda step: history.append(accuracy()))
    return np.array(history)                                # (steps + 1, seeds)


accuracy = {"0-1 loss": train_classifier(zero_one, CLASSIFY_STEPS),
            "cross-entropy": train_classifier(cross_entropy, CLASSIFY_STEPS)}

# %%
margins = np.linspace(-4, 4, 801)
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
left.plot(margins, np.clip(-margins / RAMP_WIDTH, 0, 1), color="C3", lw=2,
          label=f"0-1 loss (ramp width {RAMP_WIDTH:g})")
left.plot(margins, np.logaddexp(0, -margins), color="C0", lw=2, label="cross-entropy log(1 + e⁻ᵐ)")
left.set_xlabel("margin m (the logit, signed by the true class)")
left.set_ylabel("loss of one sample")
left.set_title("The 0-1 loss is flat on both sides of its step")
left.legend(loc="upper right")
for (name, history), color in zip(accuracy.items(), ["C3", "C0"]):
    for i in range(len(SEEDS)):
        right.plot(np.arange(CLASSIFY_STEPS + 1), history[:, i], color=color, lw=2 if i == 0 else 0.8,
                   label=name if i == 0 else None)
right.plot([], [], color="0.4", lw=0.8, label=thin_seeds)
right.set_ylim(0, 1.02)
right.set_xlabel("step of gradient descent (lr = 0.5, full batch)")
right.set_ylabel("accuracy")
stalled = np.all(accuracy["0-1 loss"][-1] == accuracy["0-1 loss"][0])
right.set_title("Gradient descent on the 0-1 loss " + ("never moves" if stalled else "learns too: its ramp has a slope")
                + "; cross-entropy learns")
right.legend(loc="center right")
fig.tight_layout()
show(fig, "differentiable")

# %%
start_acc, step_end, smooth_end = accuracy["0-1 loss"][0], accuracy["0-1 loss"][-1], accuracy["cross-entropy"][-1]
claim("zero_one_loss_stalls",
      "on every seed, gradient descent on the 0-1 loss leaves the accuracy where it started, "
      "while cross-entropy raises it",
      np.all(step_end == start_acc) and np.all(smooth_end > start_acc),
      "; ".join(f"seed {s}: start {a:.0%}, 0-1 loss {z:.0%}, cross-entropy {c:.0%}"
                for s, a, z, c in zip(SEEDS, start_acc, step_end, smooth_end)))

# %% [markdown]
# ## 4. Well-scaled: the size of the loss is the size of the step
#
# Multiply a loss by a constant $k$ and its minimum stays where it was — but its gradient
# is $k$ times larger, and plain gradient descent steps $\eta\,k\,\nabla L$. With the same
# learning rate, $k = 1000$ makes every step a thousand times too long and $k = 0.001$ a
# thousand times too short. (For MSE on this line fit the largest curvature is about 6, so
# a step is stable only while $\eta\,k\,6 < 2$.) The three runs below fit the same line to the
# same clean data; we measure all of them with the *unscaled* MSE, minus its optimum.
#
# This is the training loop that `fit` runs, written out: zero the gradients, compute the
# loss, backward, step. A run that blows up past a million times its start is stopped.

# %%
LR = 0.05                      # Try it 3: 5e-5
OPTIMIZER = "sgd"              # "adam" divides each step by the gradient's own size
SCALE_DOWN = 0.001
SCALE_UP = 1000.0
SCALE_STEPS = pick(200, 100)
clean = [line_with_outliers(n=100, outlier_fraction=0.0, seed=seed) for seed in SEEDS]
x_line, y_line = np.stack([d[0] for d in clean]), np.stack([d[1] for d in clean])
least_squares = np.array([np.linalg.lstsq(np.stack([xs, np.ones_like(xs)], 1), ys, rcond=None)[0]
                          for xs, ys in zip(x_line, y_line)])
best_mse = np.mean((y_line - least_squares[:, :1] * x_line - least_squares[:, 1:]) ** 2, axis=1)


def train_scaled(scale, steps):
    """Minimise scale × MSE with OPTIMIZER at LR; the unscaled MSE minus its optimum before each step."""
    w = mg.Tensor(np.zeros((len(SEEDS), 1)), requires_grad=True)
    b = mg.Tensor(np.zeros((len(SEEDS), 1)), requires_grad=True)
    opt = mg.optim.SGD([w, b], lr=LR) if OPTIMIZER == "sgd" else mg.optim.Adam([w, b], lr=LR)
    excess = []
    for _ in range(steps):
        opt.zero_grad()
        per_seed = losses.mse(w * x_line + b, y_line, reduction="none").mean(axis=1)
        excess.append(per_seed.data - best_mse)
        if np.any(excess[-1] > 1e6 * excess[0]):
            break                                     # diverged: stop before it overflows
        (scale * per_seed.sum()).backward()
        opt.step()
    return np.array(excess)                           # (steps run, seeds)


excess = {scale: train_scaled(scale, SCALE_STEPS) for scale in (SCALE_DOWN, 1.0, SCALE_UP)}

# %%
fig, (ax, share_ax) = plt.subplots(1, 2, figsize=(14, 4.8), gridspec_kw={"width_ratios": [1.15, 1]})
verdicts = []
for (scale, history), color, width in zip(excess.items(), ["C2", "C0", "C3"], [5, 2, 2]):
    ended = "stopped: diverged" if len(history) < SCALE_STEPS else f"{history[-1, 0]:.1e} at the end"
    for i in range(len(SEEDS)):      # × SCALE_DOWN drawn wide, so a curve on top of it leaves it visible
        style = dict(color=color, lw=width if i == 0 else 0.8, alpha=0.6 if width > 2 else 1,
                     marker="o" if len(history) < 10 else None)
        ax.plot(np.arange(len(history)), np.maximum(history[:, i], 1e-16),
                label=f"loss × {scale:g} ({ended})" if i == 0 else None, **style)
        share_ax.plot(np.arange(len(history)), history[:, i] / history[0, i], **style)
    went = ("blows up" if np.any(history[-1] > history[0]) else "converges" if np.all(history[-1] < 1e-6 * history[0])
            else "crawls")
    verdicts.append(f"× {scale:g} {went}")
ax.plot([], [], color="0.4", lw=0.8, label=thin_seeds)
ax.set_yscale("log")
ax.set_xlabel(f"step ({OPTIMIZER}, lr = {LR:g}, the same for all three)")
ax.set_ylabel("unscaled MSE minus its minimum\n(floored at 10⁻¹⁶, the float precision)")
ax.set_title("Log axis: the whole range, 10⁻¹⁶ to blow-up")
fig.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=4, fontsize=9)
share_ax.set_ylim(0, 1.1)
share_ax.set_xlabel(f"step ({OPTIMIZER}, lr = {LR:g})")
share_ax.set_ylabel("share of the starting excess still left\n(linear axis; a blow-up leaves the chart)")
share_ax.set_title(f"Linear axis: × {SCALE_DOWN:g} removes "
                   f"{1 - excess[SCALE_DOWN][-1, 0] / excess[SCALE_DOWN][0, 0]:.1%} in {len(excess[SCALE_DOWN]) - 1} steps")
fig.suptitle("Same loss, same lr: " + ", ".join(verdicts))
fig.tight_layout(rect=(0, 0.07, 1, 1))
show(fig, "scaling")

# %%
removed = {scale: 1 - history[-1] / history[0] for scale, history in excess.items()}   # share of the excess gone
claim("scaled_up_diverges",
      f"at lr = {LR:g}, the loss × {SCALE_UP:g} ends higher than it started on every seed, while × 1 converges",
      np.all(excess[SCALE_UP][-1] > excess[SCALE_UP][0]) and np.all(removed[1.0] > 1 - 1e-6),
      f"× {SCALE_UP:g}: " + ", ".join(f"{a:.1f} → {e:.1e}" for a, e in zip(excess[SCALE_UP][0], excess[SCALE_UP][-1]))
      + f" after {len(excess[SCALE_UP]) - 1} steps; × 1 removes " + ", ".join(f"{v:.6%}" for v in removed[1.0]))
claim("scaled_down_crawls",
      f"at lr = {LR:g}, the loss × {SCALE_DOWN:g} removes less than a quarter of the excess loss in "
      f"{SCALE_STEPS} steps on every seed, while × 1 removes all of it",
      np.all(removed[SCALE_DOWN] < 0.25) and np.all(removed[1.0] > 1 - 1e-6),
      f"share removed, × {SCALE_DOWN:g}: " + ", ".join(f"{v:.1%}" for v in removed[SCALE_DOWN])
      + "; × 1: " + ", ".join(f"{v:.6%}" for v in removed[1.0]))

# %% [markdown]
# ## 5. The choice of loss decides where training ends
#
# The simplest model predicts one number $c$ for every sample (a price without any features).
# The data are 36 typical values near 2 (spread `SPREAD`) and five large ones in `TAIL`. Three
# losses, three answers: MSE ends at the **mean**, which the large values pull up; MAE at the
# **median**, which ignores how far they are; Huber in between. Why in between: Huber's $c$ is
# where the pulls balance, $\sum_i \text{clip}(y_i - c, -\delta, \delta) = 0$. Each large value
# pulls with $\delta$ only, like MAE; the 36 typical ones pull like MSE, in proportion to their
# residual, so they balance the five when $c$ sits about $5\delta/36 \approx 0.14$ above their own
# mean. The median moves less: it only steps up to the 21st of the 36 typical values, about
# $0.18 \times$ `SPREAD` above their centre. (With a spread much larger than $\delta$ that order can
# flip on some seeds: try `SPREAD = 0.8`.)
# Adam's learning rate falls linearly to 0 so that even MAE, with its kink, settles exactly.

# %%
TAIL = (8.0, 10.0)             # Try it 4: (80.0, 100.0)
SPREAD = 0.25                  # standard deviation of the 36 typical values
HUBER_DELTA = 1.0
FIT_LR = 0.5
FIT_STEPS = pick(600, 300)
values = np.stack([np.concatenate([rng(seed).normal(2.0, SPREAD, 36), rng(seed + 100).uniform(*TAIL, 5)])
                   for seed in SEEDS])                                   # (seeds, 41)
constant_losses = {"MSE": losses.mse, "MAE": losses.mae,
                   f"Huber δ={HUBER_DELTA:g}": lambda p, t, reduction: losses.huber(p, t, delta=HUBER_DELTA,
                                                                                    reduction=reduction)}


def train_constant(per_entry_loss, steps, lr):
    """Fit one constant c per seed with Adam, lr decaying linearly to 0; c after every step, (steps, seeds)."""
    c = mg.Tensor(np.zeros((len(SEEDS), 1)), requires_grad=True)
    opt = mg.optim.Adam([c], lr=lr)
    path = []
    def after_step(step):
        opt.lr = lr * (1 - (step + 1) / steps)
        path.append(c.data[:, 0].copy())
    fit([c], lambda: per_entry_loss(c * np.ones_like(values), values, reduction="none").mean(axis=1).sum(), steps,
        optimizer=opt, on_step=after_step)
    return np.array(path)


constant_paths = {label: train_constant(loss, FIT_STEPS, FIT_LR) for label, loss in constant_losses.items()}
mean, median = values.mean(axis=1), np.median(values, axis=1)
end = {label: path[-1] for label, path in constant_paths.items()}

# %%
huber = f"Huber δ={HUBER_DELTA:g}"
grid_c = np.linspace(0, max(10.0, TAIL[1]), 401)
colors = {"MSE": "C0", "MAE": "C1", huber: "C2"}
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5))
for label, loss in constant_losses.items():
    table = np.broadcast_to(grid_c[:, None], (len(grid_c), values.shape[1]))   # every c against every value
    with mg.no_grad():
        curve = loss(mg.Tensor(table), np.broadcast_to(values[0], table.shape), reduction="none").data.mean(axis=1)
    left.plot(grid_c, curve, color=colors[label], lw=2, label=f"{label}: ends at c = {end[label][0]:.2f}")
    left.axvline(end[label][0], color=colors[label], ls=":", lw=1.5)
    right.plot(np.arange(1, FIT_STEPS + 1), constant_paths[label][:, 0], color=colors[label], lw=2, label=label)
left.plot(values[0], np.full(values.shape[1], 0.04), "|", color="black", ms=14, label="the 41 data values",
          transform=left.get_xaxis_transform())
left.plot([], [], color="0.4", ls=":", lw=1.5, label="dotted: where training ended")
left.set_yscale("log")
left.set_xlabel("prediction c (the same for every sample)")
left.set_ylabel("loss averaged over the data")
left.set_title(f"Seed {SEEDS[0]}: each loss has its minimum in a different place")
left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
right.axhline(mean[0], color="C0", ls="--", lw=1, label=f"data mean {mean[0]:.2f}")
right.axhline(median[0], color="C1", ls="--", lw=1, label=f"data median {median[0]:.2f}")
right.set_xlabel("training step (Adam, learning rate decaying to 0)")
right.set_ylabel("c")
right.set_title("Training ends at the mean (MSE) or at the median (MAE)")
right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)
fig.tight_layout()
show(fig, "different_minima")

# %%
def ends_at(label, own, other, tolerance):
    """Within `tolerance` of its own statistic on every seed, and ten tolerances or more from the other."""
    return bool(np.all(np.abs(end[label] - own) < tolerance) and np.all(np.abs(end[label] - other) > 10 * tolerance))


claim("mse_ends_at_mean", "on every seed, MSE's c ends at the mean of the data, not at the median",
      ends_at("MSE", mean, median, 1e-3),
      "; ".join(f"seed {s}: c = {c:.4f}, mean {m:.4f}, median {d:.4f}" for s, c, m, d in zip(SEEDS, end["MSE"], mean, median)))
claim("mae_ends_at_median", "on every seed, MAE's c ends at the median of the data, not at the mean",
      ends_at("MAE", median, mean, 1e-2),
      "; ".join(f"seed {s}: c = {c:.4f}, median {d:.4f}, mean {m:.4f}" for s, c, m, d in zip(SEEDS, end["MAE"], mean, median)))
claim("huber_ends_between", f"on every seed, {huber}'s c ends between the median and the mean, nearer the median",
      bool(np.all((median < end[huber]) & (end[huber] < mean) & (end[huber] - median < mean - end[huber]))),
      "; ".join(f"seed {s}: {d:.3f} < {c:.3f} < {m:.3f}" for s, c, m, d in zip(SEEDS, end[huber], mean, median)))

# %% [markdown]
# ## 6. The choice of loss decides how training gets there
#
# Each point of the plane below is a line $\hat y = w x + b$; the contours are the loss of
# that line on 30 points, three of them outliers. MSE's landscape is a smooth, stretched bowl:
# plain gradient descent zig-zags across its steep direction and crawls along the shallow one.
# MAE's landscape has straight creases (one per data point) and a corner at its minimum —
# in a different place than MSE's. The best MAE line passes through two data points, so
# trying every pair finds it exactly.
#
# How long may a step of plain gradient descent be? Part 4 gave the rule: stable while
# $\eta\,\lambda_{\max} < 2$, where $\lambda_{\max}$ is the largest curvature of the bowl. For MSE
# on a line the curvature is the same everywhere, the Hessian
# $2\begin{pmatrix}\overline{x^2} & \bar x\\ \bar x & 1\end{pmatrix}$, so we compute it for each data
# seed and step at `GD_SHARE` of that seed's limit $2/\lambda_{\max}$ (a fixed lr such as 0.14 is
# stable on most seeds here and diverges on a few whose points sit further right).

# %%
GD_SHARE = 0.9                 # plain gradient descent (the red paths) steps at this share of 2 / λ_max
ADAM_LR = 0.3                  # Adam, decaying to 0 (the orange paths)
PATH_STEPS = pick(300, 200)
START = (2.5, 3.0)


def landscape_data(seed):
    generator = rng(seed)
    x = generator.uniform(0, 4, 30)
    y = 1.5 * x - 1.0 + 0.3 * generator.standard_normal(30)
    y[[3, 11, 20]] += 6.0            # three outliers, all above the line
    return x, y


def best_line_through_two_points(x, y):
    """The least-absolute-deviation line: the best of the lines through every pair of points."""
    i, j = np.triu_indices(len(x), 1)
    slopes = (y[j] - y[i]) / (x[j] - x[i])
    intercepts = y[i] - slopes * x[i]
    errors = np.abs(slopes[:, None] * x + intercepts[:, None] - y).mean(axis=1)
    return np.array([slopes[np.argmin(errors)], intercepts[np.argmin(errors)]])


def descend(per_entry_loss, x, y, kind, lr, steps):
    """The (w, b) path of SGD or decaying Adam from START, for every seed: shape (steps + 1, seeds, 2).
    lr is one number, or for SGD one step size per seed (shape (seeds,))."""
    w = mg.Tensor(np.full((len(x), 1), START[0]), requires_grad=True)
    b = mg.Tensor(np.full((len(x), 1), START[1]), requires_grad=True)
    # SGD at lr 1 on Σ_s lr_s·L_s steps each seed by lr_s·∇L_s: only lr × scale matters (part 4)
    per_seed_lr = np.broadcast_to(np.asarray(lr, dtype=float), (len(x),))[:, None]
    opt = mg.optim.SGD([w, b], lr=1.0) if kind == "sgd" else mg.optim.Adam([w, b], lr=lr)
    scale = per_seed_lr if kind == "sgd" else 1.0
    path = [np.concatenate([w.data, b.data], axis=1)]
    def after_step(step):
        if kind == "adam":
            opt.lr = lr * (1 - (step + 1) / steps)
        path.append(np.concatenate([w.data, b.data], axis=1))
    fit([w, b], lambda: (scale * per_entry_loss(w * x + b, y, reduction="none").mean(axis=1, keepdims=True)).sum(),
        steps, optimizer=opt, on_step=after_step)
    return np.array(path)


landscape = [landscape_data(seed) for seed in SEEDS]
x_land, y_land = np.stack([d[0] for d in landscape]), np.stack([d[1] for d in landscape])
minima = {"MSE": np.array([np.linalg.lstsq(np.stack([xs, np.ones_like(xs)], 1), ys, rcond=None)[0]
                           for xs, ys in zip(x_land, y_land)]),
          "MAE": np.array([best_line_through_two_points(xs, ys) for xs, ys in zip(x_land, y_land)])}
hessian = 2 * np.array([[np.mean(x_land**2, axis=1), np.mean(x_land, axis=1)],
                        [np.mean(x_land, axis=1), np.ones(len(SEEDS))]]).transpose(2, 0, 1)   # (seeds, 2, 2)
limit = 2 / np.linalg.eigvalsh(hessian)[:, -1]            # the longest stable step, per seed
gd_lr = GD_SHARE * limit
land_paths = {(name, kind): descend(loss, x_land, y_land, kind, lr, PATH_STEPS)
              for name, loss in (("MSE", losses.mse), ("MAE", losses.mae))
              for kind, lr in (("sgd", gd_lr), ("adam", ADAM_LR))}

# %%
w_grid = np.linspace(-2.0, 3.0, pick(160, 80))
b_grid = np.linspace(-3.0, 4.5, pick(160, 80))
W, B = np.meshgrid(w_grid, b_grid)
fig, axes = plt.subplots(1, 2, figsize=(13, 5.4))
for ax, (name, loss) in zip(axes, (("MSE", losses.mse), ("MAE", losses.mae))):
    pred = W[..., None] * x_land[0] + B[..., None]                    # every line against seed 0's data
    with mg.no_grad():
        surface = loss(mg.Tensor(pred), np.broadcast_to(y_land[0], pred.shape), reduction="none").data.mean(axis=-1)
    low, high = surface.min(), surface.max()
    contours = ax.contour(w_grid, b_grid, surface, levels=low + (high - low) * np.geomspace(0.002, 1, 20),
                          cmap="viridis", linewidths=1)               # levels crowd near the minimum
    fig.colorbar(contours, ax=ax, label=f"{name} of the line (seed {SEEDS[0]})", format="%.2g")
    for (kind, label), color in zip((("sgd", f"gradient descent (lr {gd_lr[0]:.3f} = {GD_SHARE:g} × 2/λ_max)"),
                                     ("adam", f"Adam (lr {ADAM_LR:g}, decaying)")), ["crimson", "darkorange"]):
        path = land_paths[name, kind][:, 0]
        ax.plot(path[:, 0], path[:, 1], ".-", color=color, ms=3, lw=1, label=label)
    ax.plot(*START, "ks", ms=7, label="start")
    for other, marker in zip(["MSE", "MAE"], ["*", "P"]):
        ax.plot(*minima[other][0], marker, color="black", mfc="white", ms=14,
                label=f"minimum of {other}: w = {minima[other][0, 0]:.2f}, b = {minima[other][0, 1]:.2f}")
    ax.set_xlim(w_grid[0], w_grid[-1])
    ax.set_ylim(b_grid[0], b_grid[-1])
    ax.set_xlabel("slope w")
    ax.set_ylabel("intercept b")
fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncol=3, fontsize=9)
axes[0].set_title(f"Seed {SEEDS[0]}, MSE: a smooth stretched bowl; gradient descent zig-zags across it")
axes[1].set_title("MAE: creases and a corner, and the minimum sits elsewhere")
fig.tight_layout(rect=(0, 0.1, 1, 1))
show(fig, "landscape")

# %%
off_gd = np.max(np.abs(land_paths["MSE", "sgd"][-1] - minima["MSE"]), axis=1)
claim("gd_reaches_least_squares",
      f"on every seed, gradient descent on MSE at {GD_SHARE:g} of its stable step 2/λ_max reaches the least-squares line",
      np.all(off_gd < 1e-3), ", ".join(f"seed {s}: lr {η:.3f}, off by {o:.1e}" for s, η, o in zip(SEEDS, gd_lr, off_gd)))


def mae_of(lines):
    """The MAE of each seed's line (w, b) on its own data, in numpy: (seeds,)."""
    return np.mean(np.abs(lines[:, :1] * x_land + lines[:, 1:] - y_land), axis=1)


# MAE's minimum can be a flat valley (several lines within 10⁻³ of the best), so compare losses, not positions
adam_excess = mae_of(land_paths["MAE", "adam"][-1]) - mae_of(minima["MAE"])
mse_line_excess = mae_of(minima["MSE"]) - mae_of(minima["MAE"])
claim("adam_mae_ends_at_mae_minimum",
      "on every seed, Adam on MAE ends at MAE's own minimum (brute force): less than 10⁻³ above it, "
      "and less than a tenth of what MSE's best line pays above it",
      np.all((adam_excess < 1e-3) & (adam_excess < mse_line_excess / 10)),
      ", ".join(f"seed {s}: Adam {a:.1e} above, MSE's line {m:.3f} above"
                for s, a, m in zip(SEEDS, adam_excess, mse_line_excess)))

# %%
finish()

# %% [markdown]
# ## Try it
#
# Predict before you run; then compare with [the answers](answers/01_why_losses.md).
#
# 1. Set `STEP_SIZE = 0.25` in part 2. The new residual is $r(1 - 2\eta(x^2+1))$: what is it
#    now, and does the step against the gradient still lower the loss?
# 2. Set `RAMP_WIDTH = 0.5` in part 3, so the "0-1 loss" slopes over half a unit of margin.
#    Which points now get a gradient — and does gradient descent on it still stall?
# 3. Set `LR = 5e-5` in part 4 (a thousand times smaller). Which of the three scaled losses
#    converges now, which crawls, which diverges?
# 4. Set `TAIL = (80.0, 100.0)` in part 5: the five large values become ten times larger.
#    Which of the three answers moves, and by how much?


# %% [markdown]
# ## Write it yourself: the backward of one op
#
# Part 1 drew the graph of $L = (y - \hat y)^2$. Each node of such a graph is an op that knows
# its own backward. Write one: the op $(\hat y - y)^2$, elementwise, computed with numpy and
# recorded with `mg.record(value, (pred, target), backward, name="squared_error")`, where
# `backward(g, out)` returns one gradient per parent:
#
# $$\frac{\partial L}{\partial \hat y} = g \cdot 2(\hat y - y), \qquad
#   \frac{\partial L}{\partial y} = -g \cdot 2(\hat y - y).$$
#
# Write the backward with the tensors `g`, `pred` and `target`, not their `.data`: then
# `backward(create_graph=True)` can differentiate it again, and the grader checks the second
# derivative, 2, too. Replace the `raise` below, then run the next cell: `grade` says what it
# tried and, for a check that fails, the smallest input that fails and what the slip most likely is.

# %%
from lessons.exercises import grade  # noqa: E402  (the exercises' grader)


def squared_error(pred, target):
    """The op (ŷ - y)², elementwise, computed with numpy and recorded with its backward.

    Forward:   out = (pred.data - target.data) ** 2
    Backward:  dL/dŷ = g · 2(ŷ - y),   dL/dy = g · (-2)(ŷ - y)
    Make the output with mg.record(value, (pred, target), backward, name="squared_error"),
    where backward(g, out) returns one gradient per parent. Write it with the tensors g,
    pred and target (not their .data), so that backward(create_graph=True) can
    differentiate it again.
    """
    raise NotImplementedError("write squared_error here")


# %%
report = grade("squared_error", squared_error)
