"""losses.explore and `python -m lessons explore NAME`: figures for every loss, returned, saved when asked.

Also the interactive figure (sliders, moved headless on Agg), the template notebook run as a
script from another folder, and what the workbench may import and name.
"""
import ast
import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import losses
import minigrad as mg
from lessons.__main__ import main as lessons_main
from losses.workbench import explorer
from losses.workbench.cli import main as cli_main
from losses.workbench.cli import parse_param
from losses.workbench.registry import BUILTIN_NAMES

ROOT = Path(__file__).resolve().parent.parent
matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _written(folder, stem):
    for figure in ("curves", "convergence"):
        assert (folder / f"{stem}_{figure}.png").stat().st_size > 5_000, sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_explore_every_builtin(name, tmp_path, capsys):
    shown = losses.explore(name, quick=True)
    assert set(shown.figures) == {"curves", "convergence"} and not shown.paths
    assert not list(tmp_path.iterdir())                               # nothing saved unless asked
    assert shown.numbers and all(np.isfinite(v) for v in shown.numbers.values())
    assert shown.warnings == []
    printed = capsys.readouterr().out
    assert f"== explore {name}" in printed and "warning" not in printed


def test_saving_only_when_asked_with_the_parameters_in_the_names(tmp_path):
    losses.explore("huber", quick=True, out=tmp_path)
    losses.explore("huber", quick=True, out=tmp_path, delta=0.5)
    losses.explore("focal", quick=True, out=tmp_path, gamma=0.0, alpha=None)
    _written(tmp_path, "explore_huber")                               # the defaults: no parameter in the name
    _written(tmp_path, "explore_huber_delta=0.5")                     # two runs, two sets of files
    _written(tmp_path, "explore_focal_alpha=None_gamma=0.0")
    assert len(list(tmp_path.iterdir())) == 6


def test_steps(tmp_path):
    shown = losses.explore("mse", steps=7)
    assert shown.figures["convergence"].axes[1].get_lines()[0].get_xdata()[-1] == 7


def test_a_newly_registered_loss():
    @losses.register(kind="binary", input="score", gradient=lambda m: -np.exp(-m))
    def exponential(scores, target):
        """Exponential loss exp(-y·f(x)) (AdaBoost), labels in {-1, +1}."""
        return (-(scores * target)).exp()
    try:
        shown = losses.explore("exponential", quick=True)
        # a model trained on the exponential loss learns the two moons better than chance
        assert shown.numbers["exponential"] > 0.6 and shown.warnings == []
    finally:
        losses.unregister("exponential")


def _square_with_wrong_gradient(r):
    def backward(g, out):
        return (g * 3.0 * r,)              # the planted fault: d(r²)/dr is 2r
    return mg.record(r.data ** 2, (r,), backward, "square")


def test_warning_lines_when_backward_or_the_closed_form_disagree(capsys):
    @losses.register(kind="regression")
    def wrong_backward(pred, target):
        return _square_with_wrong_gradient(pred - target)

    @losses.register(kind="regression", gradient=lambda r: -2 * r)
    def wrong_closed_form(pred, target):
        return (pred - target) ** 2
    try:
        shown = losses.explore("wrong_backward", quick=True)
        assert len(shown.warnings) == 1 and "backward disagrees with finite differences" in shown.warnings[0]
        # along the residual x: backward 3x, finite differences 2x
        backward = float(shown.warnings[0].split("backward gives ")[1].split(",")[0])
        numeric = float(shown.warnings[0].split("finite differences ")[2].split()[0])
        assert backward == pytest.approx(1.5 * numeric, rel=1e-4)
        shown = losses.explore("wrong_closed_form", quick=True)
        assert len(shown.warnings) == 1 and "closed-form gradient disagrees" in shown.warnings[0]
        assert "warning: the registered closed-form gradient" in capsys.readouterr().out
    finally:
        losses.unregister("wrong_backward")
        losses.unregister("wrong_closed_form")


def test_parameters_reach_the_loss():
    assert "huber(delta=0.5)" in losses.explore("huber", quick=True, delta=0.5).numbers
    with pytest.raises(ValueError, match="unknown parameter"):
        losses.explore("huber", quick=True, beta=2.0)


def test_robust_loss_beats_mse_on_outliers():
    # the line has 10% outliers pushed up by 12 or more: MAE's fit stays near the true line
    numbers = losses.explore("mae", quick=True).numbers
    assert numbers["mae"] < numbers["mse (reference)"]


def test_the_two_figures_draw_from_a_catalogue_entry():
    info = losses.get("log_cosh")
    fig, runs = explorer.convergence_figure(info, info.params, True)
    assert runs[0][0] == "log_cosh" and runs[1][0] == "mse (reference)"
    assert len(explorer.curves_figure(info, info.params, True).axes) == 3


