"""losses.check: it passes every built-in loss and names each fault planted in a sample loss.

Each planted loss below is a mistake a student could make; `check` must fail it on the
right line, with a reason, and pass every other line that the fault does not touch.
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import losses
import minigrad as mg
from lessons.__main__ import main as lessons_main
from losses.workbench.cli import main as cli_main
from losses.workbench.registry import BUILTIN_NAMES, make_info

ROOT = Path(__file__).resolve().parent.parent


def _failed(result):
    return {line.key for line in result.lines if line.failed}


def _numbers_after(text, marker):
    return float(text.split(marker)[1].split()[0].rstrip(",;()"))


# ---- planted faults: the four of the issue, each named in the report ------------------

def _square_with_wrong_gradient(r):
    """r² as a custom primitive whose backward says 3r instead of 2r."""
    def backward(g, out):
        return (g * 3.0 * r,)              # the planted fault: d(r²)/dr is 2r
    return mg.record(r.data ** 2, (r,), backward, "square")


def wrong_primitive(pred, target):
    return _square_with_wrong_gradient(pred - target)


def test_wrong_custom_primitive_gradient_is_named():
    result = losses.check(wrong_primitive, kind="regression", verbose=False)
    assert _failed(result) == {"gradient", "kinks"}
    detail = result["gradient"].detail
    assert "backward disagrees with finite differences" in detail
    # at a residual r the backward gives 3r, finite differences 2r: the ratio is 1.5
    backward, numerical = _numbers_after(detail, "backward gives "), _numbers_after(detail, "finite differences give ")
    assert backward == pytest.approx(1.5 * numerical, rel=1e-4)


def test_wrong_closed_form_fails_with_both_values():
    def square(pred, target):
        return (pred - target) ** 2
    result = losses.check(losses.workbench.registry.make_info(square, kind="regression", gradient=lambda r: -2 * r),
                          verbose=False)
    assert _failed(result) == {"closed_form"}
    detail = result["closed_form"].detail
    # the sign is flipped: at every residual r the closed form gives -2r and backward 2r
    closed, backward = _numbers_after(detail, "closed form gives "), _numbers_after(detail, "backward gives ")
    assert closed == pytest.approx(-backward) and backward != 0
    x = _numbers_after(detail, "residual ŷ − y = ")
    assert backward == pytest.approx(2 * x)


def flattened_square(pred, target):
    """r² − |r|: flatter near 0, but negative for 0 < |r| < 1 (r = 0.5 gives 0.25 − 0.5 = −0.25)."""
    r = pred - target
    return r ** 2 - r.abs()


def test_negative_values_are_named():
    result = losses.check(flattened_square, kind="regression", verbose=False)
    assert "non_negative" in _failed(result)
    assert "below 0" in result["non_negative"].detail
    # the lowest value of r² − |r| is −0.25 (at |r| = 0.5); random residuals land near it
    assert -0.25 <= _numbers_after(result["non_negative"].detail, "reaches ") < -0.2


def ignores_reduction(pred, target, reduction="mean"):
    """Takes `reduction` (so register leaves it to the loss) but always returns the mean."""
    return ((pred - target) ** 2).mean()


def test_ignored_reduction_is_named():
    # registered, it is stopped at the first call with reduction="none": one line, naming the loss
    result = losses.check(ignores_reduction, kind="regression", verbose=False)
    assert _failed(result) == {"calls"} and [line.key for line in result.lines] == ["calls"]
    detail = result["calls"].detail
    assert "ignores_reduction:" in detail and "ignored" in detail
    # used as it is (as the built-ins are), the reductions line catches it
    result = losses.check(_unwrapped(ignores_reduction, "regression"), verbose=False)
    assert _failed(result) == {"reductions", "shapes", "empty"}
    assert "ignored" in result["reductions"].detail


# ---- more faults ---------------------------------------------------------------------

def naive_contrastive(x1, x2, y, margin=1.0):
    """The contrastive loss with a plain square root: its slope is infinite at D = 0."""
    D = ((x1 - x2) ** 2).sum(axis=1).sqrt()          # the planted fault: sqrt'(0) = inf, times 0 = nan
    return (1 - y) * D ** 2 + y * mg.relu(margin - D) ** 2


def test_nan_at_zero_distance_is_caught():
    result = losses.check(naive_contrastive, kind="pairs", verbose=False)
    assert _failed(result) == {"extremes"}
    assert "zero distance" in result["extremes"].detail


def float64_leak(pred, target):
    return (pred - target) ** 2 * mg.Tensor(np.ones(pred.shape))      # float64 whatever pred is


def test_float64_leak_is_caught():
    result = losses.check(float64_leak, kind="regression", verbose=False)
    assert _failed(result) == {"float32"} and "float64" in result["float32"].detail


def shifted_square(pred, target):
    """(r − 1)²: zero at r = 1, so a perfect prediction (r = 0) is not the best one."""
    return (pred - target - 1.0) ** 2


def test_not_minimal_at_a_perfect_fit_fails():
    assert "perfect_fit" in _failed(losses.check(shifted_square, kind="regression", verbose=False))


def test_nonzero_at_a_perfect_fit_warns():
    def lifted(pred, target):
        return (pred - target) ** 2 + 0.1            # minimal at a perfect fit, but worth 0.1 there
    result = losses.check(lifted, kind="regression", verbose=False)
    line = result["perfect_fit"]
    assert line.status == "warn" and result.passed
    assert _numbers_after(line.detail, "(value ") == pytest.approx(0.1)
    assert "1 warned" in result.report().splitlines()[-1]


def test_a_loss_that_is_not_a_tensor_stops_early():
    def returns_a_number(pred, target):
        return float(np.mean((pred.data - target.data) ** 2))
    result = losses.check(returns_a_number, kind="regression", verbose=False)
    assert [line.key for line in result.lines] == ["calls"] and not result.passed
    assert "not a minigrad Tensor" in result["calls"].detail


def test_a_formula_that_reduces_early_is_told_why():
    def mean_square(pred, target):
        return ((pred - target) ** 2).mean()
    result = losses.check(mean_square, kind="regression", verbose=False)
    assert _failed(result) == {"calls"}
    assert "returned a single number" in result["calls"].detail


def _unwrapped(fn, kind):
    """An entry used as it is, as the built-in losses are: the checker sees what the loss itself does."""
    return make_info(fn, kind=kind, builtin=True)


def test_silent_broadcast_is_caught():
    def broadcasting_mse(pred, target, reduction="mean"):
        return losses.reduce.apply((mg.wrap(pred) - mg.wrap(target)) ** 2, reduction, fn="broadcasting_mse")
    result = losses.check(_unwrapped(broadcasting_mse, "regression"), verbose=False)
    assert _failed(result) == {"shapes", "empty"}
    assert "silently broadcast" in result["shapes"].detail and "(4, 4)" in result["shapes"].detail
    assert "losses.validate.nonempty" in result["empty"].detail


def test_report_is_printed_and_readable(capsys):
    result = losses.check(shifted_square, kind="regression")
    printed = capsys.readouterr().out
    assert printed.strip() == result.report().strip()
    assert "[FAIL] zero at a perfect fit" in printed
    # 12 lines: two skips (no closed form, no parameter) and a note
    assert printed.strip().splitlines()[-1] == "8 passed, 0 warned, 1 failed"


# ---- every built-in loss passes, and the lines say what the mathematics says ----------

@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_builtin_loss_passes(name):
    result = losses.check(name, verbose=False)
    assert result.passed, result.report()
    assert [line.key for line in result.lines] == [
        "gradient", "closed_form", "kinks", "extremes", "non_negative", "perfect_fit", "shapes", "empty",
        "reductions", "float32", "robust", "ranges"]
    assert "well" not in result.report()             # no line that can only warn
    expected = "skip" if losses.get(name).gradient is None else "pass"
    assert result["closed_form"].status == expected


# bounded gradient as the error grows, in the variable the kind names: |d/dr| of r² is 2|r|
# (grows), of |r| is 1, of Huber min(|r|, δ), log cosh' = tanh; for classification the
# variable is the model's output z whatever the loss takes: dBCE/dz = σ(z) − 1 whether p or z
# is given; hinge's slope is −1, squared hinge's −2(1 − m) grows; the similar branch of
# contrastive D² has slope 2D; triplet's slope in d(a,p) is 1.
ROBUST = {"mse": False, "mae": True, "huber": True, "log_cosh": True,
          "binary_cross_entropy": True, "binary_cross_entropy_with_logits": True, "focal": True,
          "categorical_cross_entropy": True, "cross_entropy": True, "softmax_focal": True,
          "hinge": True, "squared_hinge": False, "multiclass_hinge": True,
          "contrastive": False, "triplet": True, "batch_triplet": True}


@pytest.mark.parametrize("name, robust", sorted(ROBUST.items()))
def test_robust_line_matches_the_mathematics(name, robust):
    line = losses.check(name, verbose=False)["robust"]
    assert line.status == "note"
    assert line.detail.startswith("yes" if robust else "no"), line.detail
    assert "Hampel" in line.detail                                    # the reference


@pytest.mark.parametrize("probabilities, logits", [("binary_cross_entropy", "binary_cross_entropy_with_logits"),
                                                   ("categorical_cross_entropy", "cross_entropy")])
def test_one_verdict_whatever_the_parametrisation(probabilities, logits):
    # the same loss from probabilities or from logits: one verdict, measured in the same named variable
    a = losses.check(probabilities, verbose=False)["robust"].detail
    b = losses.check(logits, verbose=False)["robust"].detail
    assert a.split(":")[0] == b.split(":")[0] == "yes"
    assert "margin z" in a and ("p = σ(z)" in a or "p = softmax(z, 0, 0)" in a)
    assert "margin z" in b
    assert "residual r = ŷ − y" in losses.check("mse", verbose=False)["robust"].detail


def test_penalties_have_no_outliers():
    line = losses.check("l2_penalty", verbose=False)["robust"]
    assert line.status == "skip" and "penalty" in line.detail


def test_kinks_only_where_the_kind_declares_them():
    @losses.register(kind="regression")
    def pinball(pred, target, tau=0.9):
        r = target - pred
        return mg.maximum(tau * r, (tau - 1) * r)
    try:
        kinks = losses.check("pinball", verbose=False)["kinks"].detail
        assert kinks == "residuals within 1e-3 of 0"                # τ = 0.9 places no kink
    finally:
        losses.unregister("pinball")
    assert "±0.5" in losses.check("huber", delta=0.5, verbose=False)["kinks"].detail        # δ does
    assert "0.5" in losses.check("multiclass_hinge", margin=0.5, verbose=False)["kinks"].detail  # a margin does
    assert "0.9" not in losses.check("focal", alpha=0.9, verbose=False)["kinks"].detail      # α does not


def test_label_smoothing_warns_at_a_perfect_fit():
    # smoothed targets (0.9333, 0.0333, 0.0333) for ε = 0.1, C = 3: the lowest reachable
    # cross-entropy is their entropy, 0.9333·log(1/0.9333) + 2·0.0333·log(30) ≈ 0.291 > 0
    result = losses.check("cross_entropy", label_smoothing=0.1, verbose=False)
    assert result.passed and result["perfect_fit"].status == "warn"
    assert 0.291 <= _numbers_after(result["perfect_fit"].detail, "(value ") < 0.35


def test_parameters_are_used():
    # Huber with δ = 0.5 caps the gradient at 0.5: the robust line shows it
    assert "0.5, 0.5, 0.5, 0.5" in losses.check("huber", delta=0.5, verbose=False)["robust"].detail
    with pytest.raises(ValueError, match="unknown parameter"):
        losses.check("huber", beta=1.0, verbose=False)


# ---- the command line: the report, and the exit code --------------------------------

def test_cli_check_exit_codes(capsys):
    assert lessons_main(["check", "huber", "--param", "delta=2"]) == 0
    assert "huber(pred, target, delta=2)" in capsys.readouterr().out
    losses.register(ignores_reduction, kind="regression")
    try:
        assert cli_main(["check", "ignores_reduction"]) == 1
    finally:
        losses.unregister("ignores_reduction")
    assert cli_main(["check", "no_such_loss"]) == 2
    assert cli_main(["check", "mse", "--import", "no_such_file.py"]) == 2
    assert "no file no_such_file.py" in capsys.readouterr().err


STUDENT = '''
import losses
import minigrad as mg


@losses.register(kind="regression")
def pseudo_huber(pred, target, delta=1.0):
    r = pred - target
    return delta ** 2 * (((r / delta) ** 2 + 1).sqrt() - 1)


@losses.register(kind="regression")
def careless(pred, target, reduction="mean"):
    return ((pred - target) ** 2).mean()
'''


def run_from(folder, *args, module="lessons"):
    """python -m MODULE ARGS from `folder`, with the repository importable as an installed package is."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", module, *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)


