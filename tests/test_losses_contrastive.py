"""contrastive: hand-worked values, Hadsell et al.'s pairs, gradcheck, properties, edges, bad input."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as mg
from losses import contrastive

REDUCTIONS = ("mean", "sum", "none")


def plain_contrastive(x1, x2, y, margin):
    """One value per pair with a plain Python loop."""
    out = []
    for a, b, label in zip(x1.tolist(), x2.tolist(), y.tolist()):
        d = math.sqrt(sum((u - v) ** 2 for u, v in zip(a, b)))
        out.append((1 - label) * d * d + label * max(0.0, margin - d) ** 2)
    return out


# ---- values worked out by hand -------------------------------------------------

def test_hand_worked_values():
    x1 = [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    x2 = [[3.0, 4.0], [0.3, 0.4], [1.0, 3.0], [0.6, 0.8]]   # D = 5, 0.5, 2, 1
    y = [0, 1, 1, 1]
    # similar, D = 5: 5² = 25;  dissimilar, D = 0.5, m = 2: (2 - 0.5)² = 2.25;
    # dissimilar, D = 2 = m: max(0, 0)² = 0;  dissimilar, D = 1: (2 - 1)² = 1
    loss = contrastive(x1, x2, y, margin=2.0, reduction="none")
    np.testing.assert_allclose(loss.data, [25.0, 2.25, 0.0, 1.0])
    assert contrastive(x1, x2, y, margin=2.0, reduction="sum").item() == pytest.approx(28.25)
    assert contrastive(x1, x2, y, margin=2.0).item() == pytest.approx(28.25 / 4)


def test_no_half_factor():
    # a similar pair at distance 1 costs 1² = 1, not ½ (the lecture's form has no ½)
    assert contrastive([[0.0]], [[1.0]], [0]).item() == 1.0


def test_features_after_the_first_axis_all_count():
    x1 = np.zeros((2, 2, 2))
    x2 = np.ones((2, 2, 2))          # D² = 4 · 1² = 4 per pair
    np.testing.assert_allclose(contrastive(x1, x2, [0, 0], reduction="none").data, [4.0, 4.0])


def test_matches_plain_loop():
    rng = np.random.default_rng(1)
    x1, x2 = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    y = np.array([0, 1, 0, 1, 1, 0, 1])
    np.testing.assert_allclose(contrastive(x1, x2, y, margin=1.5, reduction="none").data,
                               plain_contrastive(x1, x2, y, 1.5), rtol=1e-12)


# ---- Hadsell, Chopra & LeCun 2006: the two kinds of pair ---------------------------

def test_similar_pair_is_pulled_with_gradient_2D():
    x1 = mg.Tensor([[1.0, 2.0]], requires_grad=True)
    x2 = mg.Tensor([[4.0, 6.0]], requires_grad=True)      # D = 5
    contrastive(x1, x2, [0], reduction="sum").backward()
    # dL/dx1 = 2 (x1 - x2) = [-6, -8]: length 2D = 10, pointing from x1 towards x2
    np.testing.assert_allclose(x1.grad, [[-6.0, -8.0]])
    np.testing.assert_allclose(x2.grad, [[6.0, 8.0]])
    assert np.linalg.norm(x1.grad) == pytest.approx(10.0)


def test_dissimilar_pair_beyond_margin_costs_nothing():
    x1 = mg.Tensor([[0.0, 0.0]], requires_grad=True)
    x2 = mg.Tensor([[3.0, 4.0]], requires_grad=True)      # D = 5 > m = 2
    loss = contrastive(x1, x2, [1], margin=2.0, reduction="sum")
    loss.backward()
    assert loss.item() == 0.0
    np.testing.assert_array_equal(x1.grad, [[0.0, 0.0]])
    np.testing.assert_array_equal(x2.grad, [[0.0, 0.0]])


def test_dissimilar_pair_inside_margin_is_pushed_apart():
    x1 = mg.Tensor([[0.0, 0.0]], requires_grad=True)
    x2 = mg.Tensor([[0.6, 0.8]], requires_grad=True)      # D = 1 < m = 3
    contrastive(x1, x2, [1], margin=3.0, reduction="sum").backward()
    # L = (m - D)²; dL/dx1 = -2 (m - D) · (x1 - x2) / D = -2 · 2 · [-0.6, -0.8] = [2.4, 3.2]
    np.testing.assert_allclose(x1.grad, [[2.4, 3.2]])


# ---- gradcheck in float64, off kinks (distinct points, D never equal to m) ---------

def test_gradcheck_higher_rank_features():
    rng = np.random.default_rng(3)
    x1, x2 = rng.normal(size=(3, 2, 2)), rng.normal(size=(3, 2, 2))
    assert mg.gradcheck(lambda a, b: contrastive(a, b, [1, 0, 1], margin=2.0), x1, x2)


# ---- properties ------------------------------------------------------------------

finite = st.floats(-5, 5, allow_nan=False, width=64)


@st.composite
def pairs(draw):
    n = draw(st.integers(1, 5))
    d = draw(st.integers(1, 3))
    x1 = np.array(draw(st.lists(finite, min_size=n * d, max_size=n * d))).reshape(n, d)
    x2 = np.array(draw(st.lists(finite, min_size=n * d, max_size=n * d))).reshape(n, d)
    y = np.array(draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)))
    margin = draw(st.floats(0, 3))
    return x1, x2, y, margin


@settings(max_examples=40, deadline=None)
@given(pairs())
def test_properties(case):
    x1, x2, y, margin = case
    n = len(y)
    none = contrastive(x1, x2, y, margin, reduction="none")
    assert none.shape == (n,)
    assert np.all(none.data >= 0)
    total = contrastive(x1, x2, y, margin, reduction="sum").item()
    mean = contrastive(x1, x2, y, margin, reduction="mean").item()
    assert total == pytest.approx(n * mean, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(none.data, plain_contrastive(x1, x2, y, margin), rtol=1e-9, atol=1e-12)


def test_float32_embeddings_with_float64_labels_stay_float32():
    x1 = mg.Tensor(np.zeros((2, 2), dtype=np.float32), requires_grad=True)
    x2 = np.ones((2, 2), dtype=np.float32)
    assert contrastive(x1, x2, mg.Tensor([0.0, 1.0])).dtype == np.float32


def test_zero_at_a_perfect_fit():
    # similar pairs identical, dissimilar pairs beyond the margin
    x1 = [[1.0, 2.0], [0.0, 0.0]]
    x2 = [[1.0, 2.0], [5.0, 0.0]]
    assert contrastive(x1, x2, [0, 1], margin=1.0).item() == 0.0


# ---- edge cases ------------------------------------------------------------------

@pytest.mark.parametrize("label, value", [(0, 0.0), (1, 4.0)])     # D = 0: 0², and (2 - 0)² = 4
def test_identical_embeddings_give_finite_gradients(label, value):
    x1 = mg.Tensor([[0.5, -1.0]], requires_grad=True)
    x2 = mg.Tensor([[0.5, -1.0]], requires_grad=True)
    loss = contrastive(x1, x2, [label], margin=2.0)
    loss.backward()
    assert loss.item() == value
    # the distance's gradient at D = 0 is taken as 0 (documented in losses/_distance.py)
    np.testing.assert_array_equal(x1.grad, [[0.0, 0.0]])
    np.testing.assert_array_equal(x2.grad, [[0.0, 0.0]])


def test_identical_embeddings_in_a_batch_leave_other_gradients_intact():
    x1 = mg.Tensor([[0.0, 0.0], [0.0, 0.0]], requires_grad=True)
    x2 = mg.Tensor([[0.0, 0.0], [0.6, 0.8]], requires_grad=True)
    contrastive(x1, x2, [1, 1], margin=2.0, reduction="sum").backward()
    # second pair: -2 (2 - 1) · (x1 - x2) / 1 = [1.2, 1.6]
    np.testing.assert_allclose(x1.grad, [[0.0, 0.0], [1.2, 1.6]])


def test_second_derivative_of_the_similar_term():
    x1 = mg.Tensor([[1.0, 2.0]], requires_grad=True)
    loss = contrastive(x1, [[0.0, 0.0]], [0], reduction="sum")
    (g,) = mg.grad(loss, [x1], create_graph=True)
    (h,) = mg.grad(g[0, 0], [x1])
    np.testing.assert_allclose(h.data, [[2.0, 0.0]])     # d²(x₀² + x₁²)/dx₀² = 2, mixed = 0


# ---- bad input -------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    (dict(x2=np.zeros((3, 3))), r"contrastive: x1 and x2 must have the same shape"),
    (dict(x1=np.zeros(3), x2=np.zeros(3)), r"contrastive: x1 must have shape \(N, D\)"),
    (dict(y=[[0], [1], [0]]), r"contrastive: y must have shape \(3,\).*y\.reshape\(-1\)"),
    (dict(y=[0, 1]), r"contrastive: y must have shape \(3,\)"),
    (dict(y=[0, 2, 1]), r"contrastive: y must contain only 0 or 1, got 2"),
    (dict(y=[0, -1, 1]), r"contrastive: y must contain only 0 or 1"),
    (dict(y=[0, np.nan, 1]), r"contrastive: y must contain only 0 or 1, got nan"),
    (dict(margin=-1.0), r"contrastive: margin must be a finite number >= 0, got -1.0"),
    (dict(margin=float("nan")), r"contrastive: margin must be"),
    (dict(reduction="average"), r"contrastive: reduction must be one of .*got 'average'"),
])
def test_bad_input(kwargs, match):
    args = dict(x1=np.zeros((3, 2)), x2=np.ones((3, 2)), y=[0, 1, 0])
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        contrastive(**args)


def test_column_of_embeddings_against_a_row_suggests_the_fix():
    with pytest.raises(ValueError, match=r"x1 \(3, 2, 1\) and x2 \(3, 2\).*x1\.reshape"):
        contrastive(np.zeros((3, 2, 1)), np.zeros((3, 2)), [0, 1, 0])
