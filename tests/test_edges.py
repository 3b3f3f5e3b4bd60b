"""The engine at the edges: numpy's axis and domain rules, PyTorch's graph rules, readable errors.

Each example of issue 11 is a test here, and each class of problem gets a property test
(every op that takes an axis with every out-of-range axis; every elementwise op at 0, ±inf,
subnormals and the extremes of float32). References are numpy's values and the derivatives
written out by hand; PyTorch's rules are quoted where they pick a value.
"""
import gc
import threading
import tracemalloc
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as mg

AxisError = np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError
PROPERTY = settings(max_examples=60, deadline=None)


def leaf(values, dtype=None):
    return mg.Tensor(np.asarray(values, dtype=float), requires_grad=True, dtype=dtype)


def same(actual, expected):
    """Equal values, NaN where the reference is NaN, and the same dtype."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    np.testing.assert_array_equal(actual, expected)


# ---- an axis out of range raises numpy's AxisError, in every op that takes one -----------

AXIS_OPS = {
    "sum": lambda t, ax: t.sum(axis=ax),
    "mean": lambda t, ax: t.mean(axis=ax),
    "max": lambda t, ax: t.max(axis=ax),
    "min": lambda t, ax: t.min(axis=ax),
    "sum keepdims": lambda t, ax: mg.sum(t, ax, keepdims=True),
    "softmax": lambda t, ax: t.softmax(axis=ax),
    "log_softmax": lambda t, ax: t.log_softmax(axis=ax),
    "logsumexp": lambda t, ax: t.logsumexp(axis=ax),
    "concatenate": lambda t, ax: mg.concatenate([t, t], axis=ax),
    # the result of stack has ndim + 1 axes: shift the axis one further out
    "stack": lambda t, ax: mg.stack([t, t], axis=ax - 1 if ax < 0 else ax + 1),
    "transpose": lambda t, ax: t.transpose(ax, *[i for i in range(t.ndim) if i != ax % t.ndim]),
    "sum over a tuple": lambda t, ax: t.sum(axis=(0, ax)),
}


def test_the_issue_examples_raise_instead_of_wrapping():
    x = mg.Tensor(np.arange(6.0).reshape(2, 3))
    for f in (lambda: x.sum(axis=2), lambda: x.softmax(axis=2), lambda: mg.concatenate([x, x], axis=2)):
        with pytest.raises(AxisError, match="axis 2 is out of bounds for array of dimension 2"):
            f()


@PROPERTY
@given(st.sampled_from(sorted(AXIS_OPS)), st.integers(1, 3), st.integers(0, 4), st.booleans())
def test_every_axis_op_raises_for_every_out_of_range_axis(name, ndim, beyond, negative):
    t = mg.Tensor(np.ones((2,) * ndim), requires_grad=True)
    axis = -(ndim + 1 + beyond) if negative else ndim + beyond
    with pytest.raises(AxisError):
        AXIS_OPS[name](t, axis)


@pytest.mark.parametrize("name", sorted(AXIS_OPS))
def test_every_axis_op_accepts_every_axis_in_range(name):
    t = mg.Tensor(np.arange(24.0).reshape(2, 3, 4) / 10, requires_grad=True)
    for axis in range(-3, 3):
        if name == "sum over a tuple" and axis in (0, -3):
            continue                            # (0, 0) is a duplicate, numpy's ValueError
        AXIS_OPS[name](t, axis).sum().backward()


def test_a_zero_dimensional_tensor_has_no_axis_to_reduce():
    with pytest.raises(AxisError):
        mg.Tensor(1.0).sum(axis=0)
    with pytest.raises(ValueError, match="duplicate"):
        mg.Tensor(np.ones((2, 2))).sum(axis=(1, -1))
    with pytest.raises(ValueError, match="repeated axis"):
        mg.Tensor(np.ones((2, 2))).transpose(1, 1)


# ---- ** at the edges: numpy's values, PyTorch's gradients ------------------------------------

def test_negative_base_with_a_tensor_exponent():
    p = leaf([2.0, 3.0])
    a = leaf([-2.0, -2.0])
    out = a ** p
    same(out.data, [4.0, -8.0])                  # numpy's values, not exp(p log a) = nan
    out.sum().backward()
    same(a.grad, [-4.0, 12.0])                   # p a^(p-1): 2·(-2), 3·4
    assert np.all(np.isnan(p.grad))              # a^p log a: the real log of -2 is undefined (PyTorch: nan)
    q = leaf([2.0, 3.0])
    same(((-2.0) ** q).data, [4.0, -8.0])        # a number as the base


def test_x_to_the_x_at_zero():
    x = leaf([0.0])
    y = x ** x
    same(y.data, [1.0])                          # 0 ** 0 = 1
    y.backward()
    # base: p == 0 gives 0; exponent: a == 0 with p >= 0 gives 0 (PyTorch's masks)
    same(x.grad, [0.0])


def test_gradient_of_zero_to_the_e_with_respect_to_e():
    e = leaf([0.0, 2.0, 0.5, -1.0])
    y = 0.0 ** e
    with np.errstate(divide="ignore"):
        same(y.data, np.power(0.0, e.data))      # [1, 0, 0, inf]
    y.sum().backward()
    # 0 where p >= 0 (0^p is flat there); for p < 0 the formula a^p log a = inf · -inf = -inf
    same(e.grad, [0.0, 0.0, 0.0, -np.inf])


def test_zero_base_with_an_array_exponent_containing_zero():
    x = leaf([0.0, 2.0])
    (x ** np.array([0.0, 2.0])).sum().backward()
    same(x.grad, [0.0, 4.0])                     # not [nan, 4]: x^0 is constant


SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, np.inf, -np.inf, 5e-324, -5e-324, 1e300]
EXPONENTS = [0.0, 1.0, 2.0, 3.0, -1.0, -2.0, 0.5, -0.5, 2.5, np.inf, -np.inf]


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(SPECIAL), st.sampled_from(EXPONENTS)), min_size=1, max_size=6),
       st.sampled_from([np.float64, np.float32]))
def test_pow_values_are_numpys_and_gradients_follow_pytorchs_rule(pairs, dtype):
    with np.errstate(over="ignore"):                 # 1e300 is inf in float32
        a_values = np.array([a for a, _ in pairs], dtype=dtype)
        p_values = np.array([p for _, p in pairs], dtype=dtype)
    a, p = mg.Tensor(a_values, requires_grad=True), mg.Tensor(p_values, requires_grad=True)
    with np.errstate(all="ignore"):
        out = a ** p
        out.sum().backward()
        value = np.power(a_values, p_values)
        base = np.where(p_values == 0, 0.0, p_values * np.power(a_values, p_values - 1)).astype(dtype)
        exponent = np.where((a_values == 0) & (p_values >= 0), 0.0, value * np.log(a_values)).astype(dtype)
    same(out.data, value)
    same(a.grad, base)
    same(p.grad, exponent)


@pytest.mark.parametrize("exponent", [0.0, 1.0, 2.0, 3.0, 0.5, -1.0, -2.0])
def test_pow_with_a_number_exponent_at_special_bases(exponent):
    x = leaf([0.0, -0.0, 1.0, -2.0, np.inf, -np.inf, 5e-324])
    with np.errstate(all="ignore"):
        y = x ** exponent
        y.sum().backward()
        value = x.data ** exponent          # numpy's operator (its fast paths for 0.5 and 2 vary by version)
        expected = np.where(exponent == 0, 0.0, exponent * np.power(x.data, exponent - 1))
    same(y.data, value)
    same(x.grad, expected)


# ---- clip with tensor bounds ---------------------------------------------------------------

def test_clip_gives_tensor_bounds_their_gradient():
    c = leaf([0.0, 1.0, 2.0])
    lo = leaf([0.5, 0.5, 0.5])
    c.clip(lo, None).sum().backward()
    same(c.grad, [0.0, 1.0, 1.0])
    same(lo.grad, [1.0, 0.0, 0.0])               # lo is the output where c < lo
    c2, lo2, hi2 = leaf([-1.0, 0.0, 1.0, 0.5]), leaf(-0.5), leaf([0.5, 0.5, 0.5, 0.5])
    mg.clip(c2, lo2, hi2).sum().backward()
    same(c2.grad, [0.0, 1.0, 0.0, 1.0])          # on [lo, hi] inclusive: 0.5 == hi passes
    same(lo2.grad, 1.0)                          # one entry below lo, summed back to lo's shape ()
    same(hi2.grad, [0.0, 0.0, 1.0, 0.0])


def test_clip_with_tensor_bounds_passes_gradcheck():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, (3, 4))
    lo = np.array([-1.0, -0.4, 0.3, 1.5])        # no entry of x within 0.05 of a bound
    hi = lo + 1.0
    x = np.where(np.abs(x - lo) < 0.05, x + 0.1, x)
    x = np.where(np.abs(x - hi) < 0.05, x + 0.1, x)
    assert mg.gradcheck(lambda x, lo, hi: (mg.clip(x, lo, hi) ** 2).sum(), x, lo, hi)


# ---- dtypes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, bool])
def test_only_floating_point_tensors_can_require_grad(dtype):
    with pytest.raises(TypeError, match="floating-point"):
        mg.Tensor([1, 2], requires_grad=True, dtype=dtype)
    assert mg.Tensor([1, 2], dtype=dtype).dtype == dtype     # without requires_grad it is fine


def test_mg_grad_returns_each_input_in_its_dtype():
    x32 = leaf([1.0, 2.0], np.float32)
    w64 = leaf([0.5, 0.25])
    y = (x32 * w64).sum()                        # promoted to float64 inside
    gx, gw = mg.grad(y, [x32, w64], retain_graph=True)
    assert gx.dtype == np.float32 and gw.dtype == np.float64
    (gx2,) = mg.grad(y, x32, create_graph=True)
    assert gx2.dtype == np.float32
    y.backward()
    assert x32.grad.dtype == np.float32


# ---- division by subnormals and at the extremes --------------------------------------------

def test_division_by_a_subnormal_is_numpys():
    x = mg.Tensor(np.array([1e-39], dtype=np.float32), requires_grad=True)
    same((x / x).data, np.array([1.0], np.float32))          # not 1e-39 · (1/1e-39) = inf
    tiny = mg.Tensor([5e-324, 1e-310], requires_grad=True)
    same((tiny / tiny).data, [1.0, 1.0])
    same((mg.Tensor([1e-300]) / tiny).data, np.array([1e-300]) / tiny.data)


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from([0.0, 1.0, -3.0, 1e-39, -1e-45, 3e38, -3.4e38, np.inf, 1e-30]),
                          st.sampled_from([1.0, -2.0, 1e-39, 1e-45, -1e-42, 3e38, np.inf, 1e-30, 0.5])),
                min_size=1, max_size=5))
def test_float32_division_values_are_numpys(pairs):
    a = np.array([p for p, _ in pairs], np.float32)
    b = np.array([q for _, q in pairs], np.float32)
    with np.errstate(all="ignore"):
        out = mg.Tensor(a, requires_grad=True) / mg.Tensor(b, requires_grad=True)
        same(out.data, a / b)


# ---- every elementwise op at 0, ±inf, subnormals and the float32 extremes -------------------

EDGES = [0.0, -0.0, np.inf, -np.inf, 5e-324, -5e-324, 1e-310, 1.0, -1.0, 1e300, -1e300, 710.0, -745.0]
EDGES32 = [0.0, -0.0, np.inf, -np.inf, 1e-45, -1e-45, 1e-39, 1.0, -1.0, 3.4e38, -3.4e38, 89.0, -104.0]


def np_sigmoid(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


# name: (minigrad op, numpy value, numpy derivative given (x, value))
ELEMENTWISE = {
    "exp": (mg.exp, np.exp, lambda x, y: y),
    "log": (mg.log, np.log, lambda x, y: 1 / x),
    "sqrt": (mg.sqrt, np.sqrt, lambda x, y: 1 / (2 * y)),
    "abs": (mg.abs, np.abs, lambda x, y: np.sign(x)),
    "relu": (mg.relu, lambda x: np.maximum(x, 0), lambda x, y: (x > 0).astype(x.dtype)),
    "tanh": (mg.tanh, np.tanh, lambda x, y: 1 - y * y),
    "sigmoid": (mg.sigmoid, np_sigmoid, lambda x, y: y * (1 - y)),
    "softplus": (mg.softplus, lambda x: np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))),
                 lambda x, y: np_sigmoid(x)),
    "neg": (mg.neg, np.negative, lambda x, y: -np.ones_like(x)),
    "square": (lambda t: t ** 2, np.square, lambda x, y: 2 * x),
    "reciprocal": (lambda t: 1 / t, np.reciprocal, lambda x, y: -(1 / x) / x),
    "clip": (lambda t: t.clip(-1, 1), lambda x: np.clip(x, -1, 1),
             lambda x, y: ((x >= -1) & (x <= 1)).astype(x.dtype)),
}


@PROPERTY
@given(st.sampled_from(sorted(ELEMENTWISE)), st.sampled_from([np.float64, np.float32]), st.data())
def test_every_elementwise_op_at_the_edges_of_the_float_range(name, dtype, data):
    points = EDGES if dtype == np.float64 else EDGES32
    x = np.array(data.draw(st.lists(st.sampled_from(points), min_size=1, max_size=6)), dtype=dtype)
    op, value, derivative = ELEMENTWISE[name]
    t = mg.Tensor(x, requires_grad=True)
    with np.errstate(all="ignore"):
        out = op(t)
        out.sum().backward()
        expected = np.asarray(value(x)).astype(dtype)
        slope = np.asarray(derivative(x, expected)).astype(dtype)
    same(out.data, expected)
    # the slope to rounding (softplus's is computed as 1 - e^-out, not as the sigmoid itself);
    # infinities and NaN exactly where the reference has them
    assert t.grad.dtype == dtype
    np.testing.assert_allclose(t.grad, slope, rtol=4 * np.finfo(dtype).eps, atol=0)


# ---- the graph is freed by backward() unless retain_graph=True -------------------------------

def test_a_second_backward_raises_naming_retain_graph():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"retain_graph=True"):
        y.backward()
    same(x.grad, [2.0, 4.0])                     # not silently doubled


def test_retain_graph_allows_a_second_backward():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    same(x.grad, [4.0, 8.0])
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()


def test_a_shared_part_of_a_freed_graph_raises_too():
    x = leaf([1.0, 2.0])
    h = x.exp()
    (h * 2).sum().backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        (h * 3).sum().backward()                 # h's own node was freed by the first pass


def test_mg_grad_frees_the_graph_unless_retained():
    x = leaf([1.0, 2.0])
    y = (x ** 3).sum()
    (g,) = mg.grad(y, x, retain_graph=True)
    (g2,) = mg.grad(y, x)
    same(g.data, g2.data)
    with pytest.raises(RuntimeError, match="retain_graph"):
        mg.grad(y, x)


def test_create_graph_retains_the_graph_by_default():
    x = leaf([2.0])
    y = (x ** 3).sum()
    y.backward(create_graph=True)
    y.backward(create_graph=True)
    same(x.grad, [24.0])                          # 12 + 12


def test_backward_lets_intermediate_values_go_while_the_loss_is_held():
    x = leaf(np.ones(1000))
    h = x.exp()
    loss = (h * h).sum()
    ref = weakref.ref(h)
    del h
    assert ref() is not None                      # the graph holds it
    loss.backward()
    assert ref() is None                          # freed by the pass, though `loss` is alive


# ---- .grad and .grad_tensor agree, and nothing piles up ---------------------------------------

def test_grad_tensor_follows_grad_however_it_is_cleared():
    p = leaf([1.0, 2.0])
    (p ** 3).sum().backward(create_graph=True)
    same(p.grad, [3.0, 12.0])
    same(p.grad_tensor.data, p.grad)
    p.grad = None                                 # PyTorch's set-to-none idiom
    assert p.grad_tensor is None
    (p ** 3).sum().backward(create_graph=True)
    same(p.grad_tensor.data, [3.0, 12.0])         # a fresh gradient, not 2 steps summed
    assert p.grad is p.grad_tensor.data
    (2 * p).sum().backward()                      # a plain pass adds to both
    same(p.grad, [5.0, 14.0])
    same(p.grad_tensor.data, [5.0, 14.0])
    p.zero_grad()
    assert p.grad is None and p.grad_tensor is None


def test_create_graph_steps_with_set_to_none_do_not_grow_memory():
    rng = np.random.default_rng(0)
    w = mg.Tensor(rng.normal(size=(64, 64)), requires_grad=True)
    x = rng.normal(size=(32, 64))

    def step():
        loss = ((mg.Tensor(x) @ w).tanh() ** 2).mean()
        loss.backward(create_graph=True)
        (curvature,) = mg.grad((w.grad_tensor ** 2).sum(), w)
        w.data -= 1e-3 * (w.grad + 1e-3 * curvature.data)
        w.grad = None

    gc.collect()
    tracemalloc.start()
    try:
        for i in range(60):
            step()
            if i == 9:
                after_10, _ = tracemalloc.get_traced_memory()
        after_60, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # one step's graph holds several 32 × 64 and 64 × 64 arrays (~200 kB): 50 kept steps would be 10 MB
    assert after_60 - after_10 < 200_000, (after_10, after_60)


# ---- mg.grad returns new objects ---------------------------------------------------------------

@pytest.mark.parametrize("create_graph", [False, True])
def test_mg_grad_results_alias_nothing(create_graph):
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    grad_output = np.array([1.0, 1.0])
    gx, gw = mg.grad(x + w, [x, w], grad_output=grad_output, create_graph=create_graph)
    assert gx is not gw
    assert not np.shares_memory(gx.data, gw.data)
    assert not np.shares_memory(gx.data, grad_output) and not np.shares_memory(gw.data, grad_output)
    gx.data[0] = 99.0
    same(gw.data, [1.0, 1.0])
    (g,) = mg.grad((x * 1.0).sum(), x)
    x2 = leaf([1.0])
    (g1, g2) = mg.grad((x2 * 2).sum(), [x2, x2])
    assert not np.shares_memory(g1.data, g2.data)
    same(g.data, [1.0, 1.0])


def test_leaf_grads_share_no_memory():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    (x + w).sum().backward(create_graph=True)
    assert not np.shares_memory(x.grad, w.grad)
    a, b = leaf([1.0]), leaf([2.0])
    (a + b).sum().backward()
    assert not np.shares_memory(a.grad, b.grad)


# ---- no reference cycles, grad mode per thread ---------------------------------------------------

def test_parameters_and_zero_grad_make_no_reference_cycle():
    model = mg.nn.Sequential(mg.nn.Linear(2, 8, rng=0), mg.nn.Tanh(), mg.nn.Linear(8, 1, rng=1))
    gc.collect()
    gc.disable()
    try:
        for _ in range(100):
            model.zero_grad()
            model.parameters()
        assert gc.collect() == 0                  # nothing that only the cyclic collector could free
    finally:
        gc.enable()


def test_a_training_step_makes_no_reference_cycle():
    model = mg.nn.Sequential(mg.nn.Linear(2, 8, rng=0), mg.nn.Tanh(), mg.nn.Linear(8, 1, rng=1))
    opt = mg.optim.Adam(model.parameters(), lr=1e-2)
    x, y = np.ones((4, 2)), np.zeros((4, 1))
    gc.collect()
    gc.disable()
    try:
        for create_graph in (False, True, False):
            opt.zero_grad()
            ((model(x) - y) ** 2).mean().backward(create_graph=create_graph)
            opt.step()
        opt.zero_grad()
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_grad_mode_is_per_thread():
    seen = {}

    def worker():
        seen["enabled"] = mg.is_grad_enabled()
        seen["records"] = (leaf([1.0]) * 2).requires_grad

    with mg.no_grad():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert not mg.is_grad_enabled()
    assert seen == {"enabled": True, "records": True}
    assert mg.is_grad_enabled()


# ---- readable errors for shapes, empty inputs and custom ops ------------------------------------

def test_linear_with_no_inputs_works_as_in_pytorch():
    layer = mg.nn.Linear(0, 3, rng=0)
    assert layer.weight.shape == (3, 0)
    same(layer.bias.data, np.zeros(3))            # the bound 1/sqrt(0) is taken as 0
    out = layer(np.zeros((2, 0)))
    same(out.data, np.zeros((2, 3)))
    out.sum().backward()
    same(layer.bias.grad, [2.0, 2.0, 2.0])
    assert layer.weight.grad.shape == (3, 0)
    with pytest.raises(ValueError, match="in_features"):
        mg.nn.Linear(-1, 3)


def test_concatenate_of_scalars_and_of_nothing_say_what_to_do():
    with pytest.raises(ValueError, match="zero-dimensional.*stack"):
        mg.concatenate([mg.Tensor(1.0), mg.Tensor(2.0)])
    with pytest.raises(ValueError, match="at least one"):
        mg.concatenate([])
    same(mg.stack([mg.Tensor(1.0), mg.Tensor(2.0)]).data, [1.0, 2.0])


def test_softmax_over_an_empty_axis_is_empty():
    x = mg.Tensor(np.zeros((2, 0)), requires_grad=True)
    for out in (x.softmax(axis=-1), x.log_softmax(axis=1), mg.softmax(mg.Tensor(np.zeros((0, 3))), axis=0)):
        assert out.data.size == 0
    same(x.logsumexp(axis=1).data, [-np.inf, -np.inf])   # log of an empty sum, as PyTorch
    x.softmax(axis=-1).sum().backward()
    assert x.grad.shape == (2, 0)


def cube_with(backward):
    def op(x):
        x = mg.wrap(x)
        return mg.record(x.data ** 3, (x,), backward, name="cube")
    return op


def test_record_names_the_op_and_input_for_a_gradient_of_the_wrong_shape():
    bad = cube_with(lambda g, out: (g.sum().reshape(1),))
    with pytest.raises(RuntimeError, match=r"cube.*shape \(1,\).*input 0.*shape \(3,\)"):
        bad(leaf([1.0, 2.0, 3.0])).sum().backward()


def test_record_names_the_op_when_a_backward_returns_too_few_gradients():
    def pair(x, y):
        return mg.record(x.data * y.data, (x, y), lambda g, out: (g * y,), name="pair")
    with pytest.raises(RuntimeError, match=r"pair.*1 gradient.*2 input"):
        pair(leaf([1.0]), leaf([2.0])).sum().backward()
    with pytest.raises(TypeError, match="parents must be Tensors"):
        mg.record(np.ones(2), (np.ones(2),), lambda g, out: (g,), name="arrays")


def test_record_accepts_none_numbers_and_arrays_from_a_custom_backward():
    def scale(x, y):
        # y needs no gradient here: None; x's gradient as a numpy array
        return mg.record(x.data * 2.0, (x, y), lambda g, out: (g.data * 2.0, None), name="scale")
    x = leaf([1.0, 2.0])
    scale(x, leaf([0.0, 0.0])).sum().backward()
    same(x.grad, [2.0, 2.0])


# ---- gradients summed in place never change another tensor's gradient ----------------------

def test_in_place_sums_leave_shared_gradients_alone():
    x = leaf([1.0, 2.0])
    a = x * 1.0
    b = x * 1.0
    c = a + b                          # a and b receive one and the same gradient array
    y = (c + a * 3.0).sum()            # a gets a second term: summed where b's copy must not change
    ga, gb, gx = mg.grad(y, [a, b, x])
    same(ga.data, [4.0, 4.0])          # 1 (through c) + 3
    same(gb.data, [1.0, 1.0])
    same(gx.data, [5.0, 5.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_curvature_through_a_clamp_that_bit_is_finite(dtype):
    # log(clip(p, tiny)) at p = 0: the second-order term 1/clip(p)² overflows (float32: tiny² is 0),
    # but clip's mask is 0 there; the mask selects (PyTorch's rule), so no 0 · inf = nan
    tiny = float(np.finfo(dtype).tiny)
    p = mg.Tensor(np.array([0.0, 0.5], dtype), requires_grad=True)
    (g,) = mg.grad(p.clip(tiny, None).log().sum(), p, create_graph=True)
    (h,) = mg.grad(g.sum(), p)
    same(g.data, np.array([0.0, 2.0], dtype))          # 1/p where unclamped, 0 where clamped
    same(h.data, np.array([0.0, -4.0], dtype))         # -1/p²


def test_in_place_sums_of_a_tensor_reached_four_times():
    # the pass sums in place only into a buffer it made itself (a flag per sum, no reference counts)
    x = leaf([1.0, -2.0, 3.0])
    h = x * 2.0
    y = (h * h + h * 3.0 + (h + h).exp() * 0.0 + x).sum()      # h is reached four times
    y.backward()
    # y = Σ 4x² + 6x + x: dy/dx = 8x + 7
    same(x.grad, 8 * x.data + 7)
