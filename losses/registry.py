"""The catalogue of losses: every built-in loss, and every loss a student registers.

Lessons and tools (`losses.check`, `python -m lessons explore NAME`) look a loss up here
by name. An entry (a `LossInfo`) carries what the tools need to feed the loss and to draw
it, without running it first:

    kind        what the loss compares, one of KINDS:
                "regression"  f(pred, target): predictions against real-valued targets
                "binary"      f(x, target): one output per sample against two classes
                "multiclass"  f(x, target): (N, C) outputs against class indices or one-hot rows
                "pairs"       f(x1, x2, y): two embeddings per pair, y = 0 similar, 1 dissimilar
                "triplets"    f(anchor, positive, negative) or f(embeddings, labels)
                "penalty"     f(params, ...): a regulariser over a list of weight tensors
    input       what the first argument holds: "prediction", "probability", "logit",
                "score", "embedding" or "weights" (each kind has a default)
    target      the label convention: "0/1" or "-1/+1" (binary), "index" or "one-hot"
                (multiclass), "0 similar / 1 dissimilar" (pairs)
    params      the loss's own parameters and their defaults, read from its signature
                (everything after the inputs, except `reduction`)
    gradient    optional closed-form derivative along the kind's axis (see `AXES`), a numpy
                function g(x, **params); the explore figure draws it dashed over the
                engine's gradient. For pairs, a dict {"similar": g, "dissimilar": g}.

Registering a loss of your own:

    >>> import minigrad as mg
    >>> from losses import _checks, _reduce
    >>> @register(kind="regression", gradient=lambda r: 2 * r)
    ... def squared_error(pred, target, reduction="mean"):
    ...     pred, target = _checks.same_shape(pred, target, fn="squared_error")
    ...     return _reduce.apply((pred - target) ** 2, reduction, fn="squared_error")
    >>> get("squared_error").kind, get("squared_error").params
    ('regression', {})
    >>> unregister("squared_error")
"""
import importlib
import inspect
from dataclasses import dataclass, field

import numpy as np

KINDS = ("regression", "binary", "multiclass", "pairs", "triplets", "penalty")

# how many leading arguments are data (inputs and targets) rather than parameters
_N_INPUTS = {"regression": 2, "binary": 2, "multiclass": 2, "pairs": 3, "triplets": 3, "penalty": 1}
_DEFAULT_INPUT = {"regression": "prediction", "binary": "logit", "multiclass": "logit",
                  "pairs": "embedding", "triplets": "embedding", "penalty": "weights"}
_INPUTS_ALLOWED = {"regression": ("prediction",),
                   "binary": ("logit", "score", "probability"),
                   "multiclass": ("logit", "score", "probability"),
                   "pairs": ("embedding",), "triplets": ("embedding",), "penalty": ("weights",)}
_DEFAULT_TARGET = {"regression": "real", "binary": "0/1", "multiclass": "index",
                   "pairs": "0 similar / 1 dissimilar", "triplets": "labels", "penalty": "none"}
_TARGETS_ALLOWED = {"binary": ("0/1", "-1/+1"), "multiclass": ("index", "one-hot")}


@dataclass
class LossInfo:
    """One catalogue entry: the loss function and what the tools need to know about it.

    Calling the entry calls the loss: `get("mse")(pred, target)`.
    """
    name: str
    fn: object
    kind: str
    input: str
    target: str
    inputs: tuple            # names of the data arguments, e.g. ("pred", "target")
    params: dict             # parameter name -> default, e.g. {"delta": 1.0}
    has_reduction: bool
    gradient: object = None
    description: str = ""
    builtin: bool = False
    extra: dict = field(default_factory=dict)

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    @property
    def batch_form(self):
        """True for a triplet loss over a labelled batch: f(embeddings, labels)."""
        return self.kind == "triplets" and len(self.inputs) == 2

    def with_params(self, **overrides):
        """The defaults with `overrides` applied; an unknown name raises ValueError."""
        unknown = set(overrides) - set(self.params)
        if unknown:
            known = ", ".join(self.params) or "none"
            raise ValueError(f"{self.name}: unknown parameter {', '.join(sorted(unknown))}; "
                             f"its parameters are: {known}")
        return {**self.params, **overrides}

    def signature(self, params=None):
        """How the loss is called, e.g. `huber(pred, target, delta=1.0)` (with `params` if given)."""
        params = self.params if params is None else params
        args = list(self.inputs) + [f"{k}={v!r}" for k, v in params.items()]
        return f"{self.name}({', '.join(args)})"

    def analytic_gradient(self, case=None):
        """The closed-form gradient along the kind's axis for `case` (None if not given)."""
        g = self.gradient
        if isinstance(g, dict):
            g = g.get(case)
        return g

    def __repr__(self):
        origin = "built-in" if self.builtin else "registered"
        return f"<{origin} loss {self.signature()}, kind={self.kind!r}, input={self.input!r}>"


