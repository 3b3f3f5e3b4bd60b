"""Run the lessons.

    python -m lessons                 list the lessons
    python -m lessons 05              run lesson 5
    python -m lessons all             run every lesson, one line of progress each
    python -m lessons all --quick     smaller data and fewer steps (what the tests run)
    python -m lessons 05 --out DIR    write the figures to DIR instead of plots/
"""
import argparse
import sys
import time

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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lessons", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lesson", nargs="?", help="a lesson number, or 'all'")
    parser.add_argument("--quick", action="store_true", help="small data, few steps")
    parser.add_argument("--out", help="folder for the figures (default: plots/)")
    args = parser.parse_args(argv)
    if args.out:
        _common.set_output_dir(args.out)
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
