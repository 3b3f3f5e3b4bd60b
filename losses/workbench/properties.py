"""`losses.check(loss)`: test the lecture's properties of a good loss on it, print a report.

Each line tests one property on inputs that fit the loss's kind (see
`losses.workbench.kinds`) and ends as pass, FAIL, warn (suspicious, not wrong), note
(a fact to read) or skip (does not apply):

    gradient      backward agrees with finite differences at random points, every reduction
    closed form   the registered `gradient=` agrees with backward along the kind's axis
    kinks         backward agrees with finite differences just beside the kinks the kind
                  declares (0, the hinge, a margin, δ)
    extremes      value and gradient stay finite at huge residuals or logits, p of 0 and 1,
                  zero distance; a numpy warning (overflow, divide by zero) fails the line
    non-negative  no sample gets a negative loss
    perfect fit   0 at a perfect fit, and no worse fit lower (warn if minimal there but not 0)
    shapes        (N, 1) against (N,) raises ValueError instead of broadcasting to (N, N)
    empty batch   a batch of no samples raises ValueError
    reductions    "none" keeps one value per sample (or element), "sum" adds them up
    float32       float32 inputs give a float32 value and float32 gradients
    robust        (a note) whether the gradient in the kind's variable stays bounded as
                  the error grows, on each side an outlier may fall: bounded influence, in
                  the sense of robust statistics
    ranges        the properties above (non-negative, perfect fit, extremes, gradient) hold
                  at both ends of each parameter range the loss declares (register(ranges=))

    >>> result = check("mae", verbose=False)
    >>> result.passed, result["robust"].detail.startswith("yes")
    (True, True)
"""
import warnings

import numpy as np

import minigrad as mg

from . import kinds
from .compare import FAIL, NOTE, PASS, SKIP, WARN, CheckResult, Line, agree, finite_difference_mismatch, observe
from .registry import get, make_info


class _Failure(Exception):
    """Raised inside a property to fail it with a reason."""


def _fmt(v):
    return np.array2string(np.asarray(v, dtype=float).ravel(), precision=3, max_line_width=200, threshold=6)


def _evaluate(k, inputs, reduction="none", grads=True, dtype=np.float64):
    """The loss's values (per sample by default) and the gradients of their sum (None when the values
    carry no gradient), as `observe` sees them."""
    seen = observe(lambda *xs: k.call(xs, reduction=reduction), inputs, wrt=k.differentiable if grads else (),
                   dtype=dtype)
    for message in seen.warnings:      # observe records numpy's warnings; pass them on to check's lines
        warnings.warn(message, RuntimeWarning, stacklevel=2)
    if not seen.ok:
        raise _Failure(f"raised {seen.error}")
    if not seen.is_tensor:
        raise _Failure(f"returned {type(seen.returned).__name__}, not a minigrad Tensor")
    return seen.value, seen.grads


def _gradcheck(k, inputs, reduction):
    found = finite_difference_mismatch(lambda *xs: k.call(xs, reduction=reduction).sum(), inputs, k.differentiable)
    if found:
        raise _Failure(found)


def _mean(k, inputs):
    return float(np.sum(_evaluate(k, inputs, "mean", grads=False)[0]))


# ---- the properties -------------------------------------------------------------------

def _gradient(info, k, rng):
    samples = k.samples(rng)
    for inputs in samples:
        for reduction in ("mean", "sum", "none") if info.has_reduction else (None,):
            try:
                _gradcheck(k, inputs, reduction)
            except _Failure as err:
                where = f" (reduction={reduction!r})" if reduction else ""
                raise _Failure(f"backward disagrees with finite differences{where}: {err}") from None
    what = "every reduction" if info.has_reduction else "no reduction argument"
    inputs = f"{len(samples)} random input" + ("s" if len(samples) != 1 else "")
    return PASS, f"backward matches finite differences at {inputs}, {what}"


