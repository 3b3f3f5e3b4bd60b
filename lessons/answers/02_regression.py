"""Try-it answers and counterfactuals for lesson 02 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise

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
        expect={"mae_beats_mse": True, "huber_beats_mse": True},
        why="MSE's line moves further up on every seed (the optimum is the least-squares line, and 30 of 100 "
            "points now sit 12 or more above the truth). MAE's fit is a median-type fit: it moves too, but "
            "stays far nearer the true line, and Huber δ = 1, linear beyond 1, behaves like MAE."),
    Exercise(
        "Huber with δ = 20",
        edit={"HUBER_DELTA": 20.0},
        expect={"huber_beats_mse": False, "mae_beats_mse": True},
        why="No residual here exceeds 20 (the outliers sit 12 to 16 above the line), so Huber δ = 20 is "
            "½ r² at every point: half of MSE, with the same minimum. Its line is MSE's line on every seed, "
            "and the claim that Huber is nearer the truth fails — robustness needs δ below the outliers' "
            "residuals."),
    Exercise(
        "Laplace noise instead of Gaussian",
        edit={"NOISE": "laplace"},
        expect={"mse_best_under_gaussian_noise": False},
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
]
