# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 — Cross-entropy: the loss for classification
#
# A classifier outputs probabilities — $p = \sigma(z)$ for two classes, $p = \text{softmax}(z)$
# for several — computed from **logits** $z$. Cross-entropy charges the log of the probability
# given to the true class:
#
# $$\text{BCE} = -\big[y \log p + (1-y)\log(1-p)\big] \qquad\qquad
#   \text{CE} = -\sum_i y_i \log p_i .$$
#
# What to notice: it charges almost nothing for a confident right answer and without limit
# for a confident wrong one; its gradient with respect to the logit is simply $p - y$; it is
# the negative log-likelihood of the labels, so a fitted constant probability is the observed
# frequency; it trains a classifier faster than squared error on probabilities; and it must
# be computed from logits.
#
# Run the cells in order; each figure appears under the cell that draws it.

# %%
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons.helpers import SEEDS, blobs, claim, decision_regions, finish, fit, pick, rng, show, start

lesson = start("03_cross_entropy")
# the figures draw data seed SEEDS[0] thick and the others thin
thin_seeds = ("thin: seed " if len(SEEDS) == 2 else "thin: seeds ") + ", ".join(map(str, SEEDS[1:]))

# %% [markdown]
# ## 1. Binary cross-entropy against the predicted probability
#
# For $y = 1$ the loss is $-\log p$: nearly 0 at $p = 0.99$, 4.6 at $p = 0.01$, and it keeps
# climbing as $p \to 0$. Compare the dotted squared error $(p - y)^2$: it never charges more
# than 1, however confident and wrong the prediction is. So how much *more* does a confident
# mistake cost than a mild one? We compare the ratio of the two charges under each loss.

# %%
CONFIDENT_P = 0.01             # Try it 1: 1e-6
MILD_P = 0.4
p = np.linspace(0.001, 0.999, 999)
bce = {y: losses.binary_cross_entropy(p, np.full_like(p, y), reduction="none").data for y in (1.0, 0.0)}
squared = {y: losses.mse(p, np.full_like(p, y), reduction="none").data for y in (1.0, 0.0)}
charge = {name: {q: f([q], [1.0]).item() for q in (CONFIDENT_P, MILD_P)}
          for name, f in (("cross-entropy", losses.binary_cross_entropy), ("squared error", losses.mse))}

# %%
fig, ax = plt.subplots(figsize=(10, 5))
for y, color in ((1.0, "C0"), (0.0, "C3")):
    ax.plot(p, bce[y], color=color, lw=2, label=f"cross-entropy, y = {y:g}")
    ax.plot(p, squared[y], color=color, lw=1.5, ls=":", label=f"squared error (p − y)², y = {y:g}")
wrong = charge["cross-entropy"][CONFIDENT_P]
ax.plot([CONFIDENT_P], [wrong], "o", color="C0", ms=8, mfc="white", mew=2)
ax.annotate(f"y = 1, p = {CONFIDENT_P:g}:\ncross-entropy {wrong:.2f},\nsquared error "
            f"{charge['squared error'][CONFIDENT_P]:.2f}", xy=(CONFIDENT_P, wrong),
            xytext=(0.12, 0.8 * max(7.2, 1.15 * wrong)), arrowprops=dict(arrowstyle="->"))
ax.plot([MILD_P], [charge["cross-entropy"][MILD_P]], "s", color="C0", ms=7, mfc="white", mew=2)
ax.annotate(f"y = 1, p = {MILD_P:g}: cross-entropy {charge['cross-entropy'][MILD_P]:.2f}",
            xy=(MILD_P, charge["cross-entropy"][MILD_P]), xytext=(0.45, 2.6), arrowprops=dict(arrowstyle="->"))
ax.set_xlabel("predicted probability p of class 1")
ax.set_ylabel("loss")
ax.set_ylim(-0.1, max(7.2, 1.15 * wrong))
ax.set_title("Cross-entropy punishes a confident wrong answer without limit; squared error stops at 1")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
fig.tight_layout()
show(fig, "bce_vs_p")

# %%
worst = max(np.max(np.abs(bce[1.0] + np.log(p))), np.max(np.abs(bce[0.0] + np.log1p(-p))))
claim("bce_is_minus_log", "BCE is −log p for y = 1 and −log(1 − p) for y = 0", worst < 1e-12,
      f"largest difference {worst:.1e}")
ratio = {name: c[CONFIDENT_P] / c[MILD_P] for name, c in charge.items()}
claim("confident_wrong_penalised",
      f"a confident wrong answer (p = {CONFIDENT_P:g}, y = 1) costs more times a mild one (p = {MILD_P:g}) "
      "under cross-entropy than under squared error",
      ratio["cross-entropy"] > ratio["squared error"],
      ", ".join(f"{name}: {c[CONFIDENT_P]:.3f} / {c[MILD_P]:.3f} = {ratio[name]:.2f}" for name, c in charge.items()))

