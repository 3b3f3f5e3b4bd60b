# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 10 — Same name, different loss: the conventions students trip over
#
# Two libraries can ship a loss under the same name and still compute different numbers: a
# clamp, a clip, a ½, a division by β, $\varepsilon/C$ instead of $\varepsilon/(C-1)$, labels
# $\{0, 1\}$ instead of $\pm1$, a squared distance instead of a plain one. None of these is a
# bug, but copying a hyper-parameter (a margin, a learning rate, a smoothing ε) from a paper or
# another framework without knowing its convention changes the loss you train.
#
# Each part below writes the other convention out in a few lines, computes it next to ours
# (the `losses` package), and checks the exact relation between the two — every check compares
# two numbers that are both computed. The PyTorch and Keras conventions quoted are from their
# documentation: `BCELoss` clamps each log at −100; Keras clips $p$ to $[\varepsilon, 1-\varepsilon]$
# with $\varepsilon = 10^{-7}$; `CrossEntropyLoss(label_smoothing=ε)` mixes the target with the
# uniform $\varepsilon/C$; `SmoothL1Loss(beta)` is `HuberLoss(delta=beta)` divided by β.
#
# The lesson ends with a table for **choosing a loss**, built from what lessons 02–10 show.

# %%
import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np

import losses
import minigrad as mg
from lessons.helpers import SEEDS, claim, derivatives, finish, pick, rng, show, start

lesson = start("10_conventions")
table = []          # one row per convention: (what, ours, the other one, the exact relation)

# %% [markdown]
# ## 1. BCE of a confident mistake: inf, 100 or 16.1?
#
# $\text{BCE} = -[y\log p + (1-y)\log(1-p)]$. At $p = 1$ for a negative example ($y = 0$) the
# textbook formula gives $-\log 0 = \infty$, and at $p = 0, y = 0$ — a *perfect* prediction — it
# gives nan, because $0\cdot\log 0 = 0\cdot(-\infty)$ is nan in floating point. PyTorch clamps
# each log at −100, so the loss stops at 100; Keras clips $p$ to $[10^{-7}, 1-10^{-7}]$, so it
# stops at $-\log 10^{-7} \approx 16.1$. Ours follows PyTorch. Notice that the same confident
# mistake costs 100 in one framework and 16 in the other.

# %%
KERAS_EPSILON = 1e-7            # Try it 1: 1e-15 — keras.config.epsilon()
TORCH_LOG_FLOOR = -100.0        # torch.nn.BCELoss: each log term clamped at −100


