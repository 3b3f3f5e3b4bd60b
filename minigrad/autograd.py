"""The engine: recording ops, grad mode, and the backward pass.

An op computes its result with numpy and calls `record(result, parents, backward)`.
`backward` says how the upstream gradient `g` (shaped like the op's output `out`)
becomes a gradient for each parent. It comes in one of two forms:

* a tuple with one function per parent, `d(g, out, *inputs)` -> that parent's
  gradient (the built-in ops). Each is written with operators and methods that numpy
  arrays and tensors share (`g * b`, `g.reshape(shape)`, `a @ b`, `x[index]`), so one
  function serves both passes: a plain backward pass calls it with numpy arrays and
  builds nothing, and `create_graph=True` calls it with tensors, so the gradient gets
  a graph of its own and can be differentiated again. Only the functions of parents
  that need a gradient run (no product is spent on a constant or the data).
* one function `backward(g, out)` returning a gradient per parent, as tensors, which
  may capture the op's inputs in its closure (students' ops, see the README): it is
  always called with tensors.

The engine does the shared work once, so no op repeats it:

* sums each gradient back to its parent's shape (`unbroadcast`), so ops may return
  broadcast-shaped gradients, and checks that what a backward returns fits;
* adds up the gradients of a tensor used more than once;
* visits nodes in reverse topological order, found without recursion;
* frees the graph behind it (PyTorch's rule) unless asked to retain it;
* skips parents that need no gradient, and records nothing under `no_grad()`.

Nothing in a node refers back to the node: `out` is handed to `backward` as an
argument and the gradient functions are module-level or capture only constants,
so graphs are freed by reference counting alone, with no work for the cyclic collector.
"""
import contextlib
import itertools
import operator
import sys
import threading

import numpy as np

from .tensor import Tensor


class _GradMode(threading.local):
    enabled = True          # per thread, as in PyTorch: no_grad() in one thread leaves the others alone


_mode = _GradMode()


@contextlib.contextmanager
def set_grad_enabled(mode):
    """Turn graph recording on or off inside a `with` block (or as a decorator), in this thread."""
    previous, _mode.enabled = _mode.enabled, bool(mode)
    try:
        yield
    finally:
        _mode.enabled = previous


def no_grad():
    """`with mg.no_grad():` computes values only: results carry no graph and no gradient."""
    return set_grad_enabled(False)


def is_grad_enabled():
    return _mode.enabled


def record(data, parents, backward, name="op"):
    """Make the output tensor of an op and, if gradients are wanted, link it to its parents.

    data      the op's result, a numpy array
    parents   the op's input tensors, in the order of their gradients
    backward  either backward(g, out) -> one gradient (Tensor, array or None) per parent,
              called with tensors; or a tuple with one function d(g, out, *parents) per
              parent, called with numpy arrays in a plain backward pass and with tensors
              when create_graph=True (see the module docstring)
    name      shown in error messages
    """
    out = Tensor._make(data)
    if _mode.enabled:
        try:
            for p in parents:       # a plain loop: any(generator) costs more than the op itself
                if p.requires_grad:
                    out.requires_grad = True
                    out._parents = tuple(parents)
                    out._backward = backward
                    out._op = name
                    out._number = next(_numbers)
                    break
        except AttributeError:
            raise TypeError(f"{name}: parents must be Tensors, got "
                            f"{[type(p).__name__ for p in parents]}") from None
    return out


_numbers = itertools.count(1)       # leaves keep 0: they come before every op


def unbroadcast(grad, shape):
    """Sum `grad` (an array or a tensor) over the axes broadcasting added or stretched, so it has `shape`."""
    if grad.shape == shape:
        return grad
    added = grad.ndim - len(shape)
    stretched = tuple(added + i for i, n in enumerate(shape) if n == 1 and grad.shape[added + i] != 1)
    grad = grad.sum(axis=tuple(range(added)) + stretched)
    return grad if grad.shape == shape else grad.reshape(shape)   # a bias's gradient needs no reshape


def _freed(g, out):
    raise RuntimeError(
        "backward: trying to backward through the graph a second time: its intermediate values "
        "were freed by the first backward() or mg.grad(). Specify retain_graph=True on the first "
        "call if you need to backward through the graph a second time.")


