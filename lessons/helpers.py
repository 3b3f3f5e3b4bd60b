"""What every lesson shares: showing figures, stating claims, quick mode, toy data, training.

A lesson is a notebook (percent format, `# %%` cells). Its first code cell calls
`lesson = start("02_regression")`; after that

    show(fig, "outlier_fits")      draws the figure under the cell (in Jupyter or VS Code),
                                   on screen when run as a script with a display, and into
                                   <plots>/02_regression_outlier_fits.png only when the runner
                                   (or you, with save_figures_to) asked for files;
    claim(key, text, ok, detail)   prints one check of the lecture with the numbers behind it;
    finish()                       prints how many claims hold.

Quick mode (small data, few steps; what the tests run) is chosen by the environment,
never by editing a lesson: MINIGRAD_QUICK=1, or `python -m lessons ... --quick`.
Figures are written with fixed seeds and no timestamps, so a rerun writes the same bytes.
"""
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

import minigrad as mg
from losses.workbench.toys import blobs, fit, line_with_outliers, make_optimizer, mlp, rng, two_moons  # noqa: F401  (the lessons' toy data and training loop)

QUICK = os.environ.get("MINIGRAD_QUICK", "").lower() not in ("", "0", "false", "no")
"""True when the environment asks for quick mode (MINIGRAD_QUICK=1): smaller data, fewer steps."""



def seeds_from(text):
    """The seeds of "3,4,5" (MINIGRAD_SEEDS, `--seeds`) as a tuple of ints; a clear error otherwise."""
    try:
        seeds = tuple(int(part) for part in str(text).split(",") if part.strip())
    except ValueError:
        raise ValueError(f"seeds: expected comma-separated integers such as 3,4,5, got {text!r}") from None
    if not seeds or any(seed < 0 for seed in seeds):
        raise ValueError(f"seeds: expected one or more non-negative integers such as 3,4,5, got {text!r}")
    return seeds


def default_seeds(quick):
    """MINIGRAD_SEEDS when set, else (0, 1, 2), or (0, 1) in quick mode."""
    if os.environ.get("MINIGRAD_SEEDS", "").strip():
        return seeds_from(os.environ["MINIGRAD_SEEDS"])
    return (0, 1) if quick else (0, 1, 2)


SEEDS = default_seeds(QUICK)
"""Data seeds a claim about a training outcome must hold on (quick mode runs fewer;
MINIGRAD_SEEDS=3,4,5 or `python -m lessons ... --seeds 3,4,5` replaces them)."""

STYLE = {
    "figure.dpi": 100, "savefig.dpi": 100, "font.size": 10, "axes.titlesize": 11,
    "axes.grid": True, "grid.alpha": 0.3, "legend.fontsize": 9, "figure.autolayout": False,
    "svg.hashsalt": "minigrad",          # SVG element ids from a fixed salt: a rerun writes the same bytes
}
plt.rcParams.update(STYLE)


def pick(full, quick):
    """`full` normally, `quick` in quick mode: STEPS = pick(800, 200)."""
    return quick if QUICK else full


# ---- one lesson: its figures and its claims -----------------------------------------

@dataclass
class Claim:
    key: str
    text: str
    holds: bool
    detail: str = ""


@dataclass
class Lesson:
    """What a lesson shows: the figures it drew and the claims it checked."""
    name: str
    claims: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    saved: list = field(default_factory=list)

    def claim(self, key, text, holds, detail=""):
        holds = bool(holds)
        if any(c.key == key for c in self.claims):
            raise ValueError(f"claim: key {key!r} is used twice in {self.name}")
        self.claims.append(Claim(key, text, holds, detail))
        print(f"[{'holds' if holds else 'FAILS'}] {text}" + (f"  ({detail})" if detail else ""))
        return holds

    def show(self, fig, name):
        self.figures.append(name)
        if _save_dir is not None:
            _save_dir.mkdir(parents=True, exist_ok=True)
            path = _save_dir / f"{self.name}_{name}.{_save_format}"
            # no version string or date in the file: a rerun writes the same bytes
            metadata = {"Software": None} if _save_format == "png" else {"Creator": None, "Date": None}
            fig.savefig(path, metadata=metadata, dpi=_save_dpi or "figure", format=_save_format)
            self.saved.append(path)
        backend = matplotlib.get_backend().lower()
        if "inline" in backend:                 # Jupyter, VS Code: the image goes under the cell
            from IPython.display import display
            display(fig)
            plt.close(fig)
        elif backend in _NO_SCREEN:
            plt.close(fig)                      # no screen: nothing to keep open
        # else: an interactive window (a script with a display, or ipympl); finish() shows them

    def __getitem__(self, key):
        for c in self.claims:
            if c.key == key:
                return c
        raise KeyError(f"{self.name} has no claim {key!r}; it has {[c.key for c in self.claims]}")

    @property
    def passed(self):
        return all(c.holds for c in self.claims)

    def finish(self):
        failed = [c for c in self.claims if not c.holds]
        print(f"{self.name}: {len(self.claims) - len(failed)} of {len(self.claims)} claims hold"
              + ("" if not failed else "; FAILS: " + "; ".join(c.text for c in failed)))
        backend = matplotlib.get_backend().lower()
        if plt.get_fignums() and "inline" not in backend and "ipympl" not in backend and "widget" not in backend:
            plt.show()
        if _run_as_script(self.name) and backend in _NO_SCREEN and self.figures:
            # `python lessons/05_focal.py` with no display: say where the figures went, or that none did
            if self.saved:
                print(f"{len(self.saved)} figures written to {self.saved[0].parent}")
            else:
                print(f"{len(self.figures)} figures drawn and none saved (no display here): "
                      f"`python -m lessons {self.name[:2]}` writes them to ./plots")
        return self


