"""Every lesson runs in quick mode: it writes each figure it promises and every printed check holds."""
import importlib

import pytest

import lessons
from lessons import _common

LESSONS = sorted(lessons.available().items())


@pytest.mark.parametrize("number, name", LESSONS, ids=[n for n, _ in LESSONS])
def test_lesson_runs_quick(number, name, tmp_path, capsys):
    _common.set_output_dir(tmp_path)
    module = importlib.import_module(f"lessons.{name}")
    report = module.main(quick=True)
    printed = capsys.readouterr().out

    assert report.lesson == name
    assert report.checks, f"lesson {name} prints no check"
    for check in report.checks:
        assert check.claim in printed
        assert check.ok, f"lesson {name}: check failed: {check.claim} ({check.detail})"
    expected = {f"{name}_{figure}.png" for figure in module.FIGURES}
    assert {p.name for p in report.figures} == expected
    for figure in expected:
        assert (tmp_path / figure).stat().st_size > 5_000, f"{figure} is (nearly) empty"


def test_figures_are_byte_stable_across_reruns(tmp_path):
    # fixed seeds and no timestamps: a rerun writes the same bytes, so plots/ only changes when a lesson does
    module = importlib.import_module("lessons.02_regression")
    for run in ("first", "second"):
        _common.set_output_dir(tmp_path / run)
        module.main(quick=True)
    first = sorted((tmp_path / "first").iterdir())
    assert first
    for path in first:
        assert path.read_bytes() == (tmp_path / "second" / path.name).read_bytes(), path.name


def test_runner_lists_runs_one_and_reports(tmp_path, capsys):
    from lessons.__main__ import main
    assert main([]) == 0
    listing = capsys.readouterr().out
    assert all(number in listing for number in lessons.available())
    assert main(["2", "--quick", "--out", str(tmp_path)]) == 0
    assert "every check holds" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"02_regression_{figure}.png" for figure in importlib.import_module("lessons.02_regression").FIGURES)


def test_quick_run_without_out_leaves_the_full_figures_alone(tmp_path, monkeypatch, capsys):
    from lessons.__main__ import main
    monkeypatch.setattr(_common, "ROOT", tmp_path)
    assert main(["2", "--quick"]) == 0
    assert len(list((tmp_path / "plots" / "quick").glob("02_regression_*.png"))) == 3
    assert not list((tmp_path / "plots").glob("*.png"))
