"""`losses.check(loss)`: run the lecture's properties of a good loss, print a report.

The lecture asks a loss to be differentiable, task-appropriate and well-scaled. Each
line of the report tests one property on inputs that fit the loss's kind (see
`losses/_kinds.py`):

    gradient       backward agrees with finite differences at random points, every reduction
    kinks          ... and just beside the places a kink may sit (0, 1, the margin, δ)
    extremes       value and gradient stay finite at huge residuals or logits, p of 0 and 1,
                   zero distance; numpy warnings (overflow, divide by zero) count as failures
    non-negative   no sample gets a negative loss
    perfect fit    zero (or at least minimal) where the prediction is right
    shapes         (N, 1) against (N,) raises ValueError instead of broadcasting to (N, N)
    reductions     "none" keeps one value per sample (or element), "sum" adds them up
    float32        float32 inputs give a float32 value and float32 gradients
    well-scaled    (a note) the value and the per-sample gradient at unit-scale inputs
    robust         (a note) whether the gradient stays bounded as the error grows

    >>> result = check("mae", verbose=False)
    >>> result.passed, result["robust"].detail.startswith("yes")
    (True, True)
"""
import textwrap
import warnings
from dataclasses import dataclass, field

import numpy as np

import minigrad as mg

from . import _kinds
from .registry import get, make_info

PASS, FAIL, NOTE, WARN, SKIP = "pass", "FAIL", "note", "warn", "skip"


@dataclass
class Line:
    """One property: its key, a title, a status (pass / FAIL / note / warn / skip) and why."""
    key: str
    title: str
    status: str
    detail: str

    @property
    def failed(self):
        return self.status == FAIL


@dataclass
class CheckResult:
    """What `check` found. `result.passed`, `result["extremes"].status`, `print(result)`."""
    name: str
    kind: str
    signature: str
    params: dict
    lines: list = field(default_factory=list)

    @property
    def passed(self):
        return not self.failures

    @property
    def failures(self):
        return [line for line in self.lines if line.failed]

    def __getitem__(self, key):
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(f"no check line {key!r}; lines: {', '.join(l.key for l in self.lines)}")

    def report(self):
        width = max(len(line.title) for line in self.lines)
        out = [f"check {self.signature}  [{self.kind}]"]
        indent = " " * (len("  [pass] ") + width + 2)
        for line in self.lines:
            head = f"  [{line.status:>4}] {line.title:<{width}}  "
            # long reasons wrap under their own column, so the titles stay readable down the left
            out.append(textwrap.fill(line.detail, width=max(110, len(head) + 40), initial_indent=head,
                                     subsequent_indent=indent, break_on_hyphens=False))
        n_pass = sum(line.status == PASS for line in self.lines)
        out.append(f"{n_pass} passed, {len(self.failures)} failed" + (": every check holds" if self.passed else ""))
        return "\n".join(out)

    __str__ = report


class _Failure(Exception):
    """Raised inside a property to fail it with a reason."""


def _finite(x):
    return bool(np.all(np.isfinite(x)))


def _fmt(v):
    return np.array2string(np.asarray(v, dtype=float).ravel(), precision=3, max_line_width=200, threshold=6)


def _tensors(inputs, adapter, dtype=None, requires_grad=True):
    """Inputs as tensors; the differentiable ones require grad. Integer targets stay integer."""
    out = []
    for i, a in enumerate(inputs):
        a = np.asarray(a)
        if a.dtype.kind == "f":
            a = a.astype(dtype or a.dtype)
            out.append(mg.Tensor(a, requires_grad=requires_grad and i in adapter.differentiable))
        else:
            out.append(a)
    return out


def _value_and_grads(adapter, inputs, params, reduction=None, grads=True):
    """The per-sample values (or the value) and the gradients of their sum, as numpy arrays."""
    tensors = _tensors(inputs, adapter, requires_grad=grads)
    value = adapter.per_sample(tensors, params) if reduction is None else adapter.call(tensors, params, reduction)
    if not isinstance(value, mg.Tensor):
        raise _Failure(f"returned {type(value).__name__}, not a minigrad Tensor")
    wanted = [tensors[i] for i in adapter.differentiable]
    if not grads or not value.requires_grad:
        return value.data, [np.zeros_like(t.data) for t in wanted], value
    grads = mg.grad(value.sum(), wanted)
    return value.data, [g.data for g in grads], value


