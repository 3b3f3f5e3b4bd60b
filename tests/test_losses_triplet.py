"""triplet and batch_triplet: hand-worked values, FaceNet's triplets, a brute-force loop over all
triplets for every mining mode and reduction (values and finite-difference gradients), gradcheck,
properties, edge cases (identical embeddings, empty mining results) and bad input."""
import math

import numpy as np
import pytest
from helpers import reduce_for_check
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as mg
from losses import batch_triplet, triplet

REDUCTIONS = ("mean", "sum", "none")
MININGS = ("all", "hard", "semi-hard")


# ---- the brute-force reference: plain Python over every triplet -------------------------

def brute_force(embeddings, labels, margin, mining, reduction):
    """batch_triplet as API.md defines it, with plain loops over Python floats."""
    rows = [list(map(float, row)) for row in embeddings]
    labels = [int(label) for label in labels]
    n = len(rows)

    def d(i, j):
        return math.sqrt(sum((u - v) ** 2 for u, v in zip(rows[i], rows[j])))

    def positives(a):
        return [p for p in range(n) if p != a and labels[p] == labels[a]]

    def negatives(a):
        return [k for k in range(n) if labels[k] != labels[a]]

    if mining == "all":
        losses = [max(0.0, d(a, p) - d(a, k) + margin)
                  for a in range(n) for p in positives(a) for k in negatives(a)]
        counted = [value for value in losses if value > 0]
    elif mining == "hard":
        losses, counted = [], []
        for a in range(n):
            if positives(a) and negatives(a):
                value = max(0.0, max(d(a, p) for p in positives(a))
                            - min(d(a, k) for k in negatives(a)) + margin)
                counted.append(value)
            else:
                value = 0.0
            losses.append(value)
    else:
        losses = []
        for a in range(n):
            for p in positives(a):
                candidates = [d(a, k) for k in negatives(a)]
                if not candidates:
                    losses.append(0.0)
                    continue
                farther = [x for x in candidates if x > d(a, p)]
                chosen = min(farther) if farther else max(candidates)
                losses.append(max(0.0, d(a, p) - chosen + margin))
        counted = losses
    if reduction == "none":
        return losses
    if reduction == "sum":
        return sum(losses)
    return sum(counted) / len(counted) if counted else 0.0


