"""Custom losses: the pieces of lecture part 9, and a model for writing your own.

A loss is a minigrad tensor, so losses combine with ordinary arithmetic and the engine
differentiates the combination: `0.7 * mse(pred, y) + 0.3 * l1_penalty(params, 1e-3)`
is a new loss with no new code. This module shows the three techniques the lecture
names (weighted combinations, task-specific terms, curriculum weighting) and its
examples (reconstruction, perceptual and adversarial losses), each a thin composition
of existing losses and ops. `log_cosh` is written the way you would add a loss of your
own: validate the inputs, compute one value per element, reduce.
"""
import math

import numpy as np

import minigrad as mg

from . import reduce, validate
from .classification import binary_cross_entropy_with_logits
from .regression import mse


def weighted_sum(terms, weights):
    """A weighted combination of losses: Σₖ wₖ·Lₖ.

    Lecture form:   L = Σₖ wₖ·Lₖ   ("balance multiple objectives").
    Losses are tensors, so this is `w1 * L1 + w2 * L2 + ...` written once with validation:
    the terms must all have the same shape (reduce each first, or pass "none" losses of
    one shape) and each weight must be a finite number >= 0 (a negative weight would
    reward the term it multiplies). Gradients add up the same way: dL/dθ = Σₖ wₖ·dLₖ/dθ.
    NaN in a term propagates.
    Reference: I. Goodfellow, Y. Bengio and A. Courville, "Deep Learning", 2016,
    section 7.1 (a data loss plus a weighted penalty).

    The same loss written by hand and with the helper: pred = 2w = [2, -2] against
    [1, -1] gives mse = (1 + 1) / 2 = 1, and l1_penalty(w, 1) = |1| + |-1| = 2, so
    0.7·1 + 0.3·2 = 1.3.

    >>> import minigrad as mg
    >>> from losses import mse, l1_penalty
    >>> w = mg.Tensor([1.0, -1.0], requires_grad=True)
    >>> total = 0.7 * mse(2.0 * w, [1.0, -1.0]) + 0.3 * l1_penalty([w], lam=1.0)
    >>> round(total.item(), 12)
    1.3
    >>> same = weighted_sum([mse(2.0 * w, [1.0, -1.0]), l1_penalty([w], lam=1.0)], [0.7, 0.3])
    >>> round(same.item(), 12)
    1.3

    Its gradient: 0.7 · (2/2)·(2w - y)·2 = 1.4·[1, -1] from the mse, plus 0.3·sign(w).

    >>> total.backward()
    >>> w.grad.round(12)
    array([ 1.7, -1.7])
    """
    fn = "weighted_sum"
    terms, weights = list(terms), list(weights)
    if not terms or len(terms) != len(weights):
        raise ValueError(f"{fn}: terms and weights must be non-empty lists of the same length, "
                         f"got {len(terms)} terms and {len(weights)} weights")
    terms = [validate.as_tensor(term, fn, f"terms[{k}]") for k, term in enumerate(terms)]
    for k, term in enumerate(terms[1:], start=1):
        if term.shape != terms[0].shape:
            raise ValueError(f"{fn}: every term must have the same shape, got terms[0] {terms[0].shape} "
                             f"and terms[{k}] {term.shape}; reduce each loss first (reduction='mean')")
    weights = [validate.number(w, fn, f"weights[{k}]", minimum=0.0) for k, w in enumerate(weights)]
    total = weights[0] * terms[0]
    for w, term in zip(weights[1:], terms[1:]):
        total = total + w * term
    return total


def curriculum_weights(difficulty, progress):
    """Per-sample weights that move from the easy samples to the hard ones as training progresses.

    With d ∈ [0, 1] each sample's difficulty (0 easiest, 1 hardest) and t ∈ [0, 1] the
    fraction of training done, the weight is the straight line from "easy first" to
    "hard last":
        w(d, t) = (1 - t)·(1 - d) + t·d
    At t = 0 the weight is 1 - d (easy samples count fully, the hardest not at all), at
    t = ½ every sample weighs ½, and at t = 1 it is d. As t grows, dw/dt = 2d - 1: the
    weight of every sample harder than ½ rises and of every easier one falls, so the
    weighted mean difficulty never decreases. Difficulty can be any score scaled to
    [0, 1], e.g. a reference model's per-sample loss divided by its maximum.
    Use the weights with a "none" loss; `(w * L).sum() / w.sum()` keeps the scale fixed.
    The weights are constants: they carry no gradient. Returns a tensor in the dtype of
    `difficulty`. `difficulty` must lie in [0, 1] (NaN raises); `progress` must be a
    number in [0, 1].
    Reference: Y. Bengio, J. Louradour, R. Collobert and J. Weston, "Curriculum
    Learning", ICML 2009.

    >>> curriculum_weights([0.0, 0.5, 1.0], progress=0.25)   # 0.75·(1 - d) + 0.25·d = 0.75 - 0.5·d
    Tensor([0.75, 0.5 , 0.25])
    """
    fn = "curriculum_weights"
    d = validate.as_tensor(difficulty, fn, "difficulty").detach()
    validate.in_range(d, 0.0, 1.0, fn, "difficulty")
    t = validate.fraction(progress, fn, "progress")
    with mg.no_grad():
        return (1.0 - t) * (1.0 - d) + t * d