def _gradcheck(adapter, inputs, params, reduction):
    diff = list(adapter.differentiable)

    def fn(*xs):
        args = list(inputs)
        for i, x in zip(diff, xs):
            args[i] = x
        return adapter.call(args, params, reduction).sum()
    checked = [np.array(inputs[i], dtype=np.float64) for i in diff]
    mg.gradcheck(fn, *checked)


def _reductions(info):
    return ("mean", "sum", "none") if info.has_reduction else (None,)


# ---- the properties -------------------------------------------------------------------

def _prop_gradient(info, adapter, params, rng):
    count = 0
    for inputs in adapter.samples(rng):
        for reduction in _reductions(info):
            try:
                _gradcheck(adapter, inputs, params, reduction)
            except mg.GradcheckError as err:
                where = f" (reduction={reduction!r})" if reduction else ""
                raise _Failure(f"backward disagrees with finite differences{where}: "
                               f"{str(err).split('. Check')[0].replace('gradcheck: ', '')}") from None
            count += 1
    what = "every reduction" if info.has_reduction else "no reduction argument"
    return PASS, f"backward matches finite differences at {count // len(_reductions(info))} random inputs, {what}"


def _prop_kinks(info, adapter, params, rng):
    names = []
    for description, inputs in adapter.kinks(params):
        try:
            _gradcheck(adapter, inputs, params, "sum" if info.has_reduction else None)
        except mg.GradcheckError as err:
            raise _Failure(f"at {description}: {str(err).split('. Check')[0].replace('gradcheck: ', '')}") from None
        names.append(description)
    return PASS, "; ".join(dict.fromkeys(names))


def _prop_extremes(info, adapter, params, rng):
    cases = []
    for description, inputs in adapter.extremes(params):
        value, grads, _ = _value_and_grads(adapter, inputs, params)
        if not _finite(value):
            raise _Failure(f"value is {_fmt(value)} at {description}")
        for i, g in zip(adapter.differentiable, grads):
            if not _finite(g):
                raise _Failure(f"gradient for {info.inputs[i] if i < len(info.inputs) else 'input'} "
                               f"is not finite at {description}: {_fmt(g)}")
        cases.append(description)
    return PASS, "finite value and gradient at " + "; ".join(cases)


def _prop_non_negative(info, adapter, params, rng):
    lowest, where = np.inf, ""
    groups = [adapter.sample(rng, (16,) if info.kind in ("regression", "binary") else 8, scale)
              for scale in (0.1, 1.0, 10.0)] + adapter.samples(rng)
    groups += [inputs for _, inputs in adapter.extremes(params)]
    for inputs in groups:
        value, _, _ = _value_and_grads(adapter, inputs, params, grads=False)
        if value.size and np.nanmin(value) < lowest:
            lowest = float(np.nanmin(value)) + 0.0      # + 0.0 prints -0.0 as 0
            where = _fmt(np.asarray(inputs[0]).ravel()[:4])
    if lowest < -1e-12:
        raise _Failure(f"the loss reaches {lowest:.4g} (a loss is a penalty: it should never "
                       f"go below 0); first input starts {where}")
    return PASS, f"lowest value {lowest:.3g} over {len(groups)} batches (random at 3 scales, extremes)"


def _prop_perfect(info, adapter, params, rng):
    perfect, nearby = adapter.perfect(rng)
    reduction = "mean" if info.has_reduction else None
    candidates = perfect if isinstance(perfect, list) else [perfect]   # logits: several margins
    values = [float(np.sum(_value_and_grads(adapter, inputs, params, reduction, grads=False)[0]))
              for inputs in candidates]
    value = min(values) if all(np.isfinite(values)) else float("nan")
    if not np.isfinite(value):
        raise _Failure(f"value {_fmt(values)} at a perfect fit")
    others = [float(np.sum(_value_and_grads(adapter, inputs, params, reduction, grads=False)[0]))
              for inputs in nearby]
    if abs(value) <= 1e-6:
        return PASS, f"0 at a perfect fit (value {value:.2g}); worse fits give {', '.join(f'{o:.3g}' for o in others)}"
    if value <= min(others) + 1e-12:
        return PASS, (f"minimal at a perfect fit, though not 0 (value {value:.3g}; "
                      f"{min(others):.3g} or more when worse)")
    raise _Failure(f"a perfect fit gives {value:.4g}, more than a worse fit nearby ({min(others):.4g})")


