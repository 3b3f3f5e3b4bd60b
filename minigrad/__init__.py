"""minigrad: tensors over numpy with reverse-mode autodiff.

    import minigrad as mg
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()        # x.grad == [2., 4.]
"""
from . import nn, optim
from .autograd import grad, is_grad_enabled, no_grad, record, set_grad_enabled, unbroadcast
from .gradcheck import GradcheckError, gradcheck
from .nn import manual_seed
from .ops import (
    abs,
    add,
    broadcast_to,
    clip,
    concatenate,
    div,
    exp,
    linear,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mul,
    neg,
    pow,
    relu,
    reshape,
    scatter_add,
    sigmoid,
    softmax,
    softplus,
    sqrt,
    square,
    stack,
    sub,
    sum,
    tanh,
    transpose,
    where,
    wrap,
)
from .tensor import Tensor, tensor

__version__ = "0.1.0"
