"""Layers and optimizers: shapes, initialisation, parameter discovery, and update rules.

The optimizer tests write the torch.optim update rules out in numpy and compare step by step.
"""
import numpy as np
import pytest

import minigrad as mg
from minigrad.nn import Linear, Module, ReLU, Sequential, Sigmoid, Tanh
from minigrad.optim import SGD, Adam, AdamW

# ---- Linear ------------------------------------------------------------------------------

def test_linear_shapes_and_forward():
    layer = Linear(3, 5, rng=0)
    assert layer.weight.shape == (5, 3)               # (out, in), as in PyTorch
    assert layer.bias.shape == (5,)
    x = np.random.default_rng(1).normal(size=(4, 3))
    y = layer(mg.Tensor(x))
    assert y.shape == (4, 5)
    np.testing.assert_allclose(y.data, x @ layer.weight.data.T + layer.bias.data, rtol=1e-14)
    # a numpy array goes in as well, and a single sample of shape (in,) gives (out,)
    np.testing.assert_allclose(layer(x).data, y.data, rtol=1e-14)
    assert layer(mg.Tensor(x[0])).shape == (5,)


def test_linear_without_bias():
    layer = Linear(3, 2, bias=False, rng=0)
    assert layer.bias is None
    assert len(layer.parameters()) == 1
    x = np.ones((1, 3))
    np.testing.assert_allclose(layer(x).data, x @ layer.weight.data.T)


def test_linear_gradients_pass_gradcheck():
    layer = Linear(3, 2, rng=0)
    x = np.random.default_rng(1).normal(size=(4, 3))
    # y = x Wᵀ + b: checked through the layer with respect to the input and both parameters
    assert mg.gradcheck(lambda w, b, x: ((x @ w.T + b).tanh() ** 2).sum(),
                        layer.weight, layer.bias, mg.Tensor(x, requires_grad=True))
    layer(x).sum().backward()
    np.testing.assert_allclose(layer.weight.grad, np.tile(x.sum(axis=0), (2, 1)))   # Σ_n x_n per row
    np.testing.assert_allclose(layer.bias.grad, [4.0, 4.0])                           # N = 4


def test_linear_initialisation_is_uniform_within_one_over_sqrt_in():
    layer = Linear(100, 50, rng=0)
    bound = 1 / np.sqrt(100)
    w, b = layer.weight.data, layer.bias.data
    assert np.all(np.abs(w) <= bound) and np.all(np.abs(b) <= bound)
    # uniform on [-k, k]: the extremes are reached and the standard deviation is k / sqrt(3)
    assert w.max() > 0.95 * bound and w.min() < -0.95 * bound
    np.testing.assert_allclose(w.std(), bound / np.sqrt(3), rtol=0.05)
    assert abs(w.mean()) < 0.05 * bound


def test_linear_is_seedable():
    a, b, c = Linear(4, 3, rng=7), Linear(4, 3, rng=7), Linear(4, 3, rng=8)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    np.testing.assert_array_equal(a.bias.data, b.bias.data)
    assert not np.array_equal(a.weight.data, c.weight.data)
    g1, g2 = np.random.default_rng(5), np.random.default_rng(5)
    np.testing.assert_array_equal(Linear(4, 3, rng=g1).weight.data, Linear(4, 3, rng=g2).weight.data)
    mg.manual_seed(11)
    first = Linear(4, 3)
    mg.manual_seed(11)
    np.testing.assert_array_equal(Linear(4, 3).weight.data, first.weight.data)


def test_linear_float32_is_kept():
    layer = Linear(3, 2, dtype=np.float32, rng=0)
    assert layer.weight.dtype == np.float32 and layer.bias.dtype == np.float32
    y = layer(mg.Tensor(np.ones((4, 3), dtype=np.float32)))
    assert y.dtype == np.float32
    y.sum().backward()
    assert layer.weight.grad.dtype == np.float32 and layer.bias.grad.dtype == np.float32


def test_activation_layers():
    x = mg.Tensor([-2.0, 0.5])
    np.testing.assert_array_equal(ReLU()(x).data, [0.0, 0.5])
    np.testing.assert_allclose(Tanh()(x).data, np.tanh([-2.0, 0.5]))
    np.testing.assert_allclose(Sigmoid()(x).data, 1 / (1 + np.exp([2.0, -0.5])))