def _prop_shapes(info, adapter, params, rng):
    cases = adapter.mismatched()
    if not cases:
        return SKIP, "no targets to mismatch"
    for description, inputs in cases:
        tensors = _tensors(inputs, adapter, requires_grad=False)
        try:
            out = adapter.per_sample(tensors, params)
        except ValueError:
            continue
        except Exception as err:    # noqa: BLE001 - any other error is reported, not raised
            raise _Failure(f"{description} raised {type(err).__name__} ({err}); "
                           f"expected ValueError naming the argument") from None
        shape = getattr(out, "shape", "?")
        raise _Failure(f"{description} was accepted: it silently broadcast to a result of shape "
                       f"{shape}; check shapes first (losses._checks.same_shape)")
    return PASS, "ValueError for " + "; ".join(d for d, _ in cases)


def _prop_reductions(info, adapter, params, rng):
    if not info.has_reduction:
        return SKIP, "no reduction argument"
    inputs = _tensors(adapter.samples(rng)[0], adapter, requires_grad=False)
    none = adapter.call(inputs, params, "none")
    total = adapter.call(inputs, params, "sum")
    if none.size <= 1:
        raise _Failure(f'reduction="none" gave shape {none.shape} for a batch of {inputs[0].shape[0]}: '
                       f"it should keep one value per sample (is the reduction argument ignored?)")
    if total.size != 1 or not np.allclose(total.data, none.data.sum(), rtol=1e-9, atol=1e-12):
        raise _Failure(f'reduction="sum" gave {_fmt(total.data)}, but the "none" values add up to '
                       f"{none.data.sum():.6g}")
    return PASS, f'"none" keeps {none.shape}, "sum" adds them up'


def _prop_float32(info, adapter, params, rng):
    inputs = adapter.float32(adapter.samples(rng)[0])
    tensors = _tensors(inputs, adapter, dtype=np.float32)
    value = adapter.call(tensors, params, "mean" if info.has_reduction else None)
    if value.dtype != np.float32:
        raise _Failure(f"float32 inputs gave a {value.dtype} value (wrap constants with "
                       f"mg.wrap(c, like=x) so they keep the input's dtype)")
    wanted = [tensors[i] for i in adapter.differentiable]
    for t, g in zip(wanted, mg.grad(value.sum(), wanted)):
        if g.dtype != np.float32:
            raise _Failure(f"float32 inputs gave a {g.dtype} gradient")
    return PASS, "float32 in, float32 value and gradients out"


def _prop_scaled(info, adapter, params, rng):
    inputs = adapter.sample(rng, (64,) if info.kind in ("regression", "binary") else 32)
    if info.kind == "penalty":
        inputs = adapter.samples(rng)[0]
    value, grads, _ = _value_and_grads(adapter, inputs, params, "mean" if info.has_reduction else None)
    value = float(np.sum(value))
    _, sample_grads, _ = _value_and_grads(adapter, inputs, params, "sum" if info.has_reduction else None)
    g = sample_grads[0]
    if not info.has_reduction and info.kind != "penalty":
        g = g * g.shape[0]          # the loss averages inside: undo the 1/N to get per-sample sizes
    per_sample = np.sqrt(np.sum(g.reshape(g.shape[0], -1) ** 2, axis=1)) if g.ndim else np.abs(g)
    rms = float(np.sqrt(np.mean(per_sample ** 2)))
    detail = f"value {value:.3g}, per-sample gradient {rms:.3g} (RMS) at unit-scale inputs"
    if not (np.isfinite(value) and np.isfinite(rms)):
        raise _Failure(detail)
    if not (1e-3 <= abs(value) <= 1e3) or not (1e-3 <= rms <= 1e3):
        return WARN, detail + ": far from 1, consider rescaling (or a smaller learning rate)"
    return NOTE, detail