def bce_naive(p, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_torch_style(p, y):
    with np.errstate(divide="ignore"):
        return -(y * np.maximum(np.log(p), TORCH_LOG_FLOOR) + (1 - y) * np.maximum(np.log(1 - p), TORCH_LOG_FLOOR))


def bce_keras_style(p, y):
    p = np.clip(p, KERAS_EPSILON, 1 - KERAS_EPSILON)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


naive = bce_naive(np.array(1.0), np.array(0.0))
naive_perfect = bce_naive(np.array(0.0), np.array(0.0))
torch_style = bce_torch_style(np.array(1.0), np.array(0.0))
keras_style = bce_keras_style(np.array(1.0), np.array(0.0))
p_one = mg.Tensor([1.0], requires_grad=True)
ours_tensor = losses.binary_cross_entropy(p_one, [0.0])
ours_tensor.backward()
ours, ours_grad = ours_tensor.item(), p_one.grad[0]
ours_perfect = losses.binary_cross_entropy([0.0], [0.0]).item()
print(f"BCE at p = 1, y = 0:  naive {naive}, PyTorch-style {torch_style:g}, Keras-style {keras_style:.4f}, "
      f"ours {ours:g} (gradient {ours_grad:g})")
print(f"BCE at p = 0, y = 0:  naive {naive_perfect}, ours {ours_perfect:g}")

# %% [markdown]
# Now the whole curve. Near $p = 1$ floats cannot resolve $1 - p$ below $1.1\cdot10^{-16}$, so we
# sweep the mirror image instead: $\text{BCE}(p, y{=}0) = \text{BCE}(1-p, y{=}1)$, with $y = 1$ and
# $p \to 0$, where $p = 10^{-60}$ is an ordinary float. The gradient comes from `backward`.

# %%
p = np.logspace(-60, 0, pick(1200, 400))
one = np.ones_like(p)
curves = {"naive −log p (under PyTorch's and ours until p < e⁻¹⁰⁰)": bce_naive(p, one),
          "PyTorch BCELoss (log ≥ −100)": bce_torch_style(p, one),
          f"Keras (p clipped to [{KERAS_EPSILON:g}, 1 − {KERAS_EPSILON:g}])": bce_keras_style(p, one)}
ours_curve = losses.binary_cross_entropy(p, one, reduction="none").data
ours_slope = derivatives(lambda t: losses.binary_cross_entropy(t, one, reduction="none"), p)[1]

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
ax = axes[0]
for (label, values), style in zip(curves.items(), ["-", "--", "-."]):
    ax.plot(p, values, style, lw=2.5, label=label)
ax.plot(p[::12], ours_curve[::12], "k.", ms=6, label="losses.binary_cross_entropy (ours)")
ax.annotate("clamp: log p ≥ −100\nfrom p < e⁻¹⁰⁰ ≈ 3.7e-44", xy=(np.exp(-100), 100), xytext=(1e-51, 55),
            ha="center", arrowprops=dict(arrowstyle="->"), fontsize=9)
ax.set_ylim(-3, 150)
ax.set_ylabel("BCE loss")
ax.set_title(f"a confident wrong answer costs 100 (PyTorch, ours) or {-np.log(KERAS_EPSILON):.1f} (Keras)")
ax.legend(fontsize=8, loc="upper left")
ax = axes[1]
ax.plot(p, 1 / p, lw=2.5, label="naive: |dL/dp| = 1 / p (under ours until the clamp)")
active = ours_slope != 0
ax.plot(p[active], np.abs(ours_slope[active]), "k.", ms=3, label="ours, from backward")
on_bottom_edge = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
ax.plot(p[~active][::8], np.zeros((~active).sum())[::8], "v", color="crimson", ms=5, clip_on=False,
        transform=on_bottom_edge, label="ours: exactly 0 (clamp active),\ndrawn on the bottom edge")
ax.set_yscale("log")
ax.set_ylim(1e-2, 1e62)
ax.set_ylabel("|dL/dp|  (log scale)")
ax.set_title("the clamp also switches the gradient off: no inf, no nan")
ax.legend(fontsize=8, loc="upper left")
for ax in axes:
    ax.set_xscale("log")
    ax.set_xlim(1.0, 1e-60)                       # p = 1 on the left, p → 0 to the right; no tick past 1
    ax.set_xticks([10.0**-k for k in range(0, 61, 10)])
    ax.set_xlabel("p, the predicted probability of the true class (y = 1)")
fig.tight_layout()
show(fig, "bce")

# %%
claim("naive_bce_breaks_ours_does_not", "where the naive formula gives inf (p = 1, y = 0) and nan "
      "(p = 0, y = 0), ours gives finite numbers",
      np.isinf(naive) and np.isnan(naive_perfect) and np.isfinite(ours) and np.isfinite(ours_perfect),
      f"naive {naive}, {naive_perfect}; ours {ours:g}, {ours_perfect:g}")
claim("ours_is_torch_clamp", "ours equals PyTorch's clamped BCE at p = 1, y = 0, with a finite gradient",
      ours == torch_style and np.isfinite(ours_grad), f"ours {ours:g}, PyTorch-style {torch_style:g}, gradient {ours_grad:g}")
claim("keras_is_minus_log_epsilon", "the Keras-style value is −log ε, a different number from ours",
      np.isclose(keras_style, -np.log(KERAS_EPSILON), rtol=1e-8) and abs(keras_style - ours) > 1,
      f"Keras-style {keras_style:.6f} vs −log ε = {-np.log(KERAS_EPSILON):.6f}; ours {ours:g}")
claim("sweep_ours_is_clamped_log", "over the sweep, ours == min(−log p, 100) and Keras-style == min(−log p, −log ε)",
      np.allclose(ours_curve, np.minimum(-np.log(p), -TORCH_LOG_FLOOR), rtol=1e-12, atol=0)
      and np.allclose(curves[list(curves)[2]][:-1], np.minimum(-np.log(p[:-1]), -np.log(KERAS_EPSILON)), rtol=1e-12, atol=0),
      f"{len(p)} points from p = 1e-60 to 1; naive reaches {curves[list(curves)[0]][0]:.1f}")
clamped = -np.log(p) > -TORCH_LOG_FLOOR
claim("clamp_zeroes_the_gradient", "ours' gradient (backward) is −1/p where the clamp is off and exactly 0 where it is on",
      np.allclose(ours_slope[~clamped], -1 / p[~clamped], rtol=1e-10) and np.all(ours_slope[clamped] == 0),
      f"{(~clamped).sum()} points with −1/p, {clamped.sum()} points with exactly 0")
table.append(("BCE, p = 1, y = 0", f"{ours:g}", f"naive {naive}, Keras {keras_style:.3f}",
              "ours = PyTorch = min(−log(1−p), 100)"))

# %% [markdown]
# ## 2. Label smoothing: ε/C or ε/(C − 1)?
#
# With smoothing ε and C classes, PyTorch (and ours) give every class $\varepsilon/C$ and the true
# class $1 - \varepsilon + \varepsilon/C$. The other common convention gives each wrong class
# $\varepsilon/(C-1)$ and the true class exactly $1 - \varepsilon$. Same ε, different target,
# different loss — and a different best logit gap, $\log(y_\text{true}/y_\text{other})$.

# %%
EPSILON = 0.1
CLASSES = 4                 # Try it 2: 2


def smoothed_targets(true_class, classes, epsilon, convention):
    """The target distribution label smoothing trains against, for one sample."""
    if convention == "eps/C":                       # PyTorch, ours
        y = np.full(classes, epsilon / classes)
        y[true_class] += 1 - epsilon
    else:                                           # "eps/(C-1)": the true class gets exactly 1 − ε
        y = np.full(classes, epsilon / (classes - 1))
        y[true_class] = 1 - epsilon
    return y


target_c = smoothed_targets(0, CLASSES, EPSILON, "eps/C")
target_c1 = smoothed_targets(0, CLASSES, EPSILON, "eps/(C-1)")
logits = np.linspace(2.0, -1.0, CLASSES)[None]       # one sample whose class 0 is the most likely
ours_smooth = losses.cross_entropy(logits, [0], label_smoothing=EPSILON).item()
via_c = losses.cross_entropy(logits, target_c[None]).item()
via_c1 = losses.cross_entropy(logits, target_c1[None]).item()
# the same family: ε' spread over C − 1 classes is ε = ε'·C/(C − 1) spread over all C
matched = losses.cross_entropy(logits, [0], label_smoothing=EPSILON * CLASSES / (CLASSES - 1)).item()
gaps = np.linspace(0, 8, pick(801, 161))
z = np.zeros((len(gaps), CLASSES))
z[:, 0] = gaps                                       # logits (m, 0, 0, …)
labels = np.zeros(len(gaps), int)
smoothing_curves = {
    "no smoothing": losses.cross_entropy(z, labels, reduction="none").data,
    f"ε/C (PyTorch, ours), ε = {EPSILON:g}": losses.cross_entropy(z, labels, label_smoothing=EPSILON, reduction="none").data,
    f"ε/(C−1), ε = {EPSILON:g}": losses.cross_entropy(z, np.tile(target_c1, (len(gaps), 1)), reduction="none").data,
}
best_gap = {k: gaps[np.argmin(v)] for k, v in smoothing_curves.items()}
closed_gap = {"ε/C": np.log(target_c[0] / target_c[1]), "ε/(C−1)": np.log(target_c1[0] / target_c1[1])}

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
ax = axes[0]
width = 0.38
index = np.arange(CLASSES)
for offset, (label, target) in zip([-width / 2, width / 2], [("ε/C (PyTorch, ours)", target_c), ("ε/(C−1)", target_c1)]):
    bars = ax.bar(index + offset, target, width, label=label)
    ax.bar_label(bars, fmt="%.4f", fontsize=8)
ax.set_xticks(index, ["class 0 (true)"] + [f"class {c}" for c in range(1, CLASSES)])
ax.set_ylim(0, 1.3)
ax.set_ylabel("target probability")
ax.set_title(f"same ε = {EPSILON:g}, C = {CLASSES}: two different targets")
ax.legend(fontsize=8, loc="upper left")
zoom = ax.inset_axes([0.36, 0.32, 0.6, 0.45])          # the wrong classes, on their own scale
for offset, target in zip([-width / 2, width / 2], [target_c, target_c1]):
    zoom.bar(index[1:] + offset, target[1:], width)
zoom.set_xticks(index[1:], [f"class {c}" for c in range(1, CLASSES)], fontsize=7)
zoom.set_ylim(0, 1.3 * target_c1[1:].max())
zoom.tick_params(labelsize=7)
zoom.set_title(f"zoom on the wrong classes: ε/C = {EPSILON / CLASSES:.4f} vs ε/(C−1) = {EPSILON / (CLASSES - 1):.4f}",
               fontsize=8)
ax = axes[1]
for (label, values), style in zip(smoothing_curves.items(), ["-", "--", "-."]):
    ax.plot(gaps, values, style, lw=2, label=label)
for (name, m), color in zip(closed_gap.items(), ["tab:orange", "tab:green"]):
    ax.axvline(m, color=color, ls=":", lw=1.5, label=f"best gap {name}: " + r"$\log(y_{true}/y_{other})$" + f" = {m:.2f}")
ax.set_xlabel(f"logit gap m (logits m, 0, …, 0 over {CLASSES} classes)")
ax.set_ylabel("cross-entropy")
ax.set_title("smoothing makes the best logit gap finite, and convention-dependent")
ax.legend(fontsize=8, loc="upper right")
fig.tight_layout()
show(fig, "label_smoothing")

# %%
step = gaps[1] - gaps[0]
claim("ours_smoothing_is_eps_over_c", "ours (label_smoothing = ε) equals cross-entropy against the ε/C target",
      np.isclose(ours_smooth, via_c, rtol=1e-12), f"{ours_smooth:.6f} vs {via_c:.6f}")
claim("smoothing_conventions_differ", "the ε/(C−1) target gives a different loss for the same ε",
      abs(via_c1 - ours_smooth) > 1e-3, f"{via_c1:.6f} vs ours {ours_smooth:.6f}")
claim("smoothing_relation", "exact relation: ε/(C−1) smoothing with ε = ours with ε·C/(C−1)",
      np.isclose(matched, via_c1, rtol=1e-12),
      f"ours at ε = {EPSILON * CLASSES / (CLASSES - 1):.4f}: {matched:.6f} vs {via_c1:.6f}")
claim("best_gap_closed_form", "the argmin of each curve is log(y_true / y_other) of its target",
      all(abs(best_gap[k] - m) <= step for k, m in zip(list(smoothing_curves)[1:], closed_gap.values())),
      ", ".join(f"{name}: {best_gap[k]:.2f} vs {m:.2f}" for k, (name, m) in zip(list(smoothing_curves)[1:], closed_gap.items())))
table.append((f"label smoothing ε = {EPSILON:g}, C = {CLASSES}", f"{ours_smooth:.4f}", f"ε/(C−1): {via_c1:.4f}",
              "ε/(C−1) with ε' = ours with ε'·C/(C−1)"))

# %% [markdown]
# ## 3. Huber δ against SmoothL1 β
#
# PyTorch's `SmoothL1Loss` has a parameter β at the place of Huber's δ, but divides the whole
# loss by it: $\text{SmoothL1}_\beta(r) = \text{Huber}_{\delta=\beta}(r)/\beta$. Its linear part
# always has slope 1 (Huber's has slope δ), and its quadratic part gets *steeper* as β shrinks.
# At β = δ = 1 they coincide; anywhere else a copied hyper-parameter changes the gradient's
# scale by a factor β.

# %%
BETAS = (0.5, 1.0, 2.0)
residual = np.linspace(-3, 3, pick(600, 240))       # an even count: no point on a kink


def smooth_l1(r, beta):
    """SmoothL1 as PyTorch documents it: 0.5 r²/β where |r| < β, else |r| − 0.5 β (r a tensor)."""
    a = r.abs()
    q = mg.minimum(a, beta)              # the same branch-free form as our Huber
    return 0.5 * q**2 / beta + (a - q)


def huber_against_zero(beta):
    return lambda t: losses.huber(t, np.zeros(t.shape), delta=beta, reduction="none")


huber_curves = {b: derivatives(huber_against_zero(b), residual) for b in BETAS}
smooth_curves = {b: derivatives(lambda t, b=b: smooth_l1(t, b), residual) for b in BETAS}

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
colors = ["tab:blue", "tab:orange", "tab:green"]
for beta, color in zip(BETAS, colors):
    axes[0].plot(residual, huber_curves[beta][0], color=color, lw=2, label=f"Huber δ = {beta:g}")
    axes[0].plot(residual, smooth_curves[beta][0], color=color, lw=2, ls="--", label=f"SmoothL1 β = {beta:g}")
    axes[1].plot(residual, huber_curves[beta][1], color=color, lw=2, label=f"Huber δ = {beta:g}: capped at ±δ")
    axes[1].plot(residual, smooth_curves[beta][1], color=color, lw=2, ls="--", label=f"SmoothL1 β = {beta:g}: capped at ±1")
axes[0].set_ylabel("loss")
axes[0].set_title("SmoothL1$_β$ = Huber$_{δ=β}$ / β: the same only at β = δ = 1")
axes[1].set_ylabel("dL/dr (backward)")
axes[1].set_title("Huber's gradient saturates at δ, SmoothL1's always at 1")
for ax in axes:
    ax.set_xlabel("residual r = ŷ − y")
axes[0].legend(fontsize=8, ncol=2, loc="upper center", title="solid: Huber, dashed: SmoothL1", title_fontsize=8)
axes[1].legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1),
               title="at β = δ = 1 the orange\nlines coincide", title_fontsize=8)
