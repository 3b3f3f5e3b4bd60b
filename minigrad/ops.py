"""Primitive ops, and the few compositions that the public API names.

Each primitive computes its result with numpy and hands the engine one gradient
function per input, `d(g, out, *inputs)`, right after the op. A gradient function
uses only what numpy arrays and tensors share (operators, `.reshape`, `.sum`,
`.transpose`, indexing, and the two-way helpers of `_fast.py`), so the engine runs it
on plain arrays in a first-order backward pass and on tensors when create_graph=True,
where the gradient is itself differentiable. The engine sums broadcast gradients
back to each input's shape and only calls the functions of inputs that need a gradient.
Where an op passes no gradient to an entry (a mask), the entry's gradient is selected
to be exactly 0, whatever arrives from upstream (inf and nan included).

Values at the edges of a domain are numpy's (0 ** 0 = 1, (-2) ** 3 = -8, a / b for a
subnormal b), with PyTorch's gradients there. Conventions at kinks (one value chosen,
the same everywhere):
  relu'(0) = 0,  |x|'(0) = 0,  clip passes the gradient on [lo, hi] inclusive,
  max/min reductions split the gradient equally among tied entries,
  maximum(a, b) and minimum(a, b) give half to each side where a == b.
"""
import math

import numpy as np

from . import _fast
from ._fast import masked
from .autograd import _record as record
from .autograd import unbroadcast
from .tensor import Tensor, as_array

AxisError = np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError


def wrap(x, like=None):
    """A Tensor for x. Numbers and arrays take the float dtype of `like`, so float32 stays float32."""
    if isinstance(x, Tensor):
        return x
    if like is not None and like.data.dtype.kind == "f":
        return Tensor._make(as_array(x, like.data.dtype))
    return Tensor._make(as_array(x))


def _pair(a, b):
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            return a, b
        return a, (_fast.constant(b, a) if type(b) in (float, int) else wrap(b, like=a))
    b = wrap(b)
    return (_fast.constant(a, b) if type(a) in (float, int) else wrap(a, like=b)), b


def _swap_last(x):
    """Swap the last two axes (the matrix transpose of a batch of matrices)."""
    return x.T if x.ndim == 2 else x.transpose(*range(x.ndim - 2), x.ndim - 1, x.ndim - 2)


# ---- arithmetic --------------------------------------------------------------

def add(a, b):
    """a + b.   d/da = 1,  d/db = 1"""
    a, b = _pair(a, b)
    return record(a.data + b.data, (a, b), _add_grads, "add")


_add_grads = (lambda g, out, a, b: g,
              lambda g, out, a, b: g)


def sub(a, b):
    """a - b.   d/da = 1,  d/db = -1"""
    a, b = _pair(a, b)
    return record(a.data - b.data, (a, b), _sub_grads, "sub")


_sub_grads = (lambda g, out, a, b: g,
              lambda g, out, a, b: -g)


def mul(a, b):
    """a * b.   d/da = b,  d/db = a   (x * x is square(x))"""
    a, b = _pair(a, b)
    if a is b:
        return square(a)
    return record(a.data * b.data, (a, b), _mul_grads, "mul")


_mul_grads = (lambda g, out, a, b: g * b,
              lambda g, out, a, b: g * a)


def div(a, b):
    """a / b.   d/da = 1/b,  d/db = -a/b² = -(a/b)/b, so a subnormal b overflows nothing it need not"""
    a, b = _pair(a, b)
    return record(a.data / b.data, (a, b), _div_grads, "div")


_div_grads = (lambda g, out, a, b: g / b,
              lambda g, out, a, b: -g * out / b)


def neg(a):
    """-a.   d/da = -1"""
    a = wrap(a)
    return record(-a.data, (a,), _neg_grads, "neg")


_neg_grads = (lambda g, out, a: -g,)


def square(a):
    """a².   d/da = 2a, one product per gradient where x * x as a product would take two and a sum"""
    a = wrap(a)
    return record(a.data * a.data, (a,), _square_grads, "square")


