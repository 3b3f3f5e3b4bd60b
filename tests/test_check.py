"""losses.check: it passes every built-in loss and catches faults planted in sample losses.

Each planted loss below is a mistake a student could make; `check` must fail it on the
right line, with a reason, and pass every other line that the fault does not touch.
"""
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import losses
import minigrad as mg
from lessons.__main__ import main as lessons_main
from losses import _checks, _reduce
from losses.registry import BUILTIN_NAMES

ROOT = Path(__file__).resolve().parent.parent


# ---- planted faults -------------------------------------------------------------------

def _square_with_wrong_gradient(r):
    """r² as a custom primitive whose backward says 3r instead of 2r."""
    def backward(g, out):
        return (g * 3.0 * r,)              # the planted fault: d(r²)/dr is 2r
    return mg.record(r.data ** 2, (r,), backward, "square")


def wrong_gradient(pred, target, reduction="mean"):
    pred, target = _checks.same_shape(pred, target, fn="wrong_gradient")
    return _reduce.apply(_square_with_wrong_gradient(pred - target), reduction, fn="wrong_gradient")


def naive_contrastive(x1, x2, y, margin=1.0, reduction="mean"):
    """The contrastive loss with a plain square root: its slope is infinite at D = 0."""
    x1, x2 = _checks.same_shape(x1, x2, fn="naive_contrastive", names=("x1", "x2"))
    y = _checks.as_tensor(y, "naive_contrastive", "y", like=x1)
    _checks.per_sample(y, x1.shape[0], "naive_contrastive", "y")
    D = ((x1 - x2) ** 2).sum(axis=1).sqrt()          # the planted fault: sqrt'(0) = inf, times 0 = nan
    return _reduce.apply((1 - y) * D ** 2 + y * mg.relu(margin - D) ** 2, reduction, fn="naive_contrastive")


def flattened_square(pred, target, reduction="mean"):
    """r² − |r|: flatter near 0, but negative for 0 < |r| < 1 (r = 0.5 gives 0.25 − 0.5 = −0.25)."""
    pred, target = _checks.same_shape(pred, target, fn="flattened_square")
    r = pred - target
    return _reduce.apply(r ** 2 - r.abs(), reduction, fn="flattened_square")


def broadcasting_mse(pred, target, reduction="mean"):
    """MSE without the shape check: (N, 1) against (N,) becomes an (N, N) matrix of residuals."""
    pred, target = mg.wrap(pred), mg.wrap(target)
    return _reduce.apply((pred - target) ** 2, reduction, fn="broadcasting_mse")


def float64_leak(pred, target, reduction="mean"):
    """A float64 constant tensor multiplies the loss: float32 inputs come out float64."""
    pred, target = _checks.same_shape(pred, target, fn="float64_leak")
    weights = mg.Tensor(np.ones(pred.shape))          # float64 whatever pred is
    return _reduce.apply((pred - target) ** 2 * weights, reduction, fn="float64_leak")


def shifted_square(pred, target, reduction="mean"):
    """(r − 1)²: zero at r = 1, so a perfect prediction (r = 0) is not the best one."""
    pred, target = _checks.same_shape(pred, target, fn="shifted_square")
    return _reduce.apply((pred - target - 1.0) ** 2, reduction, fn="shifted_square")


def ignores_reduction(pred, target, reduction="mean"):
    """Accepts `reduction` but always returns the mean: "none" gives one number, not N."""
    pred, target = _checks.same_shape(pred, target, fn="ignores_reduction")
    return ((pred - target) ** 2).mean()


def returns_a_number(pred, target, reduction="mean"):
    """Computes with numpy: the engine sees no graph, so nothing can be differentiated."""
    pred, target = _checks.same_shape(pred, target, fn="returns_a_number")
    return float(np.mean((pred.data - target.data) ** 2))


def _failed(result):
    return {line.key for line in result.lines if line.failed}


def test_wrong_gradient_is_caught():
    result = losses.check(wrong_gradient, kind="regression", verbose=False)
    assert not result.passed
    assert _failed(result) == {"gradient", "kinks"}
    detail = result["gradient"].detail
    assert "finite differences" in detail
    # at a residual r the backward gives 3r, finite differences 2r: the ratio is 1.5
    backward, numerical = [float(s.split()[0].rstrip(",")) for s in
                           (detail.split("backward gives ")[1], detail.split("finite differences give ")[1])]
    assert backward == pytest.approx(1.5 * numerical, rel=1e-4)


def test_nan_at_zero_distance_is_caught():
    result = losses.check(naive_contrastive, kind="pairs", verbose=False)
    assert _failed(result) == {"extremes"}
    assert "zero distance" in result["extremes"].detail
    assert "not finite" in result["extremes"].detail or "warned" in result["extremes"].detail


def test_negative_loss_is_caught():
    result = losses.check(flattened_square, kind="regression", verbose=False)
    assert "non_negative" in _failed(result)
    assert "below 0" in result["non_negative"].detail
    # the lowest value of r² − |r| is −0.25 (at |r| = 0.5); random residuals land near it
    lowest = float(result["non_negative"].detail.split("reaches ")[1].split()[0])
    assert -0.25 <= lowest < -0.2


def test_silent_broadcast_is_caught():
    result = losses.check(broadcasting_mse, kind="regression", verbose=False)
    assert _failed(result) == {"shapes"}
    assert "silently broadcast" in result["shapes"].detail
    assert "(4, 4)" in result["shapes"].detail          # N = 4 rows against 4 entries


