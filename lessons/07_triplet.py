"""Triplet loss: pull the positive in, push the negative out by a margin — and mine with care.

The triplet loss max(0, d(a,p) − d(a,n) + m) looks at three embeddings at once: an
anchor, a positive of its class and a negative of another class. It is zero once the
negative is farther than the positive by the margin m. Which negatives you feed it
matters: easy ones (already beyond the margin) teach nothing, hard ones (closer than
the positive) teach the most but, used from the first step, can make the network give
up and map every input to the same point. You will see the loss against
d(a,p) − d(a,n), the three kinds of negatives for one anchor–positive pair on a 2-D
embedding, and a small embedding network trained with each mining mode of
`losses.batch_triplet` ("all", "hard", "semi-hard"): convergence curves, the
embeddings, and the printed spread of the embeddings that shows hard mining from the
start collapsing while semi-hard mining (FaceNet) does not.

Run it:   python -m lessons 07      (or python -m lessons.07_triplet)
Step through it: open this file in VS Code or Jupyter; each `# %%` cell defines one
part, the last cell runs main().
"""
# %% Setup
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons._common import Report, blobs, mlp

FIGURES = ["loss_curve", "negatives", "training", "embeddings"]
COLORS = {"hard": "tab:red", "semi-hard": "tab:orange", "easy": "tab:green"}


def distances_to(points, center):
    return np.sqrt(((points - center) ** 2).sum(1))


def kind_of_negative(d_ap, d_an, margin):
    """FaceNet's names: hard d(a,n) < d(a,p); semi-hard d(a,p) < d(a,n) < d(a,p) + m; easy beyond.

    A negative exactly at d(a,p) counts as hard, one exactly at d(a,p) + m as easy (loss 0).
    """
    return np.where(d_an <= d_ap, "hard", np.where(d_an < d_ap + margin, "semi-hard", "easy"))


# %% Part 1 — the loss against d(a,p) − d(a,n).
# Look for: a hinge. Left of −m the negative is already farther than the positive by
# the margin: loss 0 and no gradient (easy). Between −m and 0 the negative is farther
# than the positive but not by enough: a small loss, below m (semi-hard). Right of 0
# the negative is nearer than the positive: the loss exceeds m (hard).

def part_loss_curve(report, quick):
    d_ap = 2.0
    x = np.linspace(-3.0, 2.0, 201 if quick else 501)      # x = d(a,p) − d(a,n)
    d_an = d_ap - x
    anchor = np.zeros((len(x), 2))
    positive = np.tile([d_ap, 0.0], (len(x), 1))            # d(a,p) = 2 for every row
    negative = np.stack([np.zeros_like(x), d_an], 1)        # d(a,n) = 2 − x
    margins = [0.5, 1.0, 2.0]
    curves = {m: losses.triplet(anchor, positive, negative, margin=m, reduction="none").data for m in margins}
    gap = max(np.abs(curves[m] - np.maximum(0.0, x + m)).max() for m in margins)

    fig, ax = plt.subplots(figsize=(9, 4.6))
    m = 1.0
    ax.axvspan(x[0], -m, color=COLORS["easy"], alpha=0.12)
    ax.axvspan(-m, 0, color=COLORS["semi-hard"], alpha=0.15)
    ax.axvspan(0, x[-1], color=COLORS["hard"], alpha=0.12)
    for name, x_text in [("easy", -2.0), ("semi-hard", -0.5), ("hard", 1.0)]:
        ax.text(x_text, 3.6, f"{name}\n(for m = 1)", ha="center", color=COLORS[name], fontsize=10, weight="bold")
    for margin, style in zip(margins, [":", "-", "--"]):
        ax.plot(x, curves[margin], style, color="black", lw=2, label=f"margin m = {margin:g}")
    ax.set_ylim(-0.1, 4.3)
    ax.set_xlabel("d(a, p) − d(a, n)   (negative: the negative is farther than the positive)")
    ax.set_ylabel("triplet loss  max(0, d(a,p) − d(a,n) + m)")
    ax.set_title("a hinge at −m: easy negatives cost nothing, hard ones cost more than m")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.8))
    fig.tight_layout()
    report.save(fig, "loss_curve")

    report.check("losses.triplet equals max(0, d(a,p) − d(a,n) + m) on the whole curve, for m = 0.5, 1, 2",
                 gap < 1e-12, f"largest difference {gap:.1e}")
    at = {"easy": -1.5, "semi-hard": -0.5, "hard": 0.5}
    values = {k: curves[1.0][np.argmin(np.abs(x - v))] for k, v in at.items()}
    report.check("m = 1: easy costs 0, semi-hard less than m, hard more than m",
                 values["easy"] == 0 and 0 < values["semi-hard"] < 1 < values["hard"],
                 ", ".join(f"{k} at x = {at[k]:g}: {v:.2f}" for k, v in values.items()))