# ---- interactive: a slider per numeric parameter, moved headless -------------------------

def test_sliders_redraw_as_the_closed_form_says():
    shown = explorer.interactive("huber")
    assert set(shown.sliders) == {"delta"}
    gradient, = shown.lines["gradient"]
    x = gradient.get_xdata()
    np.testing.assert_allclose(gradient.get_ydata(), np.clip(x, -1.0, 1.0), atol=1e-12)
    shown.sliders["delta"].set_val(0.5)
    # Huber's gradient along the residual is clip(x, -δ, δ); its loss 0.5 x² inside, δ|x| - 0.5 δ² outside
    np.testing.assert_allclose(gradient.get_ydata(), np.clip(x, -0.5, 0.5), atol=1e-12)
    expected = np.where(np.abs(x) <= 0.5, 0.5 * x ** 2, 0.5 * np.abs(x) - 0.125)
    np.testing.assert_allclose(shown.lines["loss"][0].get_ydata(), expected, atol=1e-12)
    closed, = shown.lines["closed form"]
    np.testing.assert_allclose(closed.get_ydata(), np.clip(x, -0.5, 0.5), atol=1e-12)
    assert shown.params["delta"] == 0.5 and "delta=0.5" in shown.fig._suptitle.get_text()


def test_sliders_for_several_parameters_and_none():
    shown = explorer.interactive("focal", alpha=None)
    assert set(shown.sliders) == {"gamma"}                          # alpha=None is not a number
    low, high = shown.sliders["gamma"].valmin, shown.sliders["gamma"].valmax
    assert (low, high) == (0.0, 6.0)
    shown.sliders["gamma"].set_val(0.0)
    # γ = 0, alpha=None: binary cross-entropy from logits, whose gradient along z (y = 1) is σ(z) − 1
    x = shown.lines["gradient"][0].get_xdata()
    np.testing.assert_allclose(shown.lines["gradient"][0].get_ydata(), 1 / (1 + np.exp(-x)) - 1, atol=1e-12)
    assert explorer.interactive("mse").sliders == {}
    # δ must be > 0: the slider starts just above 0
    assert 0 < explorer.interactive("huber").sliders["delta"].valmin < 0.1


def test_contrastive_sliders_move_both_curves():
    shown = explorer.interactive("contrastive")
    shown.sliders["margin"].set_val(2.0)
    similar, dissimilar = shown.lines["loss"]
    d = similar.get_xdata()
    np.testing.assert_allclose(similar.get_ydata(), d ** 2, atol=1e-12)
    np.testing.assert_allclose(dissimilar.get_ydata(), np.maximum(0, 2.0 - d) ** 2, atol=1e-12)


# ---- issue 16: sliders a student can read, and a word when training has not converged ---------

def pinball(pred, target, tau=0.5):
    r = target - pred
    return mg.maximum(tau * r, (tau - 1) * r)


def cauchy(pred, target, c=1.0):
    r = (pred - target) / c
    return (1.0 + r * r).log()


@pytest.fixture
def pinball_and_cauchy():
    losses.register(pinball, kind="regression", ranges={"tau": (0.0, 1.0)})
    losses.register(cauchy, kind="regression", gradient=lambda r, c=1.0: 2 * r / (c ** 2 + r ** 2))
    yield
    losses.unregister("pinball")
    losses.unregister("cauchy")


def test_sliders_span_the_declared_range_in_round_steps(pinball_and_cauchy):
    tau = explorer.interactive("pinball").sliders["tau"]
    # before: 0 to 3·0.5 = 1.5, where pinball goes negative; the declared range is [0, 1]
    assert (tau.valmin, tau.valmax, tau.valstep) == (0.0, 1.0, 0.01)
    c = explorer.interactive("cauchy").sliders["c"]
    assert (c.valmin, c.valmax, c.valstep) == (0.03, 3.0, 0.01)       # no range: 0 to 3·1, 0 refused: 1% in


def test_slider_titles_are_rounded(pinball_and_cauchy):
    shown = explorer.interactive("cauchy")
    shown.sliders["c"].set_val(1.99477)
    # before: the title read cauchy(c=1.99477)
    assert shown.fig._suptitle.get_text() == "cauchy(c=1.99)"
    assert shown.params["c"] == pytest.approx(1.99477)


