"""One table drives the generic properties of every loss in the catalogue.

Each row is a built-in loss with the options worth sweeping; its inputs come from its
kind's description (`losses.workbench.kinds`), so a new loss gets every test here by
being registered. The per-loss files keep only what is particular to each loss:
hand-worked values, closed forms, loops, the literature's numbers.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import losses
import minigrad as mg
from losses.workbench import kinds
from losses.workbench.registry import BUILTIN_NAMES

REDUCTIONS = ("mean", "sum", "none")

# name -> the option sets to sweep ({} is the defaults); every loss of the catalogue has a row
OPTIONS = {
    "mse": [{}], "mae": [{}], "log_cosh": [{}],
    "huber": [{}, {"delta": 0.3}, {"delta": 2.5}],
    "binary_cross_entropy": [{}],
    "binary_cross_entropy_with_logits": [{}, {"pos_weight": 2.5}],
    "categorical_cross_entropy": [{}],
    "cross_entropy": [{}, {"weight": [0.5, 2.0, 1.0]}, {"label_smoothing": 0.15},
                      {"weight": [0.5, 2.0, 1.0], "label_smoothing": 1.0}],
    "hinge": [{}], "squared_hinge": [{}],
    "multiclass_hinge": [{}, {"margin": 0.0}, {"margin": 2.5}],
    "focal": [{}, {"alpha": None, "gamma": 0.0}, {"gamma": 0.5}, {"alpha": 0.9, "gamma": 5.0}],
    "softmax_focal": [{}, {"alpha": [0.25, 1.0, 2.0]}, {"gamma": 0.0}, {"gamma": 0.5}],
    "contrastive": [{}, {"margin": 0.0}, {"margin": 2.5}],
    "triplet": [{}, {"margin": 0.0}, {"margin": 2.5}, {"squared": True}],
    "batch_triplet": [{"mining": "all"}, {"mining": "hard"}, {"mining": "semi-hard"}, {"mining": "hard", "margin": 0.2}],
    "l1_penalty": [{}], "l2_penalty": [{}, {"lam": 2.0}], "elastic_net": [{}, {"l1": 0.0, "l2": 0.3}],
}
# NaN in the first input (predictions, logits, embeddings) propagates, except where the input
# is range-checked (probabilities) or steers a discrete choice (mining): there it raises
NAN_RAISES = {"binary_cross_entropy", "categorical_cross_entropy", "batch_triplet"}
# "mean" is not the plain mean of the "none" values (PyTorch's weighted mean; mining counts)
OWN_MEAN = {("cross_entropy", "weight"), ("batch_triplet", "mining")}

CASES = [(name, options) for name in OPTIONS for options in OPTIONS[name]]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in o.items()) or 'defaults'}" for name, o in CASES]


def test_every_loss_in_the_catalogue_has_a_row():
    assert set(OPTIONS) == set(BUILTIN_NAMES)


def _kind(name, options):
    info = losses.get(name)
    return info, kinds.kind(info, info.with_params(**options))


def _tensors(k, inputs, dtype=None):
    return [mg.Tensor(np.asarray(a, dtype=dtype or np.asarray(a).dtype), requires_grad=i in k.differentiable)
            if np.asarray(a).dtype.kind == "f" else a for i, a in enumerate(inputs)]


@pytest.mark.parametrize("name, options", CASES, ids=IDS)
def test_gradcheck_under_every_reduction_and_option(name, options):
    info, k = _kind(name, options)
    for inputs in k.samples(np.random.default_rng(1)):
        positions = list(k.differentiable)
        for reduction in REDUCTIONS if info.has_reduction else (None,):
            def fn(*xs, inputs=inputs, reduction=reduction):
                args = list(inputs)
                for i, x in zip(positions, xs):
                    args[i] = x
                out = k.call(args, reduction=reduction)
                weights = np.random.default_rng(0).uniform(0.5, 1.5, out.shape)   # every "none" entry counts
                return (out * weights).sum()
            assert mg.gradcheck(fn, *[np.array(inputs[i], dtype=np.float64) for i in positions])


@pytest.mark.parametrize("name, options", CASES, ids=IDS)
def test_float32_is_kept(name, options):
    info, k = _kind(name, options)
    tensors = _tensors(k, k.float32(k.samples(np.random.default_rng(2))[0]))
    value = k.call(tensors, reduction="mean" if info.has_reduction else None)
    assert value.dtype == np.float32
    for g in mg.grad(value, [tensors[i] for i in k.differentiable]):
        assert g.dtype == np.float32


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_shape_mismatch_raises_naming_the_argument(name):
    info, k = _kind(name, {})
    for description, inputs in k.mismatched():
        # an (N, 1) column against (N,) targets of an elementwise loss: the hint says how to fix it
        hint = r".*reshape\(-1\)" if k.values == "element" else ""
        with pytest.raises(ValueError, match=f"({'|'.join(info.inputs)}){hint}"):
            k.per_sample(_tensors(k, inputs))
        assert description


@pytest.mark.parametrize("name", [n for n in BUILTIN_NAMES if losses.get(n).has_reduction])
def test_bad_reduction_raises(name):
    info, k = _kind(name, {})
    with pytest.raises(ValueError, match=f"{name}: reduction must be one of 'mean', 'sum', 'none', got 'avg'"):
        k.call(k.samples(np.random.default_rng(0))[0], reduction="avg")


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_nan_policy(name):
    info, k = _kind(name, {})
    inputs = list(k.samples(np.random.default_rng(3))[0])
    inputs[0] = np.array(inputs[0], dtype=float)
    inputs[0].flat[0] = np.nan
    if name in NAN_RAISES:
        with pytest.raises(ValueError, match=info.inputs[0]):
            k.per_sample(inputs)
        return
    with np.errstate(invalid="ignore"):
        values = k.per_sample(inputs).data
    assert np.isnan(values).any(), values


# ---- issue 11: every loss on an empty batch raises, naming the input ---------------------------

@pytest.mark.parametrize("name, options", CASES, ids=IDS)
def test_empty_batch_raises_naming_the_input(name, options):
    info, k = _kind(name, options)
    for reduction in REDUCTIONS if info.has_reduction else (None,):
        with pytest.raises(ValueError, match=rf"{name}: ({info.inputs[0]} is empty|{info.inputs[0]} must hold at least one)"):
            k.call(k.empty(), reduction=reduction)


def test_empty_batch_hard_mining_names_the_embeddings():
    # it used to fail inside numpy: "attempt to get argmax of an empty sequence"
    with pytest.raises(ValueError, match=r"batch_triplet: embeddings is empty \(shape \(0, 2\)\)"):
        losses.batch_triplet(np.zeros((0, 2)), np.zeros(0, dtype=int), mining="hard")


@pytest.mark.parametrize("call, argument", [
    (lambda: losses.reconstruction(np.zeros((0, 3)), np.zeros((0, 3))), "recon"),
    (lambda: losses.perceptual(np.zeros((0, 2)), np.zeros((0, 2)), lambda x: x), "pred"),
    (lambda: losses.adversarial_discriminator(np.zeros(0), np.zeros(0)), "real_logits"),
    (lambda: losses.adversarial_generator(np.zeros(0)), "fake_logits"),
    (lambda: losses.cross_entropy(np.zeros((0, 3)), np.zeros((0, 3))), "logits"),   # probability targets
    (lambda: losses.contrastive(np.zeros((0, 2)), np.zeros((0, 2)), np.zeros(0)), "x1"),
])
def test_empty_batch_raises_for_the_losses_outside_the_catalogue_too(call, argument):
    with pytest.raises(ValueError, match=f"{argument} is empty"):
        call()


# ---- properties over random batches -------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(case=st.sampled_from(CASES), seed=st.integers(0, 2 ** 31), n=st.integers(1, 6),
       scale=st.sampled_from([0.1, 1.0, 10.0]))
def test_non_negative_and_reductions_agree(case, seed, n, scale):
    name, options = case
    info, k = _kind(name, options)
    inputs = k.sample(np.random.default_rng(seed), n, scale)
    if not info.has_reduction:
        assert k.call(inputs).item() >= 0
        return
    none = k.call(inputs, reduction="none")
    assert np.all(none.data >= 0)
    assert np.isclose(k.call(inputs, reduction="sum").item(), none.data.sum(), rtol=1e-12, atol=1e-12)
    if not any((name, key) in OWN_MEAN for key in options) and name != "batch_triplet":
        assert np.isclose(k.call(inputs, reduction="mean").item(), none.data.mean(), rtol=1e-12, atol=1e-12)
    if k.values == "element":
        assert none.shape == np.shape(inputs[0])
    elif name != "batch_triplet":
        assert none.shape == (np.shape(inputs[0])[0],)


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_finite_curvature_at_the_extremes(name):
    # second order through every loss at its kind's extremes (p of exactly 0 and 1, logits of
    # ±1e4, zero distance), in float64 and float32: the curvature plots stay finite
    info, k = _kind(name, {})
    for dtype in (np.float64, np.float32):
        for _, inputs in k.extremes():
            for j in range(len(k.differentiable)):          # one forward per second derivative
                tensors = _tensors(k, k.float32(inputs) if dtype == np.float32 else inputs)
                wanted = [tensors[i] for i in k.differentiable]
                value = k.call(tensors, reduction="sum" if info.has_reduction else None)
                g = mg.grad(value, wanted, create_graph=True)[j]
                assert np.all(np.isfinite(g.data)), (dtype, g.data)
                if g.requires_grad:
                    for h in mg.grad((g * g).sum(), wanted):
                        assert np.all(np.isfinite(h.data)), (dtype, h.data)


# ---- issue 15: 0-d tensors through every elementwise loss ---------------------------------

ELEMENTWISE = [name for name in BUILTIN_NAMES if kinds.kind(losses.get(name)).values == "element"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_zero_dimensional_inputs(name, reduction):
    # a 0-d prediction and target are one element: the value is the one of the same numbers as
    # shape (1,), "none" keeps the shape (), and the gradient is a 0-d array that finite
    # differences confirm (mg.gradcheck)
    info, k = _kind(name, {})
    for x, y in zip(*k.sample(np.random.default_rng(5), 4)):
        x0 = mg.Tensor(np.array(x), requires_grad=True)
        value = k.call([x0, np.array(y)], reduction=reduction)
        assert value.shape == ()
        one = k.call([np.array([x]), np.array([y])], reduction=reduction)
        assert value.item() == pytest.approx(one.data.item(), rel=1e-12, abs=1e-15)
        value.backward()
        assert isinstance(x0.grad, np.ndarray) and x0.grad.shape == () and x0.grad.dtype == np.float64
        assert mg.gradcheck(lambda t, y=y: k.call([t, np.array(y)], reduction=reduction), np.array(x))


# ---- issue 15: `reduction` is validated once per call (in losses.reduce.apply) ----------------

@pytest.mark.parametrize("name, options", CASES, ids=IDS)
def test_reduction_is_validated_at_most_once_per_call(name, options, monkeypatch):
    info, k = _kind(name, options)
    if not info.has_reduction:
        return
    calls = []
    checked = losses.validate.reduction
    monkeypatch.setattr(losses.validate, "reduction", lambda *a, **kw: calls.append(a) or checked(*a, **kw))
    inputs = k.samples(np.random.default_rng(4))[0]
    for reduction in REDUCTIONS:
        calls.clear()
        k.call(inputs, reduction=reduction)
        # at most once: "mean" may skip the check where its own branch comes first (a weighted mean)
        assert len(calls) <= 1, (reduction, calls)
    with pytest.raises(ValueError, match=f"{name}: reduction must be one of"):
        k.call(inputs, reduction="avg")
