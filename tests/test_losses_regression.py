"""mse, mae, huber: hand-worked values, loops, closed-form gradients, properties, bad input."""
import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import losses
import minigrad as mg

REDUCTIONS = ("mean", "sum", "none")


def loop_reference(name, pred, target, delta=1.0):
    """Plain-Python loop over the entries: one loss value per entry."""
    out = []
    for p, y in zip(np.ravel(pred), np.ravel(target)):
        r = y - p
        if name == "mse":
            out.append(r * r)
        elif name == "mae":
            out.append(abs(r))
        elif abs(r) <= delta:
            out.append(0.5 * r * r)
        else:
            out.append(delta * abs(r) - 0.5 * delta * delta)
    return np.array(out).reshape(np.shape(pred))


LOSSES = {
    "mse": lambda p, y, reduction="mean": losses.mse(p, y, reduction=reduction),
    "mae": lambda p, y, reduction="mean": losses.mae(p, y, reduction=reduction),
    "huber": lambda p, y, reduction="mean": losses.huber(p, y, delta=1.0, reduction=reduction),
}


# ---- values worked out by hand ----------------------------------------------------

def test_mse_by_hand():
    # residuals 1, -2, 0.5: (1 + 4 + 0.25) / 3 = 1.75
    assert losses.mse([1.0, 0.0, 2.0], [2.0, -2.0, 2.5]).item() == pytest.approx(1.75)
    assert losses.mse([1.0, 0.0, 2.0], [2.0, -2.0, 2.5], reduction="sum").item() == pytest.approx(5.25)


def test_mae_by_hand():
    # |1| + |-2| + |0.5| = 3.5;  mean 3.5 / 3
    assert losses.mae([1.0, 0.0, 2.0], [2.0, -2.0, 2.5]).item() == pytest.approx(3.5 / 3)
    np.testing.assert_allclose(losses.mae([1.0, 0.0, 2.0], [2.0, -2.0, 2.5], reduction="none").data,
                               [1.0, 2.0, 0.5])


def test_huber_by_hand():
    # delta = 2: r = 1 -> 0.5·1 = 0.5;  r = 3 -> 2·3 - 0.5·4 = 4;  r = -2 (on the boundary) -> 0.5·4 = 2
    values = losses.huber([0.0, 0.0, 0.0], [1.0, 3.0, -2.0], delta=2.0, reduction="none")
    np.testing.assert_allclose(values.data, [0.5, 4.0, 2.0])
    # delta = 0.5, r = 1: 0.5·1 - 0.5·0.25 = 0.375
    assert losses.huber([1.0], [0.0], delta=0.5).item() == pytest.approx(0.375)


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2)])
def test_values_match_loop(name, shape):
    rng = np.random.default_rng(0)
    pred, target = rng.normal(size=shape) * 2, rng.normal(size=shape) * 2
    expected = loop_reference(name, pred, target)
    np.testing.assert_allclose(LOSSES[name](pred, target, reduction="none").data, expected)
    assert LOSSES[name](pred, target, reduction="sum").item() == pytest.approx(expected.sum())
    assert LOSSES[name](pred, target, reduction="mean").item() == pytest.approx(expected.mean())


# ---- gradients --------------------------------------------------------------------

def off_kink_inputs(shape, seed):
    """Residuals with |r| in [0.2, 0.8] or [1.2, 3]: away from 0 (|r|) and from delta = 1 (Huber)."""
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape))
    magnitude = np.where(rng.random(size) < 0.5, rng.uniform(0.2, 0.8, size), rng.uniform(1.2, 3.0, size))
    r = (magnitude * rng.choice([-1.0, 1.0], size)).reshape(shape)
    target = rng.normal(size=shape)
    return target - r, target          # pred, target with target - pred = r


def test_closed_form_gradients():
    rng = np.random.default_rng(4)
    pred_data, target = rng.normal(size=7) * 3, rng.normal(size=7) * 3
    residual = pred_data - target
    for name, expected in [("mse", 2 * residual / 7), ("mae", np.sign(residual) / 7)]:
        pred = mg.Tensor(pred_data, requires_grad=True)
        LOSSES[name](pred, target).backward()
        np.testing.assert_allclose(pred.grad, expected)
    for delta in (0.5, 1.0, 2.0):
        # Huber: d/dŷ of the summed loss is clip(ŷ - y, -delta, delta)
        pred = mg.Tensor(pred_data, requires_grad=True)
        losses.huber(pred, target, delta=delta, reduction="sum").backward()
        np.testing.assert_allclose(pred.grad, np.clip(residual, -delta, delta))


def test_huber_gradient_continuous_at_delta_and_zero_at_zero():
    # |r| = delta exactly: both branches give slope delta; r = 0: slope 0
    pred = mg.Tensor([2.0, -2.0, 0.0], requires_grad=True)
    losses.huber(pred, [0.0, 0.0, 0.0], delta=2.0, reduction="sum").backward()
    np.testing.assert_allclose(pred.grad, [2.0, -2.0, 0.0])


def test_mae_gradient_zero_at_perfect_fit():
    pred = mg.Tensor([1.0, 2.0], requires_grad=True)
    losses.mae(pred, [1.0, 2.0], reduction="sum").backward()
    np.testing.assert_array_equal(pred.grad, [0.0, 0.0])


def test_second_order():
    # mse curvature 2; Huber curvature 1 inside |r| < delta, 0 outside
    pred = mg.Tensor([0.3, 2.0, -5.0], requires_grad=True)
    target = np.zeros(3)
    (g,) = mg.grad(losses.mse(pred, target, reduction="sum"), [pred], create_graph=True)
    (h,) = mg.grad(g.sum(), [pred])
    np.testing.assert_allclose(h.data, [2.0, 2.0, 2.0])
    (g,) = mg.grad(losses.huber(pred, target, delta=1.0, reduction="sum"), [pred], create_graph=True)
    (h,) = mg.grad(g.sum(), [pred])
    np.testing.assert_allclose(h.data, [1.0, 0.0, 0.0])


# ---- properties -------------------------------------------------------------------

arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=5),
                    elements=st.floats(-100, 100))


# ---- bad input ----------------------------------------------------------------------

@pytest.mark.parametrize("delta", [0.0, -1.0, float("nan"), float("inf"), "1"])
def test_huber_bad_delta(delta):
    with pytest.raises(ValueError, match=r"huber: delta must be a finite number > 0"):
        losses.huber([1.0], [0.0], delta=delta)


def test_non_numeric_input():
    with pytest.raises(ValueError, match=r"mse: pred must be numbers"):
        losses.mse(["a"], [0.0])
