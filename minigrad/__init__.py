"""minigrad: tensors over numpy with reverse-mode autodiff.

    import minigrad as mg
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()        # x.grad == [2., 4.]
"""
from .tensor import Tensor, tensor
from .autograd import grad, no_grad, set_grad_enabled, is_grad_enabled, record, unbroadcast
from .ops import (
    abs, add, broadcast_to, clip, concatenate, div, exp, log, log_softmax, logsumexp, matmul,
    max, maximum, mean, min, minimum, mul, neg, pow, relu, reshape, sigmoid, softmax, softplus,
    sqrt, stack, sub, sum, tanh, transpose, where, wrap,
)
from .gradcheck import gradcheck, GradcheckError
from . import nn, optim
from .nn import manual_seed

__version__ = "0.1.0"
