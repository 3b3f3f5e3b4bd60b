# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 — Triplet loss: mining, batch-hard, and what the embedding is for
#
# The triplet loss looks at three embeddings at once: an **anchor** $a$, a **positive** $p$ of
# the same class and a **negative** $n$ of another class:
#
# $$L = \max\bigl(0,\ d(a,p) - d(a,n) + m\bigr).$$
#
# It is zero once the negative is farther than the positive by the margin $m$. Which negatives
# you feed it matters, and FaceNet (Schroff et al., 2015) names three kinds:
#
# - **easy**: $d(a,n) \ge d(a,p) + m$ — loss 0, nothing to learn;
# - **semi-hard**: $d(a,p) < d(a,n) < d(a,p) + m$ — farther than the positive, but not by enough;
# - **hard**: $d(a,n) \le d(a,p)$ — nearer than the positive.
#
# The lecture names the uses: face recognition (FaceNet) and person re-identification.
# This lesson shows the loss, the three kinds of negatives, three ways to mine them in a
# batch (`losses.batch_triplet(..., mining="all" | "hard" | "semi-hard")`), *when* batch-hard
# mining trains and when it collapses, L2-normalised embeddings, and finally the embeddings
# evaluated as FaceNet and re-identification use them: on identities never seen in training.
#
# Run the cells in order. Each figure appears under the cell that draws it, and each
# `claim(...)` prints **holds** or **FAILS** with the numbers that decide it.

# %%
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

import losses
import minigrad as mg
from lessons.helpers import (
    SEEDS,
    blobs,
    claim,
    distance_matrix,
    finish,
    fit,
    identities,
    lda,
    mlp,
    pick,
    plot_verification,
    recall_at_k,
    show,
    start,
    steady,
    validation_rate,
    verification_roc,
)

lesson = start("07_triplet")

# %% [markdown]
# ## 1. The loss against $d(a,p) - d(a,n)$
#
# Notice the hinge. Left of $-m$ the negative is already farther than the positive by the
# margin: loss 0 and no gradient (easy). Between $-m$ and 0 the negative is farther than the
# positive but not by enough: a loss below $m$ (semi-hard). Right of 0 the negative is nearer
# than the positive: the loss exceeds $m$ (hard).

# %%
KIND_COLORS = {"hard": "tab:red", "semi-hard": "tab:orange", "easy": "tab:green"}
MARGINS = (0.5, 1.0, 2.0)
d_ap = 2.0
x = np.linspace(-3.0, 2.0, 501)                            # x = d(a,p) − d(a,n)
anchor = np.zeros((len(x), 2))
positive = np.tile([d_ap, 0.0], (len(x), 1))               # d(a,p) = 2 for every row
negative = np.stack([np.zeros_like(x), d_ap - x], 1)       # d(a,n) = 2 − x
curves = {m: losses.triplet(anchor, positive, negative, margin=m, reduction="none").data for m in MARGINS}

fig, ax = plt.subplots(figsize=(9, 4.6))
ax.axvspan(x[0], -1.0, color=KIND_COLORS["easy"], alpha=0.12)
ax.axvspan(-1.0, 0, color=KIND_COLORS["semi-hard"], alpha=0.15)
ax.axvspan(0, x[-1], color=KIND_COLORS["hard"], alpha=0.12)
for name, x_text in [("easy", -2.0), ("semi-hard", -0.5), ("hard", 1.0)]:
    ax.text(x_text, 3.6, f"{name}\n(for m = 1)", ha="center", color=KIND_COLORS[name], fontsize=10, weight="bold")
for m, style in zip(MARGINS, [":", "-", "--"]):
    ax.plot(x, curves[m], style, color="black", lw=2, label=f"margin m = {m:g}")
ax.set_ylim(-0.1, 4.3)
ax.set_xlabel("d(a, p) − d(a, n)   (negative: the negative is farther than the positive)")
ax.set_ylabel("triplet loss  max(0, d(a,p) − d(a,n) + m)")
ax.set_title("A hinge at −m: easy negatives cost nothing, hard ones cost more than m")
ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.8))
fig.tight_layout()
show(fig, "loss_curve")

# %%
gap = max(np.abs(curves[m] - np.maximum(0.0, x + m)).max() for m in MARGINS)
claim("matches_formula", "losses.triplet equals max(0, d(a,p) − d(a,n) + m) on the whole curve, for every margin drawn",
      gap < 1e-12, f"largest difference {gap:.1e} for m = {', '.join(f'{m:g}' for m in MARGINS)}")

# %% [markdown]
# ## 2. Easy, semi-hard and hard negatives for one anchor–positive pair
#
# Around the anchor, the circle through the positive has radius $d(a,p)$, the dashed one
# $d(a,p) + m$. Negatives inside the first circle are hard, in the ring semi-hard, outside
# easy. In a batch, `mining="hard"` (**batch-hard**, Hermans, Beyer and Leibe, 2017) takes for
# each anchor its *farthest* positive and its *nearest* negative of all; `mining="semi-hard"`
# (FaceNet) takes, for each anchor–positive pair, the nearest negative *outside* the first
# circle; `mining="all"` averages over every triplet that still has a loss.

# %%
PAIR_MARGIN = 1.0
X, y = blobs(n_per_class=25, centers=((0, 0), (2.5, 0.5), (0.8, 2.6)), std=0.9, seed=7)


def kind_of_negative(d_ap, d_an, margin):
    """FaceNet's names. A negative exactly at d(a,p) counts as hard, one exactly at d(a,p) + m as easy."""
    return np.where(d_an <= d_ap, "hard", np.where(d_an < d_ap + margin, "semi-hard", "easy"))


D = distance_matrix(X)
same = np.flatnonzero(y == 0)
negatives = np.flatnonzero(y != 0)
# the anchor-positive pair of class 0 whose three kinds of negatives are most evenly filled
fill = {(a, p): min((kind_of_negative(D[a, p], D[a, negatives], PAIR_MARGIN) == k).sum() for k in KIND_COLORS)
        for a in same for p in same if a != p}
a, p = max(fill, key=fill.get)
kinds = kind_of_negative(D[a, p], D[a, negatives], PAIR_MARGIN)
per_negative = losses.triplet(np.tile(X[a], (len(negatives), 1)), np.tile(X[p], (len(negatives), 1)),
                              X[negatives], margin=PAIR_MARGIN, reduction="none").data
