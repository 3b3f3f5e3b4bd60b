"""The engine: recording ops, grad mode, and the backward pass.

An op computes its result with numpy and calls `record(result, parents, backward)`.
When gradients are wanted, `backward(g, out)` later turns the upstream gradient `g`
(a Tensor shaped like `out`) into one gradient per parent. The engine does the
shared work once, so no op repeats it:

* wraps what `backward` returns as tensors and sums each gradient back to its
  parent's shape (`unbroadcast`), so ops may return broadcast-shaped gradients;
* adds up the gradients of a tensor used more than once;
* visits nodes in reverse topological order, found without recursion;
* skips parents that need no gradient, and records nothing under `no_grad()`.

`backward` receives the op's output `out` as an argument instead of keeping it in
its closure: a closure holding `out` would be a reference cycle (out -> backward ->
out), and the engine makes none, so graphs are freed by reference counting alone.
Because `g`, `out` and the parents are tensors, a backward written with tensor
ops is itself differentiable: with `create_graph=True` gradients get a graph too.
"""
import contextlib

import numpy as np

from .tensor import Tensor

_grad_enabled = True


@contextlib.contextmanager
def set_grad_enabled(mode):
    """Turn graph recording on or off inside a `with` block (or as a decorator)."""
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, bool(mode)
    try:
        yield
    finally:
        _grad_enabled = previous


def no_grad():
    """`with mg.no_grad():` computes values only: results carry no graph and no gradient."""
    return set_grad_enabled(False)


def is_grad_enabled():
    return _grad_enabled


def record(data, parents, backward, name="op"):
    """Make the output tensor of an op and, if gradients are wanted, link it to its parents.

    data      the op's result, a numpy array
    parents   the op's input tensors, in the order `backward` returns their gradients
    backward  backward(g, out) -> one gradient (Tensor, array or None) per parent
    name      shown in error messages and graph drawings
    """
    out = Tensor._make(data)
    if _grad_enabled:
        for p in parents:           # a plain loop: any(generator) costs more than the op itself
            if p.requires_grad:
                out.requires_grad = True
                out._parents = tuple(parents)
                out._backward = backward
                out._op = name
                break
    return out


def unbroadcast(grad, shape):
    """Sum `grad` over the axes broadcasting added or stretched, so it has `shape`."""
    if grad.shape == shape:
        return grad
    added = grad.ndim - len(shape)
    stretched = tuple(added + i for i, n in enumerate(shape) if n == 1 and grad.shape[added + i] != 1)
    grad = grad.sum(axis=tuple(range(added)) + stretched)
    return grad if grad.shape == shape else grad.reshape(shape)   # a bias's gradient needs no reshape


def _reverse_topological(root):
    """Nodes that need a gradient, each listed before every node it was computed from.

    Kahn's algorithm: count how many nodes use each node, then list a node once all
    of its users are listed. Two loops over explicit lists, so a chain of 200,000 ops
    needs no recursion, and nothing is allocated per node that the cyclic garbage
    collector would have to scan (a deep graph made that collector the slowest step).
    """
    users = {id(root): 0}
    stack = [root]
    while stack:
        for parent in stack.pop()._parents:
            if parent.requires_grad:
                key = id(parent)
                if key not in users:            # first visit
                    users[key] = 0
                    stack.append(parent)
                users[key] += 1
    order, ready = [], [root]
    while ready:
        node = ready.pop()
        order.append(node)
        for parent in node._parents:
            if parent.requires_grad:
                key = id(parent)
                users[key] -= 1
                if users[key] == 0:             # its last user is listed: its gradient is complete
                    ready.append(parent)
    return order


def _seed(root, grad):
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward: called on a tensor of shape {root.shape}; without `grad` it needs a "
                f"scalar (one element). Reduce it first (loss.mean() or loss.sum()) or pass "
                f"grad= an array of shape {root.shape}")
        return Tensor._make(np.ones_like(root.data))
    grad = grad if isinstance(grad, Tensor) else Tensor._make(np.asarray(grad, dtype=root.dtype))
    if grad.shape != root.shape:
        raise ValueError(f"backward: grad must have the output's shape {root.shape}, got {grad.shape}")
    return grad


def _backprop(root, grad, create_graph, on_gradient, leaves_only=True):
    """Run the backward pass from `root`; call on_gradient(node, g) with each node's total gradient.

    Only leaves are handed over unless leaves_only=False (mg.grad may ask for an interior node).
    """
    if not root.requires_grad:
        raise RuntimeError(
            "backward: this tensor does not require grad: no input on its path has "
            "requires_grad=True, or it was computed under mg.no_grad()")
    grads = {id(root): _seed(root, grad)}
    with set_grad_enabled(create_graph):
        for node in _reverse_topological(root):
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if node._backward is None:          # a leaf: nothing further up
                on_gradient(node, g)
                continue
            if not leaves_only:
                on_gradient(node, g)
            parent_grads = node._backward(g, node)
            if not isinstance(parent_grads, (tuple, list)):
                parent_grads = (parent_grads,)
            for parent, pg in zip(node._parents, parent_grads):
                if pg is None or not parent.requires_grad:
                    continue
                if not isinstance(pg, Tensor):
                    pg = Tensor._make(np.asarray(pg, dtype=parent.dtype))
                if pg.data.shape != parent.data.shape:
                    pg = unbroadcast(pg, parent.data.shape)
                key = id(parent)
                grads[key] = grads[key] + pg if key in grads else pg


def backward(root, grad=None, create_graph=False):
    """Add d(root)/d(leaf) into `.grad` of every leaf that requires grad (PyTorch semantics)."""
    def accumulate(node, g):
        value = g.data.astype(node.dtype, copy=False)
        node.grad = value.copy() if node.grad is None else node.grad + value
        if create_graph:
            node.grad_tensor = g if node.grad_tensor is None else node.grad_tensor + g
    _backprop(root, grad, create_graph, accumulate)


def grad(output, inputs, grad_output=None, create_graph=False):
    """Gradients of `output` with respect to each tensor in `inputs`, as a tuple of tensors.

    Touches no `.grad`. An input that `output` does not depend on gets zeros.
    With create_graph=True the gradients carry a graph and can be differentiated again.
    """
    single = isinstance(inputs, Tensor)
    inputs = (inputs,) if single else tuple(inputs)
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise ValueError(f"grad: inputs[{i}] must be a Tensor with requires_grad=True")
    wanted = {id(t) for t in inputs}
    found = {}

    def keep(node, g):
        if id(node) in wanted:
            found[id(node)] = g
    _backprop(output, grad_output, create_graph, keep, leaves_only=False)
    return tuple(found[id(t)] if id(t) in found else Tensor._make(np.zeros_like(t.data))
                 for t in inputs)
