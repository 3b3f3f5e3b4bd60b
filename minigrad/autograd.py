"""The engine: recording ops, grad mode, and the backward pass.

An op computes its result with numpy and calls `record(result, parents, backward)`.
`backward(g, out)` turns the upstream gradient `g` (shaped like the op's output `out`)
into one gradient per parent. It is called with tensors, so the same function serves
a plain pass and `create_graph=True`, where the gradient gets a graph of its own.

The backward pass (`_run`) keeps all its state in local variables: the gradient summed
so far for each tensor, and which of those sums it made itself (those alone may be
added to in place). Nothing is written on the tensors while it runs, so passes in
several threads, or a pass started inside an op's backward, never meet. It

* visits nodes in reverse topological order, found without recursion;
* sums each gradient back to its parent's shape (`unbroadcast`) and adds up the
  gradients of a tensor used more than once;
* frees the graph behind it (PyTorch's rule) unless asked to retain it.

`backward()` and `grad()` are short loops over the gradients the pass returns.

The built-in ops use a faster form of `backward`, a tuple with one function per parent,
`d(g, out, *inputs)`, called with numpy arrays in a plain pass (no Tensor is made) and
with tensors under create_graph, so it may use only what arrays and tensors share
(operators, `.reshape`, `.sum`, `.T`, indexing) and the two-way helpers of `_fast.py`.
Only the functions of parents that need a gradient run. A tuple given to `record` is
checked, then run by `_PerInput` like any backward(g, out): each result is checked
and g is read-only, so one function cannot corrupt another's gradient.
"""
import contextlib
import itertools
import operator
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
    """The output tensor of an op computed with numpy, linked to its parents if gradients are wanted.

    data      the op's result (a numpy array)
    parents   the op's input tensors, in the order of their gradients
    backward  backward(g, out) -> one gradient per parent (a tensor, an array or None);
              g and out are tensors, g is read-only. (A tuple of one function per parent
              is the built-in ops' form; see the module docstring.)
    name      shown in error messages
    """
    parents = tuple(parents)
    if not all(isinstance(p, Tensor) for p in parents):
        raise TypeError(f"{name}: parents must be Tensors, got {[type(p).__name__ for p in parents]}")
    if isinstance(backward, (tuple, list)):
        backward = _PerInput(backward, len(parents), name)
    elif not callable(backward):
        raise TypeError(f"{name}: backward must be a function backward(g, out) returning one gradient "
                        f"per parent, got {type(backward).__name__}")
    return _record(np.asarray(data), parents, backward, name)


def _record(data, parents, backward, name):
    """record() without its checks: the built-in ops' path."""
    out = Tensor._make(data)
    if _mode.enabled:
        for p in parents:       # a plain loop: any(generator) costs more than the op itself
            if p.requires_grad:
                out.requires_grad = True
                out._parents, out._backward, out._op, out._order = parents, backward, name, next(_orders)
                break
    return out


_orders = itertools.count(1)        # leaves keep order 0: they come before every op


def unbroadcast(grad, shape):
    """Sum `grad` (an array or a tensor) over the axes broadcasting added or stretched, so it has `shape`."""
    if grad.shape == shape:
        return grad
    added = grad.ndim - len(shape)
    stretched = tuple(added + i for i, n in enumerate(shape) if n == 1 and grad.shape[added + i] != 1)
    grad = grad.sum(axis=tuple(range(added)) + stretched)
    return grad if grad.shape == shape else grad.reshape(shape)   # a bias's gradient needs no reshape


# ---- the backward pass ------------------------------------------------------------