semi_hard_choice = negatives[kinds == "semi-hard"][np.argmin(D[a, negatives][kinds == "semi-hard"])]
nearest_negative = negatives[np.argmin(D[a, negatives])]

fig, ax = plt.subplots(figsize=(9, 7))
ax.scatter(*X[same].T, color="lightgray", edgecolors="gray", s=25, label="class of the anchor")
for kind in KIND_COLORS:
    chosen = negatives[kinds == kind]
    ax.scatter(*X[chosen].T, color=KIND_COLORS[kind], edgecolors="k", s=35, label=f"{kind} negatives ({len(chosen)})")
angle = np.linspace(0, 2 * np.pi, 200)
for radius, style, name in [(D[a, p], "-", "d(a,p)"), (D[a, p] + PAIR_MARGIN, "--", "d(a,p) + m")]:
    ax.plot(X[a, 0] + radius * np.cos(angle), X[a, 1] + radius * np.sin(angle), "k" + style, lw=1,
            label=f"radius {name} = {steady(radius):.2f}")
ax.plot(*X[a], "k*", ms=18, label="anchor a")
ax.plot(*X[p], "kP", ms=12, label="positive p")
ax.plot([X[a, 0], X[p, 0]], [X[a, 1], X[p, 1]], "k-", lw=1)
ax.scatter(*X[semi_hard_choice], s=260, facecolors="none", edgecolors="darkorange", linewidths=2.5,
           label="picked by mining='semi-hard'")
ax.scatter(*X[nearest_negative], s=260, facecolors="none", edgecolors="darkred", linewidths=2.5,
           label="nearest negative (mining='hard')")
ax.set_aspect("equal")
ax.set_xlabel("embedding dimension 1")
ax.set_ylabel("embedding dimension 2")
ax.set_title(f"One anchor–positive pair (m = {PAIR_MARGIN:g}): hard inside the inner circle,\n"
             "semi-hard in the ring, easy outside")
ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
fig.tight_layout()
show(fig, "negatives")

# %% [markdown]
# The library's losses for these negatives against FaceNet's definitions, and what its two
# miners pick against a plain search over the distances.

# %%
claim("negative_costs", "hard negatives cost ≥ m, semi-hard ones between 0 and m, easy ones exactly 0",
      np.all(per_negative[kinds == "hard"] >= PAIR_MARGIN)
      and np.all((per_negative[kinds == "semi-hard"] > 0) & (per_negative[kinds == "semi-hard"] < PAIR_MARGIN))
      and np.all(per_negative[kinds == "easy"] == 0),
      f"hard ≥ {per_negative[kinds == 'hard'].min():.2f}, semi-hard in [{per_negative[kinds == 'semi-hard'].min():.2f}, "
      f"{per_negative[kinds == 'semi-hard'].max():.2f}], easy max {per_negative[kinds == 'easy'].max():g}")

semi = losses.batch_triplet(X, y, margin=PAIR_MARGIN, mining="semi-hard", reduction="none").data
pairs = np.argwhere((y[:, None] == y[None, :]) & ~np.eye(len(y), dtype=bool))       # ordered by a, then p
semi_value = semi[np.flatnonzero((pairs[:, 0] == a) & (pairs[:, 1] == p))[0]]
expected_semi = max(0.0, D[a, p] - D[a, semi_hard_choice] + PAIR_MARGIN)
claim("semi_hard_pick", "mining='semi-hard' uses the nearest negative outside the inner circle for this pair",
      np.isclose(semi_value, expected_semi, rtol=1e-12, atol=0),
      f"library {semi_value:.4f}, search: d(a,p) {D[a, p]:.3f} − {D[a, semi_hard_choice]:.3f} + {PAIR_MARGIN:g}")

hard = losses.batch_triplet(X, y, margin=PAIR_MARGIN, mining="hard", reduction="none").data
farthest_positive = np.max(D[a, same[same != a]])
expected_hard = max(0.0, farthest_positive - D[a, nearest_negative] + PAIR_MARGIN)
claim("batch_hard_pick", "mining='hard' uses the anchor's farthest positive and nearest negative",
      np.isclose(hard[a], expected_hard, rtol=1e-12, atol=0),
      f"library {hard[a]:.4f}, search: {farthest_positive:.3f} − {D[a, nearest_negative]:.3f} + {PAIR_MARGIN:g}")

# %% [markdown]
# ## 3. Batch-hard mining: when it trains, and when it collapses
#
# Batch-hard asks, for every anchor, $\max_p d(a,p) - \min_n d(a,n) + m \le 0$: its farthest
# positive must be nearer than its nearest negative by $m$. Hermans et al. train
# re-identification networks with exactly this. Whether it trains depends on the data:
#
# - **Separated classes** — some embedding puts every anchor's farthest positive nearer than
#   its nearest negative. Batch-hard moves towards it: the embedding opens up and the margin
#   is met.
# - **Overlapping classes** — sightings of one class sit among those of another, and a smooth
#   network keeps close inputs close. For those anchors the nearest negative stays nearer
#   than the farthest positive however the network bends the space. The cheapest way to
#   lower $\max_p d(a,p) - \min_n d(a,n)$ is then to shrink *every* distance: the embedding
#   **collapses** towards a point, where every distance is 0, the loss is exactly $m$ and no
#   gradient is left.
#
# **The condition**, then: batch-hard mining trains when the classes can be separated — when
# an embedding exists that puts each anchor's hardest positive nearer than its hardest
# negative — and fails when they overlap, collapsing outright on most seeds. It is not hard
# mining as such that collapses.
#
# Semi-hard negatives are farther than the positive, so shrinking *raises* their loss: with
# semi-hard mining the embedding opens up instead. We train the same network from the same
# start with each mining mode, in both regimes, on every seed. The data are `N_CLASSES`
# classes in 2-D, centres at least 1 apart, each point scattered around its centre with std
# `SEPARATED_SPREAD` or `OVERLAPPING_SPREAD`.

