"""The exercises: what each asks, its reference solution, its inputs, its properties and its slips.

Each `Exercise` holds
- the task: a signature and the formula (the docstring of the student's stub);
- `reference`: a model solution (for the lecturer; never written into the student version);
- `expected`: what the grader compares with: the library's own loss with reduction="none"
  where the exercise reimplements one, else the reference (tested against loops and
  hand-worked values in tests/test_exercises.py);
- inputs: hand-picked small cases first (so the smallest failing input is a simple one),
  then random ones of several shapes, and the lecture's edge cases;
- properties: the lecture's properties, tested on the solution alone;
- slips: the wrong solutions students write, each with its hint. A failing check names
  the slip whose results match the student's on the failing input.
"""
from dataclasses import dataclass, field

import numpy as np

import losses
import minigrad as mg
from losses.workbench.compare import FAIL, PASS, agree, mismatch, number, observe


@dataclass
class Case:
    """One call: the data arguments (numpy arrays) and the parameters."""
    args: list
    params: dict = field(default_factory=dict)
    label: str = ""

    @property
    def size(self):
        return sum(np.size(a) for a in self.args)


@dataclass
class Slip:
    """A wrong solution a student writes, and the hint that names it."""
    name: str
    fn: object
    hint: str
    check: str            # the check it fails first (tests hold it to that)


@dataclass
class Exercise:
    name: str
    lesson: str
    description: str
    signature: str
    formula: str                     # the stub's docstring: the task, the formula, what to return
    reference: object
    sample: object                   # sample(rng, shape, dtype) -> list of numpy arrays (the data arguments)
    shapes: list
    param_sets: list
    hand: list                       # [Case]: small cases a student can check by hand, checked first
    expected: object = None          # None: the reference
    wrt: tuple = ()                  # positions of the arguments the gradient is checked for
    curvature: bool = False          # the second derivative is part of the lesson
    edges: list = field(default_factory=list)      # [Case] with a label: extremes, zero distances, ties
    properties: list = field(default_factory=list)  # [(key, title, fn(solution) -> (status, detail, hint))]
    slips: list = field(default_factory=list)
    needs_tensor: bool = True        # must return a minigrad Tensor (False: indices or constants may be numpy)
    tensors: bool = True             # float arguments are passed as minigrad Tensors
    exact: bool = False              # compare exactly (indices)
    rtol: float = 1e-6
    atol: float = 1e-9
    hints: dict = field(default_factory=dict)      # a generic hint per check, when no slip matches
    shape_params: object = None      # shape -> parameters that follow from the shape (num_classes)

    def expect(self, *args, **params):
        return (self.expected or self.reference)(*args, **params)

    @property
    def arg_names(self):
        inside = self.signature[self.signature.index("(") + 1:-1]
        return [a.split("=")[0].strip() for a in inside.split(",") if "=" not in a]


def _safe_norm(squared):
    """√s with gradient 0 where s = 0 (the smallest subgradient of the norm), finite everywhere."""
    positive = squared > 0
    return mg.where(positive, mg.sqrt(mg.where(positive, squared, 1.0)), 0.0)


def _none(loss):
    """The library's loss, one value per element or sample."""
    return lambda *args, **params: loss(*args, **params, reduction="none")


NUMPY_ONLY = ("your result carries no gradient: it was computed with numpy (.data, .numpy(), np.…) or "
              "detached, so backward cannot reach the inputs; compute it with minigrad ops (mg.exp, "
              "mg.where, mg.maximum, tensor arithmetic)")
ONE_PER_ELEMENT = ("a sum or mean where one value per element was due: return the loss of every element; "
                   "the reduction is applied outside")
ONE_PER_SAMPLE = ("one value per sample was due: reduce over the features or classes (axis=1) only, "
                  "never over the samples")
BROADCAST = ("a broadcasting slip: inputs of shape (N, 1) and (N,) combine into an (N, N) matrix; keep "
             "both in the same shape")


def _numpy_only(fn):
    """The slip of computing with numpy: the right numbers, cut off from the graph."""
    def detached(*args, **params):
        plain = [mg.Tensor(a.data) if isinstance(a, mg.Tensor) else a for a in args]
        with mg.no_grad():
            return mg.Tensor(fn(*plain, **params).data)
    return detached


# ---- helpers for properties ------------------------------------------------------------

def _prop(solution, args, params=None, wrt=(), dtype=np.float64):
    seen = observe(solution, args, params, wrt=wrt, dtype=dtype)
    if not seen.ok:
        return None, f"raised {seen.error}"
    if seen.value is None:
        return None, "returned None"
    return seen, None


def _zero_at_perfect_fit(make):
    def prop(solution):
        args = make()
        seen, err = _prop(solution, args, wrt=(0,))
        if err:
            return FAIL, err, "the function must run on these inputs"
        worst = float(np.max(np.abs(seen.value)))
        if worst > 1e-12:
            return FAIL, f"at a perfect fit (prediction = target) you give {number(worst)}, expected 0", \
                "the loss of a perfect prediction is 0: check each term vanishes when the residual is 0"
        return PASS, "0 wherever prediction = target", ""
    return prop


def _symmetric(solution):
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=6), rng.normal(size=6) * 3
    one, err = _prop(solution, [a, b])
    two, err2 = _prop(solution, [b, a])
    if err or err2:
        return FAIL, err or err2, "the function must run on these inputs"
    found = mismatch(one.value, two.value, 1e-9, 1e-12)
    if found is not None:
        (i,) = found.index
        return FAIL, (f"a residual of {number(b[i] - a[i])} gives {number(one.value[i])} but "
                      f"{number(a[i] - b[i])} gives {number(two.value[i])}"), \
            "over- and under-prediction by the same amount must cost the same: use |r|, not r, in the tests"
    return PASS, "a residual r and −r cost the same", ""


# ---- 01: the backward of one op ------------------------------------------------------------

def squared_error_reference(pred, target):
    r = pred.data - target.data

    def backward(g, out):
        twice_r = 2.0 * (pred - target)         # tensors: the same lines serve create_graph=True
        return g * twice_r, -(g * twice_r)
    return mg.record(r ** 2, (pred, target), backward, name="squared_error")


def _record_slip(grads):
    def op(pred, target):
        def backward(g, out):
            return grads(g, pred, target)
        return mg.record((pred.data - target.data) ** 2, (pred, target), backward, name="squared_error")
    return op


def _two_floats(rng, shape, dtype):
    return [rng.normal(size=shape).astype(dtype), rng.normal(size=shape).astype(dtype)]


