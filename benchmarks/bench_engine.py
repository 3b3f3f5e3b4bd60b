"""How far is minigrad from hand-written numpy? Four cases, each timed in one process.

Each case runs the same computation twice: once with minigrad (forward, then
backward()), once as plain numpy with the gradient derived by hand -- the
practical limit for an engine on numpy. Both start from the same numbers, and
the script checks that they agree before timing them. Printed, not asserted.

    python benchmarks/bench_engine.py            # the full run (about 45 s)
    python benchmarks/bench_engine.py --quick    # a smoke run in a few seconds
    python benchmarks/bench_engine.py --case chain   # one case (mlp, overhead, wide, chain, forms)
"""
import argparse
import gc
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _timing import compare, fmt_bytes, fmt_time, peak_memory, settle_allocator, table  # noqa: E402

import minigrad as mg  # noqa: E402

try:
    from losses import binary_cross_entropy_with_logits as _bce_with_logits
except ImportError:         # the losses package is being written at the same time
    _bce_with_logits = None


def bce_composed(z, y):
    """mean(softplus(z) - z*y), from engine ops alone: the engine's cost without the losses package's checks."""
    return (mg.softplus(z) - z * y).mean()


def bce_with_logits(z, y):
    """losses.binary_cross_entropy_with_logits (what the lessons train with), else the composition."""
    if _bce_with_logits is not None:
        return _bce_with_logits(z, y)
    return bce_composed(z, y)


def two_moons(n, dtype, seed=0):
    r = np.random.default_rng(seed)
    t = r.uniform(0, np.pi, n)
    upper = np.arange(n) % 2 == 0
    X = np.where(upper[:, None], np.stack([np.cos(t), np.sin(t)], 1),
                 np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1))
    X = X + 0.15 * r.standard_normal((n, 2))
    return X.astype(dtype), (~upper).astype(dtype)


def max_difference(tensors, arrays):
    return max(float(np.max(np.abs(t.data - a))) for t, a in zip(tensors, arrays))


# ---- (a) the lesson MLP: 2 -> 32 -> 32 -> 1, tanh, BCE with logits, Adam ---------------

class NumpyAdam:
    """torch.optim.Adam's update, written out on numpy arrays."""

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps, self.t = params, lr, betas, eps, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        b1, b2 = self.betas
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= self.lr * (m / (1 - b1 ** self.t)) / (np.sqrt(v / (1 - b2 ** self.t)) + self.eps)


def mlp_case(dtype, steps, loss_fn=bce_with_logits):
    X, y = two_moons(256, dtype)
    n = len(y)

    def make_minigrad():
        model = mg.nn.Sequential(mg.nn.Linear(2, 32, dtype=dtype, rng=0), mg.nn.Tanh(),
                                 mg.nn.Linear(32, 32, dtype=dtype, rng=1), mg.nn.Tanh(),
                                 mg.nn.Linear(32, 1, dtype=dtype, rng=2))
        return model, mg.optim.Adam(model.parameters(), lr=0.01)

    def run_minigrad(model, opt, k):
        xs, ys = mg.Tensor(X), mg.Tensor(y)
        for _ in range(k):
            loss = loss_fn(model(xs).reshape(-1), ys)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item()

    def make_numpy():
        model, _ = make_minigrad()               # the same initial weights
        params = [p.data.copy() for p in model.parameters()]
        return params, NumpyAdam(params, lr=0.01)

    def run_numpy(params, opt, k):
        W1, b1, W2, b2, W3, b3 = params
        for _ in range(k):
            h1 = np.tanh(X @ W1.T + b1)
            h2 = np.tanh(h1 @ W2.T + b2)
            z = (h2 @ W3.T + b3)[:, 0]
            loss = np.mean(np.logaddexp(0, z) - z * y)
            dz = ((0.5 + 0.5 * np.tanh(0.5 * z) - y) / n)[:, None]   # (sigmoid(z) - y) / N
            dh2 = (dz @ W3) * (1 - h2 * h2)
            dh1 = (dh2 @ W2) * (1 - h1 * h1)
            opt.step([dh1.T @ X, dh1.sum(0), dh2.T @ h1, dh2.sum(0), dz.T @ h2, dz.sum(0)])
        return loss

    # check: the same 20 steps from the same start give the same weights
    model, opt = make_minigrad()
    run_minigrad(model, opt, 20)
    params, nopt = make_numpy()
    run_numpy(params, nopt, 20)
    check = max_difference(model.parameters(), params)

    # timed: `steps` more steps of one model each (building a model is not part of a step)
    model, opt = make_minigrad()
    params, nopt = make_numpy()

    def minigrad_unit():
        run_minigrad(model, opt, steps)

    def numpy_unit():
        run_numpy(params, nopt, steps)
    return minigrad_unit, numpy_unit, steps, check


