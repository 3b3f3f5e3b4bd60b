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
    mlp,
    pick,
    plot_verification_retrieval,
    recall_at_k,
    show,
    start,
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
            label=f"radius {name} = {radius:.2f}")
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
# negative — and collapses when they overlap. It is not hard mining as such that collapses.
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


def train_embedding(X, labels, mining, margin, seed, normalize=False, steps=STEPS):
    """An MLP (inputs → 16 → 16 → 2, tanh) trained full-batch with Adam on batch_triplet(mining).
    Returns the embeddings before and after training and the loss and spread at every step."""
    network = mlp([X.shape[1], 16, 16, 2], seed=seed)          # the same start for every mode
    inputs = mg.Tensor(X)
    def embed():
        E = network(inputs)
        return to_unit_circle(E) if normalize else E
    with mg.no_grad():
        before = embed().data
    history = {"spread": []}
    def loss():
        E = embed()
        history["spread"].append(spread(E.data))
        return losses.batch_triplet(E, labels, margin=margin, mining=mining)
    history["loss"] = fit(network.parameters(), loss, steps, lr=0.01)
    with mg.no_grad():
        after = embed().data
    return {"before": before, "after": after, "loss": history["loss"], "spread": np.array(history["spread"]),
            "network": network, "normalize": normalize}


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
# trains like the others; in the bottom row its loss flattens onto the dotted line at exactly
# $m$ while its spread falls by orders of magnitude.

# %%
def batch_hard_outcome(regime, seed=SEEDS[0]):
    """What batch-hard did in one regime, in numbers, for the figure titles."""
    r = runs[regime, "hard", seed]
    verdict = "collapses" if spread(r["after"]) < 0.1 * r["spread"][0] else "opens up"
    return (f"batch-hard {verdict}: spread {r['spread'][0]:.2g} → {spread(r['after']):.2g}, "
            f"loss {r['loss'][-1]:.2f}, margin met on {r['met']:.0%}")


fig, axes = plt.subplots(2, 3, figsize=(15, 8.2))
for row, regime in enumerate(REGIMES):
    for mode in MODES:
        r = runs[regime, mode, SEEDS[0]]
        axes[row, 0].plot(r["loss"], color=MODE_COLORS[mode], lw=2, label=f"mining = '{mode}'")
        axes[row, 1].plot(r["spread"], color=MODE_COLORS[mode], lw=2)
    axes[row, 0].axhline(MARGIN, color="gray", ls=":", label=f"m = {MARGIN:g}: the loss of a collapsed embedding")
    axes[row, 0].set_ylabel(f"{regime} (std {REGIMES[regime]:g})\nbatch_triplet loss (each mode its own)")
    axes[row, 1].set_yscale("log")
    axes[row, 1].set_ylabel("spread: mean distance to the centroid")
    bars = [runs[regime, mode, SEEDS[0]]["met"] for mode in MODES]
    axes[row, 2].bar(MODES, bars, color=[MODE_COLORS[m] for m in MODES])
    for k, value in enumerate(bars):
        axes[row, 2].text(k, value + 0.02, f"{value:.0%}", ha="center")
    axes[row, 2].set_ylim(0, 1.15)
    axes[row, 2].set_ylabel("fraction of all triplets with loss 0\n(after training)")
    axes[row, 1].set_title(f"{regime}: spread (log scale)", fontsize=10)
axes[0, 0].set_title("loss", fontsize=10)
axes[1, 0].set_title("loss", fontsize=10)
axes[0, 2].set_title("the common goal: triplets that meet the margin", fontsize=10)
axes[1, 2].set_title("the common goal: triplets that meet the margin", fontsize=10)
for ax in axes[1, :2]:
    ax.set_xlabel("training step (full batch, Adam)")
axes[1, 2].set_xlabel("mining mode")
fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="upper center", ncol=4, bbox_to_anchor=(0.5, 0.925))
fig.suptitle(f"Seed {SEEDS[0]}, the same network and start for every mode. Top, std {SEPARATED_SPREAD:g}: "
             f"{batch_hard_outcome('separated')}.\nBottom, std {OVERLAPPING_SPREAD:g}: "
             f"{batch_hard_outcome('overlapping')}")