def _closed_form(info, k, rng):
    if info.gradient is None:
        return SKIP, "no closed-form gradient registered (register(..., gradient=...))"
    x, compared = k.off_kinks(np.linspace(*k.axis_range(), 41)), 0
    for case in k.cases:
        found = k.closed_form_gap(x, case)
        if found is None:
            continue
        i, expected, backward, bad, finite = found
        if bad:
            on = f" ({case})" if case else ""
            raise _Failure(f"at {k.axis_label} = {x[i]:.4g}{on} the closed form gives {expected:.6g}, backward "
                           f"gives {backward:.6g} ({bad} of {finite} points disagree)")
        compared += finite
    if not compared:
        return SKIP, "the closed form is not given for these parameters"
    return PASS, f"the registered gradient matches backward at {compared} points along the {k.axis_label}"


def _kinks(info, k, rng):
    names = []
    for description, inputs in k.kinks():
        try:
            _gradcheck(k, inputs, "sum")
        except _Failure as err:
            raise _Failure(f"at {description}: {err}") from None
        names.append(description)
    return PASS, "; ".join(dict.fromkeys(names))


def _extremes(info, k, rng):
    cases = []
    for description, inputs in k.extremes():
        value, grads = _evaluate(k, inputs)
        if not np.all(np.isfinite(value)):
            raise _Failure(f"value is {_fmt(value)} at {description}")
        for i, g in zip(k.differentiable, grads or []):
            if not np.all(np.isfinite(g)):
                name = info.inputs[i] if i < len(info.inputs) else "input"
                raise _Failure(f"gradient for {name} is not finite at {description}: {_fmt(g)}")
        cases.append(description)
    return PASS, "finite value and gradient at " + "; ".join(cases)


def _non_negative(info, k, rng):
    groups = [k.sample(rng, 16, scale) for scale in (0.1, 1.0, 10.0)] + k.samples(rng)
    groups += [inputs for _, inputs in k.extremes()]
    lowest, where = np.inf, ""
    for inputs in groups:
        value, _ = _evaluate(k, inputs, grads=False)
        if value.size and np.nanmin(value) < lowest:
            lowest, where = float(np.nanmin(value)) + 0.0, _fmt(np.asarray(inputs[0]).ravel()[:4])   # + 0.0: no -0
    if lowest < -1e-12:
        raise _Failure(f"the loss reaches {lowest:.4g}, below 0 (a loss is a penalty: it should never "
                       f"go below 0); first input starts {where}")
    return PASS, f"lowest value {lowest:.3g} over {len(groups)} batches (random at 3 scales, extremes)"


def _perfect_fit(info, k, rng):
    perfect, nearby = k.perfect(rng)
    values = [_mean(k, inputs) for inputs in perfect]     # logits: several margins, the best counts
    best = min(values) if np.all(np.isfinite(values)) else float("nan")
    if not np.isfinite(best):
        raise _Failure(f"value {_fmt(values)} at a perfect fit")
    worse = min(_mean(k, inputs) for inputs in nearby)
    if worse < best - 1e-9 * max(1.0, abs(best)):
        raise _Failure(f"a worse fit scores {worse:.4g}, lower than the perfect fit ({best:.4g}): the loss "
                       f"rewards moving away from the target (a flipped sign, or a term that can go below 0?)")
    if abs(best) <= 1e-6:
        return PASS, f"0 at a perfect fit (value {best:.2g}); worse fits give {worse:.3g} or more"
    if best <= worse + 1e-12:
        return WARN, (f"minimal at a perfect fit but not 0 (value {best:.3g}; {worse:.3g} or more when "
                      f"worse): the loss still pulls on samples that are already right (label smoothing "
                      f"does this on purpose)")
    raise _Failure(f"a perfect fit gives {best:.4g}, more than a worse fit nearby ({worse:.4g})")


def _shapes(info, k, rng):
    cases = k.mismatched()
    if not cases:
        return SKIP, "no targets to mismatch"
    for description, inputs in cases:
        try:
            out = k.per_sample(k.tensors(inputs, requires_grad=False))
        except ValueError:
            continue
        except Exception as err:    # noqa: BLE001 - any other error is reported, not raised
            raise _Failure(f"{description} raised {type(err).__name__} ({err}); expected ValueError "
                           f"naming the argument") from None
        raise _Failure(f"{description} was accepted: it silently broadcast to a result of shape "
                       f"{getattr(out, 'shape', '?')}; validate the shapes first (losses.validate.same_shape)")
    return PASS, "ValueError for " + "; ".join(d for d, _ in cases)