# %% Part 2 — easy, semi-hard and hard negatives for one anchor–positive pair.
# Look for: around the anchor, the circle through the positive (radius d(a,p)) and
# the circle of radius d(a,p) + m. Negatives inside the first circle are hard, in the
# ring between the circles semi-hard, outside easy. The library's "hard" mining takes
# the nearest negative of all; "semi-hard" mining takes the nearest one outside the
# first circle.

def part_negatives(report, quick):
    margin = 1.0
    X, y = blobs(n_per_class=25, centers=((0, 0), (2.5, 0.5), (0.8, 2.6)), std=0.9, seed=7)
    same = np.flatnonzero(y == 0)
    # choose the pair (among class 0) whose three kinds of negatives are most evenly filled
    best, pair = -1, None
    for a in same:
        for p in same:
            if a == p:
                continue
            d_ap = np.linalg.norm(X[a] - X[p])
            kinds = kind_of_negative(d_ap, distances_to(X[y != 0], X[a]), margin)
            fill = min((kinds == k).sum() for k in COLORS)
            if fill > best:
                best, pair = fill, (a, p)
    a, p = pair
    d_ap = np.linalg.norm(X[a] - X[p])
    negatives = np.flatnonzero(y != 0)
    d_an = distances_to(X[negatives], X[a])
    kinds = kind_of_negative(d_ap, d_an, margin)
    per_negative = losses.triplet(np.tile(X[a], (len(negatives), 1)), np.tile(X[p], (len(negatives), 1)),
                                  X[negatives], margin=margin, reduction="none").data

    # what the library's miners pick for this anchor and this pair
    semi = losses.batch_triplet(X, y, margin=margin, mining="semi-hard", reduction="none").data
    pairs = np.argwhere((y[:, None] == y[None, :]) & ~np.eye(len(y), dtype=bool))   # ordered by a, then p
    semi_value = semi[np.flatnonzero((pairs[:, 0] == a) & (pairs[:, 1] == p))[0]]
    semi_choice = negatives[kinds == "semi-hard"][np.argmin(d_an[kinds == "semi-hard"])]
    hard_choice = negatives[np.argmin(d_an)]

    fig, ax = plt.subplots(figsize=(8, 7))
    ax.scatter(*X[same].T, color="lightgray", edgecolors="gray", s=25, label="class of the anchor")
    for kind in COLORS:
        chosen = negatives[kinds == kind]
        ax.scatter(*X[chosen].T, color=COLORS[kind], edgecolors="k", s=35,
                   label=f"{kind} negatives ({len(chosen)})")
    angle = np.linspace(0, 2 * np.pi, 200)
    for radius, style, name in [(d_ap, "-", "d(a,p)"), (d_ap + margin, "--", "d(a,p) + m")]:
        ax.plot(X[a, 0] + radius * np.cos(angle), X[a, 1] + radius * np.sin(angle), "k" + style, lw=1,
                label=f"radius {name} = {radius:.2f}")
    ax.plot(*X[a], "k*", ms=18, label="anchor a")
    ax.plot(*X[p], "kP", ms=12, label="positive p")
    ax.plot([X[a, 0], X[p, 0]], [X[a, 1], X[p, 1]], "k-", lw=1)
    ax.scatter(*X[semi_choice], s=260, facecolors="none", edgecolors="darkorange", linewidths=2.5,
               label="picked by mining='semi-hard'")
    ax.scatter(*X[hard_choice], s=260, facecolors="none", edgecolors="darkred", linewidths=2.5,
               label="nearest negative (mining='hard')")
    ax.set_aspect("equal")
    ax.set_xlabel("embedding dimension 1")
    ax.set_ylabel("embedding dimension 2")
    ax.set_title("one anchor–positive pair (m = 1): hard inside the inner circle,\n"
                 "semi-hard in the ring, easy outside")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    report.save(fig, "negatives")

    report.check("all three kinds are present for the chosen pair",
                 all((kinds == k).any() for k in COLORS),
                 ", ".join(f"{k} {(kinds == k).sum()}" for k in COLORS))
    report.check("hard negatives cost more than m, semi-hard between 0 and m, easy exactly 0",
                 np.all(per_negative[kinds == "hard"] >= margin)
                 and np.all((per_negative[kinds == "semi-hard"] > 0) & (per_negative[kinds == "semi-hard"] < margin))
                 and np.all(per_negative[kinds == "easy"] == 0),
                 f"hard ≥ {per_negative[kinds == 'hard'].min():.2f}, semi-hard in "
                 f"[{per_negative[kinds == 'semi-hard'].min():.2f}, {per_negative[kinds == 'semi-hard'].max():.2f}]")
    expected = max(0.0, d_ap - d_an[kinds == "semi-hard"].min() + margin)
    report.check("batch_triplet(mining='semi-hard') uses the nearest semi-hard negative for this pair",
                 np.isclose(semi_value, expected, rtol=1e-12),
                 f"loss {semi_value:.4f} = d(a,p) {d_ap:.3f} − {d_an[kinds == 'semi-hard'].min():.3f} + 1")