def _prop_robust(info, adapter, params, rng):
    xs, what = adapter.outlier_axis(params)
    x = mg.Tensor(xs, requires_grad=True)
    values = adapter.along(x, params, adapter.cases[0])
    (g,) = mg.grad(values.sum(), x)
    g = np.abs(g.data)
    if not _finite(g):
        raise _Failure(f"gradient not finite as {what}: {_fmt(g)}")
    shown = ", ".join(f"{v:.3g}" for v in g)
    grows = g[-1] > 2 * max(g[1], 1e-12) and g[-1] > 1e-9
    at = ", ".join(f"{v:g}" for v in xs)
    if grows:
        return NOTE, f"no: |dL/dx| grows as {what}: {shown} at {at}"
    return NOTE, f"yes: |dL/dx| stays bounded as {what}: {shown} at {at}"


# key, title, property, whether a numpy warning inside it fails it (non-negative looks at
# the extremes too, but overflow there is the "extremes" line's business)
PROPERTIES = [
    ("gradient", "gradient (random points)", _prop_gradient, True),
    ("kinks", "gradient near kinks", _prop_kinks, True),
    ("extremes", "finite at extremes", _prop_extremes, True),
    ("non_negative", "non-negative", _prop_non_negative, False),
    ("perfect_fit", "zero at a perfect fit", _prop_perfect, True),
    ("shapes", "shape mismatch raises", _prop_shapes, True),
    ("reductions", "reductions", _prop_reductions, True),
    ("float32", "float32 kept", _prop_float32, True),
    ("well_scaled", "well-scaled", _prop_scaled, True),
    ("robust", "robust to outliers", _prop_robust, True),
]


def _returns_a_tensor(info, adapter, params):
    """None if the loss returns a minigrad Tensor on typical inputs, else the reason it does not."""
    inputs = _tensors(adapter.samples(np.random.default_rng(0))[0], adapter)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = adapter.call(inputs, params, "mean" if info.has_reduction else None)
    except Exception as err:    # noqa: BLE001 - reported, not raised
        return f"calling it on typical {info.kind} inputs raised {type(err).__name__}: {err}"
    if not isinstance(out, mg.Tensor):
        return (f"it returned {type(out).__name__}, not a minigrad Tensor: build the loss from "
                f"minigrad ops (and return the tensor) so that the engine can differentiate it")
    return None


def check(loss, *, kind=None, verbose=True, seed=0, **params):
    """Run every property on `loss` (a name, a LossInfo or a loss function); return a CheckResult.

    An unregistered function needs kind= (and may take input=/target= through
    register). `params` override the loss's parameter defaults. With verbose=True
    the report is printed. A property that raises an unexpected error fails with it.
    """
    if kind is not None and not isinstance(loss, str):
        info = make_info(loss, kind=kind)
    else:
        info = get(loss)
    params = info.with_params(**params)
    adapter = _kinds.adapter(info, params)
    result = CheckResult(info.name, info.kind, info.signature(params), params)
    broken = _returns_a_tensor(info, adapter, params)
    if broken:
        result.lines.append(Line("calls", "returns a loss tensor", FAIL, broken))
        if verbose:
            print(result.report())
        return result
    for key, title, prop, warnings_fail in PROPERTIES:
        rng = np.random.default_rng(seed)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                status, detail = prop(info, adapter, params, rng)
            except _Failure as failure:
                status, detail = FAIL, str(failure)
            except Exception as err:    # noqa: BLE001 - a crash is a failed property, with its reason
                status, detail = FAIL, f"raised {type(err).__name__}: {err}"
        numeric = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if numeric and warnings_fail and status != FAIL:
            status = FAIL
            detail = f"numpy warned '{numeric[0].message}' (an overflow or a division by zero); " + detail
        result.lines.append(Line(key, title, status, detail))
    if verbose:
        print(result.report())
    return result
