"""lessons.helpers' metric-learning tools for lessons 06 and 07: FaceNet's validation rate,
Fisher's LDA and steady rounding, against brute force and closed forms."""
import numpy as np
import pytest

from lessons.helpers import lda, steady, validation_rate


def brute_validation_rate(E_train, y_train, E_test, y_test, far):
    """The largest threshold t (among the training distances) with at most far·n different-identity
    training pairs at D < t, by trying every candidate; then the rates on the test pairs."""
    def pairs(E, y):
        out = [(np.linalg.norm(E[i] - E[j]), y[i] == y[j]) for i in range(len(y)) for j in range(i + 1, len(y))]
        return np.array([d for d, _ in out]), np.array([s for _, s in out])
    d, same = pairs(E_train, y_train)
    different = d[~same]
    best = min(different)
    for t in sorted(set(different)):
        if np.sum(different < t) <= far * len(different):
            best = t
    d_test, same_test = pairs(E_test, y_test)
    return np.mean(d_test[same_test] < best), np.mean(d_test[~same_test] < best), best


@pytest.mark.parametrize("far", [0.0, 1e-3, 0.05, 0.3])
def test_validation_rate_matches_a_search_over_every_threshold(far):
    r = np.random.default_rng(0)
    E_train, y_train = r.normal(size=(40, 3)), r.integers(0, 6, 40)
    E_test, y_test = r.normal(size=(30, 3)), r.integers(0, 5, 30)
    got = validation_rate(E_train, y_train, E_test, y_test, far=far)
    assert got == pytest.approx(brute_validation_rate(E_train, y_train, E_test, y_test, far), abs=1e-12)


def test_validation_rate_by_hand():
    # training points on a line: 0, 0.1 (identity 0), 1, 3 (identities 1, 2): different-identity
    # distances 1, 3, 0.9, 2.9, 2 -> sorted 0.9, 1, 2, 2.9, 3. far = 0.2 allows 1 of 5: t = 1.
    E_train, y_train = np.array([[0.0], [0.1], [1.0], [3.0]]), np.array([0, 0, 1, 2])
    # test: a same pair 0.5 apart (accepted), a same pair 1.5 apart (not), different pairs 0.8 and more apart
    E_test, y_test = np.array([[0.0], [0.5], [10.0], [11.5], [10.8]]), np.array([0, 0, 1, 1, 2])
    val, far_test, t = validation_rate(E_train, y_train, E_test, y_test, far=0.2)
    assert t == 1.0
    # same pairs: (0, 0.5) 0.5 accepted, (10, 11.5) 1.5 not -> VAL 1/2
    # different pairs: 0–10, 0–11.5, 0–10.8, 0.5–10, 0.5–11.5, 0.5–10.8, 10–10.8 (0.8), 11.5–10.8 (0.7) -> 2 of 8
    assert val == 0.5 and far_test == 0.25


def test_validation_rate_rejects_a_bad_far():
    E, y = np.zeros((4, 2)), np.array([0, 0, 1, 1])
    with pytest.raises(ValueError, match="far"):
        validation_rate(E, y, E, y, far=1.0)


def test_lda_of_two_classes_is_fishers_closed_form():
    # two classes: Fisher's direction is S_w^-1 (mu_1 - mu_0), whatever the within-class shape
    r = np.random.default_rng(1)
    shape = np.array([[3.0, 0.0, 0.0], [1.0, 0.3, 0.0], [0.5, 0.2, 1.0]])
    X = np.concatenate([r.normal(size=(50, 3)) @ shape, r.normal(size=(60, 3)) @ shape + [1.0, 2.0, -0.5]])
    y = np.repeat([0, 1], [50, 60])
    within = sum((X[y == c] - X[y == c].mean(0)).T @ (X[y == c] - X[y == c].mean(0)) for c in (0, 1))
    fisher = np.linalg.solve(within, X[y == 1].mean(0) - X[y == 0].mean(0))
    direction = lda(X, y, dims=1)[:, 0]
    cosine = abs(direction @ fisher) / np.linalg.norm(direction) / np.linalg.norm(fisher)
    assert cosine > 1 - 1e-9


def test_lda_whitens_the_within_scatter_and_orders_by_separation():
    r = np.random.default_rng(2)
    centres = r.normal(scale=4.0, size=(5, 4)) * [1.0, 1.0, 0.0, 0.0]      # identities differ in 2 of 4 coordinates
    y = np.repeat(np.arange(5), 30)
    X = centres[y] + r.normal(size=(150, 4)) * [0.3, 0.3, 2.0, 2.0]
    W = lda(X, y, dims=2)
    E = X @ W
    within = sum((E[y == c] - E[y == c].mean(0)).T @ (E[y == c] - E[y == c].mean(0)) for c in range(5))
    assert np.allclose(within, np.eye(2), atol=1e-4)                     # unit within-scatter, uncorrelated
    spread = [np.var([E[y == c, k].mean() for c in range(5)]) for k in (0, 1)]
    assert spread[0] >= spread[1]                                        # the best-separating direction first
    assert np.abs(W[2:]).max() < 0.1 * np.abs(W[:2]).max()               # the nuisance coordinates are dropped


def test_lda_rejects_too_many_dimensions_and_mismatched_labels():
    X, y = np.random.default_rng(3).normal(size=(12, 4)), np.repeat([0, 1, 2], 4)
    with pytest.raises(ValueError, match="dims"):
        lda(X, y, dims=3)                   # 3 identities give at most 2 directions
    with pytest.raises(ValueError, match="labels"):
        lda(X, y[:-1], dims=1)


def test_steady_formats_the_same_on_either_side_of_a_rounding_tie():
    above, below = 0.965 + 2e-16, 0.965 - 2e-16
    assert f"{steady(above):.2f}" == f"{steady(below):.2f}"
    assert f"{steady(0.5 + 1e-12):.0%}" == f"{steady(0.5 - 1e-12):.0%}"