def test_cli_check_from_any_folder_with_a_relative_import(tmp_path):
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "my_loss.py").write_text(textwrap.dedent(STUDENT))
    ok = run_from(tmp_path / "work", "check", "pseudo_huber", "--import", "my_loss.py")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "every check holds" in ok.stdout
    # from the folder above, the path is work/my_loss.py; through the workbench's own entry point
    bad = run_from(tmp_path, "check", "careless", "--import", "work/my_loss.py", module="losses.workbench")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "[FAIL] returns a loss tensor" in bad.stdout and "is the reduction argument ignored?" in bad.stdout


# ---- issue 16: the slips a new user made writing a pinball and a Cauchy loss -------------

def pinball(pred, target, tau=0.5):
    """Pinball (quantile) loss: τ·r above, (τ − 1)·r below, r = y − ŷ."""
    r = target - pred
    return mg.maximum(tau * r, (tau - 1) * r)


def cauchy(pred, target, c=1.0):
    """Cauchy loss log(1 + (r/c)²): its gradient 2r/(c² + r²) falls back to 0 for outliers."""
    r = (pred - target) / c
    return (1.0 + r * r).log()


def _check(fn, **options):
    return losses.check(make_info(fn, **{"kind": "regression", **options}), verbose=False)


def test_the_pinball_and_cauchy_examples_pass():
    result = _check(pinball, ranges={"tau": (0.0, 1.0)})
    assert result.passed, result.report()
    # |d/dŷ| is τ above the target and 1 − τ below: bounded on both sides
    assert result["robust"].detail.startswith("yes") and "both sides" in result["robust"].detail
    assert result["ranges"].status == "pass" and "tau = 0, tau = 1" in result["ranges"].detail
    result = _check(cauchy, gradient=lambda r, c=1.0: 2 * r / (c ** 2 + r ** 2))
    assert result.passed and result["closed_form"].status == "pass", result.report()
    # 2r/(1 + r²) at r = 10: 20/101 = 0.198, then smaller: bounded (redescending)
    assert result["robust"].detail.startswith("yes") and "0.198" in result["robust"].detail


