"""How the tools feed each kind of loss: sample inputs, extremes, kinks, and a 1-D axis.

`losses.check` and `python -m lessons explore` know nothing about a particular loss;
they ask the adapter for its kind (`adapter(info)`) for inputs. Inputs are a flat tuple
of numpy arrays; `call` turns them into the loss's own call (a penalty gets a list of
weight tensors), and `differentiable` says which positions carry a gradient (the
predictions, logits or embeddings, never the targets).

The axis is the one number that the standard figure puts on its x axis:
    regression   x = ŷ - y (the residual), target 0
    binary       x = the logit or score of a positive sample (y = 1), or its probability p
    multiclass   logits (x, 0, 0) or probabilities (x, (1-x)/2, (1-x)/2), true class 0
    pairs        x = D, the distance of the pair (one curve per label)
    triplets     x = d(a,p) - d(a,n), with d(a,n) held fixed
    penalty      x = one weight w
"""
import numpy as np

import minigrad as mg

NUDGE = 1e-3           # "near a kink": far enough that finite differences (eps 1e-6) stay on one side
HUGE_RESIDUAL = 1e6
HUGE_LOGIT = 1e4
HUGE_DISTANCE = 1e4
SCALES = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)   # confident logits for a "perfect fit" (the best one counts)


def _numeric_params(params):
    """Positive numeric parameter values (δ, margin, ...): the places a kink may sit."""
    return [float(v) for v in params.values()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) and v > 0]


def _margin(params):
    m = params.get("margin", 1.0)
    return float(m) if isinstance(m, (int, float)) else 1.0


class Adapter:
    """Shared machinery; each kind overrides the pieces that differ."""
    axis_label = "x"
    cases = (None,)               # one curve per case (pairs: similar and dissimilar)
    margin = 1.0                  # the loss's margin parameter, if it has one (set by `adapter`)

    def __init__(self, info):
        self.info = info

    # -- calling ----------------------------------------------------------------
    def call(self, inputs, params, reduction=None):
        kwargs = dict(params)
        if reduction is not None and self.info.has_reduction:
            kwargs["reduction"] = reduction
        return self.info.fn(*inputs, **kwargs)

    differentiable = (0,)

    def per_sample(self, inputs, params):
        """One value per sample (or per element) when the loss supports reduction="none"."""
        return self.call(inputs, params, "none" if self.info.has_reduction else None)

    # -- the 1-D axis -------------------------------------------------------------
    def axis_range(self, params):
        return (-3.0, 3.0)

    def point_inputs(self, x, case, params):
        """Inputs for the single sample at axis position x (a 0-d Tensor), for `along`'s loop."""
        raise NotImplementedError

    def along(self, x, params, case=None):
        """The loss at each position of x (a Tensor (n,)), as a Tensor (n,) built with graph ops.

        The fast path is one call with reduction="none"; losses without a reduction
        (or whose "none" has another shape) are called once per point and stacked.
        """
        if self.info.has_reduction:
            out = self.vector_along(x, params, case)
            if out is not None and out.shape == x.shape:
                return out
        values = []
        for i in range(x.shape[0]):
            value = self.call(self.point_inputs(x[i], case, params), params, "sum")
            values.append(value.reshape(()) if value.size == 1 else value.sum())
        return mg.stack(values)

    def vector_along(self, x, params, case):
        return None

    def outlier_axis(self, params):
        """Axis positions that move in the wrong direction, and a phrase "as ..." for them
        (for the "robust to outliers" line)."""
        return np.array([1.0, 10.0, 100.0, 1000.0]), "|ŷ − y| grows"


def _column(x):
    return x.reshape(x.shape[0], 1)


