"""Contrastive loss: a siamese network learns which points belong together.

The contrastive loss looks at a pair of embeddings at distance D. A similar pair
(Y = 0) pays D², so it is pulled together however close it already is; a
dissimilar pair (Y = 1) pays max(0, m − D)², so it is pushed apart only until it
is m away, and then left alone. The first part draws both branches and their
gradients against D with the margin marked. The second part trains a siamese
network (one small MLP applied to both points of every pair, so both branches
share their weights) on a layout where each class sits in two blobs on opposite
sides of a ring: the network has to bring together what the input keeps far
apart. The embeddings are shown before and after training, with the distances of
similar and dissimilar pairs.

Run it with `python -m lessons 06` (or `python -m lessons.06_contrastive`). To step
through it, open this file in VS Code or Jupyter: each `# %%` cell defines one part,
and the last cell runs main().
"""
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons._common import Report, blobs, fit, mlp

FIGURES = ["branches", "embeddings", "pair_distances"]

MARGIN = 1.0
CLASS_COLORS = np.array(["tab:blue", "tab:orange", "tab:green"])


# %% Part 1 — the two branches against the distance D.
# Left: the similar branch D² (blue) grows without limit, so a similar pair is always
# pulled in. The dissimilar branch max(0, m − D)² (orange) only matters inside the
# margin: a dissimilar pair farther than m apart costs nothing. Right: the gradients
# dL/dD from backward. Notice the dissimilar push is strongest, −2m, for pairs that
# sit on top of each other, and exactly 0 from D = m on.
def branch_curves(D):
    """Loss and dL/dD per pair for pairs at distance D: embeddings 0 and D on a line."""
    x1 = mg.Tensor(np.zeros((len(D), 1)))
    out = {}
    for name, y in (("similar", 0.0), ("dissimilar", 1.0)):
        x2 = mg.Tensor(D[:, None], requires_grad=True)          # distance |x2 − x1| = D
        value = losses.contrastive(x1, x2, np.full(len(D), y), margin=MARGIN, reduction="none")
        (slope,) = mg.grad(value.sum(), [x2])
        out[name] = (value.data, slope.data[:, 0])
    return out


def part_branches(report, quick):
    # an even grid from 0.0025: no point exactly on D = 0 or D = m (the kinks)
    D = np.linspace(0.0025, 2.4975, 500 if quick else 1000)
    curves = branch_curves(D)

    fig, (ax, ax_grad) = plt.subplots(1, 2, figsize=(12, 4.5))
    labels = {"similar": "similar pair (Y = 0):  D²",
              "dissimilar": "dissimilar pair (Y = 1):  max(0, m − D)²"}
    for name, (value, slope) in curves.items():
        ax.plot(D, value, lw=2, label=labels[name])
        ax_grad.plot(D, slope, lw=2, label=labels[name].split(":")[0])
    for a in (ax, ax_grad):
        a.axvline(MARGIN, color="crimson", ls="--", lw=1.5, label=f"margin m = {MARGIN:g}")
        a.set_xlabel("distance D between the two embeddings")
    ax.set_ylim(0, 3)
    ax.set_ylabel("loss")
    ax.set_title("Similar pairs are always pulled in; dissimilar ones only inside m")
    ax.legend(loc="upper left")
    ax_grad.set_ylabel("dL/dD (backward; < 0 pushes the pair apart)")
    ax_grad.set_title("Beyond the margin a dissimilar pair gets no gradient at all")
    ax_grad.legend(loc="upper left")
    fig.tight_layout()
    report.save(fig, "branches")

    similar_value, similar_slope = curves["similar"]
    dissimilar_value, dissimilar_slope = curves["dissimilar"]
    inside = D < MARGIN
    closed_dissimilar = np.where(inside, (MARGIN - D) ** 2, 0.0)
    report.check("the library's branches are D² and max(0, m − D)², their gradients 2D and −2(m − D)",
                 np.allclose(similar_value, D**2, rtol=0, atol=1e-12)
                 and np.allclose(dissimilar_value, closed_dissimilar, rtol=0, atol=1e-12)
                 and np.allclose(similar_slope, 2 * D, rtol=0, atol=1e-12)
                 and np.allclose(dissimilar_slope, np.where(inside, -2 * (MARGIN - D), 0.0), rtol=0, atol=1e-12),
                 f"compared at {len(D)} distances from {D[0]:g} to {D[-1]:g}")
    # by hand, with m = 1: D = 0.5 -> similar 0.5² = 0.25, dissimilar (1 − 0.5)² = 0.25;
    # D = 1.5 -> similar 2.25, dissimilar 0
    hand = branch_curves(np.array([0.5, 1.5]))
    report.check("by hand at D = 0.5 and 1.5: similar 0.25 and 2.25, dissimilar 0.25 and 0",
                 np.allclose(hand["similar"][0], [0.25, 2.25]) and np.allclose(hand["dissimilar"][0], [0.25, 0.0]),
                 f"similar {hand['similar'][0]}, dissimilar {hand['dissimilar'][0]}")
    report.check("every dissimilar pair beyond the margin has loss 0 and gradient 0",
                 np.all(dissimilar_value[~inside] == 0) and np.all(dissimilar_slope[~inside] == 0),
                 f"{(~inside).sum()} distances with D > m")
    # D = 0 exactly: the push apart has no direction (x1 = x2); the library gives 0, not nan
    at_zero = branch_curves(np.array([0.0]))
    report.check("two identical embeddings (D = 0) give a finite gradient, not nan",
                 np.isfinite(at_zero["dissimilar"][1]).all() and np.isfinite(at_zero["similar"][1]).all(),
                 f"dL/dD at D = 0: similar {abs(at_zero['similar'][1][0]):g}, dissimilar "
                 f"{abs(at_zero['dissimilar'][1][0]):g} (no direction to push in)")