SQUARED_ERROR = Exercise(
    name="squared_error", lesson="01",
    description="the op (ŷ − y)² with its own backward, made with mg.record",
    signature="squared_error(pred, target)",
    formula="""The op (ŷ - y)², elementwise, computed with numpy and recorded with its backward.

    Forward:   out = (pred.data - target.data) ** 2
    Backward:  dL/dŷ = g · 2(ŷ - y),   dL/dy = g · (-2)(ŷ - y)
    Make the output with mg.record(value, (pred, target), backward, name="squared_error"),
    where backward(g, out) returns one gradient per parent. Write it with the tensors g,
    pred and target (not their .data), so that backward(create_graph=True) can
    differentiate it again.""",
    reference=squared_error_reference,
    expected=lambda pred, target: (pred - target) ** 2,
    sample=_two_floats,
    shapes=[(5,), (3, 4)],
    param_sets=[{}],
    hand=[Case([np.array([3.0]), np.array([1.0])])],
    wrt=(0, 1),
    curvature=True,
    slips=[
        Slip("missing 2", _record_slip(lambda g, p, t: (g * (p - t), -(g * (p - t)))),
             "d/dŷ (ŷ − y)² = 2(ŷ − y): the factor 2 from the power rule is missing", "gradient"),
        Slip("ignores g", _record_slip(lambda g, p, t: (2.0 * (p - t), -2.0 * (p - t))),
             "multiply by the upstream gradient g (chain rule): backward returns g · ∂out/∂input, not "
             "∂out/∂input alone", "gradient"),
        Slip("same sign", _record_slip(lambda g, p, t: (g * 2.0 * (p - t), g * 2.0 * (p - t))),
             "a flipped sign: out depends on y through −y, so dL/dy = −g · 2(ŷ − y)", "gradient"),
        Slip("numpy backward", _record_slip(lambda g, p, t: (2.0 * (p.data - t.data) * g.data,
                                                             -2.0 * (p.data - t.data) * g.data)),
             "backward computes with numpy arrays (.data): the gradient is right, but with "
             "create_graph=True it is a constant, so the second derivative is lost; write it with the "
             "tensors g, pred and target", "curvature"),
    ],
    hints={"gradient": "backward(g, out) returns (g · 2(ŷ − y), −g · 2(ŷ − y)), in the order of the parents"},
)


# ---- 02: MSE and Huber ---------------------------------------------------------------------

def mse_reference(pred, target):
    return (target - pred) ** 2


MSE = Exercise(
    name="mse", lesson="02",
    description="the squared error (y − ŷ)² of every element",
    signature="mse(pred, target)",
    formula="""Squared error of every element:  L = (y - ŷ)²,  with ŷ = pred and y = target.

    Return one value per element (same shape as pred), as a minigrad Tensor: the
    mean over the data is taken outside (losses.reduce).""",
    reference=mse_reference,
    expected=_none(losses.mse),
    sample=_two_floats,
    shapes=[(5,), (3, 4), (2, 3, 2)],
    param_sets=[{}],
    hand=[Case([np.array([0.0]), np.array([3.0])]), Case([np.array([1.0, 2.0]), np.array([3.0, -1.0])])],
    wrt=(0,),
    curvature=True,
    properties=[("perfect_fit", "zero at a perfect fit",
                 _zero_at_perfect_fit(lambda: [np.array([0.5, -2.0, 3.0])] * 2)),
                ("symmetry", "symmetric in the residual", _symmetric)],
    slips=[
        Slip("half", lambda p, t: 0.5 * (t - p) ** 2,
             "the lecture's MSE has no ½: it is (y − ŷ)², so r = 3 costs 9", "values"),
        Slip("absolute", lambda p, t: (t - p).abs(),
             "square the residual: |y − ŷ| is the MAE", "values"),
        Slip("mean", lambda p, t: ((t - p) ** 2).mean(), ONE_PER_ELEMENT, "returns"),
        Slip("broadcast", lambda p, t: (p.reshape(-1, 1) - t) ** 2, BROADCAST, "returns"),
        Slip("numpy only", _numpy_only(mse_reference), NUMPY_ONLY, "gradient"),
    ],
)


def huber_reference(pred, target, delta=1.0):
    r = (target - pred).abs()
    return mg.where(r <= delta, 0.5 * r ** 2, delta * r - 0.5 * delta ** 2)


def _huber_bounded(solution):
    pred, target = np.array([0.0, 0.0, 0.0, 0.0]), np.array([-100.0, -5.0, 5.0, 100.0])
    seen, err = _prop(solution, [pred, target], {"delta": 1.0}, wrt=(0,))
    if err:
        return FAIL, err, "the function must run on these inputs"
    if seen.grads is None:
        return FAIL, "no gradient to test", NUMPY_ONLY
    slope = np.abs(seen.grads[0])
    if not np.allclose(slope, 1.0):
        return FAIL, (f"with δ = 1.0 the slopes at r = −100, −5, 5, 100 are "
                      f"{', '.join(number(s) for s in slope)}, expected 1.0 each"), \
            "beyond |r| = δ the loss is linear: its slope is δ, whatever the size of the outlier"
    return PASS, "beyond |r| = δ the slope stays at δ: an outlier pulls no harder than δ", ""


def _huber_continuous(solution):
    delta = 1.5
    r = np.array([delta - 1e-9, delta + 1e-9, -delta - 1e-9, -delta + 1e-9])
    seen, err = _prop(solution, [np.zeros(4), r], {"delta": delta})
    if err:
        return FAIL, err, "the function must run on these inputs"
    jump = max(abs(seen.value[0] - seen.value[1]), abs(seen.value[2] - seen.value[3]))
    if jump > 1e-6:
        return FAIL, f"at |r| = δ = {delta} the two pieces give values {jump:.3g} apart", \
            "the linear piece δ|r| − ½δ² meets ½r² at |r| = δ: check the −½δ²"
    return PASS, f"the two pieces meet at |r| = δ (δ = {delta})", ""


HUBER = Exercise(
    name="huber", lesson="02",
    description="the Huber loss: quadratic near 0, linear beyond δ",
    signature="huber(pred, target, delta=1.0)",
    formula="""Huber loss of every element, with r = y - ŷ:

        L = ½ r²              where |r| <= δ
        L = δ|r| - ½ δ²       where |r| >  δ

    Return one value per element (same shape as pred), as a minigrad Tensor.""",
    reference=huber_reference,
    expected=_none(losses.huber),
    sample=_two_floats,
    shapes=[(5,), (3, 4), (2, 3, 2)],
    param_sets=[{"delta": 1.0}, {"delta": 0.5}, {"delta": 2.0}],
    hand=[Case([np.array([0.0]), np.array([3.0])], {"delta": 1.0}),
          Case([np.array([0.0]), np.array([3.0])], {"delta": 2.0}),
          Case([np.array([0.0]), np.array([0.5])], {"delta": 1.0}),
          Case([np.array([0.0]), np.array([-3.0])], {"delta": 1.0})],
    wrt=(0,),
    curvature=True,
    properties=[("perfect_fit", "zero at a perfect fit",
                 _zero_at_perfect_fit(lambda: [np.array([0.5, -2.0, 3.0])] * 2)),
                ("symmetry", "symmetric in the residual", _symmetric),
                ("bounded", "an outlier's pull is bounded by δ", _huber_bounded),
                ("continuous", "continuous at |r| = δ", _huber_continuous)],
    slips=[
        Slip("missing half", lambda p, t, delta=1.0: mg.where((t - p).abs() <= delta, (t - p) ** 2,
                                                               delta * (t - p).abs() - 0.5 * delta ** 2),
             "the quadratic piece is ½r²: the ½ is missing", "values"),
        Slip("delta misplaced", lambda p, t, delta=1.0: mg.where((t - p).abs() <= delta, 0.5 * (t - p) ** 2,
                                                                  delta * (t - p).abs() - 0.5 * delta),
             "δ in the wrong place: the linear part is δ|r| − ½δ² (δ squared), so the two pieces meet at |r| = δ",
             "values"),
        Slip("signed residual", lambda p, t, delta=1.0: mg.where(t - p <= delta, 0.5 * (t - p) ** 2,
                                                                  delta * (t - p).abs() - 0.5 * delta ** 2),
             "compare |r| with δ, not r: a large negative residual is an outlier too", "values"),
        Slip("numpy only", _numpy_only(huber_reference), NUMPY_ONLY, "gradient"),
    ],
)