# %% Part 3 — training a small embedding network with each mining mode.
# Look for: four overlapping classes in 2-D, a 2 → 16 → 16 → 2 tanh network, full-batch
# Adam, margin 1, the same start for every mode. With "hard" mining from the first
# step, the hardest positive of a fresh network is farther than its hardest negative,
# and the cheapest way to lower max d(a,p) − min d(a,n) + m is to shrink *every*
# distance: the spread of the embeddings falls towards 0 and the loss settles at m,
# where all distances are 0 and no gradient is left. Semi-hard negatives are farther
# than the positive, so shrinking would *raise* their loss: the embedding opens up
# instead. ("all" averages over every violating triplet and also spreads out.)
# Notice too that semi-hard's spread keeps growing: these embeddings are not
# normalised, and stretching everything is one way to meet a fixed margin. FaceNet
# puts its embeddings on the unit sphere for this reason (see "Try it").

MODES = ["all", "hard", "semi-hard"]
CENTERS = ((-1.5, -1.5), (1.5, -1.5), (-1.5, 1.5), (1.5, 1.5))


def spread(embeddings):
    """Mean distance of the embeddings to their centroid."""
    return distances_to(embeddings, embeddings.mean(0)).mean()


def margin_met(embeddings, labels, margin):
    """The fraction of all valid triplets with d(a,n) ≥ d(a,p) + m (loss 0): the common goal."""
    per = losses.batch_triplet(embeddings, labels, margin=margin, mining="all", reduction="none").data
    return np.mean(per == 0)


def train_embedding(X, y, mining, steps, margin=1.0, seed=0):
    net = mlp([2, 16, 16, 2], seed=seed)              # same seed: the same start for every mode
    opt = mg.optim.Adam(net.parameters(), lr=0.01)
    inputs = mg.Tensor(X)
    history = {"loss": [], "spread": [], "met": []}
    for step in range(steps):
        opt.zero_grad()
        embeddings = net(inputs)
        loss = losses.batch_triplet(embeddings, y, margin=margin, mining=mining)
        loss.backward()
        opt.step()
        history["loss"].append(loss.item())
        history["spread"].append(spread(embeddings.data))
        history["met"].append(margin_met(embeddings.data, y, margin) if step % 5 == 0 else np.nan)
    with mg.no_grad():
        final = net(inputs).data
    return final, {k: np.array(v) for k, v in history.items()}


