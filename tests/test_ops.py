"""Every op of minigrad, driven by one table: values against numpy, gradients against finite differences.

Each row of OPS names an op, gives the minigrad callable, the numpy reference and an input
domain that stays off the op's kinks (|x| and relu away from 0, log and sqrt on positive
numbers, max/min without ties, clip away from its bounds), and lists the input shapes to
try, broadcasting included. Three tests run over every (row, shapes) pair:

* test_value_float64   the result equals numpy's, shape and dtype included;
* test_gradcheck       mg.gradcheck of sum(op(inputs) * W), W a fixed random weight, so that
                       every output entry gets a different upstream gradient;
* test_value_float32   float32 inputs give a float32 result and float32 gradients, close to
                       the float64 ones.

Hypothesis then checks properties that hold for any input (softmax rows sum to 1, ...).
"""
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minigrad as mg

# ---- input domains: (rng, shape) -> float64 array -------------------------------

def anywhere(rng, shape):
    return rng.uniform(-2.0, 2.0, shape)


def positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def avoiding(*kinks, gap=0.1):
    """Uniform on [-2, 2] but at least `gap` away from each kink (finite differences stay on one side)."""
    def domain(rng, shape):
        x = rng.uniform(-2.0, 2.0, shape)
        for _ in range(100):
            near = np.zeros(np.shape(x), dtype=bool)
            for k in kinks:
                near |= np.abs(x - k) < gap
            if not near.any():
                return x
            x = np.where(near, rng.uniform(-2.0, 2.0, shape), x)
        raise AssertionError("domain: could not draw points off the kinks")
    return domain


off_zero = avoiding(0.0)


def distinct(rng, shape):
    """All entries differ by at least 0.2, so a max or min has no tie (and a step of eps cannot make one)."""
    n = int(np.prod(shape, dtype=int))
    return ((rng.permutation(n) - n / 2) * 0.2 + rng.uniform(0, 0.01)).reshape(shape)


def even_tenths(rng, shape):
    """Even multiples of 0.1; paired with odd_tenths the two inputs never tie (gap >= 0.1)."""
    return 0.2 * rng.integers(-10, 10, shape) + 0.0


def odd_tenths(rng, shape):
    return 0.2 * rng.integers(-10, 10, shape) + 0.1


# ---- the table ---------------------------------------------------------------

@dataclass(frozen=True)
class Op:
    name: str
    fn: Callable            # minigrad tensors -> tensor
    ref: Callable           # numpy arrays -> array
    cases: tuple            # each case: a tuple with one shape per input
    domain: object = anywhere   # one domain for every input, or a tuple with one per input


UNARY = ((), (5,), (3, 4), (2, 3, 4))
BINARY = (((3, 4), (3, 4)), ((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((4,), (2, 3, 4)),
          ((), (3, 4)), ((3, 4), ()), ((2, 1, 4), (3, 1)), ((), ()))
ROW = np.array([0.5, -1.5, 2.0, 0.25])            # a numpy constant that broadcasts against (..., 4)
WITH_ROW = (((3, 4),), ((3, 1),), ((4,),), ((),), ((2, 3, 4),))
COND = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])
MASK = np.array([[True, False, False, True, False], [False, True, True, False, False],
                 [False, False, False, False, True], [True, True, False, False, False]])
CUBE = ((2, 3, 4),)                               # a list of shapes, for unary(...)


def unary(name, fn, ref, domain=anywhere, cases=UNARY):
    return Op(name, fn, ref, tuple((s,) for s in cases), domain)


def reductions(method, ref, domain):
    """Rows for t.method(axis, keepdims) and mg.method(t, ...) over None, ints, negative ints and tuples."""
    rows = []
    for axis in (None, 0, 1, -1, (0, 2), (-1, 0), (0, 1, 2)):
        for keepdims in (False, True):
            rows.append(Op(
                f"{method}(axis={axis}, keepdims={keepdims})",
                lambda a, axis=axis, keepdims=keepdims: getattr(a, method)(axis=axis, keepdims=keepdims),
                lambda a, axis=axis, keepdims=keepdims: ref(a, axis=axis, keepdims=keepdims),
                (((2, 3, 4),),), domain))
    rows.append(Op(f"{method} of a vector", lambda a: getattr(a, method)(), ref, (((5,),),), domain))
    rows.append(Op(f"{method} of a scalar", lambda a: getattr(a, method)(), ref, (((),),), domain))
    rows.append(Op(f"mg.{method}(t, axis=1)", lambda a: getattr(mg, method)(a, axis=1),
                   lambda a: ref(a, axis=1), (((2, 3, 4),),), domain))
    return rows


