"""losses.workbench.compare: the one checking machinery of `losses.check` and `lessons.exercises.grade`.

The comparison is tested on hand-worked arrays; then a fault planted in it must make a
check line and a grader line pass what they fail today: the two go through the same code.
"""
import numpy as np

import losses
import minigrad as mg
from lessons.exercises import grade
from lessons.exercises.catalogue import EXERCISES
from losses.workbench import compare
from losses.workbench.compare import finite_difference_mismatch, mismatch
from losses.workbench.registry import make_info

# ---- mismatch: the worst entry, both values there, how many differ --------------------------

def test_mismatch_names_the_worst_entry_both_values_and_the_count():
    # misses of 0.5 and 6 at entries 1 and 3: entry 3 is the worst, 2 of 4 differ
    found = mismatch(np.array([1.0, 2.0, 3.0, 10.0]), np.array([1.0, 2.5, 3.0, 4.0]))
    assert (found.index, found.got, found.expected, found.count, found.compared) == ((3,), 10.0, 4.0, 2, 4)
    found = mismatch(np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([[0.0, 1.0], [2.0, -3.0]]))
    assert (found.index, found.got, found.expected, found.count) == ((1, 1), 3.0, -3.0, 1)
    assert mismatch(np.arange(4.0), np.arange(4.0)) is None


def test_mismatch_tolerance_is_atol_plus_rtol_times_the_expected_value():
    # |9 − 8| = 1 = 0.125 · 8: on the boundary, a match; a hair less rtol, a mismatch (exact in binary)
    assert mismatch(np.array([9.0]), np.array([8.0]), rtol=0.125, atol=0.0) is None
    assert mismatch(np.array([9.0]), np.array([8.0]), rtol=0.124, atol=0.0).index == (0,)
    assert mismatch(np.array([9.0]), np.array([8.0]), rtol=0.0, atol=1.0) is None
    # relative to the expected value, not to the one got: 1 ≤ 0.12 · 9 but 1 > 0.12 · 8
    assert mismatch(np.array([8.0]), np.array([9.0]), rtol=0.12, atol=0.0) is None
    assert mismatch(np.array([9.0]), np.array([8.0]), rtol=0.12, atol=0.0) is not None


def test_mismatch_nan_is_worst_and_labels_compare_exactly_and_shapes_are_named():
    found = mismatch(np.array([1e9, np.nan, 1.0]), np.array([0.0, 0.0, 1.0]))
    assert found.index == (1,) and found.count == 2              # NaN against a number outranks a miss of 1e9
    assert mismatch(np.array([np.nan, -np.inf]), np.array([np.nan, -np.inf])) is None
    assert mismatch(np.array([np.inf]), np.array([-np.inf])).index == (0,)
    found = mismatch(np.array([1, 2, 3]), np.array([1, 5, 3]), rtol=1.0, atol=10.0)   # labels: no tolerance
    assert (found.index, found.got, found.expected, found.count) == ((1,), 2, 5, 1)
    found = mismatch(np.zeros((3, 3)), np.zeros(3))
    assert not found.same_shape and (found.index, found.got, found.expected) == ((), (3, 3), (3,))
    found = mismatch(np.array(1.0), np.array(2.0))                 # 0-d: one entry, the shapes agree
    assert found.same_shape and (found.index, found.got, found.expected) == ((), 1.0, 2.0)


# ---- backward against finite differences ------------------------------------------------------

def _square(r, factor):
    """r² as a recorded op whose backward says factor·r (2 is right)."""
    r = r if isinstance(r, mg.Tensor) else mg.Tensor(r)
    return mg.record(r.data ** 2, (r,), lambda g, out: (g * factor * r,), "square")


def test_finite_difference_mismatch_names_input_index_and_both_values():
    x = np.array([0.5, -1.0, 2.0])
    assert finite_difference_mismatch(lambda a: _square(a, 2.0).sum(), [x]) is None
    reason = finite_difference_mismatch(lambda a: _square(a, 3.0).sum(), [x])
    # backward 3x, finite differences 2x: the worst entry is x = 2 (6 against 4)
    assert reason.startswith("gradient of input 0 (shape (3,)) is wrong at index (2,): backward gives 6, "
                             "finite differences give 4"), reason
    # only the arguments in wrt are checked: a wrong gradient for the second goes unseen with wrt=(0,)
    two = [x, x.copy()]
    def second_wrong(a, b):
        return (a * a).sum() + _square(b, 3.0).sum()
    assert finite_difference_mismatch(second_wrong, two, wrt=(0,)) is None
    assert finite_difference_mismatch(second_wrong, two, wrt=(1,)) is not None
    assert finite_difference_mismatch(second_wrong, two, wrt=(0, 1)) is not None


# ---- check's closed-form line goes through mismatch ------------------------------------------

def _square_loss(pred, target):
    return (pred - target) ** 2


def _partly_wrong_gradient(r):
    """2r, given only for |r| ≤ 1 (NaN elsewhere), and 1 too high above r = 0.5."""
    return np.where(np.abs(r) <= 1.0, 2 * r + (r > 0.5), np.nan)


def test_closed_form_line_names_the_worst_point_and_counts_only_where_the_form_is_given():
    result = losses.check(make_info(_square_loss, kind="regression", gradient=_partly_wrong_gradient), verbose=False)
    # the axis is linspace(−3, 3, 41), step 0.15, without 0 (a kink): 12 points with |r| ≤ 1, of which
    # 0.6, 0.75 and 0.9 lie above 0.5; the miss of 1 counts most against the smallest closed form, at 0.6
    assert result["closed_form"].detail == ("at residual ŷ − y = 0.6 the closed form gives 2.2, backward gives 1.2 "
                                            "(3 of 12 points disagree)")


# ---- one machinery: a fault planted in the comparison reaches check and the grader ----------

def _huber_missing_half(pred, target, delta=1.0):
    r = (target - pred).abs()
    return mg.where(r <= delta, r ** 2, delta * r - 0.5 * delta ** 2)


def _both_verdicts():
    wrong_closed_form = make_info(_square_loss, kind="regression", gradient=lambda r: -2 * r)
    return (losses.check(wrong_closed_form, verbose=False)["closed_form"].status,
            grade("huber", _huber_missing_half, verbose=False)["values"].status)


def test_check_and_the_grader_share_the_comparison(monkeypatch):
    assert "huber" in EXERCISES
    assert _both_verdicts() == ("FAIL", "FAIL")
    # the planted fault: compare sees every pair of results as matching
    monkeypatch.setattr(compare, "_excess", lambda got, expected, rtol, atol: np.full(np.shape(got), -1.0))
    assert _both_verdicts() == ("pass", "pass")

