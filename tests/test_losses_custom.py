"""custom: weighted sums of losses, curriculum weights, log_cosh, reconstruction, perceptual and
adversarial losses: hand-worked values, closed-form gradients, gradcheck, properties, bad input."""
import math

import numpy as np
import pytest
from helpers import reduce_for_check
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad as mg
from losses import (
    adversarial_discriminator,
    adversarial_generator,
    curriculum_weights,
    l1_penalty,
    log_cosh,
    mse,
    perceptual,
    reconstruction,
    weighted_sum,
)

REDUCTIONS = ("mean", "sum", "none")


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# ---- weighted_sum: losses are tensors ----------------------------------------------------

def test_weighted_sum_hand_worked():
    # 0.5·2 + 2·3 = 7
    assert weighted_sum([mg.Tensor(2.0), mg.Tensor(3.0)], [0.5, 2]).item() == 7.0


def test_weighted_sum_equals_the_expression_and_its_gradient_adds_up():
    pred = mg.Tensor([0.5, -1.0, 2.0], requires_grad=True)
    target = np.array([0.0, 1.0, 1.5])
    by_hand = 0.7 * mse(pred, target) + 0.3 * l1_penalty([pred], lam=0.1)
    helper = weighted_sum([mse(pred, target), l1_penalty([pred], lam=0.1)], [0.7, 0.3])
    # mse = (0.25 + 4 + 0.25) / 3 = 1.5;  l1 = 0.1·(0.5 + 1 + 2) = 0.35;  0.7·1.5 + 0.3·0.35 = 1.155
    assert helper.item() == pytest.approx(1.155)
    assert by_hand.item() == pytest.approx(1.155)
    helper.backward()
    # 0.7 · 2(p - y)/3 + 0.3 · 0.1·sign(p)
    expected = 0.7 * 2 * (pred.data - target) / 3 + 0.03 * np.sign(pred.data)
    np.testing.assert_allclose(pred.grad, expected)


def test_weighted_sum_of_per_sample_losses():
    a, b = mg.Tensor([1.0, 2.0]), mg.Tensor([10.0, 20.0])
    np.testing.assert_allclose(weighted_sum([a, b], [1.0, 0.1]).data, [2.0, 4.0])


def test_weighted_sum_gradcheck():
    rng = np.random.default_rng(0)
    pred, target = rng.normal(size=4), rng.normal(size=4)
    assert mg.gradcheck(lambda p: weighted_sum([mse(p, target), log_cosh(p, target)], [0.7, 0.3]), pred)


@pytest.mark.parametrize("call, match", [
    (lambda: weighted_sum([mg.Tensor(1.0)], [0.5, 0.5]), r"weighted_sum: terms and weights must be .* got 1 terms and 2 weights"),
    (lambda: weighted_sum([], []), r"weighted_sum: terms and weights must be non-empty"),
    (lambda: weighted_sum([mg.Tensor(1.0), mg.Tensor([1.0, 2.0])], [1, 1]),
     r"weighted_sum: every term must have the same shape, got terms\[0\] \(\) and terms\[1\] \(2,\); reduce"),
    (lambda: weighted_sum([mg.Tensor(1.0)], [-0.5]), r"weighted_sum: weights\[0\] must be a finite number >= 0, got -0.5"),
    (lambda: weighted_sum([mg.Tensor(1.0)], [float("nan")]), r"weighted_sum: weights\[0\] must be"),
    (lambda: weighted_sum(["loss"], [1.0]), r"weighted_sum: terms\[0\] must be numbers"),
])
def test_weighted_sum_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- curriculum_weights --------------------------------------------------------------------

def test_curriculum_endpoints_and_middle():
    d = np.array([0.0, 0.2, 0.5, 0.9, 1.0])
    np.testing.assert_allclose(curriculum_weights(d, 0.0).data, 1 - d)     # easy first
    np.testing.assert_allclose(curriculum_weights(d, 1.0).data, d)         # hard last
    np.testing.assert_allclose(curriculum_weights(d, 0.5).data, 0.5)       # all equal halfway
    # t = 0.25: 0.75·(1 - 0.2) + 0.25·0.2 = 0.65
    assert curriculum_weights([0.2], 0.25).data[0] == pytest.approx(0.65)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=8), st.floats(0, 1), st.floats(0, 1))
