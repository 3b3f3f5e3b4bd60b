"""The lessons: one script per part of the lecture. `python -m lessons` lists them."""
import importlib
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available():
    """{number: module name} of every lesson script, e.g. {"02": "02_regression"}."""
    return {p.stem[:2]: p.stem for p in sorted(HERE.glob("[0-9][0-9]_*.py"))}


def load(number):
    """Import the lesson module with this number ("2", "02" or its full name)."""
    lessons = available()
    key = str(number).zfill(2)[:2] if str(number)[:2].isdigit() else str(number)
    if key not in lessons:
        raise SystemExit(f"no lesson {number!r}; available: {', '.join(lessons)}")
    return importlib.import_module(f"lessons.{lessons[key]}")
