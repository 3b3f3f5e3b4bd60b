"""losses.register and the catalogue: every built-in loss with its metadata, and a student's loss."""
import inspect

import numpy as np
import pytest

import losses
import minigrad as mg
from lessons._common import derivatives
from losses import _checks, _kinds, _reduce
from losses.registry import BUILTIN_NAMES

# kind, input and parameters of each loss, read off the table in API.md
EXPECTED = {
    "mse": ("regression", "prediction", {}),
    "mae": ("regression", "prediction", {}),
    "huber": ("regression", "prediction", {"delta": 1.0}),
    "log_cosh": ("regression", "prediction", {}),
    "binary_cross_entropy": ("binary", "probability", {}),
    "binary_cross_entropy_with_logits": ("binary", "logit", {"pos_weight": None}),
    "categorical_cross_entropy": ("multiclass", "probability", {}),
    "cross_entropy": ("multiclass", "logit", {"weight": None, "label_smoothing": 0.0}),
    "hinge": ("binary", "score", {}),
    "squared_hinge": ("binary", "score", {}),
    "multiclass_hinge": ("multiclass", "score", {"margin": 1.0}),
    "focal": ("binary", "logit", {"alpha": 0.25, "gamma": 2.0}),
    "softmax_focal": ("multiclass", "logit", {"alpha": None, "gamma": 2.0}),
    "contrastive": ("pairs", "embedding", {"margin": 1.0}),
    "triplet": ("triplets", "embedding", {"margin": 1.0, "squared": False}),
    "batch_triplet": ("triplets", "embedding", {"margin": 1.0, "mining": "all"}),
    "l1_penalty": ("penalty", "weights", {"lam": 0.1}),
    "l2_penalty": ("penalty", "weights", {"lam": 0.1}),
    "elastic_net": ("penalty", "weights", {"l1": 0.1, "l2": 0.1}),
}


def test_every_builtin_loss_is_in_the_catalogue():
    catalogue = losses.catalogue()
    assert set(EXPECTED) == set(BUILTIN_NAMES)
    for name, (kind, input_, params) in EXPECTED.items():
        info = catalogue[name]
        assert info.builtin
        assert info.fn is getattr(losses, name)
        assert (info.kind, info.input, info.params) == (kind, input_, params), name
        assert info.description, name


def test_inputs_and_targets_come_from_the_signature_and_kind():
    assert losses.get("huber").inputs == ("pred", "target")
    assert losses.get("contrastive").inputs[2] == "y"
    assert losses.get("triplet").inputs == ("anchor", "positive", "negative")
    assert losses.get("batch_triplet").batch_form and not losses.get("triplet").batch_form
    assert losses.get("hinge").target == "-1/+1"
    assert losses.get("binary_cross_entropy_with_logits").target == "0/1"
    assert losses.get("cross_entropy").target == "index"
    assert losses.get("categorical_cross_entropy").target == "one-hot"
    assert not losses.get("l1_penalty").has_reduction and losses.get("mse").has_reduction
    assert losses.catalogue(kind="pairs").keys() == {"contrastive"}


def test_lookup_by_name_function_or_entry():
    info = losses.get("huber")
    assert losses.get(losses.huber) is info and losses.get(info) is info
    assert info([0.0, 3.0], [0.5, 0.0]).item() == pytest.approx(1.3125)   # (0.125 + 2.5) / 2
    with pytest.raises(KeyError, match="did you mean huber"):
        losses.get("hub")


def cauchy(pred, target, scale=1.0, reduction="mean"):
    """Cauchy loss: log(1 + (r / c)²), whose gradient falls back to 0 for outliers."""
    pred, target = _checks.same_shape(pred, target, fn="cauchy")
    r = (pred - target) / scale
    return _reduce.apply((1.0 + r * r).log(), reduction, fn="cauchy")


def test_register_a_student_loss():
    try:
        returned = losses.register(kind="regression", gradient=lambda r, scale=1.0: 2 * r / (scale**2 + r**2))(cauchy)
        assert returned is cauchy                               # the decorator keeps the function
        info = losses.get("cauchy")
        assert not info.builtin and info.params == {"scale": 1.0} and info.kind == "regression"
        assert info.signature() == "cauchy(pred, target, scale=1.0)"
        assert "cauchy" in losses.catalogue()
        # registering again (a rerun notebook cell) replaces the entry
        losses.register(cauchy, kind="regression", description="again")
        assert losses.get("cauchy").description == "again"
    finally:
        losses.unregister("cauchy")
    assert "cauchy" not in losses.catalogue()


def test_bare_decorator_defaults_to_regression():
    @losses.register
    def plain_squares(pred, target, reduction="mean"):
        return ((mg.wrap(pred) - mg.wrap(target)) ** 2).mean()
    try:
        assert losses.get("plain_squares").kind == "regression"
    finally:
        losses.unregister("plain_squares")


def test_register_rejects_what_the_tools_could_not_use():
    def one_input(pred, reduction="mean"):
        return pred
    with pytest.raises(ValueError, match="takes 2 data arguments"):
        losses.register(one_input, kind="regression")
    with pytest.raises(ValueError, match="kind must be one of"):
        losses.register(cauchy, kind="ranking")
    with pytest.raises(ValueError, match="input must be one of"):
        losses.register(cauchy, kind="regression", input="logit")

    def needs_lam(pred, target, lam, reduction="mean"):
        return pred
    with pytest.raises(ValueError, match="defaults="):
        losses.register(needs_lam, kind="regression")
    with pytest.raises(ValueError, match="built-in"):
        losses.register(cauchy, name="mse", kind="regression")
    with pytest.raises(ValueError, match="built-in"):
        losses.unregister("mse")
    with pytest.raises(ValueError, match="unknown parameter"):
        losses.get("huber").with_params(beta=1.0)
    assert losses.get("mse").fn is losses.mse


