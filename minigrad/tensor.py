"""The Tensor: a numpy array that remembers how it was made.

A tensor made by an op keeps its parents (the op's inputs) and a `backward`
function; `autograd.py` walks those links in reverse to compute gradients.
Every operator below hands the work to a function in `ops.py`.
"""
import numpy as np


def as_array(data, dtype=None, what="Tensor"):
    """Turn `data` into a float numpy array: float32 stays float32, other numbers become float64."""
    if dtype is None:
        array = np.asarray(data)
        if array.dtype == np.float32 or array.dtype == np.float64:
            return array
        dtype = np.float64
        if array.dtype.kind not in "biuf":   # bool, int, unsigned, float
            raise TypeError(
                f"{what}: expected numbers (a Python number, a list of numbers or a numeric "
                f"numpy array), got {type(data).__name__} with dtype {array.dtype}")
    try:
        return np.asarray(data, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{what}: expected numbers convertible to {np.dtype(dtype)}, "
                        f"got {type(data).__name__}: {err}") from None


class Tensor:
    """An n-dimensional array of floats with reverse-mode autodiff.

    Tensor(data, requires_grad=False, dtype=None): `data` is a number, a (nested)
    list or a numpy array, copied. With dtype=None a float32 array stays float32 and
    everything else becomes float64.
    """
    __slots__ = (
        "data",             # the values, a numpy array
        "requires_grad",    # True for a leaf that wants .grad, and for every op result computed from one
        "_grad",            # the accumulated gradient, a numpy array (see .grad)
        "_grad_tensor",     # the same gradient as a Tensor, after backward(create_graph=True)
        "_parents",         # an op's input tensors; () for a leaf, and for an op whose graph was freed
        "_backward",        # how g becomes the parents' gradients (see record); None for a leaf or a freed op
        "_op",              # the op's name, for error messages; "" for a leaf
        "_order",           # ops are numbered as they are recorded, so later ops have larger numbers; 0 for a leaf
        "__weakref__",
    )
    __array_priority__ = 1000   # `ndarray + Tensor` calls Tensor.__radd__, not numpy's loop
    __hash__ = object.__hash__  # `==` is elementwise, so restore hashing by identity

    def __init__(self, data, requires_grad=False, dtype=None):
        if isinstance(data, Tensor):
            data = data.data
        self._fill(np.array(as_array(data, dtype), copy=True))
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(f"Tensor: only floating-point tensors can require gradients, got dtype "
                            f"{self.data.dtype}; use dtype=np.float64 or np.float32")
        self.requires_grad = bool(requires_grad)

    @classmethod
    def _make(cls, data):
        """A tensor around an existing array: no copy, no checks (the engine's fast path)."""
        t = object.__new__(cls)
        t._fill(data if isinstance(data, np.ndarray) else np.asarray(data))
        return t

    def _fill(self, data):
        """Set every field (listed in __slots__): a leaf holding `data`, no gradient yet."""
        self.data, self.requires_grad, self._grad, self._grad_tensor = data, False, None, None
        self._parents, self._backward, self._op, self._order = (), None, "", 0

    # ---- plain attributes -------------------------------------------------
    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    dtype = property(lambda self: self.data.dtype)
    size = property(lambda self: self.data.size)
    T = property(lambda self: ops.transpose(self))

    # .grad and .grad_tensor always agree: after backward(create_graph=True) the array
    # .grad is the data of the tensor .grad_tensor, and clearing either clears both
    # (p.grad = None, PyTorch's set-to-none idiom, also drops the gradient's graph).
    @property
    def grad(self):
        """The accumulated gradient, a numpy array of this tensor's shape and dtype (or None)."""
        return self._grad

    @grad.setter
    def grad(self, value):
        self._grad = value
        self._grad_tensor = None

    @property
    def grad_tensor(self):
        """The same gradient as a Tensor with a graph, after backward(create_graph=True); else None."""
        return self._grad_tensor

    @grad_tensor.setter
    def grad_tensor(self, value):
        self._grad_tensor = value
        self._grad = None if value is None else value.data

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extra = ", requires_grad=True" if self.requires_grad else ""
        extra += ", dtype=float32" if self.data.dtype == np.float32 else ""
        return f"Tensor({body}{extra})"

    def __bool__(self):
        return bool(self.data)

    def item(self):
        """The value of a one-element tensor as a Python float."""
        if self.data.size != 1:
            raise ValueError(f"item: only a one-element tensor converts to a number, "
                             f"this one has shape {self.shape}")
        return self.data.item()

    def numpy(self):
        """The underlying numpy array (shared, not copied)."""
        return self.data

    def detach(self):
        """The same values, cut from the graph: no gradient flows through the result."""
        return Tensor._make(self.data)

    def zero_grad(self):
        self.grad = None

    def backward(self, grad=None, retain_graph=None, create_graph=False):
        """Compute gradients of this tensor and add them into each leaf's `.grad`.

        As in PyTorch, the graph is freed on the way unless retain_graph=True (which
        defaults to create_graph): a second backward() through it raises RuntimeError.
        """
        autograd.backward(self, grad, retain_graph, create_graph)

    def astype(self, dtype):
        """A copy in another float dtype; the gradient is cast back to this tensor's dtype."""
        return ops.astype(self, dtype)

    # ---- operators: numpy broadcasting, numbers and arrays on either side --
    def __add__(self, other):
        return ops.add(self, other)

    def __radd__(self, other):
        return ops.add(other, self)

    def __sub__(self, other):
        return ops.sub(self, other)

    def __rsub__(self, other):
        return ops.sub(other, self)

    def __mul__(self, other):
        return ops.mul(self, other)

    def __rmul__(self, other):
        return ops.mul(other, self)

    def __truediv__(self, other):
        return ops.div(self, other)

    def __rtruediv__(self, other):
        return ops.div(other, self)

    def __pow__(self, other):
        return ops.pow(self, other)

    def __rpow__(self, other):
        return ops.pow(other, self)

    def __matmul__(self, other):
        return ops.matmul(self, other)

    def __rmatmul__(self, other):
        return ops.matmul(other, self)

    def __neg__(self):
        return ops.neg(self)

    def __getitem__(self, index):
        return ops.getitem(self, index)

    # comparisons give boolean tensors that carry no gradient
    def __lt__(self, other):
        return ops.compare(self, other, np.less)

    def __le__(self, other):
        return ops.compare(self, other, np.less_equal)

    def __gt__(self, other):
        return ops.compare(self, other, np.greater)

    def __ge__(self, other):
        return ops.compare(self, other, np.greater_equal)

    def __eq__(self, other):
        return ops.compare(self, other, np.equal)

    def __ne__(self, other):
        return ops.compare(self, other, np.not_equal)

    # ---- methods: each is also a function mg.name(t, ...) -----------------
    def exp(self):
        return ops.exp(self)

    def log(self):
        return ops.log(self)

    def sqrt(self):
        return ops.sqrt(self)

    def abs(self):
        return ops.abs(self)

    def relu(self):
        return ops.relu(self)

    def sigmoid(self):
        return ops.sigmoid(self)

    def softplus(self):
        return ops.softplus(self)

    def tanh(self):
        return ops.tanh(self)

    def clip(self, lo=None, hi=None):
        return ops.clip(self, lo, hi)

    def sum(self, axis=None, keepdims=False):
        return ops.sum(self, axis, keepdims)

    def mean(self, axis=None, keepdims=False):
        return ops.mean(self, axis, keepdims)

    def max(self, axis=None, keepdims=False):
        return ops.max(self, axis, keepdims)

    def min(self, axis=None, keepdims=False):
        return ops.min(self, axis, keepdims)

    def reshape(self, *shape):
        return ops.reshape(self, *shape)

    def transpose(self, *axes):
        return ops.transpose(self, *axes)

    def softmax(self, axis=-1):
        return ops.softmax(self, axis)

    def log_softmax(self, axis=-1):
        return ops.log_softmax(self, axis)

    def logsumexp(self, axis=-1, keepdims=False):
        return ops.logsumexp(self, axis, keepdims)


def tensor(data, requires_grad=False, dtype=None):
    """Same as Tensor(data, requires_grad, dtype)."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


from . import autograd, ops  # noqa: E402  (these modules import Tensor from here)