fig.tight_layout()
show(fig, "huber_smoothl1")

# %%
relation_gap = max(max(np.abs(smooth_curves[b][0] - huber_curves[b][0] / b).max(),
                       np.abs(smooth_curves[b][1] - huber_curves[b][1] / b).max()) for b in BETAS)
claim("smoothl1_is_huber_over_beta", "exact relation: SmoothL1_β(r) = Huber_δ=β(r) / β, values and gradients",
      relation_gap < 1e-12, f"largest difference {relation_gap:.1e} over β = {', '.join(f'{b:g}' for b in BETAS)}")
same = {b: np.abs(smooth_curves[b][0] - huber_curves[b][0]).max() for b in BETAS}
claim("equal_only_at_beta_one", "the two are the same function at β = δ = 1 and differ at every other β",
      all((same[b] < 1e-12) == (b == 1.0) for b in BETAS),
      ", ".join(f"β = {b:g}: largest difference {same[b]:.3g}" for b in BETAS))
far = np.argmax(residual)            # r = 3, on the linear part for every β here
claim("gradient_scale_differs", "far out (r = 3) Huber pulls with δ and SmoothL1 with 1: ratio 1/β",
      all(np.isclose(smooth_curves[b][1][far] / huber_curves[b][1][far], 1 / b) for b in BETAS),
      ", ".join(f"β = {b:g}: {smooth_curves[b][1][far]:.3g} vs {huber_curves[b][1][far]:.3g}" for b in BETAS))
