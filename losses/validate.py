"""Input validation for losses: `losses.validate`, used by every built-in loss.

Every helper takes `fn`, the loss's name, and `name`, the argument's, and raises
ValueError with a message that says what was expected and what arrived:
`huber: delta must be a finite number > 0, got -1.0`. A loss of your own can use them
the same way (or let `losses.register` do the common part: see `losses.register`).

    >>> from losses import validate
    >>> pred, target = validate.same_shape([1.0, 2.0], [0.0, 0.0], fn="my_loss")
    >>> pred.shape, validate.number(0.5, fn="my_loss", name="delta", strict=True)
    ((2,), 0.5)
    >>> validate.same_shape([[1.0], [2.0]], [0.0, 0.0], fn="my_loss")
    Traceback (most recent call last):
    ...
    ValueError: my_loss: pred and target must have the same shape, got pred (2, 1) and target (2,); did you mean pred.reshape(-1)?

Predictions and logits are not validated for NaN: a NaN there propagates to a NaN
loss. Targets, labels, probabilities and parameters are range-validated, so a NaN
there fails validation and raises. An empty batch raises (`nonempty`): a mean over
nothing has no value.
"""
import numbers

import numpy as np

import minigrad as mg

REDUCTIONS = ("mean", "sum", "none")


def as_tensor(x, fn, name, like=None):
    """x as a minigrad Tensor; arrays and lists take the float dtype of `like` (float32 stays float32)."""
    if isinstance(x, mg.Tensor):
        return x
    try:
        return mg.wrap(x, like=like)
    except TypeError:
        raise ValueError(f"{fn}: {name} must be numbers (a Tensor, numpy array or list), "
                         f"got {type(x).__name__}") from None


def same_shape(pred, target, fn, names=("pred", "target")):
    """Both as tensors, with exactly the same shape: never a silent broadcast."""
    pred = as_tensor(pred, fn, names[0])
    target = as_tensor(target, fn, names[1], like=pred)
    if pred.shape != target.shape:
        hint = ""
        if pred.shape == target.shape + (1,):
            hint = f"; did you mean {names[0]}.reshape(-1)?"
        elif target.shape == pred.shape + (1,):
            hint = f"; did you mean {names[1]}.reshape(-1)?"
        raise ValueError(f"{fn}: {names[0]} and {names[1]} must have the same shape, got "
                         f"{names[0]} {pred.shape} and {names[1]} {target.shape}{hint}")
    return pred, target


def nonempty(x, fn, name):
    """At least one entry: an empty batch raises instead of giving a NaN mean (or a sum of 0)."""
    size = x.size if isinstance(x, mg.Tensor) else np.size(x)
    if size == 0:
        shape = x.shape if isinstance(x, mg.Tensor) else np.shape(x)
        raise ValueError(f"{fn}: {name} is empty (shape {shape}); a loss needs at least one sample")
    return x


def class_scores(x, fn, name="logits"):
    """x as a tensor of shape (N, C), one row of logits, scores or probabilities per sample, N >= 1."""
    x = as_tensor(x, fn, name)
    ndim_exactly(x, 2, fn, name, "(N, C)")
    nonempty(x, fn, name)
    return x


def ndim_at_least(x, ndim, fn, name, what):
    """x.ndim >= ndim; `what` says the expected shape, e.g. "(N, D): one embedding per row"."""
    if x.ndim < ndim:
        raise ValueError(f"{fn}: {name} must have shape {what}, got {x.shape}")


def reduction(value, fn, allowed=REDUCTIONS):
    """`value` is one of "mean", "sum", "none"."""
    if value not in allowed:
        raise ValueError(f"{fn}: reduction must be one of {', '.join(map(repr, allowed))}, got {value!r}")


def number(value, fn, name, minimum=0.0, strict=False):
    """A real number >= minimum (> minimum when strict); NaN and infinity are rejected."""
    ok = isinstance(value, numbers.Real) and np.isfinite(value)
    ok = ok and (value > minimum if strict else value >= minimum)
    if not ok:
        raise ValueError(f"{fn}: {name} must be a finite number {'>' if strict else '>='} {minimum:g}, "
                         f"got {value!r}")
    return float(value)


def in_range(x, lo, hi, fn, name):
    """Every entry in [lo, hi] (NaN fails)."""
    data = x.data if isinstance(x, mg.Tensor) else np.asarray(x)
    if data.size and lo <= data.min() and data.max() <= hi:    # two passes, no array; NaN fails here
        return
    bad = ~((data >= lo) & (data <= hi))
    if np.any(bad):
        raise ValueError(f"{fn}: {name} must lie in [{lo:g}, {hi:g}], got {data[bad].flat[0].item()!r} "
                         f"({int(bad.sum())} entries outside)")