def _reverse_topological(root):
    """Every node that needs a gradient on the way to `root`, each after every node computed from it.

    An op's output is numbered when it is recorded, after its inputs exist, so sorting
    by that number lists a node after all the nodes that used it: the backward pass
    pops nodes from the end of the list. One loop over an explicit stack, so a chain
    of 200,000 ops needs no recursion.
    """
    seen, nodes, stack = {id(root)}, [root], [root]
    while stack:
        for parent in stack.pop()._parents:
            if parent.requires_grad and id(parent) not in seen:
                seen.add(id(parent))
                nodes.append(parent)
                stack.append(parent)
    nodes.sort(key=_number)
    return nodes


_number = operator.attrgetter("_number")


def _seed(root, grad, create_graph):
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward: called on a tensor of shape {root.shape}; without `grad` it needs a "
                f"scalar (one element). Reduce it first (loss.mean() or loss.sum()) or pass "
                f"grad= an array of shape {root.shape}")
        grad = np.ones_like(root.data)
    elif create_graph and isinstance(grad, Tensor):
        if grad.shape != root.shape:        # a tensor seed may itself be differentiated
            raise ValueError(f"backward: grad must have the output's shape {root.shape}, got {grad.shape}")
        return grad
    else:
        grad = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=root.dtype)
        if grad.shape != root.shape:
            raise ValueError(f"backward: grad must have the output's shape {root.shape}, got {grad.shape}")
    return Tensor._make(grad) if create_graph else grad


def _custom_gradients(node, g, create_graph):
    """The gradients a student's backward(g, out) returns, checked, as functions like the built-in ops' ones."""
    if node._backward is _freed:
        _freed(g, node)
    parents = node._parents
    grads = node._backward(g if create_graph else Tensor._make(g), node)
    grads = tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)
    if len(grads) != len(parents):
        raise RuntimeError(f"{node._op}: backward returned {len(grads)} gradient(s) for "
                           f"{len(parents)} input(s); return one per input (None for an input "
                           f"that needs none)")
    grads = [pg if pg is None or isinstance(pg, Tensor) else np.asarray(pg, dtype=p.dtype)
             for p, pg in zip(parents, grads)]
    if create_graph:
        grads = [Tensor._make(pg) if isinstance(pg, np.ndarray) else pg for pg in grads]
    else:
        grads = [pg.data if isinstance(pg, Tensor) else pg for pg in grads]
    return [lambda g, out, pg=pg: pg for pg in grads]     # in the form of the built-in ops' functions


def _fit(pg, parent, node):
    """pg summed back to the parent's shape; an error naming the op and the input if it cannot be."""
    shape = parent.data.shape
    added = pg.ndim - len(shape)
    if added < 0 or any(n != 1 and n != m for n, m in zip(shape, pg.shape[added:])):
        i = next(i for i, p in enumerate(node._parents) if p is parent)
        raise RuntimeError(f"{node._op}: backward returned a gradient of shape {pg.shape} for input "
                           f"{i} of shape {shape}; it must have the input's shape (or one "
                           f"that broadcasting made from it)")
    return unbroadcast(pg, shape)


# Reference counts tell when an array is held by the backward pass alone, so that it can be
# summed into in place, or kept as a leaf's .grad without a copy. The counts below are
# CPython's (3.10 to 3.13); elsewhere the engine copies, which is always safe.
_COUNTS_REFERENCES = sys.implementation.name == "cpython" and sys.version_info < (3, 14)


def _private(pending, pg):
    """True if the array `pending` can be added to in place: it is an array that owns its
    memory, nothing but the pass refers to it (the 4 references are the node's slot, the
    caller's variable, this argument and getrefcount's own), and the sum keeps its dtype."""
    return (_COUNTS_REFERENCES and type(pending) is np.ndarray and sys.getrefcount(pending) <= 4
            and pending.base is None and pending.dtype == pg.dtype)


