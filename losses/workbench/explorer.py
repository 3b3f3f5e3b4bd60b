"""Explore any registered loss: its figures, drawn from its catalogue entry and its kind.

    >>> import losses
    >>> shown = losses.explore("huber", delta=0.5, steps=20)          # doctest: +SKIP
    >>> shown.figures["curves"], shown.numbers                         # doctest: +SKIP

* curves: the loss, its gradient (from backward) and its curvature (from second-order
  autodiff) along the axis of its kind (the residual, the logit or probability of the
  true class, the distance of a pair, d(a,p) − d(a,n), a weight), next to the reference
  loss of that kind, with the registered closed-form gradient dashed;
* convergence: the loss trains a small model on the toy problem of its kind, next to the
  reference loss, measured by one number both can be compared on.

`explore` returns the figures (a notebook shows them under the cell), writes them to files
only when given `out=`, warns when backward disagrees with finite differences, or the
closed form with backward, and says when a training run has not converged (its metric
still moving over the last tenth of the steps). `interactive` draws the curves with a
slider per numeric parameter, over the range the loss declares, on fixed axes.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import minigrad as mg

from ..regression import mse as _mse
from . import kinds, toys
from .properties import robustness
from .registry import get

STEPS, QUICK_STEPS = 300, 40


def _label(info, params, digits=6):
    shown = {k: v for k, v in params.items() if v is not None}
    inner = ", ".join(f"{k}={v:.{digits}g}" if isinstance(v, float) else f"{k}={v}" for k, v in shown.items())
    return f"{info.name}({inner})" if inner else info.name


def file_stem(info, params):
    """explore_NAME, then each parameter that differs from its default: explore_huber_delta=0.5."""
    def same(v, default):
        return repr(v) == repr(default) or (isinstance(v, (int, float)) and isinstance(default, (int, float))
                                            and v == default)
    changed = [f"{k}={v}" for k, v in params.items() if not same(v, info.params.get(k))]
    return re.sub(r"[^A-Za-z0-9_.,=+-]", "", "_".join([f"explore_{info.name}"] + changed))


def reference_for(info):
    kind = kinds.KINDS[info.kind]
    name = kind.probability_reference if info.input == "probability" else kind.reference
    return None if name is None or name == info.name else get(name)


# ---- figure 1: loss, gradient and curvature along the kind's axis ---------------------

def derivatives(k, x, case=None):
    """Values, gradient (backward) and curvature (backward of the gradient) along the axis at x."""
    t = mg.Tensor(x, requires_grad=True)
    value = k.along(t, case)
    (slope,) = mg.grad(value.sum(), t, create_graph=True)
    curvature = mg.grad(slope.sum(), t)[0].data if slope.requires_grad else np.zeros_like(x)
    return value.data, slope.data, curvature


def disagreements(k, x):
    """Warning lines: backward against finite differences, and the closed form against backward."""
    out, x = [], k.off_kinks(x)
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    for case in k.cases:
        on = f" ({case})" if case else ""
        with mg.no_grad():
            numeric = (k.along(mg.Tensor(x + h), case).data - k.along(mg.Tensor(x - h), case).data) / (2 * h)
        slope = k.slope(x, case)
        bad = np.abs(slope - numeric) > 1e-4 * (1 + np.abs(numeric))
        if np.any(bad):
            i = np.flatnonzero(bad)[0]
            out.append(f"warning: backward disagrees with finite differences along the {k.axis_label}{on}: at "
                       f"{x[i]:.4g} backward gives {slope[i]:.6g}, finite differences {numeric[i]:.6g} "
                       f"({int(bad.sum())} of {len(x)} points); look at the backward of any op you recorded")
        found = k.closed_form_gap(x, case)
        if found is None:
            continue
        i, expected, backward, bad, _ = found
        if bad:
            out.append(f"warning: the registered closed-form gradient disagrees with backward along the "
                       f"{k.axis_label}{on}: at {x[i]:.4g} it gives {expected:.6g}, backward {backward:.6g}")
    return out


def _grid(k, quick=False):
    lo, hi = k.axis_range()
    # an even count keeps x = 0 off the grid, where a kink's one-sided convention would show as a spike
    return np.linspace(lo, hi, 80 if quick else 240)


def _verdict(info, k):
    if info.kind == "penalty":
        z = mg.Tensor(np.array([1.0, 10.0]), requires_grad=True)
        (g,) = mg.grad(k.along(z).sum(), z)
        grows = abs(g.data[1]) > 2 * abs(g.data[0])
        return "the pull grows with the weight: large weights shrink most" if grows else \
            "the same pull on every weight, however large"
    bounded, _ = robustness(k)
    return "bounded gradient: robust to outliers" if bounded else "gradient grows without bound: the worst samples dominate"


def curves_figure(info, params, quick=False):
    """The loss, gradient and curvature figure of `info` with `params`, beside its kind's reference loss."""
    k = kinds.kind(info, params)
    x = _grid(k, quick)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    entries = [(info, params)]
    ref = reference_for(info)
    if ref is not None:
        entries.append((ref, ref.params))
    colors = iter(plt.rcParams["axes.prop_cycle"].by_key()["color"] * 3)
    dashed = None
    for entry, entry_params in entries:
        ek = kinds.kind(entry, entry_params)
        for case in ek.cases:
            label = _label(entry, entry_params) + (f", {case}" if case else "") + (" (reference)" if entry is ref else "")
            color = next(colors)
            for ax, values in zip(axes, derivatives(ek, x, case)):
                ax.plot(x, values, color=color, label=label, lw=2)
            closed = entry.closed_form(case, entry_params)
            if closed is not None:
                (dashed,) = axes[1].plot(x, closed(x), color="black", ls="--", lw=1,
                                         label="registered closed form (dashed, on top)")
    # the derivatives are taken along the quantity on the x axis, which the x label names
    for ax, name in zip(axes, ["loss", "gradient along the x axis (backward)",
                               "curvature along the x axis (second order)"]):
        ax.set_xlabel(k.axis_label)
        ax.set_ylabel(name)
        _clip_axis(ax)
    axes[0].legend()
    if dashed is not None:                       # the key to the dashed curves sits where they are drawn
        axes[1].legend(handles=[dashed])
    fig.suptitle(f"{_label(info, params)} [{info.kind}]: {_verdict(info, k)}")
    fig.tight_layout()
    return fig