# %%
MARGIN = 1.0
SEPARATED_SPREAD = 0.15            # Try it 1: 0.6
OVERLAPPING_SPREAD = 0.8           # Try it 2: 0.3
N_CLASSES, PER_CLASS = 6, 8
STEPS = pick(150, 60)
MODES = ("all", "hard", "semi-hard")
MODE_COLORS = {"all": "tab:blue", "hard": "tab:red", "semi-hard": "tab:orange"}
REGIMES = {"separated": SEPARATED_SPREAD, "overlapping": OVERLAPPING_SPREAD}


def spread(E):
    """Mean distance of the embeddings to their centroid: how large the embedding is."""
    return np.linalg.norm(E - E.mean(0), axis=1).mean()


def margin_met(E, labels, margin):
    """The fraction of all valid triplets with d(a,n) ≥ d(a,p) + m (loss 0): the common goal of every mode."""
    D = distance_matrix(E)
    same = labels[:, None] == labels[None, :]
    valid = (same & ~np.eye(len(labels), dtype=bool))[:, :, None] & ~same[:, None, :]
    return np.mean((D[:, :, None] - D[:, None, :] + margin <= 0)[valid])


def to_unit_circle(E):
    """Each row divided by its length. The 1e-12 keeps the root finite if a row reaches exactly 0."""
    return E / ((E * E).sum(axis=1, keepdims=True) + 1e-12).sqrt()


def same_over_different(E, labels):
    """Mean distance within a class over mean distance between classes: scale-free, smaller is tighter."""
    D = distance_matrix(E)
    same = labels[:, None] == labels[None, :]
    return D[same & ~np.eye(len(labels), dtype=bool)].mean() / D[~same].mean()


def soft_margin_batch_hard(E, labels):
    """Hermans, Beyer and Leibe (2017): batch-hard with softplus(x) = log(1 + exp(x)) in place of
    max(0, x + m), x = max_p d(a,p) − min_n d(a,n). No margin, and never exactly 0.
    softplus(x) is written as relu(x) + log(1 + exp(−|x|)): no exp of a large number."""
    diff = E[:, None, :] - E[None, :, :]
    D = ((diff * diff).sum(axis=2) + 1e-12).sqrt()        # the 1e-12 keeps the root's gradient finite at 0
    same = labels[:, None] == labels[None, :]
    positive = same & ~np.eye(len(labels), dtype=bool)
    x = mg.where(positive, D, -np.inf).max(axis=1) - mg.where(~same, D, np.inf).min(axis=1)
    return (x.relu() + (1 + (-x.abs()).exp()).log()).mean()


def train_embedding(X, labels, mining, margin, seed, normalize=False, steps=STEPS, soft=False):
    """An MLP (inputs → 16 → 16 → 2, tanh) trained full-batch with Adam on batch_triplet(mining),
    or on the soft-margin batch-hard loss when soft=True. Returns the embeddings before and after
    training and, at every step, the loss, the spread, the within/between distance ratio and the
    share of the mined triplets that are active (loss > 0; Hermans et al.'s diagnostic)."""
    network = mlp([X.shape[1], 16, 16, 2], seed=seed)          # the same start for every mode
    inputs = mg.Tensor(X)
    def embed():
        E = network(inputs)
        return to_unit_circle(E) if normalize else E
    with mg.no_grad():
        before = embed().data
    history = {"spread": [], "ratio": [], "active": []}
    def loss():
        E = embed()
        history["spread"].append(spread(E.data))
        history["ratio"].append(same_over_different(E.data, labels))
        if soft:
            history["active"].append(1.0)                      # softplus is never 0: every triplet counts
            return soft_margin_batch_hard(E, labels)
        with mg.no_grad():
            mined = losses.batch_triplet(E.data, labels, margin=margin, mining=mining, reduction="none").data
        history["active"].append(np.mean(mined > 0))
        return losses.batch_triplet(E, labels, margin=margin, mining=mining)
    history["loss"] = fit(network.parameters(), loss, steps, lr=0.01)
    with mg.no_grad():
        after = embed().data
    return {"before": before, "after": after, "network": network, "normalize": normalize,
            **{key: np.array(value) for key, value in history.items()}}


def embed_new(run, X):
    """Embed inputs the network never trained on (held-out identities) with a trained run's network."""
    with mg.no_grad():
        E = run["network"](mg.Tensor(X))
        return (to_unit_circle(E) if run["normalize"] else E).data


data = {(regime, seed): identities(N_CLASSES, PER_CLASS, spread=s, nuisance_dims=0, seed=seed)
        for regime, s in REGIMES.items() for seed in SEEDS}
# 'hard' and 'semi-hard' on every seed (the claims); 'all', the slowest, on the first seed (the figures)
runs = {(regime, mode, seed): train_embedding(*data[regime, seed], mode, MARGIN, seed)
        for regime in REGIMES for mode in MODES for seed in SEEDS if mode != "all" or seed == SEEDS[0]}
for (regime, _, seed), r in runs.items():
    r["met"] = margin_met(r["after"], data[regime, seed][1], MARGIN)
print("spread before → after, and the fraction of triplets that meet the margin:")
for (regime, mode, seed), r in runs.items():
    print(f"  {regime:11s} {mode:9s} seed {seed}: {r['spread'][0]:.3f} → {spread(r['after']):.4f}, met {r['met']:.0%}")

# %% [markdown]
# The training curves of seed 0, one row per regime. Notice the red line: in the top row it
# trains like the others; in the bottom row its loss flattens onto the dotted line at $m$
# while its spread falls by orders of magnitude.
#
# The second column is the diagnostic Hermans et al. recommend watching: the share of the
# mined triplets that are still **active** (loss > 0). A mode's loss is the mean over its
# mined triplets, and `mining="all"` averages only over the *active* ones (see `batch_triplet`'s
# "mean"). So when 'all' shows a loss near 0.85 while most triplets meet the margin, both are
# true: the loss is the mean of the few triplets still violated, not of all of them. Read a
# loss together with its active share. A collapsed batch-hard keeps 100% of its triplets
# active at loss $m$: stuck, not converged.

# %%
def batch_hard_outcome(regime, seed=SEEDS[0]):
    """What batch-hard did in one regime, in numbers, for the figure titles."""
    r = runs[regime, "hard", seed]
    end = spread(r["after"])
    verdict = ("collapses" if end < 0.1 * r["spread"][0] else "opens up" if r["met"] >= 0.99 and end > r["spread"][0]
               else "stalls")
    return (f"batch-hard {verdict}: spread {steady(r['spread'][0]):.2g} → {steady(end):.2g}, "
            f"loss {steady(r['loss'][-1]):.2f}, margin met on {steady(r['met']):.0%}")


