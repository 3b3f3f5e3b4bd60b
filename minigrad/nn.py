"""Layers: Module, Linear, Sequential and the activation layers."""
import numpy as np

from . import ops
from .tensor import Tensor

_default_rng = np.random.default_rng(0)


def manual_seed(seed):
    """Reseed the generator that layers use when they are given no `rng`."""
    global _default_rng
    _default_rng = np.random.default_rng(seed)


class Module:
    """Base class: subclasses define `forward`; calling the module calls it.

    `parameters()` finds every Tensor with requires_grad=True among the module's
    attributes, in sub-modules and in lists or tuples of them, each once.
    """

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def parameters(self):
        found, seen = [], set()
        # an explicit stack, not a recursive inner function: a function that refers to
        # itself is a reference cycle, left on every call for the cyclic collector to find
        stack = [self]
        while stack:
            value = stack.pop()
            if isinstance(value, Tensor):
                if value.requires_grad and id(value) not in seen:
                    seen.add(id(value))
                    found.append(value)
            elif isinstance(value, Module):
                stack.extend(reversed(list(vars(value).values())))
            elif isinstance(value, (list, tuple)):
                stack.extend(reversed(value))
            elif isinstance(value, dict):
                stack.extend(reversed(list(value.values())))
        return found

    def zero_grad(self):
        for p in self.parameters():
            p.zero_grad()


class Linear(Module):
    """y = x @ W.T + b, with W of shape (out_features, in_features) as in PyTorch.

    Initialised as PyTorch does: W and b uniform in [-1/sqrt(in), 1/sqrt(in)]; with
    in_features = 0 the output is the bias alone, initialised to 0.
    `rng` is a seed or a numpy Generator; without one, the generator that
    `mg.nn.manual_seed` sets is used.
    """

    def __init__(self, in_features, out_features, bias=True, dtype=None, rng=None):
        for name, n in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
                raise ValueError(f"Linear: {name} must be a whole number >= 0, got {n!r}")
        rng = _default_rng if rng is None else np.random.default_rng(rng)
        dtype = np.float64 if dtype is None else dtype
        # as PyTorch: with no inputs the weight is empty and the bias starts at 0 (its bound is 0)
        bound = 1.0 / np.sqrt(in_features) if in_features else 0.0
        self.in_features, self.out_features = in_features, out_features
        self.weight = Tensor(rng.uniform(-bound, bound, (out_features, in_features)),
                             requires_grad=True, dtype=dtype)
        self.bias = (Tensor(rng.uniform(-bound, bound, out_features), requires_grad=True, dtype=dtype)
                     if bias else None)

    def forward(self, x):
        return ops.linear(x, self.weight, self.bias)      # x @ W.T + b, as one op

    def __repr__(self):
        return f"Linear({self.in_features}, {self.out_features}, bias={self.bias is not None})"


class Sequential(Module):
    """Layers applied one after another."""

    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, i):
        return self.layers[i]

    def __len__(self):
        return len(self.layers)

    def __repr__(self):
        inner = "".join(f"\n  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential({inner}\n)"


class ReLU(Module):
    def forward(self, x):
        return ops.relu(x)

    def __repr__(self):
        return "ReLU()"


class Tanh(Module):
    def forward(self, x):
        return ops.tanh(x)

    def __repr__(self):
        return "Tanh()"


class Sigmoid(Module):
    def forward(self, x):
        return ops.sigmoid(x)

    def __repr__(self):
        return "Sigmoid()"