fig.subplots_adjust(left=0.07, right=0.98, bottom=0.07, top=0.83, wspace=0.3, hspace=0.3)
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
        ax.set_title(f"{regime}: {title}\nspread {spread(E):.3g}, margin met on {margin_met(E, y_r, MARGIN):.0%}",
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
             f"(spread {spreads['semi-hard']:.2g}) and meets it on {met['semi-hard']:.0%} of triplets, "
             "classes still mixed in places")
fig.subplots_adjust(left=0.05, right=0.91, bottom=0.06, top=0.86, wspace=0.25, hspace=0.32)
show(fig, "embeddings")

# %% [markdown]
# The claims, on every seed: batch-hard trains on separated classes and collapses on
# overlapping ones; semi-hard does not collapse there.

# %%
def per_seed(regime, mode):
    return "; ".join(f"seed {s}: spread {runs[regime, mode, s]['spread'][0]:.3f} → {spread(runs[regime, mode, s]['after']):.4f}, "
                     f"loss {runs[regime, mode, s]['loss'][-1]:.3f}, met {runs[regime, mode, s]['met']:.0%}" for s in SEEDS)


claim("batch_hard_trains_when_separated",
      f"separated classes (std {SEPARATED_SPREAD:g}): batch-hard opens the embedding up and meets the margin "
      "on ≥ 99% of triplets, every seed",
      all(spread(runs["separated", "hard", s]["after"]) > runs["separated", "hard", s]["spread"][0]
          and runs["separated", "hard", s]["met"] >= 0.99 for s in SEEDS), per_seed("separated", "hard"))
claim("batch_hard_collapses_when_overlapping",
      f"overlapping classes (std {OVERLAPPING_SPREAD:g}): batch-hard collapses — spread below 10% of its start, "
      "loss within 0.05 of m — every seed",
      all(spread(runs["overlapping", "hard", s]["after"]) < 0.1 * runs["overlapping", "hard", s]["spread"][0]
          and abs(runs["overlapping", "hard", s]["loss"][-1] - MARGIN) < 0.05 for s in SEEDS),
      per_seed("overlapping", "hard"))
claim("semi_hard_opens_when_overlapping",
      "overlapping classes: semi-hard does not collapse — its spread grows past its start and ends > 100× batch-hard's, "
      "every seed",
      all(spread(runs["overlapping", "semi-hard", s]["after"]) > runs["overlapping", "semi-hard", s]["spread"][0]
          and spread(runs["overlapping", "semi-hard", s]["after"]) > 100 * spread(runs["overlapping", "hard", s]["after"])
          for s in SEEDS), per_seed("overlapping", "semi-hard"))
claim("semi_hard_meets_margin_when_overlapping",
      "overlapping classes: semi-hard meets the margin on most triplets (> 50%), collapsed batch-hard on none, every seed",
      all(runs["overlapping", "semi-hard", s]["met"] > 0.5 and runs["overlapping", "hard", s]["met"] == 0 for s in SEEDS),
      "; ".join(f"seed {s}: semi-hard {runs['overlapping', 'semi-hard', s]['met']:.0%}, "
                f"hard {runs['overlapping', 'hard', s]['met']:.0%}" for s in SEEDS))

# %% [markdown]
# ## 4. L2-normalised embeddings
#
# FaceNet divides every embedding by its length, $\hat e = e / \lVert e\rVert$, so all of
# them lie on the unit sphere (here, in 2-D, the unit circle) and no two are more than 2
# apart; its margin is $\alpha = 0.2$. Look at the spreads above: without normalisation
# semi-hard grows the embedding far beyond its start. Stretching everything by a factor $s$
# turns $d(a,n) - d(a,p)$ into $s\,(d(a,n) - d(a,p))$, so any triplet that is in the right
# order eventually meets a fixed margin — the margin stops meaning anything. On the unit
# circle that way out is closed: the network can only move directions.
#
# First, how much of semi-hard's success above came from stretching: shrink its final
# embedding back to its starting spread and count again the triplets that meet the margin.

