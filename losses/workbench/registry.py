"""The catalogue of losses: every built-in loss, and every loss a student registers.

`losses.check`, `losses.explore` and the command line look a loss up here by name; its
entry (a `LossInfo`) says how to feed and draw it without running it first. A registered
loss may be just its formula: `register` makes its data arguments tensors, validates
them for the kind and applies `reduction="mean" | "sum" | "none"`:

    >>> import losses
    >>> @losses.register(kind="regression", gradient=lambda r: 2 * r)
    ... def squared_error(pred, target):
    ...     return (pred - target) ** 2               # one value per element
    >>> squared_error([1.0, 2.0], [0.0, 0.0]).item(), squared_error([1.0, 2.0], [0.0, 0.0], reduction="sum").item()
    (2.5, 5.0)
    >>> squared_error([[1.0], [2.0]], [0.0, 0.0])             # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: squared_error: pred and target must have the same shape, ...; did you mean pred.reshape(-1)?
    >>> losses.unregister("squared_error")

A formula whose signature takes `reduction` applies it itself (with
`losses.reduce.apply`); a penalty takes no reduction.
"""
import difflib
import functools
import importlib
import inspect
import numbers
from dataclasses import dataclass, field

import numpy as np

import minigrad as mg

from .. import reduce
from .kinds import KINDS


@dataclass
class LossInfo:
    """One catalogue entry: the loss function and what the tools need to know about it.

    Calling the entry calls the loss: `get("mse")(pred, target)`.
    """
    name: str
    fn: object               # what is called: the registered wrapper, or the built-in loss
    kind: str
    input: str
    target: str
    inputs: tuple            # names of the data arguments, e.g. ("pred", "target")
    params: dict             # parameter name -> default, e.g. {"delta": 1.0}
    has_reduction: bool
    gradient: object = None  # closed form g(x, **params) along the kind's axis; pairs: {"similar": g, ...}
    description: str = ""
    builtin: bool = False
    formula: object = None   # the function as written, before `register` wrapped it
    ranges: dict = field(default_factory=dict)   # parameter name -> (low, high), None for an open end

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    @property
    def batch_form(self):
        """True for a loss in its kind's batch form, e.g. a triplet loss f(embeddings, labels)."""
        return len(self.inputs) != len(KINDS[self.kind].data)

    def with_params(self, **overrides):
        """The defaults with `overrides` applied; an unknown name, or a value outside its range, raises ValueError."""
        unknown = sorted(set(overrides) - set(self.params))
        if unknown:
            raise ValueError(f"{self.name}: unknown parameter {', '.join(unknown)}"
                             f"{_did_you_mean(unknown, self.params)}; "
                             f"its parameters are: {', '.join(self.params) or 'none'}")
        params = {**self.params, **overrides}
        self.check_ranges(params)
        return params

    def check_ranges(self, params):
        """ValueError naming the loss for a parameter value outside its declared range."""
        for name, (low, high) in self.ranges.items():
            value = params.get(name)
            if value is None:
                continue                                   # None: the option is off (alpha=None)
            inside = (isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value
                      and (low is None or value >= low) and (high is None or value <= high))
            if not inside:
                raise ValueError(f"{self.name}: {name} must lie in {_interval(low, high)} (the range it was "
                                 f"registered with), got {value!r}")

    def span(self, name):
        """(low, high), finite: where a slider for `name` runs and where `check` sweeps it.

        The declared range; an open end becomes max(1, 3·default) above and 0 (or its
        mirror, for a negative default) below.
        """
        value = self.params[name]
        low, high = self.ranges.get(name, (None, None))
        if high is None:
            high = max(1.0, 3.0 * abs(value), (low or 0.0) + 1.0)
        if low is None:
            low = 0.0 if value >= 0 else -high
        return float(low), float(high)

    def signature(self, params=None):
        """How the loss is called, e.g. `huber(pred, target, delta=1.0)` (with `params` if given)."""
        params = self.params if params is None else params
        return f"{self.name}({', '.join(list(self.inputs) + [f'{k}={v!r}' for k, v in params.items()])})"

    def closed_form(self, case=None, params=None):
        """The closed-form gradient along the kind's axis as a function of x alone, or None."""
        g = self.gradient.get(case) if isinstance(self.gradient, dict) else self.gradient
        if g is None:
            return None
        params = self.params if params is None else params
        sig = inspect.signature(g)
        if not any(p.kind == p.VAR_KEYWORD for p in sig.parameters.values()):
            params = {k: v for k, v in params.items() if k in list(sig.parameters)[1:]}
        return functools.partial(self._slope, g, params)

    def _slope(self, g, params, x):
        """g(x, **params) as a float array of x's shape; anything else is an error naming the loss."""
        where = f"{self.name}: the closed-form gradient (register(..., gradient=...))"
        try:
            out = g(x, **params)
        except Exception as err:    # noqa: BLE001 - re-raised, naming the loss
            raise _retold(err, f"{where} raised {type(err).__name__} at x of shape {np.shape(x)}: {err}") from err
        if isinstance(out, mg.Tensor):
            raise TypeError(f"{where} returned a minigrad Tensor; it receives a numpy array x and returns one: "
                            f"write it with numpy (np.tanh(x), np.where(...)), the engine is not needed there")
        out = np.asarray(out)
        if out.dtype.kind not in "iuf":
            raise TypeError(f"{where} returned {type(out).__name__} of dtype {out.dtype}; it should return "
                            f"numbers, one slope per point of x")
        if out.shape not in ((), np.shape(x)):
            raise ValueError(f"{where} returned shape {out.shape} for x of shape {np.shape(x)}; expected "
                             f"{np.shape(x)}: one slope per point (did it reduce, or index, x?)")
        return out.astype(float) + np.zeros_like(x, dtype=float)

    def __repr__(self):
        origin = "built-in" if self.builtin else "registered"
        return f"<{origin} loss {self.signature()}, kind={self.kind!r}, input={self.input!r}>"