table.append((f"Huber δ vs SmoothL1 β = {BETAS[0]:g} at r = 3", f"{huber_curves[BETAS[0]][0][far]:.4g}",
              f"{smooth_curves[BETAS[0]][0][far]:.4g}", "SmoothL1(β) = Huber(δ = β) / β"))

# %% [markdown]
# ## 4. Contrastive with and without ½
#
# The lecture (and ours) writes $(1-Y)D^2 + Y\max(0, m-D)^2$; Hadsell et al. (2006) put a ½
# before each term. The ½ halves the loss and its gradient, nothing else. With plain SGD that is
# the same as halving the learning rate; Adam divides each step by the gradient's own running size,
# so the ½ cancels — as long as Adam's ε is small next to the gradients.

# %%
ADAM_EPS = 1e-8             # Try it 3: 1.0
MARGIN = 1.0


def contrastive_half(x1, x2, y, margin):
    """Hadsell et al.'s form: ½(1−Y)·D² + ½·Y·max(0, m − D)², per pair, written out with minigrad."""
    D = (((x1 - x2) ** 2).sum(axis=1) + 1e-30).sqrt()     # 1e-30: a finite gradient at D = 0
    return 0.5 * (1 - y) * D**2 + 0.5 * y * mg.relu(margin - D) ** 2


D = np.linspace(0, 2, 201)
x1 = np.zeros((len(D), 2))
x2 = np.stack([D, np.zeros_like(D)], 1)
contrastive_curves = {}
for y_value, name in [(0, "similar (Y = 0)"), (1, "dissimilar (Y = 1)")]:
    y = np.full(len(D), float(y_value))
    contrastive_curves[name] = (losses.contrastive(x1, x2, y, margin=MARGIN, reduction="none").data,
                                contrastive_half(mg.Tensor(x1), mg.Tensor(x2), y, MARGIN).data)
at_half = {"ours": losses.contrastive([[0.0, 0.0]], [[0.3, 0.4]], [0.0], margin=MARGIN).item(),    # D = 0.5
           "with ½": contrastive_half(mg.Tensor([[0.0, 0.0]]), mg.Tensor([[0.3, 0.4]]), np.array([0.0]), MARGIN).item()}
print(f"a similar pair at D = 0.5: ours {at_half['ours']:g}, with ½ {at_half['with ½']:g}")

# one training step of a linear embedding x ↦ x·W on 16 pairs: both conventions, SGD and Adam
r = rng(10)
a, b = r.standard_normal((16, 2)), r.standard_normal((16, 2))
pair_labels = (np.arange(16) % 2).astype(float)
steps = {}
for convention in ("ours", "with ½"):
    for optimizer in ("SGD", "Adam"):
        W = mg.Tensor(np.eye(2), requires_grad=True)
        opt = mg.optim.SGD([W], lr=0.1) if optimizer == "SGD" else mg.optim.Adam([W], lr=0.1, eps=ADAM_EPS)
        ea, eb = mg.Tensor(a) @ W, mg.Tensor(b) @ W
        loss = (losses.contrastive(ea, eb, pair_labels, margin=MARGIN) if convention == "ours"
                else contrastive_half(ea, eb, pair_labels, MARGIN).mean())
        opt.zero_grad()
        loss.backward()
        opt.step()
        steps[(convention, optimizer)] = np.abs(W.data - np.eye(2)).sum()

