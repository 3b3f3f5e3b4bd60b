"""Cross-entropy losses: hand-worked values, loops, closed-form gradients and curvature,
properties, edges (logits ±1e4, probabilities exactly 0 and 1) and bad input."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import losses
import minigrad as mg

REDUCTIONS = ("mean", "sum", "none")
bce = losses.binary_cross_entropy
bce_logits = losses.binary_cross_entropy_with_logits
cce = losses.categorical_cross_entropy
ce = losses.cross_entropy


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def weighted_total(out, reduction, seed=0):
    """A scalar from any reduction: "none" is summed against fixed random weights."""
    if reduction != "none":
        return out
    weights = np.random.default_rng(seed).normal(size=out.shape)
    return (out * weights).sum()


def ce_loop(logits, target, weight=None, label_smoothing=0.0, reduction="mean"):
    """F.cross_entropy written as plain loops: class-index or probability targets."""
    n, c = logits.shape
    w = np.ones(c) if weight is None else np.asarray(weight, dtype=float)
    eps = label_smoothing
    per, denominator = [], 0.0
    for i in range(n):
        row = [float(v) for v in logits[i]]
        top = max(row)
        lse = top + math.log(sum(math.exp(v - top) for v in row))
        log_p = [v - lse for v in row]
        if np.ndim(target) == 1:
            y = int(target[i])
            nll = -w[y] * log_p[y]
            smooth = -sum(w[j] * log_p[j] for j in range(c))
            per.append((1 - eps) * nll + eps / c * smooth)
            denominator += w[y]
        else:
            soft = [(1 - eps) * target[i][j] + eps / c for j in range(c)]
            per.append(-sum(w[j] * soft[j] * log_p[j] for j in range(c)))
            denominator += 1.0
    per = np.array(per)
    if reduction == "none":
        return per
    return per.sum() if reduction == "sum" else per.sum() / denominator


# ---- values worked out by hand ----------------------------------------------------

def test_bce_by_hand():
    # p = 0.8, y = 1: -log 0.8;  p = 0.25, y = 0: -log 0.75;  p = 0.5, y = 0.3: -(0.3 + 0.7)·log 0.5 = log 2
    values = bce([0.8, 0.25, 0.5], [1.0, 0.0, 0.3], reduction="none").data
    np.testing.assert_allclose(values, [-math.log(0.8), -math.log(0.75), math.log(2)])


def test_bce_clamps_the_log_at_minus_100():
    # p = 0, y = 1: -log 0 -> 100;  p = 1, y = 0: 100;  p = 0, y = 0.5: 0.5·100 + 0.5·(-log 1) = 50
    values = bce([0.0, 1.0, 0.0, 1.0, 0.0], [1.0, 0.0, 0.5, 1.0, 0.0], reduction="none").data
    np.testing.assert_array_equal(values, [100.0, 100.0, 50.0, 0.0, 0.0])


def test_bce_with_logits_by_hand():
    # z = 0: σ = ½, loss log 2 for either label;  z = log 3: σ = ¾, y = 1: -log ¾;  y = 0: -log ¼
    values = bce_logits([0.0, math.log(3), math.log(3)], [1.0, 1.0, 0.0], reduction="none").data
    np.testing.assert_allclose(values, [math.log(2), -math.log(0.75), -math.log(0.25)])
    # pos_weight 3 multiplies the y = 1 term only: 3·log 2 and log 2
    values = bce_logits([0.0, 0.0], [1.0, 0.0], pos_weight=3.0, reduction="none").data
    np.testing.assert_allclose(values, [3 * math.log(2), math.log(2)])
    # soft target y = 0.25, z = 0, pos_weight 2: 2·0.25·log 2 + 0.75·log 2 = 1.25·log 2
    assert bce_logits([0.0], [0.25], pos_weight=2.0).item() == pytest.approx(1.25 * math.log(2))


def test_bce_with_logits_pos_weight_per_column():
    # shape (2, 2), pos_weight [1, 4] per column, z = 0, y = 1 everywhere: [[1, 4], [1, 4]]·log 2
    values = bce_logits(np.zeros((2, 2)), np.ones((2, 2)), pos_weight=[1.0, 4.0], reduction="none").data
    np.testing.assert_allclose(values, np.array([[1.0, 4.0], [1.0, 4.0]]) * math.log(2))


def test_bce_with_logits_at_extreme_logits():
    # z = 1e4, y = 1: softplus(-1e4) ≈ e^-1e4 = 0;  z = -1e4, y = 1: softplus(1e4) = 1e4
    values = bce_logits([1e4, -1e4, 1e4, -1e4], [1.0, 1.0, 0.0, 0.0], reduction="none").data
    np.testing.assert_array_equal(values, [0.0, 1e4, 1e4, 0.0])


@pytest.mark.parametrize("y", [1e-9, 3e-8, 1 - 2 ** -20])
def test_bce_with_logits_soft_labels_near_0_and_1_are_not_hard(y):
    # a float32 soft label is hard only when it is exactly 0 or 1: 1 - 2·1e-9 rounds to 1 in
    # float32, so a test on the rounded 1 - 2y took y = 1e-9 for 0. At z = -40:
    # dL/dz = σ(z) - y = 4.25e-18 - y ≈ -y, within float32 precision
    z = mg.Tensor(np.array([-40.0], dtype=np.float32), requires_grad=True)
    target = np.array([y], dtype=np.float32)
    bce_logits(z, target, reduction="sum").backward()
    assert z.grad.dtype == np.float32
    expected = sigmoid(-40.0) - float(target[0])
    assert z.grad[0] == pytest.approx(expected, rel=1e-6)
    # and the value: y·softplus(40) + (1 - y)·softplus(-40) = 40y + (1 - y)·4.25e-18
    value = bce_logits(z.detach(), target, reduction="sum").item()
    assert value == pytest.approx(40 * float(target[0]) + (1 - float(target[0])) * math.log1p(math.exp(-40)),
                                  rel=1e-6)


def test_bce_with_logits_hard_labels_stay_exact():
    # exact 0/1 labels take the one-softplus path: at z = 40, y = 1 the loss is e^-40 to full precision
    assert bce_logits([40.0], [1.0]).item() == pytest.approx(math.exp(-40), rel=1e-12)


def test_categorical_by_hand():
    # one-hot on class 2 with p = 0.2: -log 0.2;  soft [½, ½] on p = [¼, ¾]: -(½ log ¼ + ½ log ¾)
    prob = [[0.5, 0.3, 0.2], [0.25, 0.75, 0.0]]
    target = [[0.0, 0.0, 1.0], [0.5, 0.5, 0.0]]
    np.testing.assert_allclose(cce(prob, target, reduction="none").data,
                               [-math.log(0.2), -(0.5 * math.log(0.25) + 0.5 * math.log(0.75))])


def test_cross_entropy_by_hand():
    # logits [0, log 3]: p = [¼, ¾]. Target 1: -log ¾.  Target 0: -log ¼ = log 4
    logits = [[0.0, math.log(3)], [0.0, math.log(3)]]
    np.testing.assert_allclose(ce(logits, [1, 0], reduction="none").data, [-math.log(0.75), math.log(4)])
    # probability target [½, ½]: -(½ log ¼ + ½ log ¾)
    assert ce([[0.0, math.log(3)]], [[0.5, 0.5]]).item() == pytest.approx(
        -(0.5 * math.log(0.25) + 0.5 * math.log(0.75)))


def test_cross_entropy_weight_and_label_smoothing_by_hand():
    # p = [¼, ¾], target 0, weight [2, 1], ε = 0.2, C = 2:
    #   nll    = 2·(-log ¼) = 2 log 4
    #   smooth = 2·(-log ¼) + 1·(-log ¾) = 2 log 4 + log(4/3)
    #   loss   = 0.8·nll + (0.2/2)·smooth;  the weighted mean divides by w_0 = 2
    nll = 2 * math.log(4)
    smooth = 2 * math.log(4) + math.log(4 / 3)
    loss = 0.8 * nll + 0.1 * smooth
    logits = [[0.0, math.log(3)]]
    assert ce(logits, [0], weight=[2.0, 1.0], label_smoothing=0.2, reduction="sum").item() == pytest.approx(loss)
    assert ce(logits, [0], weight=[2.0, 1.0], label_smoothing=0.2).item() == pytest.approx(loss / 2)
    # without weight: 0.8·log 4 + 0.1·(log 4 + log(4/3))
    assert ce(logits, [0], label_smoothing=0.2).item() == pytest.approx(
        0.8 * math.log(4) + 0.1 * (math.log(4) + math.log(4 / 3)))


def test_weighted_mean_divides_by_summed_target_weight():
    # targets 0, 1, 1 with weights [1, 3]: Σ w_y = 1 + 3 + 3 = 7, not N = 3
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 2))
    per = ce(logits, [0, 1, 1], weight=[1.0, 3.0], reduction="none").data
    assert ce(logits, [0, 1, 1], weight=[1.0, 3.0]).item() == pytest.approx(per.sum() / 7)


def test_probability_target_mean_divides_by_n():
    rng = np.random.default_rng(1)
    logits, target = rng.normal(size=(4, 3)), rng.dirichlet(np.ones(3), size=4)
    per = ce(logits, target, weight=[1.0, 2.0, 0.5], reduction="none").data
    assert ce(logits, target, weight=[1.0, 2.0, 0.5]).item() == pytest.approx(per.sum() / 4)


@pytest.mark.parametrize("weight", [None, [0.5, 2.0, 1.0, 3.0]])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kind", ["indices", "probabilities"])
def test_cross_entropy_matches_loop(weight, label_smoothing, reduction, kind):
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(5, 4)) * 3
    target = rng.integers(0, 4, size=5) if kind == "indices" else rng.dirichlet(np.ones(4), size=5)
    got = ce(logits, target, weight=weight, label_smoothing=label_smoothing, reduction=reduction)
    np.testing.assert_allclose(got.data, ce_loop(logits, target, weight, label_smoothing, reduction))


def test_one_hot_probabilities_equal_class_indices():
    rng = np.random.default_rng(3)
    logits, labels = rng.normal(size=(6, 3)), rng.integers(0, 3, size=6)
    one_hot = np.eye(3)[labels]
    np.testing.assert_allclose(ce(logits, one_hot, reduction="none").data, ce(logits, labels, reduction="none").data)
    # categorical CE of the softmax gives the same numbers
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(cce(p, one_hot, reduction="none").data, ce(logits, labels, reduction="none").data)


def test_class_indices_as_float_tensor():
    logits = np.zeros((2, 3))
    assert ce(logits, mg.Tensor([2.0, 0.0])).item() == pytest.approx(math.log(3))


def test_bce_matches_loop():
    rng = np.random.default_rng(4)
    p, y = rng.uniform(0.01, 0.99, size=(3, 4)), rng.uniform(0, 1, size=(3, 4))
    expected = np.array([[-(y[i, j] * math.log(p[i, j]) + (1 - y[i, j]) * math.log(1 - p[i, j]))
                          for j in range(4)] for i in range(3)])
    np.testing.assert_allclose(bce(p, y, reduction="none").data, expected)
    assert bce(p, y).item() == pytest.approx(expected.mean())


# ---- gradients --------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos_weight", [None, 2.5, np.array([0.5, 1.0, 3.0])])
def test_gradcheck_bce_with_logits(reduction, pos_weight):
    rng = np.random.default_rng(6)
    z, y = rng.normal(size=(2, 3)) * 3, rng.uniform(0, 1, size=(2, 3))

    def fn(z, y):
        return weighted_total(bce_logits(z, y, pos_weight=pos_weight, reduction=reduction), reduction)
    assert mg.gradcheck(fn, z, y)


def test_gradcheck_bce_with_logits_through_pos_weight():
    rng = np.random.default_rng(7)
    z, y = rng.normal(size=(2, 3)), rng.uniform(0, 1, size=(2, 3))
    pos_weight = mg.Tensor([0.5, 1.0, 3.0], requires_grad=True)
    assert mg.gradcheck(lambda z, w: bce_logits(z, y, pos_weight=w), z, pos_weight)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [None, np.array([0.5, 2.0, 1.0, 3.0])])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.15])
@pytest.mark.parametrize("kind", ["indices", "probabilities"])
def test_gradcheck_cross_entropy(reduction, weight, label_smoothing, kind):
    rng = np.random.default_rng(9)
    logits = rng.normal(size=(3, 4)) * 2
    target = np.array([0, 3, 1]) if kind == "indices" else rng.dirichlet(np.ones(4), size=3)

    def fn(z, *soft):
        y = soft[0] if soft else target
        out = ce(z, y, weight=None if weight is None else mg.Tensor(weight),
                 label_smoothing=label_smoothing, reduction=reduction)
        return weighted_total(out, reduction)
    extra = (target,) if kind == "probabilities" else ()       # soft targets get a gradient too
    assert mg.gradcheck(fn, logits, *extra)


def test_closed_form_bce_with_logits_gradient():
    # d/dz of the mean: (σ(z) - y) / N
    rng = np.random.default_rng(10)
    z_data, y = rng.normal(size=8) * 4, rng.uniform(0, 1, size=8)
    z = mg.Tensor(z_data, requires_grad=True)
    bce_logits(z, y).backward()
    np.testing.assert_allclose(z.grad, (sigmoid(z_data) - y) / 8, rtol=1e-12, atol=1e-15)


def test_closed_form_cross_entropy_gradient():
    # d/dz of the mean: (softmax(z) - onehot) / N;  probability targets: (softmax(z) - y) / N
    rng = np.random.default_rng(11)
    z_data, labels = rng.normal(size=(5, 3)) * 3, rng.integers(0, 3, size=5)
    p = np.exp(z_data) / np.exp(z_data).sum(axis=1, keepdims=True)
    z = mg.Tensor(z_data, requires_grad=True)
    ce(z, labels).backward()
    np.testing.assert_allclose(z.grad, (p - np.eye(3)[labels]) / 5, atol=1e-15)
    soft = rng.dirichlet(np.ones(3), size=5)
    z = mg.Tensor(z_data, requires_grad=True)
    ce(z, soft, reduction="sum").backward()
    np.testing.assert_allclose(z.grad, p - soft, atol=1e-14)


def test_curvature_bce_with_logits():
    # d²/dz² = σ(z)(1 - σ(z)), whatever the target
    z_data = np.array([-3.0, -0.5, 0.0, 1.0, 4.0])
    z = mg.Tensor(z_data, requires_grad=True)
    (g,) = mg.grad(bce_logits(z, [1.0, 0.0, 1.0, 0.3, 0.0], reduction="sum"), [z], create_graph=True)
    (h,) = mg.grad(g.sum(), [z])
    s = sigmoid(z_data)
    np.testing.assert_allclose(h.data, s * (1 - s), rtol=1e-12)


def test_hessian_vector_product_cross_entropy():
    # the Hessian of -log softmax(z)_y in z is diag(p) - p pᵀ, so H v = p ⊙ v - p (p · v)
    z_data, v = np.array([[0.3, -1.0, 2.0]]), np.array([[1.0, -2.0, 0.5]])
    z = mg.Tensor(z_data, requires_grad=True)
    (g,) = mg.grad(ce(z, [1], reduction="sum"), [z], create_graph=True)
    (hv,) = mg.grad((g * v).sum(), [z])
    p = np.exp(z_data) / np.exp(z_data).sum()
    np.testing.assert_allclose(hv.data, p * v - p * (p * v).sum(), rtol=1e-12)


# ---- edges: logits ±1e4, probabilities exactly 0 and 1 ------------------------------

def finite_value_and_gradient(fn, x):
    x = mg.Tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fn(x)
        out.backward()
    assert np.isfinite(out.item())
    assert np.all(np.isfinite(x.grad))
    return out.item(), x.grad


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_probabilities_exactly_zero_and_one(dtype):
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0], dtype=dtype)
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.5, 0.5], dtype=dtype)
    for reduction in REDUCTIONS:
        finite_value_and_gradient(lambda p: bce(p, y, reduction=reduction).sum(), p)
    prob = np.array([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]], dtype=dtype)
    target = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=dtype)
    value, _ = finite_value_and_gradient(lambda p: cce(p, target, reduction="sum"), prob)
    assert value == pytest.approx(100.0 + math.log(2), rel=1e-6)          # float32 clamps at 100 too


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_clamp_is_100_in_float32_as_in_float64(dtype):
    # PyTorch clamps log p at -100 whatever the dtype; float32's smallest normal number alone would give 87.3
    values = bce(np.array([0.0, 1.0, 1e-40], dtype=dtype), np.array([1.0, 0.0, 1.0], dtype=dtype), reduction="none")
    assert values.dtype == dtype
    # p = 1e-40 (a float32 subnormal, or a float64 far above e^-100): -log p = 92.1, inside the clamp
    np.testing.assert_allclose(values.data, [100.0, 100.0, -math.log(1e-40)], rtol=1e-6)
    onehot = np.array([[1.0, 0.0]], dtype=dtype)
    assert cce(np.array([[0.0, 1.0]], dtype=dtype), onehot).item() == pytest.approx(100.0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_curvature_is_finite_at_probabilities_exactly_zero_and_one(dtype):
    # it was NaN in float32: 0 × inf through the clamp's mask. Where the clamp is active the loss
    # is flat (gradient and curvature 0); at p = ½ with y = 1: -1/p = -2 and 1/p² = 4
    p = mg.Tensor(np.array([0.0, 1.0, 0.0, 1.0, 0.5], dtype=dtype), requires_grad=True)
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0], dtype=dtype)
    (g,) = mg.grad(bce(p, y, reduction="sum"), p, create_graph=True)
    (h,) = mg.grad(g.sum(), p)
    np.testing.assert_allclose(g.data, [0.0, 0.0, 1.0, -1.0, -2.0])
    np.testing.assert_allclose(h.data, [0.0, 0.0, 1.0, 1.0, 4.0])
    q = mg.Tensor(np.array([[0.0, 1.0, 0.0], [0.5, 0.25, 0.25]], dtype=dtype), requires_grad=True)
    (g,) = mg.grad(cce(q, np.eye(3, dtype=dtype)[[0, 1]], reduction="sum"), q, create_graph=True)
    (h,) = mg.grad(g.sum(), q)
    np.testing.assert_allclose(g.data, [[0.0, 0.0, 0.0], [0.0, -4.0, 0.0]])
    np.testing.assert_allclose(h.data, [[0.0, 0.0, 0.0], [0.0, 16.0, 0.0]])


def test_probabilities_at_exact_fit_give_zero_loss_and_the_right_gradient():
    # p = 1 with y = 1: loss 0, gradient -y/p = -1 (the clamp is not active there)
    loss, grad = finite_value_and_gradient(lambda p: bce(p, [1.0, 0.0], reduction="sum"), [1.0, 0.0])
    assert loss == 0.0
    np.testing.assert_array_equal(grad, [-1.0, 1.0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_logits(dtype):
    z = np.array([1e4, -1e4, 1e4, -1e4], dtype=dtype)
    y = np.array([1.0, 1.0, 0.0, 0.0], dtype=dtype)
    for pos_weight in (None, 2.0):
        _, grad = finite_value_and_gradient(lambda z: bce_logits(z, y, pos_weight=pos_weight, reduction="sum"), z)
        if pos_weight is None:
            np.testing.assert_array_equal(grad, [0.0, -1.0, 1.0, 0.0])      # σ(z) - y, σ(±1e4) = 1, 0
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]], dtype=dtype)
    for target in ([0, 1], [[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]]):
        for kwargs in ({}, {"weight": [1.0, 2.0, 3.0], "label_smoothing": 0.1}):
            finite_value_and_gradient(lambda z: ce(z, target, **kwargs), logits)


def test_second_order_at_extreme_logits_is_finite():
    z = mg.Tensor([1e4, -1e4], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (g,) = mg.grad(bce_logits(z, [1.0, 1.0]), [z], create_graph=True)
        (h,) = mg.grad(g.sum(), [z])
    np.testing.assert_array_equal(h.data, [0.0, 0.0])


# ---- properties -------------------------------------------------------------------

def sizes():
    return st.tuples(st.integers(1, 5), st.integers(2, 4))


@settings(max_examples=40, deadline=None)
@given(st.data(), sizes())
def test_properties_binary(data, shape):
    p = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
    y = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
    z = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-50, 50)))
    n = p.size
    for loss, x in ((bce, p), (bce_logits, z)):
        none = loss(x, y, reduction="none")
        assert none.shape == shape
        assert np.all(none.data >= 0)
        assert loss(x, y, reduction="sum").item() == pytest.approx(n * loss(x, y).item(), rel=1e-9, abs=1e-12)
    hard = np.round(y)
    assert bce(hard, hard, reduction="sum").item() == 0.0                    # perfect fit


@settings(max_examples=40, deadline=None)
@given(st.data(), sizes())
def test_properties_categorical(data, shape):
    n, c = shape
    z = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-30, 30)))
    labels = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    soft = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0, 1)))
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p = p / p.sum(axis=1, keepdims=True)
    for loss, x, y in ((ce, z, labels), (ce, z, soft), (cce, p, soft)):
        none = loss(x, y, reduction="none")
        assert none.shape == (n,)
        assert np.all(none.data >= 0)
        assert loss(x, y, reduction="sum").item() == pytest.approx(n * loss(x, y).item(), rel=1e-9, abs=1e-12)
    one_hot = np.eye(c)[labels]
    assert cce(one_hot, one_hot, reduction="sum").item() == 0.0                # perfect fit
    assert ce(1e4 * one_hot, labels, reduction="sum").item() == 0.0            # p_y rounds to 1


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-10, 10)), st.data())
def test_bce_with_logits_equals_bce_of_sigmoid(z, data):
    y = data.draw(hnp.arrays(np.float64, z.shape, elements=st.floats(0, 1)))
    np.testing.assert_allclose(bce_logits(z, y, reduction="none").data,
                               bce(sigmoid(z), y, reduction="none").data, rtol=1e-7, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(hnp.arrays(np.float32, st.tuples(st.integers(1, 4), st.integers(2, 4)),
                  elements=st.floats(-5, 5, width=32)),
       st.sampled_from(REDUCTIONS))
def test_float32_stays_float32(z, reduction):
    n, c = z.shape
    p = (1 / (1 + np.exp(-z))).astype(np.float32)
    cases = [
        (bce, p, (p > 0.5).astype(np.float32), {}),
        (bce_logits, z, (z > 0).astype(np.float32), {"pos_weight": np.float64(2.0)}),
        (bce_logits, z, (z > 0).astype(np.float32), {"pos_weight": np.ones(c)}),
        (cce, p, np.eye(c, dtype=np.float32)[np.zeros(n, int)], {}),
        (ce, z, np.zeros(n, int), {"weight": np.ones(c), "label_smoothing": 0.1}),
        (ce, z, np.full((n, c), 1.0 / c), {"weight": np.ones(c)}),
    ]
    for loss, x, y, kwargs in cases:
        x = mg.Tensor(x, requires_grad=True)
        out = loss(x, y, reduction=reduction, **kwargs)
        assert out.dtype == np.float32, loss.__name__
        out.sum().backward()
        assert x.grad.dtype == np.float32


# ---- bad input ----------------------------------------------------------------------

def test_shape_mismatch_with_hint():
    with pytest.raises(ValueError, match=r"binary_cross_entropy: prob and target must have the same shape.*reshape"):
        bce(np.full((3, 1), 0.5), np.ones(3))
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: logits and target .*reshape"):
        bce_logits(np.zeros(3), np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"categorical_cross_entropy: prob and target must have the same shape"):
        cce(np.full((2, 3), 0.3), np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"cross_entropy: target must be class indices of shape \(2,\).*reshape"):
        ce(np.zeros((2, 3)), np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"cross_entropy: target must have shape \(2,\)"):
        ce(np.zeros((2, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match=r"cross_entropy: logits must have shape \(N, C\)"):
        ce(np.zeros(3), [0, 1, 2])
    with pytest.raises(ValueError, match=r"categorical_cross_entropy: prob must have shape \(N, C\)"):
        cce(np.full(3, 0.3), np.full(3, 0.3))


@pytest.mark.parametrize("bad", [-0.1, 1.5, np.nan])
def test_probabilities_outside_zero_one(bad):
    with pytest.raises(ValueError, match=r"binary_cross_entropy: prob must lie in \[0, 1\]"):
        bce([0.5, bad], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"binary_cross_entropy: target must lie in \[0, 1\]"):
        bce([0.5, 0.5], [0.0, bad])
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: target must lie in \[0, 1\]"):
        bce_logits([0.5, 0.5], [0.0, bad])
    with pytest.raises(ValueError, match=r"categorical_cross_entropy: prob must lie in \[0, 1\]"):
        cce([[0.5, bad]], [[0.0, 1.0]])
    with pytest.raises(ValueError, match=r"categorical_cross_entropy: target must lie in \[0, 1\]"):
        cce([[0.5, 0.5]], [[0.0, bad]])
    with pytest.raises(ValueError, match=r"cross_entropy: target must lie in \[0, 1\]"):
        ce([[0.5, 0.5]], [[0.0, bad]])


def test_bad_class_indices():
    with pytest.raises(ValueError, match=r"cross_entropy: target must be class indices in \[0, 2\], got 3"):
        ce(np.zeros((2, 3)), [0, 3])
    with pytest.raises(ValueError, match=r"cross_entropy: target must be class indices in \[0, 2\], got -1"):
        ce(np.zeros((2, 3)), [0, -1])
    with pytest.raises(ValueError, match=r"cross_entropy: target must be whole-number class indices"):
        ce(np.zeros((2, 3)), [0.5, 1.0])


def test_bad_weights_and_options():
    with pytest.raises(ValueError, match=r"cross_entropy: weight must have shape \(3,\), got \(2,\)"):
        ce(np.zeros((2, 3)), [0, 1], weight=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"cross_entropy: weight must be finite and >= 0, got -1"):
        ce(np.zeros((2, 3)), [0, 1], weight=[1.0, -1.0, 1.0])
    with pytest.raises(ValueError, match=r"cross_entropy: weight must be finite and >= 0, got nan"):
        ce(np.zeros((2, 3)), [0, 1], weight=[1.0, np.nan, 1.0])
    for bad in (-0.1, 1.1, np.nan, "0.1"):
        with pytest.raises(ValueError, match=r"cross_entropy: label_smoothing must be a number in \[0, 1\]"):
            ce(np.zeros((2, 3)), [0, 1], label_smoothing=bad)
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: pos_weight must be finite and >= 0"):
        bce_logits([0.0], [1.0], pos_weight=-2.0)
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: pos_weight of shape \(3,\) must broadcast"):
        bce_logits(np.zeros((2, 2)), np.ones((2, 2)), pos_weight=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"binary_cross_entropy_with_logits: pos_weight of shape \(2, 2, 2\)"):
        bce_logits(np.zeros((2, 2)), np.ones((2, 2)), pos_weight=np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match=r"cross_entropy: the weights of the target classes sum to 0"):
        ce(np.zeros((2, 3)), [0, 0], weight=[0.0, 1.0, 1.0])
    # "sum" with zero target weight is fine: 0
    assert ce(np.zeros((2, 3)), [0, 0], weight=[0.0, 1.0, 1.0], reduction="sum").item() == 0.0


