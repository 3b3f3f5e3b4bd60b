"""The loss workbench: the catalogue, the property checker, explore, and their command line.

    registry     `register`, `unregister`, `catalogue`, `get`: the catalogue of losses
    kinds        one description per kind of loss (regression, binary, multiclass,
                 pairs, triplets, penalty): how to feed it, its axis, kinks, robustness
    properties   `check`: the lecture's properties, tested on any registered loss
    explorer     `explore`, `interactive`: loss, gradient and curvature figures, sliders
    toys         the toy problems explore trains on
    cli          `main(argv)`: `losses`, `check NAME`, `explore NAME` on the command line

`losses.register`, `losses.check`, `losses.catalogue`, `losses.get` and `losses.explore`
are these, re-exported.
"""
from .properties import CheckResult, check
from .registry import LossInfo, catalogue, get, register, unregister


def __getattr__(name):
    """`explore`, `interactive` and `Exploration` load matplotlib's pyplot, so only when first used."""
    if name in ("explore", "interactive", "Exploration"):
        from . import explorer
        return getattr(explorer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