def log_axis(ax):
    """A log y-axis with a few plain labels (0.01, 0.1, 1, 10; 0.3 and 3 too when the range is short)."""
    ax.set_yscale("log")
    low, high = ax.get_ylim()
    subs = (1.0, 3.0) if high / low < 300 else (1.0,)
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=subs))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


fig, axes = plt.subplots(2, 4, figsize=(19, 8.4))
for row, regime in enumerate(REGIMES):
    for mode in MODES:
        r = runs[regime, mode, SEEDS[0]]
        axes[row, 0].plot(r["loss"], color=MODE_COLORS[mode], lw=2, label=f"mining = '{mode}'")
        axes[row, 1].plot(100 * r["active"], color=MODE_COLORS[mode], lw=2)
        axes[row, 2].plot(r["spread"], color=MODE_COLORS[mode], lw=2)
    axes[row, 0].axhline(MARGIN, color="gray", ls=":", label=f"m = {MARGIN:g}: the loss of a collapsed embedding")
    axes[row, 0].set_ylabel(f"{regime} (std {REGIMES[regime]:g})\nbatch_triplet loss (mean over the mined triplets)")
    axes[row, 0].set_title("loss ('all': the mean over its active triplets only)", fontsize=10)
    axes[row, 1].set_ylim(-3, 103)
    axes[row, 1].set_ylabel("active mined triplets (loss > 0), %")
    axes[row, 1].set_title(f"{regime}: the share still active (Hermans et al.)", fontsize=10)
    log_axis(axes[row, 2])
    axes[row, 2].set_ylabel("spread: mean distance to the centroid")
    axes[row, 2].set_title(f"{regime}: spread (log scale)", fontsize=10)
    bars = [runs[regime, mode, SEEDS[0]]["met"] for mode in MODES]
    axes[row, 3].bar(MODES, bars, color=[MODE_COLORS[m] for m in MODES])
    for k, value in enumerate(bars):
        axes[row, 3].text(k, value + 0.02, f"{steady(value):.0%}", ha="center")
    axes[row, 3].set_ylim(0, 1.15)
    axes[row, 3].set_ylabel("fraction of all triplets with loss 0\n(after training)")
    axes[row, 3].set_title("the common goal: triplets that meet the margin", fontsize=10)
for ax in axes[1, :3]:
    ax.set_xlabel("training step (full batch, Adam)")
axes[1, 3].set_xlabel("mining mode")
fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="upper center", ncol=4, bbox_to_anchor=(0.5, 0.925))
fig.suptitle(f"Seed {SEEDS[0]}, the same network and start for every mode. Top, std {SEPARATED_SPREAD:g}: "
             f"{batch_hard_outcome('separated')}.\nBottom, std {OVERLAPPING_SPREAD:g}: "
             f"{batch_hard_outcome('overlapping')}")
fig.subplots_adjust(left=0.06, right=0.985, bottom=0.07, top=0.83, wspace=0.32, hspace=0.3)
show(fig, "training")

# %% [markdown]
# The embeddings themselves, seed 0, all panels of a row drawn to the same scale so that a
# collapse looks like one. Each panel's title gives its spread and the fraction of triplets that meet
# the margin. Notice that in the overlapping row even the modes that spread out do not make
# clean clusters: they meet the margin on most triplets, not all.

# %%
class_colors = plt.get_cmap("tab10")(np.arange(N_CLASSES))
fig, axes = plt.subplots(2, 4, figsize=(17, 8.6))
for row, regime in enumerate(REGIMES):
    X_r, y_r = data[regime, SEEDS[0]]
    first = runs[regime, MODES[0], SEEDS[0]]
    panels = [("before training", first["before"])] + [(f"mining = '{m}'", runs[regime, m, SEEDS[0]]["after"])
                                                       for m in MODES]
    reach = max(np.abs(E - E.mean(0)).max() for _, E in panels) * 1.05
    for ax, (title, E) in zip(axes[row], panels):
        centre = E.mean(0)
        ax.scatter(*E.T, color=class_colors[y_r], s=18, edgecolors="k", linewidths=0.3)
        ax.set_xlim(centre[0] - reach, centre[0] + reach)
        ax.set_ylim(centre[1] - reach, centre[1] + reach)
        ax.set_aspect("equal", adjustable="box")
        ax.set_title(f"{regime}: {title}\nspread {steady(spread(E)):.3g}, margin met on "
                     f"{steady(margin_met(E, y_r, MARGIN)):.0%}",
                     fontsize=10)
        ax.set_xlabel("embedding dimension 1")
    axes[row, 0].set_ylabel("embedding dimension 2")
for c in range(N_CLASSES):                         # legend entries only: one marker per class
    axes[0, 3].scatter([], [], color=class_colors[c], s=18, edgecolors="k", linewidths=0.3, label=f"class {c}")
axes[0, 3].legend(loc="upper left", bbox_to_anchor=(1.02, 1), title="class (colour)")
spreads = {m: spread(runs["overlapping", m, SEEDS[0]]["after"]) for m in MODES}
met = {m: runs["overlapping", m, SEEDS[0]]["met"] for m in MODES}
fig.suptitle(f"Seed {SEEDS[0]}, each row on one scale. Top, std {SEPARATED_SPREAD:g}: {batch_hard_outcome('separated')}."
             f"\nBottom, std {OVERLAPPING_SPREAD:g}: {batch_hard_outcome('overlapping')}; semi-hard spreads out "
             f"(spread {steady(spreads['semi-hard']):.2g}) and meets it on {steady(met['semi-hard']):.0%} of triplets, "
             "classes still mixed in places")
fig.subplots_adjust(left=0.05, right=0.91, bottom=0.06, top=0.86, wspace=0.25, hspace=0.32)
show(fig, "embeddings")

# %% [markdown]
# The claims, on every seed: batch-hard trains on separated classes and fails on overlapping
# ones; semi-hard does not collapse there. One claim is a measured fraction, not "every
# seed": on overlapping classes batch-hard collapses outright on most seeds, but not on all —
# on seed 3 it stalls half-way instead (spread about 0.5, the margin met on a third of the
# triplets, loss near 0.86). Over seeds 0–39 in a full run it collapsed on 36 of 40. What
# holds on every seed is the failure: the loss stays near $m$.