# %%
fig, axes = plt.subplots(1, 2, figsize=(13, 4.8))
ax = axes[0]
for (name, (ours_values, half_values)), color in zip(contrastive_curves.items(), ["tab:blue", "tab:red"]):
    ax.plot(D, ours_values, color=color, lw=2, label=f"{name}: ours / lecture")
    ax.plot(D, half_values, color=color, lw=2, ls="--", label=f"{name}: with ½ (Hadsell et al.)")
ax.axvline(MARGIN, color="gray", ls=":", label=f"margin m = {MARGIN:g}")
ax.set_xlabel("distance D between the pair's embeddings")
ax.set_ylabel("loss")
ax.set_title("the ½ halves both branches — nothing else")
ax.legend(fontsize=8, loc="upper left")
ax = axes[1]
keys = [("ours", "SGD"), ("with ½", "SGD"), ("ours", "Adam"), ("with ½", "Adam")]
bars = ax.bar([f"{o}, {c}" for c, o in keys], [steps[k] for k in keys],
              color=["tab:blue", "tab:cyan", "tab:purple", "tab:pink"])
ax.bar_label(bars, fmt="%.4f")
ax.set_ylabel("Σ|change of the weights| after one step")
ax.set_title(f"SGD: the ½ halves the step; Adam (ε = {ADAM_EPS:g}): " +
             ("the same step" if abs(steps[("with ½", "Adam")] / steps[("ours", "Adam")] - 1) < 1e-3 else "a smaller step"))
fig.tight_layout()
show(fig, "contrastive")

# %%
ratio_gap = max(np.abs(half_values - ours_values / 2).max() for ours_values, half_values in contrastive_curves.values())
claim("half_is_ours_over_two", "exact relation on both branches: contrastive with ½ = ours / 2",
      ratio_gap < 1e-9, f"largest difference {ratio_gap:.1e} over D = 0 … 2")
claim("half_at_d_one_half", "a similar pair at D = 0.5: ours is D², the ½ convention half of it, both computed",
      np.isclose(at_half["ours"], 0.5**2) and np.isclose(at_half["with ½"], at_half["ours"] / 2),
      f"ours {at_half['ours']:.6g}, with ½ {at_half['with ½']:.6g}")
sgd_ratio = steps[("with ½", "SGD")] / steps[("ours", "SGD")]
adam_ratio = steps[("with ½", "Adam")] / steps[("ours", "Adam")]
claim("sgd_step_halved", "with SGD the ½ halves the update (the same as halving the learning rate)",
      np.isclose(sgd_ratio, 0.5, rtol=1e-6), f"ratio of step sizes {sgd_ratio:.6f}")
claim("adam_step_unchanged", f"with Adam (ε = {ADAM_EPS:g}) the ½ leaves the update unchanged",
      abs(adam_ratio - 1) < 1e-3, f"ratio of step sizes {adam_ratio:.6f}")
table.append(("contrastive, similar pair, D = 0.5", f"{at_half['ours']:g}", f"{at_half['with ½']:g} (with ½)",
              "with ½ = ours / 2: halve the SGD lr, or nothing under Adam"))

# %% [markdown]
# ## 5. Hinge with labels {0, 1} instead of ±1
#
# The hinge $\max(0, 1 - y f(x))$ needs $y = \pm1$. Feed it a label 0 and the term becomes
# $\max(0, 1 - 0) = 1$ whatever the score: a constant, with gradient 0. A naive hinge trains
# without complaint, but only the positive class pushes: the boundary it learns does not depend
# on the class-0 points at all. Move them to the other side of the positives (placement B) and
# the naive boundary stays exactly where it was. Ours refuses 0/1 labels and says so.

# %%
def hinge_naive(scores, y):
    """max(0, 1 − y·f) with no check of the labels (what goes wrong with y = 0)."""
    return mg.relu(1.0 - y * scores)


def hinge_data(seed, m=20):
    r = rng(4 + seed)
    positives = r.normal(1.2, 0.6, (m, 2))
    negatives = {"A": r.normal(-1.2, 0.6, (m, 2)),     # class 0 on one side of the positives …
                 "B": r.normal(3.6, 0.6, (m, 2))}      # … or on the other side
    return positives, negatives