def test_module_without_forward_says_so():
    with pytest.raises(NotImplementedError, match="forward"):
        Module()(1.0)


# ---- parameters and zero_grad --------------------------------------------------------------

def test_parameters_finds_each_parameter_once():
    shared = Linear(3, 3, rng=2)
    inner = Sequential(Linear(3, 3, rng=1), ReLU())
    model = Sequential(Linear(2, 3, rng=0), Tanh(), inner, shared, Tanh(), shared)
    params = model.parameters()
    expected = [model[0].weight, model[0].bias, inner[0].weight, inner[0].bias, shared.weight, shared.bias]
    assert len(params) == 6
    assert {id(p) for p in params} == {id(p) for p in expected}
    assert model(np.ones((1, 2))).shape == (1, 3)


def test_parameters_of_a_custom_module():
    class Block(Module):
        def __init__(self):
            self.layers = [Linear(2, 2, rng=0), Linear(2, 2, rng=1)]
            self.scale = mg.Tensor(1.0, requires_grad=True)
            self.constant = mg.Tensor(2.0)                 # no requires_grad: not a parameter
            self.alias = self.layers[0]                      # the same layer reached twice

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x * self.scale

    params = Block().parameters()
    assert len(params) == 5                                  # 2 × (weight, bias) + scale


def test_zero_grad_clears_and_the_next_backward_starts_afresh():
    model = Sequential(Linear(2, 3, rng=0), Tanh(), Linear(3, 1, rng=1))
    x = np.array([[0.5, -1.0], [2.0, 0.3]])

    def gradients():
        model.zero_grad()
        model(x).sum().backward()
        return [p.grad.copy() for p in model.parameters()]

    once = gradients()
    model(x).sum().backward()                     # accumulates: twice the gradient
    for p, g in zip(model.parameters(), once):
        np.testing.assert_allclose(p.grad, 2 * g)
    model.zero_grad()
    for p in model.parameters():
        assert p.grad is None or not np.any(p.grad)
    model(x).sum().backward()
    for p, g in zip(model.parameters(), once):
        np.testing.assert_allclose(p.grad, g)
    SGD(model.parameters(), lr=0.1).zero_grad()
    for p in model.parameters():
        assert p.grad is None or not np.any(p.grad)


# ---- Adam --------------------------------------------------------------------------------

def linear_loss(p, g):
    """A loss whose gradient with respect to p is exactly g."""
    return (p * g).sum()


def test_adam_first_step_moves_each_coordinate_by_lr_times_sign():
    lr, eps = 0.01, 1e-8
    start = np.array([0.3, -1.2, 5.0, 0.0, 2.0])
    g = np.array([1e3, -2.0, 1e-3, -1e-2, 0.5])           # five orders of magnitude apart
    p = mg.Tensor(start, requires_grad=True)
    optimizer = Adam([p], lr=lr, eps=eps)
    linear_loss(p, g).backward()
    optimizer.step()
    # m̂ = g and v̂ = g² after one step, so the step is lr·g / (|g| + eps) = lr·sign(g)·(1 − eps/(|g| + eps)):
    # it falls short of lr by at most lr·eps/|g| (1e-7·lr for |g| = 1e-3), plus rounding.
    tolerance = lr * eps / np.abs(g) + 1e-15 * (lr + np.abs(start))
    assert np.all(np.abs((start - p.data) - lr * np.sign(g)) <= tolerance)


def test_adam_first_step_without_eps_is_exactly_lr():
    lr = 0.25
    start = np.array([1.0, -1.0, 0.5])
    p = mg.Tensor(start, requires_grad=True)
    optimizer = Adam([p], lr=lr, eps=0.0)
    linear_loss(p, np.array([3.0, -1e-6, 40.0])).backward()
    optimizer.step()
    np.testing.assert_allclose(p.data, start - lr * np.array([1.0, -1.0, 1.0]), rtol=0, atol=1e-15)


def test_adam_first_step_is_halved_when_the_gradient_equals_eps():
    # |g| = eps: lr·g / (|g| + eps) = lr / 2
    p = mg.Tensor([0.0], requires_grad=True)
    optimizer = Adam([p], lr=0.1, eps=1e-3)
    linear_loss(p, np.array([1e-3])).backward()
    optimizer.step()
    np.testing.assert_allclose(p.data, [-0.05], rtol=1e-12)


