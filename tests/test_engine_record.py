"""mg.record checked: every misuse of a custom op is an error naming the op and the rule (issue 15).

Students write `backward(g, out)` on tensors. The per-input form (a tuple with one
function d(g, out, *inputs) per parent, called with arrays in a plain pass and with
tensors under create_graph) is the built-ins' fast path; it is checked when the op is
recorded, and each function gets g read-only. gradcheck(second_order=True) checks an op
under create_graph too.
"""
import numpy as np
import pytest

import minigrad as mg


def leaf(values):
    return mg.Tensor(np.array(values, dtype=np.float64), requires_grad=True)


def product(x, y, backward):
    return mg.record(x.data * y.data, (x, y), backward, name="product")


# ---- the per-input form, checked when the op is recorded -----------------------------------

@pytest.mark.parametrize("functions", [
    (lambda g, out, x, y: g * y,),                                       # fewer than inputs
    (lambda g, out, x, y: g * y, lambda g, out, x, y: g * x, lambda g, out, x, y: g),   # more
    (lambda g, out, x, y: g * y, "g * x"),                               # not callable
], ids=["too few", "too many", "not callable"])
def test_a_wrong_tuple_of_gradient_functions_is_an_error_when_recorded(functions):
    with pytest.raises(TypeError, match=r"product: backward as a tuple needs one function .* per parent"):
        product(leaf([1.0, 2.0]), leaf([3.0, 4.0]), functions)


def test_a_list_of_gradient_functions_works_as_a_tuple():
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    product(x, y, [lambda g, out, x, y: g * y, lambda g, out, x, y: g * x]).sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])
    np.testing.assert_array_equal(y.grad, [1.0, 2.0])


def test_a_backward_that_is_neither_a_function_nor_a_tuple_is_an_error():
    with pytest.raises(TypeError, match="product: backward must be a function backward"):
        product(leaf([1.0]), leaf([2.0]), "g * y")


def test_parents_must_be_tensors():
    with pytest.raises(TypeError, match="arrays: parents must be Tensors"):
        mg.record(np.ones(2), (np.ones(2),), lambda g, out: (g,), name="arrays")


# ---- g is read-only: a gradient function cannot corrupt another gradient ----------------------

def doubled(x):
    def twice(g, out, x):
        g *= 2                  # an in-place edit of the g the engine handed over
        return g
    return mg.record(2.0 * x.data, (x,), (twice,), name="doubled")


def test_an_in_place_edit_of_g_raises_naming_the_op():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="doubled: the gradient function for input 0 wrote into g"):
        (doubled(x) + x).sum().backward()       # used to give x.grad [4, 4]: the + x term was doubled too


def test_the_same_op_under_create_graph_is_right():
    x = leaf([1.0, 2.0])
    (g,) = mg.grad((doubled(x) + x).sum(), x, create_graph=True)    # on tensors, g *= 2 makes a new tensor
    np.testing.assert_array_equal(g.data, [3.0, 3.0])


def test_an_in_place_edit_in_a_backward_on_tensors_raises_naming_the_op():
    def backward(g, out):
        g.data[...] *= 2
        return (g,)
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="scale: backward.* failed.*read-only"):
        (mg.record(x.data.copy(), (x,), backward, name="scale") + x).sum().backward()


# ---- what a per-input function returns, in each pass -----------------------------------------

def one_input(function):
    return lambda x: mg.record(np.exp(x.data), (x,), (function,), name="myexp")


@pytest.mark.parametrize("function, create_graph", [
    (lambda g, out, x: 1.0, False),                         # a Python float
    (lambda g, out, x: g * mg.exp(x), False),               # an op on arrays gives a Tensor in a plain pass
    (lambda g, out, x: g * np.exp(x), True),                # numpy on tensors under create_graph
    (lambda g, out, x: np.asarray(g.data) * 2.0, True),      # an array under create_graph: leaves the graph
], ids=["python float", "mg.exp on an array", "np.exp on a tensor", "array under create_graph"])
def test_a_per_input_function_that_breaks_the_rule_is_an_error_naming_the_op(function, create_graph):
    x = leaf([0.5, 1.0])
    with pytest.raises(RuntimeError, match=r"myexp: the gradient function for input 0 .*called with numpy "
                                           r"arrays in a plain pass and with tensors under create_graph"):
        mg.grad(one_input(function)(x).sum(), x, create_graph=create_graph)


def test_a_custom_backward_may_return_numbers_arrays_tensors_and_none():
    x, y = leaf([1.0, 2.0]), leaf([3.0])
    out = mg.record(x.data * 2.0, (x, y), lambda g, out: (g * 2.0, None), name="scale")
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
    assert y.grad is None


# ---- gradcheck under create_graph -------------------------------------------------------------

def cube(t, leaves_the_graph=False):
    """t³ as a custom op; its backward is right on numbers either way, but t.data is a constant."""
    def backward(g, out):
        return (g * 3.0 * (t.data if leaves_the_graph else t) ** 2,)
    return mg.record(t.data ** 3, (t,), backward, name="cube")


def test_second_order_gradcheck_passes_a_right_op():
    assert mg.gradcheck(lambda t: (cube(t) * t).sum(), leaf([0.5, -1.2, 2.0]), second_order=True)


def test_second_order_gradcheck_catches_a_backward_that_leaves_the_graph():
    x = leaf([0.5, -1.2, 2.0])
    f = lambda t: cube(t, leaves_the_graph=True).sum()      # noqa: E731
    assert mg.gradcheck(f, x)                               # first order: right
    with pytest.raises(mg.GradcheckError, match="second-order gradient .* of input 0"):
        mg.gradcheck(f, x, second_order=True)


def test_second_order_gradcheck_catches_a_per_input_function_that_only_works_on_arrays():
    x = leaf([0.5, 1.0])
    f = lambda t: one_input(lambda g, out, x: g * np.exp(x))(t).sum()      # noqa: E731
    assert mg.gradcheck(f, x)
    with pytest.raises(RuntimeError, match="myexp: the gradient function for input 0"):
        mg.gradcheck(f, x, second_order=True)
