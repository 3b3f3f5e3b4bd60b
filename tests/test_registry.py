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


# ---- issue 16: the slips a new user made, each stopped with a message naming the loss ------

def pinball(pred, target, tau=0.5):
    """Pinball (quantile) loss: τ·r above, (τ − 1)·r below, r = y − ŷ."""
    r = target - pred
    return mg.maximum(tau * r, (tau - 1) * r)


def broadcast_pinball(pred, target, tau=0.5):
    """The slip: pred made a column, so r is (N, N)."""
    r = target - pred.reshape(-1, 1)
    return mg.maximum(tau * r, (tau - 1) * r)


@pytest.fixture
def registered():
    """register(fn, **options) for the length of a test; unregistered afterwards."""
    names = []

    def add(fn, **options):
        loss = losses.register(fn, **options)
        names.append(options.get("name") or fn.__name__)
        return loss
    yield add
    for name in names:
        losses.unregister(name)


def test_pinball_by_hand(registered):
    loss = registered(pinball, kind="regression", ranges={"tau": (0.0, 1.0)})
    # τ = 0.9: r = y − ŷ = 2 gives 0.9·2 = 1.8;  r = −1 gives (0.9 − 1)·(−1) = 0.1
    values = loss([0.0, 1.0], [2.0, 0.0], tau=0.9, reduction="none").data
    np.testing.assert_allclose(values, [1.8, 0.1])
    assert inspect.signature(loss).parameters["tau"].default == 0.5


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_broadcasting_slip_raises_naming_both_shapes(registered, reduction):
    loss = registered(broadcast_pinball, kind="regression")
    # before: "none" gave (6, 6) and "mean" averaged 36 numbers, 0.6 at a perfect fit instead of 0
    target = np.arange(6.0)
    with pytest.raises(ValueError, match=r"broadcast_pinball: the formula returned shape \(6, 6\) for pred of "
                                         r"shape \(6,\); expected \(6,\), one value per element.*\(N, N\)"):
        loss(target.copy(), target, reduction=reduction)


def test_triplet_summed_over_the_samples_raises(registered):
    def summed_over_samples(anchor, positive, negative, margin=1.0):
        d_ap = ((anchor - positive) ** 2).sum(axis=0)          # the slip: axis 0 is the samples
        d_an = ((anchor - negative) ** 2).sum(axis=0)
        return mg.relu(d_ap - d_an + margin)
    loss = registered(summed_over_samples, kind="triplets")
    a, p, n = (np.random.default_rng(i).standard_normal((5, 3)) for i in range(3))
    with pytest.raises(ValueError, match=r"summed_over_samples: the formula returned shape \(3,\) for anchor of "
                                         r"shape \(5, 3\); expected \(5,\).*over the samples \(axis=0\)"):
        loss(a, p, n)


def test_per_sample_loss_that_keeps_the_features_raises(registered):
    def not_summed(x1, x2, y):
        return (x1 - x2) ** 2                                  # (N, D): the features never summed
    loss = registered(not_summed, kind="pairs")
    with pytest.raises(ValueError, match=r"not_summed: .*shape \(4, 2\).*expected \(4,\).*sum over axis 1"):
        loss(np.zeros((4, 2)), np.ones((4, 2)), np.zeros(4))

    def kept_dims(x1, x2, y):
        return ((x1 - x2) ** 2).sum(axis=1, keepdims=True)     # (N, 1)
    loss = registered(kept_dims, kind="pairs")
    with pytest.raises(ValueError, match=r"kept_dims: .*shape \(4, 1\).*expected \(4,\).*reshape\(-1\)"):
        loss(np.zeros((4, 2)), np.ones((4, 2)), np.zeros(4))


def test_a_formula_returning_bool_is_told_to_use_where(registered):
    def above(pred, target):
        return pred > target
    loss = registered(above, kind="regression")
    with pytest.raises(TypeError, match=r"above: the formula returned a tensor of bool.*mg\.where"):
        loss([1.0, 0.0], [0.0, 0.0])


