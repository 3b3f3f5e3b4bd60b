"""The three reductions every loss ends with."""
from . import _checks


def apply(values, reduction, fn):
    """`"mean"` averages every entry, `"sum"` adds them, `"none"` returns them as they are."""
    _checks.reduction(reduction, fn)
    if reduction == "mean":
        return values.mean()
    if reduction == "sum":
        return values.sum()
    return values