# g * (a + a), not (g + g) * a: after a sum, g is a broadcast view of one number, and numpy
# adds two such views three times slower than it multiplies one into an ordinary array
_square_grads = (lambda g, out, a: g * (a + a),)


def pow(a, p):
    """a ** p with numpy's values ((-2) ** 3 = -8, 0 ** 0 = 1) and PyTorch's gradients:

    d/da = p a**(p-1), and 0 where p == 0 (a**0 is constant, even at a = 0)
    d/dp = a**p log(a), and 0 where a == 0 and p >= 0 (0**p is 0 or 1 there)
    a ** 2 for the number 2 is square(a).
    """
    if type(p) in (int, float) and p == 2:
        return square(a)
    a, p = _pair(a, p)
    with np.errstate(divide="ignore", invalid="ignore"):   # numpy's values at the domain's edges, no warning
        value = a.data ** p.data
    return record(value, (a, p), _pow_grads, "pow")


def _pow_base(g, out, a, p):
    constant = _fast.data(p) == 0
    if np.any(constant):    # a**0 is constant: 0, with a base of 1 there so no 0 * inf makes a nan in any order
        a = _fast.where(constant, 1.0, a)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        slope = g * (p * a ** (p - 1))
    return _fast.where(constant, 0.0, slope) if np.any(constant) else slope