def _run(root, grad, retain_graph, create_graph, wanted=None):
    """Backpropagate from `root`: {tensor: (gradient, owned)} for every leaf (or every tensor in `wanted`).

    A gradient is a numpy array in a plain pass, a Tensor when create_graph=True; `owned`
    says the pass made that array itself, so the caller may keep it without a copy.
    """
    if not root.requires_grad:
        raise RuntimeError("backward: this tensor does not require grad: no input on its path has "
                           "requires_grad=True, or it was computed under mg.no_grad()")
    order = _reverse_topological(root)
    sums, owned, found = {root: _seed(root, grad, create_graph)}, set(), {}
    free = not (create_graph if retain_graph is None else retain_graph)
    previous, _mode.enabled = _mode.enabled, create_graph     # the gradient's own graph, if wanted
    try:
        while order:
            node = order.pop()                  # popped, so a processed node is let go at once
            g = sums.pop(node, None)
            if g is None:
                continue
            if (not node._op) if wanted is None else (node in wanted):
                found[node] = (g, node in owned)
                owned.discard(node)             # handed out: no longer the pass's to pass on and add to
            _pass_on(node, g, sums, owned, create_graph)
            if free:
                node._parents, node._backward = (), None       # freed: its inputs may go
    finally:
        _mode.enabled = previous
    return found


def _reverse_topological(root):
    """Every node that needs a gradient on the way to `root`, each after every node computed from it.

    An op's output is given the next order number when it is recorded, after its inputs
    exist, so sorting by that number lists a node after all the nodes that used it: the
    pass pops nodes from the end of the list. One loop over an explicit stack, so a chain
    of 200,000 ops needs no recursion.
    """
    seen, nodes, stack = {id(root)}, [root], [root]
    while stack:
        for parent in stack.pop()._parents:
            if parent.requires_grad and id(parent) not in seen:
                seen.add(id(parent))
                nodes.append(parent)
                stack.append(parent)
    nodes.sort(key=operator.attrgetter("_order"))
    return nodes


def _seed(root, grad, create_graph):
    """The gradient of root with respect to itself: ones for a scalar, else `grad`, checked."""
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward: called on a tensor of shape {root.shape}; without `grad` it needs a "
                f"scalar (one element). Reduce it first (loss.mean() or loss.sum()) or pass "
                f"grad= an array of shape {root.shape}")
        grad = np.ones_like(root.data)
    elif not (create_graph and isinstance(grad, Tensor)):     # a tensor seed may itself be differentiated
        grad = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=root.dtype)
    if grad.shape != root.shape:
        raise ValueError(f"backward: grad must have the output's shape {root.shape}, got {grad.shape}")
    return Tensor._make(grad) if create_graph and not isinstance(grad, Tensor) else grad


def _pass_on(node, g, sums, owned, create_graph):
    """Add the gradient each parent of `node` gets from g into `sums`.

    A built-in op's functions d(g, out, *inputs) run on arrays in a plain pass, on tensors
    under create_graph; only those of parents that need a gradient run. Each returns g
    itself, a view, or a new array; a new one (no .base) is the pass's own, and so is g
    when it was the pass's own and went on to one parent alone.
    """
    backward, parents = node._backward, node._parents
    if type(backward) is not tuple:                     # a backward(g, out), a leaf or a freed op
        for parent, pg in _call_backward(node, g, create_graph):
            _add(sums, owned, parent, pg, create_graph, False)
        return
    out, inputs = (node, parents) if create_graph else (node.data, [p.data for p in parents])
    kind, heir, heirs = (Tensor if create_graph else np.ndarray), None, 0     # who got g itself, how many
    for parent, d in zip(parents, backward):
        if parent.requires_grad:
            pg = d(g, out, *inputs)
            if pg is None:
                continue
            if type(pg) is not kind or pg.shape != parent.data.shape:
                pg = _fit(pg, node, parent)
            if pg is g:
                heir, heirs = parent, heirs + 1
            _add(sums, owned, parent, pg, create_graph, not create_graph and pg is not g and pg.base is None)
    if heirs == 1 and node in owned and sums[heir] is g:
        owned.add(heir)