def train_linear(loss_fn, X, labels, steps):
    w = mg.Tensor(np.zeros(2), requires_grad=True)
    b = mg.Tensor(0.0, requires_grad=True)
    opt = mg.optim.SGD([w, b], lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(mg.Tensor(X) @ w + b, labels).mean().backward()
        opt.step()
    return w.data.copy(), float(b.data)


def accuracy(model, X, y01):
    w, b = model
    return np.mean(((X @ w + b) > 0) == (y01 == 1))


NAIVE_LABELS = (1.0, 0.0)   # the labels the naive hinge is given for class 1 and class 0
y01 = np.repeat([1.0, 0.0], 20)
y_naive = np.repeat(NAIVE_LABELS, 20)
ypm = 2 * y01 - 1                                    # the fix: {0, 1} → {−1, +1}
try:
    losses.hinge(np.zeros(40), y01)
    message = "(no error raised)"
except ValueError as error:
    message = str(error)
print(f"losses.hinge(scores, labels in {{0, 1}}): {message}")
hinge_runs = {}
for seed in SEEDS:
    positives, negatives = hinge_data(seed)
    data = {k: np.concatenate([positives, neg]) for k, neg in negatives.items()}
    naive_models = {k: train_linear(hinge_naive, X, y_naive, pick(200, 120)) for k, X in data.items()}
    our_models = {k: train_linear(lambda s, t: losses.hinge(s, t, reduction="none"), X, ypm, pick(200, 120))
                  for k, X in data.items()}
    hinge_runs[seed] = dict(positives=positives, negatives=negatives, data=data, naive=naive_models, ours=our_models)

# %%
run = hinge_runs[SEEDS[0]]
fig, axes = plt.subplots(1, 2, figsize=(13, 6.4))
ax = axes[0]
f = np.linspace(-3, 3, 241)
for label, color in [(1.0, "tab:blue"), (-1.0, "tab:red"), (0.0, "gray")]:
    ax.plot(f, hinge_naive(mg.Tensor(f), label).data, lw=2, color=color, ls="--" if label == 0 else "-",
            label=f"y = {label:+g}" + ("  (a {0,1} label: constant 1, gradient 0)" if label == 0 else ""))
ax.set_xlabel("score f(x)")
ax.set_ylabel("max(0, 1 − y·f(x))")
ax.set_title("a label 0 turns the hinge into a constant")
ax.set_ylim(-0.2, 7.2)
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.0, 0.84))
wrapped = "\n".join(message[i:i + 52] for i in range(0, len(message), 52))
ax.text(0.03, 0.97, "losses.hinge with {0, 1} labels raises\nValueError: " + wrapped, transform=ax.transAxes,
        fontsize=8, family="monospace", va="top", bbox=dict(facecolor="lightyellow", edgecolor="gray"))
ax = axes[1]
ax.scatter(*run["positives"].T, color="tab:blue", edgecolors="k", s=30, label="class 1")
ax.scatter(*run["negatives"]["A"].T, color="tab:red", alpha=0.35, s=30, label="class 0, placement A")
ax.scatter(*run["negatives"]["B"].T, color="tab:red", edgecolors="k", s=30, label="class 0, placement B")
grid = np.linspace(-3, 6, 2)
lines = [(run["naive"]["B"], "gray", "-", 4, f"naive hinge, labels {NAIVE_LABELS[0]:g}/{NAIVE_LABELS[1]:g}, B: "
          f"accuracy on B {accuracy(run['naive']['B'], run['data']['B'], y01):.0%}"),
         (run["naive"]["A"], "tab:red", "--", 1.2, "naive hinge, A (drawn on top): " +
          ("the same line" if np.allclose(run["naive"]["A"][0], run["naive"]["B"][0]) else "a different line")),
         (run["ours"]["A"], "black", ":", 2,
          f"ours, ±1 labels, A: accuracy {accuracy(run['ours']['A'], run['data']['A'], y01):.0%}"),
         (run["ours"]["B"], "black", "-", 2,
          f"ours, ±1 labels, B: accuracy {accuracy(run['ours']['B'], run['data']['B'], y01):.0%}")]
for (w, b), color, style, width, name in lines:
    ax.plot(grid, -(w[0] * grid + b) / w[1], color=color, ls=style, lw=width, label=name)
ax.set_xlim(-3, 6)
ax.set_ylim(-3, 6)
ax.set_aspect("equal")
ax.set_xlabel("x₁")
ax.set_ylabel("x₂")
ax.set_title("0/1 labels: class 0 never pushes, so moving it changes nothing" if NAIVE_LABELS[1] == 0
             else f"naive hinge with labels {NAIVE_LABELS[0]:g}/{NAIVE_LABELS[1]:g}: both classes push")
fig.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=2, fontsize=8,
           title="right panel: points, and the decision boundary each model learned")
fig.tight_layout(rect=(0, 0.2, 1, 1))
show(fig, "hinge")

# %%
naive_accepts = np.isfinite(hinge_naive(mg.Tensor(np.zeros(40)), y01).data).all()
claim("ours_rejects_01_labels", "the naive hinge accepts {0, 1} labels silently; ours raises ValueError naming the target",
      naive_accepts and message != "(no error raised)" and "target" in message, message)
scores = run["data"]["B"] @ run["ours"]["B"][0] + run["ours"]["B"][1]
mapped_gap = np.abs(losses.hinge(scores, ypm, reduction="none").data - hinge_naive(mg.Tensor(scores), ypm).data).max()
claim("mapped_labels_match", "with y = 2·y01 − 1, ours == max(0, 1 − y·f) for every sample", mapped_gap < 1e-12,
      f"largest difference {mapped_gap:.1e}")
s = mg.Tensor(np.linspace(-3, 3, 7), requires_grad=True)
hinge_naive(s, np.zeros(7)).sum().backward()
zero_label_grad = np.abs(s.grad).max()
s1 = mg.Tensor(np.linspace(-3, 3, 7), requires_grad=True)
hinge_naive(s1, np.ones(7)).sum().backward()
claim("label_zero_no_gradient", "a label 0 sends back a gradient of exactly 0, a label +1 does not",
      zero_label_grad == 0.0 and np.abs(s1.grad).max() > 0,
      f"largest |gradient| with y = 0: {zero_label_grad:g}, with y = +1: {np.abs(s1.grad).max():g}")
shift = {seed: (max(np.abs(v["naive"]["A"][0] - v["naive"]["B"][0]).max(), abs(v["naive"]["A"][1] - v["naive"]["B"][1])),
                max(np.abs(v["ours"]["A"][0] - v["ours"]["B"][0]).max(), abs(v["ours"]["A"][1] - v["ours"]["B"][1])))
         for seed, v in hinge_runs.items()}
claim("naive_ignores_class0", "moving class 0 from A to B leaves the naive model exactly where it was, and moves ours",
      all(n == 0.0 and o > 0.1 for n, o in shift.values()),
      "; ".join(f"seed {s}: naive moves {n:g}, ours {o:.2f}" for s, (n, o) in shift.items()))
