"""The backward pass keeps its own state, masks select, and both passes agree (issue 15).

* passes in two threads, and a pass started inside a custom op's backward, give the
  gradients each would give alone (deterministic: events, not timing);
* every masking op gives exactly 0 to an entry it turns off, whatever arrives from
  upstream (finite, inf, nan), in a plain pass and with create_graph=True;
* over the whole op table, a plain backward and create_graph give the same gradients,
  nan/inf pattern included, at the table's samples and at edge values;
* 0-d tensors: every op of the table, and a 0-d leaf's .grad is a 0-d array;
* pow's second order is 0 where PyTorch's is, not nan.
"""
import threading

import numpy as np
import pytest
from test_ops import CASES, draw, weight_for

import losses
import minigrad as mg


def leaf(values, dtype=np.float64):
    return mg.Tensor(np.array(values, dtype=dtype), requires_grad=True)


# ---- each pass keeps its own state ------------------------------------------------------

def pausing(x, entered, release):
    """The identity, as a custom op whose backward signals `entered`, then waits for `release`."""
    def backward(g, out):
        entered.set()
        assert release.wait(timeout=30), "the test never released the paused backward"
        return (g,)
    return mg.record(x.data.copy(), (x,), backward, name="pause")


def test_passes_in_two_threads_keep_their_own_sums():
    w = leaf([1.0, 1.0])
    entered, release = threading.Event(), threading.Event()
    results = {}

    def thread_a():
        results["a"] = mg.grad(pausing(w, entered, release).sum() + 10.0 * w.sum(), w)[0].data

    def thread_b():
        results["b"] = mg.grad(3.0 * w.sum(), w)[0].data

    a = threading.Thread(target=thread_a)
    a.start()
    assert entered.wait(timeout=30)     # A is inside its pass, with 10 already summed for w
    b = threading.Thread(target=thread_b)
    b.start()
    b.join(timeout=30)                  # B runs its whole pass while A is paused
    release.set()
    a.join(timeout=30)
    np.testing.assert_array_equal(results["a"], [11.0, 11.0])
    np.testing.assert_array_equal(results["b"], [3.0, 3.0])


def checkpointed_cube_sum(x):
    """(x³).sum() as a custom op that keeps nothing: its backward recomputes the graph and
    calls mg.grad on it (gradient checkpointing), reaching the same leaf x as the outer pass."""
    def backward(g, out):
        with mg.set_grad_enabled(True):
            (inner,) = mg.grad((x ** 3).sum(), x)
        return (g * inner,)
    return mg.record(np.sum(x.data ** 3), (x,), backward, name="checkpoint")


def test_a_pass_inside_a_custom_backward_leaves_the_outer_pass_alone():
    x = leaf([1.0, 2.0])
    (2.0 * checkpointed_cube_sum(x) + (10.0 * x).sum()).backward()
    np.testing.assert_array_equal(x.grad, [16.0, 34.0])       # 6x² + 10, not [26, 44]
    (g,) = mg.grad((10.0 * x).sum() + 2.0 * checkpointed_cube_sum(x), x)
    np.testing.assert_array_equal(g.data, [16.0, 34.0])


# ---- masks select ----------------------------------------------------------------------

X = np.array([-1.0, 0.0, 2.0, 4.0])
# op name -> (function of x, which entries the op passes no gradient to)
MASKING = {
    "relu": (lambda x: x.relu(), [True, True, False, False]),
    "abs at 0": (lambda x: x.abs(), [False, True, False, False]),
    "clip": (lambda x: x.clip(0.5, 3.0), [True, True, False, True]),
    "maximum": (lambda x: mg.maximum(x, 1.0), [True, True, False, False]),
    "minimum": (lambda x: mg.minimum(x, 1.0), [False, False, True, True]),
    "where": (lambda x: mg.where(X > 1.0, x, 5.0), [True, True, False, False]),
    "max": (lambda x: x.reshape(2, 2).max(axis=1), [True, False, True, False]),
    "min": (lambda x: x.reshape(2, 2).min(axis=1), [False, True, False, True]),
}