def log_cosh(pred, target, reduction="mean"):
    """Log-cosh loss: quadratic for small residuals, linear for large ones, smooth everywhere.

    Lecture form ("ensure differentiability"), with r = y - ŷ:   L = log(cosh(r))
    About r²/2 near 0 and |r| - log 2 far from it: Huber's shape with no δ and no kink.
    Written as log(cosh(r)) it overflows: cosh(r) = inf once |r| > 710. Stable form:
        log cosh(r) = r + softplus(-2r) - log 2,     since cosh(r) = e^r (1 + e^-2r) / 2,
    with softplus computed without overflow. Its gradient is 1 - 2σ(-2r) = tanh(r) and
    its curvature 1 - tanh²(r) for every r. (The symmetric rewrite |r| + softplus(-2|r|)
    - log 2 has the same values, and at r = 0 the convention |r|'(0) = 0 still gives the
    right gradient tanh(0) = 0, but the engine would give it curvature 0 there instead
    of 1: the form without |r| has no kink to worry about.)
    One more step: near r = 0 the stable form subtracts log 2 from a number close to
    log 2, so a value of r²/2 = 1e-17 is lost in rounding and can even come out slightly
    negative. Where |r| < ε^¼ (ε the dtype's machine epsilon: 1.2e-4 in float64, 0.019
    in float32) the Taylor series r²/2 - r⁴/12 is used instead; its first omitted term,
    r⁶/45, is below ε relative to the value there, and its gradient r - r³/3 and
    curvature 1 - r² match tanh(r) and 1 - tanh²(r) to within ε as well.
    Elementwise: any shape, "none" keeps it. NaN in `pred` or `target` propagates.
    Reference: R. Neuneier and H. G. Zimmermann, "How to Train Neural Networks", in
    "Neural Networks: Tricks of the Trade", LNCS 1524, 1998 (the ln cosh error function).

    >>> log_cosh([0.0, 0.0], [0.0, 1000.0], reduction="none")   # log cosh 0 = 0; 1000 - log 2
    Tensor([  0.        , 999.30685282])
    """
    pred, target = validate.same_shape(pred, target, fn="log_cosh")
    validate.nonempty(pred, "log_cosh", "pred")
    r = target - pred
    small = np.abs(r.data) < np.finfo(r.dtype).eps ** 0.25
    r_small = mg.where(small, r, 0.0)           # 0 elsewhere, so r⁴ cannot overflow in the unused branch
    series = r_small ** 2 / 2 - r_small ** 4 / 12
    stable = r + mg.softplus(-2.0 * r) - math.log(2.0)
    return reduce.apply(mg.where(small, series, stable), reduction, fn="log_cosh")


def _sum_features(values):
    """Σ over every axis after the first: (N, ...) -> (N,)."""
    return values.sum(axis=tuple(range(1, values.ndim))) if values.ndim > 1 else values


def reconstruction(recon, target, reduction="mean"):
    """Reconstruction loss of an autoencoder: the squared distance between output and input.

    Lecture example; the form, per sample i:   Lᵢ = ||x̂ᵢ - xᵢ||² = Σⱼ (x̂ᵢⱼ - xᵢⱼ)²
    A thin composition: the elementwise `mse(..., reduction="none")` summed over every
    axis after the first, so `"none"` is (N,) and `"mean"` averages over samples (not
    over every pixel, which would shrink the loss with the image size). Smooth, no
    rewrite needed. NaN in `recon` or `target` propagates.
    Reference: I. Goodfellow, Y. Bengio and A. Courville, "Deep Learning", 2016,
    chapter 14 (autoencoders, L(x, g(f(x))) = ||x - g(f(x))||²).

    >>> reconstruction([[1.0, 2.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 3.0]], reduction="none")  # 1 + 4, 9
    Tensor([5., 9.])
    """
    fn = "reconstruction"
    recon, target = validate.same_shape(recon, target, fn, names=("recon", "target"))
    validate.ndim_at_least(recon, 1, fn, "recon", "(N, ...): one sample per row")
    validate.nonempty(recon, fn, "recon")
    return reduce.apply(_sum_features(mse(recon, target, reduction="none")), reduction, fn)