acc = {seed: (accuracy(v["naive"]["B"], v["data"]["B"], y01), accuracy(v["ours"]["B"], v["data"]["B"], y01))
       for seed, v in hinge_runs.items()}
claim("naive_misclassifies_b", "with class 0 at B the naive model fails, ours (±1 labels) separates",
      all(n <= 0.6 and o >= 0.95 for n, o in acc.values()),
      "; ".join(f"seed {s}: accuracy naive {n:.0%}, ours {o:.0%}" for s, (n, o) in acc.items()))
table.append(("hinge, labels {0, 1}", "ValueError", f"naive: accuracy {acc[SEEDS[0]][0]:.0%}", "map labels with y = 2·y01 − 1"))

# %% [markdown]
# ## 6. Triplet loss with squared or plain distances
#
# $\max(0, d(a,p) - d(a,n) + m)$ with $d$ the Euclidean distance — FaceNet uses the *squared*
# distance. The same margin draws a different line between "done" and "still learning":
# $d_n \ge d_p + m$ for plain distances, $d_n^2 \ge d_p^2 + m$ for squared ones. Far from the
# origin the squared version is satisfied much sooner; close to it, later.

# %%
TRIPLET_MARGIN = 1.0        # Try it 4: 0.2
anchor, positive, negative = np.zeros((1, 2)), np.array([[1.0, 0.0]]), np.array([[0.0, 1.5]])
plain = losses.triplet(anchor, positive, negative, margin=TRIPLET_MARGIN).item()
squared = losses.triplet(anchor, positive, negative, margin=TRIPLET_MARGIN, squared=True).item()
r = rng(6)
A, P, N = (r.standard_normal((200, 3)) for _ in range(3))
dp, dn = np.sqrt(((A - P) ** 2).sum(1)), np.sqrt(((A - N) ** 2).sum(1))
gap_plain = np.abs(losses.triplet(A, P, N, margin=TRIPLET_MARGIN, reduction="none").data
                   - np.maximum(0, dp - dn + TRIPLET_MARGIN)).max()
gap_squared = np.abs(losses.triplet(A, P, N, margin=TRIPLET_MARGIN, squared=True, reduction="none").data
                     - np.maximum(0, dp**2 - dn**2 + TRIPLET_MARGIN)).max()
still_learning = {sq: losses.triplet(A, P, N, margin=TRIPLET_MARGIN, squared=sq, reduction="none").data > 0
                  for sq in (False, True)}
disagree = np.mean(still_learning[False] != still_learning[True])
d = np.linspace(0, 3, pick(301, 151))
gp, gn = np.meshgrid(d, d)
# the loss surface over (d(a,p), d(a,n)): anchor at 0, positive and negative on two axes
surfaces = {sq: losses.triplet(np.zeros((gp.size, 2)), np.stack([gp.ravel(), np.zeros(gp.size)], 1),
                               np.stack([np.zeros(gn.size), gn.ravel()], 1), margin=TRIPLET_MARGIN, squared=sq,
                               reduction="none").data.reshape(gp.shape) for sq in (False, True)}

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 5.4))
for ax, sq in zip(axes, (False, True)):
    image = ax.contourf(gp, gn, surfaces[sq], levels=20, cmap="Blues")
    fig.colorbar(image, ax=ax, label="triplet loss")
    ax.plot(d, d + TRIPLET_MARGIN, "k-", lw=2, label=f"plain: $d_n = d_p + {TRIPLET_MARGIN:g}$")
    ax.plot(d, np.sqrt(d**2 + TRIPLET_MARGIN), "r--", lw=2.5, label=f"squared: $d_n^2 = d_p^2 + {TRIPLET_MARGIN:g}$")
    ax.plot([1.0], [1.5], "o", color="lime", ms=9, mec="k", label="$d_p = 1,\\ d_n = 1.5$")
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 3)
    ax.set_xlabel("d(a, p)")
    ax.set_ylabel("d(a, n)")
    ax.legend(fontsize=8, loc="lower right")
axes[0].set_title(f"plain distances: loss {plain:g} at the green point")
axes[1].set_title(f"squared=True: loss {squared:g} at the same point")
fig.suptitle(f"same margin m = {TRIPLET_MARGIN:g}, different 'done' region (loss 0 above each line)", fontsize=11)
fig.tight_layout()
show(fig, "triplet")

# %%
claim("triplet_conventions_disagree_at_point", "at d(a,p) = 1, d(a,n) = 1.5 the two conventions disagree: "
      "one still has loss, the other is done", (plain > 0) != (squared > 0), f"plain {plain:g}, squared {squared:g}")
claim("triplet_relations", "exact relations on 200 random triplets: plain = max(0, d_p − d_n + m), "
      "squared = max(0, d_p² − d_n² + m)", max(gap_plain, gap_squared) < 1e-12,
      f"largest differences {gap_plain:.1e}, {gap_squared:.1e}")
claim("triplet_conventions_disagree", "on random triplets the two disagree on which still carry loss",
      disagree > 0.05, f"{disagree:.0%} of 200 triplets")
table.append((f"triplet, d(a,p) = 1, d(a,n) = 1.5, m = {TRIPLET_MARGIN:g}", f"{plain:g}", f"{squared:g} (squared)",
              "squared compares d², not d"))

# %% [markdown]
# ## 7. The summary: our number, the other convention's, and how to convert
#
# One row per trap, every number computed above.

# %%
fig, ax = plt.subplots(figsize=(13, 2.9))
ax.axis("off")
header = ("convention", "ours", "the other one", "exact relation")
cells = ax.table(cellText=[list(map(str, row)) for row in table], colLabels=header, loc="center",
                 cellLoc="left", colLoc="left", colWidths=[0.3, 0.12, 0.23, 0.35])