# %%
shrunk_met = {s: margin_met(runs["overlapping", "semi-hard", s]["after"] * runs["overlapping", "semi-hard", s]["spread"][0]
                            / spread(runs["overlapping", "semi-hard", s]["after"]), data["overlapping", s][1], MARGIN)
              for s in SEEDS}
claim("semi_hard_meets_margin_by_stretching",
      "overlapping classes, no normalisation: shrunk back to its starting spread, semi-hard's embedding meets the "
      "margin on less than half as many triplets, every seed",
      all(shrunk_met[s] < 0.5 * runs["overlapping", "semi-hard", s]["met"] for s in SEEDS),
      "; ".join(f"seed {s}: {runs['overlapping', 'semi-hard', s]['met']:.0%} → {shrunk_met[s]:.0%}" for s in SEEDS))

# %% [markdown]
# Now train on the overlapping classes again, with `NORMALIZE` on and FaceNet's margin. Does
# the unit circle stop batch-hard from collapsing? On the circle a collapse means every
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

# %%
fig, (ax, ax_circle) = plt.subplots(1, 2, figsize=(14, 5.6), gridspec_kw={"width_ratios": [1.3, 1]})
for mode in ("hard", "semi-hard"):
    ax.plot(runs["overlapping", mode, SEEDS[0]]["spread"], color=MODE_COLORS[mode], lw=2, ls="--",
            label=f"'{mode}', not normalised, m = {MARGIN:g} (part 3)")
    ax.plot(unit_runs[mode, SEEDS[0]]["spread"], color=MODE_COLORS[mode], lw=2,
            label=f"'{mode}', {where}, m = {UNIT_MARGIN:g}")
ax.set_yscale("log")
ax.set_xlabel("training step (full batch, Adam)")
ax.set_ylabel("spread: mean distance to the centroid")
end = {(mode, unit): spread((unit_runs[mode, SEEDS[0]] if unit else runs["overlapping", mode, SEEDS[0]])["after"])
       for mode in ("hard", "semi-hard") for unit in (True, False)}
ax.set_title(f"Overlapping classes, seed {SEEDS[0]}, spread at the end {where} (part 3 not normalised):\n"
             f"semi-hard {end['semi-hard', True]:.2g} ({end['semi-hard', False]:.2g}), "
             f"batch-hard {end['hard', True]:.2g} ({end['hard', False]:.2g})", fontsize=10)
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
                    f"{unit_runs['semi-hard', SEEDS[0]]['met']:.0%} of triplets by semi-hard, "
                    f"{unit_runs['hard', SEEDS[0]]['met']:.0%} by batch-hard", fontsize=10)
ax_circle.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=8)
fig.subplots_adjust(left=0.07, right=0.86, bottom=0.24, top=0.88, wspace=0.25)
show(fig, "normalized")

# %%
def unit_numbers(mode):
    return "; ".join(f"seed {s}: spread {unit_runs[mode, s]['spread'][0]:.3f} → {spread(unit_runs[mode, s]['after']):.4f}, "
                     f"loss {unit_runs[mode, s]['loss'][-1]:.3f}, met {unit_runs[mode, s]['met']:.0%}" for s in SEEDS)


collapsed = [s for s in SEEDS if spread(unit_runs["hard", s]["after"]) < 0.1 * unit_runs["hard", s]["spread"][0]]
claim("semi_hard_trains_on_the_circle",
      f"{where}, m = {UNIT_MARGIN:g}: semi-hard meets the margin on most triplets (> 50%), every seed",
      all(unit_runs["semi-hard", s]["met"] > 0.5 for s in SEEDS), unit_numbers("semi-hard"))
claim("circle_does_not_rescue_batch_hard",
      f"{where}, m = {UNIT_MARGIN:g}: batch-hard still fails on overlapping classes — it meets the margin on less "
      "than half as many triplets as semi-hard, every seed",
      all(unit_runs["hard", s]["met"] < 0.5 * unit_runs["semi-hard", s]["met"] for s in SEEDS),
      unit_numbers("hard") + f" | collapsed (spread below 10% of its start) on seeds {collapsed or 'none'}")

