"""Small helpers shared by several test files."""
import numpy as np


def reduce_for_check(loss, seed=0):
    """A scalar from any reduction: "none" is weighted by fixed random numbers, so every entry counts."""
    if loss.ndim == 0:
        return loss
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, loss.shape)
    return (loss * weights).sum()