def np_logsumexp(a, axis=-1, keepdims=False):
    # naive form: fine for the small inputs of the table
    return np.log(np.sum(np.exp(a), axis=axis, keepdims=keepdims))


def np_softmax(a, axis=-1):
    e = np.exp(a)
    return e / e.sum(axis=axis, keepdims=True)


def np_sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def np_scatter_add(a):
    out = np.zeros(4)
    np.add.at(out, [0, 2, 0], a)
    return out


OPS = [
    # arithmetic between tensors, with broadcasting
    Op("a + b", lambda a, b: a + b, np.add, BINARY),
    Op("a - b", lambda a, b: a - b, np.subtract, BINARY),
    Op("a * b", lambda a, b: a * b, np.multiply, BINARY),
    Op("a / b", lambda a, b: a / b, np.divide, BINARY, (anywhere, off_zero)),
    Op("a ** b", lambda a, b: a ** b, np.power, BINARY, (positive, anywhere)),
    Op("mg.add", mg.add, np.add, (((3, 1), (1, 4)),)),
    Op("mg.sub", mg.sub, np.subtract, (((3, 1), (1, 4)),)),
    Op("mg.mul", mg.mul, np.multiply, (((3, 1), (1, 4)),)),
    Op("mg.div", mg.div, np.divide, (((3, 1), (1, 4)),), (anywhere, off_zero)),
    Op("mg.pow", mg.pow, np.power, (((3, 1), (1, 4)),), (positive, anywhere)),
    Op("-a", lambda a: -a, np.negative, tuple((s,) for s in UNARY)),
    unary("mg.neg", mg.neg, np.negative),
    # Python numbers and numpy arrays on either side
    Op("a + 2.5", lambda a: a + 2.5, lambda a: a + 2.5, WITH_ROW),
    Op("2.5 + a", lambda a: 2.5 + a, lambda a: 2.5 + a, WITH_ROW),
    Op("a + array", lambda a: a + ROW, lambda a: a + ROW, WITH_ROW),
    Op("array + a", lambda a: ROW + a, lambda a: ROW + a, WITH_ROW),
    Op("a - 3", lambda a: a - 3, lambda a: a - 3, WITH_ROW),
    Op("3 - a", lambda a: 3 - a, lambda a: 3 - a, WITH_ROW),
    Op("a - array", lambda a: a - ROW, lambda a: a - ROW, WITH_ROW),
    Op("array - a", lambda a: ROW - a, lambda a: ROW - a, WITH_ROW),
    Op("a * 1.5", lambda a: a * 1.5, lambda a: a * 1.5, WITH_ROW),
    Op("-2 * a", lambda a: -2 * a, lambda a: -2 * a, WITH_ROW),
    Op("a * array", lambda a: a * ROW, lambda a: a * ROW, WITH_ROW),
    Op("array * a", lambda a: ROW * a, lambda a: ROW * a, WITH_ROW),
    Op("a / 4", lambda a: a / 4, lambda a: a / 4, WITH_ROW),
    Op("3 / a", lambda a: 3 / a, lambda a: 3 / a, WITH_ROW, off_zero),
    Op("a / array", lambda a: a / ROW, lambda a: a / ROW, WITH_ROW),
    Op("array / a", lambda a: ROW / a, lambda a: ROW / a, WITH_ROW, off_zero),
    Op("a ** 2", lambda a: a ** 2, lambda a: a ** 2, WITH_ROW),
    Op("a * a (a square)", lambda a: a * a, lambda a: a * a, WITH_ROW),
    unary("mg.square", mg.square, np.square),
    Op("a ** 3", lambda a: a ** 3, lambda a: a ** 3, WITH_ROW),
    Op("a ** 0.5", lambda a: a ** 0.5, np.sqrt, WITH_ROW, positive),
    Op("a ** -2", lambda a: a ** -2, lambda a: a ** -2.0, WITH_ROW, off_zero),
    Op("a ** 2.5", lambda a: a ** 2.5, lambda a: a ** 2.5, WITH_ROW, positive),
    Op("a ** 0", lambda a: a ** 0, lambda a: a ** 0.0, WITH_ROW),
    Op("2 ** a", lambda a: 2 ** a, lambda a: 2.0 ** a, WITH_ROW),
    Op("a ** array", lambda a: a ** ROW, lambda a: a ** ROW, WITH_ROW, positive),
    Op("array ** a", lambda a: np.abs(ROW) ** a, lambda a: np.abs(ROW) ** a, WITH_ROW),
    # matrix product, numpy's rules for 1-D operands and batch axes
    Op("a @ b", lambda a, b: a @ b, np.matmul,
       (((3, 4), (4, 5)), ((4,), (4, 5)), ((3, 4), (4,)), ((4,), (4,)), ((2, 3, 4), (4, 5)),
        ((2, 3, 4), (2, 4, 5)), ((1, 3, 4), (2, 4, 2)), ((4,), (2, 4, 3)), ((2, 3, 4), (4,)))),
    Op("mg.matmul", mg.matmul, np.matmul, (((3, 4), (4, 2)),)),
    Op("a @ array", lambda a: a @ ROW, lambda a: a @ ROW, (((3, 4),), ((4,),), ((2, 3, 4),))),
    Op("array @ a", lambda a: ROW @ a, lambda a: ROW @ a, (((4, 3),), ((4,),), ((2, 4, 3),))),
    Op("matrix @ a", lambda a: np.outer(ROW, ROW[:3]) @ a, lambda a: np.outer(ROW, ROW[:3]) @ a,
       (((3, 2),), ((3,),))),
    # nn.Linear's op: x @ w.T + b in one node, over any leading sample axes
    Op("mg.linear(x, w, b)", mg.linear, lambda x, w, b: x @ w.T + b,
       (((4, 3), (2, 3), (2,)), ((3,), (2, 3), (2,)), ((2, 4, 3), (5, 3), (5,)), ((4, 3), (2, 3), ()))),
    Op("mg.linear(x, w)", mg.linear, lambda x, w: x @ w.T, (((4, 3), (2, 3)), ((3,), (5, 3)))),
    # indexing: basic, advanced, repeated indices (their gradients add up), masks
    unary("a[1]", lambda a: a[1], lambda a: a[1], cases=((5,), (3, 4), (2, 3, 4))),
    unary("a[-1]", lambda a: a[-1], lambda a: a[-1], cases=((5,), (3, 4))),
    unary("a[1:3]", lambda a: a[1:3], lambda a: a[1:3], cases=((5,), (3, 4))),
    unary("a[::-2]", lambda a: a[::-2], lambda a: a[::-2], cases=((5,), (3, 4))),
    unary("a[:, 2]", lambda a: a[:, 2], lambda a: a[:, 2], cases=((3, 4), (2, 3, 4))),
    unary("a[1, 2]", lambda a: a[1, 2], lambda a: a[1, 2], cases=((3, 4), (2, 3, 4))),
    unary("a[..., 1]", lambda a: a[..., 1], lambda a: a[..., 1], cases=((3, 4), (2, 3, 4))),
    unary("a[None, :, 1:]", lambda a: a[None, :, 1:], lambda a: a[None, :, 1:], cases=((3, 4),)),
    unary("a[[0, 2, 0]]", lambda a: a[[0, 2, 0]], lambda a: a[[0, 2, 0]], cases=((3,), (3, 4))),
    unary("a[[0,1,1], [2,2,3]]", lambda a: a[[0, 1, 1], [2, 2, 3]],
          lambda a: a[[0, 1, 1], [2, 2, 3]], cases=((3, 4), (2, 4, 2))),
    unary("a[:, [3, 3, 0]]", lambda a: a[:, [3, 3, 0]], lambda a: a[:, [3, 3, 0]], cases=((3, 4),)),
    unary("a[int array 2-D]", lambda a: a[np.array([[0, 1], [1, 1]])],
          lambda a: a[np.array([[0, 1], [1, 1]])], cases=((3,), (3, 4))),
    unary("a[mask]", lambda a: a[MASK], lambda a: a[MASK], cases=((4, 5),)),
    unary("a[a > 0]", lambda a: a[a > 0], lambda a: a[a > 0], off_zero, cases=((4, 5),)),
    # elementwise functions
    unary("exp", lambda a: a.exp(), np.exp),
    unary("log", lambda a: a.log(), np.log, positive),
    unary("sqrt", lambda a: a.sqrt(), np.sqrt, positive),
    unary("abs", lambda a: a.abs(), np.abs, off_zero),
    unary("relu", lambda a: a.relu(), lambda a: np.maximum(a, 0.0), off_zero),
    unary("sigmoid", lambda a: a.sigmoid(), np_sigmoid),
    unary("tanh", lambda a: a.tanh(), np.tanh),
    unary("softplus", mg.softplus, lambda a: np.log1p(np.exp(a))),
    unary("clip(-0.5, 0.5)", lambda a: a.clip(-0.5, 0.5), lambda a: np.clip(a, -0.5, 0.5),
          avoiding(-0.5, 0.5)),
    unary("clip(lo=0.3)", lambda a: a.clip(0.3), lambda a: np.maximum(a, 0.3), avoiding(0.3)),
    unary("clip(hi=0.3)", lambda a: a.clip(hi=0.3), lambda a: np.minimum(a, 0.3), avoiding(0.3)),
    unary("mg.clip", lambda a: mg.clip(a, -1.0, 1.0), lambda a: np.clip(a, -1.0, 1.0),
          avoiding(-1.0, 1.0)),
    Op("mg.maximum(a, b)", mg.maximum, np.maximum, BINARY, (even_tenths, odd_tenths)),
    Op("mg.minimum(a, b)", mg.minimum, np.minimum, BINARY, (even_tenths, odd_tenths)),
    Op("mg.maximum(a, 0.25)", lambda a: mg.maximum(a, 0.25), lambda a: np.maximum(a, 0.25),
       (((3, 4),), ((),)), avoiding(0.25)),
    Op("mg.minimum(array, a)", lambda a: mg.minimum(ROW, a), lambda a: np.minimum(ROW, a),
       (((3, 4),), ((),)), avoiding(*ROW)),
    Op("mg.where(cond, a, b)", lambda a, b: mg.where(COND, a, b), lambda a, b: np.where(COND, a, b),
       (((3, 4), (3, 4)), ((3, 1), (4,)), ((3, 4), ()))),
    Op("mg.where(a > 0, a, b)", lambda a, b: mg.where(a > 0, a, b), lambda a, b: np.where(a > 0, a, b),
       (((3, 4), (3, 4)), ((3, 4), (4,)), ((), ())), off_zero),
    Op("mg.where(cond, a, 0.0)", lambda a: mg.where(COND, a, 0.0), lambda a: np.where(COND, a, 0.0),
       (((3, 4),), ((4,),))),
    # reductions
    *reductions("sum", np.sum, anywhere),
    *reductions("mean", np.mean, anywhere),
    *reductions("max", np.max, distinct),
    *reductions("min", np.min, distinct),
    # softmax family
    unary("logsumexp()", lambda a: a.logsumexp(), np_logsumexp, cases=((5,), (3, 4), (2, 3, 4))),
    unary("logsumexp(axis=0)", lambda a: a.logsumexp(axis=0), lambda a: np_logsumexp(a, axis=0),
          cases=((5,), (3, 4))),
    unary("logsumexp(axis=(0, 2), keepdims)", lambda a: a.logsumexp(axis=(0, 2), keepdims=True),
          lambda a: np_logsumexp(a, axis=(0, 2), keepdims=True), cases=((2, 3, 4),)),
    unary("mg.logsumexp(axis=1, keepdims)", lambda a: mg.logsumexp(a, 1, keepdims=True),
          lambda a: np_logsumexp(a, axis=1, keepdims=True), cases=((3, 4),)),
    unary("softmax()", lambda a: a.softmax(), np_softmax, cases=((5,), (3, 4), (2, 3, 4))),
    unary("softmax(axis=0)", lambda a: a.softmax(axis=0), lambda a: np_softmax(a, axis=0),
          cases=((3, 4), (2, 3, 4))),
    unary("mg.softmax(axis=1)", lambda a: mg.softmax(a, axis=1), lambda a: np_softmax(a, axis=1),
          cases=((2, 3, 4),)),
    unary("log_softmax()", lambda a: a.log_softmax(), lambda a: np.log(np_softmax(a)),
          cases=((5,), (3, 4), (2, 3, 4))),
    unary("mg.log_softmax(axis=0)", lambda a: mg.log_softmax(a, axis=0),
          lambda a: np.log(np_softmax(a, axis=0)), cases=((3, 4),)),
    # shapes
    unary("reshape(6, 4)", lambda a: a.reshape(6, 4), lambda a: a.reshape(6, 4), cases=CUBE),
    unary("reshape((4, 6))", lambda a: a.reshape((4, 6)), lambda a: a.reshape(4, 6), cases=CUBE),
    unary("reshape(-1)", lambda a: a.reshape(-1), lambda a: a.reshape(-1), cases=CUBE),
    unary("reshape(2, -1)", lambda a: a.reshape(2, -1), lambda a: a.reshape(2, -1), cases=CUBE),
    unary("mg.reshape(t, (3, 8))", lambda a: mg.reshape(a, (3, 8)), lambda a: a.reshape(3, 8), cases=CUBE),
    unary("transpose()", lambda a: a.transpose(), np.transpose, cases=((3, 4), (2, 3, 4))),
    unary("transpose(1, 0, 2)", lambda a: a.transpose(1, 0, 2), lambda a: a.transpose(1, 0, 2), cases=CUBE),
    unary("transpose((2, 0, 1))", lambda a: a.transpose((2, 0, 1)), lambda a: a.transpose(2, 0, 1),
          cases=CUBE),
    # negative axes: the backward once inverted the permutation without normalising them
    unary("transpose(-1, 0, 1)", lambda a: a.transpose(-1, 0, 1), lambda a: a.transpose(-1, 0, 1),
          cases=CUBE),
    unary("mg.transpose(t)", mg.transpose, np.transpose, cases=((3, 4),)),
    unary(".T", lambda a: a.T, lambda a: a.T, cases=((5,), (3, 4), (2, 3, 4))),
    unary("mg.broadcast_to", lambda a: mg.broadcast_to(a, (2, 3, 4)),
          lambda a: np.broadcast_to(a, (2, 3, 4)), cases=((4,), (3, 1), ())),
    Op("concatenate(axis=0)", lambda a, b: mg.concatenate([a, b]), lambda a, b: np.concatenate([a, b]),
       (((2, 3), (4, 3)), ((2,), (3,)))),
    Op("concatenate(axis=1)", lambda a, b: mg.concatenate([a, b], axis=1),
       lambda a, b: np.concatenate([a, b], axis=1), (((3, 2), (3, 5)),)),
    Op("concatenate(axis=-1)", lambda a, b: mg.concatenate([a, b], axis=-1),
       lambda a, b: np.concatenate([a, b], axis=-1), (((2, 3, 1), (2, 3, 2)),)),
    Op("concatenate([a, array, a])", lambda a: mg.concatenate([a, MASK * 1.0, a]),
       lambda a: np.concatenate([a, MASK * 1.0, a]), (((2, 5),),)),
    unary("mg.scatter_add", lambda a: mg.scatter_add(a, [0, 2, 0], (4,)), np_scatter_add, cases=((3,),)),
    Op("stack(axis=0)", lambda a, b: mg.stack([a, b]), lambda a, b: np.stack([a, b]),
       (((3, 4), (3, 4)), ((), ()))),
    Op("stack(axis=1)", lambda a, b: mg.stack([a, b], axis=1), lambda a, b: np.stack([a, b], axis=1),
       (((3, 4), (3, 4)),)),
    Op("stack(axis=-1)", lambda a, b, c: mg.stack([a, b, c], axis=-1),
       lambda a, b, c: np.stack([a, b, c], axis=-1), (((2, 3), (2, 3), (2, 3)),)),
    # a few compositions, to exercise the engine's bookkeeping
    Op("(a * b).sum(0) @ c", lambda a, b, c: (a * b).sum(0) @ c, lambda a, b, c: (a * b).sum(0) @ c,
       (((3, 4), (4,), (4, 2)),)),
    unary("a * a.exp() - a.tanh() / 2", lambda a: a * a.exp() - a.tanh() / 2,
          lambda a: a * np.exp(a) - np.tanh(a) / 2),
]

