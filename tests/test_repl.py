"""The lessons outside Jupyter, as the README says to step through them.

- in IPython, each cell pasted with `%cpaste` (the README's REPL route: IPython takes a pasted
  cell whole, where `python -i` would stop at a dedented line right after an indented block);
- `python lessons/05_focal.py` with no display says that its figures were drawn and none saved,
  or where they were written (MINIGRAD_PLOTS).
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lessons

ROOT = Path(lessons.__file__).resolve().parent.parent
QUICK_ENV = {**os.environ, "MINIGRAD_QUICK": "1", "MPLBACKEND": "Agg",
             "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}


@pytest.mark.parametrize("number", ["05"])
def test_every_cell_pasted_into_ipython_runs(number, tmp_path):
    pytest.importorskip("IPython", reason="IPython comes with ipykernel (the test and notebooks extras)")
    name = lessons.name_of(number)
    code_cells = lessons.cells(lessons.path_of(number).read_text(encoding="utf-8"))
    typed = "".join(f"%cpaste -q\n{code.rstrip()}\n--\n" for _, code in code_cells) + "exit\n"
    result = subprocess.run([sys.executable, "-m", "IPython", "--simple-prompt", "--no-banner", "--quick",
                             "--colors=NoColor"], input=typed, cwd=tmp_path, env=QUICK_ENV,
                            capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert "Error" not in output and "Traceback" not in output, output[-3000:]
    claims = len([line for line in output.splitlines() if "[holds]" in line])
    assert claims > 5 and "[FAILS]" not in output
    assert f"{name}: {claims} of {claims} claims hold" in output, output[-2000:]


def test_a_headless_script_says_where_its_figures_went(tmp_path):
    script = [sys.executable, str(lessons.path_of("05"))]
    result = subprocess.run(script, cwd=tmp_path, env=QUICK_ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    shown = len(re.findall(r"^show\(", lessons.path_of("05").read_text(encoding="utf-8"), re.MULTILINE))
    assert f"{shown} figures drawn and none saved (no display here): `python -m lessons 05` writes them to ./plots" \
        in result.stdout.splitlines(), result.stdout[-2000:]
    assert not list(tmp_path.iterdir()), "a headless run wrote files"


def test_a_headless_script_that_saves_its_figures_says_where(tmp_path, monkeypatch, capsys):
    import matplotlib
    import matplotlib.pyplot as plt

    from lessons import helpers

    matplotlib.use("Agg")
    monkeypatch.setattr(helpers, "_run_as_script", lambda name: name == "05_focal")
    monkeypatch.setattr(helpers, "current", None)
    helpers.save_figures_to(tmp_path / "figs")
    try:
        helpers.start("05_focal")
        for name in ("one", "two"):
            helpers.show(plt.figure(), name)
        helpers.claim("k", "a claim", True)
        helpers.finish()
    finally:
        helpers.save_figures_to(None)
    assert capsys.readouterr().out.rstrip().endswith(f"2 figures written to {tmp_path / 'figs'}")
    assert sorted(p.name for p in (tmp_path / "figs").iterdir()) == ["05_focal_one.png", "05_focal_two.png"]