_catalogue = {}
_builtins_loaded = False


def _did_you_mean(names, known):
    """' (did you mean tau?)' for a misspelt name (taux), or ''."""
    close = [m for n in names for m in difflib.get_close_matches(n, list(known), n=1)]
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _interval(low, high):
    return f"[{'-inf' if low is None else f'{low:g}'}, {'inf' if high is None else f'{high:g}'}]"


def _retold(err, text):
    """An exception of err's type with the message `text` (a RuntimeError if that type takes other arguments)."""
    try:
        return type(err)(text)
    except Exception:    # noqa: BLE001 - an exception type that cannot be built from a message
        return RuntimeError(text)


def _named(err, name, hint=""):
    """`err` itself if its message already starts with the loss's name, else the same error retold naming it."""
    if str(err).startswith(f"{name}:"):
        return err
    return _retold(err, f"{name}: the formula raised {type(err).__name__}: {err}{hint}")


def _check_values(values, name, kind, data, reduction):
    """The formula's result: a float Tensor with one value per element or sample (one number once reduced)."""
    if not isinstance(values, mg.Tensor):
        raise TypeError(f"{name}: returned {type(values).__name__}, not a minigrad Tensor: build the "
                        f"formula from minigrad ops (tensor arithmetic, .exp(), .log(), mg.relu, ...)")
    if values.dtype.kind != "f":
        raise TypeError(f"{name}: the formula returned a tensor of {values.dtype} (a comparison such as "
                        f"pred > target?); a loss is built from float operations that the engine can "
                        f"differentiate: to pick between two expressions use mg.where(condition, a, b)")
    if reduction in ("mean", "sum") or not kind.values:
        if values.size != 1:
            what = f"with reduction={reduction!r}" if kind.values else "as a penalty"
            raise ValueError(f"{name}: the formula returned shape {values.shape} {what}; expected a single "
                             f"number (shape ())")
        return
    expected = kind.expected_shape(data)
    if values.ndim == 0 and expected != ():
        raise ValueError(f"{name}: the formula returned a single number; return one value per "
                         f"{kind.values} and let register apply reduction= (or take a reduction "
                         f"argument and apply it with losses.reduce.apply)"
                         + ("; with reduction='none' it should keep one value per "
                            f"{kind.values} (is the reduction argument ignored?)" if reduction == "none" else ""))
    if expected is None:                            # a batch form: one value per triplet or anchor
        if values.ndim != 1:
            raise ValueError(f"{name}: the formula returned shape {values.shape}; expected a vector, "
                             f"one value per triplet (or per anchor)")
        return
    if values.shape != expected:
        first = kind.info.inputs[0]
        raise ValueError(f"{name}: the formula returned shape {values.shape} for {first} of shape "
                         f"{data[0].shape}; expected {expected}, one value per {kind.values}"
                         f"{kind.shape_hint(values.shape, data)}")