# ---- (b) per-op overhead: a 20-op elementwise chain on 16 numbers ----------------------

def overhead_case(dtype, repeat_inner):
    x0 = np.linspace(-1, 1, 16).astype(dtype)
    # mul, add, tanh, square, exp, four times: values stay in a small range
    n_ops = 20

    def chain_minigrad():
        x = mg.Tensor(x0, requires_grad=True)
        y = x
        for _ in range(4):
            y = (y * 0.9 + 0.1).tanh()
            y = (y * y).exp()
        y.sum().backward()
        return x.grad

    def chain_numpy():
        y = x0
        saved = []
        for _ in range(4):
            t = np.tanh(y * 0.9 + 0.1)
            e = np.exp(t * t)
            saved.append((t, e))
            y = e
        y.sum()
        g = np.ones_like(x0)
        for t, e in reversed(saved):
            g = g * e                   # exp
            g = g * 2 * t               # square
            g = g * (1 - t * t)         # tanh
            g = g * 0.9                 # mul (add passes g through)
        return g

    check = float(np.max(np.abs(chain_minigrad() - chain_numpy())))

    def minigrad_unit():
        for _ in range(repeat_inner):
            chain_minigrad()

    def numpy_unit():
        for _ in range(repeat_inner):
            chain_numpy()
    return minigrad_unit, numpy_unit, n_ops * repeat_inner, check


# ---- (c) wide MLP 784 -> 1024 -> 1024 -> 10, batch 1024, cross-entropy, SGD, float32 ---

def wide_case(steps):
    dtype = np.float32
    r = np.random.default_rng(0)
    X = r.standard_normal((1024, 784)).astype(dtype)
    labels = r.integers(0, 10, 1024)
    rows = np.arange(1024)
    lr = 0.01

    def make_minigrad():
        model = mg.nn.Sequential(mg.nn.Linear(784, 1024, dtype=dtype, rng=0), mg.nn.ReLU(),
                                 mg.nn.Linear(1024, 1024, dtype=dtype, rng=1), mg.nn.ReLU(),
                                 mg.nn.Linear(1024, 10, dtype=dtype, rng=2))
        return model, mg.optim.SGD(model.parameters(), lr=lr)

    def run_minigrad(model, opt, k):
        xs = mg.Tensor(X)
        for _ in range(k):
            log_p = model(xs).log_softmax(axis=-1)
            loss = -log_p[rows, labels].mean()
            opt.zero_grad()
            loss.backward()
            opt.step()

    def make_numpy():
        model, _ = make_minigrad()
        return [p.data.copy() for p in model.parameters()]

    def run_numpy(params, k):
        W1, b1, W2, b2, W3, b3 = params
        for _ in range(k):
            a1 = X @ W1.T + b1
            h1 = np.maximum(a1, 0)
            a2 = h1 @ W2.T + b2
            h2 = np.maximum(a2, 0)
            logits = h2 @ W3.T + b3
            shifted = logits - logits.max(axis=1, keepdims=True)
            log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            loss = -log_p[rows, labels].mean()  # noqa: F841  (computed, as the engine does)
            d_logits = np.exp(log_p)                # softmax - onehot, over N
            d_logits[rows, labels] -= 1
            d_logits /= len(rows)
            d_h2 = (d_logits @ W3) * (a2 > 0)
            d_h1 = (d_h2 @ W2) * (a1 > 0)
            grads = [d_h1.T @ X, d_h1.sum(0), d_h2.T @ h1, d_h2.sum(0), d_logits.T @ h2, d_logits.sum(0)]
            for p, g in zip(params, grads):
                p -= lr * g

    model, opt = make_minigrad()
    run_minigrad(model, opt, 2)
    params = make_numpy()
    run_numpy(params, 2)
    check = max_difference(model.parameters(), params)

    model, opt = make_minigrad()
    params = make_numpy()

    def minigrad_unit():
        run_minigrad(model, opt, steps)

    def numpy_unit():
        run_numpy(params, steps)
    return minigrad_unit, numpy_unit, steps, check


