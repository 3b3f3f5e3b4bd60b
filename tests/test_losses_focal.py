"""focal and softmax_focal: Lin et al.'s published ratios, hand values, closed-form gradients,
reductions to cross-entropy at γ = 0, edges for every γ >= 0, properties and bad input."""
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
GAMMAS = (0.0, 0.3, 0.5, 1.0, 2.0, 5.0)


def logit(p):
    return math.log(p / (1 - p))


def weighted_total(out, reduction, seed=0):
    """A scalar from any reduction: "none" is summed against fixed random weights."""
    if reduction != "none":
        return out
    return (out * np.random.default_rng(seed).normal(size=out.shape)).sum()


def focal_loop(z, y, alpha, gamma):
    """The lecture's formula entry by entry, in plain floats (moderate logits only)."""
    out = []
    for zi, yi in zip(np.ravel(z), np.ravel(y)):
        p = 1 / (1 + math.exp(-zi))
        p_t = p if yi == 1 else 1 - p
        a_t = 1.0 if alpha is None else (alpha if yi == 1 else 1 - alpha)
        out.append(-a_t * (1 - p_t) ** gamma * math.log(p_t))
    return np.array(out).reshape(np.shape(z))


def softmax_focal_loop(z, y, alpha, gamma):
    out = []
    for row, label in zip(z, y):
        e = [math.exp(v - max(row)) for v in row]
        p_t = e[label] / sum(e)
        a_t = 1.0 if alpha is None else alpha[label]
        out.append(-a_t * (1 - p_t) ** gamma * math.log(p_t))
    return np.array(out)


# ---- published facts (Lin et al. 2017, sec. 3.2) ----------------------------------

@pytest.mark.parametrize("p_t, ratio", [(0.9, 0.01), (0.968, 0.001024)])
def test_published_focal_to_ce_ratios(p_t, ratio):
    # γ = 2, alpha=None: FL / CE = (1 - pₜ)²: 0.1² = 0.01 and 0.032² = 0.001024
    for z, y in ((logit(p_t), 1.0), (-logit(p_t), 0.0)):
        fl = losses.focal([z], [y], alpha=None, gamma=2.0).item()
        ce = losses.binary_cross_entropy_with_logits([z], [y]).item()
        assert fl / ce == pytest.approx(ratio, rel=1e-9)
    # the same with softmax over two classes: logits [0, logit(pₜ)] give p_1 = pₜ
    fl = losses.softmax_focal([[0.0, logit(p_t)]], [1], gamma=2.0).item()
    ce = losses.cross_entropy([[0.0, logit(p_t)]], [1]).item()
    assert fl / ce == pytest.approx(ratio, rel=1e-9)


# ---- values worked out by hand ----------------------------------------------------

def test_focal_by_hand():
    # z = log 3, y = 1: pₜ = ¾, (¼)²·(-log ¾) = -log(¾)/16, times α = 0.25
    # z = log 3, y = 0: pₜ = ¼, (¾)²·(-log ¼) = 0.5625·log 4, times 1 - α = 0.75
    values = losses.focal([math.log(3), math.log(3)], [1.0, 0.0], reduction="none").data
    np.testing.assert_allclose(values, [0.25 * -math.log(0.75) / 16, 0.75 * 0.5625 * math.log(4)])
    # γ = 1, alpha = 0.5, z = 0: ½·½·log 2
    assert losses.focal([0.0], [1.0], alpha=0.5, gamma=1.0).item() == pytest.approx(0.25 * math.log(2))


def test_softmax_focal_by_hand():
    # logits [0, log 3, 0]: p = [1/5, 3/5, 1/5]. y = 1: (2/5)²·(-log 3/5);  y = 0: (4/5)²·(-log 1/5)
    # alpha [2, 1, 1] scales the y = 0 sample by 2
    z = [[0.0, math.log(3), 0.0], [0.0, math.log(3), 0.0]]
    values = losses.softmax_focal(z, [1, 0], alpha=[2.0, 1.0, 1.0], reduction="none").data
    np.testing.assert_allclose(values, [0.16 * -math.log(0.6), 2 * 0.64 * math.log(5)])
    # the mean is plain over samples (÷ 2), not ÷ Σα
    assert losses.softmax_focal(z, [1, 0], alpha=[2.0, 1.0, 1.0]).item() == pytest.approx(values.sum() / 2)


