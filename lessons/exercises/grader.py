"""`grade(name, solution)`: compare a student's solution with the exercise's expected results.

The checks, in order (each a line of the report):

    returns     a minigrad Tensor with one value per element or sample, on every shape
    values      the values on hand-picked and random inputs, float64
    float32     float32 inputs give a float32 result with the same values
    gradient    the gradient from backward against the expected one (a detached or
                numpy-only solution fails here, with the reason)
    curvature   a Hessian-vector product through backward(create_graph=True), where the
                lesson uses curvature
    edges       the lecture's edge cases: |logit| 100 and 1e4, zero distances, ties
    …           the lecture's properties of the exercise (zero at a perfect fit, symmetry,
                where the loss stops pulling)

A failing line shows the smallest input that fails, expected against got, and a hint: the
hint of the planted slip whose results match the student's on that input, else a general
one. The reference solution is never shown.
"""
import textwrap
from dataclasses import dataclass

import numpy as np

from losses.workbench.compare import FAIL, PASS, SKIP, CheckResult, Line, agree, mismatch, number, observe

from .catalogue import EXERCISES, NUMPY_ONLY, ONE_PER_ELEMENT, Case

NOT_ATTEMPTED = "not attempted yet"
DISCONNECTED = ("your result is not connected to the inputs: a new mg.Tensor(..., requires_grad=True) made from "
                "numbers starts a graph of its own; compute the result from the input tensors with minigrad ops")


@dataclass
class GradeReport(CheckResult):
    """What `grade` found: `.passed`, `.attempted`, `report["values"].status`, `print(report)`."""
    attempted: bool = True

    @property
    def passed(self):
        return self.attempted and not self.failures

    def summary(self):
        if not self.attempted:
            return f"{self.name}: {NOT_ATTEMPTED}"
        counted = [line for line in self.lines if line.status in (PASS, FAIL)]
        passed = sum(line.status == PASS for line in counted)
        if self.passed:
            return f"{self.name}: all {passed} checks pass"
        return f"{self.name}: {passed} of {len(counted)} checks pass — not yet"

    def report(self):
        out = [f'grade("{self.name}", …)   {self.signature}']
        for line in self.lines:
            head = f"[{line.status:>4}] {line.title}: "
            first, *rest = line.detail.split("\n")
            out.append(textwrap.fill(first, width=110, initial_indent=head, subsequent_indent=" " * 7,
                                     break_on_hyphens=False))
            for more in rest:
                out.append(textwrap.fill(more, width=110, initial_indent=" " * 7, subsequent_indent=" " * 13,
                                         break_on_hyphens=False))
        out.append(self.summary())
        return "\n".join(out)

    __str__ = report

    def __repr__(self):
        return f"<GradeReport {self.summary()}>"

    def to_dict(self):
        return {"name": self.name, "passed": self.passed, "attempted": self.attempted,
                "checks": [{"key": line.key, "title": line.title, "status": line.status, "detail": line.detail}
                           for line in self.lines]}


class _Fail(Exception):
    def __init__(self, detail, hint):
        super().__init__(detail)
        self.detail, self.hint = detail, hint


# ---- inputs ------------------------------------------------------------------------------

def _random_cases(ex, rng):
    cases = []
    for shape in ex.shapes:
        for params in ex.param_sets:
            params = params(shape) if callable(params) else params
            full = {**params, **(ex.shape_params(shape) if ex.shape_params else {})}
            cases.append(Case(ex.sample(rng, shape, np.float64), full, f"random, shape {shape}"))
    return sorted(cases, key=lambda c: c.size)


def _fmt(v):
    v = np.asarray(v)
    if v.ndim == 0:
        return str(bool(v)) if v.dtype == bool else str(int(v)) if v.dtype.kind in "iu" else number(v)
    return np.array2string(v, precision=4, separator=", ", threshold=12, max_line_width=200)


