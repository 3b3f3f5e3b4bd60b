"""Try-it answers and counterfactuals for lesson 05 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise, LibraryFault

EXERCISES = [
    Exercise(
        "Focus harder, γ = 5",
        edit={"GAMMA": 5.0},
        expect={"reweighting_raises_recall": True, "focal_ignores_easy_examples": True,
                "easy_negatives_turned_down": False},
        explain={"easy_negatives_turned_down":
                 "Fails on its first part: with γ = 5 the model stops pushing a negative so early that only 6–14% of "
                 "the examples ever become easy negatives (pₜ > 0.9), not over a third. The few there are carry "
                 "0.0% of the loss — γ = 5 turns them down even harder; there are just not many left to turn down."},
        why="γ = 5 turns an example with pₜ = 0.9 down by 0.1⁵ = 10⁻⁵ instead of 10⁻², so the easy examples' share "
            "of the gradient drops from about 3% to 0.0%. The model listens almost only to the hard examples — mostly "
            "positives and the negatives near them — so its threshold moves a little further toward the negatives: "
            "recall of the rare class rises a few points over γ = 2 (precision falls a little). It does not find the "
            "rare class 'much' better: the direction was already right, only the offset moves."),
    Exercise(
        "pos_weight = 1",
        edit={"POS_WEIGHT": 1.0},
        expect={"reweighting_raises_recall": False, "recall_costs_precision": False, "same_ranking": True,
                "reweighting_miscalibrates": False, "log_w_recalibrates": False},
        explain={"reweighting_raises_recall": "pos_weight BCE with w = 1 is cross-entropy: same recall, not more.",
                 "recall_costs_precision": "…and the same precision, not less.",
                 "reweighting_miscalibrates": "Its probabilities are cross-entropy's, so its ECE is exactly "
                                              "cross-entropy's, not larger: with nothing re-weighted nothing is "
                                              "miscalibrated.",
                 "log_w_recalibrates": "Fails on its first part: with w = 1 the probabilities add up to 1.3–1.7 "
                                       "times the positives, as cross-entropy's do, not over twice; log 1 = 0 "
                                       "subtracts nothing."},
        why="With w = 1 the positive term is multiplied by 1: pos_weight BCE is plain cross-entropy, and it trains to "
            "exactly cross-entropy's recall and precision. So 'each re-weighted loss finds more of the rare class than "
            "cross-entropy' fails — for this one, not for α-balanced CE or focal. The ranking (AP) is still the same."),
    Exercise(
        "Classes further apart, separation 3",
        edit={"SEPARATION": 3.0},
        expect={"reweighting_raises_recall": True, "recall_costs_precision": False, "same_ranking": True,
                "reweighting_miscalibrates": False, "prior_bias_avoids_collapse": False},
        explain={"recall_costs_precision": "Focal loss keeps cross-entropy's precision of 1.00 on a seed: its threshold "
                                           "moves into the empty space between the classes, where no negative is.",
                 "reweighting_miscalibrates": "Every re-weighted loss is still worse calibrated than cross-entropy, but "
                                              "pos_weight's ECE is now under 3× cross-entropy's (1.4–2.2× in the full run): with "
                                              "few examples near the boundary, few are given a wrong probability.",
                 "prior_bias_avoids_collapse": "With well separated classes cross-entropy from b = 0 recovers quickly "
                                               "(13–24 steps instead of 60–100): the prior still helps, by 2–4×, "
                                               "not by 3× on every seed."},
        why="With less overlap every loss does better (AP about 0.97) and re-weighting still raises recall. But the "
            "price in precision now depends on the loss: pos_weight and α-balanced CE still pay (their thresholds move "
            "deep into the negatives), while focal loss keeps cross-entropy's precision of about 1.00 on some seed — "
            "so 'each pays with lower precision' fails. When the classes barely overlap, focusing on the few hard "
            "examples moves the threshold into the empty space between them."),
    Exercise(
        "The α rows flipped",
        edit={"ALPHAS": (0.9, 0.75, 0.5, 0.25)},
        expect={"alpha_weights_minority": False},
        explain={"alpha_weights_minority": "It now asks α = 0.25 to find more positives than α = 0.9: it finds far "
                                           "fewer, at every γ."},
        why="The claim compares the last α of the list with the first: now α = 0.25 against α = 0.9, and α = 0.25 "
            "finds far less of the rare class at every γ. α is a class weight: a larger α gives each positive more "
            "weight relative to each negative, which moves the threshold toward the negatives and raises recall."),
]

COUNTERFACTUALS = [
    Counterfactual({"POS_WEIGHT": 1.0}, fails=("reweighting_raises_recall", "recall_costs_precision",
                                                "reweighting_miscalibrates", "log_w_recalibrates"),
                   reason="pos_weight = 1 is plain cross-entropy: nothing is re-weighted, nothing miscalibrated"),
    Counterfactual({"GAMMA": 0.0},
                   fails=("reweighting_raises_recall", "focal_ignores_easy_examples", "easy_negatives_turned_down"),
                   reason="focal loss with γ = 0 and no α is cross-entropy"),
    Counterfactual({"ALPHAS": (0.9, 0.75, 0.5, 0.25)}, fails=("alpha_weights_minority",),
                   reason="flipped, the claim asks α = 0.25 to find more positives than α = 0.9"),
    Counterfactual({"GRID_GAMMAS": (2.0, 1.0, 0.0)}, fails=("small_alpha_cheaper_with_gamma",),
                   reason="reversed, the claim asks α = 0.25 to cost less at γ = 0 than at γ = 2"),
    Counterfactual({"PRIOR": 0.5}, fails=("prior_bias_avoids_collapse",),
                   reason="π = ½ is the bias b = 0: both starts are the same"),
    Counterfactual({"POSITIVE_SPREAD": (3.0, 0.3)}, fails=("same_recall_at_precision", "same_ranking"),
                   reason="with the positives' cloud stretched along x₁ the best linear direction depends on how the "
                          "classes are weighted: the losses rank differently"),
    Counterfactual({"CUMULATIVE_GAMMAS": (2.0, 1.0, 0.5, 0.0)},
                   fails=("gamma_concentrates_loss", "negatives_feel_gamma_more"),
                   reason="reversed, the claims compare γ = 0 against γ = 2: the easy examples' share grows"),
]

# the focal loss with its modulating factor turned the wrong way: pₜ^γ, so easy examples keep their loss
EASY_FOCUSED = ("lambda logits, target, alpha=0.25, gamma=2.0, reduction='mean': "
                "(lambda z, t: (lambda v: v if reduction == 'none' else (v.mean() if reduction == 'mean' else v.sum()))("
                "original(z, t, alpha=alpha, gamma=0.0, reduction='none') "
                "* mg.where(t == 1, z.sigmoid(), 1 - z.sigmoid()) ** gamma))"
                "(logits if isinstance(logits, mg.Tensor) else mg.Tensor(np.asarray(logits, dtype=float)), np.asarray(target))")

LIBRARY_FAULTS = [
    LibraryFault({"losses.focal": "lambda logits, target, alpha=0.25, gamma=2.0, reduction='mean': "
                                  "original(logits, target, alpha=alpha, gamma=0.0, reduction=reduction)"},
                 fails=("focal_is_scaled_ce", "focal_gradient_closed_form", "reweighting_raises_recall",
                        "focal_ignores_easy_examples", "gamma_concentrates_loss", "small_alpha_cheaper_with_gamma",
                        "easy_negatives_turned_down"),
                 reason="a focal loss that ignores γ is (α-balanced) cross-entropy"),
    LibraryFault({"losses.focal": "lambda logits, target, alpha=0.25, gamma=2.0, reduction='mean': "
                                  "original(logits, target, alpha=None if alpha is None else 1 - alpha, gamma=gamma, "
                                  "reduction=reduction)"},
                 fails=("reweighting_raises_recall", "alpha_weights_minority"),
                 reason="α applied to the negatives: α = 0.75 now weights the rare class down"),
    LibraryFault({"losses.focal": EASY_FOCUSED},
                 fails=("focal_is_scaled_ce", "focal_ignores_easy_examples", "easy_negatives_turned_down"),
                 reason="(pₜ)^γ instead of (1 − pₜ)^γ turns the hard examples down, not the easy ones"),
    LibraryFault({"losses.binary_cross_entropy_with_logits":
                  "lambda logits, target, pos_weight=None, reduction='mean': original(logits, target, reduction=reduction)"},
                 fails=("reweighting_raises_recall", "recall_costs_precision", "reweighting_miscalibrates",
                        "log_w_recalibrates"),
                 reason="pos_weight ignored: the pos_weight model is cross-entropy, and subtracting log w miscalibrates it"),
]