def test_robustness_is_measured_on_both_signs():
    def mae_above_mse_below(pred, target):
        r = pred - target
        return mg.where(r.data > 0, r.abs(), r * r)
    line = _check(mae_above_mse_below)["robust"]
    # before: only r > 0 was tried, where the slope is 1, and the verdict was "yes"
    assert line.detail.startswith("no") and "for r < 0, below the target" in line.detail
    assert "r < 0: 2, 20, 200, 2e+03" in line.detail            # |d(r²)/dr| = 2|r|
    assert "r > 0: 1, 1, 1, 1" in line.detail


def test_a_worse_fit_scoring_lower_fails_the_perfect_fit_line():
    def wrong_sign_pinball(pred, target, tau=0.5):
        r = target - pred
        return mg.maximum(tau * r, (1 - tau) * r)                # (1 − τ) for (τ − 1): negative below
    result = _check(wrong_sign_pinball)
    line = result["perfect_fit"]
    # before: "[pass] 0 at a perfect fit ... worse fits give -0.5"; the fit 1 above the target
    # gives r = −1 everywhere: max(−0.5, −0.5) = −0.5
    assert line.status == "FAIL" and "a worse fit scores -0.5, lower than the perfect fit (0)" in line.detail
    assert "non_negative" in _failed(result)


