"""Try-it answers and counterfactuals for lesson 02 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise, LibraryFault

EXERCISES = [
    Exercise(
        "Huber with δ = 0.1, 1 and 5",
        edit={"DELTAS": (0.1, 1.0, 5.0)},
        expect={"huber_bounded": True, "backward_matches": True},
        why="Each Huber gradient follows MSE's straight line 2·½·r = r until |r| = δ and is flat at ±δ "
            "beyond. δ = 0.1 goes flat almost at once, so it looks like MAE scaled by 0.1; δ = 5 never "
            "reaches its kink on [−3, 3], so over this range it is ½·MSE. Every pull still stays within ±δ."),
    Exercise(
        "Thirty percent outliers",
        edit={"OUTLIER_FRACTION": 0.3},
        expect={"mae_beats_mse": True, "huber_beats_mse": True, "mse_is_least_squares": True,
                "gaussian_nll_is_least_squares": True},
        why="MSE's line moves further up on every seed (the optimum is the least-squares line, and 30 of 100 "
            "points now sit 12 or more above the truth). MAE's fit is a median-type fit: it moves too, but "
            "stays far nearer the true line, and Huber δ = 1, linear beyond 1, behaves like MAE. The fits are "
            "still trained to their optimum: MSE's line and the Gaussian-NLL line land on least squares again, "
            "with a σ about 6.6 instead of 4.3 — the Gaussian explains the outliers by believing in wider noise. "
            "These outliers sit in y only; part 6 shows what a few outliers far out in x do to MAE and Huber."),
    Exercise(
        "Huber with δ = 20",
        edit={"HUBER_DELTA": 20.0},
        expect={"huber_beats_mse": False, "mae_beats_mse": True},
        explain={"huber_beats_mse": "δ = 20 exceeds every residual (the outliers sit 12 to 16 above the line), "
                                    "so Huber is ½ r² everywhere and its line is MSE's line."},
        why="No residual here exceeds 20 (the outliers sit 12 to 16 above the line), so Huber δ = 20 is "
            "½ r² at every point: half of MSE, with the same minimum. Its line is MSE's line on every seed, "
            "and the claim that Huber is nearer the truth fails — robustness needs δ below the outliers' "
            "residuals."),
    Exercise(
        "Laplace noise instead of Gaussian",
        edit={"NOISE": "laplace"},
        expect={"mse_best_under_gaussian_noise": False},
        explain={"mse_best_under_gaussian_noise": "with Laplace noise the median, MAE's constant, has the "
                                                  "smaller RMS error: MAE is the Laplace likelihood."},
        why="With the same variance but heavier tails, the median (MAE's fit) now has the smaller error: "
            "for Laplace noise the variance of the mean is 2b²/n and that of the median about b²/n. This is "
            "part 3 again: MAE is the Laplace negative log-likelihood, so it is the loss that fits Laplace "
            "noise, as MSE fits Gaussian noise. 'MSE is the standard' is a statement about Gaussian-like noise."),
]

COUNTERFACTUALS = [
    Counterfactual({"HUBER_DELTA": 50.0}, fails=("huber_beats_mse",),
                   reason="a δ larger than every residual makes Huber MSE/2: same fit, no robustness"),
    Counterfactual({"OUTLIER_FRACTION": 0.0}, fails=("mae_beats_mse", "huber_beats_mse"),
                   reason="without outliers MSE's fit is already near the truth; no fit is twice as near"),
    Counterfactual({"LINE_LIKELIHOOD": "Laplace"}, fails=("gaussian_nll_is_least_squares",),
                   reason="the Laplace NLL is MAE: its line ignores the outliers, so it is not least squares"),
    Counterfactual({"SKEW": 0.01}, fails=("laplace_constant_is_median", "gaussian_constant_is_mean"),
                   reason="nearly symmetric data: mean and median coincide within the grid, nothing tells them apart"),
    Counterfactual({"GD_LR": 0.4}, fails=("mse_settles_mae_hops",),
                   reason="above 2 / (largest curvature of MSE, about 6) gradient descent on MSE diverges"),
    Counterfactual({"NOISE": "laplace"}, fails=("mse_best_under_gaussian_noise",),
                   reason="heavy-tailed noise: the median (MAE) is the better estimate"),
    Counterfactual({"ROBUST_ALPHA": 1.0}, fails=("cauchy_holds_leverage",),
                   reason="Charbonnier (α = 1) is convex, a smooth MAE: leverage points tilt it as they tilt MAE"),
    Counterfactual({"ROBUST_LR": 0.1}, fails=("cauchy_holds_leverage",),
                   reason="Adam's first steps too short to leave the tilted start: Cauchy stays in a local minimum"),
    Counterfactual({"LEVERAGE_POINTS": 0}, fails=("leverage_breaks_mae_huber",),
                   reason="with outliers in y only, MAE and Huber hold the line (part 2)"),
]

LIBRARY_FAULTS = [
    LibraryFault({"losses.mse": "losses.mae"},
                 fails=("mse_is_least_squares", "gaussian_nll_is_least_squares", "gaussian_constant_is_mean",
                        "mse_best_under_gaussian_noise", "barron_special_cases"),
                 reason="MSE replaced by MAE: every Gaussian claim now computes the Laplace one"),
    LibraryFault({"losses.mae": "losses.mse"},
                 fails=("mae_beats_mse", "laplace_constant_is_median", "mse_settles_mae_hops"),
                 reason="MAE replaced by MSE: its fit is least squares, its constant the mean, its steps shrink"),
    LibraryFault({"losses.huber": "lambda p, t, delta=1.0, reduction='mean': 0.5 * losses.mse(p, t, reduction=reduction)"},
                 fails=("huber_beats_mse", "huber_bounded"),
                 reason="a Huber that ignores δ is MSE / 2: unbounded pull, MSE's line"),
    LibraryFault({"losses.huber": "lambda p, t, delta=1.0, reduction='mean': original(p, t, delta=1.0, reduction=reduction)"},
                 fails=("huber_bounded",), reason="a Huber that always uses δ = 1 pulls past ±0.5 at δ = 0.5"),
    LibraryFault({"minigrad.optim.Adam": "lambda params, lr=1e-3, **kw: original(params, lr=lr, **{**kw, 'weight_decay': 0.5})"},
                 fails=("mse_is_least_squares", "gaussian_nll_is_least_squares", "cauchy_holds_leverage"),
                 reason="an Adam that adds weight decay of its own ends off the least-squares line"),
]