@pytest.mark.parametrize("upstream", [3.0, np.inf, np.nan], ids=["finite", "inf", "nan"])
@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
@pytest.mark.parametrize("name", list(MASKING))
def test_a_masked_entry_gets_exactly_zero_whatever_comes_from_upstream(name, create_graph, upstream):
    fn, off = MASKING[name]
    x = leaf(X)
    y = fn(x)
    (g,) = mg.grad(y, x, grad_output=np.full(y.shape, upstream), create_graph=create_graph)
    np.testing.assert_array_equal(g.data[off], 0.0)
    passed = g.data[~np.array(off)]
    if np.isnan(upstream):
        assert np.isnan(passed).all()
    else:
        assert np.all(np.abs(passed) > 0)


SAFE_ROOTS = {       # the examples at x = [-1, 0, 4]: the same gradient in both passes
    "sqrt(relu(x))": (lambda x: x.relu().sqrt(), [0.0, 0.0, 0.25]),
    "log(relu(x))": (lambda x: x.relu().log(), [0.0, 0.0, 0.25]),
    "relu(x) ** 0.5": (lambda x: x.relu() ** 0.5, [0.0, 0.0, 0.25]),
    "sqrt(clip(x, 0, None))": (lambda x: x.clip(0.0, None).sqrt(), [0.0, np.inf, 0.25]),   # clip passes at its bound
    "sqrt(maximum(x, 0))": (lambda x: mg.maximum(x, 0.0).sqrt(), [0.0, np.inf, 0.25]),     # half of inf at the tie
}


@pytest.mark.parametrize("create_graph", [False, True], ids=["plain", "create_graph"])
@pytest.mark.parametrize("name", list(SAFE_ROOTS))
def test_a_root_or_log_behind_a_mask_is_zero_not_nan(name, create_graph):
    fn, expected = SAFE_ROOTS[name]
    x = leaf([-1.0, 0.0, 4.0])
    with np.errstate(divide="ignore", invalid="ignore"):
        (g,) = mg.grad(fn(x).sum(), x, create_graph=create_graph)
        np.testing.assert_array_equal(g.data, expected)
        x.grad = None
        fn(x).sum().backward()
    np.testing.assert_array_equal(x.grad, expected)


# ---- the two passes agree over the whole op table ----------------------------------------

EDGE_VALUES = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 2.0, 0.5, 1e300, -3.0])


def edge_sample(shape, shift):
    """An array of `shape` filled with EDGE_VALUES, starting at `shift` (each input a different mix)."""
    n = int(np.prod(shape, dtype=int))
    return np.resize(np.roll(EDGE_VALUES, shift), n).reshape(shape)


def both_passes(fn, arrays, weight):
    """The gradients of Σ weight · fn(inputs) from a plain pass and from a create_graph pass."""
    results = []
    for create_graph in (False, True):
        inputs = [mg.Tensor(a, requires_grad=True) for a in arrays]
        grads = mg.grad((fn(*inputs) * weight).sum(), inputs, create_graph=create_graph)
        results.append([g.data for g in grads])
    return results


@pytest.mark.parametrize("sample", ["table", "edges"])
@pytest.mark.parametrize("op, shapes", CASES)
def test_plain_and_create_graph_passes_give_the_same_gradients(op, shapes, sample):
    arrays = draw(op, shapes)
    if sample == "edges":
        arrays = [edge_sample(np.shape(a), 3 * i) for i, a in enumerate(arrays)]
    with np.errstate(all="ignore"):
        weight = weight_for(np.shape(op.fn(*[mg.Tensor(a) for a in arrays])))
        plain, graph = both_passes(op.fn, arrays, weight)
    for i, (p, c) in enumerate(zip(plain, graph)):
        np.testing.assert_array_equal(np.isnan(p), np.isnan(c), err_msg=f"input {i}: nan pattern")
        np.testing.assert_allclose(p, c, rtol=1e-9, atol=1e-300, err_msg=f"input {i}")


# ---- 0-d tensors ----------------------------------------------------------------------------

SCALAR_CASES = [c for c in CASES if any(s == () for s in c.values[1])]


@pytest.mark.parametrize("op, shapes", SCALAR_CASES)
def test_every_op_with_a_zero_dimensional_input_gives_array_gradients(op, shapes):
    inputs = [mg.Tensor(a, requires_grad=True) for a in draw(op, shapes)]
    (op.fn(*inputs) * 1.0).sum().backward()
    for t in inputs:
        assert type(t.grad) is np.ndarray and t.grad.shape == t.shape


@pytest.mark.parametrize("fn", [mg.maximum, mg.minimum])
@pytest.mark.parametrize("b", [1.0, 2.0, 3.0])
def test_maximum_and_minimum_of_zero_dimensional_tensors(fn, b):
    x, y = leaf(2.0), leaf(b)
    fn(x, y).backward()
    assert type(x.grad) is np.ndarray and x.grad.shape == ()
    assert x.grad + y.grad == 1.0
    if b == 2.0:
        assert x.grad == 0.5