CASES = [pytest.param(op, shapes, id=f"{op.name} {shapes}") for op in OPS for shapes in op.cases]


def draw(op, shapes, seed=0, dtype=np.float64):
    """Inputs for one (row, shapes) case from the row's domain, deterministic."""
    rng = np.random.default_rng(seed)
    domains = op.domain if isinstance(op.domain, tuple) else (op.domain,) * len(shapes)
    return [np.asarray(d(rng, s), dtype=dtype) for d, s in zip(domains, shapes)]


def weight_for(shape):
    """A fixed random upstream gradient: each output entry counts differently in the checked scalar."""
    return np.random.default_rng(1).normal(size=shape)


def test_the_table_covers_every_public_op():
    names = " ".join(op.name for op in OPS)
    for word in ["+", "-", "*", "/", "**", "@", "[", "exp", "log", "sqrt", "abs", "relu", "sigmoid",
                 "tanh", "clip", "sum", "mean", "max", "min", "reshape", "transpose", ".T", "softmax",
                 "log_softmax", "logsumexp", "maximum", "minimum", "where", "softplus", "concatenate",
                 "stack", "linear", "scatter_add", "keepdims=True", "axis=(0, 2)"]:
        assert word in names, f"no row of the op table uses {word!r}"


@pytest.mark.parametrize("op, shapes", CASES)
def test_value_float64(op, shapes):
    arrays = draw(op, shapes)
    out = op.fn(*[mg.Tensor(x, requires_grad=True) for x in arrays])
    expected = np.asarray(op.ref(*arrays))
    assert isinstance(out, mg.Tensor)
    assert out.shape == expected.shape
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("op, shapes", CASES)
def test_gradcheck(op, shapes):
    arrays = draw(op, shapes)
    weight = weight_for(np.shape(op.ref(*arrays)))
    inputs = [mg.Tensor(x, requires_grad=True) for x in arrays]
    assert mg.gradcheck(lambda *ts: (op.fn(*ts) * weight).sum(), *inputs)


