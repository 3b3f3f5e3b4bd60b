"""Try-it answers and counterfactuals for lesson 01 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise, LibraryFault

EXERCISES = [
    Exercise(
        "A step five times longer",
        edit={"STEP_SIZE": 0.25},
        expect={"step_lowers_loss": False},
        explain={"step_lowers_loss": "η = 0.25 is above 1/(x² + 1) = 0.2: the step against the gradient "
                                     "overshoots the target and the loss rises from 3.24 to 7.29."},
        why="The new residual is r(1 − 2η(x² + 1)) = 1.8 · (1 − 2 · 0.25 · 5) = −2.7: the step jumps over "
            "the target and lands further away on the other side, so the loss rises from 3.24 to 7.29 "
            "(2.25 times). Any η above 1/(x² + 1) = 0.2 does this. The gradient still points the right way; "
            "the step size decides whether following it helps."),
    Exercise(
        "A 0-1 loss with a sloped edge",
        edit={"RAMP_WIDTH": 0.5},
        expect={"zero_one_loss_stalls": False},
        explain={"zero_one_loss_stalls": "the ramp's slope gives the points near the boundary a gradient, so "
                                         "gradient descent on the 0-1 loss now raises the accuracy: it no longer stalls."},
        why="A ramp half a unit wide has slope 2 for every point whose margin lies in (−0.5, 0): the wrongly "
            "classified points near the boundary now get a gradient, and gradient descent turns the boundary "
            "until most points are right. It is no longer the 0-1 loss but a surrogate of it (the 'ramp "
            "loss'); what made training possible is exactly the slope the true step function lacks."),
    Exercise(
        "A learning rate a thousand times smaller",
        edit={"LR": 5e-5},
        expect={"scaled_up_diverges": False, "scaled_down_crawls": False},
        explain={"scaled_up_diverges": "lr × 1000 = 0.05 is the step × 1 took before: the loss × 1000 now "
                                       "converges instead of blowing up.",
                 "scaled_down_crawls": "× 1 now steps 5e-5 and crawls too, so it no longer removes all of the "
                                       "excess; × 0.001 barely moves."},
        why="Plain gradient descent steps lr × scale × ∇MSE, so only the product lr × scale matters. With "
            "lr = 5e-5 the loss × 1000 takes the steps × 1 took before and converges; × 1 now crawls (it removes "
            "about a tenth of the excess, as × 0.001 did); × 0.001 barely moves. Both claims fail because "
            "the roles moved, not because scaling stopped mattering."),
    Exercise(
        "Ten times larger outliers",
        edit={"TAIL": (80.0, 100.0)},
        expect={"mse_ends_at_mean": True, "mae_ends_at_median": True, "huber_ends_between": True},
        why="The median does not move at all: the five large values are still the five largest. The mean "
            "moves from about 2.8 to about 12.8 (it gains 5 × 81 / 41 ≈ 10), and MSE's c follows it. Huber "
            "moves only slightly: beyond δ each large value pulls with δ, however far away it is."),
]

COUNTERFACTUALS = [
    Counterfactual({"STEP_SIZE": 0.25}, fails=("step_lowers_loss",),
                   reason="a step longer than 1/(x² + 1) overshoots: the loss rises even against the gradient"),
    Counterfactual({"RAMP_WIDTH": 2.0}, fails=("zero_one_loss_stalls",),
                   reason="a ramp wide enough has a gradient, and gradient descent on it trains"),
    Counterfactual({"OPTIMIZER": "adam"}, fails=("scaled_up_diverges", "scaled_down_crawls"),
                   reason="Adam divides each step by the gradient's own size: the loss scale cancels"),
    Counterfactual({"HUBER_DELTA": 100.0}, fails=("huber_ends_between",),
                   reason="δ beyond every residual makes Huber MSE/2: it ends at the mean"),
    Counterfactual({"SPREAD": 0.8}, fails=("huber_ends_between",),
                   reason="typical values spread wider than δ: the median moves up as far as Huber, and on some "
                          "seeds further"),
    Counterfactual({"FIT_LR": 0.002}, fails=("mse_ends_at_mean",),
                   reason="steps too small to travel from 0 to the mean in the given number of steps"),
    Counterfactual({"GD_SHARE": 1.05}, fails=("gd_reaches_least_squares",),
                   reason="a step longer than 2 / λ_max, the largest curvature of the bowl: gradient descent diverges"),
    Counterfactual({"ADAM_LR": 0.001}, fails=("adam_mae_ends_at_mae_minimum",),
                   reason="Adam's steps too small to leave the start"),
]

LIBRARY_FAULTS = [
    LibraryFault({"losses.mse": "losses.mae"},
                 fails=("step_lowers_loss", "scaled_up_diverges", "mse_ends_at_mean", "gd_reaches_least_squares"),
                 reason="MSE replaced by MAE: training ends at the median, and MAE's fixed-size steps never settle"),
    LibraryFault({"losses.mae": "losses.mse"}, fails=("mae_ends_at_median", "adam_mae_ends_at_mae_minimum"),
                 reason="MAE replaced by MSE: training ends at the mean and at the least-squares line"),
    LibraryFault({"losses.huber": "lambda p, t, delta=1.0, reduction='mean': losses.mse(p, t, reduction=reduction)"},
                 fails=("huber_ends_between",), reason="a Huber that ignores δ is MSE: it ends at the mean"),
    LibraryFault({"losses.binary_cross_entropy_with_logits":
                  "lambda z, y, **kw: original(z, 1 - np.asarray(y), **kw)"},
                 fails=("zero_one_loss_stalls",), reason="cross-entropy with its labels flipped trains the wrong way"),
    LibraryFault({"minigrad.optim.SGD": "lambda params, lr, **kw: original(params, lr=lr, **{**kw, 'weight_decay': 0.5})"},
                 fails=("scaled_down_crawls", "gd_reaches_least_squares"),
                 reason="SGD that decays the weights on its own ends off the least-squares line"),
    LibraryFault({"minigrad.optim.Adam": "lambda params, lr=1e-3, **kw: original(params, lr=lr, **{**kw, 'weight_decay': 0.5})"},
                 fails=("mse_ends_at_mean", "adam_mae_ends_at_mae_minimum"),
                 reason="an Adam that adds weight decay of its own pulls every fit toward 0, off the loss's minimum"),
]
