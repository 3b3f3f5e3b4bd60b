"""Speed helpers for the built-in ops: nothing here changes a number, only how fast it is made.

* `constant`: a cache of the Python numbers ops meet (`y * 0.9` in a loop), so each
  is wrapped as a tensor once.
* two-way helpers for the built-ins' gradient functions, which the engine calls with
  numpy arrays in a plain backward pass and with tensors under create_graph=True (see
  autograd.py): numpy on arrays, the matching minigrad op on tensors. Each op's
  gradient is written once, and a plain pass makes no Tensor at all.

The ops a helper needs on tensors are imported where they are used: ops.py imports
this module, so importing ops.py here would be circular.
"""
import math

import numpy as np

from .tensor import Tensor, as_array

_constants = {}


def constant(x, like):
    """The Python number x as a constant tensor in the dtype of `like`, shared between ops.

    `y * 0.9` in a loop then costs a dictionary lookup instead of a new array and tensor
    each time (and a deep graph holds one constant, not one per op). The shared array is
    read-only. 0, -0 and NaN are not shared (0.0 == -0.0 would lose the sign of a zero).
    """
    key = (x, like.data.dtype)
    tensor = _constants.get(key)
    if tensor is None:
        tensor = Tensor._make(as_array(x, like.data.dtype))
        if x and x == x:
            if len(_constants) >= 1000:       # a loop over many numbers must not fill memory
                _constants.clear()
            tensor.data.flags.writeable = False
            _constants[key] = tensor
    return tensor


# ---- two-way helpers: numpy on arrays, an op on tensors ----------------------------

def data(x):
    """The values of x, for masks and weights that are constants in both passes."""
    return x.data if isinstance(x, Tensor) else x


def exp(x):
    return x.exp() if isinstance(x, Tensor) else np.exp(x)


def log(x):
    return x.log() if isinstance(x, Tensor) else np.log(x)


def where(condition, a, b):
    """a where the boolean array `condition` holds, else b (either may be a number)."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        from .ops import where as where_op
        return where_op(condition, a, b)
    return np.where(condition, a, b)


def masked(g, condition):
    """g where the boolean array `condition` holds, else exactly 0, selected (not multiplied
    by a 0/1 mask): an entry the mask turns off is 0 even where g is inf or nan, in both passes.

    On arrays with every entry of g finite, a product with the mask gives the same numbers
    (0 · g = 0) three times faster than np.where, whose branch per entry a random mask defeats.
    """
    if condition.all():         # nothing masked (a clamp that never bit): g passes unchanged
        return g
    if not isinstance(g, Tensor) and np.isfinite(g).all():
        return g * condition.astype(g.dtype)
    return where(condition, g, 0.0)


def softplus_slope(a, out):
    """sigmoid(a), the slope of out = softplus(a): an op on tensors; on arrays 1 - e**-out,
    as -expm1(-out) (accurate in both tails, 1 at a = inf), in one buffer."""
    if isinstance(a, Tensor):
        return a.sigmoid()
    slope = np.negative(out, out=np.empty_like(out))     # out= keeps a 0-d result an array
    np.expm1(slope, out=slope)
    return np.negative(slope, out=slope)


def broadcast_to(g, shape):
    """g repeated along its size-1 axes to `shape` (a sum's backward)."""
    if isinstance(g, Tensor):
        from .ops import broadcast_to as broadcast_to_op
        return broadcast_to_op(g, shape)
    if math.prod(shape) > 4096:
        return np.broadcast_to(g, shape)        # a read-only view: no pass over a large array
    full = np.empty(shape, dtype=g.dtype)       # for a small one, a copy is faster than numpy's view machinery
    full[...] = g
    return full


def scatter_add(g, index, shape):
    """zeros(shape) with g added at `index` (repeated indices add up): getitem's backward."""
    if isinstance(g, Tensor):
        from .ops import scatter_add as scatter_add_op
        return scatter_add_op(g, index, shape)
    full = np.zeros(shape, dtype=g.dtype)
    np.add.at(full, index, g)
    return full