# %% Part 2 — a siamese network on a ring of six blobs.
# The three classes each own two blobs on opposite sides of the ring, so in the input
# two points of the same class can be as far apart as any two points can be. One MLP
# embeds both points of every pair (the same weights: that is what "siamese" means).
# Look at the embedding before training: it is a squashed copy of the input, and
# same-class pairs are about as far apart as the others. After training each class is
# a tight clump, and the clumps are at least m apart.
def ring_data(n_per_blob, seed):
    """Six Gaussian blobs on a circle of radius 2.5; blob k has class k mod 3: X (6n, 2), y (6n,)."""
    angles = np.arange(6) * np.pi / 3
    centers = 2.5 * np.stack([np.cos(angles), np.sin(angles)], 1)
    X, blob = blobs(n_per_class=n_per_blob, centers=centers, std=0.35, seed=seed)
    return X, blob % 3


def all_pairs(y):
    """Every pair (i, j) with i < j, and its label Y: 0 same class (similar), 1 different."""
    i, j = np.triu_indices(len(y), k=1)
    return i, j, (y[i] != y[j]).astype(float)


def embed(network, X):
    with mg.no_grad():
        return network(mg.Tensor(X)).data


def pair_distances(E, i, j):
    return np.linalg.norm(E[i] - E[j], axis=1)


def mean_distances(E, i, j, Y):
    """(mean D over similar pairs, mean D over dissimilar pairs)."""
    D = pair_distances(E, i, j)
    return D[Y == 0].mean(), D[Y == 1].mean()


