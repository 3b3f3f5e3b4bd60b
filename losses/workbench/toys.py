"""The toy problems `explore` trains a loss on, one per kind, with fixed seeds.

Small and deterministic, so that a rerun draws the same figure: a line with outliers
(regression), two moons (binary), Gaussian blobs (multiclass, pairs, triplets), and a
sparse linear model (penalty). `fit` is a plain full-batch training loop and `mlp` a
small tanh network.
"""
import numpy as np

import minigrad as mg


def rng(seed=0):
    return np.random.default_rng(seed)


def two_moons(n=256, noise=0.15, seed=0):
    """Two interleaved half circles: X (n, 2), labels y (n,) in {0, 1}."""
    r = rng(seed)
    t = r.uniform(0, np.pi, n)
    upper = np.arange(n) % 2 == 0
    X = np.where(upper[:, None], np.stack([np.cos(t), np.sin(t)], 1),
                 np.stack([1 - np.cos(t), 0.5 - np.sin(t)], 1))
    return X + noise * r.standard_normal((n, 2)), (~upper).astype(float)


def blobs(n_per_class=50, centers=((-2, 0), (2, 0), (0, 2.5)), std=0.7, seed=0):
    """Gaussian clusters: X (n, 2), integer labels y (n,) in {0, ..., len(centers) - 1}."""
    r = rng(seed)
    centers = np.asarray(centers, dtype=float)
    y = np.repeat(np.arange(len(centers)), n_per_class)
    return centers[y] + std * r.standard_normal((len(y), centers.shape[1])), y


def line_with_outliers(n=100, slope=2.0, intercept=1.0, noise=0.3, outlier_fraction=0.1,
                       outlier_shift=12.0, seed=0):
    """y = slope x + intercept + noise, with a fraction of points pushed far up: x (n,), y (n,)."""
    r = rng(seed)
    x = r.uniform(-3, 3, n)
    y = slope * x + intercept + noise * r.standard_normal(n)
    outliers = r.choice(n, int(round(outlier_fraction * n)), replace=False)
    y[outliers] += outlier_shift + r.uniform(0, 4, len(outliers))
    return x, y


def sparse_regression(seed=5):
    """10 weights, 3 of them non-zero, 15 noisy training samples and 200 test samples."""
    r = rng(seed)
    w_true = np.array([3.0, -2.0, 1.5] + [0.0] * 7)
    X, X_test = r.standard_normal((15, 10)), r.standard_normal((200, 10))
    return X, X @ w_true + 0.5 * r.standard_normal(15), X_test, X_test @ w_true, w_true


def mlp(sizes, activation=mg.nn.Tanh, seed=0):
    """An MLP with the given layer sizes and an activation between layers (none after the last)."""
    generator = rng(seed)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(mg.nn.Linear(n_in, n_out, rng=generator))
        if i < len(sizes) - 2:
            layers.append(activation())
    return mg.nn.Sequential(*layers)


def make_optimizer(params, lr, optimizer="adam"):
    if optimizer == "adam":
        return mg.optim.Adam(params, lr=lr)
    if optimizer == "sgd":
        return mg.optim.SGD(params, lr=lr)
    raise ValueError(f"make_optimizer: optimizer must be 'adam' or 'sgd', got {optimizer!r}")


def fit(params, compute_loss, steps, lr=0.05, optimizer="adam", on_step=None):
    """Minimise compute_loss() over params; return the loss at each step as an array (steps,).

    optimizer is "adam", "sgd" or an optimizer object; on_step(step) runs after each update.
    """
    opt = make_optimizer(params, lr, optimizer) if isinstance(optimizer, str) else optimizer
    history = np.empty(steps)
    for step in range(steps):
        opt.zero_grad()
        loss = compute_loss()
        loss.backward()
        opt.step()
        history[step] = loss.item()
        if on_step is not None:
            on_step(step)
    return history