# %% [markdown]
# ## 2. The gradient with respect to the logit is $p - y$
#
# With $p = \sigma(z)$, the chain rule gives $\partial\,\text{BCE}/\partial z = p - y$: the error
# itself. Left: the loss against the logit. Right: its gradient from backward, with $p - y$
# dashed on top — they coincide. The dotted line is squared error put on $p = \sigma(z)$: its
# gradient $2(p - y)\,p(1-p)$ carries the factor $p(1-p)$, which vanishes exactly when the model
# is confident — also when it is confidently wrong.

# %%
WRONG_LOGIT = -6.0             # a confident wrong answer for y = 1
z_grid = np.linspace(-8, 8, 641)
bce_z, grad_z, grad_squared, numeric = {}, {}, {}, {}
h = 1e-5
for y in (1.0, 0.0):
    target = np.full_like(z_grid, y)
    z = mg.Tensor(z_grid, requires_grad=True)
    loss = losses.binary_cross_entropy_with_logits(z, target, reduction="none")
    loss.sum().backward()          # each entry depends on its own z only
    bce_z[y], grad_z[y] = loss.data, z.grad
    with mg.no_grad():             # central differences: a check independent of backward
        up = losses.binary_cross_entropy_with_logits(z_grid + h, target, reduction="none").data
        down = losses.binary_cross_entropy_with_logits(z_grid - h, target, reduction="none").data
    numeric[y] = (up - down) / (2 * h)
    zs = mg.Tensor(z_grid, requires_grad=True)
    losses.mse(mg.sigmoid(zs), target, reduction="none").sum().backward()
    grad_squared[y] = zs.grad
sigmoid = 0.5 * (1.0 + np.tanh(0.5 * z_grid))        # σ(z) in numpy, without overflow

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.6))
for y, color in ((1.0, "C0"), (0.0, "C3")):
    left.plot(z_grid, bce_z[y], color=color, lw=2, label=f"cross-entropy, y = {y:g}")
    right.plot(z_grid, grad_z[y], color=color, lw=2, label=f"∂L/∂z from backward, y = {y:g}")
    right.plot(z_grid, sigmoid - y, color="black", lw=1, ls="--")
    right.plot(z_grid, grad_squared[y], color=color, lw=1.5, ls=":", label=f"squared error on σ(z), y = {y:g}")
right.plot([], [], color="black", lw=1, ls="--", label="p − y (closed form, dashed on top)")
right.axvline(WRONG_LOGIT, color="0.5", lw=1, label=f"z = {WRONG_LOGIT:g} (checked below)")
left.set_xlabel("logit z  (p = σ(z))")
left.set_ylabel("loss")
left.set_title("Cross-entropy from the logit: linear on the wrong side")
left.legend(loc="upper center")
right.set_xlabel("logit z  (p = σ(z))")
right.set_ylabel("gradient ∂L/∂z")
right.set_title("The gradient is p − y: it stays large while the answer is wrong")
right.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
fig.tight_layout()
show(fig, "gradient_is_p_minus_y")

# %%
worst_closed = max(np.max(np.abs(grad_z[y] - (sigmoid - y))) for y in (1.0, 0.0))
worst_numeric = max(np.max(np.abs(grad_z[y] - numeric[y])) for y in (1.0, 0.0))
claim("gradient_is_p_minus_y", "the gradient from backward is p − y", worst_closed < 1e-12,
      f"largest difference {worst_closed:.1e}")
claim("gradient_matches_finite_differences", "the gradient from backward matches central finite differences",
      worst_numeric < 1e-8, f"largest difference {worst_numeric:.1e}")
z_ce = mg.Tensor([WRONG_LOGIT], requires_grad=True)
losses.binary_cross_entropy_with_logits(z_ce, [1.0]).backward()
z_sq = mg.Tensor([WRONG_LOGIT], requires_grad=True)
losses.mse(mg.sigmoid(z_sq), [1.0]).backward()
claim("ce_pushes_confident_wrong",
      f"at z = {WRONG_LOGIT:g} with y = 1, cross-entropy pushes over 100 times harder than squared error on σ(z)",
      abs(z_ce.grad[0]) > 100 * abs(z_sq.grad[0]),
      f"∂L/∂z = {z_ce.grad[0]:.4f} vs {z_sq.grad[0]:.4f}")