def test_curriculum_moves_weight_from_easy_to_hard(difficulty, t1, t2):
    early, late = sorted((t1, t2))
    d = np.array(difficulty)
    w_early = curriculum_weights(d, early).data
    w_late = curriculum_weights(d, late).data
    assert np.all((w_early >= 0) & (w_early <= 1))
    hard, easy = d > 0.5, d < 0.5
    assert np.all(w_late[hard] >= w_early[hard] - 1e-12)       # harder than ½: weight rises
    assert np.all(w_late[easy] <= w_early[easy] + 1e-12)       # easier than ½: weight falls
    if w_early.sum() > 0 and w_late.sum() > 0:                 # the weighted mean difficulty never drops
        assert (w_late * d).sum() / w_late.sum() >= (w_early * d).sum() / w_early.sum() - 1e-12


def test_curriculum_weights_are_constants_in_the_input_dtype():
    d = mg.Tensor(np.array([0.1, 0.7], dtype=np.float32), requires_grad=True)
    w = curriculum_weights(d, 0.3)
    assert not w.requires_grad
    assert w.dtype == np.float32


def test_curriculum_weights_with_a_per_sample_loss():
    pred = mg.Tensor([1.0, 3.0], requires_grad=True)
    per_sample = mse(pred, [0.0, 0.0], reduction="none")        # 1 and 9
    w = curriculum_weights([0.0, 1.0], progress=0.0)            # easy sample only: 1, 0
    loss = (w * per_sample).sum() / w.sum()
    loss.backward()
    assert loss.item() == 1.0
    np.testing.assert_allclose(pred.grad, [2.0, 0.0])           # the hard sample does not train yet


@pytest.mark.parametrize("call, match", [
    (lambda: curriculum_weights([0.5, 1.5], 0.1), r"curriculum_weights: difficulty must lie in \[0, 1\], got 1.5"),
    (lambda: curriculum_weights([-0.1], 0.1), r"curriculum_weights: difficulty must lie in \[0, 1\]"),
    (lambda: curriculum_weights([np.nan], 0.1), r"curriculum_weights: difficulty must lie in \[0, 1\], got nan"),
    (lambda: curriculum_weights([0.5], 1.5), r"curriculum_weights: progress must be a number in \[0, 1\], got 1.5"),
    (lambda: curriculum_weights([0.5], float("nan")), r"curriculum_weights: progress must be a number in \[0, 1\]"),
    (lambda: curriculum_weights([0.5], "half"), r"curriculum_weights: progress must be a number in \[0, 1\]"),
])
def test_curriculum_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- log_cosh ------------------------------------------------------------------------------

def test_log_cosh_hand_worked():
    # log cosh 1 = log((e + 1/e) / 2) = log(1.5430806348152437) = 0.4337808304830271
    assert log_cosh([0.0], [1.0]).item() == pytest.approx(0.4337808304830271, rel=1e-14)
    # symmetric: r = -2 and r = 2 both give log((e² + e⁻²)/2) = log(3.7621956910836314)
    values = log_cosh([2.0, -2.0], [0.0, 0.0], reduction="none").data
    np.testing.assert_allclose(values, math.log(3.7621956910836314), rtol=1e-14)


def test_log_cosh_large_residuals_are_finite():
    # cosh(1e4) overflows; log cosh r = |r| - log 2 + log(1 + e^-2|r|) = 1e4 - log 2 to double precision
    pred = mg.Tensor([1e4, -1e4, 800.0], requires_grad=True)
    loss = log_cosh(pred, [0.0, 0.0, 0.0], reduction="none")
    np.testing.assert_allclose(loss.data, [1e4 - math.log(2), 1e4 - math.log(2), 800 - math.log(2)], rtol=1e-15)
    loss.sum().backward()
    np.testing.assert_allclose(pred.grad, [1.0, -1.0, 1.0])     # tanh(±1e4) = ±1


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_cosh_gradient_is_tanh_and_curvature_sech2(dtype):
    # both branches: |r| below and above ε^¼ (1.2e-4 in float64, 0.019 in float32), and r = 0 exactly
    r = np.array([0.0, 1e-9, -3e-5, 1e-3, -0.01, 0.3, -1.7, 6.0, 40.0], dtype=dtype)
    pred = mg.Tensor(r, requires_grad=True)
    loss = log_cosh(pred, np.zeros_like(r), reduction="sum")     # residual y - ŷ = -r, so dL/dŷ = tanh(r)
    (g,) = mg.grad(loss, [pred], create_graph=True)
    (h,) = mg.grad(g.sum(), [pred])
    tol = 1e-15 if dtype == np.float64 else 1e-7
    np.testing.assert_allclose(g.data, np.tanh(r.astype(np.float64)), rtol=4 * tol, atol=tol)
    np.testing.assert_allclose(h.data, 1 - np.tanh(r.astype(np.float64)) ** 2, rtol=4 * tol, atol=4 * tol)
    assert g.data[0] == 0.0 and h.data[0] == 1.0                 # tanh(0) = 0, sech²(0) = 1 exactly