def _clip_axis(ax):
    """Keep a curve that shoots up (1/p near p = 0) from flattening every other curve."""
    data = np.concatenate([np.asarray(line.get_ydata(), dtype=float) for line in ax.get_lines()
                           if np.size(line.get_ydata())] or [np.zeros(1)])
    data = data[np.isfinite(data)]
    if data.size:
        lo, hi = np.percentile(data, [2, 98])
        pad = 0.1 * (hi - lo) if hi - lo > 1e-9 else max(0.5, 0.1 * abs(hi))   # a flat line: a plain scale
        ax.set_ylim(min(lo, 0) - pad, hi + pad)


# ---- figure 2: convergence on the toy problem of the kind ------------------------------

def _model_inputs(info, out):
    """What the model's raw output becomes for this loss: a logit, a score or probabilities."""
    if info.input == "probability":
        return out.sigmoid() if info.kind == "binary" else out.softmax(axis=-1)
    return out


def _train_regression(info, params, steps, quick):
    x, y = toys.line_with_outliers(n=60 if quick else 100, seed=0)
    w, b = mg.Tensor(0.0, requires_grad=True), mg.Tensor(0.0, requires_grad=True)
    error = []
    toys.fit([w, b], lambda: info(w * x + b, y, **params), steps, lr=0.1,
             on_step=lambda s: error.append(np.hypot(w.item() - 2.0, b.item() - 1.0)))
    return np.array(error), dict(x=x, y=y, w=w.item(), b=b.item())


def _train_classifier(info, params, steps, quick):
    binary = info.kind == "binary"
    if binary:
        X, y = toys.two_moons(n=100 if quick else 200, seed=0)
        target = 2 * y - 1 if info.target == "-1/+1" else y
    else:
        X, y = toys.blobs(n_per_class=20 if quick else 40, std=1.1, seed=0)
        target = np.eye(3)[y] if info.target == "one-hot" else y
    model = toys.mlp([2, 16, 1 if binary else 3], seed=1)
    accuracy = []

    def loss():
        out = model(X)
        return info(_model_inputs(info, out.reshape(-1) if binary else out), target, **params)

    def record(step):
        with mg.no_grad():
            out = model(X).data
        accuracy.append(np.mean((out.reshape(-1) > 0) == (y == 1)) if binary else np.mean(out.argmax(1) == y))
    toys.fit(model.parameters(), loss, steps, lr=0.03, on_step=record)
    return np.array(accuracy), dict(X=X, y=y, model=model)