def part_siamese(report, quick):
    X, y = ring_data(n_per_blob=15 if quick else 20, seed=0)
    i, j, Y = all_pairs(y)
    network = mlp([2, 16, 16, 2], seed=0)                       # 2-D in, 2-D embedding out
    steps = 300 if quick else 600
    features = mg.Tensor(X)

    def loss():
        E = network(features)                                   # one pass embeds every point,
        return losses.contrastive(E[i], E[j], Y, margin=MARGIN)  # then every pair is two rows of E
    before = embed(network, X)
    history = {"similar": [], "dissimilar": []}

    def record(step):
        similar, dissimilar = mean_distances(embed(network, X), i, j, Y)
        history["similar"].append(similar)
        history["dissimilar"].append(dissimilar)
    losses_per_step = fit(network.parameters(), loss, steps, lr=0.01, on_step=record)
    after = embed(network, X)
    X_new, y_new = ring_data(n_per_blob=15 if quick else 20, seed=1)   # fresh points, same layout
    i_new, j_new, Y_new = all_pairs(y_new)
    after_new = embed(network, X_new)

    fig, axes = plt.subplots(1, 3, figsize=(14, 4.8))
    panels = ((X, "input: each class is two opposite blobs", "x₁", "x₂"),
              (before, "embedding before training", "e₁", "e₂"),
              (after, "embedding after training", "e₁", "e₂"))
    for ax, (points, title, xlabel, ylabel) in zip(axes, panels):
        for c in range(3):
            ax.scatter(*points[y == c].T, s=16, color=CLASS_COLORS[c], label=f"class {c}")
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_aspect("equal", adjustable="datalim")
    axes[2].scatter(*after_new.T, s=40, facecolors="none", edgecolors=CLASS_COLORS[y_new], lw=0.8,
                    label="fresh points (rings)")
    # a circle of diameter m around one clump: the other clumps should lie outside it
    centre = after[y == 0].mean(0)
    axes[2].add_patch(plt.Circle(centre, MARGIN, fill=False, color="crimson", ls="--", lw=1.2,
                                 label=f"distance m = {MARGIN:g} from class 0"))
    axes[0].legend(loc="center", fontsize=8)
    axes[2].legend(loc="best", fontsize=8)
    fig.suptitle("The shared network pulls each class's two far-apart blobs into one clump, "
                 "and pushes the clumps at least m apart")
    fig.tight_layout()
    report.save(fig, "embeddings")

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    bins = np.linspace(0, max(pair_distances(before, i, j).max(), pair_distances(after, i, j).max()), 50)
    titles = ("Before training: similar and dissimilar pairs mixed",
              "After: similar pairs near 0, dissimilar ones at m or beyond")
    for ax, E, title in ((axes[0], before, titles[0]), (axes[1], after, titles[1])):
        D = pair_distances(E, i, j)
        ax.hist(D[Y == 0], bins=bins, alpha=0.6, color="tab:blue", density=True,
                label=f"similar pairs ({int((Y == 0).sum())})")
        ax.hist(D[Y == 1], bins=bins, alpha=0.6, color="tab:orange", density=True,
                label=f"dissimilar pairs ({int((Y == 1).sum())})")
        ax.axvline(MARGIN, color="crimson", ls="--", lw=1.5, label=f"margin m = {MARGIN:g}")
        ax.set_xlabel("distance D between the two embeddings")
        ax.set_ylabel("density of pairs")
        ax.set_title(title)
        ax.legend(loc="upper right", fontsize=8)
    step_axis = np.arange(1, steps + 1)
    axes[2].plot(step_axis, history["similar"], color="tab:blue", lw=2, label="mean D, similar pairs")
    axes[2].plot(step_axis, history["dissimilar"], color="tab:orange", lw=2, label="mean D, dissimilar pairs")
    axes[2].plot(step_axis, losses_per_step, color="black", lw=1, label="contrastive loss (mean)")
    axes[2].axhline(MARGIN, color="crimson", ls="--", lw=1.5, label=f"margin m = {MARGIN:g}")
    axes[2].set_xlabel("training step (Adam, all pairs every step)")
    axes[2].set_ylabel("distance / loss")
    axes[2].set_title("Similar pairs close in; dissimilar ones settle past m")
    axes[2].legend(loc="center right", fontsize=8)
    fig.tight_layout()
    report.save(fig, "pair_distances")

    similar_before, dissimilar_before = mean_distances(before, i, j, Y)
    similar_after, dissimilar_after = mean_distances(after, i, j, Y)
    ratio_before, ratio_after = similar_before / dissimilar_before, similar_after / dissimilar_after
    report.check("before training, similar pairs are nearly as far apart as dissimilar ones",
                 ratio_before > 0.7, f"mean D {similar_before:.3f} vs {dissimilar_before:.3f}, "
                 f"ratio {ratio_before:.2f}")
    report.check("after training, mean similar-pair distance < mean dissimilar-pair distance, "
                 "with the ratio at least 10 times smaller than before",
                 similar_after < dissimilar_after and ratio_after < ratio_before / 10,
                 f"mean D {similar_after:.3f} vs {dissimilar_after:.3f}, ratio {ratio_after:.3f} "
                 f"(before {ratio_before:.2f})")
    D_after = pair_distances(after, i, j)
    # the pull on similar pairs and the push on dissimilar ones balance near D = m, so a few
    # dissimilar pairs end just inside the margin: count those at least 0.9 m apart
    nearly = np.mean(D_after[Y == 1] >= 0.9 * MARGIN)
    report.check("after training, at least 99% of dissimilar pairs are at least 0.9·m apart",
                 nearly >= 0.99, f"{100 * nearly:.1f}% of {int((Y == 1).sum())} dissimilar pairs, "
                 f"{100 * np.mean(D_after[Y == 1] >= MARGIN):.1f}% past m itself; "
                 f"closest {D_after[Y == 1].min():.3f}")
    similar_new, dissimilar_new = mean_distances(after_new, i_new, j_new, Y_new)
    report.check("on fresh points from the same layout the embedding separates the classes too",
                 similar_new / dissimilar_new < ratio_before / 10,
                 f"mean D {similar_new:.3f} vs {dissimilar_new:.3f}, ratio {similar_new / dissimilar_new:.3f}")


# %% Run every part.
def main(quick=False):
    report = Report("06_contrastive")
    part_branches(report, quick)
    part_siamese(report, quick)
    return report


# %% Try it
# 1. Set MARGIN = 3. Predict first: how far apart do the clumps end up, and how many
#    dissimilar pairs still pay loss at the end?
# 2. Train with only the similar pairs (keep Y == 0). What does the network do? (Look at
#    the size of the embedding: nothing stops it from collapsing every point to one spot.)
# 3. Give the network a 1-D embedding (mlp([2, 16, 16, 1])). Can three classes still be
#    m apart from each other on a line?
# 4. Write the loss with the ½ factors of Hadsell et al. (0.5 × losses.contrastive). What
#    changes in training with Adam, and what would change with plain SGD?

if __name__ == "__main__":
    main()
