"""Optimizers: SGD (momentum, weight decay) and Adam, with torch.optim's update rules.

They update each parameter's `.data` in place from its `.grad`; parameters
without a gradient are skipped.
"""
import numpy as np


class Optimizer:
    def __init__(self, params, lr):
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        if lr < 0:
            raise ValueError(f"{type(self).__name__}: lr must be >= 0, got {lr}")
        self.lr = lr

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
        self.betas, self.eps, self.weight_decay = betas, eps, weight_decay
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.steps = [0] * len(self.params)

    def step(self):
        b1, b2 = self.betas
        for i, p, g in self._gradients(self.weight_decay):
            self.steps[i] += 1
            t = self.steps[i]
            self.m[i] = b1 * self.m[i] + (1 - b1) * g
            self.v[i] = b2 * self.v[i] + (1 - b2) * g * g
            m_hat = self.m[i] / (1 - b1 ** t)
            v_hat = self.v[i] / (1 - b2 ** t)
            p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