def _pow_exponent(g, out, a, p):
    flat = (_fast.data(a) == 0) & (_fast.data(p) >= 0)
    if np.any(flat):        # 0**p is 0 or 1 there: log of 1 instead of log 0, so d/dp and its derivatives are 0
        a = _fast.where(flat, 1.0, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        return g * (out * _fast.log(a))


_pow_grads = (_pow_base, _pow_exponent)


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
    return record(a.data @ b.data, (a, b), _matmul_grads, "matmul")


_matmul_grads = (lambda g, out, a, b: g @ _swap_last(b),
                 lambda g, out, a, b: _swap_last(a) @ g)


def linear(x, weight, bias=None):
    """x @ weight.T + bias, the layer of nn.Linear: weight (out, in), x (..., in), bias (out,).

    d/dx = g @ weight,  d/dweight = gᵀ x (over every sample),  d/dbias = g summed over samples.
    One op instead of transpose, matmul and add: fewer nodes per layer, and weight's
    gradient is computed in weight's own (out, in) layout, with no transposed copy.
    """
    weight = wrap(weight)
    x = wrap(x, like=weight)
    if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
        raise ValueError(f"linear: input of shape {x.shape} does not fit a weight of shape {weight.shape}: "
                         f"its last axis must have {weight.shape[1]} entries")
    value = x.data @ weight.data.T
    if bias is None:
        return record(value, (x, weight), _linear_grads[:2], "linear")
    bias = wrap(bias, like=weight)
    return record(value + bias.data, (x, weight, bias), _linear_grads, "linear")


def _linear_weight(g, out, x, w, *b):
    samples = math.prod(x.shape[:-1])                   # every sample adds its g xᵀ
    return g.reshape(samples, w.shape[0]).T @ x.reshape(samples, w.shape[1])


_linear_grads = (lambda g, out, x, w, *b: g @ w,
                 _linear_weight,
                 lambda g, out, x, w, b: g.reshape(math.prod(g.shape[:-1]), w.shape[0]).sum(axis=0))


def astype(a, dtype):
    """A copy of a in another float dtype.   The gradient is cast back to a's dtype."""
    a = wrap(a)
    return record(a.data.astype(dtype), (a,), _astype_grads, "astype")


_astype_grads = (lambda g, out, a: g.astype(a.dtype),)


# ---- elementwise functions ----------------------------------------------------

def exp(a):
    """e**a.   d/da = e**a, the output itself"""
    a = wrap(a)
    return record(np.exp(a.data), (a,), _exp_grads, "exp")


_exp_grads = (lambda g, out, a: g * out,)


def log(a):
    """Natural log.   d/da = 1/a"""
    a = wrap(a)
    return record(np.log(a.data), (a,), _log_grads, "log")


_log_grads = (lambda g, out, a: g / a,)


def sqrt(a):
    """Square root.   d/da = 1 / (2 sqrt(a)), infinite at 0."""
    a = wrap(a)
    return record(np.sqrt(a.data), (a,), _sqrt_grads, "sqrt")


_sqrt_grads = (lambda g, out, a: g / (2.0 * out),)


def abs(a):
    """|a|.   d/da = sign(a), with |x|'(0) = 0"""
    a = wrap(a)
    return record(np.abs(a.data), (a,), _abs_grads, "abs")


_abs_grads = (lambda g, out, a: masked(g, _fast.data(a) != 0) * np.sign(_fast.data(a)),)


def relu(a):
    """max(a, 0).   d/da = 1 where a > 0, else 0 (relu'(0) = 0)"""
    a = wrap(a)
    return record(np.maximum(a.data, 0), (a,), _relu_grads, "relu")


_relu_grads = (lambda g, out, a: masked(g, _fast.data(a) > 0),)


def _sigmoid_values(x):
    e = np.exp(-np.abs(x))                       # in (0, 1]: never overflows
    # 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0: both are (1 or e) / (1 + e)
    return (np.where(x >= 0, 1.0, e) / (1.0 + e)).astype(x.dtype, copy=False)


def sigmoid(a):
    """1 / (1 + e**-a), two-sided so that no exp overflows.   d/da = s (1 - s)"""
    a = wrap(a)
    return record(_sigmoid_values(a.data), (a,), _sigmoid_grads, "sigmoid")


_sigmoid_grads = (lambda g, out, a: g * (out * (1.0 - out)),)


def softplus(a):
    """log(1 + e**a), computed without overflow.   d/da = sigmoid(a)

    A primitive because the composition max(a, 0) + log(1 + e**-|a|) has two kinks
    at 0 whose conventions would give a wrong gradient there.
    """
    a = wrap(a)
    # log1p(e**-|a|) + max(a, 0): no overflow, and a NaN passes through without a warning;
    # the max added in place, so a large input needs two temporaries at a time, not four
    value = np.log1p(np.exp(-np.abs(a.data)))
    value += np.maximum(a.data, 0)
    return record(value, (a,), _softplus_grads, "softplus")


_softplus_grads = (lambda g, out, a: g * _fast.softplus_slope(a, out),)


def tanh(a):
    """tanh(a).   d/da = 1 - tanh(a)**2"""
    a = wrap(a)
    return record(np.tanh(a.data), (a,), _tanh_grads, "tanh")


_tanh_grads = (lambda g, out, a: g - g * out * out,)     # g (1 - tanh²), without a Python-number subtraction


def clip(a, lo=None, hi=None):
    """a limited to [lo, hi] (either may be None, a number or a tensor).

    d/da = 1 on [lo, hi], inclusive, else 0;  d/dlo = 1 where a < lo;  d/dhi = 1 where a > hi
    """
    a = wrap(a)
    lo = wrap(-np.inf if lo is None else lo, like=a)
    hi = wrap(np.inf if hi is None else hi, like=a)
    value = np.clip(a.data, lo.data, hi.data).astype(a.dtype, copy=False)
    return record(value, (a, lo, hi), _clip_grads, "clip")


_clip_grads = (lambda g, out, a, lo, hi: masked(g, _fast.data(out) == _fast.data(a)),   # unclipped: lo <= a <= hi
               lambda g, out, a, lo, hi: masked(g, _fast.data(a) < _fast.data(lo)),
               lambda g, out, a, lo, hi: masked(g, _fast.data(a) > _fast.data(hi)))


def _share(g, x, y):
    """g where x > y, ½ g where x == y (a tie: half to each side), else 0: the part of maximum(x, y)'s gradient that goes to x."""
    x, y = _fast.data(x), _fast.data(y)
    share, ties = masked(g, x > y), x == y
    return _fast.where(ties, 0.5 * g, share) if np.any(ties) else share


def maximum(a, b):
    """Elementwise max.   The gradient goes to the larger input; half to each where a == b."""
    a, b = _pair(a, b)
    return record(np.maximum(a.data, b.data), (a, b), _maximum_grads, "maximum")


_maximum_grads = (lambda g, out, a, b: _share(g, a, b),
                  lambda g, out, a, b: _share(g, b, a))


def minimum(a, b):
    """Elementwise min.   The gradient goes to the smaller input; half to each where a == b."""
    a, b = _pair(a, b)
    return record(np.minimum(a.data, b.data), (a, b), _minimum_grads, "minimum")


_minimum_grads = (lambda g, out, a, b: _share(g, b, a),
                  lambda g, out, a, b: _share(g, a, b))


def where(cond, a, b):
    """a where cond is true, else b.   The gradient goes to the chosen side.

    Both sides are computed everywhere: keep the unchosen one finite (a log of 0
    there gives 0 * inf = nan in the backward pass).
    """
    a, b = _pair(a, b)
    chosen = Tensor._make(np.asarray(_fast.data(cond), dtype=bool))     # a constant input: never a gradient
    return record(np.where(chosen.data, a.data, b.data), (chosen, a, b), _where_grads, "where")


_where_grads = (None,
                lambda g, out, c, a, b: masked(g, _fast.data(c)),
                lambda g, out, c, a, b: masked(g, ~_fast.data(c)))


def compare(a, b, numpy_compare):
    """A boolean tensor with no gradient (a < b, a == b, ...)."""
    a, b = _pair(a, b)
    return Tensor._make(numpy_compare(a.data, b.data))


# ---- reductions ---------------------------------------------------------------

def _axis(axis, ndim):
    """One axis as a non-negative int; numpy's AxisError when it is out of range."""
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise AxisError(axis, ndim)
    return axis % ndim


def _axes(axis, ndim):
    """axis (None, an int or a tuple) as a sorted tuple of non-negative ints, checked as numpy does."""
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(sorted(_axis(ax, ndim) for ax in (axis if isinstance(axis, (tuple, list)) else (axis,))))
    if len(set(axes)) != len(axes):
        raise ValueError(f"duplicate value in 'axis': {axis}")
    return axes


def _kept_shape(shape, axes):
    """The shape a reduction over `axes` has with keepdims=True."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def broadcast_to(a, shape):
    """a repeated along broadcast axes to `shape`.   Backward: sum back (unbroadcast)."""
    a = wrap(a)
    return record(np.broadcast_to(a.data, shape), (a,), _broadcast_to_grads, "broadcast_to")


_broadcast_to_grads = (lambda g, out, a: unbroadcast(g, a.shape),)


def sum(a, axis=None, keepdims=False):
    """Sum over `axis` (None: all).   d/da = 1: the gradient is copied to every summed entry."""
    a = wrap(a)
    axes = _axes(axis, a.ndim)
    kept = _kept_shape(a.shape, axes)
    return record(a.data.sum(axis=axes, keepdims=keepdims), (a,),
                  (lambda g, out, a: _fast.broadcast_to(g.reshape(kept), a.shape),), "sum")


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
    value = kept if keepdims else kept.reshape([n for i, n in enumerate(a.shape) if i not in axes])
    return record(value, (a,), (lambda g, out, a: masked(g.reshape(kept.shape), is_extreme) * share,), name)


def max(a, axis=None, keepdims=False):
    """Largest entry over `axis`.   The gradient is split equally among tied maxima."""
    return _extreme(a, axis, keepdims, np.max, "max")


def min(a, axis=None, keepdims=False):
    """Smallest entry over `axis`.   The gradient is split equally among tied minima."""
    return _extreme(a, axis, keepdims, np.min, "min")


def _shifted_logsumexp(x, axes):
    """log Σ e^x over `axes`, kept dims, shifted by the max: no exp overflows.

    An empty axis gives log 0 = -inf, as in PyTorch; an all -inf slice is not shifted.
    """
    m = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True)) + m


def logsumexp(a, axis=-1, keepdims=False):
    """log(sum(exp(a))) over `axis`, shifted by the max so no exp overflows.

    The shift m is held constant (its gradient cancels exactly).   d/da = softmax(a)
    """
    a = wrap(a)
    axes = _axes(axis, a.ndim)
    kept = _kept_shape(a.shape, axes)
    value = _shifted_logsumexp(a.data, axes).astype(a.dtype, copy=False)
    value = value if keepdims else value.reshape([n for i, n in enumerate(a.shape) if i not in axes])
    return record(value, (a,), (lambda g, out, a: g.reshape(kept) * _fast.exp(a - out.reshape(kept)),), "logsumexp")


def log_softmax(a, axis=-1):
    """a - logsumexp(a): log-probabilities, finite for any finite logits.

    d/da = g - softmax(a) Σ g  (over `axis`), with softmax(a) = exp(out).
    """
    a = wrap(a)
    axes = _axes(axis, a.ndim)
    value = (a.data - _shifted_logsumexp(a.data, axes)).astype(a.dtype, copy=False)
    return record(value, (a,), (lambda g, out, a: g - _fast.exp(out) * g.sum(axis=axes, keepdims=True),),
                  "log_softmax")


def softmax(a, axis=-1):
    """exp(log_softmax(a)): probabilities along `axis` that sum to 1."""
    return exp(log_softmax(a, axis))


# ---- shape --------------------------------------------------------------------

def reshape(a, *shape):
    """Same entries, new shape: reshape(2, 3) and reshape((2, 3)) both work."""
    a = wrap(a)
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return record(a.data.reshape(shape), (a,), _reshape_grads, "reshape")


_reshape_grads = (lambda g, out, a: g.reshape(a.shape),)


def transpose(a, *axes):
    """Permute axes: no arguments reverses them, transpose(1, 0, 2) permutes."""
    a = wrap(a)
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    if not axes:
        axes = inverse = tuple(range(a.ndim - 1, -1, -1))     # reversing twice undoes it
    else:
        if len(axes) != a.ndim:
            raise ValueError(f"transpose: axes don't match array: {len(axes)} axes for {a.ndim} dimensions")
        axes = tuple(_axis(ax, a.ndim) for ax in axes)
        if len(set(axes)) != len(axes):
            raise ValueError(f"transpose: repeated axis in {axes}")
        inverse = tuple(sorted(range(a.ndim), key=axes.__getitem__))     # the permutation that undoes axes
    return record(a.data.transpose(axes), (a,), (lambda g, out, a: g.transpose(inverse),), "transpose")


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
    return record(a.data[index], (a,), (lambda g, out, a: _fast.scatter_add(g, index, a.shape),), "getitem")


def scatter_add(g, index, shape):
    """zeros(shape) with g added at `index` (repeated indices add up).   Backward: g[index]."""
    g = wrap(g)
    return record(_fast.scatter_add(g.data, index, shape), (g,), (lambda gg, out, g: gg[index],), "scatter_add")


def concatenate(tensors, axis=0):
    """Join tensors along an existing axis.   Backward: each input gets its slice of g."""
    if len(tensors) == 0:
        raise ValueError("concatenate: need at least one tensor to concatenate")
    like = next((t for t in tensors if isinstance(t, Tensor)), None)
    tensors = [wrap(t, like=like) for t in tensors]     # arrays in the list take a tensor's dtype
    if any(t.ndim == 0 for t in tensors):
        raise ValueError("concatenate: zero-dimensional tensors cannot be concatenated; "
                         "use mg.stack to join scalars along a new axis")
    axis = _axis(axis, tensors[0].ndim)
    ends = np.cumsum([t.shape[axis] for t in tensors])
    slices = [(slice(None),) * axis + (slice(end - t.shape[axis], end),) for t, end in zip(tensors, ends)]
    grads = tuple(lambda g, out, *ts, s=s: g[s] for s in slices)
    return record(np.concatenate([t.data for t in tensors], axis=axis), tensors, grads, "concatenate")


def stack(tensors, axis=0):
    """Join same-shaped tensors along a new axis, composed as concatenate of reshapes."""
    if len(tensors) == 0:
        raise ValueError("stack: need at least one tensor to stack")
    like = next((t for t in tensors if isinstance(t, Tensor)), None)
    tensors = [wrap(t, like=like) for t in tensors]
    axis = _axis(axis, tensors[0].ndim + 1)
    expanded = [reshape(t, t.shape[:axis] + (1,) + t.shape[axis:]) for t in tensors]
    return concatenate(expanded, axis)
