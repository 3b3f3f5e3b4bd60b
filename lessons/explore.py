"""Explore any registered loss: the standard figures, drawn from its catalogue entry.

    python -m lessons explore huber --param delta=0.5
    python -m lessons explore my_loss --import my_losses.py --quick --out /tmp/plots

Two figures, written to plots/explore_NAME_curves.png and plots/explore_NAME_convergence.png:

* curves: the loss, its gradient (from backward) and its curvature (from second-order
  autodiff) along the axis that fits its kind — the residual, the logit or probability of
  the true class, the distance of a pair, d(a,p) − d(a,n), a weight — next to the
  reference loss of that kind, with the closed-form gradient dashed where one is registered;
* convergence: the loss trains a small model on the toy problem of its kind, next to the
  reference loss (MSE, cross-entropy, contrastive, triplet, or no penalty), measured by one
  number both can be compared on (distance to the true line, accuracy, class separation,
  test error).
"""
import numpy as np

import losses
import minigrad as mg
from losses import _kinds
from losses.checking import check

from . import _common
from ._common import Report, plt

# the loss each kind is compared against
REFERENCE = {("regression", None): "mse", ("binary", "probability"): "binary_cross_entropy",
             ("binary", None): "binary_cross_entropy_with_logits",
             ("multiclass", "probability"): "categorical_cross_entropy",
             ("multiclass", None): "cross_entropy", ("pairs", None): "contrastive",
             ("triplets", None): "triplet", ("penalty", None): None}


def reference_for(info):
    key = (info.kind, info.input) if (info.kind, info.input) in REFERENCE else (info.kind, None)
    name = REFERENCE[key]
    return None if name is None or name == info.name else losses.get(name)


def _label(info, params):
    shown = {k: v for k, v in params.items() if v is not None}
    inner = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in shown.items())
    return f"{info.name}({inner})" if inner else info.name


def _accepting(fn, params):
    """fn called with only the parameters its signature names (all of them if it has **kwargs)."""
    import inspect
    sig = inspect.signature(fn)
    if any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values()):
        return lambda x: fn(x, **params)
    names = list(sig.parameters)[1:]
    return lambda x: fn(x, **{k: v for k, v in params.items() if k in names})


# ---- figure 1: loss, gradient and curvature along the kind's axis ---------------------

def curves_figure(info, params, quick=False):
    adapter = _kinds.adapter(info, params)
    lo, hi = adapter.axis_range(params)
    # an even count keeps x = 0 off the grid, where a kink's one-sided convention would show as a spike
    # (pairs start at distance 0 on purpose)
    x = np.linspace(lo, hi, 80 if quick else 240)
    curves, analytic = {}, {}
    entries = [(info, params)]
    ref = reference_for(info)
    if ref is not None:
        entries.append((ref, ref.params))
    nothing = lambda x: np.full_like(x, np.nan)      # noqa: E731 - no closed-form value or curvature drawn
    for entry, entry_params in entries:
        entry_adapter = _kinds.adapter(entry, entry_params)
        for case in entry_adapter.cases:
            label = _label(entry, entry_params) + (f", {case}" if case else "")
            if entry is ref:
                label += " (reference)"
            curves[label] = (lambda e, p, c: lambda t: e.along(t, p, c))(entry_adapter, entry_params, case)
            g = entry.analytic_gradient(case)
            if g is not None:
                analytic[label] = (nothing, _accepting(g, entry_params), nothing)
    robust = check(info, verbose=False, **params)["robust"].detail
    if info.kind == "penalty":
        verdict = ("the same pull on every weight, however large" if robust.startswith("yes")
                   else "the pull grows with the weight: large weights shrink most")
    else:
        verdict = ("bounded gradient: robust to outliers" if robust.startswith("yes")
                   else "gradient grows without bound: the worst samples dominate")
    title = f"{_label(info, params)} [{info.kind}]: {verdict}"
    fig = _common.loss_gradient_curvature(curves, x, adapter.axis_label, title, analytic or None)
    for ax in fig.axes:
        _clip_axis(ax)
    return fig