# ---- 03: cross-entropy from logits ------------------------------------------------------------

def bce_reference(logits, target, pos_weight=None):
    positive = target * mg.softplus(-logits)            # -y·log σ(z)
    if pos_weight is not None:
        positive = pos_weight * positive
    return positive + (1.0 - target) * mg.softplus(logits)     # -(1 - y)·log(1 - σ(z))


def _weighted(pos_weight, positive, negative):
    return (positive if pos_weight is None else pos_weight * positive) + negative


def _binary(rng, shape, dtype):
    return [(rng.normal(size=shape) * 3).astype(dtype), rng.integers(0, 2, size=shape).astype(dtype)]


_EXTREME_LOGITS = np.array([-1e4, -100.0, -30.0, 30.0, 100.0, 1e4])


def _extreme_cases(params=None):
    z = np.concatenate([_EXTREME_LOGITS, _EXTREME_LOGITS])
    y = np.repeat([0.0, 1.0], len(_EXTREME_LOGITS))
    return [Case([z, y], dict(params or {}), "logits of ±30, ±100 and ±1e4, labels 0 and 1")]


def _nonnegative(sample, params=None):
    def prop(solution):
        args = sample(np.random.default_rng(3), (200,), np.float64)
        seen, err = _prop(solution, args, params)
        if err:
            return FAIL, err, "the function must run on these inputs"
        low = float(np.min(seen.value))
        if low < -1e-12:
            return FAIL, f"the loss reaches {number(low)}", \
                "a flipped sign: a loss is a penalty, never below 0 (−log p is positive)"
        return PASS, f"lowest value {low:.3g} over 200 random inputs", ""
    return prop


def _bce_pulls(solution):
    z, y = np.array([30.0, -30.0, -100.0, 100.0]), np.array([1.0, 0.0, 1.0, 0.0])
    seen, err = _prop(solution, [z, y], wrt=(0,))
    if err:
        return FAIL, err, "the function must run on these inputs"
    if seen.grads is None:
        return FAIL, "no gradient to test", NUMPY_ONLY
    g = seen.grads[0]
    if not (np.all(np.abs(g[:2]) < 1e-12) and np.allclose(np.abs(g[2:]), 1.0)):
        return FAIL, (f"gradients at (z, y) = (30, 1), (−30, 0), (−100, 1), (100, 0): "
                      f"{', '.join(number(v) for v in g)}; expected ≈ 0, 0, −1, 1"), \
            "the gradient with respect to the logit is σ(z) − y"
    return PASS, "confidently right: gradient ≈ 0 (it stops pulling); confidently wrong: it pulls with slope 1", ""


BCE = Exercise(
    name="binary_cross_entropy_with_logits", lesson="03",
    description="binary cross-entropy from logits, stable for any logit",
    signature="binary_cross_entropy_with_logits(logits, target, pos_weight=None)",
    formula="""Binary cross-entropy of every element from a logit z, with p = σ(z):

        L = -[y·log(p) + (1 - y)·log(1 - p)]
        with pos_weight w (a number, or None for 1): L = -[w·y·log(p) + (1 - y)·log(1 - p)]

    Stable for any logit: log σ(z) = -softplus(-z) and log(1 - σ(z)) = -softplus(z),
    with mg.softplus (or max(z, 0) + log(1 + exp(-|z|))). A logit of ±1e4 must give a
    finite value and gradient. Return one value per element, as a minigrad Tensor.""",
    reference=bce_reference,
    expected=_none(losses.binary_cross_entropy_with_logits),
    sample=_binary,
    shapes=[(5,), (3, 4), (2, 3, 2)],
    param_sets=[{}, {"pos_weight": 3.0}],
    hand=[Case([np.array([0.0]), np.array([1.0])]), Case([np.array([2.0, -1.0]), np.array([0.0, 1.0])]),
          Case([np.array([0.0, 0.0]), np.array([1.0, 0.0])], {"pos_weight": 3.0})],
    wrt=(0,),
    curvature=True,
    edges=_extreme_cases() + _extreme_cases({"pos_weight": 3.0}),
    properties=[("non_negative", "never below 0", _nonnegative(_binary)),
                ("pulls", "stops pulling when confidently right", _bce_pulls)],
    slips=[
        Slip("naive log sigmoid", lambda z, y, pos_weight=None:
             -_weighted(pos_weight, y * mg.log(mg.sigmoid(z)), (1.0 - y) * mg.log(1.0 - mg.sigmoid(z))),
             "log(sigmoid(z)) overflows: σ(z) rounds to exactly 0 or 1 for a large |z|, and log 0 = −inf; "
             "use log σ(z) = −softplus(−z) and log(1 − σ(z)) = −softplus(z)", "edges"),
        Slip("flipped sign", lambda z, y, pos_weight=None: -bce_reference(z, y, pos_weight),
             "a flipped sign: the loss is −[y log p + (1 − y) log(1 − p)], positive", "values"),
        Slip("negatives forgotten", lambda z, y, pos_weight=None: _weighted(pos_weight, y * mg.softplus(-z), 0.0),
             "the term for the negatives, −(1 − y)·log(1 − p), is missing: a label 0 must cost something",
             "values"),
        Slip("numpy only", _numpy_only(bce_reference), NUMPY_ONLY, "gradient"),
        Slip("pos_weight on both terms", lambda z, y, pos_weight=None:
             (1.0 if pos_weight is None else pos_weight) * bce_reference(z, y),
             "pos_weight weighs the positive term only: w·y·softplus(−z) + (1 − y)·softplus(z)", "values"),
    ],
)


def cross_entropy_reference(logits, target, weight=None, label_smoothing=0.0):
    n, c = logits.shape
    log_p = logits.log_softmax(axis=1)                  # z - logsumexp(z): no overflow
    w = np.ones(c) if weight is None else np.asarray(weight)
    w = w.astype(logits.dtype)                          # float32 stays float32
    loss = -log_p[np.arange(n), target] * w[target]     # -w_y·log p_y
    if label_smoothing:
        spread = -(log_p * w).sum(axis=1)               # Σ_i -w_i·log p_i
        loss = (1.0 - label_smoothing) * loss + (label_smoothing / c) * spread
    return loss


def _class_weights(shape):
    return {"weight": np.linspace(0.5, 2.0, shape[1])}


def _classes(rng, shape, dtype):
    n, c = shape
    return [(rng.normal(size=shape) * 3).astype(dtype), rng.integers(0, c, size=n)]


def _shift_invariant(solution):
    z, y = _classes(np.random.default_rng(5), (4, 3), np.float64)
    one, err = _prop(solution, [z, y])
    two, err2 = _prop(solution, [z + 1000.0, y])
    if err or err2:
        return FAIL, err or err2, "adding a constant to the logits must not break it: subtract the row max"
    if not agree(one.value, two.value, 1e-6, 1e-9):
        return FAIL, f"adding 1000 to every logit changes the loss from {one.value} to {two.value}", \
            "softmax only sees differences of logits: compute log p = z − logsumexp(z) (z.log_softmax(axis=1))"
    return PASS, "adding 1000 to every logit leaves every loss unchanged", ""