def _where(ex, case, index, out_shape):
    """The inputs at one entry of the output: each argument's element or row there, and the parameters."""
    parts = []
    for name, a in zip(ex.arg_names, case.args):
        a = np.asarray(a)
        k = min(len(index), a.ndim)
        if index and k and a.shape[:k] == tuple(out_shape[:k]):
            a = a[tuple(index[:k])]
        parts.append(f"{name} = {_fmt(a)}")
    parts += [f"{key} = {_fmt(value) if isinstance(value, np.ndarray) else value}" for key, value in case.params.items()]
    return ", ".join(parts)


def _weights(shape, seed):
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 1.5, size=shape)


# ---- diagnosis: which slip is it? ----------------------------------------------------------

def _all_agree(mine, theirs):
    """Both None, or gradients (or Hessian-vector products) that agree one by one."""
    if (mine is None) != (theirs is None):
        return False
    return mine is None or all(agree(a, b, 1e-4, 1e-7) for a, b in zip(mine, theirs))


def _same(check, mine, theirs, ex):
    if not theirs.ok or theirs.value is None:
        return False
    if np.shape(mine.value) != np.shape(theirs.value):
        return False
    if check == "returns":
        return mine.is_tensor == theirs.is_tensor
    values_agree = agree(mine.value, theirs.value, ex.rtol * 10, ex.atol * 10)
    if check in ("values", "float32"):
        return values_agree
    if check == "gradient":
        return mine.carries_grad == theirs.carries_grad and values_agree and _all_agree(mine.grads, theirs.grads)
    if check == "curvature":
        return _all_agree(mine.hvp, theirs.hvp)
    if check == "edges":
        return values_agree and _all_agree(mine.grads, theirs.grads)
    return False


def _nonfinite(seen):
    """Where a result breaks down: non-finite entries of the value and of each gradient."""
    return [~np.isfinite(np.asarray(seen.value, dtype=float))] + [~np.isfinite(g) for g in seen.grads or []]


def _same_breakdown(mine, theirs):
    """Both break down (inf or NaN) at one entry at least: the same kind of instability, written another way."""
    return any(a.shape == b.shape and np.any(a & b) for a, b in zip(_nonfinite(mine), _nonfinite(theirs)))


def _diagnose(ex, check, case, mine, dtype, weights=None, direction=None, fallback=""):
    """The hint of the first slip whose results match the student's on this input, else `fallback`.

    On an edge case, a slip known for breaking down there (inf or NaN) also matches a
    solution that breaks down at one entry at least, when no slip matches exactly.
    """
    loose = None
    for slip in ex.slips:
        theirs = observe(slip.fn, case.args, case.params, wrt=ex.wrt if check in ("gradient", "curvature", "edges")
                         else (), weights=weights, curvature=check == "curvature", direction=direction,
                         dtype=dtype, tensors=ex.tensors)
        if _same(check, mine, theirs, ex):
            return slip.hint
        if check == "edges" and slip.check == "edges" and theirs.ok and _same_breakdown(mine, theirs):
            loose = loose or slip.hint          # the same instability written another way
    return loose or ex.hints.get(check, fallback)


# ---- the checks ------------------------------------------------------------------------------

def _call(ex, solution, case, dtype=np.float64, wrt=(), weights=None, curvature=False, direction=None):
    return observe(solution, case.args, case.params, wrt=wrt, weights=weights, curvature=curvature,
                   direction=direction, dtype=dtype, tensors=ex.tensors)


def _raised(seen, case, ex):
    return _Fail(f"on {case.label or 'the input'} ({_where(ex, case, (), ())}) it raised {seen.error}",
                 "read the error above: it names the line of your function that failed")