def test_log_cosh_is_accurate_and_positive_for_tiny_residuals():
    # log cosh r = r²/2 - r⁴/12 + ...; at r = 1e-9 that is 5e-19, which the stable form alone rounds away
    r = np.array([1e-9, -1e-7, 1e-5, 2e-4, 1e-3])
    values = log_cosh(r, np.zeros(5), reduction="none").data
    np.testing.assert_allclose(values, r ** 2 / 2 - r ** 4 / 12 + r ** 6 / 45, rtol=1e-8)
    assert np.all(values > 0)


finite = st.floats(-50, 50, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(finite, finite), min_size=1, max_size=8))
def test_log_cosh_properties(pairs):
    pred, target = np.array(pairs).T
    n = len(pred)
    none = log_cosh(pred, target, reduction="none")
    assert none.shape == (n,)
    r = np.abs(target - pred)
    assert np.all(none.data >= 0)
    # closed-form bounds: |r| - log 2 <= log cosh r <= r²/2
    assert np.all(none.data <= r ** 2 / 2 * (1 + 1e-12) + 1e-300)
    assert np.all(none.data >= r - math.log(2) - 1e-12)
    total = log_cosh(pred, target, reduction="sum").item()
    assert total == pytest.approx(n * log_cosh(pred, target).item(), rel=1e-12, abs=1e-300)
    assert log_cosh(pred, pred).item() == 0.0                   # zero at a perfect fit


@pytest.mark.parametrize("call, match", [
    (lambda: log_cosh(np.zeros((3, 1)), np.zeros(3)), r"log_cosh: pred and target must have the same shape.*pred\.reshape\(-1\)"),
    (lambda: log_cosh([1.0], [1.0], reduction="max"), r"log_cosh: reduction must be one of .*got 'max'"),
])
def test_log_cosh_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- reconstruction ----------------------------------------------------------------------------

def test_reconstruction_hand_worked():
    recon = [[1.0, 2.0], [0.0, 0.0], [1.0, 1.0]]
    target = [[0.0, 0.0], [0.0, 3.0], [1.0, 1.0]]
    # per sample: 1 + 4 = 5;  9;  0   -> sum 14, mean over samples 14/3
    np.testing.assert_allclose(reconstruction(recon, target, reduction="none").data, [5.0, 9.0, 0.0])
    assert reconstruction(recon, target, reduction="sum").item() == 14.0
    assert reconstruction(recon, target).item() == pytest.approx(14 / 3)


def test_reconstruction_of_images_and_its_gradient():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 2, 2))
    recon = mg.Tensor(rng.normal(size=(3, 2, 2)), requires_grad=True)
    loss = reconstruction(recon, x, reduction="sum")
    assert loss.item() == pytest.approx(((recon.data - x) ** 2).sum())
    loss.backward()
    np.testing.assert_allclose(recon.grad, 2 * (recon.data - x))     # d||x̂ - x||²/dx̂ = 2(x̂ - x)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_reconstruction_gradcheck(reduction):
    rng = np.random.default_rng(2)
    recon, x = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    assert mg.gradcheck(lambda a, b: reduce_for_check(reconstruction(a, b, reduction)), recon, x)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 5), st.integers(1, 4), st.integers(0, 2 ** 31))
