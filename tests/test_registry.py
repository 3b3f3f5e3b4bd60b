"""losses.register and the catalogue: every built-in loss with its metadata, and a student's loss written as its formula."""
import importlib
import inspect

import numpy as np
import pytest

import losses
import minigrad as mg
from losses.workbench import kinds, registry
from losses.workbench.explorer import derivatives
from losses.workbench.registry import BUILTIN_NAMES

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


def cauchy(pred, target, scale=1.0):
    """Cauchy loss: log(1 + (r / c)²), whose gradient falls back to 0 for outliers."""
    r = (pred - target) / scale
    return (1.0 + r * r).log()


def test_register_a_student_loss():
    try:
        returned = losses.register(kind="regression", gradient=lambda r, scale=1.0: 2 * r / (scale**2 + r**2))(cauchy)
        info = losses.get("cauchy")
        assert returned is info.fn and info.formula is cauchy and losses.get(cauchy) is info
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
        assert losses.get("mae").formula is cauchy
    finally:
        registry._catalogue["mae"] = original
    assert losses.get("mae").fn is losses.mae


# ---- the closed-form gradients agree with the engine along each kind's axis --------------

WITH_GRADIENT = [(name, case) for name in BUILTIN_NAMES
                 for case in kinds.kind(losses.get(name)).cases
                 if losses.get(name).closed_form(case) is not None]


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
    k = kinds.kind(info, params)
    lo, hi = k.axis_range()
    x = np.linspace(lo, hi, 40)                 # even count: 0 is not on the grid (no kink hit)
    # nor the hinge at 1, a margin or δ, where the slope takes a convention
    spots = np.array([0.0, 1.0, -1.0] + [s * v for v in k.kink_values() for s in (1, -1)])
    x = x[np.min(np.abs(x[:, None] - spots), axis=1) > 1e-3]
    _, slope, _ = derivatives(k, x, case)
    expected = info.closed_form(case, params)(x)
    keep = np.isfinite(expected)
    assert keep.any()
    np.testing.assert_allclose(slope[keep], expected[keep], rtol=1e-6, atol=1e-9)


def test_along_gives_the_hand_worked_values():
    # mse along the residual: r²; at r = -2, 0.5: 4, 0.25
    np.testing.assert_allclose(kinds.kind(losses.get("mse")).along(mg.Tensor([-2.0, 0.5])).data, [4.0, 0.25])
    # hinge along the margin of a positive sample: max(0, 1 - m); m = -1, 2: 2, 0
    np.testing.assert_allclose(kinds.kind(losses.get("hinge")).along(mg.Tensor([-1.0, 2.0])).data, [2.0, 0.0])
    # contrastive, dissimilar, margin 1: max(0, 1 - D)²; D = 0.5: 0.25
    k = kinds.kind(losses.get("contrastive"))
    np.testing.assert_allclose(k.along(mg.Tensor([0.5]), "dissimilar").data, [0.25])
    # triplet with d(a,n) = 2: max(0, d(a,p) - 2 + 1); x = d(a,p) - d(a,n) = 0.5: 1.5
    np.testing.assert_allclose(kinds.kind(losses.get("triplet")).along(mg.Tensor([0.5])).data, [1.5])
    # l2 penalty λ w² with λ = 0.1: w = 3 gives 0.9
    np.testing.assert_allclose(kinds.kind(losses.get("l2_penalty")).along(mg.Tensor([3.0])).data, [0.9])
    # categorical cross-entropy along p of the true class: -log p; p = ½: log 2
    np.testing.assert_allclose(kinds.kind(losses.get("categorical_cross_entropy")).along(mg.Tensor([0.5])).data,
                               [np.log(2.0)])


def test_exports():
    for name in ("register", "unregister", "catalogue", "get", "check", "explore"):
        assert callable(getattr(losses, name))
    assert losses.register is losses.workbench.register and losses.check is losses.workbench.check


@pytest.mark.parametrize("name", [n for n in BUILTIN_NAMES if losses.get(n).kind != "penalty"
                                  and not losses.get(n).batch_form])
def test_one_point_at_a_time_gives_the_same_curve(name):
    # `along` calls a loss without a reduction argument once per point: the same numbers
    k = kinds.kind(losses.get(name))
    lo, hi = k.axis_range()
    x = mg.Tensor(np.linspace(lo, hi, 7))
    for case in k.cases:
        vector = k.vector_along(x, case).data
        points = [k.call(k.point(x[i], case), reduction="sum").item() for i in range(7)]
        np.testing.assert_allclose(points, vector, rtol=1e-12, atol=1e-12)