@pytest.mark.parametrize("alpha", [None, 0.25, 0.9])
@pytest.mark.parametrize("gamma", GAMMAS)
def test_focal_matches_loop(alpha, gamma):
    rng = np.random.default_rng(0)
    z, y = rng.normal(size=(3, 4)) * 3, rng.integers(0, 2, size=(3, 4)).astype(float)
    np.testing.assert_allclose(losses.focal(z, y, alpha, gamma, reduction="none").data,
                               focal_loop(z, y, alpha, gamma), rtol=1e-10)


@pytest.mark.parametrize("alpha", [None, [0.5, 1.0, 2.0, 0.0]])
@pytest.mark.parametrize("gamma", GAMMAS)
def test_softmax_focal_matches_loop(alpha, gamma):
    rng = np.random.default_rng(1)
    z, y = rng.normal(size=(6, 4)) * 3, rng.integers(0, 4, size=6)
    np.testing.assert_allclose(losses.softmax_focal(z, y, alpha, gamma, reduction="none").data,
                               softmax_focal_loop(z, y, alpha, gamma), rtol=1e-10)


def test_softmax_focal_with_two_classes_is_binary_focal():
    # softmax over [z0, z1] gives p_1 = σ(z1 - z0)
    rng = np.random.default_rng(2)
    z, y = rng.normal(size=(5, 2)) * 2, rng.integers(0, 2, size=5)
    for gamma in (0.0, 0.5, 2.0):
        np.testing.assert_allclose(losses.softmax_focal(z, y, gamma=gamma, reduction="none").data,
                                   losses.focal(z[:, 1] - z[:, 0], y.astype(float), alpha=None, gamma=gamma,
                                                reduction="none").data, rtol=1e-10)


def test_gamma_zero_is_cross_entropy():
    rng = np.random.default_rng(3)
    z, y = rng.normal(size=(4, 3)) * 4, rng.integers(0, 2, size=(4, 3)).astype(float)
    np.testing.assert_allclose(losses.focal(z, y, alpha=None, gamma=0.0, reduction="none").data,
                               losses.binary_cross_entropy_with_logits(z, y, reduction="none").data)
    labels = rng.integers(0, 3, size=4)
    np.testing.assert_allclose(losses.softmax_focal(z, labels, gamma=0.0, reduction="none").data,
                               losses.cross_entropy(z, labels, reduction="none").data, rtol=1e-12)


# ---- gradients --------------------------------------------------------------------

@pytest.mark.parametrize("gamma", GAMMAS)
def test_closed_form_focal_gradient(gamma):
    # y = 1, alpha=None, p = σ(z):  dFL/dz = (1 - p)^γ·(γ·p·log p - (1 - p));  y = 0 mirrors it (z -> -z)
    z_data = np.array([-4.0, -1.0, 0.0, 0.7, 3.0])
    p = 1 / (1 + np.exp(-z_data))
    expected_pos = (1 - p) ** gamma * (gamma * p * np.log(p) - (1 - p))
    z = mg.Tensor(z_data, requires_grad=True)
    losses.focal(z, np.ones(5), alpha=None, gamma=gamma, reduction="sum").backward()
    np.testing.assert_allclose(z.grad, expected_pos, rtol=1e-10, atol=1e-15)
    z = mg.Tensor(-z_data, requires_grad=True)
    losses.focal(z, np.zeros(5), alpha=None, gamma=gamma, reduction="sum").backward()
    np.testing.assert_allclose(z.grad, -expected_pos, rtol=1e-10, atol=1e-15)


def test_curvature_at_gamma_zero_is_bce_curvature():
    # γ = 0, alpha=None: d²/dz² = σ(z)(1 - σ(z))
    z_data = np.array([-2.0, 0.0, 1.5])
    z = mg.Tensor(z_data, requires_grad=True)
    (g,) = mg.grad(losses.focal(z, [1.0, 0.0, 1.0], alpha=None, gamma=0.0, reduction="sum"), [z],
                   create_graph=True)
    (h,) = mg.grad(g.sum(), [z])
    s = 1 / (1 + np.exp(-z_data))
    np.testing.assert_allclose(h.data, s * (1 - s), rtol=1e-12)