# %% [markdown]
# ## 5. The use: face recognition and person re-identification on unseen identities
#
# FaceNet verifies faces and clusters them; re-identification retrieves the same person
# from other cameras. Both meet people the network never saw, so we train on some identities
# and evaluate on held-out ones, with the data of lesson 06: each identity a point in a 2-D
# "who" space, seen with two coordinates of large nuisance ("pose", "light"), all four mixed
# by a rotation. The identities are separated (std 0.2, centres at least 1 apart) — the
# regime in which batch-hard trains. For each mining mode: the verification ROC (accept a pair
# when $D \le t$) and recall@k (is the same identity among the $k$ nearest?), against the raw
# 4-D input.

# %%
N_TRAIN, N_HELD_OUT, PER_IDENTITY = 8, 6, 6
NUISANCE = 2.0
K_VALUES = (1, 2, 3, 4, 5)
people = {s: identities(N_TRAIN + N_HELD_OUT, PER_IDENTITY, spread=0.2, nuisance=NUISANCE, seed=s) for s in SEEDS}
scores = {}
for s in SEEDS:
    X_s, y_s = people[s]
    seen = y_s < N_TRAIN
    embeddings = {"raw input": X_s[~seen]}
    for mode in MODES:
        embeddings[f"batch_triplet, '{mode}'"] = embed_new(train_embedding(X_s[seen], y_s[seen], mode, MARGIN, s), X_s[~seen])
    for name, E in embeddings.items():
        far, tar, auc = verification_roc(E, y_s[~seen])
        scores[s, name] = {"far": far, "tar": tar, "auc": auc, "recall": [recall_at_k(E, y_s[~seen], k) for k in K_VALUES]}
names = ["raw input"] + [f"batch_triplet, '{mode}'" for mode in MODES]
styles = {"raw input": dict(color="0.45", ls=":")} | {f"batch_triplet, '{m}'": dict(color=MODE_COLORS[m], ls=ls)
                                                     for m, ls in zip(MODES, ("-", "--", "-."))}

# %%
fig = plot_verification_retrieval(
    scores, names, styles, K_VALUES, figsize=(14, 5.2),
    roc_title=f"Verification on {N_HELD_OUT} unseen identities (seed {SEEDS[0]} drawn; "
              f"AUC for seeds {', '.join(map(str, SEEDS))})",
    recall_title="Retrieval (re-identification): is the same identity among the k nearest?")
best_raw = max(scores[s, "raw input"]["auc"] for s in SEEDS)
worst_trained = min(scores[s, name]["auc"] for s in SEEDS for name in names[1:])
fig.suptitle(f"Unseen identities: the three mining modes (their curves nearly coincide) reach AUC ≥ {worst_trained:.2f} "
             f"on every seed, the raw input at most {best_raw:.2f}")
fig.subplots_adjust(left=0.06, right=0.98, bottom=0.11, top=0.86, wspace=0.2)
show(fig, "held_out")

# %% [markdown]
# Each mode against the raw input, on every seed. We make no claim about which mode is best
# here: on this data the three come out close, and their order changes from seed to seed.

# %%
def held_out_numbers(name):
    return "; ".join(f"seed {s}: AUC {scores[s, name]['auc']:.3f}, R@1 {scores[s, name]['recall'][0]:.2f}, "
                     f"R@5 {scores[s, name]['recall'][4]:.2f}" for s in SEEDS)


beats_raw = {name: all(scores[s, name]["auc"] > scores[s, "raw input"]["auc"]
                       and scores[s, name]["recall"][0] > scores[s, "raw input"]["recall"][0] for s in SEEDS)
             for name in names[1:]}
claim("held_out_every_mode_beats_raw",
      "on held-out identities, every mining mode's embedding beats the raw input on AUC and recall@1, every seed",
      all(beats_raw.values()),
      " | ".join(f"{name}: {held_out_numbers(name)}" for name in names))

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