@pytest.mark.parametrize("op, shapes", CASES)
def test_value_float32(op, shapes):
    arrays = draw(op, shapes)
    expected = np.asarray(op.ref(*arrays))
    weight = weight_for(expected.shape)             # float64 on purpose: it must not promote

    inputs = [mg.Tensor(x.astype(np.float32), requires_grad=True) for x in arrays]
    out = op.fn(*inputs)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, expected, rtol=2e-5, atol=2e-5)

    inputs64 = [mg.Tensor(x, requires_grad=True) for x in arrays]
    grads64 = mg.grad((op.fn(*inputs64) * weight).sum(), inputs64)
    (out * weight).sum().backward()
    for t, g64 in zip(inputs, grads64):
        assert t.grad.dtype == np.float32
        assert t.grad.shape == t.shape
        np.testing.assert_allclose(t.grad, g64.data, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("op, shapes", CASES)
def test_second_order_gradcheck(op, shapes):
    # every backward is written in tensor ops, so it is differentiable: gradcheck the map
    # inputs -> Σ_i <∇_i f, d_i> of f = Σ W · op(inputs), d_i fixed random directions
    arrays = draw(op, shapes)
    weight = weight_for(np.shape(op.ref(*arrays)))
    rng = np.random.default_rng(3)
    directions = [rng.normal(size=np.shape(x)) for x in arrays]

    def directional_derivative(*ts):
        grads = mg.grad((op.fn(*ts) * weight).sum(), ts, create_graph=True)
        # the 0·Σt term keeps a graph when the op is linear (its gradient is then a constant)
        return sum((g * d).sum() for g, d in zip(grads, directions)) + 0 * sum(t.sum() for t in ts)

    inputs = [mg.Tensor(x, requires_grad=True) for x in arrays]
    assert mg.gradcheck(directional_derivative, *inputs)


# ---- function forms and comparisons ------------------------------------------------

@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh", "softplus",
                                  "sum", "mean", "max", "min", "softmax", "log_softmax", "logsumexp",
                                  "transpose"])