def test_slider_axes_stay_fixed_and_reset_puts_everything_back(pinball_and_cauchy):
    shown = explorer.interactive("cauchy")
    panels = shown.fig.axes[:3]
    limits = [ax.get_ylim() for ax in panels]
    shown.sliders["c"].set_val(0.2)
    assert [ax.get_ylim() for ax in panels] == limits                 # before: rescaled on every move
    # the limits hold every curve the slider can draw (here its ends): c = 0.03 makes the
    # gradient 2r/(c² + r²) as large as 1/c at r = c; most of it is inside the 2-98% window
    gradient = shown.lines["gradient"][0].get_ydata()
    low, high = limits[1]
    assert np.mean((gradient >= low) & (gradient <= high)) > 0.9
    panels[0].set_ylim(-100, 100)                                     # a student zooms out
    shown.reset.eventson and shown.reset._observers.process("clicked", None)
    assert shown.params["c"] == 1.0 and shown.sliders["c"].val == 1.0
    assert [ax.get_ylim() for ax in panels] == limits
    assert shown.fig._suptitle.get_text() == "cauchy(c=1)"


@pytest.mark.parametrize("name", ["huber", "focal", "contrastive", "elastic_net", "cross_entropy"])
def test_the_slider_figure_fits_a_notebook_column(name):
    width, height = explorer.interactive(name).fig.get_size_inches()
    assert width <= 10 and height <= 5.5                                # before: 13 inches, 1300 px at 100 dpi


def test_convergence_note_reads_the_end_of_a_run():
    steps = np.arange(300)
    assert explorer.convergence_note("a", "error", 1 + np.exp(-steps / 10)) is None                # settled
    rising = explorer.convergence_note("a", "error", 1 + 0.01 * steps)                               # 3.69 to 3.99
    assert rising.startswith("a has not converged: error still rising at step 300 (3.69 to 3.99 over the last 30")
    swinging = explorer.convergence_note("a", "accuracy", 1 + 0.1 * (-1.0) ** steps)
    assert "still swinging at step 300 (between 0.9 and 1.1" in swinging
    assert explorer.convergence_note("a", "error", np.ones(4)) is None                               # too short to say


def test_explore_says_when_training_has_not_converged(pinball_and_cauchy, capsys):
    # the example: pinball τ = 0.9 ends behind MSE with its error still rising at step 300
    shown = losses.explore("pinball", tau=0.9)
    assert len(shown.not_converged) == 1
    note = shown.not_converged[0]
    assert note.startswith("pinball(tau=0.9) has not converged: error of (slope, intercept) still rising at step 300")
    assert note in capsys.readouterr().out
    assert "has not converged at step 300" in shown.figures["convergence"].axes[1].get_title()
    # a run that has settled says nothing: Huber's line after 300 steps
    assert losses.explore("huber").not_converged == []


def test_explore_stops_at_the_broadcasting_slip():
    @losses.register(kind="regression")
    def broadcast_square(pred, target):
        return (pred.reshape(-1, 1) - target) ** 2
    try:
        # before: it trained on the (N, N) matrix without a word
        with pytest.raises(ValueError, match=r"broadcast_square: the formula returned shape \(\d+, \d+\)"):
            losses.explore("broadcast_square", quick=True)
    finally:
        losses.unregister("broadcast_square")


# ---- the command line ------------------------------------------------------------------

def test_parse_param():
    assert parse_param("delta=0.5") == ("delta", 0.5)
    assert parse_param("alpha=None") == ("alpha", None)
    assert parse_param("squared=True") == ("squared", True)
    assert parse_param("mining=semi-hard") == ("mining", "semi-hard")


def test_cli_explore(tmp_path, capsys):
    assert lessons_main(["explore", "huber", "--param", "delta=2", "--quick", "--out", str(tmp_path)]) == 0
    _written(tmp_path, "explore_huber_delta=2")
    assert cli_main(["explore", "mse", "--steps", "5", "--out", str(tmp_path)]) == 0
    assert "after 5 steps" in capsys.readouterr().out
    assert cli_main(["explore", "no_such_loss", "--quick", "--out", str(tmp_path)]) == 2
    assert cli_main(["explore", "huber", "--param", "beta=1", "--quick", "--out", str(tmp_path)]) == 2
    assert "unknown parameter beta" in capsys.readouterr().err


def test_cli_interactive_without_a_display_writes_a_snapshot(tmp_path, capsys):
    assert cli_main(["explore", "huber", "--interactive", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "explore_huber_interactive.png").stat().st_size > 5_000
    assert "no window can open here" in capsys.readouterr().out


def run_from(folder, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, *args], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=300)