def test_each_fact_about_a_kind_is_stated_once():
    # the registry, the checker and explore read a kind's facts from its description alone
    for name, kind in kinds.KINDS.items():
        assert kind.name == name and kind.data and kind.inputs
    assert kinds.KINDS["binary"].default_target("score") == "-1/+1"
    assert kinds.KINDS["binary"].default_target("logit") == "0/1"
    for module in ("registry", "properties", "explorer", "cli"):
        source = inspect.getsource(importlib.import_module(f"losses.workbench.{module}"))
        for kind in ("regression", "multiclass", "pairs", "triplets"):
            # no table keyed by kind outside kinds.py (the trainers of explore are code, not facts)
            assert f'"{kind}": "' not in source, (module, kind)


# ---- a loss written as its formula: what register does for it ---------------------------

def test_formula_only_loss_gets_tensors_shapes_and_reduction():
    seen = {}

    @losses.register(kind="regression")
    def squares(pred, target):
        seen["types"] = (type(pred), type(target))
        return (pred - target) ** 2
    try:
        assert squares([1.0, 2.0], [0.0, 0.0]).item() == pytest.approx(2.5)      # (1 + 4) / 2
        assert squares([1.0, 2.0], [0.0, 0.0], reduction="sum").item() == pytest.approx(5.0)
        np.testing.assert_allclose(squares([1.0, 2.0], [0.0, 0.0], reduction="none").data, [1.0, 4.0])
        assert seen["types"] == (mg.Tensor, mg.Tensor)
        with pytest.raises(ValueError, match=r"reshape\(-1\)"):
            squares(np.zeros((3, 1)), np.zeros(3))
        with pytest.raises(ValueError, match="pred is empty"):
            squares(np.zeros(0), np.zeros(0))
        with pytest.raises(ValueError, match="reduction must be one of"):
            squares([1.0], [0.0], reduction="avg")
        assert "reduction" in inspect.signature(squares).parameters
        assert losses.get("squares").has_reduction
        x = mg.Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
        assert squares(x, [0.0, 0.0]).dtype == np.float32
    finally:
        losses.unregister("squares")


def test_a_formula_that_takes_reduction_applies_it_itself():
    @losses.register(kind="regression")
    def half_sum(pred, target, reduction="mean"):
        values = 0.5 * (pred - target) ** 2
        return losses.reduce.apply(values, reduction, fn="half_sum") * (2.0 if reduction == "sum" else 1.0)
    try:
        assert half_sum([2.0], [0.0], reduction="sum").item() == pytest.approx(4.0)   # its own rule: 2·½·4
        with pytest.raises(ValueError, match="half_sum: reduction"):
            half_sum([2.0], [0.0], reduction="avg")
    finally:
        losses.unregister("half_sum")


def test_a_formula_that_reduces_early_is_told_so():
    @losses.register(kind="regression")
    def early_mean(pred, target):
        return ((pred - target) ** 2).mean()
    try:
        with pytest.raises(ValueError, match="returned a single number"):
            early_mean([1.0, 2.0], [0.0, 0.0])
    finally:
        losses.unregister("early_mean")


def test_register_validates_by_kind():
    @losses.register(kind="binary", input="score")
    def exponential(scores, target):
        return (-(scores * target)).exp()

    @losses.register(kind="multiclass")
    def true_class_logit(logits, target):
        assert target.dtype == np.int64                       # class indices arrive as an int array
        return -logits[np.arange(logits.shape[0]), target]

    @losses.register(kind="pairs")
    def squared_distance(x1, x2, y):
        return ((x1 - x2) ** 2).sum(axis=1) * (1.0 - y)

    @losses.register(kind="penalty")
    def squares_penalty(params, lam=1.0):
        return lam * sum(((w * w).sum() for w in params[1:]), (params[0] * params[0]).sum())
    try:
        assert exponential([0.0, 0.0], [1, -1]).item() == pytest.approx(1.0)
        with pytest.raises(ValueError, match="target must contain only -1 or 1"):
            exponential([0.0], [0])
        assert true_class_logit([[1.0, 2.0]], [1]).item() == pytest.approx(-2.0)
        with pytest.raises(ValueError, match="class indices in"):
            true_class_logit([[1.0, 2.0]], [2])
        with pytest.raises(ValueError, match="logits must have shape"):
            true_class_logit([1.0, 2.0], [0, 1])
        assert squared_distance([[3.0, 4.0]], [[0.0, 0.0]], [0]).item() == pytest.approx(25.0)
        with pytest.raises(ValueError, match="y must contain only 0 or 1"):
            squared_distance([[3.0, 4.0]], [[0.0, 0.0]], [2])
        assert squares_penalty([mg.Tensor([1.0, 2.0]), np.array([3.0])], lam=0.5).item() == pytest.approx(7.0)
        with pytest.raises(ValueError, match="at least one tensor"):
            squares_penalty([])
        assert not losses.get("squares_penalty").has_reduction
    finally:
        for name in ("exponential", "true_class_logit", "squared_distance", "squares_penalty"):
            losses.unregister(name)
