"""The lessons: one notebook per part of the lecture, kept as Python files in the percent format.

`python -m lessons` lists them; `lessons.run("02")` runs one in this process and returns
its `Lesson` (claims and figures), optionally with knobs edited the way a Try-it exercise
asks (`edits={"OUTLIER_FRACTION": 0.3}`).
"""
import hashlib
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available():
    """{number: name} of every lesson notebook, e.g. {"02": "02_regression"}."""
    return {p.stem[:2]: p.stem for p in sorted(HERE.glob("[0-9][0-9]_*.py"))}


def name_of(number):
    """The full name of lesson `number` ("2", "02" or "02_regression")."""
    lessons = available()
    text = str(number)
    key = text.zfill(2)[:2] if text[:2].isdigit() or text.isdigit() else text
    if key not in lessons:
        raise ValueError(f"no lesson {number!r}; available: {', '.join(lessons)}")
    return lessons[key]


def path_of(number):
    return HERE / f"{name_of(number)}.py"


def title_of(number):
    """The lesson's heading: the first '# # ' line of its first markdown cell."""
    for line in path_of(number).read_text(encoding="utf-8").splitlines():
        if line.startswith("# # "):
            return line[4:].strip()
    return name_of(number)


def apply_edits(source, edits, where="lesson"):
    """The source with each knob `NAME = value` (a top-level line) set to a new value.

    This is the edit a Try-it exercise asks a student to make, made the same way: the
    knob's line is rewritten, its comment kept. A knob that is not a top-level assignment
    exactly once is an error, so an exercise cannot silently edit nothing.
    """
    for knob, value in (edits or {}).items():
        pattern = re.compile(rf"^{re.escape(knob)} = [^#\n]*?(\s*#.*)?$", re.MULTILINE)
        found = pattern.findall(source)
        if len(found) != 1:
            raise ValueError(f"{where}: knob {knob} must be assigned exactly once at the top level "
                             f"(`{knob} = ...`), found {len(found)}")
        line = f"{knob} = {value!r}"
        source = pattern.sub(lambda m, line=line: line + (m.group(1) or ""), source)
    return source


def cells(source):
    """The code cells of a percent-format notebook: [(first line number, code)], markdown left out."""
    found, start, kind = [], 0, "code"
    lines = source.splitlines(keepends=True)
    for i, line in enumerate(lines + ["# %%\n"]):
        if line.startswith("# %%"):
            if kind == "code" and i > start:
                found.append((start, "".join(lines[start:i])))
            start, kind = i, ("markdown" if "[markdown]" in line else "code")
    return found


def run(number, quick=False, out=None, edits=None, until=None, seeds=None, format="png", dpi=None):
    """Run lesson `number` cell by cell in this process and return its Lesson.

    quick  small data, few steps (as MINIGRAD_QUICK=1 does)
    out    a folder to write every figure into (None: write no file)
    edits  {knob: value}: the lesson as a student would run it after editing those knobs
    until  claim keys: stop after the cell that makes the last of them (later cells cannot
           change a claim already made)
    seeds  the seeds every multi-seed claim runs on (None: MINIGRAD_SEEDS, else the defaults)
    format, dpi   how figures are written into `out` ("png", "svg" or "pdf"; dots per inch)
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from . import helpers

    path = path_of(number)
    source = apply_edits(path.read_text(encoding="utf-8"), edits, where=path.name)
    matplotlib.use("Agg")                        # the runner draws into files, never to a screen
    saved_quick, saved_seeds, saved_dir = helpers.QUICK, helpers.SEEDS, helpers._save_dir
    helpers.QUICK, helpers.SEEDS = bool(quick), (tuple(seeds) if seeds else helpers.default_seeds(quick))
    helpers.save_figures_to(out, format=format, dpi=dpi)
    helpers.current = None
    tight_layout = Figure.tight_layout
    if out is None:             # no figure will be drawn: skip laying them out (a third of a quick run)
        Figure.tight_layout = lambda self, *args, **kwargs: None
    try:
        namespace = {"__name__": "__lesson__", "__file__": str(path)}
        for first_line, code in cells(source):
            # padded with blank lines, so a traceback points at the line in the lesson file
            exec(compile("\n" * first_line + code, str(path), "exec"), namespace)
            if until and helpers.current is not None and set(until) <= {c.key for c in helpers.current.claims}:
                break
    finally:
        Figure.tight_layout = tight_layout
        helpers.QUICK, helpers.SEEDS = saved_quick, saved_seeds
        helpers.save_figures_to(saved_dir)          # back to PNG at the figure's dpi
        plt.close("all")
    if helpers.current is None or helpers.current.name != path.stem:
        raise RuntimeError(f'{path.name} never called start("{path.stem}")')
    return helpers.current


def fingerprint(number):
    """A short hash of what a lesson's answers depend on: the lesson, its exercises, the helpers."""
    name = name_of(number)
    digest = hashlib.sha256()
    for path in (HERE / f"{name}.py", HERE / "answers" / f"{name}.py", HERE / "helpers.py"):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
