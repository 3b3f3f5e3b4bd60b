"""The workbench on the command line: `losses`, `check NAME`, `explore NAME`.

    python -m lessons losses                           list the catalogue
    python -m lessons check NAME [--param k=v ...]     test the properties; exit 1 on a failure
    python -m lessons explore NAME [--param k=v ...]   its figures, written to ./plots
        --steps N         training steps of the convergence figure (default 300)
        --quick           a coarse grid and 40 steps
        --out DIR         the folder for the figures (default: plots in the current folder)
        --interactive     a window with a slider per numeric parameter
    --import FILE_OR_MODULE   first import a file (a path relative to the current folder)
                              or a module that registers losses (repeatable)

`python -m losses.workbench ...` is the same. Exit codes: 0 done, 1 a check failed,
2 a bad command line (an unknown loss or parameter, a missing file).
"""
import argparse
import ast
import importlib
import importlib.util
import sys
from pathlib import Path

import matplotlib


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
    """Import a .py file (relative to the current folder, or absolute) or a dotted module name."""
    path = Path(source).expanduser()
    if source.endswith(".py") or path.exists():
        path = path.resolve()
        if not path.is_file():
            raise FileNotFoundError(f"--import: no file {source} (looked in {path.parent})")
        folder = str(path.parent)
        if folder not in sys.path:
            sys.path.insert(0, folder)               # the student's file may import its neighbours
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules.setdefault(path.stem, module)
        spec.loader.exec_module(module)
        return module
    return importlib.import_module(source)


def _window_backend():
    """A backend that opens windows, if this machine has a display (a module may have chosen Agg before)."""
    import os

    import matplotlib.pyplot as plt

    if os.environ.get("MPLBACKEND") or matplotlib.get_backend().lower() != "agg":
        return                                       # the user's choice, or already interactive
    for backend in ("macosx", "qtagg", "gtk4agg", "gtk3agg", "tkagg", "wxagg"):
        try:
            plt.switch_backend(backend)
            return
        except (ImportError, RuntimeError):
            continue                                 # not installed, or no display: stay on Agg


def _parser(command):
    parser = argparse.ArgumentParser(prog=f"python -m lessons {command}")
    if command != "losses":
        parser.add_argument("name", help="a loss in the catalogue (the `losses` command lists them)")
        parser.add_argument("--param", action="append", type=parse_param, default=[], metavar="K=V",
                            help="a loss parameter, e.g. --param delta=0.5 (repeatable)")
    parser.add_argument("--import", dest="imports", action="append", default=[], metavar="FILE_OR_MODULE",
                        help="import this first, so that the losses it registers are known (repeatable)")
    if command == "explore":
        parser.add_argument("--steps", type=int, default=None, help="training steps (default 300)")
        parser.add_argument("--quick", action="store_true", help="a coarse grid and 40 training steps")
        parser.add_argument("--out", default="plots", help="folder for the figures (default: ./plots)")
        parser.add_argument("--interactive", action="store_true", help="a window with a slider per parameter")
    return parser


def main(argv):
    """Run one command (`argv` as after `python -m lessons`, e.g. ["check", "huber"]); return the exit code."""
    argv = list(argv)
    if not argv or argv[0] not in ("losses", "check", "explore"):
        print("usage: python -m lessons {losses,check,explore} ...\n" + __doc__, file=sys.stderr)
        return 2
    command = argv[0]
    args = _parser(command).parse_args(argv[1:])
    import losses

    try:
        for source in args.imports:
            import_losses(source)
        if command == "losses":
            for name, info in losses.catalogue().items():
                origin = "" if info.builtin else "  (registered)"
                print(f"  {name:<34} {info.kind:<11} {info.description}{origin}")
            return 0
        info = losses.get(args.name)
        params = info.with_params(**dict(args.param))
    except (KeyError, ValueError, FileNotFoundError, ImportError) as err:
        print(f"error: {err.args[0] if err.args else err}", file=sys.stderr)
        return 2
    if command == "check":
        return 0 if losses.check(info, **params).passed else 1
    from . import explorer

    if args.interactive:
        _window_backend()
        shown = explorer.interactive(info, **params)
        if matplotlib.get_backend().lower() in ("agg", "pdf", "svg", "ps", "cairo", "template"):
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            path = out / f"{explorer.file_stem(info, params)}_interactive.png"
            shown.fig.savefig(path)
            print(f"no window can open here (matplotlib backend {matplotlib.get_backend()}); wrote {path}")
        else:
            import matplotlib.pyplot as plt
            plt.show()
        return 0
    explorer.explore(info, steps=args.steps, quick=args.quick, out=args.out, **params).close()
    return 0