CROSS_ENTROPY = Exercise(
    name="cross_entropy", lesson="03",
    description="softmax cross-entropy from logits (N, C) and class indices (N,)",
    signature="cross_entropy(logits, target, weight=None, label_smoothing=0.0)",
    formula="""Softmax cross-entropy of every sample, from logits z (N, C) and class indices y (N,):

        L = -log p_y,    p = softmax(z) over the classes (axis 1)

    Through log-softmax: log p = z - logsumexp(z) (z.log_softmax(axis=1)), never
    log(exp(z) / Σ exp(z)), which overflows. Pick -log p of the target class of each
    row: log_p[np.arange(N), target]. Return one value per sample, shape (N,).
    weight (C,), a numpy array or None, scales each class: L = -w_y·log p_y.
    label_smoothing ε spreads ε/C over every class:
        L = (1 - ε)·(-w_y·log p_y) + (ε/C)·Σ_i (-w_i·log p_i)""",
    reference=cross_entropy_reference,
    expected=_none(losses.cross_entropy),
    sample=_classes,
    shapes=[(4, 3), (7, 5), (1, 2)],
    param_sets=[{}, _class_weights, {"label_smoothing": 0.2},
                lambda shape: {**_class_weights(shape), "label_smoothing": 0.1}],
    hand=[Case([np.array([[0.0, 0.0, 0.0, 0.0]]), np.array([3])]),
          Case([np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([0, 0])]),
          Case([np.array([[0.0, 0.0]]), np.array([1])], {"weight": np.array([1.0, 3.0])}),
          Case([np.array([[0.0, 0.0]]), np.array([1])], {"label_smoothing": 0.2})],
    wrt=(0,),
    edges=[Case([np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0], [100.0, -100.0, 0.0], [0.0, 0.0, 1e4]]),
                 np.array([2, 1, 0, 0])], {}, "logits of ±100 and ±1e4")],
    properties=[("shift", "unchanged when every logit shifts", _shift_invariant),
                ("non_negative", "never below 0", _nonnegative(lambda r, s, d: _classes(r, (s[0], 4), d)))],
    slips=[
        Slip("naive softmax", lambda z, y, weight=None, label_smoothing=0.0: _ce_from_log_p(
             mg.log(mg.exp(z) / mg.exp(z).sum(axis=1, keepdims=True)), y, weight, label_smoothing),
             "exp(z) overflows for a large logit (and log 0 = −inf for a small p): compute log p with "
             "z.log_softmax(axis=1), or subtract each row's max before exp (logsumexp)", "edges"),
        Slip("wrong axis", lambda z, y, weight=None, label_smoothing=0.0:
             _ce_from_log_p(z.log_softmax(axis=0), y, weight, label_smoothing),
             "softmax over the classes (axis=1), not over the samples (axis=0): each row's p must sum to 1",
             "values"),
        Slip("no target picked", lambda z, y, weight=None, label_smoothing=0.0: -z.log_softmax(axis=1).sum(axis=1),
             "pick the target's log-probability: −log p_y of each row (log_p[np.arange(N), target]), "
             "not the sum over every class", "values"),
        Slip("flipped sign", lambda z, y, weight=None, label_smoothing=0.0:
             -cross_entropy_reference(z, y, weight, label_smoothing),
             "a flipped sign: the loss is −log p_y, positive", "values"),
        Slip("mean", lambda z, y, weight=None, label_smoothing=0.0:
             cross_entropy_reference(z, y, weight, label_smoothing).mean(), ONE_PER_SAMPLE, "returns"),
        Slip("smoothing keeps 1", lambda z, y, weight=None, label_smoothing=0.0:
             cross_entropy_reference(z, y, weight) + label_smoothing * cross_entropy_reference(z, y, weight, 1.0),
             "label smoothing takes ε from the true class: (1 − ε)·(−w_y·log p_y) + (ε/C)·Σ_i (−w_i·log p_i)",
             "values"),
    ],
)


def _ce_from_log_p(log_p, y, weight, label_smoothing):
    """Cross-entropy from given log-probabilities (the slips' own, right or wrong)."""
    n, c = log_p.shape
    w = np.ones(c) if weight is None else np.asarray(weight, dtype=log_p.dtype)
    loss = -log_p[np.arange(n), y] * w[y]
    if label_smoothing:
        loss = (1.0 - label_smoothing) * loss + (label_smoothing / c) * -(log_p * w).sum(axis=1)
    return loss


# ---- 04: hinge --------------------------------------------------------------------------------

def hinge_reference(scores, target):
    return mg.relu(1.0 - target * scores)


def _signed(rng, shape, dtype):
    return [(rng.normal(size=shape) * 2).astype(dtype), rng.choice([-1.0, 1.0], size=shape).astype(dtype)]


def _hinge_stops(solution):
    s, y = np.array([1.5, -3.0, 2.0]), np.array([1.0, -1.0, 1.0])
    seen, err = _prop(solution, [s, y], wrt=(0,))
    if err:
        return FAIL, err, "the function must run on these inputs"
    if np.any(seen.value != 0) or (seen.grads is not None and np.any(seen.grads[0] != 0)):
        grads = "none" if seen.grads is None else ", ".join(number(v) for v in seen.grads[0])
        return FAIL, (f"at y·f(x) = 1.5, 3, 2 you give {', '.join(number(v) for v in seen.value)} "
                      f"(gradients {grads}); expected 0 and no gradient"), \
            "beyond the margin (y·f(x) ≥ 1) the hinge is 0 and stops pulling: that is the max(0, ·)"
    return PASS, "0, with gradient 0, wherever y·f(x) ≥ 1: a point beyond the margin stops pulling", ""


HINGE = Exercise(
    name="hinge", lesson="04",
    description="the hinge loss max(0, 1 − y·f(x)) with labels ±1",
    signature="hinge(scores, target)",
    formula="""Hinge loss of every element, scores f(x) and labels y in {-1, +1}:

        L = max(0, 1 - y·f(x))

    Return one value per element, as a minigrad Tensor (mg.relu or mg.maximum).""",
    reference=hinge_reference,
    expected=_none(losses.hinge),
    sample=_signed,
    shapes=[(5,), (3, 4), (2, 3, 2)],
    param_sets=[{}],
    hand=[Case([np.array([0.5]), np.array([1.0])]), Case([np.array([2.0, 0.5]), np.array([-1.0, 1.0])])],
    wrt=(0,),
    properties=[("stops", "stops pulling beyond the margin", _hinge_stops),
                ("non_negative", "never below 0", _nonnegative(_signed))],
    slips=[
        Slip("no max", lambda s, y: 1.0 - y * s,
             "without max(0, ·) the loss goes below 0 and keeps pulling on points already beyond the margin",
             "values"),
        Slip("margin zero", lambda s, y: mg.relu(-y * s),
             "the hinge sits at y·f(x) = 1, not 0: the margin is the 1 in 1 − y·f(x)", "values"),
        Slip("flipped sign", lambda s, y: mg.relu(1.0 + y * s),
             "a flipped sign: the loss falls as y·f(x) grows, max(0, 1 − y·f(x))", "values"),
        Slip("squared", lambda s, y: mg.relu(1.0 - y * s) ** 2,
             "that is the squared hinge: the hinge is max(0, 1 − y·f(x)) itself", "values"),
    ],
)


