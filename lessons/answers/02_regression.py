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
        why="MSE's line moves further up (the optimum is the least-squares line, and 30 of 100 points now "
            "sit 12 or more above the truth). MAE's fit is a median-type fit: it moves too, but stays far "
            "nearer the true line, and Huber δ = 1, linear beyond 1, behaves like MAE."),
    Exercise(
        "Huber with δ = 20",
        edit={"HUBER_DELTA": 20.0},
        expect={"huber_beats_mse": False, "mae_beats_mse": True},
        why="No residual here exceeds 20 (the outliers sit 12 to 16 above the line), so Huber δ = 20 is "
            "½ r² at every point: half of MSE, with the same minimum. Its line is MSE's line, and the claim "
            "that Huber is nearer the truth fails — robustness needs δ below the outliers' residuals."),
]

COUNTERFACTUALS = [
    Counterfactual({"HUBER_DELTA": 50.0}, fails=("huber_beats_mse",),
                   reason="a δ larger than every residual makes Huber MSE/2: same fit, no robustness"),
    Counterfactual({"OUTLIER_FRACTION": 0.0}, fails=("mae_beats_mse",),
                   reason="without outliers MSE's fit is the best line; MAE's cannot be nearer"),
]