def test_second_order_matches_finite_differences_of_the_gradient():
    # curvature of focal at γ = 2 against central differences of the engine's first derivative
    def first_derivative(z_value):
        z = mg.Tensor([z_value], requires_grad=True)
        (g,) = mg.grad(losses.focal(z, [1.0], alpha=0.25, gamma=2.0, reduction="sum"), [z])
        return g.item()
    for z_value in (-1.5, 0.2, 2.0):
        z = mg.Tensor([z_value], requires_grad=True)
        (g,) = mg.grad(losses.focal(z, [1.0], alpha=0.25, gamma=2.0, reduction="sum"), [z], create_graph=True)
        (h,) = mg.grad(g.sum(), [z])
        numeric = (first_derivative(z_value + 1e-5) - first_derivative(z_value - 1e-5)) / 2e-5
        assert h.item() == pytest.approx(numeric, rel=1e-6)


# ---- edges: every γ >= 0 at pₜ -> 1 and logits of ±1e4 -------------------------------

def finite_everything(fn, x, second_order=False):
    x = mg.Tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = fn(x)
        (g,) = mg.grad(out, [x], create_graph=second_order)
        assert np.isfinite(out.item()) and np.all(np.isfinite(g.data))
        if second_order:
            (h,) = mg.grad(g.sum(), [x])
            assert np.all(np.isfinite(h.data))
    return out.item(), g.data


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_focal_edges(gamma, dtype):
    z = np.array([1e4, -1e4, 1e4, -1e4, 40.0, -40.0, 0.0], dtype=dtype)
    y = np.array([1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0], dtype=dtype)
    for alpha in (None, 0.25):
        value, grad = finite_everything(
            lambda z: losses.focal(z, y, alpha=alpha, gamma=gamma, reduction="sum"), z,
            second_order=dtype == np.float64)
        # pₜ -> 1 (right and confident): no loss and no push;  pₜ -> 0: slope -αₜ·sign, loss αₜ·1e4
        assert grad[0] == 0.0 and grad[3] == 0.0
        a_pos, a_neg = (1.0, 1.0) if alpha is None else (alpha, 1 - alpha)
        assert grad[1] == pytest.approx(-a_pos) and grad[2] == pytest.approx(a_neg)


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_focal_edges(gamma, dtype):
    z = np.array([[1e4, -1e4, 0.0], [1e4, -1e4, 0.0], [40.0, 0.0, 0.0], [0.0, 0.0, 0.0]], dtype=dtype)
    y = [0, 1, 0, 2]
    for alpha in (None, [1.0, 2.0, 0.5]):
        _, grad = finite_everything(
            lambda z: losses.softmax_focal(z, y, alpha=alpha, gamma=gamma, reduction="sum"), z,
            second_order=dtype == np.float64)
        np.testing.assert_array_equal(grad[0], [0.0, 0.0, 0.0])      # pₜ = 1: nothing to learn


@pytest.mark.parametrize("gamma", [0.1, 0.5, 0.9])
def test_gamma_below_one_as_p_t_approaches_one(gamma):
    # the textbook slope γ(1 - pₜ)^(γ-1) blows up as pₜ -> 1; the log-space form stays finite
    # and matches the closed form (1 - p)^γ·(γ·p·log p - (1 - p)) wherever it can be evaluated
    for z_value in (10.0, 20.0, 30.0, 36.0, 38.0, 745.0, 1e4):
        _, grad = finite_everything(lambda z: losses.focal(z, [1.0], alpha=None, gamma=gamma), [z_value],
                                    second_order=True)
        one_minus_p = math.exp(-z_value) / (1 + math.exp(-z_value))     # σ(-z), no cancellation
        p = 1 - one_minus_p
        expected = one_minus_p ** gamma * (gamma * p * math.log1p(-one_minus_p) - one_minus_p)
        assert grad[0] == pytest.approx(expected, rel=1e-9, abs=1e-300)
        assert grad[0] <= 0.0


# ---- properties -------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.data(), st.tuples(st.integers(1, 5), st.integers(1, 4)),
       st.one_of(st.none(), st.floats(0, 1)), st.floats(0, 5))