# ---- 05: focal --------------------------------------------------------------------------------

def focal_reference(logits, target, alpha=0.25, gamma=2.0):
    z_t = logits * (2.0 * target - 1.0)                 # p_t = σ(z_t)
    loss = mg.exp(-gamma * mg.softplus(z_t)) * mg.softplus(-z_t)    # (1 - p_t)^γ · (-log p_t)
    if alpha is None:
        return loss
    return (alpha * target + (1.0 - alpha) * (1.0 - target)) * loss


def _focal_is_bce(solution):
    z, y = _binary(np.random.default_rng(11), (12,), np.float64)
    seen, err = _prop(solution, [z, y], {"alpha": None, "gamma": 0.0})
    if err:
        return FAIL, err, "alpha=None drops αₜ: the function must accept it"
    bce = losses.binary_cross_entropy_with_logits(z, y, reduction="none").data
    if not agree(seen.value, bce, 1e-6, 1e-9):
        return FAIL, "with γ = 0 and alpha=None it differs from binary cross-entropy", \
            "with γ = 0 the modulating factor (1 − pₜ)^0 is 1, and alpha=None drops αₜ: what is left is −log pₜ"
    return PASS, "γ = 0 with alpha=None is binary cross-entropy", ""


def _focal_easy(solution):
    z, y = np.array([np.log(9.0), -np.log(9.0)]), np.array([1.0, 0.0])     # p_t = 0.9 for both
    seen, err = _prop(solution, [z, y], {"alpha": None, "gamma": 2.0})
    if err:
        return FAIL, err, "the function must run on these inputs"
    ratio = seen.value / -np.log(0.9)
    if not np.allclose(ratio, 0.01, rtol=1e-6):
        return FAIL, f"at pₜ = 0.9 your loss is {', '.join(number(r) for r in ratio)} × cross-entropy, expected 0.01", \
            "the modulating factor is (1 − pₜ)^γ = 0.1² for an easy example"
    return PASS, "an easy example (pₜ = 0.9) weighs (1 − 0.9)² = 1/100 of its cross-entropy", ""


FOCAL = Exercise(
    name="focal", lesson="05",
    description="the binary focal loss from logits, with αₜ and γ",
    signature="focal(logits, target, alpha=0.25, gamma=2.0)",
    formula="""Binary focal loss of every element, from logits z with p = σ(z) and labels y in {0, 1}:

        FL = -αₜ·(1 - pₜ)^γ·log(pₜ)
        pₜ = p and αₜ = α where y = 1;   pₜ = 1 - p and αₜ = 1 - α where y = 0
        alpha=None drops αₜ.

    Stable for logits of ±1e4: with zₜ = z where y = 1 and -z where y = 0, pₜ = σ(zₜ),
    log pₜ = -softplus(-zₜ). Return one value per element, as a minigrad Tensor.""",
    reference=focal_reference,
    expected=_none(losses.focal),
    sample=_binary,
    shapes=[(5,), (3, 4), (2, 3, 2)],
    param_sets=[{"alpha": 0.25, "gamma": 2.0}, {"alpha": None, "gamma": 2.0}, {"alpha": 0.75, "gamma": 1.0}],
    hand=[Case([np.array([0.0]), np.array([1.0])], {"alpha": 0.25, "gamma": 2.0}),
          Case([np.array([0.0]), np.array([0.0])], {"alpha": 0.25, "gamma": 2.0}),
          Case([np.array([1.0, -2.0]), np.array([1.0, 0.0])], {"alpha": 0.25, "gamma": 2.0})],
    wrt=(0,),
    edges=_extreme_cases({"alpha": 0.25, "gamma": 2.0}),
    properties=[("is_bce", "γ = 0, alpha=None is cross-entropy", _focal_is_bce),
                ("easy", "down-weights the easy examples", _focal_easy)],
    slips=[
        Slip("alpha for all", lambda z, y, alpha=0.25, gamma=2.0:
             (1.0 if alpha is None else alpha) * focal_reference(z, y, None, gamma),
             "α forgotten for the negatives: αₜ is α where y = 1 but 1 − α where y = 0", "values"),
        Slip("p_t to the gamma", lambda z, y, alpha=0.25, gamma=2.0: _p_t_to_the_gamma(z, y, alpha, gamma),
             "the modulating factor is (1 − pₜ)^γ, not pₜ^γ: it must shrink the loss of the easy "
             "examples (pₜ near 1)", "values"),
        Slip("naive log sigmoid", lambda z, y, alpha=0.25, gamma=2.0: _naive_focal(z, y, alpha, gamma),
             "log(sigmoid(z)) overflows: σ(z) rounds to exactly 0 or 1 for a large |z|, and log 0 = −inf; "
             "use log pₜ = −softplus(−zₜ) and (1 − pₜ)^γ = exp(−γ·softplus(zₜ))", "edges"),
        Slip("numpy only", _numpy_only(focal_reference), NUMPY_ONLY, "gradient"),
    ],
)


def _alpha_t(y, alpha):
    return 1.0 if alpha is None else alpha * y + (1.0 - alpha) * (1.0 - y)


def _p_t_to_the_gamma(z, y, alpha, gamma):
    z_t = z * (2.0 * y - 1.0)
    return _alpha_t(y, alpha) * mg.exp(-gamma * mg.softplus(-z_t)) * mg.softplus(-z_t)


def _naive_focal(z, y, alpha, gamma):
    p = mg.sigmoid(z)
    p_t = y * p + (1.0 - y) * (1.0 - p)
    return -_alpha_t(y, alpha) * (1.0 - p_t) ** gamma * mg.log(p_t)


# ---- 06: contrastive --------------------------------------------------------------------------

def contrastive_reference(x1, x2, y, margin=1.0):
    squared = ((x1 - x2) ** 2).sum(axis=1)
    D = _safe_norm(squared)
    return (1.0 - y) * squared + y * mg.relu(margin - D) ** 2


def _pairs(rng, shape, dtype):
    n, d = shape
    x1 = rng.normal(size=shape) * 0.6
    return [x1.astype(dtype), (x1 + rng.normal(size=shape) * 0.4).astype(dtype),
            rng.integers(0, 2, size=n).astype(dtype)]


def _contrastive_stops(solution):
    x1, x2 = np.zeros((2, 2)), np.array([[3.0, 4.0], [0.0, 2.0]])     # D = 5 and 2, beyond m = 1
    seen, err = _prop(solution, [x1, x2, np.array([1.0, 1.0])], {"margin": 1.0}, wrt=(0,))
    if err:
        return FAIL, err, "the function must run on these inputs"
    if np.any(seen.value != 0) or (seen.grads is not None and np.any(seen.grads[0] != 0)):
        return FAIL, f"dissimilar pairs at D = 5 and 2 (margin 1) give {seen.value}, expected 0 and no gradient", \
            "a dissimilar pair farther apart than the margin costs nothing: max(0, m − D)²"
    return PASS, "a dissimilar pair beyond the margin gives 0 and no gradient: it stops pushing", ""


_ZERO_DISTANCE = Case([np.array([[0.5, -1.0], [0.5, -1.0], [2.0, 0.0]]), np.array([[0.5, -1.0], [0.5, -1.0], [2.0, 0.0]]),
                       np.array([0.0, 1.0, 1.0])], {"margin": 1.0}, "pairs at distance 0 (x1 = x2), similar and dissimilar")