@pytest.mark.parametrize("lr, betas, eps, weight_decay", [
    (1e-3, (0.9, 0.999), 1e-8, 0.0),
    (0.1, (0.8, 0.9), 1e-3, 0.1),
])
def test_adam_three_steps_match_the_update_written_out(lr, betas, eps, weight_decay):
    target = np.array([0.5, -1.0, 2.0])
    start = np.array([1.5, 0.2, -0.4])

    def loss(p):
        return ((p - target) ** 4).sum() / 4      # gradient (p - target)³

    p = mg.Tensor(start, requires_grad=True)
    optimizer = Adam([p], lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)

    b1, b2 = betas
    ref, m, v = start.copy(), np.zeros(3), np.zeros(3)
    for t in (1, 2, 3):
        optimizer.zero_grad()
        loss(p).backward()
        optimizer.step()

        g = (ref - target) ** 3 + weight_decay * ref     # weight decay is added to the gradient
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        m_hat = m / (1 - b1 ** t)                        # bias correction
        v_hat = v / (1 - b2 ** t)
        ref = ref - lr * m_hat / (np.sqrt(v_hat) + eps)
        np.testing.assert_allclose(p.data, ref, rtol=1e-12, atol=1e-15)
    assert not np.allclose(ref, start)


# ---- SGD -----------------------------------------------------------------------------------

def test_sgd_momentum_and_weight_decay_by_hand():
    # loss p²/2, so g = p; lr 0.1, momentum 0.9, weight decay 0.1 (torch: g + wd·p, v = g at step 1)
    # step 1: g = 1 + 0.1·1 = 1.1;              v = 1.1;                       p = 1 - 0.11 = 0.89
    # step 2: g = 0.89 + 0.089 = 0.979;         v = 0.9·1.1 + 0.979 = 1.969;    p = 0.89 - 0.1969 = 0.6931
    # step 3: g = 0.6931·1.1 = 0.76241;         v = 0.9·1.969 + 0.76241 = 2.53451; p = 0.6931 - 0.253451 = 0.439649
    p = mg.Tensor([1.0], requires_grad=True)
    optimizer = SGD([p], lr=0.1, momentum=0.9, weight_decay=0.1)
    for expected in (0.89, 0.6931, 0.439649):
        optimizer.zero_grad()
        (p * p / 2).sum().backward()
        optimizer.step()
        np.testing.assert_allclose(p.data, [expected], rtol=1e-12)


@pytest.mark.parametrize("momentum, weight_decay", [(0.0, 0.0), (0.9, 0.0), (0.0, 0.05), (0.5, 0.2)])
def test_sgd_three_steps_match_a_plain_loop(momentum, weight_decay):
    lr = 0.05
    start_w, start_b = np.array([[0.3, -0.6], [1.2, 0.1]]), np.array([0.5, -0.5])
    x, y = np.array([1.0, -2.0]), np.array([0.25, 1.0])
    w, b = mg.Tensor(start_w, requires_grad=True), mg.Tensor(start_b, requires_grad=True)
    optimizer = SGD([w, b], lr=lr, momentum=momentum, weight_decay=weight_decay)

    ref_w, ref_b = start_w.copy(), start_b.copy()
    buf_w = buf_b = None
    for _ in range(3):
        optimizer.zero_grad()
        (((w @ x + b) - y) ** 2).sum().backward()
        optimizer.step()

        r = ref_w @ x + ref_b - y                      # d/dW Σ r² = 2 r xᵀ, d/db = 2 r
        g_w = 2 * np.outer(r, x) + weight_decay * ref_w
        g_b = 2 * r + weight_decay * ref_b
        if momentum:
            buf_w = g_w if buf_w is None else momentum * buf_w + g_w
            buf_b = g_b if buf_b is None else momentum * buf_b + g_b
            g_w, g_b = buf_w, buf_b
        ref_w, ref_b = ref_w - lr * g_w, ref_b - lr * g_b
        np.testing.assert_allclose(w.data, ref_w, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(b.data, ref_b, rtol=1e-12, atol=1e-15)


def test_optimizers_skip_parameters_without_a_gradient():
    used, unused = mg.Tensor([1.0], requires_grad=True), mg.Tensor([2.0], requires_grad=True)
    for optimizer in (SGD([used, unused], lr=0.1, momentum=0.9, weight_decay=0.5),
                      Adam([used, unused], lr=0.1, weight_decay=0.5)):
        optimizer.zero_grad()
        (used * 3).sum().backward()
        optimizer.step()
        assert unused.data[0] == 2.0 and unused.grad is None


def test_learning_rate_is_settable():
    p = mg.Tensor([0.0], requires_grad=True)
    optimizer = SGD([p], lr=0.1)
    optimizer.lr = 0.5
    assert optimizer.lr == 0.5
    linear_loss(p, np.array([2.0])).backward()
    optimizer.step()
    np.testing.assert_allclose(p.data, [-1.0])           # 0 - 0.5·2
    optimizer.lr = 0.0
    optimizer.step()
    np.testing.assert_allclose(p.data, [-1.0])

    q = mg.Tensor([0.0], requires_grad=True)
    adam = Adam([q], lr=0.1)
    adam.lr = 0.3
    linear_loss(q, np.array([5.0])).backward()
    adam.step()
    np.testing.assert_allclose(q.data, [-0.3], rtol=1e-8)   # first Adam step: lr·sign(g)


def test_adamw_decays_the_weights_not_the_gradient():
    # three steps written out: p <- p - lr·wd·p, then Adam on the plain gradient (no wd in m, v)
    target, start = np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.2, -0.4])
    lr, (b1, b2), eps, wd = 0.1, (0.8, 0.9), 1e-3, 0.3
    p = mg.Tensor(start, requires_grad=True)
    optimizer = AdamW([p], lr=lr, betas=(b1, b2), eps=eps, weight_decay=wd)
    ref, m, v = start.copy(), np.zeros(3), np.zeros(3)
    for t in (1, 2, 3):
        optimizer.zero_grad()
        (((p - target) ** 4).sum() / 4).backward()
        optimizer.step()
        g = (ref - target) ** 3
        ref = ref - lr * wd * ref
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        ref = ref - lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        np.testing.assert_allclose(p.data, ref, rtol=1e-12, atol=1e-15)