def _separation(E, y):
    """Mean distance between points of different classes over that within classes (higher is better)."""
    d = np.sqrt(((E[:, None, :] - E[None, :, :]) ** 2).sum(-1))
    same = (y[:, None] == y[None, :]) & ~np.eye(len(y), dtype=bool)
    return d[y[:, None] != y[None, :]].mean() / max(d[same].mean(), 1e-12)


def _train_embedding(info, params, steps, quick):
    X, y = toys.blobs(n_per_class=10 if quick else 20, centers=((-1, 0), (1, 0), (0, 1.5)), std=0.8, seed=0)
    model = toys.mlp([2, 16, 2], seed=1)
    if info.kind == "pairs":
        i, j = toys.rng(3).integers(0, len(y), (2, 150 if quick else 300))
        dissimilar = (y[i] != y[j]).astype(float)                          # Y = 0 similar, 1 dissimilar

        def loss():
            E = model(X)
            return info(E[i], E[j], dissimilar, **params)
    else:
        r = toys.rng(4)
        anchors = r.integers(0, len(y), 300)
        positives = np.array([r.choice(np.flatnonzero((y == y[a]) & (np.arange(len(y)) != a))) for a in anchors])
        negatives = np.array([r.choice(np.flatnonzero(y != y[a])) for a in anchors])

        def loss():
            E = model(X)
            return info(E, y, **params) if info.batch_form else info(E[anchors], E[positives], E[negatives], **params)
    separation = []

    def record(step):
        with mg.no_grad():
            separation.append(_separation(model(X).data, y))
    toys.fit(model.parameters(), loss, steps, lr=0.02, on_step=record)
    return np.array(separation), dict(X=X, y=y, model=model)


def _train_penalty(info, params, steps, quick):
    X, y, X_test, y_test, w_true = toys.sparse_regression()
    w = mg.Tensor(np.zeros(10), requires_grad=True)
    test_error = []

    def loss():
        fit = _mse(X @ w, y)
        return fit if info is None else fit + info([w], **params)
    toys.fit([w], loss, steps, lr=0.05, on_step=lambda s: test_error.append(np.mean((X_test @ w.data - y_test) ** 2)))
    return np.array(test_error), dict(w=w.data.copy(), w_true=w_true)


TRAIN = {"regression": _train_regression, "binary": _train_classifier, "multiclass": _train_classifier,
         "pairs": _train_embedding, "triplets": _train_embedding, "penalty": _train_penalty}


def _draw_result(ax, info, label, state):
    if info.kind == "regression":
        ax.scatter(state["x"], state["y"], s=10, color="gray", label="data (10% outliers)")
        xs = np.linspace(-3, 3, 2)
        ax.plot(xs, 2 * xs + 1, color="black", ls="--", label="true line")
        ax.plot(xs, state["w"] * xs + state["b"], color="C0", lw=2, label=label)
        ax.set(xlabel="x", ylabel="y")
        ax.legend(loc="upper left")
    elif info.kind in ("binary", "multiclass"):
        X, y = state["X"], state["y"]
        lo, hi = X.min(0) - 0.7, X.max(0) + 0.7
        gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], 150), np.linspace(lo[1], hi[1], 150))
        with mg.no_grad():
            out = state["model"](mg.Tensor(np.stack([gx.ravel(), gy.ravel()], 1))).data
        regions = ((out.reshape(-1) > 0).astype(int) if info.kind == "binary" else out.argmax(1)).reshape(gx.shape)
        ax.contourf(gx, gy, regions, alpha=0.25, levels=np.arange(regions.max() + 2) - 0.5, cmap="viridis")
        ax.scatter(X[:, 0], X[:, 1], c=y, s=12, cmap="viridis", edgecolors="k", linewidths=0.3)
        ax.set(xlabel="x₁", ylabel="x₂")
    elif info.kind in ("pairs", "triplets"):
        with mg.no_grad():
            E = state["model"](mg.Tensor(state["X"])).data
        ax.scatter(E[:, 0], E[:, 1], c=state["y"], cmap="viridis", s=18, edgecolors="k", linewidths=0.3)
        ax.set(xlabel="embedding dimension 1", ylabel="embedding dimension 2")
    else:
        k = np.arange(len(state["w_true"]))
        ax.bar(k - 0.2, state["w_true"], width=0.4, color="black", label="true weights")
        ax.bar(k + 0.2, state["w"], width=0.4, color="C0", label=label)
        ax.set(xlabel="weight index", ylabel="value")
        ax.legend()
    ax.set_title(f"after training with {label}", fontsize=10)