CONTRASTIVE = Exercise(
    name="contrastive", lesson="06",
    description="the contrastive loss of each pair of embeddings",
    signature="contrastive(x1, x2, y, margin=1.0)",
    formula="""Contrastive loss of each pair, x1 and x2 of shape (N, D), y (N,) with 0 similar, 1 dissimilar:

        L = (1 - Y)·D² + Y·max(0, m - D)²,    D = ||x1 - x2|| (Euclidean, per row)

    No ½ factors. At D = 0 the slope of √ is infinite: keep the gradient finite there
    (mg.where to give D gradient 0 at 0, or a tiny ε such as 1e-12 inside the root).
    Return one value per pair, shape (N,).""",
    reference=contrastive_reference,
    expected=_none(losses.contrastive),
    sample=_pairs,
    shapes=[(4, 3), (6, 2), (1, 5)],
    param_sets=[{"margin": 1.0}, {"margin": 2.0}],
    hand=[Case([np.array([[0.0, 0.0], [0.0, 0.0]]), np.array([[3.0, 4.0], [0.3, 0.4]]), np.array([0.0, 1.0])],
               {"margin": 1.0})],
    wrt=(0, 1),
    edges=[_ZERO_DISTANCE],
    rtol=1e-5, atol=1e-6,
    properties=[("stops", "stops pushing beyond the margin", _contrastive_stops)],
    slips=[
        Slip("labels swapped", lambda x1, x2, y, margin=1.0: contrastive_reference(x1, x2, 1.0 - y, margin),
             "Y = 0 marks a similar pair (pulled together by D²), Y = 1 a dissimilar one (pushed to the margin)",
             "values"),
        Slip("margin not squared", lambda x1, x2, y, margin=1.0:
             (1.0 - y) * ((x1 - x2) ** 2).sum(axis=1) + y * mg.relu(margin - _safe_norm(((x1 - x2) ** 2).sum(axis=1))),
             "the dissimilar term is max(0, m − D)², squared", "values"),
        Slip("halves", lambda x1, x2, y, margin=1.0: 0.5 * contrastive_reference(x1, x2, y, margin),
             "the lecture's contrastive loss has no ½ factors (Hadsell et al. write them; lesson 10 compares)",
             "values"),
        Slip("sqrt at zero", lambda x1, x2, y, margin=1.0:
             (1.0 - y) * ((x1 - x2) ** 2).sum(axis=1) + y * mg.relu(margin - mg.sqrt(((x1 - x2) ** 2).sum(axis=1))) ** 2,
             "at distance 0 the slope of √ is infinite, so the gradient is NaN: give D gradient 0 where it is 0 "
             "(mg.where), or put a tiny ε (1e-12) inside the root", "edges"),
        Slip("sum over samples", lambda x1, x2, y, margin=1.0: ((x1 - x2) ** 2).sum(axis=0), ONE_PER_SAMPLE, "returns"),
    ],
)


# ---- 07: triplet and semi-hard mining ----------------------------------------------------------

def triplet_reference(anchor, positive, negative, margin=1.0, squared=False):
    d_ap = ((anchor - positive) ** 2).sum(axis=1)      # squared distances, one per row
    d_an = ((anchor - negative) ** 2).sum(axis=1)
    if not squared:
        d_ap, d_an = _safe_norm(d_ap), _safe_norm(d_an)
    return mg.relu(d_ap - d_an + margin)


def _triplets(rng, shape, dtype):
    a = rng.normal(size=shape)
    return [a.astype(dtype), (a + rng.normal(size=shape) * 0.5).astype(dtype),
            (a + rng.normal(size=shape) * 0.8).astype(dtype)]


def _triplet_stops(solution):
    a = np.zeros((2, 2))
    p, n = np.array([[0.5, 0.0], [0.0, 1.0]]), np.array([[3.0, 0.0], [0.0, -4.0]])
    seen, err = _prop(solution, [a, p, n], {"margin": 1.0}, wrt=(0,))
    if err:
        return FAIL, err, "the function must run on these inputs"
    if np.any(seen.value != 0) or (seen.grads is not None and np.any(seen.grads[0] != 0)):
        return FAIL, f"with d(a,n) ≥ d(a,p) + margin you give {seen.value}, expected 0 and no gradient", \
            "once the negative is a margin farther than the positive, the triplet costs nothing: max(0, ·)"
    return PASS, "0, with no gradient, once d(a,n) ≥ d(a,p) + margin: an easy triplet stops pulling", ""


def _distance(x, y):
    return mg.sqrt(((x - y) ** 2).sum(axis=1))


TRIPLET = Exercise(
    name="triplet", lesson="07",
    description="the triplet loss of each (anchor, positive, negative)",
    signature="triplet(anchor, positive, negative, margin=1.0, squared=False)",
    formula="""Triplet loss of each triplet, anchor, positive and negative of shape (N, D):

        L = max(0, d(a, p) - d(a, n) + margin),    d the Euclidean distance of each row
                                                   (its square when squared=True)

    At distance 0 the slope of √ is infinite: keep the gradient finite there (mg.where,
    or a tiny ε such as 1e-12 inside the root). Return one value per triplet, shape (N,).""",
    reference=triplet_reference,
    expected=_none(losses.triplet),
    sample=_triplets,
    shapes=[(4, 3), (6, 2), (1, 5)],
    param_sets=[{"margin": 1.0}, {"margin": 0.3}, {"margin": 1.0, "squared": True}],
    hand=[Case([np.array([[0.0, 0.0]]), np.array([[3.0, 4.0]]), np.array([[1.0, 0.0]])], {"margin": 1.0}),
          Case([np.array([[0.0, 0.0]]), np.array([[1.0, 1.0]]), np.array([[2.0, 0.0]])], {"margin": 1.0, "squared": True})],
    wrt=(0, 1, 2),
    edges=[Case([np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[1.0, 2.0], [0.5, 0.5]]),
                 np.array([[1.5, 2.0], [0.0, 0.0]])], {"margin": 1.0},
                "an anchor at distance 0 from its positive, and one at distance 0 from its negative")],
    rtol=1e-5, atol=1e-6,
    properties=[("stops", "stops pulling on easy triplets", _triplet_stops)],
    slips=[
        Slip("sum over samples", lambda a, p, n, margin=1.0, squared=False:
             mg.relu(((a - p) ** 2).sum(axis=0) ** 0.5 - ((a - n) ** 2).sum(axis=0) ** 0.5 + margin),
             "a sum over the samples instead of the features: sum over axis=1 to get one distance per triplet",
             "returns"),
        Slip("squared distances", lambda a, p, n, margin=1.0, squared=False:
             mg.relu(((a - p) ** 2).sum(axis=1) - ((a - n) ** 2).sum(axis=1) + margin),
             "d is the Euclidean distance itself, not its square (that is squared=True, lesson 10)", "values"),
        Slip("flipped sign", lambda a, p, n, margin=1.0, squared=False: triplet_reference(a, n, p, margin, squared),
             "a flipped sign: the loss is d(a,p) − d(a,n) + margin, so the positive is pulled in and the "
             "negative pushed away", "values"),
        Slip("no max", lambda a, p, n, margin=1.0, squared=False:
             _safe_norm(((a - p) ** 2).sum(axis=1)) - _safe_norm(((a - n) ** 2).sum(axis=1)) + margin,
             "without max(0, ·) an easy triplet gives a negative loss and keeps pushing", "values"),
        Slip("sqrt at zero", lambda a, p, n, margin=1.0, squared=False:
             triplet_reference(a, p, n, margin, True) if squared else mg.relu(_distance(a, p) - _distance(a, n) + margin),
             "at distance 0 the slope of √ is infinite, so the gradient is NaN: give d gradient 0 where it is 0 "
             "(mg.where), or put a tiny ε (1e-12) inside the root", "edges"),
    ],
)


