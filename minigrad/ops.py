"""Primitive ops, and the few compositions that the public API names.

Each primitive computes its result with numpy and defines `backward(g, out)`,
which turns the upstream gradient `g` into one gradient per input, written with
tensor ops so that it can itself be differentiated (create_graph=True). The
engine (`autograd.py`) sums broadcast gradients back to each input's shape.

Conventions at kinks (one value chosen, the same everywhere):
  relu'(0) = 0,  |x|'(0) = 0,  clip passes the gradient on [lo, hi] inclusive,
  max/min reductions split the gradient equally among tied entries,
  maximum(a, b) and minimum(a, b) give half to each side where a == b.
"""
import math

import numpy as np

from .autograd import record, unbroadcast
from .tensor import Tensor, as_array


def wrap(x, like=None):
    """A Tensor for x. Numbers and arrays take the float dtype of `like`, so float32 stays float32."""
    if isinstance(x, Tensor):
        return x
    if like is not None and like.data.dtype.kind == "f":
        return Tensor._make(as_array(x, like.data.dtype))
    return Tensor._make(as_array(x))


def _pair(a, b):
    if isinstance(a, Tensor):
        return a, (b if isinstance(b, Tensor) else wrap(b, like=a))
    b = wrap(b)
    return wrap(a, like=b), b


def _const(array, like):
    """A constant tensor (no gradient) in the dtype of `like`: masks and weights in backward."""
    return Tensor._make(np.asarray(array, dtype=like.dtype))


# ---- arithmetic --------------------------------------------------------------

def add(a, b):
    """a + b.   d/da = 1,  d/db = 1"""
    a, b = _pair(a, b)

    def backward(g, out):
        return g, g
    return record(a.data + b.data, (a, b), backward, "add")


def mul(a, b):
    """a * b.   d/da = b,  d/db = a"""
    a, b = _pair(a, b)

    def backward(g, out):
        if a is b:                  # a square, x * x: one product 2gx instead of gx + gx
            return g * (2.0 * a), None
        # skip the product for an input that needs no gradient (a constant, the data)
        return (g * b if a.requires_grad else None,
                g * a if b.requires_grad else None)
    return record(a.data * b.data, (a, b), backward, "mul")


def neg(a):
    """-a.   d/da = -1"""
    a = wrap(a)

    def backward(g, out):
        return (-g,)
    return record(-a.data, (a,), backward, "neg")


def sub(a, b):
    """a - b, composed as a + (-b)."""
    a, b = _pair(a, b)
    return add(a, neg(b))


def pow(a, p):
    """a ** p.   d/da = p * a**(p-1) for a number p;  a tensor exponent is exp(p * log(a))."""
    a, p = _pair(a, p)
    if p.requires_grad:
        return exp(p * log(a))
    # a plain float exponent lets numpy take its fast paths (a**2 as a*a, a**-1 as 1/a)
    exponent = p.data.item() if p.data.ndim == 0 else p.data

    def backward(g, out):
        if not np.any(exponent):          # a**0 is constant: a zero gradient, avoiding 0 * inf at a = 0
            return (g * 0.0,)
        return (g * exponent * a ** (exponent - 1),)
    if isinstance(exponent, float) and exponent == -1.0:
        value = 1.0 / a.data        # every a / b takes this path; numpy's power is 4x slower here
    else:
        value = a.data ** exponent
    return record(value, (a,), backward, "pow")


def div(a, b):
    """a / b, composed as a * b**-1."""
    a, b = _pair(a, b)
    return mul(a, pow(b, -1.0))