def finite_difference_gradient(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad


def random_batch(seed, n=7, dim=3, classes=3):
    rng = np.random.default_rng(seed)
    embeddings = rng.normal(size=(n, dim))
    labels = rng.integers(0, classes, size=n)
    labels[:classes] = np.arange(classes)        # every class present
    labels[classes] = 0                          # and at least one positive pair
    return embeddings, labels


# ---- triplet: values worked out by hand ----------------------------------------------

def test_triplet_hand_worked_values():
    a = [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]
    p = [[3.0, 4.0], [1.0, 0.0], [1.0, 1.0]]     # d(a,p) = 5, 1, 0
    n = [[0.0, 2.0], [0.0, 3.0], [1.0, 3.0]]     # d(a,n) = 2, 3, 2
    # max(0, 5 - 2 + 1) = 4;  max(0, 1 - 3 + 1) = 0;  max(0, 0 - 2 + 1) = 0
    np.testing.assert_allclose(triplet(a, p, n, reduction="none").data, [4.0, 0.0, 0.0])
    # margin 2.5: 5.5, 0.5, 0.5 -> sum 6.5, mean 6.5 / 3
    assert triplet(a, p, n, margin=2.5, reduction="sum").item() == pytest.approx(6.5)
    assert triplet(a, p, n, margin=2.5).item() == pytest.approx(6.5 / 3)
    # squared distances, margin 1: max(0, 25 - 4 + 1) = 22; max(0, 1 - 9 + 1) = 0; max(0, 0 - 4 + 1) = 0
    np.testing.assert_allclose(triplet(a, p, n, squared=True, reduction="none").data, [22.0, 0.0, 0.0])


def test_triplet_gradient_by_hand():
    a = mg.Tensor([[0.0, 0.0]], requires_grad=True)
    p = mg.Tensor([[3.0, 4.0]], requires_grad=True)
    n = mg.Tensor([[0.0, 2.0]], requires_grad=True)
    triplet(a, p, n, reduction="sum").backward()
    # L = |a - p| - |a - n| + 1;  dL/dp = (p - a)/5 = [0.6, 0.8];  dL/dn = -(n - a)/2 = [0, -1]
    # dL/da = (a - p)/5 - (a - n)/2 = [-0.6, -0.8] + [0, 1] = [-0.6, 0.2]
    np.testing.assert_allclose(p.grad, [[0.6, 0.8]])
    np.testing.assert_allclose(n.grad, [[0.0, -1.0]])
    np.testing.assert_allclose(a.grad, [[-0.6, 0.2]])


# ---- FaceNet (Schroff et al. 2015): easy, semi-hard and hard triplets ------------------

def test_facenet_easy_triplet_costs_nothing():
    a = mg.Tensor([[0.0, 0.0]], requires_grad=True)
    # d(a,p) = 1, d(a,n) = 3 > d(a,p) + m = 2: easy
    loss = triplet(a, [[1.0, 0.0]], [[0.0, 3.0]], margin=1.0, reduction="sum")
    loss.backward()
    assert loss.item() == 0.0
    np.testing.assert_array_equal(a.grad, [[0.0, 0.0]])


def test_facenet_semi_hard_and_hard_triplets():
    a, p = [[0.0, 0.0]], [[1.0, 0.0]]                   # d(a,p) = 1, margin 1
    semi_hard = triplet(a, p, [[0.0, 1.5]]).item()      # 1 < 1.5 < 2: loss in (0, m): 1 - 1.5 + 1
    hard = triplet(a, p, [[0.0, 0.5]]).item()           # 0.5 < 1: loss > m: 1 - 0.5 + 1
    assert semi_hard == pytest.approx(0.5) and 0 < semi_hard < 1
    assert hard == pytest.approx(1.5) and hard > 1


def test_batch_mining_picks_the_negatives_each_strategy_names():
    # anchor 0 at the origin, its positive 1 at distance 1; negatives 2, 3, 4 at distances
    # 0.5 (hard), 1.3 (semi-hard: farther than the positive, within the margin), 3 (easy)
    e = [[0.0, 0.0], [1.0, 0.0], [0.0, 0.5], [0.0, -1.3], [-3.0, 0.0]]
    labels = [0, 0, 1, 1, 1]
    semi = batch_triplet(e, labels, mining="semi-hard", reduction="none")
    assert semi.data[0] == pytest.approx(1 - 1.3 + 1)        # pair (0, 1) comes first
    hard = batch_triplet(e, labels, mining="hard", reduction="none")
    assert hard.data[0] == pytest.approx(1 - 0.5 + 1)
    everything = batch_triplet(e, labels, mining="all", reduction="none")
    # the first three triplets are (0, 1, 2), (0, 1, 3), (0, 1, 4)
    np.testing.assert_allclose(everything.data[:3], [1.5, 0.7, 0.0])


def test_semi_hard_falls_back_to_the_farthest_negative():
    # positive at distance 2, negatives at 0.5 and 1: none farther, so the farthest (1): 2 - 1 + 1
    e = [[0.0], [2.0], [0.5], [-1.0]]
    loss = batch_triplet(e, [7, 7, -3, -3], mining="semi-hard", reduction="none")
    assert loss.data[0] == pytest.approx(2.0)


# ---- batch_triplet against the brute-force loop: values and gradients -------------------

@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("mining", MININGS)
def test_batch_triplet_matches_brute_force(mining, reduction, seed):
    embeddings, labels = random_batch(seed)
    margin = 0.8
    x = mg.Tensor(embeddings, requires_grad=True)
    loss = batch_triplet(x, labels, margin=margin, mining=mining, reduction=reduction)
    expected = brute_force(embeddings, labels, margin, mining, reduction)
    np.testing.assert_allclose(loss.data, expected, rtol=1e-12, atol=1e-12)
    assert np.any(np.asarray(expected) > 0)       # the case is not trivially zero

    # the same weights reduce_for_check uses for "none", and 1 for a scalar
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, np.shape(expected)) if reduction == "none" else 1.0

    def reference(e):
        return float(np.sum(weights * np.asarray(brute_force(e, labels, margin, mining, reduction))))
    reduce_for_check(loss, seed).backward()
    np.testing.assert_allclose(x.grad, finite_difference_gradient(reference, embeddings),
                               rtol=1e-5, atol=1e-7)


def test_labels_may_be_any_integers():
    embeddings, labels = random_batch(5)
    shifted = batch_triplet(embeddings, labels * 10 - 7, mining="hard")
    assert shifted.item() == batch_triplet(embeddings, labels, mining="hard").item()
    as_float_tensor = batch_triplet(embeddings, mg.Tensor(labels.astype(float)), mining="hard")
    assert as_float_tensor.item() == shifted.item()


# ---- properties ------------------------------------------------------------------------

@st.composite
def batches(draw):
    n = draw(st.integers(1, 6))
    dim = draw(st.integers(1, 3))
    values = draw(st.lists(st.floats(-3, 3, allow_nan=False), min_size=n * dim, max_size=n * dim))
    labels = draw(st.lists(st.integers(-2, 2), min_size=n, max_size=n))
    margin = draw(st.floats(0, 2))
    return np.array(values).reshape(n, dim), np.array(labels), margin


