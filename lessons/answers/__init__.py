"""Try-it exercises with worked answers, and the counterfactuals that prove each check can fail.

For each lesson `NN_name.py` there is `answers/NN_name.py` (written by hand) with

    EXERCISES       the lesson's Try-it exercises: the knobs a student edits, the claims
                    that hold or fail afterwards, and why;
    COUNTERFACTUALS edits that make a claim of the lesson false (swap the loss, flip the
                    parameter): the tests run each and assert that the claim then FAILS,
                    so no check holds by construction;

and `answers/NN_name.md`, written by `python -m lessons answers` from a full run of every
exercise: the edit, the numbers it really produces, and the explanation. The tests run
every exercise and counterfactual in quick mode, and refuse an answers file whose
fingerprint no longer matches the lesson, its exercises or the helpers.
"""
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Exercise:
    """One Try-it: set `edit`'s knobs, run the lesson, and the claims in `expect` hold (True) or fail (False)."""
    title: str
    edit: dict
    expect: dict
    why: str
    number: int = 0


@dataclass(frozen=True)
class Counterfactual:
    """An edit under which the claims in `fails` must FAIL: evidence that those checks could."""
    edit: dict
    fails: tuple
    reason: str = ""
    holds: tuple = field(default=())


def load(name):
    """(exercises, counterfactuals) of lesson `name`; ([], []) if it has no answers file."""
    path = HERE / f"{name}.py"
    if not path.exists():
        return [], []
    spec = importlib.util.spec_from_file_location(f"lessons.answers._{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    exercises = [Exercise(e.title, e.edit, e.expect, e.why, i) for i, e in enumerate(module.EXERCISES, 1)]
    return exercises, list(getattr(module, "COUNTERFACTUALS", []))


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