def _check_returns(ex, solution, cases, expected):
    shapes = []
    for case, want in zip(cases, expected):
        seen = _call(ex, solution, case)
        if not seen.ok:
            raise _raised(seen, case, ex)
        if seen.value is None:
            raise _Fail(f"on {case.label} it returned None", "return the result (a minigrad Tensor)")
        if ex.needs_tensor and not seen.is_tensor:
            raise _Fail(f"it returned {type(seen.returned).__name__}, not a minigrad Tensor",
                        _diagnose(ex, "returns", case, seen, np.float64,
                                  fallback="return the minigrad Tensor itself; " + NUMPY_ONLY))
        if np.shape(seen.value) != want.value.shape:
            in_shape = np.shape(case.args[0])
            fallback = ONE_PER_ELEMENT if np.size(seen.value) < want.value.size else \
                "one value per element or sample: the result has the shape of the first argument's samples"
            raise _Fail(f"on inputs of shape {in_shape} you return shape {np.shape(seen.value)}, expected "
                        f"{want.value.shape}", _diagnose(ex, "returns", case, seen, np.float64, fallback=fallback))
        shapes.append(want.value.shape)
    kind = "a minigrad Tensor" if ex.needs_tensor else "a result"
    return f"{kind} of shape {', '.join(str(s) for s in dict.fromkeys(shapes))} for the inputs tried"


def _compare_values(ex, solution, cases, dtype, rtol, atol, check):
    for case in cases:
        want = observe(ex.expect, case.args, case.params, dtype=dtype, tensors=ex.tensors)
        seen = _call(ex, solution, case, dtype)
        if not seen.ok:
            raise _raised(seen, case, ex)
        if check == "float32" and seen.is_tensor and seen.value.dtype != np.float32:
            raise _Fail(f"float32 inputs gave a {seen.value.dtype} result",
                        "a float64 constant promoted the result: np.array(...) or np.float64 numbers, or "
                        "mg.where / mg.Tensor made of plain numbers alone; mix Python numbers into the "
                        "tensor arithmetic instead, or make arrays in the input's dtype")
        found = mismatch(seen.value, want.value, rtol, atol)
        if found is not None:
            if not found.same_shape:
                raise _Fail(f"on inputs of shape {np.shape(case.args[0])} you return shape "
                            f"{np.shape(seen.value)}, expected {want.value.shape}",
                            ONE_PER_ELEMENT)
            raise _Fail(f"at {_where(ex, case, found.index, want.value.shape)} you give {_fmt(found.got)}, expected "
                        f"{_fmt(found.expected)}", _diagnose(ex, check, case, seen, dtype,
                                                        fallback="compare your formula with the one above, "
                                                                 "term by term, on this input"))
    return len(cases)


def _describe_cases(ex, cases):
    shapes = ", ".join(dict.fromkeys(str(tuple(np.shape(c.args[0]))) for c in cases))
    params = {}
    for c in cases:
        for k, v in c.params.items():
            text = "per-class weights" if isinstance(v, np.ndarray) else str(v)
            params.setdefault(k, {})[text] = None
    said = "; ".join(f"{k} = {', '.join(vs)}" for k, vs in params.items())
    return f"{len(cases)} inputs of shape {shapes}" + (f"; {said}" if said else "")


def _check_values(ex, solution, hand, cases):
    _compare_values(ex, solution, hand + cases, np.float64, ex.rtol, ex.atol, "values")
    return f"match on {_describe_cases(ex, hand + cases)}"


def _check_float32(ex, solution, cases):
    _compare_values(ex, solution, cases, np.float32, 2e-4, 1e-5, "float32")
    return "float32 in, float32 out, the same values to float32's precision"