def matmul(a, b):
    """a @ b with numpy's rules: 1-D operands are treated as a row / column vector.

    d/da = g @ b^T,  d/db = a^T @ g  (over the last two axes; batch axes broadcast).
    """
    a, b = _pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(f"matmul: both operands need at least one axis, got shapes {a.shape} and {b.shape}")
    left_k, right_k = a.shape[-1], b.shape[0] if b.ndim == 1 else b.shape[-2]
    if left_k != right_k:
        raise ValueError(
            f"matmul: shapes {a.shape} @ {b.shape} do not align: the last axis of the left "
            f"operand ({left_k}) must equal the {'only' if b.ndim == 1 else 'second-to-last'} "
            f"axis of the right operand ({right_k})")
    if a.ndim == 1 and b.ndim == 1:
        return sum(a * b)
    if a.ndim == 1:
        return matmul(reshape(a, 1, -1), b).reshape(b.shape[:-2] + b.shape[-1:])
    if b.ndim == 1:
        return matmul(a, reshape(b, -1, 1)).reshape(a.shape[:-1])

    def backward(g, out):
        grad_a = g @ swap_last(b) if a.requires_grad else None
        if not b.requires_grad:
            grad_b = None
        elif b.data.flags.f_contiguous and not b.data.flags.c_contiguous:
            # b is a transposed view (x @ W.T in nn.Linear): (g^T a)^T equals a^T g and comes
            # out laid out like b, so W's gradient is contiguous. Copying or updating W with
            # a transposed gradient was 20% of a wide MLP's training step.
            grad_b = swap_last(swap_last(g) @ a)
        else:
            grad_b = swap_last(a) @ g
        return grad_a, grad_b
    return record(a.data @ b.data, (a, b), backward, "matmul")


def swap_last(a):
    """Swap the last two axes (the matrix transpose of a batch of matrices)."""
    return transpose(a, *range(a.ndim - 2), a.ndim - 1, a.ndim - 2)


# ---- elementwise functions ----------------------------------------------------

def exp(a):
    """e**a.   d/da = e**a, the output itself"""
    a = wrap(a)

    def backward(g, out):
        return (g * out,)
    return record(np.exp(a.data), (a,), backward, "exp")


def log(a):
    """Natural log.   d/da = 1/a"""
    a = wrap(a)

    def backward(g, out):
        return (g / a,)
    return record(np.log(a.data), (a,), backward, "log")


def sqrt(a):
    """Square root.   d/da = 1 / (2 sqrt(a)), infinite at 0."""
    a = wrap(a)

    def backward(g, out):
        return (g / (2.0 * out),)
    return record(np.sqrt(a.data), (a,), backward, "sqrt")


def abs(a):
    """|a|.   d/da = sign(a), with |x|'(0) = 0"""
    a = wrap(a)

    def backward(g, out):
        return (g * _const(np.sign(a.data), a),)
    return record(np.abs(a.data), (a,), backward, "abs")


def relu(a):
    """max(a, 0).   d/da = 1 where a > 0, else 0 (relu'(0) = 0)"""
    a = wrap(a)

    def backward(g, out):
        return (g * _const(a.data > 0, a),)
    return record(np.maximum(a.data, 0), (a,), backward, "relu")


def sigmoid(a):
    """1 / (1 + e**-a), two-sided so that no exp overflows.   d/da = s (1 - s)"""
    a = wrap(a)
    e = np.exp(-np.abs(a.data))                  # in (0, 1]: never overflows
    # 1 / (1 + e^-a) for a >= 0 and e^a / (1 + e^a) for a < 0: both are (1 or e) / (1 + e)
    s = (np.where(a.data >= 0, 1.0, e) / (1.0 + e)).astype(a.dtype, copy=False)

    def backward(g, out):
        return (g * out * (1.0 - out),)
    return record(s, (a,), backward, "sigmoid")


def softplus(a):
    """log(1 + e**a), computed without overflow.   d/da = sigmoid(a)

    A primitive because the composition max(a, 0) + log(1 + e**-|a|) has two kinks
    at 0 whose conventions would give a wrong gradient there.
    """
    a = wrap(a)

    def backward(g, out):
        return (g * sigmoid(a),)
    # max(a, 0) + log1p(e**-|a|): no overflow, and a NaN passes through without a warning
    value = np.maximum(a.data, 0) + np.log1p(np.exp(-np.abs(a.data)))
    return record(value, (a,), backward, "softplus")


def tanh(a):
    """tanh(a).   d/da = 1 - tanh(a)**2"""
    a = wrap(a)

    def backward(g, out):
        return (g * (1.0 - out * out),)
    return record(np.tanh(a.data), (a,), backward, "tanh")


def clip(a, lo=None, hi=None):
    """a limited to [lo, hi] (either may be None).   d/da = 1 on [lo, hi], inclusive, else 0"""
    a = wrap(a)
    lo_ = -np.inf if lo is None else (lo.data if isinstance(lo, Tensor) else lo)
    hi_ = np.inf if hi is None else (hi.data if isinstance(hi, Tensor) else hi)

    def backward(g, out):
        return (g * _const((a.data >= lo_) & (a.data <= hi_), a),)
    return record(np.clip(a.data, lo_, hi_).astype(a.dtype, copy=False), (a,), backward, "clip")


