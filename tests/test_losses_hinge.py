"""hinge, squared_hinge, multiclass_hinge: hand values, loops, closed-form gradients,
kink conventions, properties and bad input."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import losses
import minigrad as mg

REDUCTIONS = ("mean", "sum", "none")


def weighted_total(out, reduction, seed=0):
    """A scalar from any reduction: "none" is summed against fixed random weights."""
    if reduction != "none":
        return out
    return (out * np.random.default_rng(seed).normal(size=out.shape)).sum()


def multiclass_loop(scores, target, margin):
    """Σ_{j≠y} max(0, margin - s_y + s_j) per sample, as plain loops."""
    out = []
    for row, y in zip(scores, target):
        out.append(sum(max(0.0, margin - row[y] + row[j]) for j in range(len(row)) if j != y))
    return np.array(out)


def binary_off_kink(shape, seed):
    """Scores and ±1 labels with the margin 1 - y·s at least 0.1 away from the hinge point 0."""
    rng = np.random.default_rng(seed)
    y = rng.choice([-1.0, 1.0], size=shape)
    m = rng.uniform(0.1, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)   # 1 - y·s
    return y * (1.0 - m), y


def multiclass_off_kink(n, c, margin, seed):
    """Scores whose every term margin - s_y + s_j (j ≠ y) is at least 0.05 away from 0."""
    rng = np.random.default_rng(seed)
    while True:
        scores, y = rng.normal(size=(n, c)) * 2, rng.integers(0, c, size=n)
        terms = margin - scores[np.arange(n), y][:, None] + scores
        terms[np.arange(n), y] = 1.0
        if np.all(np.abs(terms) > 0.05) and np.any(terms[np.eye(c, dtype=bool)[y] == 0] > 0):
            return scores, y


# ---- values worked out by hand ----------------------------------------------------

def test_hinge_by_hand():
    # y·s = 3 -> 0;  y·s = 1 (on the hinge) -> 0;  y·s = 0.25 -> 0.75;  y·s = -2 -> 3
    values = losses.hinge([3.0, -1.0, 0.25, 2.0], [1, -1, 1, -1], reduction="none").data
    np.testing.assert_array_equal(values, [0.0, 0.0, 0.75, 3.0])
    assert losses.hinge([3.0, -1.0, 0.25, 2.0], [1, -1, 1, -1], reduction="sum").item() == 3.75


def test_squared_hinge_by_hand():
    # margins 0, 0, 0.75, 3 squared: 0, 0, 0.5625, 9
    values = losses.squared_hinge([3.0, -1.0, 0.25, 2.0], [1, -1, 1, -1], reduction="none").data
    np.testing.assert_array_equal(values, [0.0, 0.0, 0.5625, 9.0])


def test_multiclass_hinge_by_hand():
    # CS231n's three examples (margin 1):
    #   [3.2, 5.1, -1.7], y = 0: max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9 + 0
    #   [1.3, 4.9,  2.0], y = 1: max(0, 1.3 - 4.9 + 1) + max(0, 2.0 - 4.9 + 1) = 0
    #   [2.2, 2.5, -3.1], y = 2: max(0, 2.2 + 3.1 + 1) + max(0, 2.5 + 3.1 + 1) = 6.3 + 6.6 = 12.9
    scores = [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]
    np.testing.assert_allclose(losses.multiclass_hinge(scores, [0, 1, 2], reduction="none").data,
                               [2.9, 0.0, 12.9])
    assert losses.multiclass_hinge(scores, [0, 1, 2]).item() == pytest.approx(15.8 / 3)
    # margin 0: only classes scoring above the true one count: [3.2, 5.1, -1.7], y = 0 -> 1.9
    assert losses.multiclass_hinge([[3.2, 5.1, -1.7]], [0], margin=0.0).item() == pytest.approx(1.9)
    # margin 2: 5.1 - 3.2 + 2 = 3.9, -1.7 - 3.2 + 2 = -2.9 -> 0
    assert losses.multiclass_hinge([[3.2, 5.1, -1.7]], [0], margin=2.0).item() == pytest.approx(3.9)


@pytest.mark.parametrize("margin", [0.0, 0.5, 1.0, 3.0])
def test_multiclass_hinge_matches_loop(margin):
    rng = np.random.default_rng(1)
    scores, y = rng.normal(size=(6, 4)) * 2, rng.integers(0, 4, size=6)
    expected = multiclass_loop(scores, y, margin)
    np.testing.assert_allclose(losses.multiclass_hinge(scores, y, margin, reduction="none").data, expected)
    assert losses.multiclass_hinge(scores, y, margin, reduction="sum").item() == pytest.approx(expected.sum())


def test_binary_matches_loop():
    scores, y = binary_off_kink((3, 4), seed=2)
    hinge = np.array([[max(0.0, 1 - y[i, j] * scores[i, j]) for j in range(4)] for i in range(3)])
    np.testing.assert_allclose(losses.hinge(scores, y, reduction="none").data, hinge)
    np.testing.assert_allclose(losses.squared_hinge(scores, y, reduction="none").data, hinge ** 2)


# ---- gradients --------------------------------------------------------------------

def test_closed_form_binary_gradients():
    # hinge: d/ds = -y where 1 - y·s > 0, else 0;  squared: -2y·max(0, 1 - y·s)
    scores_data, y = binary_off_kink((8,), seed=5)
    active = 1 - y * scores_data > 0
    s = mg.Tensor(scores_data, requires_grad=True)
    losses.hinge(s, y, reduction="sum").backward()
    np.testing.assert_array_equal(s.grad, np.where(active, -y, 0.0))
    s = mg.Tensor(scores_data, requires_grad=True)
    losses.squared_hinge(s, y, reduction="sum").backward()
    np.testing.assert_allclose(s.grad, -2 * y * np.maximum(0.0, 1 - y * scores_data))


def test_closed_form_multiclass_gradient():
    # d/ds_j = 1 for each wrong class j with an active term; d/ds_y = -(number of active terms)
    scores_data, y = multiclass_off_kink(5, 4, 1.0, seed=6)
    s = mg.Tensor(scores_data, requires_grad=True)
    losses.multiclass_hinge(s, y, reduction="sum").backward()
    expected = np.zeros_like(scores_data)
    for i in range(5):
        for j in range(4):
            if j != y[i] and 1.0 - scores_data[i, y[i]] + scores_data[i, j] > 0:
                expected[i, j] += 1.0
                expected[i, y[i]] -= 1.0
    np.testing.assert_array_equal(s.grad, expected)


def test_kink_conventions():
    # on the hinge point y·s = 1: relu'(0) = 0, so no gradient; the squared hinge has slope 0 there anyway
    for loss in (losses.hinge, losses.squared_hinge):
        s = mg.Tensor([1.0, -1.0], requires_grad=True)
        loss(s, [1, -1], reduction="sum").backward()
        np.testing.assert_array_equal(s.grad, [0.0, 0.0])
    # multiclass at exactly the margin: s_j = s_y - margin contributes nothing
    s = mg.Tensor([[2.0, 1.0]], requires_grad=True)
    losses.multiclass_hinge(s, [0], margin=1.0, reduction="sum").backward()
    np.testing.assert_array_equal(s.grad, [[0.0, 0.0]])


def test_second_order_squared_hinge():
    # d²/ds² = 2y² = 2 where 1 - y·s > 0, else 0
    s = mg.Tensor([0.5, 2.0, -0.3, -3.0], requires_grad=True)
    (g,) = mg.grad(losses.squared_hinge(s, [1, 1, -1, -1], reduction="sum"), [s], create_graph=True)
    (h,) = mg.grad(g.sum(), [s])
    np.testing.assert_array_equal(h.data, [2.0, 0.0, 2.0, 0.0])


# ---- properties -------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.data(), st.integers(1, 5), st.integers(2, 4), st.floats(0, 3))
def test_properties_multiclass(data, n, c, margin):
    s = data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(-10, 10)))
    y = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    none = losses.multiclass_hinge(s, y, margin, reduction="none")
    assert none.shape == (n,)
    assert np.all(none.data >= 0)
    np.testing.assert_allclose(none.data, multiclass_loop(s, y, margin), atol=1e-12)
    total = losses.multiclass_hinge(s, y, margin, reduction="sum").item()
    assert total == pytest.approx(n * losses.multiclass_hinge(s, y, margin).item(), rel=1e-9, abs=1e-12)
    perfect = np.eye(c)[y] * (margin + 1.0)             # true class ahead of every other by margin + 1
    assert losses.multiclass_hinge(perfect, y, margin, reduction="sum").item() == 0.0


# ---- bad input ----------------------------------------------------------------------

@pytest.mark.parametrize("loss", [losses.hinge, losses.squared_hinge])
def test_binary_bad_input(loss):
    name = loss.__name__
    with pytest.raises(ValueError, match=rf"{name}: target must contain only -1 or 1, got 0"):
        loss([0.5, 0.5], [0, 1])
    with pytest.raises(ValueError, match=rf"{name}: target must contain only -1 or 1, got nan"):
        loss([0.5, 0.5], [np.nan, 1])
    with pytest.raises(ValueError, match=rf"{name}: scores and target must have the same shape.*reshape\(-1\)"):
        loss(np.zeros((3, 1)), np.ones(3))
    with pytest.raises(ValueError, match=rf"{name}: reduction must be one of"):
        loss([0.5], [1], reduction="max")


def test_multiclass_bad_input():
    fn = losses.multiclass_hinge
    for bad in (-0.5, np.nan, np.inf, None):
        with pytest.raises(ValueError, match=r"multiclass_hinge: margin must be a finite number >= 0"):
            fn([[1.0, 2.0]], [0], margin=bad)
    with pytest.raises(ValueError, match=r"multiclass_hinge: target must be class indices in \[0, 1\], got 2"):
        fn([[1.0, 2.0]], [2])
    with pytest.raises(ValueError, match=r"multiclass_hinge: target must be whole-number class indices"):
        fn([[1.0, 2.0]], [0.5])
    with pytest.raises(ValueError, match=r"multiclass_hinge: target must be class indices of shape \(2,\).*reshape"):
        fn(np.zeros((2, 3)), np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"multiclass_hinge: scores must have shape \(N, C\)"):
        fn(np.zeros(3), [0, 1, 2])
    with pytest.raises(ValueError, match=r"multiclass_hinge: reduction must be one of"):
        fn([[1.0, 2.0]], [0], reduction="avg")