class Regression(Adapter):
    axis_label = "residual ŷ − y"

    def axis_range(self, params):
        top = max([1.0] + _numeric_params(params))
        return (-min(3 * top, 30.0), min(3 * top, 30.0))

    def sample(self, rng, shape, scale=1.0):
        return (scale * rng.standard_normal(shape), scale * rng.standard_normal(shape))

    def samples(self, rng):
        return [self.sample(rng, (6,)), self.sample(rng, (3, 2))]

    def kinks(self, params):
        spots = [0.0] + _numeric_params(params)
        r = np.array([s * sign + d for s in spots for sign in (1, -1) for d in (NUDGE, -NUDGE)])
        return [("residuals within 1e-3 of 0" + (" and of ±" + ", ±".join(f"{v:g}" for v in spots[1:])
                                                   if len(spots) > 1 else ""), (r, np.zeros_like(r)))]

    def extremes(self, params):
        r = np.array([HUGE_RESIDUAL, -HUGE_RESIDUAL, 1e3, -1e3])
        return [(f"huge residuals (±{HUGE_RESIDUAL:g}, ±1e3)", (r, np.zeros_like(r)))]

    def perfect(self, rng):
        target = rng.standard_normal(8)
        return (target.copy(), target), [(target + 0.1 * rng.standard_normal(8), target),
                                         (target + 1.0, target)]

    def mismatched(self, n=4):
        return [("pred (N, 1) vs target (N,)", (np.zeros((n, 1)), np.ones(n))),
                ("pred (N,) vs target (N, 1)", (np.zeros(n), np.ones((n, 1))))]

    def vector_along(self, x, params, case):
        return self.call((x, np.zeros(x.shape)), params, "none")

    def point_inputs(self, x, case, params):
        return (x.reshape(1), np.zeros(1))

    def float32(self, inputs):
        return tuple(a.astype(np.float32) for a in inputs)


class Binary(Adapter):
    @property
    def axis_label(self):
        if self.info.input == "probability":
            return "probability p of the true class (y = 1)"
        return f"{self.info.input} z of a positive sample (margin y·z)"

    @property
    def labels(self):
        return (-1.0, 1.0) if self.info.target == "-1/+1" else (0.0, 1.0)

    @property
    def probabilities(self):
        return self.info.input == "probability"

    def axis_range(self, params):
        return (0.02, 0.98) if self.probabilities else (-4.0, 4.0)

    def sample(self, rng, shape, scale=1.0):
        y = rng.choice(self.labels, size=shape)
        if self.probabilities:
            return (rng.uniform(0.05, 0.95, shape), y)
        return (2.0 * scale * rng.standard_normal(shape), y)

    def samples(self, rng):
        return [self.sample(rng, (6,)), self.sample(rng, (3, 2))]

    def _signed(self, margins):
        """Scores and labels with the given margins y·z, half of them for negatives."""
        neg, pos = self.labels
        margins = np.asarray(margins, dtype=float)
        y = np.where(np.arange(len(margins)) % 2 == 0, pos, neg)
        return np.where(y == pos, margins, -margins), y

    def kinks(self, params):
        if self.probabilities:
            p = np.array([NUDGE, 0.5 - NUDGE, 0.5 + NUDGE, 1 - NUDGE] * 2)
            y = np.repeat(self.labels, 4)
            return [("p within 1e-3 of 0, 0.5 and 1", (p, y))]
        spots = [0.0, 1.0, -1.0] + _numeric_params(params)
        m = [s + d for s in spots for d in (NUDGE, -NUDGE) for _ in (0, 1)]
        return [("margins y·z within 1e-3 of " + ", ".join(f"{s:g}" for s in spots), self._signed(m))]

    def extremes(self, params):
        neg, pos = self.labels
        y = np.array([pos, pos, neg, neg])
        if self.probabilities:
            return [("p = 0 and p = 1, for y = 0 and y = 1", (np.array([0.0, 1.0, 0.0, 1.0]), y))]
        z = np.array([HUGE_LOGIT, -HUGE_LOGIT, HUGE_LOGIT, -HUGE_LOGIT])
        return [(f"huge {self.info.input}s (±{HUGE_LOGIT:g}), for both labels", (z, y))]

    def perfect(self, rng):
        neg, pos = self.labels
        y = rng.choice(self.labels, size=8)
        right = y == pos
        if self.probabilities:
            p = right.astype(float)
            return (p, y), [(np.abs(p - 0.1), y), (np.full(8, 0.5), y)]
        # from logits the best fit may sit at a finite margin (label smoothing): try several
        confident = [(np.where(right, m, -m), y) for m in SCALES]
        return confident, [(np.zeros(8), y)] + [(np.where(right, -m, m), y) for m in (1.0, 4.0)]

    def mismatched(self, n=4):
        neg, pos = self.labels
        x = np.full(n, 0.5) if self.probabilities else np.zeros(n)
        return [(f"{self.info.inputs[0]} (N, 1) vs {self.info.inputs[1]} (N,)", (x.reshape(n, 1), np.full(n, pos))),
                (f"{self.info.inputs[0]} (N,) vs {self.info.inputs[1]} (N, 1)", (x, np.full((n, 1), pos)))]

    def vector_along(self, x, params, case):
        return self.call((x, np.full(x.shape, self.labels[1])), params, "none")

    def point_inputs(self, x, case, params):
        return (x.reshape(1), np.full(1, self.labels[1]))

    def outlier_axis(self, params):
        if self.probabilities:
            return np.array([0.5, 0.1, 0.01, 0.001]), "p of the true class falls to 0"
        return np.array([-1.0, -10.0, -100.0, -1000.0]), f"the margin y·{'f' if self.info.input == 'score' else 'z'} goes negative (a confident mistake)"

    def float32(self, inputs):
        return tuple(a.astype(np.float32) for a in inputs)