def _clip_axis(ax):
    """Keep a curve that shoots up (1/p near p = 0) from flattening every other curve."""
    data = np.concatenate([line.get_ydata() for line in ax.get_lines()
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


def _binary_targets(info, y):
    return 2 * y - 1 if info.target == "-1/+1" else y


def _multiclass_targets(info, y, C):
    return np.eye(C)[y] if info.target == "one-hot" else y


def _train_regression(info, params, steps, quick):
    x, y = _common.line_with_outliers(n=60 if quick else 100, seed=0)
    w, b = mg.Tensor(0.0, requires_grad=True), mg.Tensor(0.0, requires_grad=True)
    error = []
    _common.fit([w, b], lambda: info(w * x + b, y, **params), steps, lr=0.1,
                on_step=lambda s: error.append(np.hypot(w.item() - 2.0, b.item() - 1.0)))
    return np.array(error), dict(x=x, y=y, w=w.item(), b=b.item())


def _train_binary(info, params, steps, quick):
    X, y = _common.two_moons(n=100 if quick else 200, seed=0)
    model = _common.mlp([2, 16, 1], seed=1)
    target = _binary_targets(info, y)
    accuracy = []

    def loss():
        return info(_model_inputs(info, model(X).reshape(-1)), target, **params)

    def record(step):
        with mg.no_grad():
            accuracy.append(np.mean((model(X).data.reshape(-1) > 0) == (y == 1)))
    _common.fit(model.parameters(), loss, steps, lr=0.03, on_step=record)
    return np.array(accuracy), dict(X=X, y=y, model=model)


def _train_multiclass(info, params, steps, quick):
    X, y = _common.blobs(n_per_class=20 if quick else 40, std=1.1, seed=0)
    model = _common.mlp([2, 16, 3], seed=1)
    target = _multiclass_targets(info, y, 3)
    accuracy = []

    def loss():
        return info(_model_inputs(info, model(X)), target, **params)

    def record(step):
        with mg.no_grad():
            accuracy.append(np.mean(model(X).data.argmax(1) == y))
    _common.fit(model.parameters(), loss, steps, lr=0.03, on_step=record)
    return np.array(accuracy), dict(X=X, y=y, model=model)


def _separation(E, y):
    """Mean distance between points of different classes over that within classes (higher is better)."""
    d = np.sqrt(((E[:, None, :] - E[None, :, :]) ** 2).sum(-1))
    same = (y[:, None] == y[None, :]) & ~np.eye(len(y), dtype=bool)
    differ = y[:, None] != y[None, :]
    return d[differ].mean() / max(d[same].mean(), 1e-12)


def _embedding_problem(quick):
    X, y = _common.blobs(n_per_class=10 if quick else 20, centers=((-1, 0), (1, 0), (0, 1.5)),
                         std=0.8, seed=0)
    return X, y


def _train_pairs(info, params, steps, quick):
    X, y = _embedding_problem(quick)
    rng = _common.rng(3)
    i, j = rng.integers(0, len(y), (2, 150 if quick else 300))
    same = (y[i] == y[j]).astype(float)
    model = _common.mlp([2, 16, 2], seed=1)
    separation = []

    def loss():
        E = model(X)
        return info(E[i], E[j], 1.0 - same, **params)     # Y = 0 similar, 1 dissimilar

    def record(step):
        with mg.no_grad():
            separation.append(_separation(model(X).data, y))
    _common.fit(model.parameters(), loss, steps, lr=0.02, on_step=record)
    return np.array(separation), dict(X=X, y=y, model=model)


def _train_triplets(info, params, steps, quick):
    X, y = _embedding_problem(quick)
    rng = _common.rng(4)
    anchors = rng.integers(0, len(y), 300)
    positives = np.array([rng.choice(np.flatnonzero((y == y[a]) & (np.arange(len(y)) != a))) for a in anchors])
    negatives = np.array([rng.choice(np.flatnonzero(y != y[a])) for a in anchors])
    model = _common.mlp([2, 16, 2], seed=1)
    separation = []

    def loss():
        E = model(X)
        if info.batch_form:
            return info(E, y, **params)
        return info(E[anchors], E[positives], E[negatives], **params)

    def record(step):
        with mg.no_grad():
            separation.append(_separation(model(X).data, y))
    _common.fit(model.parameters(), loss, steps, lr=0.02, on_step=record)
    return np.array(separation), dict(X=X, y=y, model=model)


def _sparse_problem():
    rng = _common.rng(5)
    w_true = np.array([3.0, -2.0, 1.5] + [0.0] * 7)
    X, X_test = rng.standard_normal((15, 10)), rng.standard_normal((200, 10))
    return X, X @ w_true + 0.5 * rng.standard_normal(15), X_test, X_test @ w_true, w_true


def _train_penalty(info, params, steps, quick):
    X, y, X_test, y_test, w_true = _sparse_problem()
    w = mg.Tensor(np.zeros(10), requires_grad=True)
    test_error = []

    def loss():
        fit = losses.mse(X @ w, y)
        return fit if info is None else fit + info([w], **params)

    _common.fit([w], loss, steps, lr=0.05,
                on_step=lambda s: test_error.append(np.mean((X_test @ w.data - y_test) ** 2)))
    return np.array(test_error), dict(w=w.data.copy(), w_true=w_true)


TRAIN = {"regression": _train_regression, "binary": _train_binary, "multiclass": _train_multiclass,
         "pairs": _train_pairs, "triplets": _train_triplets, "penalty": _train_penalty}
METRIC = {"regression": ("error of (slope, intercept)", "log"),
          "binary": ("training accuracy", "linear"), "multiclass": ("training accuracy", "linear"),
          "pairs": ("separation: between / within-class distance", "linear"),
          "triplets": ("separation: between / within-class distance", "linear"),
          "penalty": ("test mean squared error", "log")}
PROBLEM = {"regression": "a line with 10% outliers", "binary": "two moons, a 2-16-1 network",
           "multiclass": "three blobs, a 2-16-3 network", "pairs": "pairs from three blobs, a 2-16-2 embedding",
           "triplets": "triplets from three blobs, a 2-16-2 embedding",
           "penalty": "10 weights, 3 of them non-zero, 15 samples"}


def _draw_result(ax, info, label, state):
    kind = info.kind
    if kind == "regression":
        ax.scatter(state["x"], state["y"], s=10, color="gray", label="data (10% outliers)")
        xs = np.linspace(-3, 3, 2)
        ax.plot(xs, 2 * xs + 1, color="black", ls="--", label="true line")
        ax.plot(xs, state["w"] * xs + state["b"], color="C0", lw=2, label=label)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(loc="upper left")
    elif kind in ("binary", "multiclass"):
        model = state["model"]

        def predict(points):
            with mg.no_grad():
                out = model(mg.Tensor(points)).data
            return (out.reshape(-1) > 0).astype(int) if kind == "binary" else out.argmax(1)
        _common.decision_regions(ax, predict, state["X"], state["y"])
    elif kind in ("pairs", "triplets"):
        with mg.no_grad():
            E = state["model"](mg.Tensor(state["X"])).data
        ax.scatter(E[:, 0], E[:, 1], c=state["y"], cmap="viridis", s=18, edgecolors="k", linewidths=0.3)
        ax.set_xlabel("embedding dimension 1")
        ax.set_ylabel("embedding dimension 2")
    else:
        k = np.arange(len(state["w_true"]))
        ax.bar(k - 0.2, state["w_true"], width=0.4, color="black", label="true weights")
        ax.bar(k + 0.2, state["w"], width=0.4, color="C0", label=label)
        ax.set_xlabel("weight index")
        ax.set_ylabel("value")
        ax.legend()
    ax.set_title(f"after training with {label}", fontsize=10)


def convergence_figure(info, params, quick=False):
    steps = 40 if quick else 300
    train = TRAIN[info.kind]
    label = _label(info, params)
    metric, scale = METRIC[info.kind]
    history, state = train(info, params, steps, quick)
    runs = [(label, history)]
    if info.kind == "penalty":
        runs.append(("mse alone (reference)", train(None, {}, steps, quick)[0]))
    else:
        ref = reference_for(info)
        if ref is not None:
            runs.append((f"{_label(ref, ref.params)} (reference)", train(ref, ref.params, steps, quick)[0]))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    _draw_result(left, info, label, state)
    for (name, values), color in zip(runs, ["C0", "C1"]):
        right.plot(np.arange(1, steps + 1), values, color=color, lw=2, label=name)
    right.set_xlabel("training step (Adam, full batch)")
    right.set_ylabel(metric)
    right.set_yscale(scale)
    right.legend()
    if len(runs) > 1:
        ours, theirs = runs[0][1][-1], runs[1][1][-1]
        if np.isclose(ours, theirs, rtol=0.01):
            verdict = f"{info.name} ends level with the reference ({ours:.3g})"
        else:
            better = (ours < theirs) == (info.kind in ("regression", "penalty"))
            verdict = (f"{info.name} ends {'ahead of' if better else 'behind'} the reference "
                       f"({ours:.3g} vs {theirs:.3g})")
    else:
        verdict = f"{info.name} is the reference here ({runs[0][1][-1]:.3g})"
    right.set_title(verdict, fontsize=10)
    fig.suptitle(f"{info.name} on {PROBLEM[info.kind]}")
    fig.tight_layout()
    return fig, runs


def explore(loss, quick=False, **params):
    """Write the two explore figures for `loss` (a name or LossInfo); return the Report.

    `params` override the loss's defaults (what --param k=v passes).
    """
    info = losses.get(loss)
    params = info.with_params(**params)
    report = Report(f"explore_{info.name}")
    print(f"== explore {_label(info, params)}  [{info.kind}]")
    report.save(curves_figure(info, params, quick), "curves")
    fig, runs = convergence_figure(info, params, quick)
    report.save(fig, "convergence")
    for name, values in runs:
        report.numbers[name] = float(values[-1])
        print(f"  {name}: {METRIC[info.kind][0]} {values[-1]:.3g} after {len(values)} steps")
    return report
