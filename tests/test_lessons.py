"""The lessons as students use them.

- every lesson executed as a notebook by a real Jupyter kernel, from the lessons folder, in
  quick mode: no error, an image under every cell that shows a figure, every claim holds,
  and the checkout unchanged;
- `python lessons/NN_name.py` and `python -m lessons NN` from a folder outside the repository;
- every Try-it exercise applied as its edit, with the outcome its answer states; every
  counterfactual makes the claims it names fail; no answers page is stale;
- the runner lists, runs, writes the figures byte-stably, and writes notebooks.
"""
import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lessons
from lessons import answers

ROOT = Path(lessons.__file__).resolve().parent.parent
LESSONS = sorted(lessons.available().items())
IDS = [name for _, name in LESSONS]
# PYTHONPATH: the checkout under test, even where another checkout is the one installed
QUICK_ENV = {**os.environ, "MINIGRAD_QUICK": "1", "MPLBACKEND": "Agg",
             "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}


def git_status():
    """New files anywhere and changes under plots/: what running a lesson could leave behind.

    (Edits to tracked sources are left out, so that the test can run while someone edits them.)
    """
    result = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return None
    return [line for line in result.stdout.splitlines() if line.startswith("??") or " plots/" in line]


def figure_names(name):
    """The figures a lesson's source shows (show(fig, "name")), in order."""
    return re.findall(r'^show\(fig, "([^"]+)"\)', (lessons.HERE / f"{name}.py").read_text(), re.MULTILINE)


def claim_keys(name):
    """The claim keys a lesson's source states, in order (claim("key", ...))."""
    return re.findall(r'^\s*claim\(\s*"([^"]+)"', (lessons.HERE / f"{name}.py").read_text(), re.MULTILINE)


# ---- as a notebook, with a real kernel ---------------------------------------------------------

@pytest.mark.parametrize("number, name", LESSONS, ids=IDS)
def test_lesson_runs_as_a_notebook_from_its_folder(number, name, monkeypatch):
    jupytext = pytest.importorskip("jupytext", reason="the notebook extra is part of the test extra")
    from nbclient import NotebookClient

    before = git_status()
    for key, value in QUICK_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MPLBACKEND")           # the kernel chooses its inline backend, as Jupyter does
    notebook = jupytext.read(lessons.path_of(number))
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(lessons.HERE)}}).execute()

    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    text = ""
    for cell in code_cells:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
        outputs = [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]
        if re.search(r"^show\(", cell.source, re.MULTILINE):
            assert any("image/png" in o.get("data", {}) for o in outputs), \
                f"{name}: no figure under the cell\n{cell.source[:300]}"
        text += "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert "FAILS" not in text, f"{name}: a claim fails in the notebook:\n{text}"
    assert f"{name}: " in text and "claims hold" in text, f"{name}: no finish() line"
    assert len(re.findall(r"^\[holds\]", text, re.MULTILINE)) == len(claim_keys(name))
    assert git_status() == before, f"{name}: stepping through the notebook changed the checkout"


# ---- as a script and through the runner, from outside the repository -------------------------

def test_a_lesson_runs_as_a_script_and_through_the_runner_from_another_folder(tmp_path):
    before = git_status()
    script = subprocess.run([sys.executable, str(lessons.path_of("02"))], cwd=tmp_path, env=QUICK_ENV,
                            capture_output=True, text=True, timeout=300, check=False)
    assert script.returncode == 0, script.stderr
    n = len(claim_keys("02_regression"))
    assert f"02_regression: {n} of {n} claims hold" in script.stdout
    assert not list(tmp_path.iterdir()), "a script run writes no file"

    runner = subprocess.run([sys.executable, "-m", "lessons", "02", "--quick"], cwd=tmp_path, env=QUICK_ENV,
                            capture_output=True, text=True, timeout=300, check=False)
    assert runner.returncode == 0, runner.stderr
    assert "every claim holds" in runner.stdout
    written = sorted(p.name for p in (tmp_path / "plots" / "quick").iterdir())
    assert written == sorted(f"02_regression_{n}.png" for n in figure_names("02_regression"))
    assert git_status() == before


