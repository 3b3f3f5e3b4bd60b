"""Run the lessons.

    python -m lessons                 list the lessons
    python -m lessons 05              run lesson 5
    python -m lessons all             run every lesson, one line of progress each
    python -m lessons all --quick     smaller data and fewer steps (what the tests run), into plots/quick/
    python -m lessons 05 --out DIR    write the figures to DIR instead of plots/

Your own loss (see lessons/your_own_loss.py):
    python -m lessons losses                          list the catalogue of losses
    python -m lessons check NAME [--param k=v ...]    check a registered loss; exit 1 on a failure
    python -m lessons explore NAME [--param k=v ...]  its figures: plots/explore_NAME_*.png
    --import FILE_OR_MODULE                           first import a file that registers losses
"""
import argparse
import ast
import importlib
import importlib.util
import sys
import time
from pathlib import Path

from . import _common, available, load


def first_line(module):
    return (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""


def run(number, quick):
    module = load(number)
    print(f"== lesson {module.__name__.split('.')[-1]}: {first_line(module)}")
    start = time.perf_counter()
    report = module.main(quick=quick)
    seconds = time.perf_counter() - start
    status = "ok" if report.passed else "CHECK FAILED"
    print(f"-- {module.__name__.split('.')[-1]}: {status}, {len(report.figures)} figures, "
          f"{len(report.checks)} checks, {seconds:.1f} s\n")
    return report


def parse_param(text):
    """'delta=0.5' -> ('delta', 0.5); values are Python literals (0.5, None, True), else strings."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"--param expects name=value, got {text!r}")
    try:
        value = ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        value = value.strip()                        # a bare word: mining=hard
    return key.strip(), value


def import_losses(source):
    """Import a module (dotted name) or a .py file, so that its @losses.register calls run."""
    path = Path(source)
    if source.endswith(".py") or path.exists():
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or not path.exists():
            raise SystemExit(f"--import: no file {source}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return importlib.import_module(source)


def loss_tool(argv):
    """`check NAME`, `explore NAME` and `losses`: the loss workbench's command line."""
    from losses.workbench.cli import main as workbench_main

    return workbench_main(argv)


def choose_output(args):
    """--out DIR wins; a --quick run otherwise writes to plots/quick/, leaving the full figures in plots/ as they are."""
    if args.out:
        _common.set_output_dir(args.out)
    elif args.quick:
        _common.set_output_dir(_common.ROOT / "plots" / "quick")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in ("check", "explore", "losses"):
        return loss_tool(argv)
    parser = argparse.ArgumentParser(prog="python -m lessons", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lesson", nargs="?", help="a lesson number, or 'all'")
    parser.add_argument("--quick", action="store_true", help="small data, few steps (figures to plots/quick/)")
    parser.add_argument("--out", help="folder for the figures (default: plots/)")
    args = parser.parse_args(argv)
    choose_output(args)
    if args.lesson is None:
        for number, name in available().items():
            print(f"  {number}  {name[3:]:<24} {first_line(load(number))}")
        print("\nrun one with `python -m lessons 05`, or every one with `python -m lessons all`")
        return 0
    numbers = list(available()) if args.lesson == "all" else [args.lesson]
    start = time.perf_counter()
    reports = [run(n, args.quick) for n in numbers]
    failed = [r.lesson for r in reports if not r.passed]
    print(f"{len(reports)} lessons, {sum(len(r.figures) for r in reports)} figures in "
          f"{_common.output_dir()}, {time.perf_counter() - start:.1f} s"
          + (f"; checks failed in {', '.join(failed)}" if failed else ", every check holds"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
