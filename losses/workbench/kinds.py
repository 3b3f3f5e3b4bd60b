"""The kinds of loss: one description per kind, holding every fact the workbench uses about it.

A kind says what a loss compares, how its data arguments are validated (what
`register` does before the formula runs), which inputs the checker feeds it, the one
axis the figures put on x, where the kinks sit, in which variable robustness is
measured, and what explore compares it with. Nothing else in the workbench knows a
kind by name: `losses.register`, `losses.check` and `losses.explore` ask `kind(info)`.

    kind         data arguments              the axis x of the figures and of a closed-form gradient
    regression   pred, target                the residual ŷ − y (target 0)
    binary       x, target (per element)     the logit or score of a positive sample, or its p
    multiclass   x (N, C), target            the true class's logit (others 0), or its p (others (1 − p)/2)
    pairs        x1, x2, y (Y = 1 dissimilar) the distance D of the pair, one curve per label
    triplets     anchor, positive, negative  d(a,p) − d(a,n), d(a,n) held fixed
                 or embeddings, labels
    penalty      params                      one weight w
"""
import warnings

import numpy as np

import minigrad as mg

from .. import validate
from . import compare

NUDGE = 1e-3           # "near a kink": far enough that finite differences (eps 1e-6) stay on one side
HUGE = 1e4             # huge logits and distances; huge residuals are 1e6
CONFIDENT = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)   # margins tried for a perfect fit from logits (the best counts)
ROBUST_REFERENCE = "bounded influence: Hampel, Ronchetti, Rousseeuw and Stahel, Robust Statistics, 1986"


def _column(x):
    return x.reshape(x.shape[0], 1)


