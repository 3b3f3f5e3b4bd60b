"""Try-it exercises with worked answers, and the counterfactuals that prove each check can fail.

For each lesson `NN_name.py` there is `answers/NN_name.py` (written by hand) with

    EXERCISES       the lesson's Try-it exercises: the knobs a student edits, the claims
                    that hold or fail afterwards, and why;
    COUNTERFACTUALS edits that make a claim of the lesson false (swap the loss, flip the
                    parameter): the tests run each and assert that the claim then FAILS,
                    so no check holds by construction;
    LIBRARY_FAULTS  faults planted in the library the lesson teaches (a loss, a penalty or an
                    optimizer replaced in-process by a wrong one): the tests run the lesson with
                    each and assert that the named claims FAIL, so a claim about a loss really
                    calls that loss;

and `answers/NN_name.md`, written by `python -m lessons answers` from a full run of every
exercise: the edit, the numbers it really produces, and the explanation. The tests run
every exercise and counterfactual in quick mode, and refuse an answers file whose
fingerprint no longer matches the lesson, its exercises or the helpers.
"""
import contextlib
import importlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Exercise:
    """One Try-it: set `edit`'s knobs, run the lesson, and the claims in `expect` hold (True) or fail (False).

    `expect` names every claim whose verdict the edit changes (a test compares with the unedited
    lesson), and `explain` gives each of those claims a sentence on the answers page: why it
    now holds or fails. Claims in `expect` whose verdict does not change may be listed too.
    """
    title: str
    edit: dict
    expect: dict
    why: str
    number: int = 0
    explain: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Counterfactual:
    """An edit under which the claims in `fails` must FAIL: evidence that those checks could."""
    edit: dict
    fails: tuple
    reason: str = ""
    holds: tuple = field(default=())


@dataclass(frozen=True)
class LibraryFault:
    """A fault planted in the library: each dotted name in `replace` ("losses.mse",
    "minigrad.optim.AdamW") is set, for one run of the lesson, to the value of its Python
    expression (evaluated with `np`, `mg` and `losses` in scope, and `original` bound to what it
    replaces). The claims in `fails` must then FAIL; those in `holds` must still hold."""
    replace: dict
    fails: tuple
    reason: str = ""
    holds: tuple = field(default=())


def _module(name):
    path = HERE / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(f"lessons.answers._{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(name):
    """(exercises, counterfactuals) of lesson `name`; ([], []) if it has no answers file."""
    module = _module(name)
    if module is None:
        return [], []
    exercises = [Exercise(e.title, e.edit, e.expect, e.why, i, e.explain) for i, e in enumerate(module.EXERCISES, 1)]
    return exercises, list(getattr(module, "COUNTERFACTUALS", []))


def library_faults(name):
    """The LIBRARY_FAULTS of lesson `name` ([] if it has none)."""
    module = _module(name)
    return list(getattr(module, "LIBRARY_FAULTS", [])) if module is not None else []


@contextlib.contextmanager
def planted(fault):
    """Plant `fault` (a LibraryFault) in the imported library for the duration of the block."""
    import numpy as np

    import losses
    import minigrad as mg

    undo = []
    try:
        for dotted, expression in fault.replace.items():
            module_name, _, attribute = dotted.rpartition(".")
            owner = importlib.import_module(module_name)
            original = getattr(owner, attribute)          # a misspelt name is an error, not a no-op
            value = eval(expression, {"np": np, "mg": mg, "losses": losses, "original": original})
            setattr(owner, attribute, value)
            undo.append((owner, attribute, original))
        yield
    finally:
        for owner, attribute, original in reversed(undo):
            setattr(owner, attribute, original)


def render(name, fingerprint, runs):
    """The answers page: runs is [(exercise, Lesson after the edit)]."""
    lines = [f"# Answers — lesson {name}", "",
             f"<!-- written by `python -m lessons answers` from a full run; fingerprint {fingerprint} -->", "",
             "Predict first, then compare. Each answer is what the lesson really prints after the edit.", ""]
    for exercise, lesson in runs:
        edit = ", ".join(f"`{k} = {v!r}`" for k, v in exercise.edit.items())
        lines += [f"## Try it {exercise.number} — {exercise.title}", "", f"**Edit:** {edit}", "",
                  exercise.why.strip(), "", "**What the run printed:**", ""]
        for key in exercise.expect:
            c = lesson[key]
            mark = "holds" if c.holds else "FAILS"
            lines.append(f"- [{mark}] {c.text}" + (f" ({c.detail})" if c.detail else ""))
            if key in exercise.explain:
                lines.append(f"  — {exercise.explain[key].strip()}")
        lines.append("")
    return "\n".join(lines)


def fingerprint_in(path):
    """The fingerprint written into an answers page, or None."""
    if not path.exists():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        if "fingerprint" in line:
            return line.split("fingerprint")[1].strip(" ->")
    return None