def semi_hard_reference(d_ap, d_an, is_negative):
    farther = is_negative & (d_an > d_ap[:, None])
    nearest_farther = np.where(farther, d_an, np.inf).argmin(axis=1)
    farthest = np.where(is_negative, d_an, -np.inf).argmax(axis=1)
    return np.where(farther.any(axis=1), nearest_farther, farthest)


def _mining(rng, shape, dtype):
    pairs, n = shape
    d_an = np.round(rng.uniform(0.0, 3.0, size=(pairs, n)), 1)       # rounded: ties happen
    is_negative = rng.random((pairs, n)) < 0.6
    is_negative[:, 0] = True                                          # every pair has a negative
    d_ap = np.round(rng.uniform(0.5, 2.5, size=pairs), 1)
    d_an[0, 1] = d_ap[0]                                              # a tie: not farther
    if pairs > 1:
        d_ap[-1] = 3.5                                                # no negative farther: the fallback
    return [d_ap, d_an, is_negative]


SEMI_HARD = Exercise(
    name="semi_hard_negatives", lesson="07",
    description="FaceNet's semi-hard negative for each anchor–positive pair",
    signature="semi_hard_negatives(d_ap, d_an, is_negative)",
    formula="""For each anchor–positive pair, the index of its semi-hard negative (FaceNet).

    d_ap (P,): the anchor–positive distance of each pair; d_an (P, N): the distance from
    the pair's anchor to every sample; is_negative (P, N): True where that sample's label
    differs from the anchor's. All numpy arrays.
    Choose the nearest negative farther than the positive (d_an > d_ap, strictly); where
    no negative is farther, the farthest negative. Return the indices, shape (P,)
    (a numpy array of integers).""",
    reference=semi_hard_reference,
    sample=_mining,
    shapes=[(4, 6), (7, 5), (1, 3)],
    param_sets=[{}],
    hand=[Case([np.array([1.0]), np.array([[0.5, 1.5, 2.5, 1.2]]), np.array([[True, True, True, False]])])],
    edges=[Case([np.array([1.0, 2.0]), np.array([[1.0, 1.0, 3.0], [0.5, 1.0, 1.5]]),
                 np.array([[True, True, True], [True, True, False]])], {},
                "a negative exactly as far as the positive (a tie), and a pair with no farther negative")],
    needs_tensor=False, tensors=False, exact=True,
    slips=[
        Slip("hardest", lambda d_ap, d_an, neg: np.where(neg, d_an, np.inf).argmin(axis=1),
             "the wrong mining rule: that is the hardest (nearest) negative, batch-hard; semi-hard takes the "
             "nearest negative *farther than the positive*", "values"),
        Slip("nearest fallback", lambda d_ap, d_an, neg: np.where(
            (neg & (d_an > d_ap[:, None])).any(axis=1),
            np.where(neg & (d_an > d_ap[:, None]), d_an, np.inf).argmin(axis=1),
            np.where(neg, d_an, np.inf).argmin(axis=1)),
             "the wrong fallback: where no negative is farther than the positive, take the farthest negative, "
             "not the nearest", "values"),
        Slip("ties count", lambda d_ap, d_an, neg: np.where(
            (neg & (d_an >= d_ap[:, None])).any(axis=1),
            np.where(neg & (d_an >= d_ap[:, None]), d_an, np.inf).argmin(axis=1),
            np.where(neg, d_an, -np.inf).argmax(axis=1)),
             "a negative exactly as far as the positive is not farther: use d_an > d_ap, strictly", "values"),
        Slip("not masked", lambda d_ap, d_an, neg: np.where(
            (d_an > d_ap[:, None]).any(axis=1), np.where(d_an > d_ap[:, None], d_an, np.inf).argmin(axis=1),
            d_an.argmax(axis=1)),
             "only negatives count: mask the candidates with is_negative (a positive is never a negative)",
             "values"),
    ],
    hints={"values": "nearest among the negatives with d_an > d_ap; where there is none, the farthest negative"},
)


# ---- 08: the L1 proximal step -------------------------------------------------------------------

def soft_threshold_reference(w, threshold):
    shrunk = mg.relu(w.abs() - threshold)
    return mg.where(w.data < 0, -shrunk, shrunk)


def _weights(rng, shape, dtype):
    w = np.round(rng.normal(size=shape), 2)
    w.flat[0] = 0.3                                                 # exactly at the threshold below
    return [w.astype(dtype)]


def _exact_zeros(solution):
    w = np.array([-0.3, -0.1, 0.0, 0.05, 0.3, 0.2999])
    seen, err = _prop(solution, [w], {"threshold": 0.3})
    if err:
        return FAIL, err, "the function must run on these inputs"
    if np.any(seen.value != 0):
        return FAIL, f"with threshold 0.3, weights {w} give {seen.value}: not all exactly 0", \
            "every weight with |w| ≤ threshold becomes exactly 0: that is how L1 makes sparse models"
    return PASS, "every |w| ≤ threshold becomes exactly 0.0", ""


def _no_crossing(solution):
    w = np.linspace(-2.0, 2.0, 41)
    seen, err = _prop(solution, [w], {"threshold": 0.5})
    if err:
        return FAIL, err, "the function must run on these inputs"
    if np.any(seen.value * w < 0):
        i = int(np.argmax(seen.value * w < 0))
        return FAIL, f"w = {number(w[i])} becomes {number(seen.value[i])}: it changed sign", \
            "shrinking stops at 0: a weight is never pushed past zero"
    return PASS, "no weight changes sign", ""


SOFT_THRESHOLD = Exercise(
    name="soft_threshold", lesson="08",
    description="the L1 proximal step: shrink every weight toward 0 by the threshold",
    signature="soft_threshold(w, threshold)",
    formula="""The proximal step of the L1 penalty (soft-thresholding), elementwise:

        prox(w) = sign(w)·max(|w| - t, 0),    t = threshold = learning rate × λ

    It is the exact minimiser of ½(x - w)² + t·|x|: weights with |w| <= t become exactly
    0, the others move t closer to 0. Return one value per weight, same shape as w.""",
    reference=soft_threshold_reference,
    sample=_weights,
    shapes=[(6,), (3, 4)],
    param_sets=[{"threshold": 0.3}, {"threshold": 1.0}],
    hand=[Case([np.array([0.5, -0.5, 0.1])], {"threshold": 0.3})],
    needs_tensor=False,
    properties=[("zeros", "exact zeros", _exact_zeros), ("sign", "never changes sign", _no_crossing)],
    slips=[
        Slip("no clip", lambda w, threshold: w - threshold * mg.where(w.data < 0, -1.0, 1.0),
             "shrinking past zero: a weight with |w| < threshold must become exactly 0, not change sign "
             "(the max(·, 0))", "values"),
        Slip("hard threshold", lambda w, threshold: mg.where(w.abs().data > threshold, w, 0.0),
             "that is hard thresholding: the surviving weights must also move threshold closer to 0", "values"),
        Slip("negatives lost", lambda w, threshold: mg.relu(w - threshold),
             "negative weights shrink toward 0 too: max(|w| − t, 0) with the sign of w put back", "values"),
    ],
)