def test_a_penalty_written_for_a_single_tensor_gets_the_list_hint(registered):
    def single_l2(params, lam=0.1):
        return lam * (params ** 2).sum()                       # params is a list of tensors
    loss = registered(single_l2, kind="penalty")
    with pytest.raises(TypeError, match=r"single_l2: the formula raised TypeError: .*list of tensors"):
        loss([mg.Tensor([1.0, 2.0])])
    with pytest.raises(TypeError, match="single_l2:"):
        loss(mg.Tensor([1.0, 2.0]))                            # a single tensor arrives as a list of one too

    def penalty_of_the_wrong_shape(params, lam=0.1):
        return lam * sum(w ** 2 for w in params)               # (2,): never summed
    loss = registered(penalty_of_the_wrong_shape, kind="penalty")
    with pytest.raises(ValueError, match=r"penalty_of_the_wrong_shape: the formula returned shape \(2,\) as a "
                                         r"penalty; expected a single number"):
        loss([mg.Tensor([1.0, 2.0])])


def test_every_error_inside_a_formula_names_the_loss(registered):
    def indexes_too_far(pred, target):
        return (pred - target)[np.arange(pred.shape[0]) + 1]    # IndexError from numpy
    loss = registered(indexes_too_far, kind="regression")
    with pytest.raises(IndexError, match="indexes_too_far: the formula raised IndexError"):
        loss([1.0, 2.0], [0.0, 0.0])


def test_misspelt_parameter_names_the_loss_and_the_parameter(registered):
    loss = registered(pinball, kind="regression")
    with pytest.raises(TypeError, match=r"pinball: got an unexpected keyword argument 'taux' \(did you mean tau\?\); "
                                        r"call it as pinball\(pred, target, tau=0.5\)"):
        loss([1.0], [0.0], taux=0.3)
    with pytest.raises(ValueError, match=r"pinball: unknown parameter taux \(did you mean tau\?\)"):
        losses.get("pinball").with_params(taux=0.3)
    with pytest.raises(TypeError, match="pinball: missing a required argument: 'target'"):
        loss([1.0])


def test_defaults_given_to_register_apply_to_calls(registered):
    def capped_square(pred, target, delta):
        return mg.minimum((pred - target).abs(), delta) ** 2
    loss = registered(capped_square, kind="regression", defaults={"delta": 2.0})
    # before: check and explore used 2.0, a call without delta raised "missing a required argument"
    # |r| = 3 capped at δ = 2: 4;  with delta=1: 1
    assert loss([3.0], [0.0]).item() == 4.0
    assert loss([3.0], [0.0], delta=1.0).item() == 1.0
    assert inspect.signature(loss).parameters["delta"].default == 2.0
    assert losses.get("capped_square").params == {"delta": 2.0}

    def squares_with_default(pred, target, scale=1.0):
        return scale * (pred - target) ** 2
    loss = registered(squares_with_default, kind="regression", defaults={"scale": 3.0})
    assert loss([1.0], [0.0]).item() == 3.0                    # the declared default replaces the signature's


def test_declared_ranges_apply_to_calls_and_to_the_tools(registered):
    loss = registered(pinball, kind="regression", ranges={"tau": (0.0, 1.0)})
    assert losses.get("pinball").ranges == {"tau": (0.0, 1.0)}
    with pytest.raises(ValueError, match=r"pinball: tau must lie in \[0, 1\] .*got 1.5"):
        loss([1.0], [0.0], tau=1.5)
    with pytest.raises(ValueError, match=r"pinball: tau must lie in \[0, 1\]"):
        losses.check("pinball", tau=-0.1, verbose=False)
    assert loss([1.0], [0.0], tau=1.0).item() == 0.0          # the ends are inside: r = −1, max(−1, 0) = 0
    assert loss([1.0], [0.0], tau=np.float32(0.0)).item() == 1.0   # numpy numbers too: r = −1, max(0, 1) = 1
    with pytest.raises(ValueError, match=r"pinball: tau must lie in \[0, 1\] .*got '0.3'"):
        loss([1.0], [0.0], tau="0.3")
    assert losses.get("pinball").span("tau") == (0.0, 1.0)
    # an open end: max(1, 3·default) above, 0 below
    registered(pinball, name="pinball_open", kind="regression", ranges={"tau": (0.0, None)})
    assert losses.get("pinball_open").span("tau") == (0.0, 1.5)
    assert losses.get("huber").span("delta") == (0.0, 3.0)     # no declared range: the same rule