def test_cli_explore_from_any_folder(tmp_path):
    (tmp_path / "my_loss.py").write_text(textwrap.dedent('''
        import losses

        @losses.register(kind="regression")
        def pseudo_huber(pred, target, delta=1.0):
            r = pred - target
            return delta ** 2 * (((r / delta) ** 2 + 1).sqrt() - 1)
    '''))
    done = run_from(tmp_path, "-m", "lessons", "explore", "pseudo_huber", "--param", "delta=0.5",
                    "--import", "my_loss.py", "--steps", "20")
    assert done.returncode == 0, done.stdout + done.stderr
    _written(tmp_path / "plots", "explore_pseudo_huber_delta=0.5")         # ./plots of the current folder


def test_the_lesson_runner_still_works():
    listing = run_from(ROOT, "-m", "lessons")
    assert listing.returncode == 0 and "01" in listing.stdout


def test_cli_lists_the_catalogue_and_imports_modules(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                          # the template writes its figures to ./plots
    assert lessons_main(["losses"]) == 0
    listing = capsys.readouterr().out
    for name in BUILTIN_NAMES:
        assert f"  {name} " in listing
    # a dotted module name works as well as a file path
    assert cli_main(["losses", "--import", "lessons.your_own_loss"]) == 0
    assert "pseudo_huber" in capsys.readouterr().out


# ---- the template: a notebook that runs as a script from any folder ------------------------

TEMPLATE = ROOT / "lessons" / "your_own_loss.py"


def test_template_runs_as_a_script_from_another_folder(tmp_path):
    done = run_from(tmp_path, "-W", "error::RuntimeWarning", str(TEMPLATE))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "every check holds" in done.stdout
    assert "FAIL - at residual" in done.stdout                   # the planted sign slip, named
    _written(tmp_path / "plots", "explore_pseudo_huber")
    # the template's answers quote the numbers this run prints
    ours, mse = re.search(r"pseudo-Huber ([\d.]+), MSE ([\d.]+)", done.stdout).groups()
    assert f"0.{ours.split('.')[1][:3]} with δ = 1" in TEMPLATE.read_text()
    assert f"{float(mse):.2f} for MSE" in TEMPLATE.read_text()


def test_template_is_a_notebook_of_public_names():
    source = TEMPLATE.read_text()
    tree = ast.parse(source)
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert imported == {"math", "numpy", "losses", "minigrad"}
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main"]
    assert source.startswith("# %% [markdown]") and source.count("# %%\n") >= 6
    assert not re.search(r"\b_\w+", "\n".join(line for line in source.splitlines() if not line.startswith("#")))


# ---- what the workbench may import and name -----------------------------------------------

PUBLIC_TEXTS = sorted((ROOT / "losses").rglob("*.py"))


@pytest.mark.parametrize("path", PUBLIC_TEXTS, ids=[str(p.relative_to(ROOT)) for p in PUBLIC_TEXTS])
def test_losses_never_import_lessons_nor_name_a_private_module(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name.split(".")[0] == "lessons" for a in node.names), path
        if isinstance(node, ast.ImportFrom):
            assert (node.module or "").split(".")[0] != "lessons", path
    texts = [ast.get_docstring(n) or "" for n in ast.walk(tree)
             if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))]
    texts += [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    for text in texts:
        assert not re.search(r"losses[./]_\w|_checks|_reduce\b|_kinds", text), (path, text[:200])


def test_template_runs_as_a_notebook_with_sliders_in_ipympl(tmp_path, monkeypatch):
    # cell by cell in a real kernel, with `%matplotlib widget` (ipympl) first and, after the
    # slider cell, a cell that moves δ and reads the redrawn gradient back
    jupytext = pytest.importorskip("jupytext")
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    if importlib.util.find_spec("ipympl") is None:     # not imported here: importing it switches this process to its backend
        pytest.skip("ipympl is not installed")
    if "python3" not in pytest.importorskip("jupyter_client.kernelspec").find_kernel_specs():
        pytest.skip("no python3 Jupyter kernel")
    notebook = jupytext.read(TEMPLATE)
    slider_cell = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and "interactive(" in c.source)
    notebook.cells.insert(slider_cell + 1, nbformat.v4.new_code_cell(textwrap.dedent("""
        sliders.sliders["delta"].set_val(0.5)
        gradient = sliders.lines["gradient"][0]
        r = gradient.get_xdata()
        assert np.allclose(gradient.get_ydata(), r / np.sqrt(1 + (r / 0.5) ** 2))
        print(type(sliders.fig.canvas).__module__)
    """)))
    notebook.cells.insert(0, nbformat.v4.new_code_cell("%matplotlib widget"))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert "ipympl" in notebook.cells[slider_cell + 2].outputs[0]["text"]
    _written(tmp_path / "plots", "explore_pseudo_huber")