def _wrap(formula, name, kind_class, info_fields, takes_reduction):
    """The formula behind the common work: validated tensor inputs, the parameters' defaults and
    ranges applied, the formula's result checked (`_check_values`), then the reduction."""
    sig = inspect.signature(formula)
    inputs = info_fields["inputs"]
    info = LossInfo(name, formula, has_reduction=takes_reduction, **info_fields)
    kind = kind_class(info, {})
    # defaults given to register become the signature's: the loss may be called without them
    try:
        call_sig = sig.replace(parameters=[p.replace(default=info.params[p.name]) if p.name in info.params else p
                                           for p in sig.parameters.values()])
    except ValueError as err:
        raise ValueError(f"register: {name}'s parameters cannot take the defaults given: {err}; put the data "
                         f"arguments first and the parameters after them") from None

    @functools.wraps(formula)
    def loss(*args, **kwargs):
        reduction = "mean" if takes_reduction else kwargs.pop("reduction", "mean")
        try:
            bound = call_sig.bind(*args, **kwargs)
        except TypeError as err:
            misspelt = _did_you_mean(set(kwargs) - set(sig.parameters), sig.parameters)
            raise TypeError(f"{name}: {err}{misspelt}; call it as {info.signature()}") from None
        bound.apply_defaults()
        info.check_ranges(bound.arguments)
        data = kind.prepare(name, inputs, [bound.arguments[n] for n in inputs])
        bound.arguments.update(zip(inputs, data))
        try:
            values = formula(*bound.args, **bound.kwargs)
        except Exception as err:    # noqa: BLE001 - re-raised, naming the loss
            hint = kind.formula_hint if isinstance(err, (TypeError, AttributeError)) else ""
            named = _named(err, name, hint)
            if named is err:
                raise
            raise named from err
        if takes_reduction:
            _check_values(values, name, kind, data, bound.arguments.get("reduction"))
            return values
        _check_values(values, name, kind, data, None)
        return reduce.apply(values, reduction, name) if kind_class.values else values

    if kind_class.values and not takes_reduction:
        extra = inspect.Parameter("reduction", inspect.Parameter.KEYWORD_ONLY, default="mean")
        loss.__signature__ = call_sig.replace(parameters=[*call_sig.parameters.values(), extra])
    else:
        loss.__signature__ = call_sig
    return loss


def _ranges(ranges, name, params):
    """The declared ranges, checked: {parameter: (low, high)}, None for an open end, defaults inside."""
    out = {}
    for pname, bounds in dict(ranges or {}).items():
        if pname not in params:
            raise ValueError(f"register: {name} has no parameter {pname!r} to give a range to"
                             f"{_did_you_mean([pname], params)}; its parameters are: {', '.join(params) or 'none'}")
        try:
            low, high = bounds
        except (TypeError, ValueError):
            raise ValueError(f"register: {name}'s range for {pname} must be a pair (low, high), None for an "
                             f"open end, got {bounds!r}") from None
        if not all(end is None or (isinstance(end, numbers.Real) and not isinstance(end, bool) and np.isfinite(end))
                   for end in (low, high)) or (low is not None and high is not None and low > high):
            raise ValueError(f"register: {name}'s range for {pname} must be (low, high) with finite numbers, "
                             f"low <= high, None for an open end; got {bounds!r}")
        out[pname] = (low, high)
        value = params[pname]
        if value is not None and not ((low is None or value >= low) and (high is None or value <= high)):
            raise ValueError(f"register: {name}'s default {pname}={value!r} lies outside its range "
                             f"{_interval(low, high)}")
    return out