def test_adamw_and_adam_with_weight_decay_differ_but_agree_without_it():
    def run(optimizer_class, wd):
        p = mg.Tensor([3.0, -0.01], requires_grad=True)
        optimizer = optimizer_class([p], lr=0.1, weight_decay=wd)
        for _ in range(5):
            optimizer.zero_grad()
            ((p * np.array([10.0, 0.1])) ** 2).sum().backward()
            optimizer.step()
        return p.data
    np.testing.assert_array_equal(run(Adam, 0.0), run(AdamW, 0.0))
    assert not np.allclose(run(Adam, 0.5), run(AdamW, 0.5))


@pytest.mark.parametrize("make, name", [
    (lambda p: SGD(p, lr=float("nan")), "lr"),
    (lambda p: SGD(p, lr=0.1, momentum=-0.5), "momentum"),
    (lambda p: SGD(p, lr=0.1, weight_decay=-1e-3), "weight_decay"),
    (lambda p: Adam(p, betas=(1.0, 0.999)), "betas"),
    (lambda p: Adam(p, betas=(0.9, -0.1)), "betas"),
    (lambda p: Adam(p, eps=-1e-8), "eps"),
    (lambda p: Adam(p, lr=-1e-3), "lr"),
    (lambda p: AdamW(p, weight_decay=-0.1), "weight_decay"),
    (lambda p: AdamW(p, betas=(0.9,)), "betas"),
])
def test_optimizers_validate_hyper_parameters_as_torch_optim(make, name):
    with pytest.raises(ValueError, match=name):
        make([mg.Tensor([1.0], requires_grad=True)])


def test_optimizers_reject_an_empty_parameter_list():
    with pytest.raises(ValueError, match="empty"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        Adam([mg.Tensor([1.0], requires_grad=True)], lr=-1.0)


# ---- a small network learns XOR ---------------------------------------------------------------

def test_tiny_mlp_fits_xor():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    model = Sequential(Linear(2, 8, rng=0), Tanh(), Linear(8, 1, rng=1))
    optimizer = Adam(model.parameters(), lr=0.05)
    for _ in range(400):
        optimizer.zero_grad()
        z = model(X)
        loss = (mg.softplus(z) - y * z).mean()          # binary cross-entropy from logits
        loss.backward()
        optimizer.step()
    predictions = model(X).data > 0
    assert loss.item() < 0.05
    np.testing.assert_array_equal(predictions, y > 0.5)
