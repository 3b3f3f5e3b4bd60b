"""The one checking machinery of `losses.check` and `lessons.exercises.grade`.

Call a function on given inputs without letting it raise, record what numpy warned,
take its gradients and a Hessian-vector product through the engine; compare two results
and find the entry where they disagree most; compare backward with finite differences.
Outcomes are reported as `Line`s of a `CheckResult` (both defined here).

    observe(fn, args, params, wrt=(0,))     an Observation: value, gradients, error, warnings
    mismatch(got, expected, rtol, atol)     None, or a Mismatch: the worst entry, both values there
    agree(got, expected)                    True when the two match (NaN and inf in the same places)
    finite_difference_mismatch(fn, args)    None, or why backward disagrees with finite differences

    >>> import minigrad as mg
    >>> seen = observe(lambda x: x * x, [np.array([1.0, -2.0])], wrt=(0,), curvature=True)
    >>> seen.value, seen.grads[0], seen.hvp[0]          # x², 2x·w and 2·v with w = v = 1
    (array([1., 4.]), array([ 2., -4.]), array([2., 2.]))
    >>> found = mismatch(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.5, 3.0]))
    >>> found.index, float(found.got), float(found.expected), found.count
    ((1,), 2.0, 2.5, 1)
"""
import textwrap
import warnings
from dataclasses import dataclass, field

import numpy as np

import minigrad as mg

__all__ = ["Observation", "observe", "Mismatch", "mismatch", "agree",
           "finite_difference_mismatch", "number", "FAIL", "NOTE", "PASS", "SKIP", "WARN", "CheckResult", "Line"]


# ---- the report: one line per property or check ----------------------------------------

PASS, FAIL, WARN, NOTE, SKIP = "pass", "FAIL", "warn", "note", "skip"


@dataclass
class Line:
    """One property: its key, a title, a status (pass / FAIL / warn / note / skip) and why."""
    key: str
    title: str
    status: str
    detail: str

    @property
    def failed(self):
        return self.status == FAIL


@dataclass
class CheckResult:
    """What `check` found: `result.passed`, `result["extremes"].status`, `print(result)`."""
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
        raise KeyError(f"no check line {key!r}; lines: {', '.join(line.key for line in self.lines)}")

    def report(self):
        width = max(len(line.title) for line in self.lines)
        out = [f"check {self.signature}  [{self.kind}]"]
        indent = " " * (len("  [pass] ") + width + 2)
        for line in self.lines:
            head = f"  [{line.status:>4}] {line.title:<{width}}  "
            out.append(textwrap.fill(line.detail, width=max(110, len(head) + 40), initial_indent=head,
                                     subsequent_indent=indent, break_on_hyphens=False))
        count = {s: sum(line.status == s for line in self.lines) for s in (PASS, WARN, FAIL)}
        out.append(f"{count[PASS]} passed, {count[WARN]} warned, {count[FAIL]} failed"
                   + (": every check holds" if self.passed else ""))
        return "\n".join(out)

    __str__ = report


# ---- calling a function ---------------------------------------------------------------------

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


# ---- comparing two results -------------------------------------------------------------------

@dataclass
class Mismatch:
    """Where two results differ most: the entry's index, got and expected there, and how many of
    the entries compared differ. When the shapes differ: index (), and got and expected are the shapes."""
    index: tuple
    got: object
    expected: object
    count: int
    compared: int
    same_shape: bool = True


def _excess(got, expected, rtol, atol):
    """Per entry, by how much got misses expected: > 0 is a mismatch.

    Numbers: |got − expected| − (atol + rtol·|expected|), as numpy's isclose; NaN matches NaN,
    inf matches an inf of the same sign, NaN against a number is the worst mismatch.
    Integers and bools (labels, indices): 1 where they differ, else −1.
    """
    if got.dtype.kind not in "fc" or expected.dtype.kind not in "fc":
        return np.where(got != expected, 1.0, -1.0)
    g, e = got.astype(np.float64), expected.astype(np.float64)
    both_nan = np.isnan(g) & np.isnan(e)
    same_inf = np.isinf(g) & np.isinf(e) & (np.sign(g) == np.sign(e))
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.abs(g - e) - (atol + rtol * np.abs(e))
    gap = np.where(both_nan | same_inf, -1.0, gap)
    return np.where(np.isnan(gap), np.inf, gap)


def mismatch(got, expected, rtol=1e-6, atol=1e-9):
    """None when got matches expected entry by entry (see _excess), else a Mismatch at the worst entry."""
    got, expected = np.asarray(got), np.asarray(expected)
    if got.shape != expected.shape:
        return Mismatch((), got.shape, expected.shape, got.size, max(got.size, expected.size), same_shape=False)
    excess = _excess(got, expected, rtol, atol)
    if not (excess > 0).any():
        return None
    index = tuple(int(i) for i in np.unravel_index(np.argmax(excess), excess.shape))
    return Mismatch(index, got[index], expected[index], int((excess > 0).sum()), excess.size)


def agree(got, expected, rtol=1e-6, atol=1e-9):
    """Same shape and close everywhere; NaN matches NaN and inf matches an inf of the same sign."""
    return mismatch(got, expected, rtol, atol) is None


def finite_difference_mismatch(fn, args, wrt=(0,)):
    """None when backward's gradient of the scalar fn(*args) agrees with central finite differences
    for the arguments `wrt` (numpy arrays, taken in float64), else why not: the input (counted
    among those in wrt), the index, both values there (the engine's `mg.gradcheck` compares).

    >>> finite_difference_mismatch(lambda x: (x * x).sum(), [np.array([1.0, -2.0])]) is None
    True
    """
    def fn_of_checked(*checked):
        full = list(args)
        for i, x in zip(wrt, checked):
            full[i] = x
        return fn(*full)
    try:
        mg.gradcheck(fn_of_checked, *[np.array(args[i], dtype=np.float64) for i in wrt])
    except mg.GradcheckError as err:
        return str(err).split(". Check")[0].replace("gradcheck: ", "")
    return None


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