def convergence_note(label, metric, values):
    """None when the last tenth of a run is settled, else a sentence saying it has not converged.

    Settled: over the last max(5, steps/10) steps the metric moved by less than 1% of its
    size and swung by less than 5%.
    """
    values = np.asarray(values, dtype=float)
    k = max(5, len(values) // 10)
    if len(values) <= k:
        return None
    tail = values[-k - 1:]
    scale = max(np.abs(tail).max(), 1e-12)
    trend, swing = (tail[-1] - tail[0]) / scale, np.ptp(tail) / scale
    step = len(values)
    if abs(trend) > 0.01 and abs(trend) >= swing / 2:
        how = (f"still {'rising' if trend > 0 else 'falling'} at step {step} "
               f"({tail[0]:.3g} to {tail[-1]:.3g} over the last {k} steps)")
    elif swing > 0.05:
        how = f"still swinging at step {step} (between {tail.min():.3g} and {tail.max():.3g} over the last {k} steps)"
    else:
        return None
    return f"{label} has not converged: {metric} {how}; the number it ends on is not where it settles (try steps={2 * step})"


def convergence_figure(info, params, quick=False, steps=None):
    """Train on the kind's toy problem, beside the reference loss; returns (figure, [(label, history), ...])."""
    steps = steps or (QUICK_STEPS if quick else STEPS)
    k, train, label = kinds.kind(info, params), TRAIN[info.kind], _label(info, params)
    history, state = train(info, params, steps, quick)
    runs = [(label, history)]
    ref = reference_for(info)
    if info.kind == "penalty":
        runs.append(("mse alone (reference)", train(None, {}, steps, quick)[0]))
    elif ref is not None:
        runs.append((f"{_label(ref, ref.params)} (reference)", train(ref, ref.params, steps, quick)[0]))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    _draw_result(left, info, label, state)
    for (name, values), color in zip(runs, ["C0", "C1"]):
        right.plot(np.arange(1, steps + 1), values, color=color, lw=2, label=name)
    right.set(xlabel="training step (Adam, full batch)", ylabel=k.metric, yscale=k.metric_scale)
    right.legend()
    ours = runs[0][1][-1]
    if len(runs) == 1:
        verdict = f"{info.name} is the reference here ({ours:.3g})"
    elif np.isclose(ours, runs[1][1][-1], rtol=0.01):
        verdict = f"{info.name} ends level with the reference ({ours:.3g})"
    else:
        theirs = runs[1][1][-1]
        ahead = (ours > theirs) == k.higher_is_better
        verdict = f"{info.name} ends {'ahead of' if ahead else 'behind'} the reference ({ours:.3g} vs {theirs:.3g})"
    if convergence_note(label, k.metric, runs[0][1]):
        verdict += f"\n{info.name} has not converged at step {steps}"
    right.set_title(verdict, fontsize=10)
    fig.suptitle(f"{info.name} on {k.problem}")
    fig.tight_layout()
    return fig, runs


# ---- explore: both figures, returned, saved only when asked ------------------------------

@dataclass
class Exploration:
    """What `explore` made: the figures by name, the final numbers, warnings, files written, and
    a sentence for each training run that has not converged (`not_converged`)."""
    name: str
    params: dict
    figures: dict = field(default_factory=dict)
    numbers: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    paths: list = field(default_factory=list)
    not_converged: list = field(default_factory=list)

    def __repr__(self):
        numbers = ", ".join(f"{k}: {v:.3g}" for k, v in self.numbers.items())
        return (f"<Exploration of {self.name}: figures {', '.join(self.figures)}; {numbers}"
                + "".join(f"; {w}" for w in self.warnings) + ">")

    def close(self):
        """Close the figures (after saving them), so that a long script does not keep them in memory."""
        for fig in self.figures.values():
            plt.close(fig)


def explore(loss, *, steps=None, quick=False, out=None, verbose=True, **params):
    """Draw the two figures of `loss` (a name, a LossInfo or a registered function); return an Exploration.

    steps    training steps of the convergence figure (default 300; 40 with quick=True)
    quick    a coarser grid and fewer steps (what tests use)
    out      a folder: write explore_NAME[_param=value...]_{curves,convergence}.png there
    params   override the loss's defaults, e.g. explore("huber", delta=0.5)
    """
    info = get(loss)
    params = info.with_params(**params)
    k = kinds.kind(info, params)
    result = Exploration(info.name, params)
    if verbose:
        print(f"== explore {_label(info, params)}  [{info.kind}]")
    result.warnings = disagreements(k, _grid(k, quick))
    result.figures["curves"] = curves_figure(info, params, quick)
    result.figures["convergence"], runs = convergence_figure(info, params, quick, steps)
    for name, values in runs:
        result.numbers[name] = float(values[-1])
        note = convergence_note(name, k.metric, values)
        if note:
            result.not_converged.append(note)
    if out is not None:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for what, fig in result.figures.items():
            path = folder / f"{file_stem(info, params)}_{what}.png"
            fig.savefig(path, metadata={"Software": None})       # no version string: byte-stable
            result.paths.append(path)
    if verbose:
        for line in result.warnings:
            print(f"  {line}")
        for name, values in runs:
            print(f"  {name}: {k.metric} {values[-1]:.3g} after {len(values)} steps")
        for note in result.not_converged:
            print(f"  {note}")
        for path in result.paths:
            print(f"  wrote {path}")
    return result


# ---- interactive: the curves with a slider per numeric parameter --------------------------

SLIDER_FIGURE_WIDTH = 9.5     # inches: at 100 dpi it fits a notebook column, JupyterLab's sidebar open


@dataclass
class Sliders:
    """The interactive figure: `fig`, `sliders` {parameter: matplotlib Slider}, `lines` {panel: [Line2D]},
    the `reset` button (sliders back to their start, axes back to their limits) and the current `params`."""
    fig: object
    sliders: dict
    lines: dict
    params: dict
    reset: object = None

    def __repr__(self):
        return f"<Sliders for {', '.join(self.sliders) or 'no parameter'}; parameters now {self.params}>"


def _accepts(info, params):
    """True when the loss gives a finite value with these parameter values (a slider's end may not)."""
    try:
        value = kinds.kind(info, params).typical_value()
    except (ValueError, ZeroDivisionError):
        return False
    return bool(np.all(np.isfinite(value.data)))


def slider_range(info, name, value):
    """(low, high) for a parameter's slider: its declared range, an open end at max(1, 3·default)
    (`LossInfo.span`), moved inside where the loss accepts the value and gives finite numbers."""
    low, high = info.span(name)
    if not _accepts(info, info.with_params(**{name: high})):
        high = max(low + (high - low) / 100, min(high, max(1.0, abs(value))))
    if not _accepts(info, info.with_params(**{name: low})):
        low = low + (high - low) / 100
    return low, high


def _step(low, high):
    """A round slider step, about a hundredth of the range: values like 1.99, never 1.99477."""
    return float(10.0 ** np.floor(np.log10((high - low) / 100))) if high > low else None


def _fixed_limits(info, params, ranges, x):
    """y limits per panel that hold every curve the sliders can draw: the curves at each slider's
    ends and at the start, the top and bottom 2% of the points left out (1/p near p = 0)."""
    settings = [params] + [{**params, name: end} for name, span in ranges.items() for end in span]
    panels = [[], [], []]
    for setting in settings:
        k = kinds.kind(info, setting)
        for case in k.cases:
            for panel, values in zip(panels, derivatives(k, x, case)):
                panel.append(values)
            closed = info.closed_form(case, setting)
            if closed is not None:
                panels[1].append(closed(x))
    limits = []
    for panel in panels:
        data = np.concatenate(panel)
        data = data[np.isfinite(data)]
        lo, hi = np.percentile(data, [2, 98]) if data.size else (0.0, 1.0)
        pad = 0.1 * (hi - lo) if hi - lo > 1e-9 else max(0.5, 0.1 * abs(hi))
        limits.append((min(lo, 0) - pad, hi + pad))
    return limits


def interactive(loss, **params):
    """Loss, gradient and curvature of `loss` with a slider per numeric parameter (γ, δ, margin, λ ...).

    Each slider spans the parameter's declared range (`register(..., ranges=...)`), in round
    steps; moving it redraws the three panels (and the dashed closed-form gradient) on axes
    that stay fixed, so that curves can be compared as they move; `reset` puts the sliders and
    the axes back. The figure is 9.5 inches wide, a notebook column. In a notebook run
    `%matplotlib widget` first (ipympl); from the command line, `explore NAME --interactive`
    opens a window. Keep the returned Sliders: matplotlib needs a reference to its sliders
    for them to respond.
    """
    from matplotlib.widgets import Button, Slider

    info = get(loss)
    params = info.with_params(**params)
    numeric = {name: value for name, value in params.items() if kinds.is_number(value)}
    ranges = {name: slider_range(info, name, value) for name, value in numeric.items()}
    k = kinds.kind(info, {**params, **{n: hi for n, (lo, hi) in ranges.items()}})
    x = _grid(k)                           # wide enough for every slider position
    limits = _fixed_limits(info, params, ranges, x)
    fig, axes = plt.subplots(1, 3, figsize=(SLIDER_FIGURE_WIDTH, 3.4 + 0.4 * len(numeric)))
    fig.subplots_adjust(left=0.08, right=0.98, top=0.84, bottom=0.2 + 0.08 * len(numeric), wspace=0.35)
    lines = {"loss": [], "gradient": [], "curvature": [], "closed form": []}
    state = dict(params)
    for case in k.cases:
        label = info.name + (f", {case}" if case else "")
        for ax, key in zip(axes, ("loss", "gradient", "curvature")):
            lines[key] += ax.plot(x, np.zeros_like(x), lw=2, label=label)
        if info.gradient is not None:
            lines["closed form"] += axes[1].plot(x, np.zeros_like(x), color="black", ls="--", lw=1)
    axes[1].set_xlabel(k.axis_label)                 # one x axis for the three panels, named once
    for ax, name, lim in zip(axes, ["loss", "gradient (backward)", "curvature (second order)"], limits):
        ax.set_title(name, fontsize=10)
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(*lim)
    axes[0].legend(fontsize=8)

    def redraw(_=None):
        current = kinds.kind(info, state)
        for i, case in enumerate(current.cases):
            for key, values in zip(("loss", "gradient", "curvature"), derivatives(current, x, case)):
                lines[key][i].set_ydata(values)
            closed = info.closed_form(case, state)
            if closed is not None and lines["closed form"]:
                lines["closed form"][i].set_ydata(closed(x))
        fig.suptitle(_label(info, state, digits=3))
        fig.canvas.draw_idle()

    sliders = {}
    for i, (name, value) in enumerate(numeric.items()):
        lo, hi = ranges[name]
        ax = fig.add_axes([0.2, 0.03 + 0.08 * i, 0.5, 0.05])
        integer = isinstance(value, int)
        step = 1 if integer else _step(lo, hi)
        if step:
            lo = float(np.ceil(lo / step - 1e-9) * step) + 0.0    # a round start (+ 0.0: never -0): round steps
        slider = Slider(ax, name, lo, hi, valinit=value, valstep=step, valfmt="%.3g")

        def moved(v, name=name, integer=integer):
            state[name] = int(v) if integer else round(float(v), 12)
            redraw()
        slider.on_changed(moved)
        sliders[name] = slider

    def reset(_=None):
        for slider in sliders.values():
            slider.reset()
        for ax, lim in zip(axes, limits):
            ax.set_xlim(x[0], x[-1])
            ax.set_ylim(*lim)
        redraw()
    button = Button(fig.add_axes([0.82, 0.03, 0.12, 0.06]), "reset")
    button.on_clicked(reset)
    redraw()
    fig.workbench_sliders = (sliders, button)    # matplotlib keeps only weak references to its widgets' callbacks
    return Sliders(fig, sliders, lines, state, button)