# %%
def per_seed(regime, mode):
    return "; ".join(f"seed {s}: spread {runs[regime, mode, s]['spread'][0]:.3f} → {spread(runs[regime, mode, s]['after']):.4f}, "
                     f"loss {runs[regime, mode, s]['loss'][-1]:.3f}, met {runs[regime, mode, s]['met']:.0%}" for s in SEEDS)


def collapsed(r, margin):
    """Spread below 10% of its start and the loss within 0.05 of m."""
    return spread(r["after"]) < 0.1 * r["spread"][0] and abs(r["loss"][-1] - margin) < 0.05


claim("batch_hard_trains_when_separated",
      f"separated classes (std {SEPARATED_SPREAD:g}): batch-hard opens the embedding up and meets the margin "
      "on ≥ 99% of triplets, every seed",
      all(spread(runs["separated", "hard", s]["after"]) > runs["separated", "hard", s]["spread"][0]
          and runs["separated", "hard", s]["met"] >= 0.99 for s in SEEDS), per_seed("separated", "hard"))
collapse_rate = np.mean([collapsed(runs["overlapping", "hard", s], MARGIN) for s in SEEDS])
claim("batch_hard_collapses_when_overlapping",
      f"overlapping classes (std {OVERLAPPING_SPREAD:g}): batch-hard fails — its loss ends within 0.2 of m, every "
      "seed — and collapses (spread below 10% of its start, loss within 0.05 of m) on at least half of the seeds",
      all(abs(runs["overlapping", "hard", s]["loss"][-1] - MARGIN) < 0.2 for s in SEEDS) and collapse_rate >= 0.5,
      f"collapsed on {collapse_rate:.0%} of {len(SEEDS)} seeds; " + per_seed("overlapping", "hard"))
claim("semi_hard_opens_when_overlapping",
      "overlapping classes: semi-hard does not collapse — its spread ends more than 10× its start, every seed",
      all(spread(runs["overlapping", "semi-hard", s]["after"]) > 10 * runs["overlapping", "semi-hard", s]["spread"][0]
          for s in SEEDS), per_seed("overlapping", "semi-hard"))
claim("semi_hard_meets_margin_when_overlapping",
      "overlapping classes: semi-hard meets the margin on most triplets (> 50%), and on more than batch-hard does, "
      "every seed",
      all(runs["overlapping", "semi-hard", s]["met"] > max(0.5, runs["overlapping", "hard", s]["met"]) for s in SEEDS),
      "; ".join(f"seed {s}: semi-hard {runs['overlapping', 'semi-hard', s]['met']:.0%}, "
                f"hard {runs['overlapping', 'hard', s]['met']:.0%}" for s in SEEDS))

# %% [markdown]
# ### Hermans et al.'s soft margin
#
# The hinge $\max(0, x + m)$, with $x = \max_p d(a,p) - \min_n d(a,n)$, stops dead once an
# anchor meets the margin: its loss and its gradient are exactly 0, and the anchor drops out.
# Hermans, Beyer and Leibe (2017) replace it with the **soft margin** $\log(1 + e^{x})$:
# no $m$ to choose, and never exactly 0, so every anchor keeps pulling its positives in and
# pushing its negatives away, ever more gently. Their diagnostic shows the difference: the
# hinge's share of active triplets falls to 0 (training has stopped), the soft margin's stays
# at 100%. On the separated classes, with the same start, watch what the extra pull buys:
# the ratio of within-class to between-class distance (scale-free) keeps falling.
# (The soft margin does not rescue batch-hard on overlapping classes: there it collapses too,
# to a loss of $\log 2$.)

# %%
soft_runs = {s: train_embedding(*data["separated", s], "hard", MARGIN, s, soft=True) for s in SEEDS}
hinge_runs = {s: runs["separated", "hard", s] for s in SEEDS}

fig, (ax_active, ax_ratio, ax_seeds) = plt.subplots(1, 3, figsize=(16, 4.8))
for name, these, color in (("hinge, m = " + f"{MARGIN:g}", hinge_runs, "tab:red"), ("soft margin", soft_runs, "tab:purple")):
    r = these[SEEDS[0]]
    ax_active.plot(100 * r["active"], color=color, lw=2, label=name)
    ax_ratio.plot(r["ratio"], color=color, lw=2, label=name)
    ax_seeds.plot(range(len(SEEDS)), [these[s]["ratio"][-1] for s in SEEDS], "o-", color=color, label=name)
ax_active.set_ylim(-3, 103)
ax_active.set_xlabel("training step (full batch, Adam)")
ax_active.set_ylabel("active triplets (loss > 0), %")
ax_active.set_title(f"seed {SEEDS[0]}: the hinge's active share falls to "
                    f"{steady(100 * hinge_runs[SEEDS[0]]['active'][-1]):.0f}%;\nthe soft margin's never drops", fontsize=10)
ax_active.legend(loc="center right")
ax_ratio.set_ylim(0, None)
ax_ratio.set_xlabel("training step (full batch, Adam)")
ax_ratio.set_ylabel("mean distance within a class / between classes")
ax_ratio.set_title(f"seed {SEEDS[0]}: once the hinge stops, its ratio stays;\nthe soft margin's keeps falling", fontsize=10)
ax_ratio.legend(loc="upper right")
ax_seeds.set_xticks(range(len(SEEDS)), [str(s) for s in SEEDS])
ax_seeds.set_xlabel("seed")
ax_seeds.set_ylabel("within / between ratio after training")
ax_seeds.set_ylim(0, None)
ax_seeds.set_title("every seed: the soft margin ends with\nclasses tighter for their distance apart", fontsize=10)
ax_seeds.legend(loc="lower right")
fig.suptitle(f"Separated classes (std {SEPARATED_SPREAD:g}), batch-hard mining: the hinge max(0, x + m) against "
             "Hermans et al.'s soft margin log(1 + eˣ)")
fig.tight_layout()
show(fig, "soft_margin")