def test_properties_focal(data, shape, alpha, gamma):
    z = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-50, 50)))
    y = data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0])))
    none = losses.focal(z, y, alpha, gamma, reduction="none")
    assert none.shape == shape
    assert np.all(none.data >= 0)
    # αₜ <= 1 and (1 - pₜ)^γ <= 1: never above the plain cross-entropy
    bce = losses.binary_cross_entropy_with_logits(z, y, reduction="none").data
    assert np.all(none.data <= bce * (1 + 1e-12) + 1e-300)
    total = losses.focal(z, y, alpha, gamma, reduction="sum").item()
    assert total == pytest.approx(z.size * losses.focal(z, y, alpha, gamma).item(), rel=1e-9, abs=1e-12)
    # γ = 0, alpha=None is BCE with logits
    np.testing.assert_allclose(losses.focal(z, y, None, 0.0, reduction="none").data, bce)


@settings(max_examples=40, deadline=None)
@given(st.data(), st.integers(1, 5), st.integers(2, 4), st.floats(0, 5), st.booleans())
def test_properties_softmax_focal(data, n, c, gamma, with_alpha):
    z = data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-50, 50)))
    y = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    alpha = data.draw(hnp.arrays(np.float64, c, elements=st.floats(0, 3))) if with_alpha else None
    none = losses.softmax_focal(z, y, alpha, gamma, reduction="none")
    assert none.shape == (n,)
    assert np.all(none.data >= 0)
    total = losses.softmax_focal(z, y, alpha, gamma, reduction="sum").item()
    assert total == pytest.approx(n * losses.softmax_focal(z, y, alpha, gamma).item(), rel=1e-9, abs=1e-12)
    assert losses.softmax_focal(1e4 * np.eye(c)[y], y, alpha, gamma, reduction="sum").item() == 0.0


# ---- bad input ----------------------------------------------------------------------

def test_focal_bad_input():
    with pytest.raises(ValueError, match=r"focal: target must contain only 0 or 1, got -1"):
        losses.focal([0.5, 0.5], [-1.0, 1.0])
    with pytest.raises(ValueError, match=r"focal: target must contain only 0 or 1, got 0.5"):
        losses.focal([0.5, 0.5], [0.5, 1.0])
    with pytest.raises(ValueError, match=r"focal: target must contain only 0 or 1, got nan"):
        losses.focal([0.5], [np.nan])
    for bad in (-0.1, 1.5, np.nan, "0.25"):
        with pytest.raises(ValueError, match=r"focal: alpha must be a number in \[0, 1\]"):
            losses.focal([0.5], [1.0], alpha=bad)
    for bad in (-1.0, np.nan, np.inf):
        with pytest.raises(ValueError, match=r"focal: gamma must be a finite number >= 0"):
            losses.focal([0.5], [1.0], gamma=bad)
    with pytest.raises(ValueError, match=r"focal: logits and target must have the same shape.*reshape\(-1\)"):
        losses.focal(np.zeros((3, 1)), np.ones(3))
    with pytest.raises(ValueError, match=r"focal: reduction must be one of"):
        losses.focal([0.5], [1.0], reduction="mean ")


def test_softmax_focal_bad_input():
    fn = losses.softmax_focal
    with pytest.raises(ValueError, match=r"softmax_focal: alpha must have shape \(3,\), got \(2,\)"):
        fn(np.zeros((2, 3)), [0, 1], alpha=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"softmax_focal: alpha must be finite and >= 0, got -1.0"):
        fn(np.zeros((2, 3)), [0, 1], alpha=[1.0, -1.0, 2.0])
    with pytest.raises(ValueError, match=r"softmax_focal: gamma must be a finite number >= 0"):
        fn(np.zeros((2, 3)), [0, 1], gamma=-0.5)
    with pytest.raises(ValueError, match=r"softmax_focal: target must be class indices in \[0, 2\], got 3"):
        fn(np.zeros((2, 3)), [0, 3])
    with pytest.raises(ValueError, match=r"softmax_focal: target must be class indices of shape \(2,\).*reshape"):
        fn(np.zeros((2, 3)), np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"softmax_focal: logits must have shape \(N, C\)"):
        fn(np.zeros(3), [0, 1, 2])
    with pytest.raises(ValueError, match=r"softmax_focal: logits must have at least 2 classes"):
        fn(np.zeros((2, 1)), [0, 0])
    with pytest.raises(ValueError, match=r"softmax_focal: reduction must be one of"):
        fn(np.zeros((2, 3)), [0, 1], reduction=None)
