"""Run the lessons.

    python -m lessons                    list the lessons
    python -m lessons 05                 run lesson 5: its claims, and its figures into ./plots
    python -m lessons all                every lesson: its claims, then a line of its figures and time
    python -m lessons all --quick        small data, few steps (what the tests run), into ./plots/quick
    python -m lessons 05 --out DIR       write the figures to DIR instead
    python -m lessons all --seeds 3,4,5  run every multi-seed claim on these seeds (or MINIGRAD_SEEDS=3,4,5)
    python -m lessons 05 --format svg    figures as SVG (or pdf) for slides; --dpi 200 for sharper PNGs
    python -m lessons notebooks [--out DIR] [--executed] [--quick]
                                         one .ipynb per lesson, with its outputs when --executed
                                         (needs: pip install -e ".[notebooks]")
    python -m lessons site --out DIR [--quick]   a website of the executed lessons (pip install -e ".[site]")
    python -m lessons answers [NN ...]   rerun the Try-it exercises and rewrite lessons/answers/NN_*.md
    python -m lessons holdrate [--write] how often each claim holds, one seed at a time (seeds 3-12)

Figures go to ./plots of the folder you run from. Stepping through a lesson as a notebook
(or `python lessons/05_focal.py`) shows the figures and writes no file.

Write it yourself (the exercises at the end of each lesson):
    python -m lessons exercises --out DIR             the student version: one file of stubs per lesson
    python -m lessons grade FILE.py [...] [--timeout S] [--json]   grade each file; exit 1 when one fails

Your own loss (see lessons/your_own_loss.py):
    python -m lessons losses                          list the catalogue of losses
    python -m lessons check NAME [--param k=v ...]    check a registered loss; exit 1 on a failure
    python -m lessons explore NAME [--param k=v ...]  its figures, into ./plots (--interactive: sliders)
    --import FILE_OR_MODULE                           first import a file that registers losses
"""
import argparse
import contextlib
import io
import os
import sys
import time
from pathlib import Path

import lessons
from lessons import answers, helpers


def run_one(number, quick, out, seeds=None, format="png", dpi=None):
    name = lessons.name_of(number)
    print(f"== lesson {name}: {lessons.title_of(number)}")
    start = time.perf_counter()
    lesson = lessons.run(number, quick=quick, out=out, seeds=seeds, format=format, dpi=dpi)
    seconds = time.perf_counter() - start
    status = "ok" if lesson.passed else "CLAIM FAILED"
    print(f"-- {name}: {status}, {len(lesson.saved)} figures, {len(lesson.claims)} claims, {seconds:.1f} s\n")
    return lesson