def test_replacing_a_builtin_needs_replace_true():
    original = losses.get("mae")
    try:
        losses.register(cauchy, name="mae", kind="regression", replace=True)
        assert losses.get("mae").fn is cauchy
    finally:
        losses.registry._catalogue["mae"] = original
    assert losses.get("mae").fn is losses.mae


# ---- the closed-form gradients agree with the engine along each kind's axis --------------

WITH_GRADIENT = [(name, case) for name in BUILTIN_NAMES
                 for case in _kinds.adapter(losses.get(name)).cases
                 if losses.get(name).analytic_gradient(case) is not None]


# the same with parameters away from their defaults
NON_DEFAULT = [("huber", None, {"delta": 0.5}), ("cross_entropy", None, {"weight": [2.0, 1.0, 1.0], "label_smoothing": 0.2}),
               ("focal", None, {"gamma": 5.0, "alpha": None}), ("contrastive", "dissimilar", {"margin": 2.0}),
               ("binary_cross_entropy_with_logits", None, {"pos_weight": 3.0}),
               ("multiclass_hinge", None, {"margin": 0.5}), ("triplet", None, {"margin": 0.5}),
               ("softmax_focal", None, {"gamma": 0.5}), ("elastic_net", None, {"l1": 0.3, "l2": 0.05})]


@pytest.mark.parametrize("name, case", WITH_GRADIENT, ids=[f"{n}-{c}" for n, c in WITH_GRADIENT])
def test_closed_form_gradient_matches_backward(name, case):
    _compare_closed_form(name, case, {})


@pytest.mark.parametrize("name, case, params", NON_DEFAULT, ids=[n for n, _, _ in NON_DEFAULT])
def test_closed_form_gradient_with_parameters(name, case, params):
    _compare_closed_form(name, case, params)


def _compare_closed_form(name, case, overrides):
    info = losses.get(name)
    params = info.with_params(**overrides)
    adapter = _kinds.adapter(info, params)
    lo, hi = adapter.axis_range(params)
    x = np.linspace(lo, hi, 40)                 # even count: 0 is not on the grid (no kink hit)
    x = x[np.abs(x - 1.0) > 1e-3]               # nor the hinge of hinge losses at margin 1
    x = x[np.min(np.abs(x[:, None] - np.array([0.0] + [v for v in params.values()
                                                    if isinstance(v, float)])), axis=1) > 1e-3]
    # (nor 0, where distances start and the slope is 0 by convention, nor a margin or δ)
    _, slope, _ = derivatives(lambda t: adapter.along(t, params, case), x)
    closed = info.analytic_gradient(case)
    names = list(inspect.signature(closed).parameters)[1:]
    expected = closed(x, **{k: v for k, v in params.items() if k in names})
    keep = np.isfinite(expected)
    assert keep.any()
    np.testing.assert_allclose(slope[keep], expected[keep], rtol=1e-6, atol=1e-9)


def test_along_gives_the_hand_worked_values():
    # mse along the residual: r²; at r = -2, 0.5: 4, 0.25
    adapter = _kinds.adapter(losses.get("mse"))
    np.testing.assert_allclose(adapter.along(mg.Tensor([-2.0, 0.5]), {}).data, [4.0, 0.25])
    # hinge along the margin of a positive sample: max(0, 1 - m); m = -1, 2: 2, 0
    adapter = _kinds.adapter(losses.get("hinge"))
    np.testing.assert_allclose(adapter.along(mg.Tensor([-1.0, 2.0]), {}).data, [2.0, 0.0])
    # contrastive, dissimilar, margin 1: max(0, 1 - D)²; D = 0.5: 0.25
    info = losses.get("contrastive")
    adapter = _kinds.adapter(info, info.params)
    np.testing.assert_allclose(adapter.along(mg.Tensor([0.5]), info.params, "dissimilar").data, [0.25])
    # triplet with d(a,n) = 2: max(0, d(a,p) - 2 + 1); x = d(a,p) - d(a,n) = 0.5: 1.5
    info = losses.get("triplet")
    adapter = _kinds.adapter(info, info.params)
    np.testing.assert_allclose(adapter.along(mg.Tensor([0.5]), info.params).data, [1.5])
    # l2 penalty λ w² with λ = 0.1: w = 3 gives 0.9
    info = losses.get("l2_penalty")
    np.testing.assert_allclose(_kinds.adapter(info).along(mg.Tensor([3.0]), info.params).data, [0.9])


def test_exports():
    for name in ("register", "unregister", "catalogue", "get", "check"):
        assert callable(getattr(losses, name))


@pytest.mark.parametrize("name", [n for n in BUILTIN_NAMES if losses.get(n).kind != "penalty"
                                  and not losses.get(n).batch_form])
def test_one_point_at_a_time_gives_the_same_curve(name):
    # `along` calls a loss without a reduction argument once per point: the same numbers
    info = losses.get(name)
    adapter = _kinds.adapter(info, info.params)
    lo, hi = adapter.axis_range(info.params)
    x = mg.Tensor(np.linspace(lo, hi, 7))
    for case in adapter.cases:
        vector = adapter.vector_along(x, info.params, case).data
        points = [adapter.call(adapter.point_inputs(x[i], case, info.params), info.params, "sum").item()
                  for i in range(7)]
        np.testing.assert_allclose(points, vector, rtol=1e-12, atol=1e-12)