_NO_SCREEN = ("agg", "pdf", "svg", "ps", "cairo", "template")


def _run_as_script(name):
    """True when the lesson `name` is the script Python was started with (`python lessons/05_focal.py`)."""
    main = sys.modules.get("__main__")
    return Path(getattr(main, "__file__", None) or "").stem == name


current = None
"""The lesson started last (the runner reads its claims and figures from here)."""

_save_dir = Path(os.environ["MINIGRAD_PLOTS"]) if os.environ.get("MINIGRAD_PLOTS") else None
_save_format, _save_dpi = "png", None

FORMATS = ("png", "svg", "pdf")


def save_figures_to(folder, format="png", dpi=None):
    """Write every figure shown from now on into `folder` as well (None: stop writing),
    as `format` ("png", "svg" or "pdf"), at `dpi` dots per inch (None: the figure's 100)."""
    global _save_dir, _save_format, _save_dpi
    if format not in FORMATS:
        raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {format!r}")
    if dpi is not None and not dpi > 0:
        raise ValueError(f"dpi: expected a positive number, got {dpi!r}")
    _save_dir = None if folder is None else Path(folder)
    _save_format, _save_dpi = format, dpi


def start(name):
    """Begin lesson `name` (e.g. "02_regression"); show, claim and finish then refer to it."""
    global current
    current = Lesson(name)
    return current


def _current():
    if current is None:
        raise RuntimeError('call start("NN_name") in the lesson\'s first cell')
    return current


def show(fig, name):
    """Show `fig` under the cell (or on screen); also write it to a file if the runner asked."""
    _current().show(fig, name)


def claim(key, text, holds, detail=""):
    """Print one claim of the lecture: holds or FAILS, and the numbers that decide it.
    Returns None, so a notebook cell that ends with a claim shows no `Out: True`."""
    _current().claim(key, text, holds, detail)


def finish():
    """Print how many claims hold (and show open figures when run as a script). Returns None,
    so the notebook's last cell shows no result; the runner reads `helpers.current`."""
    _current().finish()


# ---- toy data, each with a fixed seed ----------------------------------------------