# %%
claim("soft_margin_keeps_pulling",
      "separated classes, batch-hard: the hinge's active triplets fall below 5% (its training stops), while the soft "
      "margin ends with a smaller within/between distance ratio than the hinge, every seed",
      all(hinge_runs[s]["active"][-1] < 0.05 and soft_runs[s]["ratio"][-1] < hinge_runs[s]["ratio"][-1] for s in SEEDS),
      "; ".join(f"seed {s}: hinge active {hinge_runs[s]['active'][-1]:.0%}, ratio {hinge_runs[s]['ratio'][-1]:.3f}; "
                f"soft {soft_runs[s]['ratio'][-1]:.3f}" for s in SEEDS))

# %% [markdown]
# ## 4. L2-normalised embeddings
#
# FaceNet divides every embedding by its length, $\hat e = e / \lVert e\rVert$, so all of
# them lie on the unit sphere (here, in 2-D, the unit circle) and no two are more than 2
# apart. Look at the spreads above: without normalisation semi-hard grows the embedding far
# beyond its start. Stretching everything by a factor $s$ turns $d(a,n) - d(a,p)$ into
# $s\,(d(a,n) - d(a,p))$, so any triplet that is in the right order eventually meets a fixed
# margin — the margin stops meaning anything. On the unit circle that way out is closed: the
# network can only move directions.
#
# First the evidence that semi-hard's success above came from stretching: among the triplets
# its embedding puts in the right order ($d(a,n) > d(a,p)$), how many also meet the margin?
# If nearly all of them do, the margin asked for nothing beyond the order.

# %%
def ordered_and_met(E, labels, margin):
    """Over all valid triplets: the share with d(a,n) > d(a,p), and the share with d(a,n) ≥ d(a,p) + m."""
    D = distance_matrix(E)
    same = labels[:, None] == labels[None, :]
    valid = (same & ~np.eye(len(labels), dtype=bool))[:, :, None] & ~same[:, None, :]
    x = (D[:, :, None] - D[:, None, :])[valid]                # d(a,p) − d(a,n)
    return np.mean(x < 0), np.mean(x + margin <= 0)


order = {s: ordered_and_met(runs["overlapping", "semi-hard", s]["after"], data["overlapping", s][1], MARGIN) for s in SEEDS}
claim("semi_hard_meets_margin_by_stretching",
      "overlapping classes, no normalisation: semi-hard's stretched embedding meets the margin on ≥ 85% of the "
      "triplets it puts in the right order — the margin adds almost nothing to the order — every seed",
      all(met >= 0.85 * ordered for ordered, met in order.values()),
      "; ".join(f"seed {s}: spread {spread(runs['overlapping', 'semi-hard', s]['after']):.2f}, in order {o:.0%}, "
                f"margin met {m:.0%} ({m / o:.0%} of those in order)" for s, (o, m) in order.items()))

# %% [markdown]
# Now train on the overlapping classes again, with `NORMALIZE` on. FaceNet's margin
# $\alpha = 0.2$ is a margin on **squared** distances, $\lVert a-p\rVert^2 - \lVert a-n\rVert^2 + \alpha$,
# which on the unit sphere run from 0 to 4: a twentieth of the largest. `batch_triplet` uses
# plain distances (0 to 2), so $m = 0.2$ here is a tenth of the largest — the same number,
# not the same constraint (lesson 10 shows how far apart the two conventions land). The
# figure changes one thing at a time: the same $m$ with and without the circle.
#
# Does the unit circle stop batch-hard from collapsing? On the circle a collapse means every
# embedding points the same way (all distances 0, loss exactly $m$ again). Watch the seeds:
# the circle changes *how* batch-hard fails, not *whether* it does.

# %%
NORMALIZE = True                   # Try it 3: False
UNIT_MARGIN = 0.2                  # Try it 4: 2.5
unit_runs = {(mode, s): train_embedding(*data["overlapping", s], mode, UNIT_MARGIN, s, normalize=NORMALIZE)
             for mode in ("hard", "semi-hard") for s in SEEDS}
for (_, s), r in unit_runs.items():
    r["met"] = margin_met(r["after"], data["overlapping", s][1], UNIT_MARGIN)
where = "on the unit circle" if NORMALIZE else "without normalisation"
# the figure's comparison: the same margin, no circle (seed 0 only)
plain_runs = {mode: train_embedding(*data["overlapping", SEEDS[0]], mode, UNIT_MARGIN, SEEDS[0])
              for mode in ("hard", "semi-hard")}

# %%
fig, (ax, ax_circle) = plt.subplots(1, 2, figsize=(14, 5.8), gridspec_kw={"width_ratios": [1.3, 1]})
for mode in ("hard", "semi-hard"):
    ax.plot(plain_runs[mode]["spread"], color=MODE_COLORS[mode], lw=2, ls="--", label=f"'{mode}', not normalised")
    ax.plot(unit_runs[mode, SEEDS[0]]["spread"], color=MODE_COLORS[mode], lw=2, label=f"'{mode}', {where}")
log_axis(ax)
ax.set_xlabel("training step (full batch, Adam)")
ax.set_ylabel("spread: mean distance to the centroid")
end = {(mode, unit): steady(spread((unit_runs[mode, SEEDS[0]] if unit else plain_runs[mode])["after"]))
       for mode in ("hard", "semi-hard") for unit in (True, False)}
ax.set_title(f"Overlapping classes, seed {SEEDS[0]}, m = {UNIT_MARGIN:g} for every line. Spread at the end,\n"
             f"{where} against not normalised: semi-hard {end['semi-hard', True]:.2g} against "
             f"{end['semi-hard', False]:.2g}, batch-hard {end['hard', True]:.2g} against {end['hard', False]:.2g}",
             fontsize=10)
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8)
y_o = data["overlapping", SEEDS[0]][1]
for mode, marker, size in (("semi-hard", "o", 22), ("hard", "X", 90)):
    E = unit_runs[mode, SEEDS[0]]["after"]
    for c in range(N_CLASSES):
        ax_circle.scatter(*E[y_o == c].T, color=class_colors[c], marker=marker, s=size, edgecolors="k", linewidths=0.3,
                          label=f"class {c}" if mode == "semi-hard" else None)