@pytest.mark.parametrize("ranges, match", [
    ({"taux": (0, 1)}, r"register: pinball has no parameter 'taux' .*did you mean tau"),
    ({"tau": (1, 0)}, "low <= high"),
    ({"tau": 0.5}, r"must be a pair \(low, high\)"),
    ({"tau": (0, float("nan"))}, "finite numbers"),
    ({"tau": (0.6, 1.0)}, r"register: pinball's default tau=0.5 lies outside its range \[0.6, 1\]"),
])
def test_bad_ranges_raise_at_registration(ranges, match):
    with pytest.raises(ValueError, match=match):
        losses.register(pinball, kind="regression", ranges=ranges)
    assert "pinball" not in losses.catalogue()


def test_closed_form_of_the_wrong_type_or_shape_names_the_loss(registered):
    def square(pred, target):
        return (pred - target) ** 2
    x = np.linspace(-1.0, 1.0, 5)
    registered(square, name="tensor_gradient", kind="regression", gradient=lambda r: mg.Tensor(2 * r))
    with pytest.raises(TypeError, match=r"tensor_gradient: the closed-form gradient .* returned a minigrad Tensor"):
        losses.get("tensor_gradient").closed_form()(x)
    registered(square, name="short_gradient", kind="regression", gradient=lambda r: 2 * r[:3])
    with pytest.raises(ValueError, match=r"short_gradient: the closed-form gradient .* returned shape \(3,\) for x "
                                         r"of shape \(5,\); expected \(5,\)"):
        losses.get("short_gradient").closed_form()(x)
    registered(square, name="broken_gradient", kind="regression", gradient=lambda r: r.no_such_method())
    with pytest.raises(AttributeError, match="broken_gradient: the closed-form gradient"):
        losses.get("broken_gradient").closed_form()(x)
    registered(square, name="scalar_gradient", kind="regression", gradient=lambda r: 2.0)
    np.testing.assert_array_equal(losses.get("scalar_gradient").closed_form()(x), np.full(5, 2.0))   # a constant is fine


@pytest.mark.parametrize("options, match", [
    (dict(kind="ranking"), "register: pinball's kind must be one of"),
    (dict(kind="regression", input="logit"), "register: pinball: for kind 'regression', input must be one of"),
    (dict(kind="binary", target="yes/no"), "register: pinball: for kind 'binary', target must be one of"),
    (dict(kind="regression", gradient=2.0), "register: pinball's gradient must be a function"),
    (dict(kind="regression", defaults={"delta": 1.0}), "register: defaults for unknown parameters delta of pinball"),
    (dict(kind="pairs"), r"register: a pairs loss takes 3 data arguments .* but pinball\(pred, target, tau=0.5\)"),
])
def test_every_registration_error_names_the_loss(options, match):
    with pytest.raises(ValueError, match=match):
        losses.register(pinball, **options)


def test_the_workbench_takes_sigmoid_from_the_engine():
    # issue 15: sigmoid was written twice (minigrad/ops.py and the registry's closed forms)
    for module in ("registry", "properties", "explorer", "kinds"):
        source = inspect.getsource(importlib.import_module(f"losses.workbench.{module}"))
        assert "/ (1 + e" not in source and "1 / (1 + np.exp" not in source, module
    z = np.array([-800.0, -3.0, 0.0, 3.0, 800.0])
    np.testing.assert_array_equal(registry._sigmoid(z), mg.sigmoid(mg.Tensor(z)).data)
