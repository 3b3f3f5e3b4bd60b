"""Optimizers: SGD (momentum, weight decay), Adam and AdamW, with torch.optim's update rules.

They update each parameter's `.data` in place from its `.grad`; parameters
without a gradient are skipped. Hyper-parameters are validated as torch.optim does.
"""
import math

import numpy as np


class Optimizer:
    def __init__(self, params, lr):
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        self._non_negative("lr", lr)
        self.lr = lr

    def _non_negative(self, name, value):
        if not (isinstance(value, (int, float, np.floating, np.integer)) and math.isfinite(value) and value >= 0):
            raise ValueError(f"{type(self).__name__}: {name} must be a finite number >= 0, got {value!r}")

    def _betas(self, betas):
        if len(betas) != 2 or not all(isinstance(b, (int, float)) and 0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"{type(self).__name__}: betas must be two numbers in [0, 1), got {betas!r}")
        return tuple(betas)

    def zero_grad(self):
        for p in self.params:
            p.zero_grad()

    def _gradients(self, weight_decay):
        """(parameter, gradient with weight decay added, index) for parameters that have one."""
        for i, p in enumerate(self.params):
            if p.grad is not None:
                yield i, p, (p.grad + weight_decay * p.data if weight_decay else p.grad)


class SGD(Optimizer):
    """p -= lr * v,  v = momentum * v + (g + weight_decay * p)   (v = g on the first step)."""

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        super().__init__(params, lr)
        self._non_negative("momentum", momentum)
        self._non_negative("weight_decay", weight_decay)
        self.momentum, self.weight_decay = momentum, weight_decay
        self.velocity = [None] * len(self.params)

    def step(self):
        for i, p, g in self._gradients(self.weight_decay):
            if self.momentum:
                v = self.velocity[i]
                self.velocity[i] = g = g.copy() if v is None else self.momentum * v + g
            p.data -= self.lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), bias-corrected; weight decay is added to the gradient.

    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g²
    p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr)
        self._non_negative("eps", eps)
        self._non_negative("weight_decay", weight_decay)
        self.betas, self.eps, self.weight_decay = self._betas(betas), eps, weight_decay
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.steps = [0] * len(self.params)

    def step(self):
        self._update(self._gradients(self.weight_decay))

    def _update(self, gradients):
        b1, b2 = self.betas
        for i, p, g in gradients:
            self.steps[i] += 1
            t = self.steps[i]
            m, v = self.m[i], self.v[i]
            m *= b1                             # in place: m = b1 m + (1 - b1) g, the same arithmetic
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            m_hat = m / (1 - b1 ** t)
            v_hat = v / (1 - b2 ** t)
            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay.

    The decay shrinks the weights directly, p -= lr * weight_decay * p, before the Adam
    step on the plain gradient; it is not added to the gradient, so Adam's per-coordinate
    scaling does not weaken it where gradients are large.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas, eps, weight_decay)

    def step(self):
        def decayed():
            for i, p, g in self._gradients(0.0):
                p.data -= self.lr * self.weight_decay * p.data
                yield i, p, g
        self._update(decayed())