def is_number(v):
    """True for an int or a float parameter (a bool is not a number here)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class Kind:
    """Shared machinery; each kind below states its own facts and overrides what differs."""
    name = ""
    data = ()                     # the data arguments, in order, as a student would name them
    batch_data = ()               # another form a loss of this kind may take (triplets: a labelled batch)
    inputs = ()                   # what the first argument may hold; the first is the default
    targets = ()                  # the label conventions; the first is the default
    kink_params = ()              # parameters whose value places a kink (δ, a margin)
    cases = (None,)               # one curve per case (pairs: similar and dissimilar)
    differentiable = (0,)         # the data arguments that carry a gradient
    values = "sample"             # what the formula returns one value per: "element", "sample", or None
    axis_label = "x"
    robust_axis = np.array([1.0, 10.0, 100.0, 1000.0])
    robust_variable = ""          # the variable whose gradient the robustness line measures
    robust_sides = ((1.0, ""),)   # the signs along robust_axis an outlier may take, and their names
    formula_hint = ""             # added to an error raised inside a formula of this kind
    reference = None              # the loss explore compares with
    probability_reference = None  # ... when the loss takes probabilities
    problem = metric = ""
    metric_scale = "linear"
    higher_is_better = True

    def __init__(self, info, params=None):
        self.info = info
        self.params = dict(info.params if params is None else params)

    # -- the facts a registration needs ------------------------------------------------
    @classmethod
    def default_target(cls, input):
        return cls.targets[0] if cls.targets else ""

    def prepare(self, fn, names, args):
        """The data arguments validated and made tensors (what `register` does for a formula)."""
        a, b = validate.same_shape(args[0], args[1], fn, names=names)
        validate.nonempty(a, fn, names[0])
        return [a, b]

    def expected_shape(self, data):
        """The shape of the formula's values for the validated data: one per element or per sample
        (None: a batch form, whose count depends on the labels)."""
        return data[0].shape if self.values == "element" else (data[0].shape[0],)

    def shape_hint(self, got, data):
        """A guess at the slip behind values of shape `got`, for the error `register` raises."""
        x = data[0].shape
        if self.values == "sample" and got == x[1:]:
            return "; did a sum or mean run over the samples (axis=0)? Sum over axis 1 (features or classes)"
        if self.values == "sample" and got == x:
            return "; sum over axis 1 (the features or classes) to get one value per sample"
        if got == (x[0], 1):
            return "; a column (N, 1), from keepdims=True or a reshape: reshape(-1) it"
        if len(got) > len(x) or (len(got) == 2 and got[0] == got[1] == x[0]):
            return ("; an (N, 1) column against an (N,) vector broadcasts to (N, N): look for a reshape(-1, 1) "
                    "or a [:, None] in the formula")
        return ""

    # -- calling the loss ------------------------------------------------------------
    def call(self, inputs, reduction=None):
        """The loss on `inputs`; `reduction` reaches only a loss that takes one."""
        kwargs = dict(self.params)
        if reduction is not None and self.info.has_reduction:
            kwargs["reduction"] = reduction
        return self.info.fn(*inputs, **kwargs)

    def per_sample(self, inputs):
        return self.call(inputs, reduction="none")

    def tensors(self, inputs, requires_grad=True):
        """Inputs as tensors; the differentiable ones require grad. Integer targets stay integer arrays."""
        out = [np.asarray(a) for a in inputs]
        for i, a in enumerate(out):
            if a.dtype.kind == "f":
                out[i] = mg.Tensor(a, requires_grad=requires_grad and i in self.differentiable)
        return out

    def typical_value(self, reduction="mean"):
        """The loss on typical inputs of the kind, numpy's warnings silenced."""
        inputs = self.tensors(self.samples(np.random.default_rng(0))[0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.call(inputs, reduction=reduction)

    # -- the places a kink may sit ---------------------------------------------------------
    def kink_values(self):
        """The values of the parameters this kind declares as kinks (δ, a margin), if the loss has them."""
        values = [self.params.get(k) for k in self.kink_params]
        return [float(v) for v in values if is_number(v)]

    @property
    def margin(self):
        m = self.params.get("margin", 1.0)
        return float(m) if is_number(m) else 1.0

    def off_kinks(self, x):
        """The points of x at least 0.01 away from 0, ±1 and the kinks the kind declares (δ, a margin)."""
        spots = np.array([0.0, 1.0, -1.0] + [s * v for v in self.kink_values() for s in (1, -1)])
        return x[np.min(np.abs(x[:, None] - spots), axis=1) > 1e-2]

    # -- the axis: one number per sample -------------------------------------------------
    def along(self, x, case=None):
        """The loss at each position of x (a Tensor (n,)), as a Tensor (n,) built from graph ops.

        One call with reduction="none" where the loss has one; otherwise one call per point.
        """
        if self.info.has_reduction:
            out = self.vector_along(x, case)
            if out is not None and out.shape == x.shape:
                return out
        values = [self.call(self.point(x[i], case), reduction="sum") for i in range(x.shape[0])]
        return mg.stack([v.reshape(()) if v.size == 1 else v.sum() for v in values])

    def vector_along(self, x, case):
        return self.call(self.point(x, case), reduction="none")

    def slope(self, x, case=None):
        """The gradient along the axis at the points x (an array), from backward."""
        t = mg.Tensor(x, requires_grad=True)
        return mg.grad(self.along(t, case).sum(), t)[0].data

    def closed_form_gap(self, x, case=None):
        """None if no closed form is registered for `case`, else where it misses backward most:
        (index into x, closed form there, backward there, points that disagree, points compared)."""
        closed = self.info.closed_form(case, self.params)
        if closed is None:
            return None
        expected, slope = closed(x), self.slope(x, case)
        given = np.flatnonzero(np.isfinite(expected))            # NaN: not given there
        found = compare.mismatch(slope[given], expected[given], rtol=1e-5, atol=1e-6)
        if found is None:
            return None, None, None, 0, len(given)
        return int(given[found.index[0]]), found.expected, found.got, found.count, len(given)

    def from_output(self, z):
        """The axis value for a model output z (identity, or p = σ(z) for probability inputs)."""
        return z

    def float32(self, inputs):
        return tuple(a.astype(np.float32) if a.dtype.kind == "f" else a for a in inputs)

    def samples(self, rng):
        if self.values == "element":                   # any shape: a vector and a (3, 2) matrix
            return [self.sample(rng, 6), tuple(a.reshape(3, 2) for a in self.sample(rng, 6))]
        return [self.sample(rng, 6), self.sample(rng, 3)]

    def empty(self):
        """Inputs of a batch of zero samples."""
        return tuple(a[:0] for a in self.sample(np.random.default_rng(0), 2))

    def _columns(self, x, t):
        """The two mismatches of a kind with one value per element: x or t made a column (N, 1)."""
        a, b = self.info.inputs
        return [(f"{a} (N, 1) vs {b} (N,)", (_column(x), t)), (f"{a} (N,) vs {b} (N, 1)", (x, _column(t)))]


class Regression(Kind):
    name = "regression"
    values = "element"
    data = ("pred", "target")
    inputs = ("prediction",)
    targets = ("real",)
    kink_params = ("delta",)
    axis_label = "residual ŷ − y"
    robust_variable = "the residual r = ŷ − y"
    robust_sides = ((1.0, "r > 0, above the target"), (-1.0, "r < 0, below the target"))
    reference = "mse"
    problem = "a line with 10% outliers"
    metric, metric_scale, higher_is_better = "error of (slope, intercept)", "log", False

    def axis_range(self):
        top = max([1.0] + self.kink_values())
        return (-min(3 * top, 30.0), min(3 * top, 30.0))

    def sample(self, rng, n, scale=1.0):
        return (scale * rng.standard_normal(n), scale * rng.standard_normal(n))

    def kinks(self):
        spots = [0.0] + [v for v in self.kink_values() if v > 0]
        r = np.array([s * sign + d for s in spots for sign in (1, -1) for d in (NUDGE, -NUDGE)])
        where = " and of ±" + ", ±".join(f"{v:g}" for v in spots[1:]) if spots[1:] else ""
        return [(f"residuals within 1e-3 of 0{where}", (r, np.zeros_like(r)))]

    def extremes(self):
        r = np.array([1e6, -1e6, 1e3, -1e3])
        return [("huge residuals (±1e6, ±1e3)", (r, np.zeros_like(r)))]

    def perfect(self, rng):
        target = rng.standard_normal(8)
        return [(target.copy(), target)], [(target + 0.1 * rng.standard_normal(8), target),
                                           (target + 1.0, target), (target - 1.0, target)]

    def mismatched(self, n=4):
        return self._columns(np.zeros(n), np.ones(n))

    def point(self, x, case=None):
        x = x.reshape(-1)
        return (x, np.zeros(x.shape))


class _Classifier(Kind):
    """What binary and multiclass share: the first argument holds logits, scores or probabilities."""
    data = ("logits", "target")
    inputs = ("logit", "score", "probability")
    robust_axis = np.array([-1.0, -10.0, -30.0, -60.0])
    metric = "training accuracy"
    p_of_z = ""                   # how a probability follows from the axis's z, for the robustness line

    @property
    def probabilities(self):
        return self.info.input == "probability"

    @property
    def kink_params(self):
        return () if self.probabilities else ("margin",)

    @property
    def robust_variable(self):
        via = f" (probabilities enter as p = {self.p_of_z})" if self.probabilities else ""
        return f"the margin z of the model's output for the true class{via}"


class Binary(_Classifier):
    name = "binary"
    values = "element"
    targets = ("0/1", "-1/+1")
    reference, probability_reference = "binary_cross_entropy_with_logits", "binary_cross_entropy"
    problem = "two moons, a 2-16-1 network"
    p_of_z = "σ(z)"

    @classmethod
    def default_target(cls, input):
        return "-1/+1" if input == "score" else "0/1"

    @property
    def labels(self):
        return (-1.0, 1.0) if self.info.target == "-1/+1" else (0.0, 1.0)

    @property
    def axis_label(self):
        if self.probabilities:
            return "probability p of the true class (y = 1)"
        return f"{self.info.input} z of a positive sample (margin y·z)"

    def prepare(self, fn, names, args):
        x, y = super().prepare(fn, names, args)
        if self.probabilities:
            validate.in_range(x, 0.0, 1.0, fn, names[0])
        if self.info.target == "-1/+1":
            validate.labels_in(y, (-1, 1), fn, names[1])
        else:
            validate.in_range(y, 0.0, 1.0, fn, names[1])
        return [x, y]

    def axis_range(self):
        return (0.02, 0.98) if self.probabilities else (-4.0, 4.0)

    def from_output(self, z):
        return z.sigmoid() if self.probabilities else z

    def sample(self, rng, n, scale=1.0):
        y = rng.choice(self.labels, size=n)
        if self.probabilities:
            return (rng.uniform(0.05, 0.95, n), y)
        return (2.0 * scale * rng.standard_normal(n), y)

    def _signed(self, margins):
        """Outputs and labels with the given margins y·z, every other one for a negative sample."""
        neg, pos = self.labels
        margins = np.asarray(margins, dtype=float)
        y = np.where(np.arange(len(margins)) % 2 == 0, pos, neg)
        return np.where(y == pos, margins, -margins), y

    def kinks(self):
        if self.probabilities:
            p = np.array([NUDGE, 0.5 - NUDGE, 0.5 + NUDGE, 1 - NUDGE] * 2)
            return [("p within 1e-3 of 0, 0.5 and 1", (p, np.repeat(self.labels, 4)))]
        spots = [0.0, 1.0] + self.kink_values()
        m = [s + d for s in spots for d in (NUDGE, -NUDGE) for _ in (0, 1)]
        return [("margins y·z within 1e-3 of " + ", ".join(f"{s:g}" for s in dict.fromkeys(spots)), self._signed(m))]

    def extremes(self):
        neg, pos = self.labels
        y = np.array([pos, pos, neg, neg])
        if self.probabilities:
            return [("p = 0 and p = 1, for both labels", (np.array([0.0, 1.0, 0.0, 1.0]), y))]
        return [(f"huge {self.info.input}s (±{HUGE:g}), for both labels", (np.array([HUGE, -HUGE] * 2), y))]

    def perfect(self, rng):
        neg, pos = self.labels
        y = rng.choice(self.labels, size=8)
        right = y == pos
        if self.probabilities:
            p = right.astype(float)
            return [(p, y)], [(np.abs(p - 0.1), y), (np.full(8, 0.5), y)]
        return ([(np.where(right, m, -m), y) for m in CONFIDENT],
                [(np.zeros(8), y)] + [(np.where(right, -m, m), y) for m in (1.0, 4.0)])

    def mismatched(self, n=4):
        return self._columns(np.full(n, 0.5) if self.probabilities else np.zeros(n), np.full(n, self.labels[1]))

    def point(self, x, case=None):
        x = x.reshape(-1)
        return (x, np.full(x.shape, self.labels[1]))


class Multiclass(_Classifier):
    name = "multiclass"
    targets = ("index", "one-hot")
    C = 3
    reference, probability_reference = "cross_entropy", "categorical_cross_entropy"
    problem = "three blobs, a 2-16-3 network"
    p_of_z = "softmax(z, 0, 0)"

    @property
    def axis_label(self):
        if self.probabilities:
            return "probability of the true class (the others share the rest)"
        return f"true-class {self.info.input} (the others 0)"

    def prepare(self, fn, names, args):
        x = validate.class_scores(args[0], fn, names[0])
        if self.probabilities:
            validate.in_range(x, 0.0, 1.0, fn, names[0])
        if self.info.target == "index":
            return [x, validate.class_indices(args[1], x.shape[1], fn, names[1], n=x.shape[0])]
        x, y = validate.same_shape(x, args[1], fn, names=names)
        validate.in_range(y, 0.0, 1.0, fn, names[1])
        return [x, y]

    def axis_range(self):
        if self.probabilities:
            return (0.02, 0.98)
        top = max([1.0] + self.kink_values())
        return (-min(4 * top, 20.0), min(4 * top, 20.0))

    def from_output(self, z):
        return (z - np.log(2.0)).sigmoid() if self.probabilities else z    # softmax of (z, 0, 0)

    def _target(self, classes):
        classes = np.asarray(classes)
        return np.eye(self.C)[classes] if self.info.target == "one-hot" else classes.astype(np.int64)

    def sample(self, rng, n, scale=1.0):
        logits = 2.0 * scale * rng.standard_normal((n, self.C))
        if self.probabilities:
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            logits = e / e.sum(axis=1, keepdims=True)
        return (logits, self._target(rng.integers(0, self.C, n)))

    def _rows(self, values):
        """Logits (v, 0, -0.5) (no tie) or probabilities (p, (1-p)/2, (1-p)/2) per value, true class 0."""
        v = np.asarray(values, dtype=float)
        rest = [(1 - v) / 2] * 2 if self.probabilities else [np.zeros_like(v), np.full_like(v, -0.5)]
        return (np.stack([v] + rest, axis=1), self._target(np.zeros(len(v), int)))

    def kinks(self):
        if self.probabilities:
            return [("true-class p within 1e-3 of 0, 0.5 and 1",
                     self._rows([NUDGE, 0.5 - NUDGE, 0.5 + NUDGE, 1 - NUDGE]))]
        spots = [0.0, 1.0, -1.0] + self.kink_values()
        m = [s + d for s in dict.fromkeys(spots) for d in (NUDGE, -NUDGE)]
        return [("true-class margins within 1e-3 of " + ", ".join(f"{s:g}" for s in dict.fromkeys(spots)),
                 self._rows(m))]

    def extremes(self):
        if self.probabilities:
            return [("one-hot probabilities, right and wrong (p = 0 for the true class)",
                     (np.eye(3), self._target([0, 0, 1])))]
        z = np.array([[HUGE, -HUGE, 0.0], [-HUGE, HUGE, 0.0]])
        return [(f"huge {self.info.input}s (±{HUGE:g}), right and wrong", (z, self._target([0, 0])))]

    def perfect(self, rng):
        classes = rng.integers(0, self.C, 6)
        onehot, target = np.eye(self.C)[classes], self._target(classes)
        if self.probabilities:
            return [(onehot, target)], [(0.9 * onehot + 0.1 / self.C, target), (np.full((6, self.C), 1 / self.C), target)]
        wrong = np.eye(self.C)[(classes + 1) % self.C]
        return ([(m * onehot, target) for m in CONFIDENT],
                [(np.zeros((6, self.C)), target)] + [(m * wrong, target) for m in (1.0, 4.0)])

    def mismatched(self, n=4):
        x, classes = np.full((n, self.C), 1 / self.C), np.zeros(n, int)
        a, b = self.info.inputs
        if self.info.target == "one-hot":
            return [(f"{b} (N, 1) vs {a} (N, C)", (x, np.eye(self.C)[classes][:, :1]))]
        return [(f"{b} (N, 1) vs the expected (N,)", (x, classes.reshape(n, 1)))]

    def point(self, x, case=None):
        x = _column(x.reshape(-1))
        n = x.shape[0]
        if self.probabilities:
            rest = (1.0 - x) / 2.0
            rows = mg.concatenate([x, rest, rest], axis=1)
        else:
            rows = mg.concatenate([x, mg.wrap(np.zeros((n, self.C - 1)), like=x)], axis=1)
        return (rows, self._target(np.zeros(n, int)))


class Pairs(Kind):
    name = "pairs"
    data = ("x1", "x2", "y")
    inputs = ("embedding",)
    targets = ("0 similar / 1 dissimilar",)
    kink_params = ("margin",)
    cases = ("similar", "dissimilar")
    differentiable = (0, 1)
    axis_label = "distance D between the two embeddings"
    robust_variable = "the distance D of a similar pair"
    reference = "contrastive"
    problem = "pairs from three blobs, a 2-16-2 embedding"
    metric = "separation: between / within-class distance"

    def prepare(self, fn, names, args):
        x1, x2 = validate.same_shape(args[0], args[1], fn, names=names[:2])
        validate.ndim_at_least(x1, 2, fn, names[0], "(N, D): one embedding per row")
        validate.nonempty(x1, fn, names[0])
        y = validate.as_tensor(args[2], fn, names[2], like=x1)
        validate.per_sample(y, x1.shape[0], fn, names[2])
        validate.labels_in(y, (0, 1), fn, names[2])
        return [x1, x2, y]

    def axis_range(self):
        return (0.0, 2.5 * max(self.margin, 0.5))

    def sample(self, rng, n, scale=1.0):
        return (scale * rng.standard_normal((n, 2)), scale * rng.standard_normal((n, 2)),
                rng.integers(0, 2, n).astype(float))

    def _at(self, distances, y):
        d = np.asarray(distances, dtype=float)
        x1 = np.stack([d, np.zeros_like(d)], axis=1)
        return (x1, np.zeros_like(x1), np.asarray(y, dtype=float))

    def kinks(self):
        d = [NUDGE, self.margin - NUDGE, self.margin + NUDGE]
        return [("distances within 1e-3 of 0 and of the margin, both labels", self._at(d * 2, [0.0] * 3 + [1.0] * 3))]

    def extremes(self):
        x1 = np.array([[0.5, -1.0], [0.5, -1.0]])
        return [("zero distance (x1 == x2), similar and dissimilar", (x1, x1.copy(), np.array([0.0, 1.0]))),
                (f"huge distance ({HUGE:g}), similar and dissimilar", self._at([HUGE] * 2, [0.0, 1.0]))]

    def perfect(self, rng):
        x1, y = rng.standard_normal((6, 2)), np.array([0.0, 1.0] * 3)
        x2 = np.where(y[:, None] == 0, x1, x1 + np.array([10.0 + 2 * self.margin, 0.0]))
        return [(x1, x2, y)], [(x1, x2 + 0.1, y), (x1, x1 + np.array([0.3 * self.margin, 0.0]), y)]

    def mismatched(self, n=4):
        a, b, c = self.info.inputs
        x1, x2 = np.zeros((n, 2)), np.ones((n, 2))
        return [(f"{c} (N, 1) vs the expected (N,)", (x1, x2, np.zeros((n, 1)))),
                (f"{a} (N, 2) vs {b} (N, 1)", (x1, np.ones((n, 1)), np.zeros(n)))]

    def point(self, x, case=None):
        x = _column(x.reshape(-1))
        n = x.shape[0]
        x1 = mg.concatenate([x, mg.wrap(np.zeros((n, 1)), like=x)], axis=1)
        return (x1, np.zeros((n, 2)), np.full(n, 0.0 if case == "similar" else 1.0))


class Triplets(Kind):
    name = "triplets"
    data = ("anchor", "positive", "negative")
    batch_data = ("embeddings", "labels")
    inputs = ("embedding",)
    targets = ("labels",)
    kink_params = ("margin",)
    robust_variable = "d(a,p) − d(a,n) (the positive drifting away)"
    reference = "triplet"
    problem = "triplets from three blobs, a 2-16-2 embedding"
    metric = "separation: between / within-class distance"

    @property
    def differentiable(self):
        return (0,) if self.info.batch_form else (0, 1, 2)

    @property
    def axis_label(self):
        return "d(a,p) − d(a,n)" + (" in a batch of three (the positive is an anchor too)" if self.info.batch_form else "")

    def prepare(self, fn, names, args):
        if self.info.batch_form:
            e = validate.as_tensor(args[0], fn, names[0])
            validate.ndim_exactly(e, 2, fn, names[0], "(N, D): one embedding per row")
            validate.nonempty(e, fn, names[0])
            labels = validate.whole_numbers(args[1], fn, names[1])
            validate.per_sample(labels, e.shape[0], fn, names[1])
            return [e, labels]
        a, p = validate.same_shape(args[0], args[1], fn, names=names[:2])
        a, n = validate.same_shape(a, args[2], fn, names=(names[0], names[2]))
        validate.ndim_at_least(a, 2, fn, names[0], "(N, D): one embedding per row")
        validate.nonempty(a, fn, names[0])
        return [a, p, n]

    def _dn(self):
        return 2.0 * max(1.0, self.margin)

    def axis_range(self):
        return (-self._dn(), self._dn())

    def _triplet(self, a, p, n):
        if self.info.batch_form:
            labels = np.array([0] * (len(a) + len(p)) + [1] * len(n), dtype=np.int64)
            return (np.concatenate([a, p, n]), labels)
        return (a, p, n)

    def sample(self, rng, n, scale=1.0):
        if self.info.batch_form:
            labels = np.array([0, 0, 1, 1, 2, 2, 0, 1][:max(n, 4)], dtype=np.int64)
            return (scale * rng.standard_normal((len(labels), 2)), labels)
        return tuple(scale * rng.standard_normal((n, 2)) for _ in range(3))

    def _geometry(self, dp):
        """Anchors at 0, positives at distance dp (on the y axis), negatives at d(a,n) (x axis)."""
        dp = np.asarray(dp, dtype=float)
        return (np.zeros((len(dp), 2)), np.stack([np.zeros_like(dp), dp], axis=1),
                np.stack([np.full_like(dp, self._dn()), np.zeros_like(dp)], axis=1))

    def kinks(self):
        dp = [self._dn() - self.margin + NUDGE, self._dn() - self.margin - NUDGE, NUDGE]
        what = "d(a,p) − d(a,n) + margin within 1e-3 of 0, and d(a,p) = 1e-3"
        if self.info.batch_form:
            return [(what, self._triplet(*self._geometry([d]))) for d in dp]
        return [(what, self._triplet(*self._geometry(dp)))]

    def extremes(self):
        z, one = np.zeros((2, 2)), np.array([[1.0, 0.5], [-0.5, 1.0]])
        far = np.array([[HUGE, 0.0], [0.0, HUGE]])
        return [("zero distances (anchor == positive == negative)", self._triplet(z, z.copy(), z.copy())),
                ("anchor == positive", self._triplet(one, one.copy(), z)),
                ("anchor == negative", self._triplet(one, z, one.copy())),
                (f"huge distances ({HUGE:g})", self._triplet(z, far, -far))]

    def perfect(self, rng):
        a = rng.standard_normal((4, 2))
        far = a + np.array([10.0 + 2 * self.margin, 0.0])
        near = a + np.array([0.0, 0.3 * self.margin])
        return ([self._triplet(a, a.copy(), far)],
                [self._triplet(a, a + 0.1, far), self._triplet(a, near, near + np.array([0.2, 0.0]))])

    def mismatched(self, n=4):
        names = self.info.inputs
        if self.info.batch_form:
            return [(f"{names[1]} (N, 1) vs the expected (N,)", (np.zeros((n, 2)), np.array([0, 0, 1, 1][:n]).reshape(n, 1)))]
        return [(f"{names[0]} (N, 2) vs {names[2]} (N, 1)", (np.zeros((n, 2)), np.ones((n, 2)), np.ones((n, 1)))),
                (f"{names[0]} (N, 2) vs {names[1]} (N, 1)", (np.zeros((n, 2)), np.ones((n, 1)), np.ones((n, 2))))]

    def vector_along(self, x, case):
        return None if self.info.batch_form else super().vector_along(x, case)

    def expected_shape(self, data):
        return None if self.info.batch_form else super().expected_shape(data)

    def point(self, x, case=None):
        x = _column(x.reshape(-1))
        n, dn = x.shape[0], self._dn()
        positive = mg.concatenate([mg.wrap(np.zeros((n, 1)), like=x), x + dn], axis=1)
        a, _, negative = self._geometry(np.zeros(n))
        if self.info.batch_form:
            return (mg.concatenate([mg.wrap(a, like=x), positive, mg.wrap(negative, like=x)], axis=0),
                    np.array([0, 0, 1], dtype=np.int64))
        return (a, positive, negative)


class Penalty(Kind):
    name = "penalty"
    values = None                 # one number for all the weights: no reduction
    data = ("params",)
    inputs = ("weights",)
    differentiable = (0, 1)
    axis_label = "weight w"
    formula_hint = ("; a penalty receives params as a list of tensors, one per weight array (a single tensor "
                    "arrives as a list of one): add up one term per tensor, e.g. sum((w * w).sum() for w in params)")
    problem = "10 weights, 3 of them non-zero, 15 samples"
    metric, metric_scale, higher_is_better = "test mean squared error", "log", False

    def prepare(self, fn, names, args):
        params = args[0]
        if isinstance(params, (mg.Tensor, np.ndarray)):
            params = [params]
        params = list(params)
        if not params:
            raise ValueError(f"{fn}: {names[0]} must hold at least one tensor, got an empty list")
        return [[validate.as_tensor(p, fn, f"{names[0]}[{i}]") for i, p in enumerate(params)]]

    def call(self, inputs, reduction=None):
        return self.info.fn(list(inputs), **self.params)

    def expected_shape(self, data):
        return ()

    def axis_range(self):
        return (-2.0, 2.0)

    def sample(self, rng, n=None, scale=1.0):
        return (scale * rng.standard_normal((3, 2)), scale * rng.standard_normal(4))

    def samples(self, rng):
        return [self.sample(rng)]

    def empty(self):
        return ()

    def kinks(self):
        w = np.array([NUDGE, -NUDGE, 1 + NUDGE, -1 - NUDGE])
        return [("weights within 1e-3 of 0", (w.reshape(2, 2), w.copy()))]

    def extremes(self):
        z = np.zeros(4)
        return [("zero weights", (z.reshape(2, 2), z.copy())), ("huge weights (±1e6)", (np.full((2, 2), 1e6), np.full(4, -1e6)))]

    def perfect(self, rng):
        z = np.zeros(4)
        return [(z.reshape(2, 2), z.copy())], [(np.full((2, 2), 0.1), np.full(4, -0.1))]

    def mismatched(self, n=4):
        return []

    def along(self, x, case=None):
        return mg.stack([self.call((x[i].reshape(1),)) for i in range(x.shape[0])])


KINDS = {k.name: k for k in (Regression, Binary, Multiclass, Pairs, Triplets, Penalty)}


def kind(info, params=None):
    """The description of `info`'s kind, set up for the parameter values `params` (default: the loss's)."""
    return KINDS[info.kind](info, params)
