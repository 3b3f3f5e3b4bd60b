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