# ---- (d) a 200,000-op chain: x = x * 1.0001 + 0.0001, 100,000 times ---------------------

def chain_case(n_ops, collector=True):
    """collector=False runs minigrad with Python's cyclic garbage collector paused.

    The engine makes no reference cycles, so a program may switch the collector off; with
    it on, a graph of millions of live objects is scanned again and again as it grows.
    """
    iterations = n_ops // 2
    x0 = np.array([1.0])

    def chain_minigrad():
        if not collector:
            gc.disable()
        try:
            x = mg.Tensor(x0, requires_grad=True)
            y = x
            for _ in range(iterations):
                y = y * 1.0001 + 0.0001
            y.backward(np.ones(1))
            return y.data, x.grad
        finally:
            gc.enable()

    def chain_numpy():
        y, dy_dx = x0, np.ones(1)       # forward mode: carry dy/dx along the loop
        for _ in range(iterations):
            y = y * 1.0001 + 0.0001
            dy_dx = dy_dx * 1.0001
        return y, dy_dx

    (_y_mg, g_mg), (_y_np, g_np) = chain_minigrad(), chain_numpy()
    check = float(np.max(np.abs(g_mg - g_np) / np.abs(g_np)))
    return chain_minigrad, chain_numpy, n_ops, check


# ---- (e) does the built-ins' fast path still pay? ---------------------------------------

_FAST_PASS_ON = mg.autograd._pass_on


def _pass_on_with_tensors(node, g, sums, owned, create_graph):
    """The engine's _pass_on, but a plain pass calls every built-in gradient function with
    tensors (as the one form students write, backward(g, out) on tensors, would be called)."""
    from minigrad.autograd import _add, _fit
    if type(node._backward) is not tuple or create_graph:
        return _FAST_PASS_ON(node, g, sums, owned, create_graph)
    g = mg.Tensor._make(g)
    for parent, d in zip(node._parents, node._backward):
        if parent.requires_grad:
            pg = d(g, node, *node._parents)
            if pg is not None:
                pg = pg.data if pg.shape == parent.data.shape else _fit(pg.data, node, parent)
                _add(sums, owned, parent, pg, False, False)


def forms_case(steps, repeats):
    """The lesson MLP (float64), its plain backward run on arrays (the built-ins' per-input form)
    and on tensors (the taught form): the ratio says what the fast path buys."""
    fast = _FAST_PASS_ON
    runs = {}
    for name, pass_on in (("arrays", fast), ("tensors", _pass_on_with_tensors)):
        minigrad_unit, _, units, _ = mlp_case(np.float64, steps, bce_composed)

        def unit(minigrad_unit=minigrad_unit, pass_on=pass_on):
            mg.autograd._pass_on = pass_on
            try:
                minigrad_unit()
            finally:
                mg.autograd._pass_on = fast
        runs[name] = unit
    timing = compare(runs, repeats=repeats)
    arrays, tensors = timing["arrays"].best / units, timing["tensors"].best / units
    print(f"  lesson MLP float64, {steps} steps, plain backward: gradient functions on arrays "
          f"{fmt_time(arrays)}/step, on tensors {fmt_time(tensors)}/step: the fast path is "
          f"{tensors / arrays:.2f}x faster", flush=True)