def _check_gradient(ex, solution, cases, values_ok):
    for k, case in enumerate(cases):
        want = observe(ex.expect, case.args, case.params, tensors=ex.tensors)
        w = _weights(want.value.shape, k)
        want = observe(ex.expect, case.args, case.params, wrt=ex.wrt, weights=w, tensors=ex.tensors)
        seen = _call(ex, solution, case, wrt=ex.wrt, weights=w)
        if not seen.ok:
            raise _Fail(f"{seen.stage} raised {seen.error} on {case.label}",
                        "backward must return one gradient per parent, of the parent's shape")
        if not seen.carries_grad:
            raise _Fail(f"on {case.label}: the result has requires_grad=False",
                        _diagnose(ex, "gradient", case, seen, np.float64, w, fallback=NUMPY_ONLY))
        if not values_ok:
            continue
        if all(not np.any(g) for g in seen.grads) and any(np.any(g) for g in want.grads):
            raise _Fail(f"on {case.label}: every gradient is 0", DISCONNECTED)
        for name_index, got, expected in zip(ex.wrt, seen.grads, want.grads):
            found = mismatch(got, expected, 1e-5, 1e-8)
            if found is not None:
                name, where = ex.arg_names[name_index], found.index
                raise _Fail(f"∂/∂{name} at {_where(ex, case, where[:want.value.ndim], want.value.shape)} (upstream gradient "
                            f"{_fmt(w[where[:w.ndim]])}): you give {_fmt(found.got)}, "
                            f"expected {_fmt(found.expected)}",
                            _diagnose(ex, "gradient", case, seen, np.float64, w,
                                      fallback="differentiate your formula by hand on this input and compare"))
    if not values_ok:
        return SKIP, "the result carries a gradient; compared once the values pass"
    names = ", ".join(ex.arg_names[i] for i in ex.wrt)
    return PASS, f"backward gives the expected gradient for {names} on {len(cases)} inputs"


def _check_curvature(ex, solution, cases):
    for k, case in enumerate(cases):
        want0 = observe(ex.expect, case.args, case.params, tensors=ex.tensors)
        w = _weights(want0.value.shape, k)
        direction = [_weights(np.shape(case.args[i]), 100 + k + i) - 1.0 for i in ex.wrt]
        want = observe(ex.expect, case.args, case.params, wrt=ex.wrt, weights=w, curvature=True,
                       direction=direction, tensors=ex.tensors)
        seen = _call(ex, solution, case, wrt=ex.wrt, weights=w, curvature=True, direction=direction)
        if not seen.ok:
            raise _Fail(f"backward(create_graph=True) raised {seen.error} ({seen.stage})",
                        "write backward with tensor operations on g and the inputs, so it can be differentiated")
        if seen.hvp is None:
            raise _Fail("with create_graph=True your gradient is a constant: the second derivative is lost",
                        _diagnose(ex, "curvature", case, seen, np.float64, w, direction,
                                  fallback="compute the gradient with tensor operations, not numpy"))
        for got, expected in zip(seen.hvp, want.hvp):
            found = mismatch(got, expected, 1e-5, 1e-8)
            if found is not None:
                raise _Fail(f"Hessian·v at {_where(ex, case, found.index, got.shape)}: you give {_fmt(found.got)}, "
                            f"expected {_fmt(found.expected)}",
                            _diagnose(ex, "curvature", case, seen, np.float64, w, direction,
                                      fallback="check the kinks: where does your loss bend?"))
    return "the second derivative through backward(create_graph=True) matches"


def _check_edges(ex, solution):
    for case in ex.edges:
        for dtype in (np.float64, np.float32) if ex.tensors else (np.float64,):
            want = observe(ex.expect, case.args, case.params, wrt=ex.wrt, dtype=dtype, tensors=ex.tensors)
            seen = _call(ex, solution, case, dtype, wrt=ex.wrt)
            name = f" [{np.dtype(dtype).name}]" if ex.tensors else ""
            tag = f"{case.label}{name}"
            if not seen.ok:
                raise _Fail(f"on {tag} it raised {seen.error}", "edge cases must not raise")
            rtol = ex.rtol if dtype == np.float64 else 2e-4
            values = mismatch(seen.value, want.value, rtol, max(ex.atol, 1e-5 if dtype == np.float32 else 0))
            hint = None
            if values is not None and values.same_shape:
                found = (f"at {_where(ex, case, values.index, want.value.shape)}{name} you give "
                         f"{_fmt(values.got)}, expected {_fmt(values.expected)}")
            elif values is not None:
                found = f"on {tag} you return shape {np.shape(seen.value)}, expected {want.value.shape}"
            else:
                found = None
                for i, got, expected in zip(ex.wrt, seen.grads or [], want.grads or []):
                    bad = mismatch(got, expected, 1e-4, 1e-7)
                    if bad is not None:
                        row = bad.index[:want.value.ndim]
                        found = (f"∂/∂{ex.arg_names[i]} at {_where(ex, case, row, want.value.shape)}{name}: "
                                 f"you give {_fmt(bad.got)}, expected {_fmt(bad.expected)}")
                        break
                if found is None and seen.warnings and not want.warnings:
                    found = f"on {tag} numpy warned '{seen.warnings[0]}'"
            if found:
                hint = _diagnose(ex, "edges", case, seen, dtype,
                                 fallback="keep every exp and log in range: rewrite the formula in its stable form")
                raise _Fail(found, hint)
    return "; ".join(c.label for c in ex.edges) + (": finite and right, float64 and float32" if ex.tensors else ": right")