def imbalanced(n_major=500, ratio=50, separation=2.0, seed=0):
    """Two overlapping Gaussian classes, `ratio` negatives (y = 0) per positive (y = 1)."""
    r = rng(seed)
    n_minor = max(1, n_major // ratio)
    X = np.concatenate([r.standard_normal((n_major, 2)),
                        r.standard_normal((n_minor, 2)) + separation])
    return X, np.concatenate([np.zeros(n_major), np.ones(n_minor)])


# ---- the standard figure: loss, gradient and curvature ------------------------------

def derivatives(elementwise_loss, x):
    """Values, first and second derivatives of an elementwise function on the grid x.

    All three come from minigrad: the gradient from backward, the curvature from
    differentiating the gradient again (create_graph=True). Because the function
    acts entry by entry, d/dx of the sum is each entry's derivative.
    """
    xt = mg.Tensor(x, requires_grad=True)
    value = elementwise_loss(xt)
    (slope,) = mg.grad(value.sum(), xt, create_graph=True)
    if slope.requires_grad:
        (curvature,) = mg.grad(slope.sum(), xt)
        curvature = curvature.data
    else:                        # piecewise-linear: the slope is constant, curvature 0
        curvature = np.zeros_like(x)
    return value.data, slope.data, curvature


def _variable_of(xlabel):
    """The symbol an axis label names: "residual r = ŷ − y" -> "r", "a weight w" -> "w",
    "logit z  (p = σ(z))" -> "z"; None when the label names no symbol."""
    for token in xlabel.split("=")[0].split(" (")[0].split():
        plain_word = token.isascii() and token.isalpha() and (len(token) > 1 or token in ("a", "A"))
        if not plain_word:
            return token
    return None


def loss_gradient_curvature(curves, x, xlabel, title, analytic=None, variable=None):
    """Three panels (loss, gradient, curvature) for each labelled elementwise loss.

    curves    {label: f} where f maps a Tensor of shape (n,) to per-entry losses (n,)
    analytic  optional {label: (f, df, d2f)} of numpy functions, drawn dashed on top
              (a function that returns only NaN, or None, draws nothing in its panel)
    variable  the symbol on the x-axis, for the labels ∂L/∂variable; by default read from
              xlabel ("residual r = ŷ − y" -> r)
    """
    variable = variable or _variable_of(xlabel)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    dashed = [False, False, False]
    for (label, f), color in zip(curves.items(), colors * 3):
        for ax, values in zip(axes, derivatives(f, x)):
            ax.plot(x, values, color=color, label=label, lw=2)
        for i, g in enumerate((analytic or {}).get(label, ())):
            values = None if g is None else g(x)
            if values is not None and np.any(np.isfinite(values)):
                axes[i].plot(x, values, color="black", ls="--", lw=1)
                dashed[i] = True
    if variable is None:
        names = ["loss", "gradient: slope of the loss along the x-axis (backward)",
                 "curvature: slope of the gradient (second order)"]
    else:
        v = variable if len(variable) <= 2 else f"({variable})"
        names = ["loss", f"gradient ∂L/∂{v} (backward)", f"curvature ∂²L/∂{v}² (second order)"]
    for ax, name in zip(axes, names):
        ax.set_xlabel(xlabel)
        ax.set_ylabel(name)
    axes[0].legend()
    if any(dashed):                    # the entry goes where dashed curves really are
        i = dashed.index(True)
        entry = [plt.Line2D([], [], color="black", ls="--", lw=1, label="closed form (dashed, on top)")]
        if i == 0:
            axes[0].legend(handles=axes[0].get_legend_handles_labels()[0] + entry)
        else:
            axes[i].legend(handles=entry)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def decision_regions(ax, predict, X, y, title=None, resolution=150, pad=0.7):
    """Shade the class that predict(points (m, 2) numpy) -> labels (m,) picks, with the data on top."""
    lo, hi = X.min(0) - pad, X.max(0) + pad
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    labels = predict(np.stack([gx.ravel(), gy.ravel()], 1)).reshape(gx.shape)
    ax.contourf(gx, gy, labels, alpha=0.25, levels=np.arange(labels.max() + 2) - 0.5, cmap="viridis")
    ax.scatter(X[:, 0], X[:, 1], c=y, s=12, cmap="viridis", edgecolors="k", linewidths=0.3)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    if title:
        ax.set_title(title)


# ---- metric learning: identities, a verification ROC, recall@k (lessons 06_contrastive, 07_triplet) ----

def identities(n_identities=16, per_identity=8, spread=0.2, min_gap=1.0, nuisance_dims=2, nuisance=2.0, seed=0):
    """Toy "faces": several identities, each seen several times under a nuisance (pose, light).

    Identity k is a centre in a 2-D identity space, at least `min_gap` from every other
    centre; each sighting adds Gaussian noise of std `spread` there, and `nuisance_dims`
    more coordinates of pure noise (std `nuisance`) that say nothing about who it is.
    A fixed random rotation mixes all coordinates, so no single input coordinate is the
    identity. Returns X (n_identities·per_identity, 2 + nuisance_dims) and labels (N,)
    in 0 … n_identities − 1, ordered by identity: train on labels < K, hold out the rest.
    """
    r = rng(seed)
    side = 1.5 * min_gap * np.sqrt(n_identities)         # room enough for the centres to keep their gap
    centres = []
    for _ in range(100_000):
        c = r.uniform(-side / 2, side / 2, 2)
        if all(np.linalg.norm(c - other) >= min_gap for other in centres):
            centres.append(c)
            if len(centres) == n_identities:
                break
    else:
        raise ValueError(f"identities: could not place {n_identities} centres {min_gap} apart")
    labels = np.repeat(np.arange(n_identities), per_identity)
    who = np.asarray(centres)[labels] + spread * r.standard_normal((len(labels), 2))
    X = np.concatenate([who, nuisance * r.standard_normal((len(labels), nuisance_dims))], 1)
    rotation, _ = np.linalg.qr(r.standard_normal((X.shape[1], X.shape[1])))
    return X @ rotation, labels


def distance_matrix(embeddings):
    """Euclidean distances between every two rows of a numpy array (N, D): (N, N)."""
    diff = embeddings[:, None, :] - embeddings[None, :, :]
    return np.sqrt((diff**2).sum(-1))


def verification_roc(embeddings, labels):
    """Face verification's ROC: accept a pair as "same identity" when its distance is ≤ t.

    Over every pair i < j and every threshold t: the true-accept rate (same-identity
    pairs accepted) against the false-accept rate (different-identity pairs accepted).
    Returns (far, tar, auc): both rates from (0, 0) to (1, 1), one point per distinct
    distance, and the area under the curve, which is the chance that a random
    same-identity pair is closer than a random different-identity pair (ties count ½):
    1 is perfect, 0.5 is chance. It depends only on the order of the distances, not on
    their scale.
    """
    labels = np.asarray(labels)
    i, j = np.triu_indices(len(labels), k=1)
    d = distance_matrix(np.asarray(embeddings, dtype=float))[i, j]
    same = labels[i] == labels[j]
    order = np.argsort(d, kind="stable")
    ends = np.searchsorted(d[order], np.unique(d), side="right")     # pairs accepted at each threshold
    accepted_same = np.concatenate([[0], np.cumsum(same[order])])[ends]
    accepted_other = np.concatenate([[0], np.cumsum(~same[order])])[ends]
    tar = np.concatenate([[0.0], accepted_same / max(same.sum(), 1)])
    far = np.concatenate([[0.0], accepted_other / max((~same).sum(), 1)])
    auc = float(np.sum(np.diff(far) * (tar[1:] + tar[:-1]) / 2))
    return far, tar, auc


def recall_at_k(embeddings, labels, k=1):
    """Retrieval's recall@k: each item in turn is the query and all the others the gallery;
    the fraction of queries with an item of their own identity among their k nearest.
    (Ties in distance are broken by index order.)"""
    labels = np.asarray(labels)
    D = distance_matrix(np.asarray(embeddings, dtype=float))
    np.fill_diagonal(D, np.inf)                         # a query never retrieves itself
    nearest = np.argsort(D, axis=1, kind="stable")[:, :k]
    return float(np.mean((labels[nearest] == labels[:, None]).any(axis=1)))


# ---- lessons 06_contrastive and 07_triplet: FaceNet's validation rate, a linear baseline, steady titles ----

def steady(value, digits=6):
    """`value` rounded to `digits` decimals before a title formats it with fewer: "0.965" then reads
    the same on every numpy build, where a sum taken in another order can move it by one ulp."""
    return round(float(value), digits)


def validation_rate(train_embeddings, train_labels, test_embeddings, test_labels, far=1e-3):
    """FaceNet's metric VAL(far) (Schroff et al., 2015): the threshold is picked on the training
    identities, then used on identities never seen.

    t is the smallest distance at which more than a fraction `far` of the different-identity
    training pairs would be accepted; a pair is accepted when D < t. Returns (val, far_test, t):
    the fraction of same-identity test pairs accepted at t (the validation rate) and the
    fraction of different-identity test pairs accepted at t (what `far` really becomes on new
    people).
    """
    def pairs(embeddings, labels):
        labels = np.asarray(labels)
        i, j = np.triu_indices(len(labels), k=1)
        return distance_matrix(np.asarray(embeddings, dtype=float))[i, j], labels[i] == labels[j]

    if not 0 <= far < 1:
        raise ValueError(f"validation_rate: far must be in [0, 1), got {far!r}")
    d_train, same_train = pairs(train_embeddings, train_labels)
    different = np.sort(d_train[~same_train])
    if len(different) == 0:
        raise ValueError("validation_rate: train_labels must hold at least two identities")
    allowed = int(np.floor(far * len(different)))       # different-identity training pairs we may accept
    t = different[allowed]
    d_test, same_test = pairs(test_embeddings, test_labels)
    return float(np.mean(d_test[same_test] < t)), float(np.mean(d_test[~same_test] < t)), float(t)


def lda(X, labels, dims=2):
    """Fisher's linear discriminant analysis: the (D, dims) projection whose directions maximise
    the scatter between identities over the scatter within them (Fisher, 1936). A linear
    baseline for a learned embedding: `X @ lda(X_train, y_train)` embeds new inputs too.

    Solved as a symmetric eigenproblem: whiten the within-identity scatter S_w (S_w^(-1/2)),
    then take the top eigenvectors of the whitened between-identity scatter. S_w gets a ridge
    of 1e-6 of its mean eigenvalue, so inputs with a constant coordinate (no noise there at
    all) still have an inverse; that changes no direction the data can tell apart.
    """
    X, labels = np.asarray(X, dtype=float), np.asarray(labels)
    if X.ndim != 2 or len(X) != len(labels):
        raise ValueError(f"lda: X must be (N, D) with one label per row, got X {X.shape} and labels {labels.shape}")
    classes = np.unique(labels)
    if not 1 <= dims <= min(X.shape[1], len(classes) - 1):
        raise ValueError(f"lda: dims must be between 1 and min(D, identities − 1) = "
                         f"{min(X.shape[1], len(classes) - 1)}, got {dims}")
    centre = X.mean(0)
    within = np.zeros((X.shape[1], X.shape[1]))
    between = np.zeros_like(within)
    for c in classes:
        members = X[labels == c]
        offset = members - members.mean(0)
        within += offset.T @ offset
        between += len(members) * np.outer(members.mean(0) - centre, members.mean(0) - centre)
    within += 1e-6 * np.trace(within) / len(within) * np.eye(len(within))
    values, vectors = np.linalg.eigh(within)
    whiten = vectors / np.sqrt(values)                   # S_w^(-1/2), up to a rotation
    _, directions = np.linalg.eigh(whiten.T @ between @ whiten)
    return whiten @ directions[:, ::-1][:, :dims]         # largest eigenvalues first


def plot_verification(scores, names, styles, roc_title, metrics_title, far=1e-3, figsize=(14, 5.2)):
    """Two panels for embeddings evaluated on held-out identities (lessons 06 and 07).

    Left, the verification ROC of every seed (false-accept rate on a log axis, so the low
    false-accept end FaceNet reports is visible), with each seed's operating point at the
    threshold picked on training identities; right, per embedding, the AUC, VAL at `far` and
    recall@1: a bar for the mean over seeds and a dot for each seed. scores is
    {(seed, name): {"far", "tar", "auc", "val", "far_test", "recall1"}}; styles {name: plot kwargs}.
    """
    seeds = sorted({seed for seed, _ in scores})
    fig, (ax, ax_bars) = plt.subplots(1, 2, figsize=figsize, gridspec_kw={"width_ratios": [1.15, 1]})
    floor = far / 3
    for name in names:
        for n, seed in enumerate(seeds):
            s = scores[seed, name]
            ax.plot(np.maximum(s["far"], floor), s["tar"], lw=1.5, alpha=0.55,
                    label=name if n == 0 else None, **styles[name])
            ax.plot(max(s["far_test"], floor), s["val"], marker="o", ms=5, ls="none", color=styles[name]["color"])
    ax.axvline(far, color="crimson", ls="--", lw=1, label=f"false-accept rate {far:g}")
    ax.plot([], [], marker="o", ls="none", color="0.3", label="threshold picked on training identities")
    ax.set_xscale("log")
    ax.set_xlim(floor, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"false-accept rate (different-identity pairs accepted; {floor:.0e} stands for 0)")
    ax.set_ylabel("true-accept rate (same-identity pairs accepted)")
    ax.set_title(roc_title, fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3, fontsize=8)
    metrics = (("auc", "AUC"), ("val", f"VAL at FAR {far:g}"), ("recall1", "recall@1"))
    width = 0.8 / len(names)
    for k, name in enumerate(names):
        for m, (key, _) in enumerate(metrics):
            values = [scores[seed, name][key] for seed in seeds]
            x = m + (k - (len(names) - 1) / 2) * width
            ax_bars.bar(x, np.mean(values), width * 0.9, color=styles[name]["color"], alpha=0.6,
                        label=name if m == 0 else None)
            ax_bars.plot(np.full(len(values), x), values, "k.", ms=4)
    ax_bars.set_xticks(range(len(metrics)), [label for _, label in metrics])
    ax_bars.set_ylim(0, 1.25)
    ax_bars.set_yticks(np.linspace(0, 1, 6))
    ax_bars.set_ylabel(f"bar: mean over {len(seeds)} seeds; dots: each seed")
    ax_bars.set_title(metrics_title, fontsize=10)
    ax_bars.legend(loc="upper center", ncol=2, fontsize=8)
    return fig