# %% [markdown]
# ## 3. The likelihood view: cross-entropy is the negative log-likelihood of the labels
#
# A label $y \in \{0, 1\}$ drawn with probability $p$ of a 1 is a **Bernoulli** variable:
# $P(y) = p^y (1-p)^{1-y}$, so $-\log P(y) = -[y\log p + (1-y)\log(1-p)]$ — exactly BCE.
# With $C$ classes and a one-hot $y$, the **categorical** distribution gives
# $-\log P(y) = -\sum_i y_i \log p_i$ — exactly CE. Minimising cross-entropy is maximum likelihood.
#
# Maximum likelihood for one constant probability has a closed form: set the derivative of
# the average NLL to zero,
#
# $$\frac{d}{dp}\Big(-\bar y \log p - (1-\bar y)\log(1-p)\Big) = 0 \iff p = \bar y ,$$
#
# the observed frequency (and the same per class for CE). We check it by training: one
# logit (or one logit per class), shared by every sample, fitted by gradient descent.
#
# **Cross-entropy = entropy + KL.** Write $q$ for the label distribution (here the observed
# frequencies $\bar y$) and $p$ for the model's. Adding and subtracting $\sum_i q_i \log q_i$,
#
# $$H(q, p) = -\sum_i q_i \log p_i = \underbrace{-\sum_i q_i \log q_i}_{H(q),\ \text{entropy}}
#   + \underbrace{\sum_i q_i \log \frac{q_i}{p_i}}_{\text{KL}(q\,\|\,p)\ \ge\ 0} .$$
#
# The entropy does not depend on the model: it is a **floor** that no prediction goes below,
# set by how unpredictable the labels themselves are. Training can only remove the KL term,
# and it is zero exactly at $p = q$. The labels below are drawn with known **generating
# probabilities** (`FLIP_PROBABILITY`, `CLASS_PROBABILITIES`); the observed frequencies differ
# from them by sampling noise, and the fit recovers the observed ones, not the generating ones.

# %%
CONSTANT_LOSS = "cross-entropy"      # Try it 2: "focal"
FLIP_PROBABILITY = 0.3               # the generating probability of a 1
CLASS_PROBABILITIES = (0.5, 0.3, 0.2)
flips = np.stack([(rng(seed).random(40) < FLIP_PROBABILITY).astype(float) for seed in SEEDS])   # (seeds, 40) of 0/1
classes = np.stack([rng(seed + 50).choice(3, 60, p=CLASS_PROBABILITIES) for seed in SEEDS])  # (seeds, 60)
binary_loss = {"cross-entropy": lambda z, y: losses.binary_cross_entropy_with_logits(z, y, reduction="none"),
               "focal": lambda z, y: losses.focal(z, y, alpha=None, gamma=2.0, reduction="none")}[CONSTANT_LOSS]
class_loss = {"cross-entropy": lambda z, y: losses.cross_entropy(z, y, reduction="none"),
              "focal": lambda z, y: losses.softmax_focal(z, y, gamma=2.0, reduction="none")}[CONSTANT_LOSS]
n_seeds, n_flips, n_samples = len(SEEDS), flips.shape[1], classes.shape[1]
logit = mg.Tensor(np.zeros((n_seeds, 1)), requires_grad=True)                 # one logit per seed
fit([logit], lambda: binary_loss(logit * np.ones_like(flips), flips).mean(axis=1).sum(), pick(200, 100),
    lr=2.0, optimizer="sgd")
class_logits = mg.Tensor(np.zeros((n_seeds, 1, 3)), requires_grad=True)       # one logit vector per seed
fit([class_logits],
    lambda: class_loss((class_logits * np.ones((1, n_samples, 1))).reshape(n_seeds * n_samples, 3),
                       classes.reshape(-1)).reshape(n_seeds, n_samples).mean(axis=1).sum(),
    pick(200, 100), lr=2.0, optimizer="sgd")
fitted_p = 1 / (1 + np.exp(-logit.data[:, 0]))
frequency = flips.mean(axis=1)
fitted_class_p = np.exp(class_logits.data[:, 0]) / np.exp(class_logits.data[:, 0]).sum(axis=1, keepdims=True)
class_frequency = np.stack([np.bincount(c, minlength=3) / n_samples for c in classes])


def entropy(q):
    """H(q) = −Σ q log q over the last axis (0 log 0 = 0), in numpy."""
    q = np.asarray(q, dtype=float)
    return -np.sum(np.where(q > 0, q * np.log(np.where(q > 0, q, 1.0)), 0.0), axis=-1)


def kl(q, p):
    """KL(q ‖ p) = Σ q log(q / p) over the last axis, in numpy."""
    q, p = np.asarray(q, dtype=float), np.asarray(p, dtype=float)
    return np.sum(np.where(q > 0, q * np.log(np.where(q > 0, q, 1.0) / p), 0.0), axis=-1)