def labels_in(x, allowed, fn, name):
    """Every entry one of `allowed` (e.g. (0, 1) or (-1, 1))."""
    data = x.data if isinstance(x, mg.Tensor) else np.asarray(x)
    bad = data != allowed[0]            # a comparison per allowed value: twice as fast as np.isin
    for value in allowed[1:]:
        bad &= data != value
    if np.any(bad):
        raise ValueError(f"{fn}: {name} must contain only {' or '.join(map(str, allowed))}, "
                         f"got {data[bad].flat[0].item()!r}")


def class_indices(target, num_classes, fn, name="target", n=None):
    """Integer class indices in [0, num_classes) (of shape (n,) when n is given), as an int array."""
    data = target.data if isinstance(target, mg.Tensor) else np.asarray(target)
    if n is not None and data.shape != (n,):
        hint = f"; did you mean {name}.reshape(-1)?" if data.shape == (n, 1) else ""
        raise ValueError(f"{fn}: {name} must be class indices of shape ({n},), got shape "
                         f"{data.shape}{hint}")
    if data.dtype.kind not in "iuf" or not np.all(np.isfinite(data)) or np.any(data != np.round(data)):
        raise ValueError(f"{fn}: {name} must be whole-number class indices, got dtype {data.dtype} "
                         f"with values such as {data.flat[0] if data.size else '(empty)'}")
    bad = (data < 0) | (data >= num_classes)
    if np.any(bad):
        raise ValueError(f"{fn}: {name} must be class indices in [0, {num_classes - 1}], "
                         f"got {int(data[bad].flat[0])}")
    return data.astype(np.int64)


def one_of(value, allowed, fn, name):
    """A setting that must be one of a few strings, e.g. mining in ("all", "hard", "semi-hard")."""
    if value not in allowed:
        raise ValueError(f"{fn}: {name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value


def ndim_exactly(x, ndim, fn, name, what):
    """x.ndim == ndim; `what` says the expected shape, e.g. "(N, C)"."""
    if x.ndim != ndim:
        raise ValueError(f"{fn}: {name} must have shape {what}, got {x.shape}")


def per_sample(x, n, fn, name):
    """Shape (n,): one value per sample, never an (n, 1) column that would broadcast to (n, n)."""
    if x.shape != (n,):
        hint = f"; did you mean {name}.reshape(-1)?" if x.size == n else ""
        raise ValueError(f"{fn}: {name} must have shape ({n},), one entry per sample, "
                         f"got {x.shape}{hint}")


def whole_numbers(x, fn, name):
    """Finite integers (any sign), e.g. class labels; returned as an int numpy array."""
    data = x.data if isinstance(x, mg.Tensor) else np.asarray(x)
    if data.dtype.kind not in "iuf" or not np.all(np.isfinite(data)) or np.any(data != np.round(data)):
        bad = data.flat[0] if data.size else "(empty)"
        if data.dtype.kind == "f":
            wrong = ~np.isfinite(data) | (data != np.round(np.nan_to_num(data)))
            bad = data[wrong].flat[0] if np.any(wrong) else bad
        raise ValueError(f"{fn}: {name} must be whole numbers, got dtype {data.dtype} "
                         f"with values such as {bad}")
    return data.astype(np.int64)


def fraction(value, fn, name):
    """A real number in [0, 1], e.g. label_smoothing or focal alpha; NaN is rejected."""
    ok = isinstance(value, numbers.Real) and 0.0 <= value <= 1.0
    if not ok:
        raise ValueError(f"{fn}: {name} must be a number in [0, 1], got {value!r}")
    return float(value)


def nonnegative_weights(x, fn, name, like, shape=None, broadcasts_to=None):
    """Weights as a tensor in `like`'s dtype, every entry finite and >= 0.

    `shape`: the exact shape required, e.g. (C,) for one weight per class.
    `broadcasts_to`: a shape the weights must broadcast to without enlarging it.
    """
    weights = as_tensor(x, fn, name, like=like)
    if not weights.requires_grad and weights.dtype != like.dtype:
        weights = mg.Tensor(weights.data, dtype=like.dtype)      # float32 logits keep float32
    if shape is not None and weights.shape != tuple(shape):
        raise ValueError(f"{fn}: {name} must have shape {tuple(shape)}, got {weights.shape}")
    if broadcasts_to is not None:
        try:
            fits = np.broadcast_shapes(weights.shape, broadcasts_to) == tuple(broadcasts_to)
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"{fn}: {name} of shape {weights.shape} must broadcast to the "
                             f"input's shape {tuple(broadcasts_to)}")
    bad = ~(np.isfinite(weights.data) & (weights.data >= 0))
    if np.any(bad):
        raise ValueError(f"{fn}: {name} must be finite and >= 0, got {weights.data[bad].flat[0].item()!r}")
    return weights


def finite(x, fn, name):
    """Every entry finite: for inputs whose values steer a discrete choice (mining), where NaN would mislead."""
    data = x.data if isinstance(x, mg.Tensor) else np.asarray(x)
    bad = ~np.isfinite(data)
    if np.any(bad):
        raise ValueError(f"{fn}: {name} must be finite, got {data[bad].flat[0].item()!r} "
                         f"({int(bad.sum())} entries)")
