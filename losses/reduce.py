"""The three reductions every loss ends with: `losses.reduce.apply(values, reduction, fn)`.

    >>> from losses import reduce
    >>> import minigrad as mg
    >>> values = mg.Tensor([1.0, 2.0, 6.0])
    >>> reduce.apply(values, "mean", fn="my_loss").item(), reduce.apply(values, "sum", fn="my_loss").item()
    (3.0, 9.0)
    >>> reduce.apply(values, "max", fn="my_loss")
    Traceback (most recent call last):
    ...
    ValueError: my_loss: reduction must be one of 'mean', 'sum', 'none', got 'max'
"""
from . import validate

REDUCTIONS = validate.REDUCTIONS


def apply(values, reduction, fn):
    """`"mean"` averages every entry, `"sum"` adds them, `"none"` returns them as they are."""
    validate.reduction(reduction, fn)
    if reduction == "mean":
        return values.mean()
    if reduction == "sum":
        return values.sum()
    return values