def test_runner_lists_the_lessons_and_rejects_an_unknown_one(capsys):
    from lessons.__main__ import main
    assert main([]) == 0
    listing = capsys.readouterr().out
    assert all(f"  {number}  " in listing for number in lessons.available())
    assert "Regression losses" in listing
    assert main(["99"]) == 2
    assert "no lesson '99'" in capsys.readouterr().err


def test_figures_are_byte_stable_across_reruns(tmp_path):
    # fixed seeds and no timestamps: a rerun writes the same bytes, so plots/ changes only when a lesson does
    for run in ("first", "second"):
        lessons.run("02", quick=True, out=tmp_path / run)
    first = sorted((tmp_path / "first").iterdir())
    assert len(first) == len(figure_names("02_regression")) >= 3
    for path in first:
        assert path.read_bytes() == (tmp_path / "second" / path.name).read_bytes(), path.name


def test_notebooks_command_writes_one_ipynb_per_lesson(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from lessons.__main__ import main
    assert main(["notebooks", "--out", str(tmp_path)]) == 0
    written = sorted(p.stem for p in tmp_path.glob("*.ipynb"))
    assert written == IDS
    notebook = nbformat.read(tmp_path / "02_regression.ipynb", as_version=4)
    kinds = {c.cell_type for c in notebook.cells}
    assert kinds == {"markdown", "code"}
    assert notebook.cells[0].source.startswith("# 02 — Regression losses")


# ---- exercises, their answers, and counterfactuals --------------------------------------------

EXERCISES = [(name, e) for _, name in LESSONS for e in answers.load(name)[0]]
COUNTERFACTUALS = [(name, c) for _, name in LESSONS for c in answers.load(name)[1]]


@pytest.mark.claims
@pytest.mark.parametrize("name, counterfactual", COUNTERFACTUALS,
                         ids=[f"{n}-{'-'.join(c.fails)}" for n, c in COUNTERFACTUALS])
def test_counterfactual_makes_the_claim_fail(name, counterfactual):
    lesson = lessons.run(name, quick=True, edits=counterfactual.edit,
                         until=list(counterfactual.fails) + list(counterfactual.holds))
    for key in counterfactual.fails:
        assert not lesson[key].holds, f"{name}: {lesson[key].text} still holds under {counterfactual.edit} " \
                                      f"({lesson[key].detail}): this check cannot fail this way"
    for key in counterfactual.holds:
        assert lesson[key].holds, f"{name}: {lesson[key].text} ({lesson[key].detail})"


LIBRARY_FAULTS = [(name, f) for _, name in LESSONS for f in answers.library_faults(name)]


@pytest.mark.claims
@pytest.mark.parametrize("name, fault", LIBRARY_FAULTS,
                         ids=[f"{n}-{'-'.join(f.replace)}-{'-'.join(f.fails)}" for n, f in LIBRARY_FAULTS])
def test_a_fault_planted_in_the_library_makes_the_claim_fail(name, fault):
    with answers.planted(fault):
        lesson = lessons.run(name, quick=True, until=list(fault.fails) + list(fault.holds))
    for key in fault.fails:
        assert not lesson[key].holds, f"{name}: {lesson[key].text} still holds with {fault.replace} " \
                                      f"({lesson[key].detail}): this claim does not exercise the library"
    for key in fault.holds:
        assert lesson[key].holds, f"{name}: {lesson[key].text} ({lesson[key].detail})"


def test_a_planted_fault_is_undone_and_a_misspelt_one_is_an_error():
    import losses
    original = losses.mse
    with answers.planted(answers.LibraryFault({"losses.mse": "losses.mae"}, fails=())):
        assert losses.mse is losses.mae
    assert losses.mse is original
    with pytest.raises(AttributeError), answers.planted(answers.LibraryFault({"losses.msee": "losses.mae"}, fails=())):
        pass


@pytest.mark.claims
@pytest.mark.parametrize("number, name", LESSONS, ids=IDS)
def test_every_claim_holds_in_quick_mode_on_seeds_it_was_not_written_on(number, name):
    # the notebook test runs the default seeds (0, 1); a claim about a training outcome must not
    # depend on them (the full-mode check on seeds 3-12 is `python -m lessons holdrate`)
    lesson = lessons.run(number, quick=True, seeds=(3, 4))
    failed = [f"{c.key}: {c.text} ({c.detail})" for c in lesson.claims if not c.holds]
    assert not failed, f"{name} on seeds 3, 4: " + "; ".join(failed)


@pytest.mark.parametrize("number, name", LESSONS, ids=IDS)
def test_every_lesson_plants_library_faults(number, name):
    assert answers.library_faults(name), f"{name} has no LIBRARY_FAULTS in lessons/answers/{name}.py"


@functools.cache
def _verdicts(name):
    return {c.key: c.holds for c in lessons.run(name, quick=True).claims}


@pytest.mark.claims
@pytest.mark.parametrize("name, exercise", EXERCISES, ids=[f"{n}-try-{e.number}" for n, e in EXERCISES])
def test_try_it_gives_the_outcome_its_answer_states_and_lists_every_claim_it_changes(name, exercise):
    # one run of the edited lesson: the claims its answer names come out as stated, and every
    # claim whose verdict differs from the unedited lesson is named, with a sentence
    lesson = lessons.run(name, quick=True, edits=exercise.edit)
    outcome = {key: lesson[key].holds for key in exercise.expect}
    assert outcome == exercise.expect, [f"{lesson[k].text}: {lesson[k].detail}" for k in exercise.expect]
    baseline = _verdicts(name)
    edited = {c.key: c.holds for c in lesson.claims}
    changed = {k for k in baseline.keys() & edited.keys() if baseline[k] != edited[k]}
    assert changed <= set(exercise.expect), \
        f"{name} Try it {exercise.number} changes {sorted(changed - set(exercise.expect))} but its answer does not list them"
    unexplained = changed - set(exercise.explain)
    assert not unexplained, f"{name} Try it {exercise.number}: no sentence in `explain` for {sorted(unexplained)}"


@pytest.mark.parametrize("number, name", LESSONS, ids=IDS)
def test_every_lesson_has_exercises_counterfactuals_and_a_current_answers_page(number, name):
    exercises, counterfactuals = answers.load(name)
    assert exercises, f"{name} has no Try-it exercise in lessons/answers/{name}.py"
    assert counterfactuals, f"{name} has no counterfactual: nothing shows its checks can fail"
    keys = set(claim_keys(name))
    for e in exercises:
        assert set(e.expect) <= keys, f"{name} Try it {e.number} names claims the lesson does not make"
    assert answers.fingerprint_in(answers.HERE / f"{name}.md") == lessons.fingerprint(number), \
        f"lessons/answers/{name}.md is stale: run `python -m lessons answers`"
    source = lessons.path_of(number).read_text()
    assert f"answers/{name}.md" in source, f"{name}'s Try-it cell does not link to its answers"


def test_a_run_until_a_claim_stops_after_the_cell_that_makes_it():
    whole = lessons.run("02", quick=True)
    first = whole.claims[0].key
    part = lessons.run("02", quick=True, until=[first])
    made = [c.key for c in part.claims]
    assert made[0] == first and len(made) < len(whole.claims)        # the cell's claims, no later ones
    assert made == [c.key for c in whole.claims][:len(made)]
    assert part[first] == whole[first]


def test_an_edit_of_a_missing_knob_is_an_error():
    with pytest.raises(ValueError, match="knob NO_SUCH_KNOB must be assigned exactly once"):
        lessons.apply_edits("A = 1\n", {"NO_SUCH_KNOB": 2})
    assert lessons.apply_edits("A = 1   # Try it: 2\nB = A\n", {"A": 2}) == "A = 2   # Try it: 2\nB = A\n"
