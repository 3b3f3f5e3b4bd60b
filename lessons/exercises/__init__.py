"""Write it yourself: graded exercises, at least one per lesson.

    from lessons.exercises import available, grade
    available()                     # {"huber": ("02", "the Huber loss: …"), …}
    grade("huber", my_huber)        # prints each check with a hint; returns a report with .passed

A solution takes the library's data arguments and parameters (no `reduction`) and
returns one value per element or sample, as a minigrad Tensor. The command line:
`python -m lessons exercises --out DIR` writes the student version (stubs to fill in),
`python -m lessons grade FILE.py [...]` grades every function in FILE named after an exercise.
"""
from .catalogue import EXERCISES
from .grader import NOT_ATTEMPTED, GradeReport, grade


def available():
    """{name: (lesson, one-line description)} of every exercise, in lesson order."""
    return {name: (ex.lesson, ex.description) for name, ex in EXERCISES.items()}