# ---- 09: a curriculum schedule ------------------------------------------------------------------

def curriculum_reference(difficulty, progress):
    return (1.0 - progress) * (1.0 - difficulty) + progress * difficulty


def _difficulty(rng, shape, dtype):
    return [rng.uniform(0.0, 1.0, size=shape).astype(dtype)]


def _harder_over_time(solution):
    d = np.linspace(0.0, 1.0, 11)
    means = []
    for t in np.linspace(0.0, 1.0, 6):
        seen, err = _prop(solution, [d], {"progress": float(t)})
        if err:
            return FAIL, err, "the function must run on these inputs"
        w = seen.value
        means.append(float((w * d).sum() / w.sum()) if w.sum() > 0 else np.nan)
    if not np.all(np.diff(means) >= -1e-12):
        return FAIL, f"the weighted mean difficulty at t = 0, 0.2, …, 1 is {np.round(means, 3)}: it falls", \
            "a curriculum goes from easy to hard: the weight of the hard samples must grow with progress"
    return PASS, f"the weighted mean difficulty rises from {means[0]:.2f} to {means[-1]:.2f} as t goes 0 → 1", ""


CURRICULUM = Exercise(
    name="curriculum_weights", lesson="09",
    description="per-sample curriculum weights that move from easy to hard samples",
    signature="curriculum_weights(difficulty, progress)",
    formula="""Per-sample weights of a curriculum, difficulty d in [0, 1] (0 easiest), progress t in [0, 1]:

        w(d, t) = (1 - t)·(1 - d) + t·d

    At t = 0 the easy samples weigh 1 and the hardest 0; at t = ½ every sample weighs ½;
    at t = 1 the weight is d. Return one weight per sample, same shape as difficulty.""",
    reference=curriculum_reference,
    expected=lambda difficulty, progress: losses.curriculum_weights(difficulty, progress),
    sample=_difficulty,
    shapes=[(6,), (10,)],
    param_sets=[{"progress": 0.0}, {"progress": 0.25}, {"progress": 0.5}, {"progress": 1.0}],
    hand=[Case([np.array([0.0, 0.5, 1.0])], {"progress": 0.25})],
    needs_tensor=False,
    properties=[("harder", "the mean difficulty rises with progress", _harder_over_time)],
    slips=[
        Slip("hard first", lambda d, progress: progress * (1.0 - d) + (1.0 - progress) * d,
             "backwards: at the start (t = 0) the easy samples (d = 0) weigh 1, and the schedule runs from "
             "easy to hard", "values"),
        Slip("no progress", lambda d, progress: 1.0 - d,
             "the weights must move with the progress t: (1 − t)·(1 − d) + t·d", "values"),
        Slip("no easy term", lambda d, progress: (1.0 - progress) + progress * d,
             "(1 − t) multiplies (1 − d): at t = 0 the hardest sample weighs 0", "values"),
    ],
)


# ---- 10: label smoothing --------------------------------------------------------------------------

def label_smoothing_reference(target, num_classes, epsilon=0.1):
    one_hot = np.eye(num_classes)[target]
    return mg.Tensor((1.0 - epsilon) * one_hot + epsilon / num_classes)


def _labels(rng, shape, dtype):
    return [rng.integers(0, shape[1], size=shape[0])]


def _rows_sum_to_one(solution):
    y = np.array([0, 2, 1, 3])
    seen, err = _prop(solution, [y], {"num_classes": 4, "epsilon": 0.2})
    if err:
        return FAIL, err, "the function must run on these inputs"
    sums = np.asarray(seen.value).sum(axis=-1)
    if not np.allclose(sums, 1.0):
        return FAIL, f"with ε = 0.2 and 4 classes the rows sum to {np.round(sums, 4)}", \
            "smoothed targets are probabilities: each row sums to 1, so the true class keeps 1 − ε + ε/C"
    return PASS, "every row sums to 1", ""


def _smoothing_matches_cross_entropy(solution):
    rng = np.random.default_rng(2)
    z, y = rng.normal(size=(5, 3)), np.array([0, 1, 2, 2, 0])
    seen, err = _prop(solution, [y], {"num_classes": 3, "epsilon": 0.3})
    if err:
        return FAIL, err, "the function must run on these inputs"
    ours = losses.cross_entropy(z, np.asarray(seen.value, dtype=float), reduction="none").data
    built_in = losses.cross_entropy(z, y, label_smoothing=0.3, reduction="none").data
    if not agree(ours, built_in, 1e-6, 1e-9):
        return FAIL, "cross-entropy against your targets differs from cross_entropy(..., label_smoothing=0.3)", \
            "PyTorch's convention: ε/C on every class, the true class too"
    return PASS, "cross-entropy against your targets equals cross_entropy(..., label_smoothing=ε)", ""


LABEL_SMOOTHING = Exercise(
    name="label_smoothing", lesson="10",
    description="label-smoothed target probabilities from class indices",
    signature="label_smoothing(target, num_classes, epsilon=0.1)",
    formula="""Label-smoothed targets (N, C) from class indices y (N,), PyTorch's convention:

        q = (1 - ε)·onehot(y) + ε/C

    ε/C goes to every class, the true one too, so the true class gets 1 - ε + ε/C and
    every row sums to 1. Return shape (N, num_classes).""",
    reference=label_smoothing_reference,
    sample=_labels,
    shapes=[(5, 3), (4, 10)],
    param_sets=[{"epsilon": 0.1}, {"epsilon": 0.3}],
    shape_params=lambda shape: {"num_classes": shape[1]},
    hand=[Case([np.array([1])], {"num_classes": 4, "epsilon": 0.2})],
    needs_tensor=False,
    properties=[("rows", "rows sum to 1", _rows_sum_to_one),
                ("cross_entropy", "agrees with cross_entropy(label_smoothing=ε)", _smoothing_matches_cross_entropy)],
    slips=[
        Slip("other convention", lambda y, num_classes, epsilon=0.1: mg.Tensor(
            (1.0 - epsilon) * np.eye(num_classes)[y] + epsilon / (num_classes - 1) * (1 - np.eye(num_classes)[y])),
             "that is the other convention, ε/(C − 1) over the wrong classes only (lesson 10, part 2); "
             "here ε/C goes to every class, the true one too", "values"),
        Slip("no one minus epsilon", lambda y, num_classes, epsilon=0.1: mg.Tensor(
            np.eye(num_classes)[y] + epsilon / num_classes),
             "the true class keeps (1 − ε) of its weight: without the (1 − ε) a row sums to 1 + ε", "values"),
        Slip("true class only", lambda y, num_classes, epsilon=0.1: mg.Tensor((1.0 - epsilon) * np.eye(num_classes)[y]),
             "the ε taken from the true class is spread as ε/C over every class", "values"),
    ],
)


EXERCISES = {e.name: e for e in [SQUARED_ERROR, MSE, HUBER, BCE, CROSS_ENTROPY, HINGE, FOCAL, CONTRASTIVE,
                                 TRIPLET, SEMI_HARD, SOFT_THRESHOLD, CURRICULUM, LABEL_SMOOTHING]}