def maximum(a, b):
    """Elementwise max.   The gradient goes to the larger input; half to each where a == b."""
    a, b = _pair(a, b)

    def backward(g, out):
        to_a = (a.data > b.data) + 0.5 * (a.data == b.data)     # 1, 0, or ½ on a tie
        # no product for a side that needs no gradient (the constant in minimum(r, delta))
        return (g * _const(to_a, g) if a.requires_grad else None,
                g * _const(1.0 - to_a, g) if b.requires_grad else None)
    return record(np.maximum(a.data, b.data), (a, b), backward, "maximum")


def minimum(a, b):
    """Elementwise min.   The gradient goes to the smaller input; half to each where a == b."""
    a, b = _pair(a, b)

    def backward(g, out):
        to_a = (a.data < b.data) + 0.5 * (a.data == b.data)     # 1, 0, or ½ on a tie
        # no product for a side that needs no gradient (the constant in minimum(r, delta))
        return (g * _const(to_a, g) if a.requires_grad else None,
                g * _const(1.0 - to_a, g) if b.requires_grad else None)
    return record(np.minimum(a.data, b.data), (a, b), backward, "minimum")


def where(cond, a, b):
    """a where cond is true, else b.   The gradient goes to the chosen side.

    Both sides are computed everywhere: keep the unchosen one finite (a log of 0
    there gives 0 * inf = nan in the backward pass).
    """
    a, b = _pair(a, b)
    chosen = np.asarray(cond.data if isinstance(cond, Tensor) else cond, dtype=bool)

    def backward(g, out):
        return (g * _const(chosen, g) if a.requires_grad else None,
                g * _const(~chosen, g) if b.requires_grad else None)
    return record(np.where(chosen, a.data, b.data), (a, b), backward, "where")


def compare(a, b, numpy_compare):
    """A boolean tensor with no gradient (a < b, a == b, ...)."""
    a, b = _pair(a, b)
    return Tensor._make(numpy_compare(a.data, b.data))


# ---- reductions ---------------------------------------------------------------

def _axes(axis, ndim):
    """axis (None, an int or a tuple) as a tuple of non-negative ints."""
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(int(ax) % ndim if ndim else 0 for ax in axes))


