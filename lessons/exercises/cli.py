"""The exercises on the command line (through `python -m lessons`).

    python -m lessons exercises --out DIR        the student version: one file of stubs per lesson
    python -m lessons grade FILE.py [FILE.py …] [--timeout SECONDS] [--json]
                                                 grade every function named after an exercise

A submission is someone else's code: each FILE is graded in a process of its own, stopped
after --timeout seconds (default 60); a file that crashes or hangs is reported and the
others are still graded. The exit status is 0 only when every exercise in every file passes.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import lessons

from .catalogue import EXERCISES

ROOT = Path(lessons.__file__).resolve().parent.parent


# ---- the student version -----------------------------------------------------------------

def student_file(lesson):
    """The text of the student's file for one lesson: stubs with the formula, no reference."""
    name = lessons.name_of(lesson)
    exercises = [ex for ex in EXERCISES.values() if ex.lesson == name[:2]]
    lines = [f'"""Lesson {name[:2]}, {lessons.title_of(name[:2])} — write it yourself.',
             "",
             "Replace each `raise NotImplementedError` with your solution, then run this file",
             f"(`python {name}.py`) or grade it: `python -m lessons grade {name}.py`.",
             "Each function returns one value per element or sample, as a minigrad Tensor,",
             "built from minigrad ops so that backward reaches the inputs.",
             '"""',
             "import numpy as np",
             "",
             "import minigrad as mg",
             ""]
    for ex in exercises:
        doc = ex.formula.strip("\n")
        lines += ["", f"def {ex.signature}:", f'    """{doc}', '    """',
                  f'    raise NotImplementedError("write {ex.name} here")', ""]
    lines += ["", 'if __name__ == "__main__":', "    from lessons.exercises import grade", ""]
    lines += [f'    grade("{ex.name}", {ex.name})' for ex in exercises]
    return "\n".join(lines) + "\n"


def write_student_version(out):
    out.mkdir(parents=True, exist_ok=True)
    for number, name in lessons.available().items():
        if any(ex.lesson == number for ex in EXERCISES.values()):
            (out / f"{name}.py").write_text(student_file(number), encoding="utf-8")
            print(f"  wrote {out / (name + '.py')}")
    print(f"fill in the stubs, then: python -m lessons grade {out}/*.py")
    return 0


# ---- grading one file, in a process of its own --------------------------------------------

def grade_file_here(path):
    """Import `path` and grade every function named after an exercise: a dict for the JSON report."""
    from .grader import grade

    path = Path(path).resolve()
    spec = importlib.util.spec_from_file_location(f"submission_{abs(hash(str(path)))}", path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    spec.loader.exec_module(module)
    found = [name for name in EXERCISES if callable(getattr(module, name, None))]
    reports = [grade(name, getattr(module, name), verbose=False) for name in found]
    return {"file": str(path), "status": "graded", "message": "" if found else
            f"no function named after an exercise (one of: {', '.join(EXERCISES)})",
            "passed": bool(found) and all(r.passed for r in reports),
            "exercises": [{**r.to_dict(), "report": r.report()} for r in reports]}


def _child(argv):
    """`_grade-one FILE RESULT.json`: run in the child process."""
    path, result = argv
    outcome = grade_file_here(path)
    Path(result).write_text(json.dumps(outcome), encoding="utf-8")
    return 0


def grade_file(path, timeout):
    """Grade `path` in a subprocess; a crash or a timeout becomes a report of its own."""
    path = Path(path)
    failed = {"file": str(path), "passed": False, "exercises": []}
    if not path.is_file():
        return {**failed, "status": "missing", "message": f"no such file: {path}"}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
           "MPLBACKEND": "Agg"}
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        try:
            done = subprocess.run([sys.executable, "-m", "lessons.exercises.cli", "_grade-one", str(path), str(result)],
                                  capture_output=True, text=True, timeout=timeout, env=env,
                                  stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            return {**failed, "status": "timeout",
                    "message": f"stopped after {timeout:g} s: the file (or a function in it) did not finish; "
                               f"look for an endless loop"}
        if not result.exists():
            tail = "\n".join((done.stderr or "").strip().splitlines()[-6:])
            return {**failed, "status": "crashed",
                    "message": f"the file could not be graded (exit status {done.returncode}):\n{tail}"}
        return json.loads(result.read_text(encoding="utf-8"))


def grade_files(paths, timeout=60.0, as_json=False):
    # a few files at once (each in its own process, waited on by a thread): a hanging file
    # holds one worker until its timeout, never the whole class
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1, len(paths)))) as pool:
        outcomes = list(pool.map(lambda p: grade_file(p, timeout), paths))
    graded = [e for o in outcomes for e in o["exercises"]]
    passed = sum(e["passed"] for e in graded)
    everything = bool(outcomes) and all(o["passed"] for o in outcomes)
    if as_json:
        print(json.dumps({"passed": everything, "files": outcomes}, indent=2))
    else:
        for o in outcomes:
            print(f"== {o['file']}")
            for e in o["exercises"]:
                print(e["report"])
                print()
            if o["message"]:
                print(f"{o['status']}: {o['message']}\n")
        trouble = [f"{sum(o['status'] == s for o in outcomes)} {s}" for s in ("crashed", "timeout", "missing")
                   if any(o["status"] == s for o in outcomes)]
        print(f"{len(outcomes)} file{'s' if len(outcomes) != 1 else ''}"
              + (f" ({', '.join(trouble)})" if trouble else "")
              + f": {passed} of {len(graded)} exercises pass" + ("" if everything else " — not yet"))
    return 0 if everything else 1


def main(argv):
    command, rest = argv[0], list(argv[1:])
    if command == "_grade-one":
        return _child(rest)
    if command == "exercises":
        parser = argparse.ArgumentParser(prog="python -m lessons exercises",
                                         description="write the student version of the exercises")
        parser.add_argument("--out", required=True, help="folder for the files of stubs")
        return write_student_version(Path(parser.parse_args(rest).out))
    parser = argparse.ArgumentParser(prog="python -m lessons grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", help="Python files with functions named after exercises")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per file (default 60)")
    parser.add_argument("--json", action="store_true", help="one JSON document, for a gradebook")
    args = parser.parse_args(rest)
    if not args.timeout > 0:
        print(f"error: --timeout must be > 0, got {args.timeout}", file=sys.stderr)
        return 2
    return grade_files(args.files, args.timeout, args.json)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