def _call_backward(node, g, create_graph):
    """The gradients backward(g, out) returns, each as a Tensor (create_graph) or an array."""
    if node._backward is None:
        if node._op:
            raise RuntimeError(
                "backward: trying to backward through the graph a second time: its intermediate values "
                "were freed by the first backward() or mg.grad(). Specify retain_graph=True on the first "
                "call if you need to backward through the graph a second time.")
        return ()                               # a leaf: nothing further up
    if not create_graph:
        g = g.view()                            # handed read-only: an in-place edit raises
        g.flags.writeable = False
        g = Tensor._make(g)
    try:
        grads = node._backward(g, node)
    except (TypeError, ValueError, AttributeError, IndexError) as err:     # a RuntimeError names the op already
        raise RuntimeError(f"{node._op}: backward(g, out) failed: {err}. It is called with tensors "
                           f"(g read-only): use minigrad ops on them and return new tensors") from err
    grads = tuple(grads) if isinstance(grads, (tuple, list)) else (grads,)
    if len(grads) != len(node._parents):
        raise RuntimeError(f"{node._op}: backward returned {len(grads)} gradient(s) for "
                           f"{len(node._parents)} input(s); return one per input (None for an input "
                           f"that needs none)")
    pairs = []
    for parent, pg in zip(node._parents, grads):
        if pg is not None and parent.requires_grad:
            pg = pg if isinstance(pg, Tensor) else Tensor._make(np.asarray(pg, dtype=parent.dtype))
            pg = pg if create_graph else pg.data
            pairs.append((parent, pg if pg.shape == parent.data.shape else _fit(pg, node, parent)))
    return pairs


class _PerInput:
    """A tuple of per-input gradient functions given to record(), checked, run as one backward(g, out).

    Each function is called with numpy arrays in a plain pass and with tensors under
    create_graph (the pass turns graph recording on exactly then), with g read-only.
    """
    RULE = ("a per-input gradient function d(g, out, *inputs) is called with numpy arrays in a plain "
            "pass and with tensors under create_graph=True: it may use only what both share (operators, "
            ".reshape, .sum, .T, indexing), must return a new value of the kind it was given (g is "
            "read-only), or be written as one function backward(g, out) on tensors")

    def __init__(self, functions, n_parents, name):
        if len(functions) != n_parents or not all(f is None or callable(f) for f in functions):
            raise TypeError(f"{name}: backward as a tuple needs one function d(g, out, *inputs) (or None) per "
                            f"parent: {n_parents} parent(s), got {[type(f).__name__ for f in functions]}")
        self.functions, self.name = tuple(functions), name

    def __call__(self, g, out):
        create_graph = _mode.enabled
        passed = "tensors (create_graph=True)" if create_graph else "numpy arrays (a plain pass)"
        kind = Tensor if create_graph else np.ndarray
        args = (g, out, *out._parents) if create_graph else (g.data, out.data, *[p.data for p in out._parents])
        grads = []
        for i, (parent, d) in enumerate(zip(out._parents, self.functions)):
            pg = self._call(d, i, args, passed) if parent.requires_grad else None
            pg = np.asarray(pg) if isinstance(pg, np.generic) and not create_graph else pg
            if pg is not None and type(pg) is not kind:
                raise RuntimeError(f"{self.name}: the gradient function for input {i} returned a "
                                   f"{type(pg).__name__} when called with {passed}; {self.RULE}")
            grads.append(pg)
        return grads

    def _call(self, d, i, args, passed):
        try:
            return d(*args)
        except Exception as err:
            what = "wrote into g" if "read-only" in str(err) else f"failed ({type(err).__name__}: {err})"
            raise RuntimeError(f"{self.name}: the gradient function for input {i} {what} when called "
                               f"with {passed}; {self.RULE}") from err