def test_each_method_is_also_a_function(name):
    t = mg.Tensor(np.random.default_rng(2).uniform(0.5, 2.0, (3, 4)))
    np.testing.assert_array_equal(getattr(mg, name)(t).data, getattr(t, name)().data)


@pytest.mark.parametrize("compare, reference", [
    (lambda a, b: a < b, np.less), (lambda a, b: a <= b, np.less_equal),
    (lambda a, b: a > b, np.greater), (lambda a, b: a >= b, np.greater_equal),
    (lambda a, b: a == b, np.equal), (lambda a, b: a != b, np.not_equal)])
def test_comparisons_give_bool_tensors_without_gradient(compare, reference):
    a = mg.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for b in (mg.Tensor([3.0, 2.0, 1.0], requires_grad=True), 2.0, np.array([0.0, 2.0, 4.0])):
        out = compare(a, b)
        b_data = b.data if isinstance(b, mg.Tensor) else b
        np.testing.assert_array_equal(out.data, reference(a.data, b_data))
        assert out.dtype == bool
        assert not out.requires_grad
    # a number or an array on the left flips to the reflected comparison
    np.testing.assert_array_equal(compare(2.0, a).data, reference(2.0, a.data))


# ---- properties (hypothesis) ----------------------------------------------------------

finite = st.floats(-30, 30, allow_nan=False, allow_infinity=False)
small_shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
PROPERTY = settings(max_examples=40, deadline=None)