def test_a_zero_dimensional_leaf_gets_a_zero_dimensional_grad():
    for dtype in (np.float64, np.float32):
        x = leaf(3.0, dtype)
        (x * x + mg.maximum(x, 1.0)).backward()
        assert type(x.grad) is np.ndarray and x.grad.shape == () and x.grad.dtype == dtype
        assert x.grad == 7.0


# ---- pow's second order at its edges ------------------------------------------------------

@pytest.mark.parametrize("zero", [0, 0.0, np.array(0.0)], ids=["int", "float", "array"])
def test_second_derivative_of_x_to_the_zero_at_zero_is_zero(zero):
    x = leaf([0.0, 2.0])
    (g,) = mg.grad((x ** zero).sum(), x, create_graph=True)
    (h,) = mg.grad(g.sum() + 0.0 * x.sum(), x)
    np.testing.assert_array_equal(g.data, [0.0, 0.0])
    np.testing.assert_array_equal(h.data, [0.0, 0.0])


def test_vjp_of_zero_to_the_y_is_flat_in_the_upstream_gradient():
    y = leaf([0.0, 2.0, 0.5])
    v = leaf([1.0, 1.0, 1.0])
    (vjp,) = mg.grad(0.0 ** y, y, grad_output=v, create_graph=True)
    dv, dy = mg.grad(vjp.sum() + 0.0 * (v.sum() + y.sum()), [v, y])
    np.testing.assert_array_equal(vjp.data, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(dv.data, [0.0, 0.0, 0.0])        # PyTorch's 0, not nan
    np.testing.assert_array_equal(dy.data, [0.0, 0.0, 0.0])


# ---- which arrays the pass owns --------------------------------------------------------------

def test_a_gradient_the_pass_did_not_make_is_copied_into_grad():
    upstream = np.array([3.0, 4.0])
    x = leaf([1.0, 2.0])
    (x + 1.0).backward(upstream)                # add hands g itself on
    y = leaf([[1.0, 2.0]])
    y.reshape(2).backward(upstream)             # reshape hands on a view of g
    for t in (x, y):
        assert not np.shares_memory(t.grad, upstream)
        t.grad[...] = 99.0
    np.testing.assert_array_equal(upstream, [3.0, 4.0])


def test_a_new_array_from_a_built_in_is_summed_in_place_and_kept():
    x = leaf([1.0, 2.0])
    h = x * 3.0
    (h * h + h * 2.0 + h).sum().backward()     # h gets three gradients: 2h, 2, 1
    np.testing.assert_array_equal(x.grad, 3.0 * (2.0 * 3.0 * x.data + 3.0))
    assert x.grad.flags.writeable and x.grad.base is None


def test_a_gradient_handed_on_unchanged_is_owned_by_one_parent_only():
    x = leaf([1.0, 2.0])
    a, b = x * 2.0, x * 3.0
    c = a * 4.0                                 # a's second gradient, added after r hands g to a and b
    r = a + b                                   # add hands the same g to a and to b
    (r.sum() + c.sum()).backward()
    np.testing.assert_array_equal(x.grad, [13.0, 13.0])      # 2 + 3 + 8


def test_an_interior_gradient_mg_grad_returns_is_not_changed_by_the_rest_of_the_pass():
    x = leaf([1.0, 2.0])
    h = x * 2.0
    m = h * 4.0                                 # h's second gradient, added after k's
    k = h + 0.0                                 # k's gradient goes on unchanged to h
    g_k, g_x = mg.grad((k * 3.0).sum() + m.sum(), [k, x])
    np.testing.assert_array_equal(g_k.data, [3.0, 3.0])
    np.testing.assert_array_equal(g_x.data, [14.0, 14.0])


@pytest.mark.parametrize("prediction, slope", [(2.0, 1.0), (0.7, 0.2), (1.5, 1.0)])
def test_huber_of_zero_dimensional_tensors(prediction, slope):
    # the third 0-d crash: huber's minimum(|r|, delta) in backward
    p = leaf(prediction)
    losses.huber(p, mg.Tensor(0.5)).backward()
    assert type(p.grad) is np.ndarray and p.grad.shape == ()
    np.testing.assert_allclose(p.grad, slope)