as_pair = lambda p1: np.stack([1 - np.asarray(p1), np.asarray(p1)], axis=-1)   # noqa: E731  (P(0), P(1))
label_entropy = entropy(as_pair(frequency))                                     # (seeds,): the floor
class_entropy = entropy(class_frequency)

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.6))
p_grid = np.linspace(0.01, 0.99, 197)
with mg.no_grad():
    table = np.broadcast_to(p_grid[:, None], (len(p_grid), n_flips))             # every p against every flip
    nll = losses.binary_cross_entropy(table, np.broadcast_to(flips[0], table.shape), reduction="none").data.mean(axis=1)
left.plot(p_grid, nll, color="C0", lw=2, label="average BCE = Bernoulli NLL")
left.axhline(label_entropy[0], color="C2", ls="--", lw=1.5,
             label=f"entropy floor H(ȳ) = {label_entropy[0]:.3f}: no p goes below it")
left.axvline(frequency[0], color="C1", lw=2, label=f"observed frequency of 1s: {frequency[0]:.3f}")
left.axvline(FLIP_PROBABILITY, color="0.4", ls=":", lw=1.5, label=f"generating probability: {FLIP_PROBABILITY:g}")
at_generating = label_entropy[0] + kl(as_pair(frequency[0]), as_pair(FLIP_PROBABILITY))
left.plot([FLIP_PROBABILITY], [at_generating], "D", color="0.4", ms=6,
          label=f"at the generating p: KL = {at_generating - label_entropy[0]:.4f} above the floor")
p_far = 0.75                                                       # a prediction far off, where the KL gap is visible
at_far = label_entropy[0] + kl(as_pair(frequency[0]), as_pair(p_far))
left.annotate("", xy=(p_far, at_far), xytext=(p_far, label_entropy[0]), arrowprops=dict(arrowstyle="<->", color="C3"))
left.text(p_far + 0.02, (at_far + label_entropy[0]) / 2, f"KL(ȳ ‖ {p_far:g})\n= {at_far - label_entropy[0]:.3f}",
          color="C3", fontsize=8, va="center")
left.plot([fitted_p[0]], [np.interp(fitted_p[0], p_grid, nll)], "o", color="black", mfc="white", ms=9, mew=2,
          label=f"σ(fitted logit), {CONSTANT_LOSS}: {fitted_p[0]:.3f}")
left.set_xlabel("constant probability p of a 1")
left.set_ylabel("average loss over the 40 labels")
left.set_ylim(0, max(2.5, label_entropy[0] + 1))
left.set_title(f"Seed {SEEDS[0]}: BCE = entropy + KL, lowest (on the floor) at the observed frequency", fontsize=10)
left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), fontsize=8, ncol=2)
positions = np.arange(3)
right.bar(positions - 0.27, CLASS_PROBABILITIES, width=0.27, color="0.6", label="generating probability")
right.bar(positions, class_frequency[0], width=0.27, color="C1", label="observed class frequency")
right.bar(positions + 0.27, fitted_class_p[0], width=0.27, color="C0", label=f"softmax(fitted logits), {CONSTANT_LOSS}")
right.set_xticks(positions, [f"class {k}" for k in positions])
right.set_ylabel("probability")
right.set_ylim(0, 0.8)
right.set_title(f"Seed {SEEDS[0]}: the fit recovers the observed frequencies (entropy {class_entropy[0]:.3f}),\n"
                "not the generating probabilities", fontsize=10)
right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=8, ncol=2)
fig.suptitle("The likelihood view: cross-entropy is the Bernoulli (binary) and categorical (C classes) NLL")
fig.tight_layout()
show(fig, "likelihood")

# %%
claim("bce_constant_is_frequency",
      f"on every seed, the constant probability fitted with {CONSTANT_LOSS} is the observed frequency of 1s",
      np.all(np.abs(fitted_p - frequency) < 1e-4),
      ", ".join(f"seed {s}: {f:.4f} vs {q:.4f}" for s, f, q in zip(SEEDS, fitted_p, frequency)))
