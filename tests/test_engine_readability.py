"""The engine stays readable (issue 15): a student follows `(x*y).sum().backward()` in one sitting.

The gradient path is counted as the full source (code, docstrings, comments, blank lines
inside) of every Python function or lambda in minigrad/ that runs during
`(x * y).sum().backward()` for two leaves made beforehand, found with sys.setprofile;
line ranges come from inspect.getsourcelines and overlapping ranges count once. Complexity
is ruff's C901 (max 10, in pyproject.toml, checked by test_lint).
"""
import inspect
import sys
from pathlib import Path

import numpy as np

import minigrad as mg

PACKAGE = Path(mg.__file__).resolve().parent


def gradient_path():
    """{(file, line): text} for every line of minigrad code that (x * y).sum().backward() runs through."""
    x = mg.Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    y = mg.Tensor(np.array([4.0, 5.0, 6.0]), requires_grad=True)
    codes = set()

    def profile(frame, event, arg):
        if event == "call" and Path(frame.f_code.co_filename).resolve().parent == PACKAGE:
            codes.add(frame.f_code)
    sys.setprofile(profile)
    try:
        (x * y).sum().backward()
    finally:
        sys.setprofile(None)
    lines = {}
    for code in codes:
        source, start = inspect.getsourcelines(code)
        for i, text in enumerate(source):
            lines[(Path(code.co_filename).name, start + i)] = text
    return lines


def test_the_gradient_path_is_at_most_300_lines():
    lines = gradient_path()
    files = sorted({f for f, _ in lines})
    assert len(lines) <= 300, f"{len(lines)} lines in {files}"
    assert {"autograd.py", "ops.py", "tensor.py"} <= set(files)       # the count sees the path


def test_no_reference_counts_anywhere():
    for path in PACKAGE.glob("*.py"):
        assert "getrefcount" not in path.read_text(), path.name


def test_every_tensor_field_is_set_by_both_constructors():
    fields = [f for f in mg.Tensor.__slots__ if f != "__weakref__"]
    for t in (mg.Tensor([1.0]), mg.Tensor._make(np.ones(1))):
        for field in fields:
            getattr(t, field)           # an unset slot raises AttributeError
    assert mg.Tensor([1.0], requires_grad=True).requires_grad
