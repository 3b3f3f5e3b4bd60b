"""Try-it answers and counterfactuals for lesson 09 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise

EXERCISES = [
    Exercise(
        "The classes split along the value's own direction",
        edit={"ANGLE_DEGREES": 0.0},
        expect={"tradeoff": True, "even_weight_favours_regression": True},
        why="The conflict in direction is gone, but not the conflict in scale. Regression wants w = (2, 0); "
            "the classifier wants w along the same axis but longer, because a longer w gives sharper logits "
            "and a lower cross-entropy (with label noise 0.5 its best length is about 1.7/0.5 ≈ 3.4; "
            "at λ = 0.02 training reaches w ≈ (2.7, 0)). So "
            "raising λ still lowers the MSE (from about 0.55 to 0.08) and still raises the BCE, by about 10% "
            "instead of doubling it: a smaller trade-off, but a trade-off. Two objectives agree only when "
            "their optima coincide, in direction and in size."),
    Exercise(
        "The regression loss divided by 30 before weighting",
        edit={"MSE_SCALE": 30.0},
        expect={"even_weight_favours_regression": False, "tradeoff": True},
        why="With MSE/30 the two terms have comparable sizes and slopes, so λ = 0.5 no longer hands the "
            "model to the regression task: each task gives up a similar share of its range (the MSE now "
            "a fifth to a quarter, the BCE a sixth to a fifth), and the claim that regression keeps more of its best fails. "
            "The trade-off itself does not go away — rescaling moves where λ lands on the curve, not the "
            "curve's existence. This is why a weighted sum is usually built from losses brought to a "
            "common scale first (divide by a typical value, or by the loss at the start)."),
    Exercise(
        "An easy-first phase of a few steps",
        edit={"SWITCH_FRACTION": 0.01},
        expect={"curriculum_ahead_early": False, "curriculum_level_with_uniform": True},
        why="The weights now reach ½ for everyone after 4 steps (2 in the quick run), so the curriculum is "
            "uniform weighting in all but name. It no longer reaches 95% held-out accuracy sooner — on seed 0 "
            "it is a few steps later — and it still ends level, as any schedule that ends uniform does here."),
    Exercise(
        "Hardest samples first",
        edit={"HARD_FIRST": True},
        expect={"curriculum_ahead_early": True, "curriculum_level_with_uniform": True},
        why="The head start does not go away: the reversed order reaches 95% held-out accuracy even sooner "
            "than the easy-first curriculum (about 60 steps against about 100 for uniform weights on seed 0). "
            "So on this problem the head start is not evidence that easy examples teach first: any re-weighting "
            "early in training changes the path out of the initial plateau, easy-first or not. That is what an "
            "honest comparison needs — the schedule against uniform weights, and against its own reverse."),
]

COUNTERFACTUALS = [
    Counterfactual({"ANGLE_DEGREES": 0.0, "LABEL_NOISE": 0.85}, fails=("tradeoff",),
                   reason="classes along the value's direction with noise 0.85 put the BCE optimum near w = (2, 0), "
                          "MSE's own: the BCE no longer rises by 2% as λ grows"),
    Counterfactual({"MONOTONE_WEIGHT": 0.0, "WINDOW": 1, "ARC_CURVATURE": 0.0, "OUTLIER_FRACTION": 0.0},
                   fails=("penalty_removes_drops", "penalty_nearer_truth", "perceptual_ranks_shift_nearer",
                          "autoencoder_beats_pca", "log_cosh_beats_mse"),
                   reason="four independent edits, one per part: μ = 0 makes both fits the same; windows of 1 make "
                          "the features see the shift sample by sample; a straight arc is what PCA fits best; "
                          "without outliers MSE's line is as good as log-cosh's"),
    Counterfactual({"FINAL_PROGRESS": 1.0, "DISCRIMINATOR_LR": 0.0},
                   fails=("curriculum_level_with_uniform", "gan_moves_onto_data", "gan_both_modes"),
                   reason="a curriculum that ends on the hard samples only costs seed 0 over a point of held-out "
                          "accuracy in the quick run; a discriminator that never learns gives the generator a "
                          "fixed, wrong target, so it runs off to one side"),
]