with mg.no_grad():
    every_seed = np.broadcast_to(p_grid[:, None, None], (len(p_grid), n_seeds, n_flips))    # every p, every seed
    curves = losses.binary_cross_entropy(every_seed, np.broadcast_to(flips, every_seed.shape),
                                         reduction="none").data.mean(axis=2)                # (grid, seeds)
    generating = np.broadcast_to(np.asarray(CLASS_PROBABILITIES), (n_seeds, n_samples, 3))
    at_generating_classes = losses.categorical_cross_entropy(
        generating.reshape(-1, 3), np.eye(3)[classes].reshape(-1, 3), reduction="none").data.reshape(n_seeds, -1).mean(axis=1)
    fitted_classes = np.broadcast_to(fitted_class_p[:, None, :], (n_seeds, n_samples, 3))
    at_fitted_classes = losses.categorical_cross_entropy(
        fitted_classes.reshape(-1, 3), np.eye(3)[classes].reshape(-1, 3), reduction="none").data.reshape(n_seeds, -1).mean(axis=1)
    at_fitted = losses.binary_cross_entropy(np.broadcast_to(fitted_p[:, None], flips.shape), flips,
                                            reduction="none").data.mean(axis=1)
decomposed = label_entropy + kl(as_pair(frequency)[None], as_pair(p_grid)[:, None])                  # (grid, seeds)
decomposed_classes = class_entropy + kl(class_frequency, np.asarray(CLASS_PROBABILITIES))
worst_split = max(np.max(np.abs(curves - decomposed)), np.max(np.abs(at_generating_classes - decomposed_classes)))
claim("ce_is_entropy_plus_kl",
      "on every seed, the average cross-entropy of any constant prediction is the entropy of the labels plus "
      "the KL divergence (BCE over the grid of p; categorical CE at the generating probabilities)",
      worst_split < 1e-9 and np.all(curves.min(axis=0) >= label_entropy - 1e-12),
      f"largest difference {worst_split:.1e}; entropy floors " + ", ".join(f"{h:.3f}" for h in label_entropy))
above_floor = np.maximum(np.abs(at_fitted - label_entropy), np.abs(at_fitted_classes - class_entropy))
claim("fit_reaches_entropy_floor",
      f"on every seed, the constant fitted with {CONSTANT_LOSS} reaches the entropy floor: its cross-entropy "
      "exceeds the entropy of the labels by less than 10⁻⁶ (KL = 0), binary and categorical",
      np.all(above_floor < 1e-6),
      "; ".join(f"seed {s}: {a:.2e} above the floor, the generating probabilities "
                f"{g - h:.4f} above" for s, a, g, h in zip(SEEDS, above_floor, at_generating_classes, class_entropy)))
claim("ce_constant_is_frequencies",
      f"on every seed, the class probabilities fitted with {CONSTANT_LOSS} are the observed class frequencies",
      np.all(np.abs(fitted_class_p - class_frequency) < 1e-4),
      "; ".join(f"seed {s}: " + ", ".join(f"{f:.3f} vs {q:.3f}" for f, q in zip(fp, cf))
                for s, fp, cf in zip(SEEDS, fitted_class_p, class_frequency)))

# %% [markdown]
# ## 4. Softmax cross-entropy trains a classifier — faster than squared error
#
# A linear model gives three scores (logits) per point; softmax turns them into
# probabilities. We start it **confidently wrong**: every blob is scored as the next class,
# with `INIT_SCALE` setting how confident. Then plain gradient descent trains it twice,
# from the same start: once with cross-entropy, once with the `RIVAL` loss — by default
# squared error between the softmax probabilities and the one-hot labels. Part 2 predicts
# the outcome: squared error's gradient fades when the model is confidently wrong.
# We count the steps each needs to reach `TARGET_ACCURACY`, on every seed, and at the end compare
# the negative log-likelihood of the labels under each trained model, computed by hand in numpy:
# cross-entropy *is* that NLL, so it should end lower (a loss that only pushed the true class's
# score up, without the softmax's normaliser, would reach the accuracy too, but not the likelihood).

# %%
INIT_SCALE = 1.0               # Try it 4: 0.1
RIVAL = "MSE on probabilities"  # Try it 3: "multiclass hinge"
TARGET_ACCURACY = 0.9
CLASSIFY_STEPS = pick(150, 100)
CENTERS = np.array([(-2.0, 0.0), (2.0, 0.0), (0.0, 2.5)])
blob_data = [blobs(n_per_class=60, centers=CENTERS, seed=seed) for seed in SEEDS]
X = np.stack([d[0] for d in blob_data])                   # (seeds, 180, 2)
labels = np.stack([d[1] for d in blob_data])              # (seeds, 180)
one_hot = np.eye(3)[labels]                               # (seeds, 180, 3)
wrong = np.roll(np.arange(3), 1)                          # class k scored with the centre of class k − 1
W_start = INIT_SCALE * CENTERS[wrong].T                   # nearest-centre scores c·x − |c|²/2, permuted
b_start = INIT_SCALE * -0.5 * (CENTERS[wrong] ** 2).sum(axis=1)
per_sample = {
    "cross-entropy": lambda z: losses.cross_entropy(z.reshape(-1, 3), labels.reshape(-1), reduction="none"),
    "MSE on probabilities": lambda z: losses.mse(z.softmax(axis=-1), one_hot, reduction="none").mean(axis=2),
    "multiclass hinge": lambda z: losses.multiclass_hinge(z.reshape(-1, 3), labels.reshape(-1), reduction="none"),
}