def test_reconstruction_properties(n, d, seed):
    rng = np.random.default_rng(seed)
    recon, x = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    none = reconstruction(recon, x, "none")
    assert none.shape == (n,) and np.all(none.data >= 0)
    assert reconstruction(recon, x, "sum").item() == pytest.approx(n * reconstruction(recon, x).item())
    assert reconstruction(x, x).item() == 0.0
    assert reconstruction(recon.astype(np.float32), x.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize("call, match", [
    (lambda: reconstruction(np.zeros((2, 3)), np.zeros((2, 4))), r"reconstruction: recon and target must have the same shape"),
    (lambda: reconstruction(np.zeros(()), np.zeros(())), r"reconstruction: recon must have shape \(N, \.\.\.\)"),
    (lambda: reconstruction(np.zeros(2), np.zeros(2), reduction="all"), r"reconstruction: reduction must be"),
])
def test_reconstruction_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- perceptual --------------------------------------------------------------------------------

A = np.array([[1.0, 0.5, 0.0], [-1.0, 2.0, 1.0]])      # a fixed linear feature map, 2 -> 3 features


def linear_features(x):
    return x @ mg.Tensor(A)


def test_perceptual_hand_worked_and_closed_form_gradient():
    pred = mg.Tensor([[1.0, 1.0], [0.0, 2.0]], requires_grad=True)
    target = np.array([[0.0, 0.0], [0.0, 0.0]])
    # φ(pred) = [[0, 2.5, 1], [-2, 4, 2]]; per sample (1/3)·Σ: (0 + 6.25 + 1)/3, (4 + 16 + 4)/3
    loss = perceptual(pred, target, linear_features, reduction="none")
    np.testing.assert_allclose(loss.data, [7.25 / 3, 8.0])
    loss.sum().backward()
    # d/dx̂ (1/F)·||(x̂ - x) A||² = (2/F)·(x̂ - x) A Aᵀ
    np.testing.assert_allclose(pred.grad, 2 / 3 * (pred.data - target) @ A @ A.T)


def test_perceptual_ignores_what_the_features_ignore():
    # features that see only the sum of a sample: a permuted output costs nothing, pixel mse does
    def total(x):
        return x.sum(axis=1, keepdims=True)
    pred, target = [[1.0, 2.0, 3.0]], [[3.0, 1.0, 2.0]]
    assert perceptual(pred, target, total).item() == 0.0
    assert mse(pred, target).item() > 0


def test_perceptual_with_a_frozen_network():
    net = mg.nn.Sequential(mg.nn.Linear(3, 4, rng=0), mg.nn.Tanh())
    layer = net[0]
    layer.weight.requires_grad = False                 # frozen: the loss trains pred only
    layer.bias.requires_grad = False
    rng = np.random.default_rng(3)
    pred = mg.Tensor(rng.normal(size=(2, 3)), requires_grad=True)
    target = rng.normal(size=(2, 3))

    def phi(x):                                        # the same network in plain numpy
        return np.tanh(x @ layer.weight.data.T + layer.bias.data)
    loss = perceptual(pred, target, net, reduction="sum")
    assert loss.item() == pytest.approx(((phi(pred.data) - phi(target)) ** 2).mean(axis=1).sum(), rel=1e-12)
    loss.backward()
    assert layer.weight.grad is None
    assert mg.gradcheck(lambda p: perceptual(p, target, net, reduction="sum"), pred.data.copy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_perceptual_gradcheck(reduction):
    rng = np.random.default_rng(4)
    pred, target = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    assert mg.gradcheck(lambda p, t: reduce_for_check(perceptual(p, t, linear_features, reduction)), pred, target)


def test_perceptual_properties():
    rng = np.random.default_rng(5)
    pred, target = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    none = perceptual(pred, target, linear_features, "none")
    assert none.shape == (4,) and np.all(none.data >= 0)
    assert perceptual(pred, target, linear_features, "sum").item() == pytest.approx(
        4 * perceptual(pred, target, linear_features).item())
    assert perceptual(pred, pred, linear_features).item() == 0.0
    as32 = perceptual(pred.astype(np.float32), target.astype(np.float32), lambda x: x * 2.0)
    assert as32.dtype == np.float32


@pytest.mark.parametrize("call, match", [
    (lambda: perceptual([[1.0]], [[1.0]], "vgg"), r"perceptual: feature_map must be a function of a tensor.*got str"),
    (lambda: perceptual(mg.Tensor([[1.0]], requires_grad=True), [[1.0]], lambda x: x.data * 2),
     r"perceptual: feature_map must be built from minigrad ops.*got|returned ndarray"),
    (lambda: perceptual([[1.0, 2.0]], [[1.0, 2.0]], lambda x: x.sum()), r"perceptual: feature_map must keep the sample axis"),
    (lambda: perceptual([[1.0, 2.0]], [[1.0]], linear_features), r"perceptual: pred and target must have the same shape"),
    (lambda: perceptual([[1.0]], [[1.0]], lambda x: x, reduction="mea"), r"perceptual: reduction must be"),
])
def test_perceptual_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- adversarial (non-saturating GAN) ---------------------------------------------------------

def test_generator_loss_closed_form_and_non_saturating_gradient():
    z = mg.Tensor([0.0, -10.0, 3.0], requires_grad=True)
    loss = adversarial_generator(z, reduction="none")
    np.testing.assert_allclose(loss.data, np.log1p(np.exp(-z.data)), rtol=1e-14)    # -log σ(z) = softplus(-z)
    loss.sum().backward()
    np.testing.assert_allclose(z.grad, sigmoid(z.data) - 1, rtol=1e-12)              # -(1 - σ(z))
    # a confidently rejected fake (z = -10): the non-saturating gradient is still about -1, while
    # the minimax form log(1 - σ(z)) would give -σ(-10) = -4.5e-5
    assert z.grad[1] < -0.9999 and sigmoid(-10.0) < 5e-5


def test_discriminator_loss_closed_form():
    real = mg.Tensor([2.0, -1.0], requires_grad=True)
    fake = mg.Tensor([0.5, -3.0], requires_grad=True)
    loss = adversarial_discriminator(real, fake, reduction="none")
    # softplus(-real) + softplus(fake) = -log σ(real) - log(1 - σ(fake))
    expected = -np.log(sigmoid(real.data)) - np.log(1 - sigmoid(fake.data))
    np.testing.assert_allclose(loss.data, expected, rtol=1e-13)
    loss.sum().backward()
    np.testing.assert_allclose(real.grad, sigmoid(real.data) - 1, rtol=1e-12)
    np.testing.assert_allclose(fake.grad, sigmoid(fake.data), rtol=1e-12)


def test_adversarial_extreme_logits_are_finite():
    real = mg.Tensor([1e4, -1e4], requires_grad=True)
    fake = mg.Tensor([-1e4, 1e4], requires_grad=True)
    d_loss = adversarial_discriminator(real, fake, reduction="none")
    np.testing.assert_allclose(d_loss.data, [0.0, 2e4])     # perfect, then completely wrong: 1e4 + 1e4
    d_loss.sum().backward()
    np.testing.assert_allclose(real.grad, [0.0, -1.0])
    np.testing.assert_allclose(fake.grad, [0.0, 1.0])
    g_loss = adversarial_generator(fake, reduction="sum")
    assert g_loss.item() == 1e4


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_adversarial_gradcheck(reduction):
    rng = np.random.default_rng(6)
    real, fake = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    assert mg.gradcheck(lambda r, f: reduce_for_check(adversarial_discriminator(r, f, reduction)), real, fake)
    assert mg.gradcheck(lambda f: reduce_for_check(adversarial_generator(f, reduction)), fake)


def test_adversarial_properties():
    rng = np.random.default_rng(7)
    real, fake = rng.normal(size=5) * 4, rng.normal(size=5) * 4
    none = adversarial_discriminator(real, fake, "none")
    assert none.shape == (5,) and np.all(none.data >= 0)
    assert adversarial_discriminator(real, fake, "sum").item() == pytest.approx(
        5 * adversarial_discriminator(real, fake).item())
    assert adversarial_generator(fake, "none").shape == (5,)
    assert adversarial_generator(fake.astype(np.float32)).dtype == np.float32
    assert adversarial_discriminator(real.astype(np.float32), fake.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize("call, match", [
    (lambda: adversarial_discriminator([1.0, 2.0], [1.0]),
     r"adversarial_discriminator: real_logits and fake_logits must have the same shape"),
    (lambda: adversarial_discriminator([1.0], [1.0], reduction="x"), r"adversarial_discriminator: reduction must be"),
    (lambda: adversarial_generator([1.0], reduction="x"), r"adversarial_generator: reduction must be"),
    (lambda: adversarial_generator("fake"), r"adversarial_generator: fake_logits must be numbers"),
])
def test_adversarial_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
