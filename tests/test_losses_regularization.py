"""l1_penalty, l2_penalty, elastic_net: hand-worked values and gradients, gradcheck, properties, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as mg
from losses import elastic_net, l1_penalty, l2_penalty


def two_tensors():
    return [mg.Tensor([1.0, -2.0], requires_grad=True), mg.Tensor([[3.0, 0.5]], requires_grad=True)]


def test_hand_worked_values():
    params = two_tensors()
    # Σ|w| = 1 + 2 + 3 + 0.5 = 6.5;  Σw² = 1 + 4 + 9 + 0.25 = 14.25
    assert l1_penalty(params, 0.2).item() == pytest.approx(0.2 * 6.5)
    assert l2_penalty(params, 0.2).item() == pytest.approx(0.2 * 14.25)
    assert elastic_net(params, 0.2, 0.1).item() == pytest.approx(1.3 + 1.425)


def test_hand_worked_gradients():
    w = mg.Tensor([1.5, -2.0, 0.0], requires_grad=True)
    l1_penalty(w, 0.3).backward()
    np.testing.assert_allclose(w.grad, [0.3, -0.3, 0.0])      # λ·sign(w), |w|'(0) = 0
    w.zero_grad()
    l2_penalty(w, 0.3).backward()
    np.testing.assert_allclose(w.grad, [0.9, -1.2, 0.0])      # 2λw
    w.zero_grad()
    elastic_net(w, 0.3, 0.3).backward()
    np.testing.assert_allclose(w.grad, [1.2, -1.5, 0.0])      # λ₁·sign(w) + 2λ₂w


def test_l2_gradient_is_weight_decay_with_half_lambda():
    # SGD's weight_decay=wd adds wd·w to the gradient: the gradient of l2_penalty with λ = wd/2
    w = mg.Tensor([0.5, -1.0, 2.0], requires_grad=True)
    wd = 0.01
    l2_penalty([w], wd / 2).backward()
    np.testing.assert_allclose(w.grad, wd * w.data)


def test_single_tensor_list_generator_and_module_parameters():
    params = two_tensors()
    expected = 0.2 * 6.5
    assert l1_penalty(params[0], 0.2).item() == pytest.approx(0.2 * 3.0)
    assert l1_penalty(iter(params), 0.2).item() == pytest.approx(expected)
    assert l1_penalty(tuple(params), 0.2).item() == pytest.approx(expected)
    model = mg.nn.Linear(3, 2, rng=0)
    by_hand = 0.2 * (np.abs(model.weight.data).sum() + np.abs(model.bias.data).sum())
    assert l1_penalty(model.parameters(), 0.2).item() == pytest.approx(by_hand)


def test_numpy_arrays_are_accepted_as_constants():
    assert l2_penalty([np.array([3.0, 4.0])], 1.0).item() == 25.0


def test_zero_lambda_gives_zero():
    params = two_tensors()
    assert l1_penalty(params, 0.0).item() == 0.0
    assert l2_penalty(params, 0).item() == 0.0
    assert elastic_net(params, 0.0, 0.0).item() == 0.0


def test_weighted_sum_with_a_data_loss_trains_both_terms():
    w = mg.Tensor([2.0], requires_grad=True)
    data_loss = ((w - 1.0) ** 2).sum()                        # gradient 2(w - 1) = 2
    (data_loss + l2_penalty([w], 0.5)).backward()             # + 2·0.5·w = 2
    np.testing.assert_allclose(w.grad, [4.0])


def test_second_derivative_of_l2():
    w = mg.Tensor([1.0, -3.0], requires_grad=True)
    (g,) = mg.grad(l2_penalty(w, 0.25), [w], create_graph=True)
    (h,) = mg.grad(g[1], [w])
    np.testing.assert_allclose(h.data, [0.0, 0.5])      # d²(λw²)/dw² = 2λ


weights = st.lists(st.floats(-10, 10, allow_nan=False), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(weights, weights, st.floats(0, 5), st.floats(0, 5))
def test_properties(first, second, lam1, lam2):
    params = [mg.Tensor(first), mg.Tensor(second)]
    every = np.array(first + second)
    l1 = l1_penalty(params, lam1).item()
    l2 = l2_penalty(params, lam2).item()
    assert l1 >= 0 and l2 >= 0
    assert l1 == pytest.approx(lam1 * np.abs(every).sum(), rel=1e-12, abs=1e-12)
    assert l2 == pytest.approx(lam2 * (every ** 2).sum(), rel=1e-12, abs=1e-12)
    assert elastic_net(params, lam1, lam2).item() == pytest.approx(l1 + l2, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("call, match", [
    (lambda: l1_penalty([mg.Tensor([1.0])], -0.1), r"l1_penalty: lam must be a finite number >= 0, got -0.1"),
    (lambda: l2_penalty([mg.Tensor([1.0])], float("nan")), r"l2_penalty: lam must be a finite number >= 0"),
    (lambda: l2_penalty([mg.Tensor([1.0])], "0.1"), r"l2_penalty: lam must be a finite number >= 0, got '0.1'"),
    (lambda: elastic_net([mg.Tensor([1.0])], -1.0, 0.1), r"elastic_net: l1 must be a finite number >= 0"),
    (lambda: elastic_net([mg.Tensor([1.0])], 0.1, -1.0), r"elastic_net: l2 must be a finite number >= 0"),
    (lambda: l1_penalty([], 0.1), r"l1_penalty: params must hold at least one tensor"),
    (lambda: l1_penalty(None, 0.1), r"l1_penalty: params must be a tensor or a list of tensors, got NoneType"),
    (lambda: l2_penalty([mg.Tensor([1.0]), "w"], 0.1), r"l2_penalty: params\[1\] must be numbers"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