# ---- running and printing --------------------------------------------------------------

def run_case(label, unit_name, target, built, repeats):
    """Time one case, measure its peak memory, print a line; return a row for the table.

    The ratio compares the best of `repeats` interleaved runs of each side: on a machine
    shared with other work, the fastest run is the one least disturbed, so best-of-k is
    the steadier estimate of what each side costs. Medians are printed alongside.
    """
    minigrad_unit, numpy_unit, units, check = built
    timing = compare({"minigrad": minigrad_unit, "numpy": numpy_unit}, repeats=repeats)
    t_mg, t_np = timing["minigrad"].best / units, timing["numpy"].best / units
    med_mg, med_np = timing["minigrad"].median / units, timing["numpy"].median / units
    mem_mg, mem_np = peak_memory(minigrad_unit), peak_memory(numpy_unit)
    ratio = t_mg / t_np
    print(f"  {label}: minigrad {fmt_time(t_mg)}/{unit_name} (median {fmt_time(med_mg)}), "
          f"numpy {fmt_time(t_np)}/{unit_name} (median {fmt_time(med_np)}), ratio {ratio:.2f}x "
          f"(medians {med_mg / med_np:.2f}x; target <= {target}x); peak memory {fmt_bytes(mem_mg)} "
          f"vs {fmt_bytes(mem_np)}; max |minigrad - numpy| = {check:.1e}", flush=True)
    return [label, f"{fmt_time(t_mg)}/{unit_name}", f"{fmt_time(t_np)}/{unit_name}",
            f"{ratio:.2f}x", f"<= {target}x", "yes" if ratio <= target else "NO",
            fmt_bytes(mem_mg), fmt_bytes(mem_np)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few steps and repeats: a smoke run")
    parser.add_argument("--case", choices=["mlp", "overhead", "wide", "chain", "forms"], action="append",
                        help="run only this case (may be repeated)")
    args = parser.parse_args(argv)
    settle_allocator()
    cases = args.case or ["mlp", "overhead", "wide", "chain", "forms"]
    q = args.quick
    repeats = 3 if q else 7
    print(f"numpy {np.__version__}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
          f"BCE with logits from {'losses' if _bce_with_logits else 'a softplus composition'}"
          f"{', --quick' if q else ''}", flush=True)
    rows = []
    if "mlp" in cases:
        steps = 20 if q else 500
        for dtype in (np.float64, np.float32):
            label = f"lesson MLP, {np.dtype(dtype).name}, {steps} steps"
            rows.append(run_case(label, "step", 1.5, mlp_case(dtype, steps), repeats))
        rows.append(run_case(f"lesson MLP, float64, {steps} steps, BCE as softplus(z) - z*y", "step", 1.5,
                             mlp_case(np.float64, steps, bce_composed), repeats))
    if "overhead" in cases:
        rows.append(run_case("20-op elementwise chain, 16 elements", "op", 2.5,
                             overhead_case(np.float64, 20 if q else 200), repeats))
    if "wide" in cases:
        steps = 1 if q else 5
        rows.append(run_case(f"wide MLP float32, batch 1024, {steps} steps", "step", 1.1,
                             wide_case(steps), 3 if q else 5))
    if "chain" in cases:
        n_ops = 2_000 if q else 200_000
        rows.append(run_case(f"{n_ops:,}-op chain", "op", 8, chain_case(n_ops), 3 if q else 5))
        rows.append(run_case(f"{n_ops:,}-op chain, gc.disable()", "op", 8,
                             chain_case(n_ops, collector=False), 3 if q else 5))
    if "forms" in cases:
        forms_case(20 if q else 200, repeats)
    print()
    table(rows, ["case", "minigrad", "numpy", "ratio", "target", "met", "peak mem minigrad",
                 "peak mem numpy"])


if __name__ == "__main__":
    main()
