"""`python -m lessons explore NAME`: both figures for every built-in loss and for a new one."""
import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import losses
from lessons import _common, explore
from lessons.__main__ import main as lessons_main
from lessons.__main__ import parse_param
from losses import _checks, _reduce
from losses.registry import BUILTIN_NAMES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def out(tmp_path):
    previous = _common.output_dir()
    _common.set_output_dir(tmp_path)
    yield tmp_path
    _common.set_output_dir(previous)


def _written(folder, name):
    files = {p.name: p.stat().st_size for p in folder.glob(f"explore_{name}_*.png")}
    assert set(files) == {f"explore_{name}_curves.png", f"explore_{name}_convergence.png"}
    assert all(size > 5_000 for size in files.values()), files


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_explore_every_builtin(name, out, capsys):
    report = explore.explore(name, quick=True)
    _written(out, name)
    assert report.numbers and all(np.isfinite(v) for v in report.numbers.values())
    assert f"== explore {name}" in capsys.readouterr().out


def test_explore_a_newly_registered_loss(out):
    @losses.register(kind="binary", input="score", gradient=lambda m: -np.exp(-m))
    def exponential(scores, target, reduction="mean"):
        """Exponential loss exp(-y·f(x)) (AdaBoost), labels in {-1, +1}."""
        scores, target = _checks.same_shape(scores, target, fn="exponential", names=("scores", "target"))
        return _reduce.apply((-(scores * target)).exp(), reduction, fn="exponential")
    try:
        report = explore.explore("exponential", quick=True)
        _written(out, "exponential")
        # a model trained on the exponential loss learns the two moons better than chance
        assert report.numbers["exponential"] > 0.6
    finally:
        losses.unregister("exponential")


def test_parameters_reach_the_loss(out):
    report = explore.explore("huber", quick=True, delta=0.5)
    assert "huber(delta=0.5)" in report.numbers
    with pytest.raises(ValueError, match="unknown parameter"):
        explore.explore("huber", quick=True, beta=2.0)


def test_robust_loss_beats_mse_on_outliers(out):
    # the line has 10% outliers pushed up by 12 or more: MAE's fit stays near the true line
    report = explore.explore("mae", quick=True)
    assert report.numbers["mae"] < report.numbers["mse (reference)"]


def test_parse_param():
    assert parse_param("delta=0.5") == ("delta", 0.5)
    assert parse_param("alpha=None") == ("alpha", None)
    assert parse_param("squared=True") == ("squared", True)
    assert parse_param("mining=semi-hard") == ("mining", "semi-hard")


def test_cli_explore(tmp_path, capsys):
    assert lessons_main(["explore", "huber", "--param", "delta=2", "--quick", "--out", str(tmp_path)]) == 0
    _written(tmp_path, "huber")
    assert lessons_main(["explore", "no_such_loss", "--quick", "--out", str(tmp_path)]) == 2
    assert lessons_main(["explore", "huber", "--param", "beta=1", "--quick", "--out", str(tmp_path)]) == 2
    assert "unknown parameter beta" in capsys.readouterr().err


def test_cli_explore_in_a_subprocess(tmp_path):
    done = subprocess.run([sys.executable, "-m", "lessons", "explore", "triplet", "--param", "margin=0.5",
                           "--quick", "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    _written(tmp_path, "triplet")


def test_the_lesson_runner_still_works(tmp_path):
    listing = subprocess.run([sys.executable, "-m", "lessons"], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
    assert listing.returncode == 0 and "01" in listing.stdout


def test_template_runs_end_to_end(out, capsys):
    """lessons/your_own_loss.py (not numbered, so `all` skips it) in quick mode, like a lesson."""
    module = importlib.import_module("lessons.your_own_loss")
    report = module.main(quick=True)
    printed = capsys.readouterr().out
    assert report.checks
    for check in report.checks:
        assert check.claim in printed
        assert check.ok, f"{check.claim} ({check.detail})"
    assert {p.name for p in report.figures} == {f"{f}.png" for f in module.FIGURES}
    for figure in module.FIGURES:
        assert (out / f"{figure}.png").stat().st_size > 5_000
    # both losses are in the catalogue now, and the command line can check them
    assert {"my_log_cosh", "mse_mae_blend"} <= set(losses.catalogue())
    assert lessons_main(["check", "my_log_cosh"]) == 0
    assert lessons_main(["check", "mse_mae_blend", "--param", "weight=0.2"]) == 0


def test_cli_lists_the_catalogue_and_imports_modules(capsys):
    assert lessons_main(["losses"]) == 0
    listing = capsys.readouterr().out
    for name in BUILTIN_NAMES:
        assert f"  {name} " in listing
    # a dotted module name works as well as a file path
    assert lessons_main(["losses", "--import", "lessons.your_own_loss"]) == 0
    assert "my_log_cosh" in capsys.readouterr().out
