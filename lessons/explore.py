"""The explore figures for the lessons: they live in `losses.workbench.explorer` now.

Lesson 09 draws `curves_figure(info, params, quick)` and `convergence_figure(info, params, quick)`;
both come from the workbench unchanged. On the command line: `python -m lessons explore NAME`.
"""
from losses.workbench.explorer import convergence_figure, curves_figure, explore, interactive  # noqa: F401