def train_linear(loss_name, steps, lr=1.0):
    """Gradient descent on logits X·W + b for every seed from the wrong start; accuracy (steps + 1, seeds),
    the (W, b) of seed SEEDS[0] after every step, and the final (W, b) of every seed."""
    W = mg.Tensor(np.tile(W_start, (len(SEEDS), 1, 1)), requires_grad=True)
    b = mg.Tensor(np.tile(b_start, (len(SEEDS), 1, 1)), requires_grad=True)
    accuracy = lambda: np.mean(np.argmax(X @ W.data + b.data, axis=2) == labels, axis=1)   # noqa: E731
    history, params = [accuracy()], [(W.data[0].copy(), b.data[0].copy())]
    def after_step(step):
        history.append(accuracy())
        params.append((W.data[0].copy(), b.data[0].copy()))
    fit([W, b], lambda: per_sample[loss_name](X @ W + b).reshape(len(SEEDS), -1).mean(axis=1).sum(), steps,
        lr=lr, optimizer="sgd", on_step=after_step)
    return np.array(history), params, (W.data.copy(), b.data.copy())


runs = {name: train_linear(name, CLASSIFY_STEPS) for name in ("cross-entropy", RIVAL)}
accuracy = {name: run[0] for name, run in runs.items()}


def steps_to_target(history):
    """The first step at which each seed reaches TARGET_ACCURACY (one past the end if never)."""
    reached = history >= TARGET_ACCURACY
    return np.where(reached.any(axis=0), reached.argmax(axis=0), len(history))


needed = {name: steps_to_target(history) for name, history in accuracy.items()}


def label_nll(W, b):
    """The average −log softmax(X·W + b)[label] of each seed, in numpy (logsumexp shifted by the max): (seeds,)."""
    scores = X @ W + b
    top = scores.max(axis=2, keepdims=True)
    log_norm = np.log(np.exp(scores - top).sum(axis=2)) + top[..., 0]
    return np.mean(log_norm - np.take_along_axis(scores, labels[..., None], axis=2)[..., 0], axis=1)


final_nll = {name: label_nll(*run[2]) for name, run in runs.items()}

# %% [markdown]
# First the decision regions of the cross-entropy run on one seed: at step 0 every blob sits
# in another class's region; the boundaries then swing round until each blob has its own.

# %%
snapshots = [0, 1, 3, CLASSIFY_STEPS]
fig, axes = plt.subplots(2, 2, figsize=(10, 8.5), sharex=True, sharey=True)
for ax, step in zip(axes.ravel(), snapshots):
    W_step, b_step = runs["cross-entropy"][1][step]
    decision_regions(ax, lambda points, W=W_step, b=b_step: np.argmax(points @ W + b, axis=1), X[0], labels[0],
                     title=f"step {step}: accuracy {accuracy['cross-entropy'][step, 0]:.0%}")
for ax in axes[:, 1]:
    ax.set_ylabel("")
for ax in axes[0]:
    ax.set_xlabel("")
fig.suptitle(f"Seed {SEEDS[0]}, softmax cross-entropy from a confidently wrong start: the linear boundaries\n"
             "turn until each blob has its own region (shading: predicted class, dots: true class)")
fig.tight_layout()
show(fig, "softmax_regions")

# %%
fig, ax = plt.subplots(figsize=(9, 4.8))
for (name, history), color in zip(accuracy.items(), ["C0", "C3"]):
    for i in range(len(SEEDS)):
        ax.plot(np.arange(CLASSIFY_STEPS + 1), history[:, i], color=color, lw=2 if i == 0 else 0.8,
                label=name if i == 0 else None)
ax.plot([], [], color="0.4", lw=0.8, label=thin_seeds)
ax.axhline(TARGET_ACCURACY, color="black", ls="--", lw=1, label=f"target accuracy {TARGET_ACCURACY:.0%}")
ax.set_xscale("symlog", linthresh=1)
ax.set_xlim(0, CLASSIFY_STEPS)
ax.set_xlabel("step of gradient descent (lr = 1, full batch; symlog axis)")
ax.set_ylabel("accuracy")
reach = {name: (f"after {n[0]} steps" if n[0] <= CLASSIFY_STEPS else "never") for name, n in needed.items()}
ax.set_title(f"Seed {SEEDS[0]}, start scale {INIT_SCALE:g}: cross-entropy reaches {TARGET_ACCURACY:.0%} "
             f"{reach['cross-entropy']},\n{RIVAL} {reach[RIVAL]}")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