cells.auto_set_font_size(False)
cells.set_fontsize(9)
cells.scale(1, 1.6)
for (row, _), cell in cells.get_celld().items():
    cell.PAD = 0.006 / cell.get_width()     # one indent for every column (matplotlib's is a tenth of each cell's width)
    if row == 0:
        cell.set_facecolor("#dde6f0")
        cell.set_text_props(weight="bold")
ax.set_title("same name, different loss: our number, the other convention's, and how to convert")
fig.tight_layout()
show(fig, "summary")

# %%
finish()

# %% [markdown]
# ## Choosing a loss
#
# What lessons 02–10 found, as a table: the loss is the function in `losses`, the number in
# brackets the lesson that shows the pitfall. Details below the table.
#
# | task | output layer | loss | its knobs | its pitfalls |
# |---|---|---|---|---|
# | regression | a linear unit | `mse` | — | outliers drag the fit (02) |
# | regression with outliers | a linear unit | `huber`, `mae` | δ | δ above the outliers' residuals (02); β ≠ δ (10) |
# | two classes | one logit | `binary_cross_entropy_with_logits` | `pos_weight` | probabilities saturate (03); 100 or 16.1 (10) |
# | C classes | C logits | `cross_entropy` | `weight`, `label_smoothing` | ε/C or ε/(C − 1) (10) |
# | rare positives | one logit | `focal`, `pos_weight` | γ, α, w, π | moves the threshold, not the ranking; miscalibrates p (05) |
# | max-margin classes | a linear score | `hinge`, `squared_hinge` | margin, L2 penalty | labels ±1, not {0, 1} (10); kink (04) |
# | pairs: same or not | an embedding | `contrastive` | margin m | the ½ (10); pairs beyond m are ignored (06) |
# | retrieval, faces | an embedding | `triplet`, `batch_triplet` | margin, `squared`, `mining` | squared d (10); batch-hard (07) |
# | small or sparse weights | — | `+ l2_penalty`, `+ l1_penalty`, `+ elastic_net` | λ, λ₁, λ₂ | zeros need a proximal step (08) |
# | weight decay | — | `mg.optim.AdamW(weight_decay=…)` | λ | Adam's weight_decay is L2; AdamW's λ shrinks far less (08) |
# | your own task | — | a weighted sum, a task penalty | the weights | check it (09); a task penalty can win (08) |
#
# The pitfalls in one sentence each:
#
# - **Outliers drag MSE** (02): its optimum is the least-squares line, outliers included; Huber and MAE
#   stay near the truth — but a Huber δ larger than every outlier's residual makes Huber MSE/2.
# - **SmoothL1's β is not Huber's δ** (10): SmoothL1 = Huber(δ = β) / β, so copying β as δ rescales the gradient.
# - **Probabilities saturate** (03): work from logits; σ then log loses the answer for large negative logits.
# - **The clamp sets the price of a confident mistake** (10): 100 in PyTorch and ours, −log ε ≈ 16.1 in Keras.
# - **Label smoothing has two conventions** (10): ε/C (ours, PyTorch) or ε/(C − 1); convert with ε·C/(C − 1).
# - **Easy examples dominate cross-entropy under imbalance** (05): focal's γ turns them down, α weights the classes.
# - **Hinge labels are ±1** (10): with {0, 1} a class never pushes; the hinge has a kink, the squared hinge none (04).
# - **A ½ in the loss** (10) halves SGD's step and does nothing to Adam's.
# - **Dissimilar pairs beyond the margin send no gradient** (06), and **batch-hard mining collapses the embedding
#   when classes overlap** (07); **a squared distance changes what a margin means** (10).
# - **L1's exact zeros need a proximal step** (08): plain gradient descent never lands on 0.0. **Under Adam an L2
#   penalty is not weight decay** (08): use AdamW for decoupled decay — and do not copy λ between the two: the
#   same λ that halves Adam + L2's weights leaves AdamW's near least squares, and at matched shrinkage they shrink
#   different weights.

# %% [markdown]
# ## Try it
#
# Predict before you run; then compare with [the answers](answers/10_conventions.md).
#
# 1. Set `KERAS_EPSILON = 1e-15` in part 1. What does the Keras-style loss of a confident mistake
#    become — nearer ours or still far from it? Is it still exactly −log ε? (Think of how 1 − 10⁻¹⁵
#    is stored.)
# 2. Set `CLASSES = 2` in part 2. How far apart are ε/C and ε/(C − 1) now? Do the two
#    conventions still give different losses?
# 3. Set `ADAM_EPS = 1.0` in part 4. Does the ½ still leave Adam's step unchanged?
# 4. Set `TRIPLET_MARGIN = 0.2` in part 6. Do the two conventions still disagree at the green point?


# %% [markdown]
# ## Write it yourself: label-smoothing targets
#
# Part 2 compared two conventions. Write PyTorch's: from class indices $y$ $(N,)$, targets of shape
# $(N, C)$,
#
# $$q = (1 - \varepsilon)\,\mathrm{onehot}(y) + \varepsilon / C ,$$
#
# $\varepsilon/C$ on every class, the true one too, so every row sums to 1. Replace the `raise`, then
# run the cell after it.

# %%
from lessons.exercises import grade  # noqa: E402  (the exercises' grader)


def label_smoothing(target, num_classes, epsilon=0.1):
    """Label-smoothed targets (N, C) from class indices y (N,), PyTorch's convention:

        q = (1 - ε)·onehot(y) + ε/C

    ε/C goes to every class, the true one too, so the true class gets 1 - ε + ε/C and
    every row sums to 1. Return shape (N, num_classes).
    """
    raise NotImplementedError("write label_smoothing here")


# %%
report = grade("label_smoothing", label_smoothing)
