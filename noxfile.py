"""The engine and loss tests on the other supported Pythons (3.10 and 3.13), called from .ci/run.

    pip install nox && nox            both sessions
    nox -s "engine_and_losses-3.10"   one

The interpreters come from PATH (python3.10, python3.13) or, on a machine with pyenv, from its
versions folder. The main interpreter runs the whole suite (the README's test command); these
sessions run what does not need Jupyter: the engine, the losses and their doctests.
"""
import glob
import os
import shutil

import nox

PYTHONS = ["3.10", "3.13"]
TESTS = ["tests/test_ops.py", "tests/test_autograd.py", "tests/test_edges.py", "tests/test_nn_optim.py",
         *sorted(glob.glob("tests/test_engine_*.py")), *sorted(glob.glob("tests/test_losses_*.py")),
         "minigrad", "losses"]

nox.options.sessions = ["engine_and_losses"]
nox.options.reuse_existing_virtualenvs = False


def _put_pyenv_versions_on_path():
    """pyenv's shims answer `python3.10` only for a selected version: put each installed 3.X's own
    bin folder on PATH, so nox finds python3.10 and python3.13 by name."""
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for version in PYTHONS:
        found = shutil.which(f"python{version}")
        if found and ".pyenv/shims" not in found:
            continue
        candidates = sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin")))
        if candidates:
            os.environ["PATH"] = candidates[-1] + os.pathsep + os.environ["PATH"]


_put_pyenv_versions_on_path()


@nox.session(python=PYTHONS)
def engine_and_losses(session):
    session.install("-e", ".", "pytest>=7", "pytest-xdist>=3.2", "hypothesis>=6")
    # the project's addopts ask for two workers, work-stealing and doctests; the lesson tests need Jupyter
    session.run("python", "-m", "pytest", *TESTS, *session.posargs)