def make_info(fn, *, name=None, kind="regression", input=None, target=None, gradient=None,
              defaults=None, ranges=None, description=None, builtin=False):
    """A LossInfo for `fn` with its parameters read from the signature (see `register`).

    A built-in loss is used as it is; any other function is wrapped (see the module docstring).
    """
    name = name or getattr(fn, "__name__", None)
    if not name or not isinstance(name, str):
        raise ValueError("register: give the loss a name, register(name=...)")
    if kind not in KINDS:
        raise ValueError(f"register: {name}'s kind must be one of {', '.join(KINDS)}, got {kind!r}")
    kind_class = KINDS[kind]
    input = input or kind_class.inputs[0]
    if input not in kind_class.inputs:
        raise ValueError(f"register: {name}: for kind {kind!r}, input must be one of "
                         f"{', '.join(kind_class.inputs)}, got {input!r}")
    target = target or kind_class.default_target(input)
    if len(kind_class.targets) > 1 and target not in kind_class.targets:
        raise ValueError(f"register: {name}: for kind {kind!r}, target must be one of "
                         f"{', '.join(kind_class.targets)}, got {target!r}")
    if gradient is not None and not (callable(gradient) or isinstance(gradient, dict)):
        raise ValueError(f"register: {name}'s gradient must be a function g(x, **params) or, for pairs, "
                         "a dict {'similar': g, 'dissimilar': g}")
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        raise ValueError(f"register: cannot read the signature of {name}") from None
    named = [p for p in sig.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    required = [p.name for p in named if p.default is p.empty and p.kind != p.KEYWORD_ONLY]
    batch = kind_class.batch_data and len(required) == len(kind_class.batch_data)
    n_inputs = len(kind_class.batch_data if batch else kind_class.data)
    if len(required) < n_inputs:
        raise ValueError(f"register: a {kind} loss takes {n_inputs} data arguments first (e.g. "
                         f"{', '.join(kind_class.data)}), but {name}{sig} has only {len(required)} without a default")
    inputs = tuple(required[:n_inputs])
    defaults, params = dict(defaults or {}), {}
    for p in named:
        if p.name in inputs or p.name == "reduction":
            continue
        if p.name not in defaults and p.default is p.empty:
            raise ValueError(f"register: {name}'s parameter {p.name!r} has no default; "
                             f"give one with register(..., defaults={{{p.name!r}: value}})")
        params[p.name] = defaults.pop(p.name, p.default)
    if defaults:
        raise ValueError(f"register: defaults for unknown parameters {', '.join(defaults)} of {name}")
    fields = dict(kind=kind, input=input, target=target, inputs=inputs, params=params, gradient=gradient,
                  ranges=_ranges(ranges, name, params))
    takes_reduction = "reduction" in sig.parameters
    wrapped = fn if builtin else _wrap(fn, name, kind_class, fields, takes_reduction)
    doc = inspect.getdoc(fn) or ""
    return LossInfo(name=name, fn=wrapped, has_reduction=takes_reduction or bool(kind_class.values and not builtin),
                    description=description or (doc.splitlines()[0] if doc else ""), builtin=builtin,
                    formula=fn, **fields)


def register(fn=None, *, name=None, kind="regression", input=None, target=None, gradient=None,
             defaults=None, ranges=None, description=None, replace=False):
    """Add a loss to the catalogue; use it as `@register` or `@register(kind=..., ...)`.

    name        the catalogue name (default: the function's name)
    kind        "regression" (default), "binary", "multiclass", "pairs", "triplets", "penalty"
    input       what the first argument holds (binary/multiclass: "logit" (default), "score"
                or "probability")
    target      binary: "0/1" (default; "-1/+1" for scores), multiclass: "index" or "one-hot"
    gradient    optional closed-form derivative along the kind's axis, g(x, **params):
                `losses.check` compares it with backward, `losses.explore` draws it dashed
    defaults    values for parameters: for one without a default in the signature, or to
                replace the signature's; calls, `check` and `explore` all use them
    ranges      {parameter: (low, high)}, None for an open end: a call with a value outside
                raises ValueError, `check` sweeps each range's ends, the sliders span it
    replace     allow replacing a built-in loss of the same name

    Returns the loss ready to call: the data arguments become tensors and are validated
    for the kind (an (N, 1) column against (N,) targets raises with the reshape hint;
    an empty batch raises), the parameters take their defaults and are checked against
    their ranges, what the formula returns is checked (a float Tensor with one value per
    element or sample: an (N, N) matrix from a broadcasting slip or a sum over the wrong
    axis raises ValueError naming both shapes), and `reduction=` is validated and applied
    to those values (unless the formula takes `reduction` itself). Every error names the
    loss. Registering a name again replaces the earlier entry (rerunning
    a notebook cell does that); replacing a built-in needs replace=True.
    """
    def add(f):
        info = make_info(f, name=name, kind=kind, input=input, target=target, gradient=gradient,
                         defaults=defaults, ranges=ranges, description=description)
        _load_builtins()
        old = _catalogue.get(info.name)
        if old is not None and old.builtin and not replace:
            raise ValueError(f"register: {info.name!r} is a built-in loss; choose another name "
                             f"(register(name='my_{info.name}')) or pass replace=True")
        _catalogue[info.name] = info
        return info.fn
    return add if fn is None else add(fn)


def unregister(name):
    """Remove a registered (not built-in) loss from the catalogue."""
    info = get(name)
    if info.builtin:
        raise ValueError(f"unregister: {name!r} is a built-in loss")
    del _catalogue[info.name]


def catalogue(kind=None):
    """{name: LossInfo} of every loss, built-in and registered (optionally of one kind)."""
    _load_builtins()
    return {n: i for n, i in sorted(_catalogue.items()) if kind is None or i.kind == kind}


def get(loss):
    """The LossInfo for a name, a LossInfo, or a registered loss function (wrapped or as written)."""
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
        if loss is info.fn or loss is info.formula:
            return info
    raise KeyError(f"{getattr(loss, '__name__', loss)!r} is not registered: decorate it with "
                   f"@losses.register(kind=...), or pass kind= to losses.check")


# ---- the built-in losses ----------------------------------------------------------
# Closed-form gradients are along each kind's axis x (the table in losses.workbench.kinds).

def _sigmoid(x):
    """σ(x) of an array, from the engine's two-sided sigmoid (no graph)."""
    return mg.sigmoid(mg.Tensor(x)).data


def _p0(x):
    """Softmax probability of class 0 for logits (x, 0, 0): e^x / (e^x + 2)."""
    return _sigmoid(x - np.log(2.0))


def _focal_gradient(p, gamma, alpha):
    # L = -α (1-p)^γ log p with dp/dz = p(1-p):  dL/dz = α (1-p)^γ (γ p log p - (1 - p))
    return (1.0 if alpha is None else alpha) * (1 - p) ** gamma * (gamma * p * np.log(p) - (1 - p))


def _ce_gradient(x, label_smoothing=0.0, weight=None):
    # logits (x, 0, 0), class 0. As PyTorch weighs a smoothed target,
    # L = (1-ε) w0 (-log p0) + (ε/3) Σ_c w_c (-log p_c), and d(-log p_c)/dx = p0 - [c = 0]:
    # dL/dx = (1-ε) w0 (p0 - 1) + (ε/3)(W p0 - w0), W = Σ_c w_c
    w = np.ones(3) if weight is None else np.asarray(weight, dtype=float)
    p0, eps = _p0(x), label_smoothing
    return (1 - eps) * w[0] * (p0 - 1) + eps / 3 * (w.sum() * p0 - w[0])


BUILTINS = [
    # module, function, metadata
    ("regression", "mse", dict(kind="regression", gradient=lambda x: 2 * x)),
    ("regression", "mae", dict(kind="regression", gradient=lambda x: np.sign(x))),
    ("regression", "huber", dict(kind="regression", gradient=lambda x, delta=1.0: np.clip(x, -delta, delta))),
    ("custom", "log_cosh", dict(kind="regression", gradient=lambda x: np.tanh(x))),
    ("classification", "binary_cross_entropy", dict(kind="binary", input="probability", gradient=lambda p: -1 / p)),
    ("classification", "binary_cross_entropy_with_logits",
     dict(kind="binary", input="logit",
          gradient=lambda z, pos_weight=None: (1.0 if pos_weight is None else pos_weight) * (_sigmoid(z) - 1))),
    ("classification", "categorical_cross_entropy",
     dict(kind="multiclass", input="probability", target="one-hot", gradient=lambda p: -1 / p)),
    ("classification", "cross_entropy", dict(kind="multiclass", input="logit", target="index", gradient=_ce_gradient)),
    ("hinge", "hinge", dict(kind="binary", input="score", target="-1/+1", gradient=lambda m: np.where(m < 1, -1.0, 0.0))),
    ("hinge", "squared_hinge", dict(kind="binary", input="score", target="-1/+1",
                                    gradient=lambda m: -2 * np.maximum(0, 1 - m))),
    ("hinge", "multiclass_hinge", dict(kind="multiclass", input="score", target="index", ranges={"margin": (0.0, None)},
                                       gradient=lambda x, margin=1.0: np.where(x < margin, -2.0, 0.0))),
    ("focal", "focal", dict(kind="binary", input="logit", ranges={"alpha": (0.0, 1.0), "gamma": (0.0, None)},
                            gradient=lambda z, alpha=0.25, gamma=2.0: _focal_gradient(_sigmoid(z), gamma, alpha))),
    ("focal", "softmax_focal",   # the closed form is given for alpha=None (NaN: not drawn, not compared)
     dict(kind="multiclass", input="logit", target="index", ranges={"gamma": (0.0, None)},
          gradient=lambda x, gamma=2.0, alpha=None: (_focal_gradient(_p0(x), gamma, None)
                                                     if alpha is None else np.full_like(x, np.nan)))),
    ("contrastive", "contrastive",
     dict(kind="pairs", ranges={"margin": (0.0, None)}, gradient={"similar": lambda d: 2 * d,
                                  "dissimilar": lambda d, margin=1.0: -2 * np.maximum(0, margin - d)})),
    ("triplet", "triplet",
     dict(kind="triplets", ranges={"margin": (0.0, None)}, gradient=lambda x, margin=1.0, squared=False: (
         np.where(x + margin > 0, 1.0, 0.0) if not squared else np.full_like(x, np.nan)))),
    ("triplet", "batch_triplet", dict(kind="triplets", ranges={"margin": (0.0, None)})),
    ("regularization", "l1_penalty", dict(kind="penalty", defaults={"lam": 0.1}, ranges={"lam": (0.0, None)},
                                           gradient=lambda w, lam: lam * np.sign(w))),
    ("regularization", "l2_penalty", dict(kind="penalty", defaults={"lam": 0.1}, ranges={"lam": (0.0, None)},
                                           gradient=lambda w, lam: 2 * lam * w)),
    ("regularization", "elastic_net", dict(kind="penalty", defaults={"l1": 0.1, "l2": 0.1},
                                           ranges={"l1": (0.0, None), "l2": (0.0, None)},
                                           gradient=lambda w, l1, l2: l1 * np.sign(w) + 2 * l2 * w)),
]

BUILTIN_NAMES = tuple(name for _, name, _ in BUILTINS)


def _load_builtins():
    """Put the built-in losses in the catalogue, on first use (lazily: no import cycle)."""
    global _builtins_loaded
    if _builtins_loaded:
        return
    _builtins_loaded = True
    for module_name, fn_name, meta in BUILTINS:
        module = importlib.import_module(f"losses.{module_name}")
        _catalogue.setdefault(fn_name, make_info(getattr(module, fn_name), name=fn_name, builtin=True, **meta))