def _run(lines, key, title, check, *args):
    try:
        result = check(*args)
        status, detail = result if isinstance(result, tuple) else (PASS, result)
    except _Fail as failure:
        status, detail = FAIL, f"{failure.detail}\nhint: {failure.hint}"
    except Exception as err:      # noqa: BLE001 - the grader never raises for a solution
        status, detail = FAIL, f"the check could not run: {type(err).__name__}: {err}\nhint: read the error"
    lines.append(Line(key, title, status, detail))
    return status == PASS


def _attempted(ex, solution, case):
    if solution is None:
        return False
    seen = _call(ex, solution, case)
    if seen.error and seen.error.startswith("NotImplementedError"):
        return False
    return not (seen.ok and seen.value is None)


def grade(name, solution, verbose=True, seed=0):
    """Grade `solution` for exercise `name`: print each check and return a GradeReport.

    Never raises for a wrong or crashing solution; `solution=None`, or a stub that raises
    NotImplementedError or returns None, is "not attempted yet".
    """
    if name not in EXERCISES:
        raise ValueError(f"grade: no exercise {name!r}; available: {', '.join(EXERCISES)}")
    ex = EXERCISES[name]
    report = GradeReport(name, f"exercise, lesson {ex.lesson}", ex.signature, {})
    rng = np.random.default_rng(seed)
    hand, cases = ex.hand, _random_cases(ex, rng)
    if not _attempted(ex, solution, hand[0]):
        report.attempted = False
        report.lines.append(Line("attempted", "attempted", SKIP,
                                 f"{NOT_ATTEMPTED}: write `{ex.signature}` in place of the stub, then grade again"))
    else:
        _grade_lines(ex, solution, hand, cases, report.lines)
    if verbose:
        print(report.report())
    return report


def _grade_lines(ex, solution, hand, cases, lines):
    expected = [observe(ex.expect, c.args, c.params, tensors=ex.tensors) for c in hand + cases]
    if not _run(lines, "returns", "returns", _check_returns, ex, solution, hand + cases, expected):
        lines.append(Line("values", "values", SKIP, "not checked until the result has the right type and shape"))
        return
    values_ok = _run(lines, "values", "values", _check_values, ex, solution, hand, cases)
    floats = [c for c in cases if any(np.asarray(a).dtype.kind == "f" for a in c.args)]
    if ex.tensors and not ex.exact and floats:
        if values_ok:
            _run(lines, "float32", "float32", _check_float32, ex, solution, floats)
        else:
            lines.append(Line("float32", "float32", SKIP, "not checked until the values pass"))
    if ex.wrt:
        gradient_ok = _run(lines, "gradient", "gradient from backward", _check_gradient, ex, solution, cases,
                           values_ok)
        if ex.curvature:
            if gradient_ok and values_ok:
                _run(lines, "curvature", "curvature", _check_curvature, ex, solution, cases)
            else:
                lines.append(Line("curvature", "curvature", SKIP, "not checked until the values and gradient pass"))
    if ex.edges:
        if values_ok:
            _run(lines, "edges", "edge cases", _check_edges, ex, solution)
        else:
            lines.append(Line("edges", "edge cases", SKIP, "not checked until the values pass"))
    for key, title, prop in ex.properties:
        def property_check(prop=prop):
            status, detail, hint = prop(solution)
            if status == FAIL:
                raise _Fail(detail, hint)
            return status, detail
        _run(lines, key, title, property_check)