def _empty_batch(info, k, rng):
    try:
        out = k.per_sample(k.tensors(k.empty(), requires_grad=False))
    except ValueError as err:
        return PASS, f"ValueError: {err}"
    raise _Failure(f"a batch of no samples was accepted and gave {_fmt(getattr(out, 'data', out))}; "
                   f"raise ValueError instead (losses.validate.nonempty)")


def _reductions_line(info, k, rng):
    if not info.has_reduction:
        return SKIP, "no reduction argument"
    inputs = k.tensors(k.samples(rng)[0], requires_grad=False)
    none, total = k.call(inputs, reduction="none"), k.call(inputs, reduction="sum")
    if none.size <= 1:
        raise _Failure(f'reduction="none" gave shape {none.shape} for a batch of {inputs[0].shape[0]}: it '
                       f"should keep one value per sample (is the reduction argument ignored?)")
    expected = k.expected_shape(inputs)
    if expected is not None and none.shape != expected:
        raise _Failure(f'reduction="none" gave shape {none.shape} for {info.inputs[0]} of shape '
                       f"{inputs[0].shape}; expected {expected}, one value per {k.values}"
                       f"{k.shape_hint(none.shape, inputs)}")
    if total.size != 1 or not agree(total.data.sum(), none.data.sum(), rtol=1e-9, atol=1e-12):
        raise _Failure(f'reduction="sum" gave {_fmt(total.data)}, but the "none" values add up to '
                       f"{none.data.sum():.6g} (is the reduction argument ignored?)")
    return PASS, f'"none" keeps {none.shape}, "sum" adds them up'


def _float32(info, k, rng):
    value, grads = _evaluate(k, k.samples(rng)[0], reduction="mean", dtype=np.float32)
    if value.dtype != np.float32:
        raise _Failure(f"float32 inputs gave a {value.dtype} value (make constants with "
                       f"mg.wrap(c, like=x) so they keep the input's dtype)")
    if grads is None:
        raise _Failure("the float32 value carries no gradient (requires_grad=False): is it computed with numpy?")
    for g in grads:
        if g.dtype != np.float32:
            raise _Failure(f"float32 inputs gave a {g.dtype} gradient")
    return PASS, "float32 in, float32 value and gradients out"


def _slopes(k, axis):
    """|dL/dv| at the points `axis` of the kind's robust variable (a Failure if not finite)."""
    z = mg.Tensor(axis, requires_grad=True)
    (g,) = mg.grad(k.along(k.from_output(z), k.cases[0]).sum(), z)
    g = np.abs(g.data)
    if not np.all(np.isfinite(g)):
        raise _Failure(f"the gradient is not finite as {k.robust_variable} grows: {_fmt(g)} at {_fmt(axis)}")
    return g


def robustness(k):
    """(bounded, detail): does |dL/dv| stay bounded as the error grows, v the kind's robust variable,
    on every side an outlier may fall (above and below the target for a residual)?"""
    sides = []
    for sign, where in k.robust_sides:
        axis = sign * k.robust_axis
        g = _slopes(k, axis)
        bounded = not (g[-1] > 2 * max(g[1], 1e-12) and g[-1] > 1e-9)
        shown = f"{', '.join(f'{v:.3g}' for v in g)} at {', '.join(f'{v:g}' for v in axis)}"
        sides.append((bounded, where, f"{where.split(',')[0]}: {shown}" if where else shown))
    shown = "; ".join(s for _, _, s in sides)
    growing = [where for bounded, where, _ in sides if not bounded]
    if not growing:
        verdict = (f"yes: the gradient with respect to {k.robust_variable} stays bounded "
                   f"{'on both sides ' if len(sides) > 1 else ''}({shown}), so no single sample can pull "
                   f"without limit")
    else:
        on = f" for {growing[0]}" if len(growing) < len(sides) else ""
        verdict = (f"no: the gradient with respect to {k.robust_variable} grows with the error{on} ({shown}), "
                   f"so the worst samples dominate")
    return not growing, f"{verdict} ({kinds.ROBUST_REFERENCE})"


