"""Compare a function with a reference: values, gradients through backward, curvature.

The machinery under `lessons.exercises.grade` (and available to `check`): call a
function on given inputs without letting it raise, record what numpy warned, take its
gradients and a Hessian-vector product through the engine, and find the entry where
two results disagree most. Outcomes are reported as `properties.Line`s.

    observe(fn, args, params, wrt=(0,))     an Observation: value, gradients, error, warnings
    worst_mismatch(got, expected)           None, or the index where they differ most
    agree(got, expected)                    True when the two match (NaN and inf in the same places)

    >>> import minigrad as mg
    >>> seen = observe(lambda x: x * x, [np.array([1.0, -2.0])], wrt=(0,), curvature=True)
    >>> seen.value, seen.grads[0], seen.hvp[0]          # x², 2x·w and 2·v with w = v = 1
    (array([1., 4.]), array([ 2., -4.]), array([2., 2.]))
    >>> worst_mismatch(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.5, 3.0]))
    (1,)
"""
import warnings
from dataclasses import dataclass, field

import numpy as np

import minigrad as mg

from .properties import FAIL, NOTE, PASS, SKIP, WARN, CheckResult, Line

__all__ = ["Observation", "observe", "worst_mismatch", "agree", "number", "FAIL", "NOTE", "PASS", "SKIP",
           "WARN", "CheckResult", "Line"]


@dataclass
class Observation:
    """What one call gave: the value as numpy, whether it is a Tensor carrying gradient, its
    gradients (of Σ w·value, w the given weights) with respect to the inputs `wrt`, and a
    Hessian-vector product; `error` is the exception text if the call or a pass raised."""
    value: object = None
    returned: object = None
    is_tensor: bool = False
    carries_grad: bool = False
    grads: list = None
    hvp: list = None
    error: str = None
    stage: str = ""
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return self.error is None


def _as_input(x, requires_grad, dtype):
    """A tensor for float data (requires_grad as asked), a copy of integer or bool data, numbers as they are.

    Always a copy: a function that writes into its inputs cannot change the next call's.
    """
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        return mg.Tensor(x.astype(dtype), requires_grad=requires_grad)
    return x.copy() if isinstance(x, np.ndarray) else x


def observe(fn, args, params=None, wrt=(), weights=None, curvature=False, direction=None, dtype=np.float64,
            tensors=True):
    """Call fn(*args, **params) and take its gradients; never raises for what fn does.

    args      numpy arrays: float ones become minigrad Tensors in `dtype` (requires_grad for
              the positions in `wrt`) unless tensors=False; others pass as they are
    weights   the upstream gradient w (default ones): gradients are those of Σ w·fn(...)
    curvature also the Hessian-vector product H·v along `direction` (default ones), through
              backward(create_graph=True)
    """
    seen = Observation()
    inputs = [_as_input(a, i in wrt, dtype) if tensors else np.array(a, copy=True) for i, a in enumerate(args)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            seen.stage = "call"
            out = fn(*inputs, **(params or {}))
            seen.returned = out
            seen.is_tensor = isinstance(out, mg.Tensor)
            if out is not None:
                seen.value = out.data if seen.is_tensor else np.asarray(out)
            seen.carries_grad = seen.is_tensor and out.requires_grad
            if wrt and seen.carries_grad and seen.value.shape == np.shape(weights if weights is not None
                                                                            else seen.value):
                seen.stage = "backward"
                w = np.ones_like(seen.value) if weights is None else weights.astype(seen.value.dtype)
                wanted = [inputs[i] for i in wrt]
                grads = mg.grad((out * w).sum(), wanted, create_graph=curvature)
                seen.grads = [g.data for g in grads]
                if curvature:
                    seen.stage = "second derivative"
                    connected = [g for g in grads if g.requires_grad]
                    if not connected:
                        seen.hvp = None
                    else:
                        v = [np.ones_like(g.data) if direction is None else direction[k].astype(g.dtype)
                             for k, g in enumerate(grads)]
                        total = sum((g * vk).sum() for g, vk in zip(grads, v))
                        seen.hvp = [h.data for h in mg.grad(total, wanted)]
        except (Exception, SystemExit) as err:     # noqa: BLE001 - the caller reports what the function did
            seen.error = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    seen.warnings = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return seen


def agree(got, expected, rtol=1e-6, atol=1e-9):
    """Same shape and close everywhere; NaN matches NaN and inf matches an inf of the same sign."""
    return worst_mismatch(got, expected, rtol, atol) is None and np.shape(got) == np.shape(expected)


def worst_mismatch(got, expected, rtol=1e-6, atol=1e-9):
    """None when got matches expected, else the index (a tuple) of the worst entry; () for a shape mismatch."""
    got, expected = np.asarray(got), np.asarray(expected)
    if got.shape != expected.shape:
        return ()
    if got.dtype.kind not in "fc" or expected.dtype.kind not in "fc":
        bad = got != expected
        return tuple(int(i) for i in np.argwhere(bad)[0]) if bad.any() else None
    g, e = got.astype(np.float64), expected.astype(np.float64)
    both_nan = np.isnan(g) & np.isnan(e)
    same_inf = np.isinf(g) & np.isinf(e) & (np.sign(g) == np.sign(e))
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.abs(g - e) - (atol + rtol * np.abs(e))
    gap = np.where(both_nan | same_inf, -1.0, gap)
    gap = np.where(np.isnan(gap), np.inf, gap)             # NaN against a number: the worst mismatch
    if not (gap > 0).any():
        return None
    return tuple(int(i) for i in np.unravel_index(np.argmax(gap), gap.shape))


def number(x):
    """A short, exact-enough text for one value: 2.5, -10000.0, 3.72e-44, nan.

    >>> number(2.5), number(-1e4), number(3.72e-44), number(float("inf"))
    ('2.5', '-10000.0', '3.72e-44', 'inf')
    """
    x = float(x)
    if not np.isfinite(x):
        return str(x)
    if x == int(x) and abs(x) < 1e6:
        return f"{x:.1f}"
    return f"{x:.6g}"