fig.tight_layout()
show(fig, "learning_speed")

# %%
with mg.no_grad():
    scores = X[0] @ runs["cross-entropy"][1][-1][0] + runs["cross-entropy"][1][-1][1]
    library = losses.cross_entropy(scores, labels[0]).item()
by_loop = np.mean([np.log(np.sum(np.exp(s - s.max()))) + s.max() - s[k] for s, k in zip(scores, labels[0])])
claim("ce_is_minus_log_softmax", "cross_entropy equals −log(softmax probability of the true class), averaged by a loop",
      abs(by_loop - library) < 1e-12, f"{library:.6f} vs {by_loop:.6f}")
claim("ce_learns_faster",
      f"on every seed, cross-entropy reaches {TARGET_ACCURACY:.0%} accuracy in fewer steps than {RIVAL}, "
      "and ends with the lower negative log-likelihood of the labels (the quantity it minimises)",
      np.all(needed["cross-entropy"] < needed[RIVAL]) and np.all(final_nll["cross-entropy"] < final_nll[RIVAL]),
      "; ".join(f"seed {s}: {c} vs {r} steps (final accuracy {a:.1%} vs {q:.1%}, NLL {n:.3f} vs {m:.3f})"
                for s, c, r, a, q, n, m in zip(SEEDS, needed["cross-entropy"], needed[RIVAL],
                                               accuracy["cross-entropy"][-1], accuracy[RIVAL][-1],
                                               final_nll["cross-entropy"], final_nll[RIVAL])))

# %% [markdown]
# ## 5. Why losses take logits
#
# The naive route first computes $p = \sigma(z) = 1/(1 + e^{-z})$ and then $\log p$. For a very
# negative $z$, $e^{-z}$ overflows to inf, $p$ rounds to exactly 0 and $\log p$ is $-\infty$: one
# such sample makes the whole loss infinite and its gradient nan. In float32, the type GPUs
# train in, this happens already below $z \approx -88$. Written with the logit,
# $\log\sigma(z) = -\text{softplus}(-z)$, it stays exact for every $z$.

# %%
FAR_LOGIT = -1000.0


def naive_log_sigmoid(z, dtype=np.float64):
    """log(1 / (1 + e^-z)) computed as written, in numpy; the overflow is the point, so it is silenced."""
    z = np.asarray(z, dtype=dtype)
    with np.errstate(over="ignore", divide="ignore"):
        return np.log(dtype(1) / (dtype(1) + np.exp(-z)))


def stable_log_sigmoid(z, dtype=np.float64):
    """log σ(z) = −(cross-entropy from the logit z with y = 1)."""
    z = mg.Tensor(np.asarray(z, dtype=dtype))
    with mg.no_grad():
        return -losses.binary_cross_entropy_with_logits(z, np.ones(z.shape, dtype=dtype), reduction="none").data


z_far = np.linspace(min(FAR_LOGIT, -1000.0), 0, 2001)
breaks = {}
fig, ax = plt.subplots(figsize=(10, 5))
ax.plot(z_far, stable_log_sigmoid(z_far), color="C2", lw=5, alpha=0.5, label="from the logit: −softplus(−z)")
for dtype, color, name in ((np.float64, "C0", "float64"), (np.float32, "C3", "float32")):
    naive = naive_log_sigmoid(z_far, dtype)
    finite = np.isfinite(naive)
    breaks[name] = z_far[~finite].max()
    ax.plot(z_far[finite], naive[finite], color=color, lw=1.5, label=f"naive log(σ(z)), {name} (drawn where finite)")
    ax.axvline(breaks[name], color=color, ls=":", lw=1.5, label=f"{name}: −inf for z ≤ {breaks[name]:.0f}")
ax.set_xlabel("logit z")
ax.set_ylabel("log σ(z)")
ax.set_title("Naive log(σ(z)) falls off to −inf where its curves end; the logit form stays exact")
ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
fig.tight_layout()
show(fig, "why_logits")

# %%
naive, stable = naive_log_sigmoid(FAR_LOGIT), stable_log_sigmoid(FAR_LOGIT)
claim("naive_breaks_logit_form_exact",
      f"at z = {FAR_LOGIT:g} the naive log(σ(z)) is −inf, while the logit form is finite and equals z",
      naive == -np.inf and np.isfinite(stable) and abs(stable - FAR_LOGIT) <= 1e-12 * abs(FAR_LOGIT),
      f"naive {naive}, from the logit {stable}")
