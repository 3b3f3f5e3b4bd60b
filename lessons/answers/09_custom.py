"""Try-it answers and counterfactuals for lesson 09 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise, LibraryFault

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
            "common scale first (divide by a typical value, or by the loss at the start).",
        explain={"even_weight_favours_regression": "At λ = 0.5 the MSE now gives up a larger share of its range "
                                                   "than the BCE does, so regression no longer keeps more of its best."}),
    Exercise(
        "An easy-first phase as long as the run",
        edit={"SWITCH_FRACTION": 1.0},
        expect={"curriculum_never_far_behind": False, "curriculum_level_with_uniform": True},
        why="The progress t now climbs from 0 to ½ over the whole run, so the hardest samples stay light until "
            "the last steps. Where the hard samples are what the model still has to learn, it gets to 95% "
            "held-out accuracy well after uniform weighting — on seed 1 of the full run at step 118 against 87, "
            "far more than the 2.5% of the steps the claim allows. It still ends level: the hard samples gain weight "
            "at every step and weigh nearly as much as the easy ones over the last hundred steps, which is "
            "enough on two moons. A schedule can cost speed without costing the final result.",
        explain={"curriculum_never_far_behind": "Keeping the hard samples light for the whole run makes the "
                                                "curriculum more than 2.5% of the steps later than uniform "
                                                "weighting on at least one seed."}),
    Exercise(
        "Hardest samples first",
        edit={"HARD_FIRST": True},
        expect={"curriculum_never_far_behind": True, "curriculum_level_with_uniform": True},
        why="The head start does not go away: the reversed order reaches 95% held-out accuracy even sooner "
            "than the easy-first curriculum (about 60 steps against about 100 for uniform weights on seed 0). "
            "Over seeds 0–12 of the full run the hard-first order was sooner than uniform weights on every "
            "seed, while easy-first was sooner on only 7 of 13. So on this problem a head start is not "
            "evidence that easy examples teach first: re-weighting early in training changes the path out of "
            "the initial plateau, easy-first or not. That is what an honest comparison needs — the schedule "
            "against uniform weights, and against its own reverse."),
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

LIBRARY_FAULTS = [
    LibraryFault({"losses.perceptual": "lambda pred, target, feature_map, reduction='mean': "
                                       "losses.mse(pred, target, reduction=reduction)"},
                 fails=("perceptual_ranks_shift_nearer",),
                 reason="a perceptual loss that skips the feature map is pixel MSE: it ranks the shift as pixel MSE does"),
    LibraryFault({"losses.log_cosh": "losses.mse"},
                 fails=("log_cosh_gradient_is_tanh", "log_cosh_curvature", "log_cosh_beats_mse"),
                 reason="log-cosh replaced by MSE: gradient 2r, not tanh r, and the outliers pull the line again"),
    LibraryFault({"losses.adversarial_generator": "lambda fake_logits, reduction='mean': "
                                                  "original(fake_logits.detach(), reduction=reduction)"
                                                  " + 0.0 * fake_logits.sum()"},
                 fails=("gan_moves_onto_data", "gan_both_modes"),
                 reason="a generator loss that sends no gradient back through the discriminator's verdict leaves "
                        "the generator where it started"),
    LibraryFault({"losses.curriculum_weights": "lambda difficulty, progress: original(difficulty, progress=0.0)"},
                 fails=("curriculum_level_with_uniform",),
                 reason="weights stuck at 'easy first' never let the hardest samples count: the curriculum no "
                        "longer ends level with uniform weighting"),
]