@settings(max_examples=50, deadline=None)
@given(batches(), st.sampled_from(MININGS))
def test_batch_triplet_properties(batch, mining):
    embeddings, labels, margin = batch
    none = batch_triplet(embeddings, labels, margin, mining, reduction="none")
    expected = brute_force(embeddings, labels, margin, mining, "none")
    assert none.shape == (len(expected),)
    assert np.all(none.data >= 0)
    np.testing.assert_allclose(none.data, expected, rtol=1e-9, atol=1e-9)
    total = batch_triplet(embeddings, labels, margin, mining, reduction="sum").item()
    mean = batch_triplet(embeddings, labels, margin, mining, reduction="mean").item()
    assert total == pytest.approx(sum(expected), rel=1e-9, abs=1e-9)
    assert mean == pytest.approx(brute_force(embeddings, labels, margin, mining, "mean"), rel=1e-9, abs=1e-9)
    if mining == "semi-hard":          # the plain mean over pairs: sum = P · mean
        assert total == pytest.approx(len(expected) * mean, rel=1e-9, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(batches(), st.booleans())
def test_triplet_properties(batch, squared):
    embeddings, _, margin = batch
    a, p, n = embeddings, embeddings[::-1].copy(), np.roll(embeddings, 1, axis=0)
    none = triplet(a, p, n, margin, squared, reduction="none")
    assert none.shape == (len(a),)
    assert np.all(none.data >= 0)
    total = triplet(a, p, n, margin, squared, reduction="sum").item()
    mean = triplet(a, p, n, margin, squared, reduction="mean").item()
    assert total == pytest.approx(len(a) * mean, rel=1e-12, abs=1e-12)


def test_zero_at_a_perfect_fit():
    # classes far apart, members close: every triplet is easy
    e = [[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.0, 5.1]]
    for mining in MININGS:
        assert batch_triplet(e, [0, 0, 1, 1], mining=mining).item() == 0.0
    assert triplet([[0.0]], [[0.1]], [[5.0]]).item() == 0.0


# ---- edge cases: distance 0 and empty mining results ------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("mining", MININGS)
def test_identical_embeddings_give_finite_values_and_gradients(mining, reduction):
    x = mg.Tensor(np.ones((4, 3)), requires_grad=True)
    loss = batch_triplet(x, [0, 0, 1, 1], margin=0.5, mining=mining, reduction=reduction)
    # every distance is 0, so every mined triplet costs max(0, 0 - 0 + 0.5) = 0.5; "sum" adds
    # 4 anchors · 1 positive · 2 negatives = 8 of them ("all"), 4 anchors ("hard"), 4 pairs ("semi-hard")
    count = 8 if mining == "all" else 4
    assert np.all(loss.data == (0.5 * count if reduction == "sum" else 0.5))
    reduce_for_check(loss).backward()
    # the distance's gradient at 0 is 0 (losses/_distance.py), so nothing moves
    np.testing.assert_array_equal(x.grad, np.zeros((4, 3)))


@pytest.mark.parametrize("squared", [False, True])
def test_triplet_identical_anchor_and_positive(squared):
    a = mg.Tensor([[1.0, 2.0]], requires_grad=True)
    p = mg.Tensor([[1.0, 2.0]], requires_grad=True)
    n = mg.Tensor([[1.0, 2.5]], requires_grad=True)       # d(a,n) = 0.5, squared 0.25
    loss = triplet(a, p, n, margin=1.0, squared=squared)
    loss.backward()
    assert loss.item() == (0.75 if squared else 0.5)      # 0 - 0.25 + 1  or  0 - 0.5 + 1
    assert np.all(np.isfinite(a.grad)) and np.all(np.isfinite(p.grad))
    np.testing.assert_array_equal(p.grad, [[0.0, 0.0]])   # d(a,p) has gradient 0 at distance 0


@pytest.mark.parametrize("labels", [[3, 3, 3, 3], [0, 1, 2, 3], [4]], ids=["one label", "no positives", "one sample"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("mining", MININGS)
def test_empty_mining_result_is_zero_with_zero_gradient(labels, mining, reduction):
    x = mg.Tensor(np.random.default_rng(6).normal(size=(len(labels), 2)), requires_grad=True)
    loss = batch_triplet(x, labels, mining=mining, reduction=reduction)
    expected = brute_force(x.data, labels, 1.0, mining, reduction)
    assert np.shape(loss.data) == np.shape(expected)
    assert np.all(loss.data == 0.0)
    loss.sum().backward()
    np.testing.assert_array_equal(x.grad, np.zeros_like(x.data))


# ---- bad input -------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, match", [
    (dict(embeddings=np.zeros(4)), r"batch_triplet: embeddings must have shape \(N, D\).*got \(4,\)"),
    (dict(embeddings=np.zeros((4, 2, 1))), r"batch_triplet: embeddings must have shape \(N, D\)"),
    (dict(embeddings=[[0.0, np.nan]] * 4), r"batch_triplet: embeddings must be finite, got nan"),
    (dict(embeddings=[[0.0, np.inf]] * 4), r"batch_triplet: embeddings must be finite, got inf"),
    (dict(labels=[[0], [0], [1], [1]]), r"batch_triplet: labels must have shape \(4,\).*labels\.reshape\(-1\)"),
    (dict(labels=[0, 0, 1]), r"batch_triplet: labels must have shape \(4,\)"),
    (dict(labels=[0, 0.5, 1, 1]), r"batch_triplet: labels must be whole numbers.*0\.5"),
    (dict(labels=[0, np.nan, 1, 1]), r"batch_triplet: labels must be whole numbers.*nan"),
    (dict(labels=["a", "a", "b", "b"]), r"batch_triplet: labels must be whole numbers"),
    (dict(margin=-0.5), r"batch_triplet: margin must be a finite number >= 0, got -0.5"),
    (dict(mining="easy"), r"batch_triplet: mining must be one of 'all', 'hard', 'semi-hard', got 'easy'"),
    (dict(reduction="avg"), r"batch_triplet: reduction must be one of .*got 'avg'"),
])
def test_batch_triplet_bad_input(kwargs, match):
    args = dict(embeddings=np.arange(8.0).reshape(4, 2), labels=[0, 0, 1, 1])
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        batch_triplet(**args)


@pytest.mark.parametrize("kwargs, match", [
    (dict(positive=np.zeros((3, 3))), r"triplet: anchor and positive must have the same shape"),
    (dict(negative=np.zeros((2, 2))), r"triplet: anchor and negative must have the same shape"),
    (dict(negative=np.zeros((3, 2, 1))), r"triplet: anchor and negative.*negative\.reshape\(-1\)"),
    (dict(anchor=np.zeros(3), positive=np.zeros(3), negative=np.zeros(3)),
     r"triplet: anchor must have shape \(N, D\)"),
    (dict(margin=-1), r"triplet: margin must be a finite number >= 0, got -1"),
    (dict(margin=float("inf")), r"triplet: margin must be a finite number"),
    (dict(squared="yes"), r"triplet: squared must be one of False, True, got 'yes'"),
    (dict(reduction=None), r"triplet: reduction must be one of .*got None"),
])
def test_triplet_bad_input(kwargs, match):
    args = dict(anchor=np.zeros((3, 2)), positive=np.ones((3, 2)), negative=np.ones((3, 2)))
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        triplet(**args)


# ---- issue 15: float32 pairwise distances as accurate as explicit differences --------------

@pytest.mark.parametrize("spread", [0.05, 0.1, 0.2, 0.5, 1.0])
def test_float32_pairwise_distances_match_explicit_differences(spread):
    # L2-normalised float32 embeddings in clusters of 4, as a trained network gives them; pairs
    # just above the near-pair threshold lost digits through the float32 Gram matrix (2.6e-5
    # relative at spread 0.1). The reference: the same float32 numbers, differenced in float64.
    from losses._distance import pairwise_distances
    r = np.random.default_rng(int(spread * 100))
    e = np.repeat(r.standard_normal((16, 64)), 4, axis=0) + spread * r.standard_normal((64, 64))
    e = (e / np.linalg.norm(e, axis=1, keepdims=True)).astype(np.float32)
    wide = e.astype(np.float64)
    exact = np.sqrt(((wide[:, None, :] - wide[None, :, :]) ** 2).sum(axis=2))
    x = mg.Tensor(e, requires_grad=True)
    got = pairwise_distances(x)
    assert got.dtype == np.float32
    off = ~np.eye(64, dtype=bool)
    assert np.max(np.abs(got.data[off] - exact[off]) / exact[off]) < 1e-6
    assert np.all(np.diag(got.data) == 0.0)
    got.sum().backward()
    assert x.grad.dtype == np.float32 and np.all(np.isfinite(x.grad))
    # d/de_i of Σ_jk D_jk = 2 Σ_j (e_i - e_j) / D_ij (each pair counted twice)
    unit = (wide[:, None, :] - wide[None, :, :]) / np.where(off, exact, 1.0)[:, :, None]
    np.testing.assert_allclose(x.grad, 2 * unit.sum(axis=1), rtol=1e-4, atol=1e-4)