def _kept_shape(shape, axes):
    """The shape a reduction over `axes` has with keepdims=True."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def broadcast_to(a, shape):
    """a repeated along broadcast axes to `shape`.   Backward: sum back (unbroadcast)."""
    a = wrap(a)

    def backward(g, out):
        return (unbroadcast(g, a.shape),)
    return record(np.broadcast_to(a.data, shape), (a,), backward, "broadcast_to")


def sum(a, axis=None, keepdims=False):
    """Sum over `axis` (None: all).   d/da = 1: the gradient is copied to every summed entry."""
    a = wrap(a)
    axes = _axes(axis, a.ndim)

    def backward(g, out):
        return (broadcast_to(reshape(g, _kept_shape(a.shape, axes)), a.shape),)
    return record(a.data.sum(axis=axes, keepdims=keepdims), (a,), backward, "sum")


def mean(a, axis=None, keepdims=False):
    """Average over `axis`, composed as sum * (1 / count): the same numbers as sum / count, one op fewer."""
    a = wrap(a)
    axes = _axes(axis, a.ndim)
    count = math.prod(a.shape[i] for i in axes)       # np.prod of a short list costs 2 µs
    return sum(a, axes, keepdims) * (1.0 / count if count else np.nan)   # empty: nan, as numpy


def _extreme(a, axis, keepdims, numpy_reduce, name):
    a = wrap(a)
    axes = _axes(axis, a.ndim)
    kept = numpy_reduce(a.data, axis=axes, keepdims=True)
    is_extreme = a.data == kept
    # ties split equally; a slice holding a NaN has no extreme entry and passes no gradient
    share = is_extreme / np.maximum(is_extreme.sum(axis=axes, keepdims=True), 1)

    def backward(g, out):
        return (reshape(g, kept.shape) * _const(share, g),)
    value = kept if keepdims else kept.reshape([n for i, n in enumerate(a.shape) if i not in axes])
    return record(value, (a,), backward, name)


def max(a, axis=None, keepdims=False):
    """Largest entry over `axis`.   The gradient is split equally among tied maxima."""
    return _extreme(a, axis, keepdims, np.max, "max")


def min(a, axis=None, keepdims=False):
    """Smallest entry over `axis`.   The gradient is split equally among tied minima."""
    return _extreme(a, axis, keepdims, np.min, "min")


def logsumexp(a, axis=-1, keepdims=False):
    """log(sum(exp(a))) over `axis`, shifted by the max so no exp overflows.

    The shift m is held constant (its gradient cancels exactly).   d/da = softmax(a)
    """
    a = wrap(a)
    axes = _axes(axis, a.ndim)
    m = np.max(a.data, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)           # all -inf: no shift instead of nan
    kept = np.log(np.sum(np.exp(a.data - m), axis=axes, keepdims=True)) + m
    value = kept if keepdims else kept.reshape([n for i, n in enumerate(a.shape) if i not in axes])

    def backward(g, out):
        kept_shape = _kept_shape(a.shape, axes)
        return (reshape(g, kept_shape) * exp(a - reshape(out, kept_shape)),)
    return record(value.astype(a.dtype, copy=False), (a,), backward, "logsumexp")


def log_softmax(a, axis=-1):
    """a - logsumexp(a): log-probabilities, finite for any finite logits."""
    a = wrap(a)
    return a - logsumexp(a, axis, keepdims=True)


def softmax(a, axis=-1):
    """exp(log_softmax(a)): probabilities along `axis` that sum to 1."""
    return exp(log_softmax(a, axis))


# ---- shape --------------------------------------------------------------------

def reshape(a, *shape):
    """Same entries, new shape: reshape(2, 3) and reshape((2, 3)) both work."""
    a = wrap(a)
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])

    def backward(g, out):
        return (reshape(g, a.shape),)
    return record(a.data.reshape(shape), (a,), backward, "reshape")


def transpose(a, *axes):
    """Permute axes: no arguments reverses them, transpose(1, 0, 2) permutes."""
    a = wrap(a)
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    axes = axes or tuple(reversed(range(a.ndim)))

    def backward(g, out):
        # the permutation that undoes axes (a negative axis counts from the end, as in numpy)
        inverse = sorted(range(len(axes)), key=lambda i: axes[i] % len(axes))
        return (transpose(g, *inverse),)
    return record(a.data.transpose(axes), (a,), backward, "transpose")


def _plain_index(index):
    """Tensors inside an index become arrays: booleans stay masks, floats become integer indices."""
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if not isinstance(index, Tensor):
        return index
    if index.dtype == bool:
        return index.data
    if np.any(index.data != np.round(index.data)):
        raise IndexError(f"index: a tensor used as an index must hold whole numbers, got {index.data}")
    return index.data.astype(np.int64)


def getitem(a, index):
    """a[index], with numpy's basic and advanced indexing.   Backward: scatter-add g into zeros."""
    a = wrap(a)
    index = _plain_index(index)

    def backward(g, out):
        return (scatter_add(g, index, a.shape),)
    return record(a.data[index], (a,), backward, "getitem")


def scatter_add(g, index, shape):
    """zeros(shape) with g added at `index` (repeated indices add up).   Backward: g[index]."""
    g = wrap(g)
    full = np.zeros(shape, dtype=g.dtype)
    np.add.at(full, index, g.data)

    def backward(gg, out):
        return (getitem(gg, index),)
    return record(full, (g,), backward, "scatter_add")


def concatenate(tensors, axis=0):
    """Join tensors along an existing axis.   Backward: each input gets its slice of g."""
    like = next((t for t in tensors if isinstance(t, Tensor)), None)
    tensors = [wrap(t, like=like) for t in tensors]     # arrays in the list take a tensor's dtype
    axis = axis % tensors[0].ndim
    ends = np.cumsum([t.shape[axis] for t in tensors])

    def backward(g, out):
        return tuple(getitem(g, (slice(None),) * axis + (slice(end - t.shape[axis], end),))
                     for t, end in zip(tensors, ends))
    return record(np.concatenate([t.data for t in tensors], axis=axis), tensors, backward, "concatenate")


def stack(tensors, axis=0):
    """Join same-shaped tensors along a new axis, composed as concatenate of reshapes."""
    like = next((t for t in tensors if isinstance(t, Tensor)), None)
    tensors = [wrap(t, like=like) for t in tensors]
    axis = axis % (tensors[0].ndim + 1)
    expanded = [reshape(t, t.shape[:axis] + (1,) + t.shape[axis:]) for t in tensors]
    return concatenate(expanded, axis)