ax_circle.scatter([], [], marker="o", color="0.5", s=22, label="semi-hard (dots)")
ax_circle.scatter([], [], marker="X", color="0.5", s=90, label="batch-hard (crosses)")
ax_circle.plot(np.cos(angle), np.sin(angle), color="0.6", lw=1, label="unit circle")
ax_circle.set_aspect("equal", adjustable="datalim")
ax_circle.set_xlabel("embedding dimension 1")
ax_circle.set_ylabel("embedding dimension 2")
ax_circle.set_title(f"the embeddings {where}, seed {SEEDS[0]}: m = {UNIT_MARGIN:g} is met on\n"
                    f"{steady(unit_runs['semi-hard', SEEDS[0]]['met']):.0%} of triplets by semi-hard, "
                    f"{steady(unit_runs['hard', SEEDS[0]]['met']):.0%} by batch-hard", fontsize=10)
ax_circle.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=8)
fig.suptitle(f"One change at a time: the same margin m = {UNIT_MARGIN:g}, with and without the unit circle. "
             "Without it semi-hard stretches; on it, it can only turn")
fig.subplots_adjust(left=0.07, right=0.86, bottom=0.22, top=0.83, wspace=0.25)
show(fig, "normalized")

# %%
def unit_numbers(mode):
    return "; ".join(f"seed {s}: spread {unit_runs[mode, s]['spread'][0]:.3f} → {spread(unit_runs[mode, s]['after']):.4f}, "
                     f"loss {unit_runs[mode, s]['loss'][-1]:.3f}, met {unit_runs[mode, s]['met']:.0%}" for s in SEEDS)


collapsed_seeds = [s for s in SEEDS if spread(unit_runs["hard", s]["after"]) < 0.1 * unit_runs["hard", s]["spread"][0]]
claim("semi_hard_trains_on_the_circle",
      f"{where}, m = {UNIT_MARGIN:g}: semi-hard meets the margin on most triplets (> 50%), every seed",
      all(unit_runs["semi-hard", s]["met"] > 0.5 for s in SEEDS), unit_numbers("semi-hard"))
claim("circle_does_not_rescue_batch_hard",
      f"{where}, m = {UNIT_MARGIN:g}: batch-hard still fails on overlapping classes — it meets the margin on less "
      "than half as many triplets as semi-hard, every seed",
      all(unit_runs["hard", s]["met"] < 0.5 * unit_runs["semi-hard", s]["met"] for s in SEEDS),
      unit_numbers("hard") + f" | collapsed (spread below 10% of its start) on seeds {collapsed_seeds or 'none'}")

# %% [markdown]
# ## 5. The use: face recognition and person re-identification on unseen identities
#
# FaceNet verifies faces and clusters them; re-identification retrieves the same person
# from other cameras. Both meet people the network never saw, so we train on some identities
# and evaluate on held-out ones, with the data of lesson 06: each identity a point in a 2-D
# "who" space, seen with two coordinates of large nuisance ("pose", "light"), all four mixed
# by a rotation. The identities are separated (std 0.2, centres at least 1 apart) — the
# regime in which batch-hard trains. For each mining mode, as FaceNet reports it: the
# verification ROC (accept a pair when $D < t$) with its AUC, the **validation rate VAL** at a
# false-accept rate of $10^{-3}$ — the threshold picked on the *training* identities, then
# used unchanged on the new ones — and recall@1 for retrieval. Against two baselines: the raw
# 4-D input, and Fisher's **LDA** fitted on the training identities (`helpers.lda`, a linear
# projection in closed form). The nuisance was mixed in linearly, so LDA is the honest bar.

# %%
N_TRAIN, N_HELD_OUT, PER_IDENTITY = 8, 10, 6
NUISANCE = 2.0
LDA_DIMS = 2                       # Try it 5: 1
FAR_TARGET = 1e-3
people = {s: identities(N_TRAIN + N_HELD_OUT, PER_IDENTITY, spread=0.2, nuisance=NUISANCE, seed=s) for s in SEEDS}
lda_name = f"LDA ({LDA_DIMS}-D, linear)"
scores = {}
for s in SEEDS:
    X_s, y_s = people[s]
    seen = y_s < N_TRAIN
    embeddings = {"raw input": X_s, lda_name: X_s @ lda(X_s[seen], y_s[seen], dims=LDA_DIMS)}
    for mode in MODES:
        embeddings[f"batch_triplet, '{mode}'"] = embed_new(train_embedding(X_s[seen], y_s[seen], mode, MARGIN, s), X_s)
    for name, E in embeddings.items():
        far, tar, auc = verification_roc(E[~seen], y_s[~seen])
        val, far_test, _ = validation_rate(E[seen], y_s[seen], E[~seen], y_s[~seen], far=FAR_TARGET)
        scores[s, name] = {"far": far, "tar": tar, "auc": auc, "val": val, "far_test": far_test,
                           "recall1": recall_at_k(E[~seen], y_s[~seen], 1)}
names = ["raw input", lda_name] + [f"batch_triplet, '{mode}'" for mode in MODES]
trained = names[2:]
styles = ({"raw input": dict(color="0.45", ls=":"), lda_name: dict(color="tab:cyan", ls=(0, (1, 1)))}
          | {f"batch_triplet, '{m}'": dict(color=MODE_COLORS[m], ls=ls) for m, ls in zip(MODES, ("-", "--", "-."))})

# %%
def mean_of(name, key):
    return steady(np.mean([scores[s, name][key] for s in SEEDS]))


fig = plot_verification(
    scores, names, styles, far=FAR_TARGET, figsize=(16, 5.6),
    roc_title=f"Verification on {N_HELD_OUT} unseen identities, every seed. Dots: the threshold picked on the training\n"
              f"identities; the mining modes' land at a false-accept rate of "
              f"{min(mean_of(n, 'far_test') for n in trained):.3f}–{max(mean_of(n, 'far_test') for n in trained):.3f} "
              f"on average, not {FAR_TARGET:g}",
    metrics_title="Verification (AUC, VAL) and re-identification (recall@1) on unseen identities")
worst_trained = steady(min(scores[s, name]["auc"] for s in SEEDS for name in trained))
fig.suptitle(f"Unseen identities: the three mining modes reach AUC ≥ {worst_trained:.2f} on every seed, the raw input "
             f"{mean_of('raw input', 'auc'):.2f} on average; LDA, linear, {mean_of(lda_name, 'auc'):.3f}")
fig.tight_layout()
show(fig, "held_out")