def part_training(report, quick):
    margin = 1.0
    # std 1.3 around centres 3 apart: the classes overlap, so no map can keep every
    # anchor's farthest positive nearer than its nearest negative
    X, y = blobs(n_per_class=12 if quick else 20, centers=CENTERS, std=1.3, seed=1)
    steps = 250 if quick else 400
    with mg.no_grad():
        start = mlp([2, 16, 16, 2], seed=0)(mg.Tensor(X)).data
    results = {mode: train_embedding(X, y, mode, steps, margin) for mode in MODES}
    spreads = {mode: spread(final) for mode, (final, _) in results.items()}
    print(f"  spread of the embeddings (mean distance to their centroid): start {spread(start):.4f}, "
          + ", ".join(f"{mode} {s:.4f}" for mode, s in spreads.items()))

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4))
    colors = {"all": "tab:blue", "hard": "tab:red", "semi-hard": "tab:orange"}
    for mode, (_, history) in results.items():
        axes[0].plot(history["loss"], color=colors[mode], lw=2, label=f"mining = '{mode}'")
        axes[1].plot(history["spread"], color=colors[mode], lw=2, label=f"mining = '{mode}'")
        every = np.flatnonzero(np.isfinite(history["met"]))          # measured every 5 steps
        axes[2].plot(every, history["met"][every], color=colors[mode], lw=2, label=f"mining = '{mode}'")
    axes[0].axhline(margin, color="gray", ls=":", label="m: the loss of a collapsed embedding")
    axes[0].set_ylabel("batch_triplet loss (each mode its own)")
    axes[0].set_title("hard mining stalls at exactly m")
    axes[1].set_yscale("log")
    axes[1].set_ylabel("spread: mean distance to the centroid")
    axes[1].set_title("hard mining shrinks the embedding to a point")
    axes[2].set_ylabel("fraction of all triplets with loss 0")
    axes[2].set_title("the common goal: triplets that meet the margin")
    for ax in axes:
        ax.set_xlabel("training step (full batch, Adam)")
        ax.legend(fontsize=8)
    fig.tight_layout()
    report.save(fig, "training")

    # the embeddings, all on the same axes so a collapse is visible as a collapse
    fig, axes = plt.subplots(1, 4, figsize=(16, 5.2), sharex=True, sharey=True)
    panels = [("before training", start)] + [(f"mining = '{m}'", results[m][0]) for m in MODES]
    for ax, (title, E) in zip(axes, panels):
        ax.scatter(*E.T, c=y, cmap="tab10", vmin=0, vmax=9, s=18, edgecolors="k", linewidths=0.3)
        ax.set_title(f"{title}\nspread {spread(E):.3f}")
        ax.set_xlabel("embedding dimension 1")
        ax.set_aspect("equal", adjustable="box")
    axes[0].set_ylabel("embedding dimension 2")
    fig.suptitle("the same network, the same start, three ways to mine: "
                 "'hard' from the first step collapses every input to one point", fontsize=11)
    fig.subplots_adjust(left=0.05, right=0.99, bottom=0.12, top=0.84, wspace=0.12)
    report.save(fig, "embeddings")

    final_loss = {mode: history["loss"][-1] for mode, (_, history) in results.items()}
    met = {mode: margin_met(final, y, margin) for mode, (final, _) in results.items()}
    report.check("hard mining from the start collapses: the spread falls below 10% of where it started",
                 spreads["hard"] < 0.1 * spread(start),
                 f"spread {spread(start):.4f} → {spreads['hard']:.4f}")
    report.check("and its loss is stuck at the margin m, the value of a collapsed embedding",
                 abs(final_loss["hard"] - margin) < 0.05, f"final loss {final_loss['hard']:.4f}, m = {margin:g}")
    report.check("semi-hard mining does not collapse: its spread grows and ends 100× larger than hard's",
                 spreads["semi-hard"] > spread(start) and spreads["semi-hard"] > 100 * spreads["hard"],
                 f"spread semi-hard {spreads['semi-hard']:.3f} vs hard {spreads['hard']:.4f}")
    report.check("semi-hard meets the margin on most triplets; the collapsed hard embedding on none",
                 met["semi-hard"] > 0.5 and met["hard"] == 0.0,
                 ", ".join(f"{mode} {v:.0%}" for mode, v in met.items()))
    report.numbers["spread"] = spreads


# %% Run everything
def main(quick=False):
    report = Report("07_triplet")
    part_loss_curve(report, quick)
    part_negatives(report, quick)
    part_training(report, quick)
    return report


# %% Try it
# 1. Train with mining='hard' only after 100 steps of 'semi-hard' (FaceNet's advice:
#    hard negatives once the embedding has some structure). Does it still collapse?
# 2. Normalise the embeddings to the unit circle (divide each row by its length), as
#    FaceNet does: semi-hard can no longer lower its loss by spreading out. Predict the
#    curves, then run.
# 3. Shrink the margin to 0.1: how much sooner do the curves flatten?

if __name__ == "__main__":
    main()