@PROPERTY
@given(hnp.arrays(np.float64, small_shapes, elements=finite))
def test_softmax_is_a_distribution_on_the_last_axis(x):
    p = mg.Tensor(x).softmax().data
    assert np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)


@PROPERTY
@given(hnp.arrays(np.float64, small_shapes, elements=finite), finite)
def test_softmax_ignores_a_shift(x, c):
    np.testing.assert_allclose(mg.Tensor(x + c).softmax().data, mg.Tensor(x).softmax().data,
                               rtol=1e-9, atol=1e-12)


@PROPERTY
@given(hnp.arrays(np.float64, small_shapes, elements=finite))
def test_logsumexp_lies_between_max_and_max_plus_log_n(x):
    lse = mg.Tensor(x).logsumexp(axis=-1).data
    top = x.max(axis=-1)
    n = x.shape[-1]
    # max <= log Σ e^x <= max + log n, up to rounding
    assert np.all(lse >= top - 1e-12)
    assert np.all(lse <= top + np.log(n) + 1e-12)


@PROPERTY
@given(hnp.arrays(np.float64, small_shapes, elements=finite))
def test_log_softmax_is_log_of_softmax(x):
    t = mg.Tensor(x)
    np.testing.assert_allclose(t.log_softmax().data, np.log(t.softmax().data), rtol=1e-9, atol=1e-9)