def perceptual(pred, target, feature_map, reduction="mean"):
    """Perceptual loss: compare two outputs in a fixed feature space instead of pixel by pixel.

    Lecture example; the form (Johnson et al.'s feature reconstruction loss), per sample:
        Lᵢ = (1/F)·||φ(ŷᵢ) - φ(yᵢ)||²
    with φ = `feature_map`, a fixed function built from minigrad ops (for example a
    frozen network: set requires_grad=False on its parameters, or they get gradients
    too), mapping (N, ...) to (N, ...) features, and F the number of features per
    sample. A thin composition: `mse(φ(pred), φ(target), "none")` averaged over every
    axis after the first, so `"none"` is (N,). Gradients flow through φ to `pred`
    (and to `target` if it needs them). NaN propagates.
    Reference: J. Johnson, A. Alahi and L. Fei-Fei, "Perceptual Losses for Real-Time
    Style Transfer and Super-Resolution", ECCV 2016.

    With φ(x) = [x₀ + x₁, x₀ - x₁]: φ([1, 2]) = [3, -1] and φ([0, 0]) = [0, 0], so the
    loss is (9 + 1) / 2 = 5, where the pixel mse is (1 + 4) / 2 = 2.5.

    >>> import minigrad as mg
    >>> phi = lambda x: x @ mg.Tensor([[1.0, 1.0], [1.0, -1.0]])
    >>> perceptual([[1.0, 2.0]], [[0.0, 0.0]], phi).item()
    5.0
    """
    fn = "perceptual"
    pred, target = validate.same_shape(pred, target, fn)
    validate.ndim_at_least(pred, 1, fn, "pred", "(N, ...): one sample per row")
    validate.nonempty(pred, fn, "pred")
    if not callable(feature_map):
        raise ValueError(f"{fn}: feature_map must be a function of a tensor (e.g. a frozen "
                         f"mg.nn.Module), got {type(feature_map).__name__}")
    features = feature_map(pred)
    if pred.requires_grad and not (isinstance(features, mg.Tensor) and features.requires_grad):
        raise ValueError(f"{fn}: feature_map must be built from minigrad ops so that gradients "
                         f"reach pred; it returned {type(features).__name__} without a graph")
    features, target_features = validate.same_shape(features, feature_map(target), fn,
                                                   names=("feature_map(pred)", "feature_map(target)"))
    if features.ndim == 0 or features.shape[0] != pred.shape[0]:
        raise ValueError(f"{fn}: feature_map must keep the sample axis: pred {pred.shape} gave "
                         f"features {features.shape}")
    squared = mse(features, target_features, reduction="none")
    per_sample = _sum_features(squared) / (squared.size // max(squared.shape[0], 1))
    return reduce.apply(per_sample, reduction, fn)


def adversarial_discriminator(real_logits, fake_logits, reduction="mean"):
    """The GAN discriminator's loss, from its logits on real and on generated samples.

    Lecture example; the form, with D(x) = σ(z) the discriminator's probability "real":
        L_D = -log D(x) - log(1 - D(G(z)))
    i.e. binary cross-entropy with target 1 on real samples and 0 on fakes. A thin
    composition of `binary_cross_entropy_with_logits`, which computes it from logits as
    softplus(-z_real) + softplus(z_fake): finite for any logit, no log of 0.
    `real_logits` and `fake_logits` have the same shape (one real and one fake per
    sample); elementwise, so "none" keeps that shape. NaN propagates.
    Reference: I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.

    >>> round(adversarial_discriminator([0.0], [0.0]).item(), 6)   # σ(0) = ½: 2·log 2
    1.386294
    """
    fn = "adversarial_discriminator"
    real, fake = validate.same_shape(real_logits, fake_logits, fn, names=("real_logits", "fake_logits"))
    validate.nonempty(real, fn, "real_logits")
    ones = np.ones(real.shape, dtype=real.dtype)
    per_sample = (binary_cross_entropy_with_logits(real, ones, reduction="none")
                  + binary_cross_entropy_with_logits(fake, np.zeros_like(ones), reduction="none"))
    return reduce.apply(per_sample, reduction, fn)


def adversarial_generator(fake_logits, reduction="mean"):
    """The GAN generator's non-saturating loss, from the discriminator's logits on generated samples.

    Lecture example; the form:   L_G = -log D(G(z))   (the non-saturating loss)
    instead of the minimax form log(1 - D(G(z))). Early in training the discriminator
    rejects fakes confidently (logit z very negative); there the minimax gradient,
    -σ(z), vanishes, while the non-saturating one, -(1 - σ(z)), stays near -1, so the
    generator keeps learning. A thin composition: binary cross-entropy with target 1,
    computed from logits as softplus(-z): finite for any logit. Elementwise, so "none"
    keeps the input's shape. NaN propagates.
    Reference: I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, section 3.

    >>> round(adversarial_generator([0.0]).item(), 6)              # -log σ(0) = log 2
    0.693147
    """
    fn = "adversarial_generator"
    fake = validate.as_tensor(fake_logits, fn, "fake_logits")
    validate.nonempty(fake, fn, "fake_logits")
    ones = np.ones(fake.shape, dtype=fake.dtype)
    return reduce.apply(binary_cross_entropy_with_logits(fake, ones, reduction="none"), reduction, fn)