def test_the_declared_range_is_swept():
    # τ up to 1.5 lets the loss go below 0 on one side: (τ − 1)·r with τ − 1 = 0.5 and r < 0
    result = _check(pinball, name="pinball_too_wide", ranges={"tau": (0.0, 1.5)})
    assert _failed(result) == {"ranges"}
    assert result["ranges"].detail.startswith("at tau = 1.5, an end of its range: the loss reaches")
    assert "below 0" in result["ranges"].detail
    assert _check(pinball)["ranges"].status == "skip"           # nothing declared: nothing swept
    assert "ranges=" in _check(pinball)["ranges"].detail


def test_the_broadcasting_slip_stops_check_at_the_first_call():
    def broadcast_square(pred, target):
        return (pred.reshape(-1, 1) - target) ** 2
    result = _check(broadcast_square)
    # before: "[pass] reductions "none" keeps (6, 6)", and numpy's "operands could not be broadcast"
    assert [line.key for line in result.lines] == ["calls"] and not result.passed
    assert "broadcast_square: the formula returned shape (6, 6) for pred of shape (6,); expected (6,)" \
        in result["calls"].detail
    # a loss used as it is (not wrapped by register) is caught on the reductions line
    def broadcasting_builtin(pred, target, reduction="mean"):
        return losses.reduce.apply((mg.wrap(pred).reshape(-1, 1) - mg.wrap(target)) ** 2, reduction, "b")
    line = losses.check(_unwrapped(broadcasting_builtin, "regression"), verbose=False)["reductions"]
    assert line.status == "FAIL" and 'reduction="none" gave shape (6, 6)' in line.detail and "(N, N)" in line.detail