def _ranges_line(info, k, rng):
    numeric = [name for name, value in k.params.items() if kinds.is_number(value)]
    if not numeric:
        return SKIP, "no numeric parameter"
    declared = [name for name in numeric if name in info.ranges]
    if not declared:
        return SKIP, (f"no range declared for {', '.join(numeric)} "
                      f"(register(..., ranges={{{numeric[0]!r}: (low, high)}}) sweeps it here)")
    tried, open_end = [], any(None in info.ranges[name] for name in declared)
    for name in declared:
        for value in dict.fromkeys(info.span(name)):
            at = kinds.kind(info, {**k.params, name: value})
            for prop in (_non_negative, _perfect_fit, _extremes, _gradient):
                try:
                    prop(info, at, np.random.default_rng(0))
                except _Failure as err:
                    raise _Failure(f"at {name} = {value:g}, an end of its range: {err}") from None
            tried.append(f"{name} = {value:g}")
    return PASS, (f"non-negative, lowest at a perfect fit, finite at extremes, backward matches finite "
                  f"differences at {', '.join(tried)} (each declared range's ends"
                  + ("; an open end at max(1, 3×default))" if open_end else ")"))


def _robust(info, k, rng):
    if not k.robust_variable:
        return SKIP, "a penalty sees the weights, not the data: there are no outliers"
    return NOTE, robustness(k)[1]


# key, title, property, whether a numpy warning inside it fails it (non-negative looks at
# the extremes too, but overflow there is the "extremes" line's business)
PROPERTIES = [
    ("gradient", "gradient (random points)", _gradient, True),
    ("closed_form", "closed-form gradient", _closed_form, True),
    ("kinks", "gradient near kinks", _kinks, True),
    ("extremes", "finite at extremes", _extremes, True),
    ("non_negative", "non-negative", _non_negative, False),
    ("perfect_fit", "zero at a perfect fit", _perfect_fit, True),
    ("shapes", "shape mismatch raises", _shapes, True),
    ("empty", "empty batch raises", _empty_batch, True),
    ("reductions", "reductions", _reductions_line, True),
    ("float32", "float32 kept", _float32, True),
    ("robust", "robust to outliers", _robust, True),
    ("ranges", "across parameter ranges", _ranges_line, True),
]


def _calls(info, k):
    """None if the loss returns a minigrad Tensor on typical inputs, else the reason it does not."""
    try:
        out = k.typical_value()
        if info.has_reduction:
            k.typical_value(reduction="none")      # register checks the shape of the values it returns
    except Exception as err:    # noqa: BLE001 - reported, not raised
        return f"calling it on typical {info.kind} inputs raised {type(err).__name__}: {err}"
    if not isinstance(out, mg.Tensor):
        return (f"it returned {type(out).__name__}, not a minigrad Tensor: build the loss from "
                f"minigrad ops (and return the tensor) so that the engine can differentiate it")
    return None


def check(loss, *, kind=None, verbose=True, seed=0, **params):
    """Test every property on `loss` (a name, a LossInfo or a loss function); return a CheckResult.

    An unregistered function needs kind= and is wrapped as `losses.register` would wrap it.
    `params` override the loss's parameter defaults. With verbose=True the report is
    printed. A property that raises an unexpected error fails with it.
    """
    info = make_info(loss, kind=kind) if kind is not None and not isinstance(loss, str) else get(loss)
    params = info.with_params(**params)
    k = kinds.kind(info, params)
    result = CheckResult(info.name, info.kind, info.signature(params), params)
    broken = _calls(info, k)
    if broken:
        result.lines.append(Line("calls", "returns a loss tensor", FAIL, broken))
    for key, title, prop, warnings_fail in ([] if broken else PROPERTIES):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                status, detail = prop(info, k, np.random.default_rng(seed))
            except _Failure as failure:
                status, detail = FAIL, str(failure)
            except Exception as err:    # noqa: BLE001 - a crash is a failed property, with its reason
                status, detail = FAIL, f"raised {type(err).__name__}: {err}"
        numeric = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if numeric and warnings_fail and status != FAIL:
            status, detail = FAIL, f"numpy warned '{numeric[0].message}' (an overflow or a division by zero); {detail}"
        result.lines.append(Line(key, title, status, detail))
    if verbose:
        print(result.report())
    return result