# %% [markdown]
# Each mode against the raw input, on every seed, and against LDA. We make no claim about
# which mode is best here: on this data the three come out close, and their order changes
# from seed to seed. Recall@1 over a few dozen queries is noisy (one query moves it by about
# 2%): with six held-out identities the raw input's nearest neighbours were right more often
# than the trained embeddings' on one seed of thirteen (seed 9). We hold out ten identities
# and claim retrieval on the mean over the seeds, verification on every seed.
#
# Then read VAL together with its dots on the ROC. The mining modes accept nearly every
# unseen same-identity pair — at a false-accept rate far above the $10^{-3}$ the threshold
# was picked for. The triplet loss pushed the *training* identities at least $m$ apart from
# one another; new people are not, so a threshold set on the training identities is far too
# loose for them. LDA, three numbers per direction fitted in closed form, does not overfit
# the distance scale like that. FaceNet picks its thresholds on held-out folds for this
# reason; a VAL is only as good as the false-accept rate it really costs.

# %%
def held_out_numbers(name):
    return "; ".join(f"seed {s}: AUC {scores[s, name]['auc']:.3f}, VAL {scores[s, name]['val']:.2f} "
                     f"(FAR {scores[s, name]['far_test']:.4f}), R@1 {scores[s, name]['recall1']:.2f}" for s in SEEDS)


claim("held_out_every_mode_beats_raw",
      "on held-out identities, every mining mode's embedding beats the raw input on AUC every seed, and on recall@1 "
      "averaged over the seeds",
      all(scores[s, name]["auc"] > scores[s, "raw input"]["auc"] for s in SEEDS for name in trained)
      and all(mean_of(name, "recall1") > mean_of("raw input", "recall1") for name in trained),
      " | ".join(f"{name}: {held_out_numbers(name)}" for name in names))
claim("val_every_mode_beats_raw",
      f"FaceNet's metric: with the threshold picked on training identities at a false-accept rate of {FAR_TARGET:g}, "
      "every mining mode accepts at least 0.3 more of the unseen same-identity pairs than the raw input, every seed",
      all(scores[s, name]["val"] > scores[s, "raw input"]["val"] + 0.3 for s in SEEDS for name in trained),
      " | ".join(f"{name}: " + ", ".join(f"{scores[s, name]['val']:.2f}" for s in SEEDS) for name in names))
claim("threshold_too_loose_for_new_people",
      f"the threshold picked on the training identities at a false-accept rate of {FAR_TARGET:g} lets in more than "
      "10× that share of the unseen impostor pairs for every mining mode, and more than it does for LDA, every seed",
      all(scores[s, name]["far_test"] > max(10 * FAR_TARGET, scores[s, lda_name]["far_test"]) for s in SEEDS
          for name in trained),
      " | ".join(f"{name}: " + ", ".join(f"{scores[s, name]['far_test']:.4f}" for s in SEEDS) for name in names))
claim("lda_matches_every_mode",
      f"the nuisance is linear: LDA ({LDA_DIMS}-D, fitted on the training identities) comes within 0.01 of the best "
      "mining mode's held-out AUC and within 0.05 of its recall@1, or above them, every seed",
      all(scores[s, lda_name]["auc"] > max(scores[s, name]["auc"] for name in trained) - 0.01
          and scores[s, lda_name]["recall1"] > max(scores[s, name]["recall1"] for name in trained) - 0.05 for s in SEEDS),
      f"LDA: {held_out_numbers(lda_name)}")

# %%
finish()

# %% [markdown]
# ## Try it
#
# Predict before you run; then compare with [the answers](answers/07_triplet.md).
#
# 1. Set `SEPARATED_SPREAD = 0.6` in part 3, so that both regimes overlap. Which claims about
#    batch-hard change?
# 2. Set `OVERLAPPING_SPREAD = 0.3` in part 3 (the classes touch but hardly overlap). Does
#    batch-hard still collapse?
# 3. Set `NORMALIZE = False` in part 4: the same margin 0.2, no unit circle. Does batch-hard
#    still collapse, does semi-hard still meet the margin — and what does its spread do?
# 4. Set `UNIT_MARGIN = 2.5` in part 4. On the unit circle no two embeddings are more than 2
#    apart: what can semi-hard still achieve?
# 5. Set `LDA_DIMS = 1` in part 5: the linear baseline keeps one direction of the 2-D identity
#    space. Which task suffers, verification or retrieval?


# %% [markdown]
# ## Write it yourself: the triplet loss and semi-hard mining
#
# For anchors, positives and negatives of shape $(N, D)$, one value per triplet:
#
# $$L = \max\big(0,\ d(a, p) - d(a, n) + m\big), \qquad d \text{ the Euclidean distance.}$$
#
# Then part 2's mining rule, FaceNet's semi-hard negative: for each anchor–positive pair, the
# nearest negative *farther* than the positive ($d(a,n) > d(a,p)$, strictly); where no negative is
# farther, the farthest negative. It works on numpy distances and returns indices. Replace each
# `raise`, then run the cell after it.

# %%
from lessons.exercises import grade  # noqa: E402  (the exercises' grader)


def triplet(anchor, positive, negative, margin=1.0, squared=False):
    """Triplet loss of each triplet, anchor, positive and negative of shape (N, D):

        L = max(0, d(a, p) - d(a, n) + margin),    d the Euclidean distance of each row
                                                   (its square when squared=True)

    At distance 0 the slope of √ is infinite: keep the gradient finite there (mg.where,
    or a tiny ε such as 1e-12 inside the root). Return one value per triplet, shape (N,).
    """
    raise NotImplementedError("write triplet here")


# %%
report = grade("triplet", triplet)

# %%
def semi_hard_negatives(d_ap, d_an, is_negative):
    """For each anchor–positive pair, the index of its semi-hard negative (FaceNet).

    d_ap (P,): the anchor–positive distance of each pair; d_an (P, N): the distance from
    the pair's anchor to every sample; is_negative (P, N): True where that sample's label
    differs from the anchor's. All numpy arrays.
    Choose the nearest negative farther than the positive (d_an > d_ap, strictly); where
    no negative is farther, the farthest negative. Return the indices, shape (P,)
    (a numpy array of integers).
    """
    raise NotImplementedError("write semi_hard_negatives here")


# %%
report = grade("semi_hard_negatives", semi_hard_negatives)