def _backprop(root, grad, retain_graph, create_graph, on_gradient, leaves_only=True):
    """Run the backward pass from `root`; call on_gradient(node, g) with each node's total gradient.

    g is a numpy array in a plain pass, a Tensor when create_graph=True. Only leaves are
    handed over unless leaves_only=False (mg.grad may ask for an interior node).
    Unless retain_graph, each node is unlinked from its parents once its gradient has
    been passed on, so intermediate values are freed during the pass.
    """
    if not root.requires_grad:
        raise RuntimeError(
            "backward: this tensor does not require grad: no input on its path has "
            "requires_grad=True, or it was computed under mg.no_grad()")
    if retain_graph is None:
        retain_graph = create_graph
    order = _reverse_topological(root)
    root._pending = _seed(root, grad, create_graph)
    previous, _mode.enabled = _mode.enabled, create_graph      # the gradient's own graph, if wanted
    try:
        while order:
            node = order.pop()                  # popped, so a processed node is let go at once
            g, node._pending = node._pending, None
            backward = node._backward
            if backward is None:                # a leaf: nothing further up
                if g is not None:
                    on_gradient(node, g)
                continue
            if g is not None:
                if not leaves_only:
                    on_gradient(node, g)
                parents = node._parents
                if type(backward) is not tuple:     # a student's backward(g, out), or a freed node
                    backward, out, inputs = _custom_gradients(node, g, create_graph), None, ()
                elif create_graph:                  # one function per parent, on tensors: a graph
                    out, inputs = node, parents
                else:                               # one function per parent, on plain arrays
                    out, inputs = node.data, [p.data for p in parents]
                for parent, d in zip(parents, backward):
                    if not parent.requires_grad:
                        continue
                    pg = d(g, out, *inputs)
                    if pg is None:
                        continue
                    if pg.shape != parent.data.shape:
                        pg = _fit(pg, parent, node)
                    # summed on the parent itself: no dictionary of gradients to look up
                    pending = parent._pending
                    if pending is None:
                        parent._pending = pg
                    elif create_graph or not _private(pending, pg):
                        parent._pending = pending + pg
                    else:                           # into a buffer nothing else holds: no new array
                        pending += pg
                pg = pending = None     # held here, a leaf's gradient would look shared and be copied
            if not retain_graph:
                node._parents, node._backward = (), _freed
    finally:
        _mode.enabled = previous
        for node in order:                      # left over only if a backward raised
            node._pending = None


def backward(root, grad=None, retain_graph=None, create_graph=False):
    """Add d(root)/d(leaf) into `.grad` of every leaf that requires grad (PyTorch semantics).

    Gradients are cast to each leaf's dtype (a mixed float32/float64 graph may promote
    them), and `.grad` shares memory with nothing.
    """
    def accumulate(node, g):
        if create_graph or node._grad_tensor is not None:     # keep .grad_tensor and .grad in step
            g = g if isinstance(g, Tensor) else Tensor._make(g)
            node.grad_tensor = (g.astype(node.dtype) if node._grad_tensor is None
                                else node._grad_tensor + g.astype(node.dtype))
        elif node._grad is None:
            # A gradient array that nothing else refers to (the 3 references are this function's,
            # the pass's and getrefcount's own) and that is no view is kept as it is; any
            # other is copied (astype copies), so .grad shares memory with nothing.
            private = (_COUNTS_REFERENCES and sys.getrefcount(g) <= 3 and g.base is None
                       and g.dtype == node.dtype)
            node._grad = g if private else g.astype(node.dtype)
        else:
            node._grad = node._grad + g.astype(node.dtype, copy=False)
    _backprop(root, grad, retain_graph, create_graph, accumulate)


def grad(output, inputs, grad_output=None, retain_graph=None, create_graph=False):
    """Gradients of `output` with respect to each tensor in `inputs`, as a tuple of tensors.

    Touches no `.grad`. An input that `output` does not depend on gets zeros. Each
    gradient is a new tensor in its input's dtype, sharing memory with nothing else.
    With create_graph=True the gradients carry a graph and can be differentiated again.
    The graph is freed unless retain_graph=True (default: create_graph), as in backward().
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
    _backprop(output, grad_output, retain_graph, create_graph, keep, leaves_only=False)
    results = []
    for t in inputs:
        g = found.get(id(t))
        if g is None:
            results.append(Tensor._make(np.zeros_like(t.data)))
        elif create_graph:
            results.append(g.astype(t.dtype))           # a copy in t's dtype, still differentiable
        else:
            results.append(Tensor._make(np.array(g, dtype=t.dtype, copy=True)))
    return tuple(results)
