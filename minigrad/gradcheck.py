"""gradcheck: compare the engine's gradients with central finite differences."""
import numpy as np

from .autograd import grad
from .tensor import Tensor


class GradcheckError(AssertionError):
    """The analytic and the numerical gradient disagree (the message says where)."""


def gradcheck(fn, *inputs, eps=1e-6, atol=1e-5, rtol=1e-3, second_order=False):
    """Check the gradients of the scalar `fn(*inputs)` against central finite differences.

    Every input that is a Tensor with requires_grad=True, a numpy array or a list is
    checked (arrays and lists are wrapped as float64 tensors); other inputs, such as
    Python numbers or tensors without requires_grad, are passed through unchanged.
    Checked tensors are copied to float64, since float32 finite differences are too
    coarse to compare. An entry passes when |analytic - numerical| <= atol + rtol * |numerical|.

    second_order=True also checks the gradients' own gradients (as PyTorch's gradgradcheck):
    the gradient of Σ_i <∇_i fn, d_i>, for fixed random directions d_i, computed with
    create_graph=True, against finite differences. This is where a backward that is
    right on numbers but not differentiable (it leaves the graph) shows up.

    Returns True, or raises GradcheckError naming the input, the index and both
    values of the worst entry.
    """
    args, checked = [], []
    for i, x in enumerate(inputs):
        if isinstance(x, (np.ndarray, list)) or (isinstance(x, Tensor) and x.requires_grad):
            x = Tensor(x, requires_grad=True, dtype=np.float64)
            checked.append(i)
        args.append(x)
    if not checked:
        raise ValueError("gradcheck: no input to check: pass tensors with requires_grad=True or numpy arrays")
    _compare(fn, args, checked, eps, atol, rtol, "gradient")
    if second_order:
        _compare(_directional_derivative(fn, args, checked), args, checked, eps, atol, rtol,
                 "second-order gradient (of the gradient under create_graph=True, along a random direction)")
    return True


def _directional_derivative(fn, args, checked):
    """The function inputs -> Σ_i <∇_i fn(inputs), d_i>, with fixed random directions d_i."""
    rng = np.random.default_rng(0)
    directions = [rng.normal(size=args[i].shape) for i in checked]

    def directional(*xs):
        grads = grad(_scalar(fn, xs), [xs[i] for i in checked], create_graph=True)
        total = sum((g * d).sum() for g, d in zip(grads, directions))
        return total + 0.0 * sum(xs[i].sum() for i in checked)     # keeps a graph when fn is linear
    return directional


def _scalar(fn, args):
    out = fn(*args)
    if not isinstance(out, Tensor) or out.size != 1:
        shape = out.shape if isinstance(out, Tensor) else type(out).__name__
        raise ValueError(f"gradcheck: fn must return a one-element Tensor, got {shape}; "
                         f"reduce it, e.g. with .sum()")
    return out


def _compare(fn, args, checked, eps, atol, rtol, what):
    """Raise GradcheckError at the worst entry where fn's gradient and finite differences disagree."""
    analytic = grad(_scalar(fn, args), [args[i] for i in checked])
    for i, g in zip(checked, analytic):
        x = args[i].data            # perturbed in place, restored after each entry
        worst = None
        for index in np.ndindex(x.shape):
            original = x[index]
            x[index] = original + eps
            plus = _scalar(fn, args).item()
            x[index] = original - eps
            minus = _scalar(fn, args).item()
            x[index] = original
            numerical = (plus - minus) / (2 * eps)
            excess = abs(g.data[index] - numerical) - (atol + rtol * abs(numerical))
            if not excess <= 0 and (worst is None or not excess <= worst[0]):   # nan counts as worst
                worst = (excess, index, g.data[index], numerical)
        if worst is not None:
            _, index, a, n = worst
            raise GradcheckError(
                f"gradcheck: {what} of input {i} (shape {x.shape}) is wrong at index {index}: "
                f"backward gives {a:.6g}, finite differences give {n:.6g} "
                f"(allowed difference {atol + rtol * abs(n):.2g}). "
                f"Check the backward of each op this input flows through; if the point sits on "
                f"a kink (|x| at 0, relu at 0, a tie in max), move the input off it.")