_catalogue = {}
_builtins_loaded = False


def _describe(fn):
    doc = inspect.getdoc(fn) or ""
    return doc.splitlines()[0] if doc else ""


def make_info(fn, *, name=None, kind="regression", input=None, target=None, gradient=None,
              defaults=None, description=None, builtin=False):
    """A LossInfo for `fn` with its parameters read from the signature (see `register`)."""
    name = name or getattr(fn, "__name__", None)
    if not name or not isinstance(name, str):
        raise ValueError("register: give the loss a name, register(name=...)")
    if kind not in KINDS:
        raise ValueError(f"register: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    input = input or _DEFAULT_INPUT[kind]
    if input not in _INPUTS_ALLOWED[kind]:
        raise ValueError(f"register: for kind {kind!r}, input must be one of "
                         f"{', '.join(_INPUTS_ALLOWED[kind])}, got {input!r}")
    target = target or ("-1/+1" if kind == "binary" and input == "score" else _DEFAULT_TARGET[kind])
    if kind in _TARGETS_ALLOWED and target not in _TARGETS_ALLOWED[kind]:
        raise ValueError(f"register: for kind {kind!r}, target must be one of "
                         f"{', '.join(_TARGETS_ALLOWED[kind])}, got {target!r}")
    if gradient is not None and not (callable(gradient) or isinstance(gradient, dict)):
        raise ValueError("register: gradient must be a function g(x, **params) or, for pairs, "
                         "a dict {'similar': g, 'dissimilar': g}")
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        raise ValueError(f"register: cannot read the signature of {name}") from None
    positional = [p for p in sig.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    required = [p.name for p in positional if p.default is p.empty and p.kind != p.KEYWORD_ONLY]
    n_inputs = _N_INPUTS[kind]
    if kind == "triplets" and len(required) == 2:
        n_inputs = 2                                  # the batch form f(embeddings, labels)
    if len(required) < n_inputs:
        raise ValueError(
            f"register: a {kind} loss takes {n_inputs} data arguments first "
            f"(e.g. {_example_call(kind)}), but {name}{sig} has only {len(required)} "
            f"without a default")
    inputs = tuple(required[:n_inputs])
    defaults = dict(defaults or {})
    params = {}
    for p in positional:
        if p.name in inputs or p.name == "reduction":
            continue
        if p.default is not p.empty:
            params[p.name] = defaults.pop(p.name, p.default)
        elif p.name in defaults:
            params[p.name] = defaults.pop(p.name)
        else:
            raise ValueError(f"register: {name}'s parameter {p.name!r} has no default; "
                             f"give one with register(..., defaults={{{p.name!r}: value}})")
    if defaults:
        raise ValueError(f"register: defaults for unknown parameters {', '.join(defaults)} of {name}")
    return LossInfo(name=name, fn=fn, kind=kind, input=input, target=target, inputs=inputs,
                    params=params, has_reduction="reduction" in sig.parameters,
                    gradient=gradient, description=description or _describe(fn), builtin=builtin)


def _example_call(kind):
    return {"regression": "pred, target", "binary": "logits, target", "multiclass": "logits, target",
            "pairs": "x1, x2, y", "triplets": "anchor, positive, negative",
            "penalty": "params"}[kind]


def register(fn=None, *, name=None, kind="regression", input=None, target=None, gradient=None,
             defaults=None, description=None, replace=False):
    """Add a loss to the catalogue; use it as `@register` or `@register(kind=..., ...)`.

    name        the catalogue name (default: the function's name)
    kind        "regression" (default), "binary", "multiclass", "pairs", "triplets", "penalty"
    input       what the first argument holds (binary/multiclass: "logit" (default), "score"
                or "probability")
    target      binary: "0/1" (default; "-1/+1" for scores), multiclass: "index" or "one-hot"
    gradient    optional closed-form derivative along the kind's axis, for overlays
    defaults    values for parameters that have no default in the signature
    replace     allow replacing a built-in loss of the same name

    Registering a name again replaces the earlier entry (rerunning a notebook cell does
    that); replacing a built-in needs replace=True. Returns the function unchanged.
    """
    def add(f):
        info = make_info(f, name=name, kind=kind, input=input, target=target, gradient=gradient,
                         defaults=defaults, description=description)
        _load_builtins()
        old = _catalogue.get(info.name)
        if old is not None and old.builtin and not replace:
            raise ValueError(f"register: {info.name!r} is a built-in loss; choose another name "
                             f"(register(name='my_{info.name}')) or pass replace=True")
        _catalogue[info.name] = info
        return f
    return add if fn is None else add(fn)


def unregister(name):
    """Remove a registered (not built-in) loss from the catalogue."""
    info = get(name)
    if info.builtin:
        raise ValueError(f"unregister: {name!r} is a built-in loss")
    del _catalogue[name]


def catalogue(kind=None):
    """{name: LossInfo} of every loss, built-in and registered (optionally of one kind)."""
    _load_builtins()
    return {n: i for n, i in sorted(_catalogue.items()) if kind is None or i.kind == kind}


def get(loss):
    """The LossInfo for a name, a LossInfo, or a registered loss function."""
    _load_builtins()
    if isinstance(loss, LossInfo):
        return loss
    if isinstance(loss, str):
        if loss not in _catalogue:
            close = [n for n in _catalogue if loss.lower() in n or n in loss.lower()]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise KeyError(f"no loss named {loss!r} in the catalogue{hint} "
                           f"(known: {', '.join(sorted(_catalogue))}); add yours with @losses.register")
        return _catalogue[loss]
    for info in _catalogue.values():
        if info.fn is loss:
            return info
    raise KeyError(f"{getattr(loss, '__name__', loss)!r} is not registered: decorate it with "
                   f"@losses.register(kind=...), or pass kind= to losses.check")


# ---- the built-in losses ----------------------------------------------------------
# Closed-form gradients along each kind's axis (see losses/_kinds.py, `axis`):
#   regression: x = ŷ - y;  binary: x = logit or score with y = 1, or p with y = 1;
#   multiclass: logits (x, 0, 0) or probabilities (x, (1-x)/2, (1-x)/2), true class 0;
#   pairs: x = D;  triplets: x = d(a,p) - d(a,n);  penalty: x = one weight w.

def _sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _focal_gradient(p, gamma, alpha):
    # L = -α (1-p)^γ log p with dp/dz = p(1-p):  dL/dz = α (1-p)^γ (γ p log p - (1 - p))
    return (1.0 if alpha is None else alpha) * (1 - p) ** gamma * (gamma * p * np.log(p) - (1 - p))


def _ce_gradient(x, label_smoothing=0.0, weight=None):
    # logits (x, 0, 0), class 0, p0 = e^x / (e^x + 2). As PyTorch weighs a smoothed target,
    # L = (1-ε) w0 (-log p0) + (ε/3) Σ_c w_c (-log p_c), and d(-log p_c)/dx = p0 - [c = 0]:
    # dL/dx = (1-ε) w0 (p0 - 1) + (ε/3)(W p0 - w0), W = Σ_c w_c   (= p0 - (1 - ε + ε/3) unweighted)
    w = np.ones(3) if weight is None else np.asarray(weight, dtype=float)
    p0, eps = _sigmoid(x - np.log(2.0)), label_smoothing
    return (1 - eps) * w[0] * (p0 - 1) + eps / 3 * (w.sum() * p0 - w[0])


_BUILTINS = [
    # module, function, metadata
    ("regression", "mse", dict(kind="regression", gradient=lambda x: 2 * x)),
    ("regression", "mae", dict(kind="regression", gradient=lambda x: np.sign(x))),
    ("regression", "huber", dict(kind="regression",
                                 gradient=lambda x, delta=1.0: np.clip(x, -delta, delta))),
    ("custom", "log_cosh", dict(kind="regression", gradient=lambda x: np.tanh(x))),
    ("classification", "binary_cross_entropy",
     dict(kind="binary", input="probability", gradient=lambda p: -1 / p)),
    ("classification", "binary_cross_entropy_with_logits",
     dict(kind="binary", input="logit",
          gradient=lambda z, pos_weight=None: (1.0 if pos_weight is None else pos_weight) * (_sigmoid(z) - 1))),
    ("classification", "categorical_cross_entropy",
     dict(kind="multiclass", input="probability", target="one-hot", gradient=lambda p: -1 / p)),
    ("classification", "cross_entropy",
     dict(kind="multiclass", input="logit", target="index", gradient=_ce_gradient)),
    ("hinge", "hinge", dict(kind="binary", input="score", target="-1/+1",
                            gradient=lambda m: np.where(m < 1, -1.0, 0.0))),
    ("hinge", "squared_hinge", dict(kind="binary", input="score", target="-1/+1",
                                    gradient=lambda m: -2 * np.maximum(0, 1 - m))),
    ("hinge", "multiclass_hinge",
     dict(kind="multiclass", input="score", target="index",
          gradient=lambda x, margin=1.0: np.where(x < margin, -2.0, 0.0))),
    ("focal", "focal", dict(kind="binary", input="logit",
                            gradient=lambda z, alpha=0.25, gamma=2.0: _focal_gradient(_sigmoid(z), gamma, alpha))),
    ("focal", "softmax_focal",
     dict(kind="multiclass", input="logit", target="index",
          gradient=lambda x, gamma=2.0, alpha=None: (
              _focal_gradient(_sigmoid(x - np.log(2.0)), gamma, None) if alpha is None
              else np.full_like(x, np.nan)))),
    ("contrastive", "contrastive",
     dict(kind="pairs", gradient={"similar": lambda d: 2 * d,
                                  "dissimilar": lambda d, margin=1.0: -2 * np.maximum(0, margin - d)})),
    ("triplet", "triplet",
     dict(kind="triplets", gradient=lambda x, margin=1.0, squared=False: (
         np.where(x + margin > 0, 1.0, 0.0) if not squared else np.full_like(x, np.nan)))),
    ("triplet", "batch_triplet", dict(kind="triplets")),
    ("regularization", "l1_penalty", dict(kind="penalty", defaults={"lam": 0.1},
                                          gradient=lambda w, lam: lam * np.sign(w))),
    ("regularization", "l2_penalty", dict(kind="penalty", defaults={"lam": 0.1},
                                          gradient=lambda w, lam: 2 * lam * w)),
    ("regularization", "elastic_net", dict(kind="penalty", defaults={"l1": 0.1, "l2": 0.1},
                                           gradient=lambda w, l1, l2: l1 * np.sign(w) + 2 * l2 * w)),
]

BUILTIN_NAMES = tuple(name for _, name, _ in _BUILTINS)


def _load_builtins():
    """Put the built-in losses in the catalogue, on first use.

    Done lazily rather than at import, so that any losses module may import this one
    without an import cycle.
    """
    global _builtins_loaded
    if _builtins_loaded:
        return
    _builtins_loaded = True
    for module_name, fn_name, meta in _BUILTINS:
        module = importlib.import_module(f"losses.{module_name}")
        info = make_info(getattr(module, fn_name), name=fn_name, builtin=True, **meta)
        _catalogue.setdefault(fn_name, info)