def test_the_triplet_formula_summed_over_the_samples_fails():
    def summed_over_samples(anchor, positive, negative, margin=1.0):
        d_ap = ((anchor - positive) ** 2).sum(axis=0)
        d_an = ((anchor - negative) ** 2).sum(axis=0)
        return mg.relu(d_ap - d_an + margin)
    # before: it passed every line
    result = losses.check(make_info(summed_over_samples, kind="triplets"), verbose=False)
    assert _failed(result) == {"calls"} and "expected (6,)" in result["calls"].detail


@pytest.mark.parametrize("gradient, error, match", [
    (lambda r: mg.Tensor(2 * r), "TypeError", "returned a minigrad Tensor"),
    (lambda r: (2 * r)[:3], "ValueError", r"returned shape (3,) for x of shape"),
])
def test_a_closed_form_of_the_wrong_type_or_shape_fails_its_line_naming_the_loss(gradient, error, match):
    def square(pred, target):
        return (pred - target) ** 2
    result = _check(square, gradient=gradient)
    assert _failed(result) == {"closed_form"}
    detail = result["closed_form"].detail
    assert detail.startswith(f"raised {error}: square: the closed-form gradient") and match in detail


def test_a_bool_formula_and_a_single_tensor_penalty_fail_with_their_hints():
    def above(pred, target):
        return pred > target
    result = _check(above)
    assert _failed(result) == {"calls"} and "mg.where" in result["calls"].detail

    def single_l2(params, lam=0.1):
        return lam * (params ** 2).sum()
    result = losses.check(make_info(single_l2, kind="penalty"), verbose=False)
    assert _failed(result) == {"calls"} and "single_l2:" in result["calls"].detail
    assert "list of tensors" in result["calls"].detail
