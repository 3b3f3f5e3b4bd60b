"""losses: every loss of the lecture on loss-function design, built on minigrad.

Each loss takes minigrad tensors (numpy arrays and lists are wrapped), checks its
inputs, computes one value per element or per sample, and reduces it with
`reduction="mean" | "sum" | "none"`. Gradients come from the engine.
"""
from .regression import mse, mae, huber
from .contrastive import contrastive
from .classification import (
    binary_cross_entropy, binary_cross_entropy_with_logits, categorical_cross_entropy, cross_entropy,
)
from .triplet import triplet, batch_triplet
from .hinge import hinge, squared_hinge, multiclass_hinge
from .regularization import l1_penalty, l2_penalty, elastic_net
from .registry import register, unregister, catalogue, get
from .checking import check
from .focal import focal, softmax_focal
from .custom import (
    weighted_sum, curriculum_weights, log_cosh, reconstruction, perceptual,
    adversarial_discriminator, adversarial_generator,
)