class Multiclass(Adapter):
    C = 3

    @property
    def axis_label(self):
        if self.info.input == "probability":
            return "probability of the true class (others share the rest)"
        return f"true-class {self.info.input} minus the others'"

    @property
    def probabilities(self):
        return self.info.input == "probability"

    def axis_range(self, params):
        if self.probabilities:
            return (0.02, 0.98)
        top = max([1.0] + _numeric_params(params))
        return (-min(4 * top, 20.0), min(4 * top, 20.0))

    def _target(self, classes):
        classes = np.asarray(classes)
        if self.info.target == "one-hot":
            return np.eye(self.C)[classes]
        return classes.astype(np.int64)

    def _softmax(self, logits):
        e = np.exp(logits - logits.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def sample(self, rng, n, scale=1.0):
        logits = 2.0 * scale * rng.standard_normal((n, self.C))
        classes = rng.integers(0, self.C, n)
        x = self._softmax(logits) if self.probabilities else logits
        return (x, self._target(classes))

    def samples(self, rng):
        return [self.sample(rng, 5), self.sample(rng, 2)]

    def _rows(self, values):
        """Logits (v, 0, -0.5) or probabilities (p, (1-p)/2, (1-p)/2) per value, true class 0."""
        v = np.asarray(values, dtype=float)
        if self.probabilities:
            return np.stack([v, (1 - v) / 2, (1 - v) / 2], axis=1)
        return np.stack([v, np.zeros_like(v), np.full_like(v, -0.5)], axis=1)   # -0.5: no tie

    def kinks(self, params):
        if self.probabilities:
            p = [NUDGE, 0.5 - NUDGE, 0.5 + NUDGE, 1 - NUDGE]
            return [("true-class p within 1e-3 of 0, 0.5 and 1", (self._rows(p), self._target(np.zeros(4, int))))]
        spots = [0.0, 1.0, -1.0] + _numeric_params(params)
        m = [s + d for s in spots for d in (NUDGE, -NUDGE)]
        return [("true-class margins within 1e-3 of " + ", ".join(f"{s:g}" for s in spots),
                 (self._rows(m), self._target(np.zeros(len(m), int))))]

    def extremes(self, params):
        if self.probabilities:
            p = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
            return [("one-hot probabilities, right and wrong (p = 0 for the true class)",
                     (p, self._target([0, 0, 1])))]
        z = np.array([[HUGE_LOGIT, -HUGE_LOGIT, 0.0], [-HUGE_LOGIT, HUGE_LOGIT, 0.0]])
        return [(f"huge {self.info.input}s (±{HUGE_LOGIT:g}), right and wrong", (z, self._target([0, 0])))]

    def perfect(self, rng):
        classes = rng.integers(0, self.C, 6)
        onehot = np.eye(self.C)[classes]
        if self.probabilities:
            return (onehot, self._target(classes)), [
                (0.9 * onehot + 0.1 / self.C, self._target(classes)),
                (np.full((6, self.C), 1 / self.C), self._target(classes))]
        wrong = np.eye(self.C)[(classes + 1) % self.C]
        target = self._target(classes)
        return ([(m * onehot, target) for m in SCALES],
                [(np.zeros((6, self.C)), target)] + [(m * wrong, target) for m in (1.0, 4.0)])

    def mismatched(self, n=4):
        x = np.full((n, self.C), 1 / self.C)
        classes = np.zeros(n, int)
        if self.info.target == "one-hot":
            bad = np.eye(self.C)[classes][:, :1]           # (N, 1) instead of (N, C)
            return [(f"{self.info.inputs[1]} (N, 1) vs {self.info.inputs[0]} (N, C)", (x, bad))]
        return [(f"{self.info.inputs[1]} (N, 1) vs the expected (N,)", (x, classes.reshape(n, 1)))]

    def vector_along(self, x, params, case):
        return self.call((self._rows_tensor(x), self._target(np.zeros(x.shape[0], int))), params, "none")

    def _rows_tensor(self, x):
        n = x.shape[0]
        if self.probabilities:
            rest = _column((1.0 - x) / 2.0)
            return mg.concatenate([_column(x), rest, rest], axis=1)
        return mg.concatenate([_column(x), mg.wrap(np.zeros((n, self.C - 1)), like=x)], axis=1)

    def point_inputs(self, x, case, params):
        return (self._rows_tensor(x.reshape(1)), self._target(np.zeros(1, int)))

    def outlier_axis(self, params):
        if self.probabilities:
            return np.array([0.5, 0.1, 0.01, 0.001]), "p of the true class falls to 0"
        return np.array([-1.0, -10.0, -100.0, -1000.0]), f"the margin y·{'f' if self.info.input == 'score' else 'z'} goes negative (a confident mistake)"

    def float32(self, inputs):
        x, t = inputs
        return (x.astype(np.float32), t.astype(np.float32) if t.dtype.kind == "f" else t)


class Pairs(Adapter):
    axis_label = "distance D between the two embeddings"
    cases = ("similar", "dissimilar")
    differentiable = (0, 1)

    def axis_range(self, params):
        return (0.0, 2.5 * max(_margin(params), 0.5))

    def sample(self, rng, n, scale=1.0):
        return (scale * rng.standard_normal((n, 2)), scale * rng.standard_normal((n, 2)),
                rng.integers(0, 2, n).astype(float))

    def samples(self, rng):
        return [self.sample(rng, 5), self.sample(rng, 2)]

    def _at(self, distances, y):
        d = np.asarray(distances, dtype=float)
        x1 = np.stack([d, np.zeros_like(d)], axis=1)
        return (x1, np.zeros_like(x1), np.asarray(y, dtype=float))

    def kinks(self, params):
        m = _margin(params)
        d = [NUDGE, m - NUDGE, m + NUDGE]
        return [("distances within 1e-3 of 0 and of the margin, both labels",
                 self._at(d * 2, [0.0] * 3 + [1.0] * 3))]

    def extremes(self, params):
        x1 = np.array([[0.5, -1.0], [0.5, -1.0]])
        return [("zero distance (x1 == x2), similar and dissimilar", (x1, x1.copy(), np.array([0.0, 1.0]))),
                (f"huge distance ({HUGE_DISTANCE:g}), similar and dissimilar",
                 self._at([HUGE_DISTANCE] * 2, [0.0, 1.0]))]

    def perfect(self, rng):
        x1 = rng.standard_normal((6, 2))
        y = np.array([0.0, 1.0] * 3)
        far = np.array([10.0 + 2 * self.margin, 0.0])
        x2 = np.where(y[:, None] == 0, x1, x1 + far)
        return (x1, x2, y), [(x1, x2 + 0.1, y), (x1, x1 + np.array([0.3 * self.margin, 0.0]), y)]

    def mismatched(self, n=4):
        x1 = np.zeros((n, 2))
        x2 = np.ones((n, 2))
        names = self.info.inputs
        return [(f"{names[2]} (N, 1) vs the expected (N,)", (x1, x2, np.zeros((n, 1)))),
                (f"{names[0]} (N, 2) vs {names[1]} (N, 1)", (x1, np.ones((n, 1)), np.zeros(n)))]

    def _y(self, case, n):
        return np.full(n, 0.0 if case == "similar" else 1.0)

    def vector_along(self, x, params, case):
        n = x.shape[0]
        x1 = mg.concatenate([_column(x), mg.wrap(np.zeros((n, 1)), like=x)], axis=1)
        return self.call((x1, np.zeros((n, 2)), self._y(case, n)), params, "none")

    def point_inputs(self, x, case, params):
        x1 = mg.concatenate([x.reshape(1, 1), mg.wrap(np.zeros((1, 1)), like=x)], axis=1)
        return (x1, np.zeros((1, 2)), self._y(case, 1))

    def outlier_axis(self, params):
        return np.array([1.0, 10.0, 100.0, 1000.0]), "a similar pair drifts apart"

    def float32(self, inputs):
        return tuple(a.astype(np.float32) for a in inputs)


class Triplets(Adapter):
    @property
    def axis_label(self):
        if self.info.batch_form:
            return "d(a,p) − d(a,n) in a batch of three (the positive is an anchor too)"
        return "d(a,p) − d(a,n)"

    @property
    def differentiable(self):
        return (0,) if self.info.batch_form else (0, 1, 2)

    def _dn(self, params):
        return 2.0 * max(1.0, _margin(params))

    def axis_range(self, params):
        dn = self._dn(params)
        return (-dn, dn)

    # the batch form gets three points: anchor, positive (same label), negative
    def _batch(self, a, p, n):
        labels = np.array([0] * (len(a) + len(p)) + [1] * len(n), dtype=np.int64)
        return (np.concatenate([a, p, n]), labels)

    def _triplet(self, a, p, n):
        return self._batch(a, p, n) if self.info.batch_form else (a, p, n)

    def sample(self, rng, n, scale=1.0):
        if self.info.batch_form:
            labels = np.array([0, 0, 1, 1, 2, 2, 0, 1][:max(n, 4)], dtype=np.int64)
            return (scale * rng.standard_normal((len(labels), 2)), labels)
        return tuple(scale * rng.standard_normal((n, 2)) for _ in range(3))

    def samples(self, rng):
        return [self.sample(rng, 5), self.sample(rng, 6)]

    def _geometry(self, dp, dn):
        """Anchors at 0, positives at distance dp (on the y axis), negatives at dn (x axis)."""
        dp = np.asarray(dp, dtype=float)
        a = np.zeros((len(dp), 2))
        p = np.stack([np.zeros_like(dp), dp], axis=1)
        n = np.stack([np.full_like(dp, dn), np.zeros_like(dp)], axis=1)
        return a, p, n

    def kinks(self, params):
        m, dn = _margin(params), self._dn(params)
        dp = [dn - m + NUDGE, dn - m - NUDGE, NUDGE]
        if self.info.batch_form:
            return [("d(a,p) − d(a,n) + margin within 1e-3 of 0, and d(a,p) = 1e-3",
                     self._batch(*self._geometry([d], dn))) for d in dp]
        return [("d(a,p) − d(a,n) + margin within 1e-3 of 0, and d(a,p) = 1e-3",
                 self._triplet(*self._geometry(dp, dn)))]

    def extremes(self, params):
        z = np.zeros((2, 2))
        one = np.array([[1.0, 0.5], [-0.5, 1.0]])
        far = np.array([[HUGE_DISTANCE, 0.0], [0.0, HUGE_DISTANCE]])
        return [("zero distances (anchor == positive == negative)", self._triplet(z, z.copy(), z.copy())),
                ("anchor == positive", self._triplet(one, one.copy(), z)),
                ("anchor == negative", self._triplet(one, z, one.copy())),
                (f"huge distances ({HUGE_DISTANCE:g})", self._triplet(z, far, -far))]

    def perfect(self, rng):
        a = rng.standard_normal((4, 2))
        far = a + np.array([10.0 + 2 * self.margin, 0.0])
        near = a + np.array([0.0, 0.3 * self.margin])
        return self._triplet(a, a.copy(), far), [self._triplet(a, a + 0.1, far),
                                                 self._triplet(a, near, near + np.array([0.2, 0.0]))]

    def mismatched(self, n=4):
        if self.info.batch_form:
            return [(f"{self.info.inputs[1]} (N, 1) vs the expected (N,)",
                     (np.zeros((n, 2)), np.array([0, 0, 1, 1][:n]).reshape(n, 1)))]
        names = self.info.inputs
        return [(f"{names[0]} (N, 2) vs {names[2]} (N, 1)", (np.zeros((n, 2)), np.ones((n, 2)), np.ones((n, 1)))),
                (f"{names[0]} (N, 2) vs {names[1]} (N, 1)", (np.zeros((n, 2)), np.ones((n, 1)), np.ones((n, 2))))]

    def vector_along(self, x, params, case):
        if self.info.batch_form:
            return None
        n, dn = x.shape[0], self._dn(params)
        zeros = mg.wrap(np.zeros((n, 1)), like=x)
        positive = mg.concatenate([zeros, _column(x + dn)], axis=1)
        a, _, negative = self._geometry(np.zeros(n), dn)
        return self.call((a, positive, negative), params, "none")

    def point_inputs(self, x, case, params):
        dn = self._dn(params)
        zero = mg.wrap(np.zeros((1, 1)), like=x)
        positive = mg.concatenate([zero, (x + dn).reshape(1, 1)], axis=1)
        a = np.zeros((1, 2))
        negative = np.array([[dn, 0.0]])
        if self.info.batch_form:
            return (mg.concatenate([mg.wrap(a, like=x), positive, mg.wrap(negative, like=x)], axis=0),
                    np.array([0, 0, 1], dtype=np.int64))
        return (a, positive, negative)

    def outlier_axis(self, params):
        return np.array([1.0, 10.0, 100.0, 1000.0]), "the positive drifts away (d(a,p) − d(a,n) grows)"

    def float32(self, inputs):
        return tuple(a.astype(np.float32) if a.dtype.kind == "f" else a for a in inputs)


class Penalty(Adapter):
    axis_label = "a weight w"

    @property
    def differentiable(self):
        return (0, 1)

    def call(self, inputs, params, reduction=None):
        kwargs = dict(params)
        if reduction is not None and self.info.has_reduction:
            kwargs["reduction"] = reduction
        return self.info.fn(list(inputs), **kwargs)

    def per_sample(self, inputs, params):
        return self.call(inputs, params)

    def axis_range(self, params):
        return (-2.0, 2.0)

    def sample(self, rng, shape, scale=1.0):
        return (scale * rng.standard_normal((3, 2)), scale * rng.standard_normal(4))

    def samples(self, rng):
        return [self.sample(rng, None)]

    def kinks(self, params):
        w = np.array([NUDGE, -NUDGE, 1 + NUDGE, -1 - NUDGE])
        return [("weights within 1e-3 of 0", (w.reshape(2, 2), w.copy()))]

    def extremes(self, params):
        z = np.zeros(4)
        return [("zero weights", (z.reshape(2, 2), z.copy())),
                ("huge weights (±1e6)", (np.full((2, 2), 1e6), np.full(4, -1e6)))]

    def perfect(self, rng):
        z = np.zeros(4)
        return (z.reshape(2, 2), z.copy()), [(np.full((2, 2), 0.1), np.full(4, -0.1))]

    def mismatched(self, n=4):
        return []

    def point_inputs(self, x, case, params):
        return (x.reshape(1),)

    def along(self, x, params, case=None):
        return mg.stack([self.call(self.point_inputs(x[i], case, params), params) for i in range(x.shape[0])])

    def outlier_axis(self, params):
        return np.array([1.0, 10.0, 100.0, 1000.0]), "|w| grows"

    def float32(self, inputs):
        return tuple(a.astype(np.float32) for a in inputs)


_ADAPTERS = {"regression": Regression, "binary": Binary, "multiclass": Multiclass,
             "pairs": Pairs, "triplets": Triplets, "penalty": Penalty}


def adapter(info, params=None):
    """The adapter for `info`'s kind, set up for the parameter values `params`."""
    a = _ADAPTERS[info.kind](info)
    a.margin = _margin(params or {})
    return a