def test_float64_leak_is_caught():
    result = losses.check(float64_leak, kind="regression", verbose=False)
    assert _failed(result) == {"float32"}
    assert "float64" in result["float32"].detail


def test_not_minimal_at_a_perfect_fit_is_caught():
    result = losses.check(shifted_square, kind="regression", verbose=False)
    assert "perfect_fit" in _failed(result)


def test_ignored_reduction_is_caught():
    result = losses.check(ignores_reduction, kind="regression", verbose=False)
    assert _failed(result) == {"reductions"}
    assert "ignored" in result["reductions"].detail


def test_a_loss_that_is_not_a_tensor_stops_early():
    result = losses.check(returns_a_number, kind="regression", verbose=False)
    assert [line.key for line in result.lines] == ["calls"] and not result.passed
    assert "not a minigrad Tensor" in result["calls"].detail


def test_a_loss_without_reduction_argument_can_pass():
    def mean_square(pred, target):
        pred, target = _checks.same_shape(pred, target, fn="mean_square")
        return ((pred - target) ** 2).mean()
    result = losses.check(mean_square, kind="regression", verbose=False)
    assert result.passed and result["reductions"].status == "skip"
    # per-sample gradient at unit-scale inputs: 2·(ŷ − y) with ŷ − y ~ N(0, 2), RMS ≈ 2·√2 ≈ 2.8
    rms = float(result["well_scaled"].detail.split("per-sample gradient ")[1].split()[0])
    assert 2.0 < rms < 3.6


def test_report_is_printed_and_readable(capsys):
    result = losses.check(broadcasting_mse, kind="regression")
    printed = capsys.readouterr().out
    assert printed.strip() == result.report().strip()
    assert "[FAIL] shape mismatch raises" in printed
    assert printed.strip().splitlines()[-1].startswith("7 passed, 1 failed")


# ---- every built-in loss passes, and the notes say what the mathematics says ----------

@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_builtin_loss_passes(name):
    result = losses.check(name, verbose=False)
    assert result.passed, result.report()
    assert {line.key for line in result.lines} == {
        "gradient", "kinks", "extremes", "non_negative", "perfect_fit", "shapes", "reductions",
        "float32", "well_scaled", "robust"}


# bounded gradient as the error grows: |d/dr| of r² is 2|r| (grows), of |r| is 1, of Huber
# min(|r|, δ); d/dz softplus(-z) → -1; hinge's slope is -1, squared hinge's -2(1 - m) grows;
# the similar branch of contrastive D² has slope 2D; triplet's slope in d(a,p) is 1;
# L1 λ·sign(w) is bounded, L2 2λw is not; log cosh' = tanh is bounded.
ROBUST = {"mse": False, "mae": True, "huber": True, "log_cosh": True,
          "binary_cross_entropy_with_logits": True, "hinge": True, "squared_hinge": False,
          "contrastive": False, "triplet": True, "l1_penalty": True, "l2_penalty": False,
          "cross_entropy": True, "binary_cross_entropy": False}


@pytest.mark.parametrize("name, robust", sorted(ROBUST.items()))
def test_robust_line_matches_the_mathematics(name, robust):
    detail = losses.check(name, verbose=False)["robust"].detail
    assert detail.startswith("yes" if robust else "no"), detail


def test_label_smoothing_is_minimal_but_not_zero_at_a_perfect_fit():
    # smoothed targets (0.9333, 0.0333, 0.0333) for ε = 0.1, C = 3: the lowest reachable
    # cross-entropy is their entropy, 0.9333·log(1/0.9333) + 2·0.0333·log(30) ≈ 0.291 > 0
    line = losses.check("cross_entropy", label_smoothing=0.1, verbose=False)["perfect_fit"]
    assert line.status == "pass" and "not 0" in line.detail
    best = float(line.detail.split("value ")[1].split(";")[0])
    assert 0.291 <= best < 0.35


def test_parameters_are_used():
    # Huber with δ = 0.5 caps the gradient at 0.5: the robust line shows it
    detail = losses.check("huber", delta=0.5, verbose=False)["robust"].detail
    assert "0.5, 0.5, 0.5, 0.5" in detail
    with pytest.raises(ValueError, match="unknown parameter"):
        losses.check("huber", beta=1.0, verbose=False)


# ---- the command line: the report, and the exit code --------------------------------

def test_cli_check_exit_codes(capsys):
    assert lessons_main(["check", "huber", "--param", "delta=2"]) == 0
    assert "huber(pred, target, delta=2)" in capsys.readouterr().out
    losses.register(broadcasting_mse, kind="regression")
    try:
        assert lessons_main(["check", "broadcasting_mse"]) == 1
    finally:
        losses.unregister("broadcasting_mse")
    assert lessons_main(["check", "no_such_loss"]) == 2


def test_cli_check_in_a_subprocess(tmp_path):
    student = tmp_path / "student_loss.py"
    student.write_text(textwrap.dedent("""
        import losses
        import minigrad as mg

        @losses.register(kind="regression")
        def careless_mse(pred, target, reduction="mean"):
            return ((mg.wrap(pred) - mg.wrap(target)) ** 2).mean()
    """))
    def run(*args):
        return subprocess.run([sys.executable, "-m", "lessons", *args], cwd=ROOT,
                                           capture_output=True, text=True, timeout=120)
    ok = run("check", "mse")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "every check holds" in ok.stdout
    bad = run("check", "careless_mse", "--import", str(student))
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "[FAIL] shape mismatch raises" in bad.stdout