@PROPERTY
@given(hnp.arrays(st.sampled_from([np.float32, np.float64]), small_shapes,
                  elements=st.floats(-10, 10, width=32)))
def test_gradient_of_sum_is_ones_in_the_input_dtype(x):
    t = mg.Tensor(x, requires_grad=True)
    t.sum().backward()
    assert t.grad.dtype == x.dtype
    np.testing.assert_array_equal(t.grad, np.ones_like(x))


@PROPERTY
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3))
def test_broadcast_gradients_sum_back_to_each_input_shape(shapes):
    (shape_a, shape_b), result = shapes.input_shapes, shapes.result_shape
    a = mg.Tensor(np.ones(shape_a), requires_grad=True)
    b = mg.Tensor(np.ones(shape_b), requires_grad=True)
    (a + b).sum().backward()
    # each entry of an input is copied (result size / input size) times into the sum
    size = int(np.prod(result, dtype=int))
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    np.testing.assert_array_equal(a.grad, np.full(shape_a, size / max(int(np.prod(shape_a, dtype=int)), 1)))
    np.testing.assert_array_equal(b.grad, np.full(shape_b, size / max(int(np.prod(shape_b, dtype=int)), 1)))
    # and mg.unbroadcast sums any result-shaped array back to the input shape
    assert mg.unbroadcast(np.ones(result), shape_a).shape == shape_a


@PROPERTY
@given(hnp.arrays(np.float32, small_shapes, elements=st.floats(-5, 5, width=32)))
def test_float32_stays_float32_through_every_unary_op(x):
    t = mg.Tensor(x, requires_grad=True)
    outs = [t.exp(), (t.abs() + 1).sqrt(), (t.abs() + 1).log(), t.abs(), t.relu(), t.sigmoid(), t.tanh(),
            mg.softplus(t), t.clip(-1, 1), t.softmax(), t.log_softmax(), t.logsumexp(), t.sum(),
            t.mean(), t.max(), t.min(), -t, t * 2.0, 2.0 / (t.abs() + 1), t ** 2, t.T, t.reshape(-1)]
    for out in outs:
        assert out.dtype == np.float32
    sum(o.sum() for o in outs).backward()
    assert t.grad.dtype == np.float32