def write_notebooks(out, executed=False, quick=False):
    """One .ipynb per lesson into `out`; with executed, run each (quick or not) and keep its outputs."""
    try:
        import jupytext  # noqa: F401
        import nbformat

        from lessons import site
    except ImportError:
        print('error: writing notebooks needs jupytext: pip install -e ".[notebooks]"', file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    documentation, repository = site.published_urls()
    answers_dir = os.path.relpath(lessons.HERE / "answers", out.resolve()).replace(os.sep, "/")
    link = f"{documentation}/answers/{{name}}.html" if documentation else answers_dir + "/{name}.md"
    notebooks = {name: site.notebook_of(number, link, executable=True) for number, name in lessons.available().items()}
    if executed:
        from nbclient.exceptions import CellExecutionError

        try:
            site.execute(notebooks, quick=quick)
        except CellExecutionError as err:
            print(f"error: a lesson raised while it ran:\n{err}", file=sys.stderr)
            return 1
    for name, notebook in notebooks.items():
        nbformat.write(notebook, out / f"{name}.ipynb")
        print(f"  wrote {out / (name + '.ipynb')}" + (" with its outputs" if executed else ""))
    if not (documentation and repository):
        print("note: pyproject.toml's [project.urls] do not say yet where the site (Documentation) and the "
              "repository (Repository) are published, so the notebooks link the answers in this clone and "
              "cannot install the project in Colab")
    print(f"open them with `jupyter lab {out}`, or upload one to Colab")
    return 0


def write_answers(numbers):
    for number in numbers:
        name = lessons.name_of(number)
        exercises, _ = answers.load(name)
        if not exercises:
            continue
        runs = []
        for exercise in exercises:
            with contextlib.redirect_stdout(io.StringIO()):         # the page shows what matters
                lesson = lessons.run(number, edits=exercise.edit, until=list(exercise.expect))
            runs.append((exercise, lesson))
            wrong = {k: lesson[k].holds for k, v in exercise.expect.items() if lesson[k].holds != v}
            if wrong:
                print(f"error: {name} Try it {exercise.number}: claims came out {wrong}, "
                      f"not as the answer says", file=sys.stderr)
                return 1
        page = answers.HERE / f"{name}.md"
        page.write_text(answers.render(name, lessons.fingerprint(number), runs), encoding="utf-8")
        print(f"  wrote {page}")
    return 0


def loss_tool(argv):
    """`check NAME`, `explore NAME` and `losses`: the loss workbench's command line."""
    from losses.workbench.cli import main as workbench_main

    return workbench_main(argv)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("check", "explore", "losses"):
        return loss_tool(argv)
    if argv and argv[0] in ("exercises", "grade"):          # the "Write it yourself" exercises
        from lessons.exercises.cli import main as exercises_main

        return exercises_main(argv)
    if argv and argv[0] == "site":                            # the website of the executed lessons
        from lessons.site import main as site_main

        return site_main(argv[1:])
    if argv and argv[0] == "holdrate":                        # how often each claim holds, seed by seed
        from lessons.holdrate import main as holdrate_main

        return holdrate_main(argv[1:])
    if argv and argv[0] == "answers":
        return write_answers([lessons.name_of(n)[:2] for n in argv[1:]] or list(lessons.available()))
    parser = argparse.ArgumentParser(prog="python -m lessons", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lesson", nargs="?", help="a lesson number, 'all', 'notebooks', 'answers' or 'site'")
    parser.add_argument("--quick", action="store_true", help="small data, few steps (figures to ./plots/quick)")
    parser.add_argument("--out", help="folder for the figures (default: ./plots)")
    parser.add_argument("--seeds", help="comma-separated seeds for every multi-seed claim (default: MINIGRAD_SEEDS, else 0,1,2)")
    parser.add_argument("--format", default="png", choices=helpers.FORMATS, help="figure file format (default: png)")
    parser.add_argument("--dpi", type=float, help="dots per inch of the written figures (default: 100)")
    parser.add_argument("--executed", action="store_true", help="notebooks: run each one and keep its outputs")
    args = parser.parse_args(argv)
    try:
        seeds = helpers.seeds_from(args.seeds) if args.seeds is not None else None
        if args.dpi is not None and not args.dpi > 0:
            raise ValueError(f"--dpi: expected a positive number, got {args.dpi}")
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.lesson is None:
        for number, name in lessons.available().items():
            print(f"  {number}  {name[3:]:<18} {lessons.title_of(number)}")
        print("\nrun one with `python -m lessons 05`, or every one with `python -m lessons all`")
        return 0
    if args.lesson == "notebooks":
        return write_notebooks(Path(args.out or "notebooks"), executed=args.executed, quick=args.quick)
    out = Path(args.out) if args.out else Path("plots") / ("quick" if args.quick else "")
    try:
        numbers = list(lessons.available()) if args.lesson == "all" else [lessons.name_of(args.lesson)[:2]]
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    results = [run_one(n, args.quick, out, seeds, args.format, args.dpi) for n in numbers]
    failed = [r.name for r in results if not r.passed]
    print(f"{len(results)} lessons, {sum(len(r.saved) for r in results)} figures in {out.resolve()}, "
          f"{time.perf_counter() - start:.1f} s"
          + (f"; claims failed in {', '.join(failed)}" if failed else ", every claim holds"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
