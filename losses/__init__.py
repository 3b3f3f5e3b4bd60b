"""losses: every loss of the lecture on loss-function design, built on minigrad.

Each loss takes minigrad tensors (numpy arrays and lists are wrapped), validates its
inputs (`losses.validate`), computes one value per element or per sample, and reduces
it with `reduction="mean" | "sum" | "none"` (`losses.reduce`). Gradients come from the
engine. The workbench (`losses.workbench`) adds losses of your own to the catalogue
(`register`), tests the lecture's properties on them (`check`) and draws them (`explore`).
"""
from . import reduce, validate
from .classification import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    categorical_cross_entropy,
    cross_entropy,
)
from .contrastive import contrastive
from .custom import (
    adversarial_discriminator,
    adversarial_generator,
    curriculum_weights,
    log_cosh,
    perceptual,
    reconstruction,
    weighted_sum,
)
from .focal import focal, softmax_focal
from .hinge import hinge, multiclass_hinge, squared_hinge
from .regression import huber, mae, mse
from .regularization import elastic_net, l1_penalty, l2_penalty
from .triplet import batch_triplet, triplet
from .workbench import catalogue, check, get, register, unregister


def __getattr__(name):
    """`losses.explore` (see `losses.workbench.explorer`), loaded with matplotlib on first use."""
    if name == "explore":
        from .workbench.explorer import explore
        return explore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