naive32, stable32 = naive_log_sigmoid(-100.0, np.float32), stable_log_sigmoid(-100.0, np.float32)
claim("float32_breaks_sooner", "in float32 the naive form breaks already at z = −100; the logit form gives −100",
      naive32 == -np.inf and stable32 == -100.0, f"naive {naive32}, from the logit {stable32}")
z_t = mg.Tensor([FAR_LOGIT], requires_grad=True)
far_loss = losses.binary_cross_entropy_with_logits(z_t, [1.0])
far_loss.backward()
expected_grad = 0.5 * (1.0 + np.tanh(0.5 * FAR_LOGIT)) - 1.0
claim("logit_gradient_stays_finite",
      f"cross-entropy from the logit at z = {FAR_LOGIT:g}, y = 1: loss −log σ(z) and gradient p − y, both finite",
      np.isfinite(far_loss.item()) and abs(far_loss.item() + stable) < 1e-9 and abs(z_t.grad[0] - expected_grad) < 1e-12,
      f"loss {far_loss.item()}, gradient {z_t.grad[0]} (p − y = {expected_grad})")

# %%
finish()

# %% [markdown]
# ## Try it
#
# Predict before you run; then compare with [the answers](answers/03_cross_entropy.md).
#
# 1. Set `CONFIDENT_P = 1e-6` in part 1. What does cross-entropy charge — work it out from
#    $-\log p$ first — and what does squared error charge?
# 2. Set `CONSTANT_LOSS = "focal"` in part 3 (focal loss with γ = 2, lesson 05). Is the fitted
#    constant probability still the observed frequency? Which way does it move?
# 3. Set `RIVAL = "multiclass hinge"` in part 4 (lesson 04's loss). Its gradient does not fade
#    on a confident mistake either: does cross-entropy still reach the target first?
# 4. Set `INIT_SCALE = 0.1` in part 4: the start is still wrong, but hardly confident. Does
#    cross-entropy still beat squared error on probabilities, and by how much?


# %% [markdown]
# ## Write it yourself: cross-entropy from logits
#
# Binary cross-entropy from a logit $z$, with $p = \sigma(z)$, one value per element:
#
# $$L = -\big[y \log p + (1 - y) \log(1 - p)\big] = y\,\mathrm{softplus}(-z) + (1 - y)\,\mathrm{softplus}(z),$$
#
# stable for any logit (part 5: written as `log(sigmoid(z))` it gives `inf` as soon as $\sigma(z)$
# rounds to 0 or 1, at $|z| = 100$ already). Then softmax cross-entropy from logits $(N, C)$ and class
# indices $(N,)$: $L = -\log p_y$ with $\log p = z - \operatorname{logsumexp}(z)$ over the classes,
# one value per sample. Replace each `raise`, then run the cell after it.

# %%
from lessons.exercises import grade  # noqa: E402  (the exercises' grader)


def binary_cross_entropy_with_logits(logits, target, pos_weight=None):
    """Binary cross-entropy of every element from a logit z, with p = σ(z):

        L = -[y·log(p) + (1 - y)·log(1 - p)]
        with pos_weight w (a number, or None for 1): L = -[w·y·log(p) + (1 - y)·log(1 - p)]

    Stable for any logit: log σ(z) = -softplus(-z) and log(1 - σ(z)) = -softplus(z),
    with mg.softplus (or max(z, 0) + log(1 + exp(-|z|))). A logit of ±1e4 must give a
    finite value and gradient. Return one value per element, as a minigrad Tensor.
    """
    raise NotImplementedError("write binary_cross_entropy_with_logits here")


# %%
report = grade("binary_cross_entropy_with_logits", binary_cross_entropy_with_logits)

# %%
def cross_entropy(logits, target, weight=None, label_smoothing=0.0):
    """Softmax cross-entropy of every sample, from logits z (N, C) and class indices y (N,):

        L = -log p_y,    p = softmax(z) over the classes (axis 1)

    Through log-softmax: log p = z - logsumexp(z) (z.log_softmax(axis=1)), never
    log(exp(z) / Σ exp(z)), which overflows. Pick -log p of the target class of each
    row: log_p[np.arange(N), target]. Return one value per sample, shape (N,).
    weight (C,), a numpy array or None, scales each class: L = -w_y·log p_y.
    label_smoothing ε spreads ε/C over every class:
        L = (1 - ε)·(-w_y·log p_y) + (ε/C)·Σ_i (-w_i·log p_i)
    """
    raise NotImplementedError("write cross_entropy here")


# %%
report = grade("cross_entropy", cross_entropy)