def _add(sums, owned, parent, pg, create_graph, fresh):
    """Add the gradient pg into the sum for `parent`, in place only into an array this pass owns:
    one it made by adding, or a new one (`fresh`) that nothing else holds."""
    total = sums.get(parent)
    if total is None:
        sums[parent] = pg
        if fresh:
            owned.add(parent)
    elif parent in owned and total.dtype == pg.dtype:
        total += pg
    elif create_graph:
        sums[parent] = total + pg
    else:
        sums[parent] = np.asarray(total + pg)       # a sum of 0-d arrays comes back as a numpy scalar
        owned.add(parent)


def _fit(pg, node, parent):
    """pg, the gradient for `parent` from `node`, as an array (or tensor) summed back to the parent's
    shape; an error naming the op if it cannot be."""
    if isinstance(pg, np.generic):          # numpy's result for 0-d arrays: a scalar
        pg = np.asarray(pg)
    shape = parent.data.shape
    added = pg.ndim - len(shape)
    if added < 0 or any(n != 1 and n != m for n, m in zip(shape, pg.shape[added:])):
        i = next(i for i, p in enumerate(node._parents) if p is parent)
        raise RuntimeError(f"{node._op}: backward returned a gradient of shape {pg.shape} for input {i} of "
                           f"shape {shape}; it must have the input's shape (or one that broadcasting made from it)")
    pg = unbroadcast(pg, shape)
    return pg if isinstance(pg, Tensor) else np.asarray(pg)    # a sum to shape () gives a numpy scalar


# ---- what users call -----------------------------------------------------------------

def backward(root, grad=None, retain_graph=None, create_graph=False):
    """Add d(root)/d(leaf) into `.grad` of every leaf that requires grad (PyTorch semantics).

    Gradients are cast to each leaf's dtype (a mixed float32/float64 graph may promote
    them), and `.grad` shares memory with nothing.
    """
    for leaf, (g, owned) in _run(root, grad, retain_graph, create_graph).items():
        _accumulate(leaf, g, owned, create_graph)


def _accumulate(leaf, g, owned, create_graph):
    """leaf.grad += g; with a graph (.grad_tensor) when create_graph=True or one is already there."""
    if create_graph or leaf._grad_tensor is not None:      # keep .grad_tensor and .grad in step
        with set_grad_enabled(create_graph):               # a graph for the sum only if asked for
            g = (g if isinstance(g, Tensor) else Tensor._make(g)).astype(leaf.dtype)    # a copy
            leaf.grad_tensor = g if leaf._grad_tensor is None else leaf._grad_tensor + g
    elif leaf._grad is not None:
        leaf._grad = leaf._grad + g.astype(leaf.dtype, copy=False)
    else:           # kept as it is only if the pass made it: then nothing else refers to it
        leaf._grad = g if owned and g.dtype == leaf.dtype else g.astype(leaf.dtype)


def grad(output, inputs, grad_output=None, retain_graph=None, create_graph=False):
    """Gradients of `output` with respect to each tensor in `inputs`, as a tuple of tensors.

    Touches no `.grad`. An input that `output` does not depend on gets zeros. Each
    gradient is a new tensor in its input's dtype, sharing memory with nothing else.
    With create_graph=True the gradients carry a graph and can be differentiated again.
    The graph is freed unless retain_graph=True (default: create_graph), as in backward().
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise ValueError(f"grad: inputs[{i}] must be a Tensor with requires_grad=True")
    found = _run(output, grad_output, retain_graph, create_graph, wanted=set(inputs))
    return tuple(_result(t, found.get(t), create_graph) for t in inputs)


def _result(t, found, create_graph):
    """What mg.grad returns for input t: a new tensor in t's dtype (zeros if no gradient reached it)."""
    if found is None:
        return Tensor._make(np.zeros_like(t.data))
    g, _ = found
    if create_graph:
        return g.astype(t.dtype)            # a copy in t's dtype, still differentiable
    return Tensor._make(np.array(g, dtype=t.dtype, copy=True))
