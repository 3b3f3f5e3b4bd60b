"""Try-it answers and counterfactuals for lesson 05 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise

EXERCISES = [
    Exercise(
        "Focus harder, γ = 5",
        edit={"GAMMA": 5.0},
        expect={"reweighting_raises_recall": True, "focal_ignores_easy_examples": True},
        why="γ = 5 turns an example with pₜ = 0.9 down by 0.1⁵ = 10⁻⁵ instead of 10⁻², so the easy examples' share "
            "of the gradient drops from about 3% to 0.0%. The model listens almost only to the hard examples — mostly "
            "positives and the negatives near them — so its threshold moves a little further toward the negatives: "
            "recall of the rare class rises a few points over γ = 2 (precision falls a little). It does not find the "
            "rare class 'much' better: the direction was already right, only the offset moves."),
    Exercise(
        "pos_weight = 1",
        edit={"POS_WEIGHT": 1.0},
        expect={"reweighting_raises_recall": False, "recall_costs_precision": False, "same_ranking": True},
        why="With w = 1 the positive term is multiplied by 1: pos_weight BCE is plain cross-entropy, and it trains to "
            "exactly cross-entropy's recall and precision. So 'each re-weighted loss finds more of the rare class than "
            "cross-entropy' fails — for this one, not for α-balanced CE or focal. The ranking (AP) is still the same."),
    Exercise(
        "Classes further apart, separation 3",
        edit={"SEPARATION": 3.0},
        expect={"reweighting_raises_recall": True, "recall_costs_precision": False, "same_ranking": True},
        why="With less overlap every loss does better (AP about 0.97) and re-weighting still raises recall. But the "
            "price in precision now depends on the loss: pos_weight and α-balanced CE still pay (their thresholds move "
            "deep into the negatives), while focal loss keeps cross-entropy's precision of about 1.00 on some seed — "
            "so 'each pays with lower precision' fails. When the classes barely overlap, focusing on the few hard "
            "examples moves the threshold into the empty space between them."),
    Exercise(
        "The α rows flipped",
        edit={"ALPHAS": (0.75, 0.5, 0.25)},
        expect={"alpha_weights_minority": False},
        why="The claim compares the last α of the list with the first: now α = 0.25 against α = 0.75, and α = 0.25 "
            "finds far less of the rare class at every γ. α is a class weight: a larger α gives each positive more "
            "weight relative to each negative, which moves the threshold toward the negatives and raises recall."),
]

COUNTERFACTUALS = [
    Counterfactual({"POS_WEIGHT": 1.0}, fails=("reweighting_raises_recall", "recall_costs_precision"),
                   reason="pos_weight = 1 is plain cross-entropy: nothing is re-weighted"),
    Counterfactual({"GAMMA": 0.0},
                   fails=("reweighting_raises_recall", "focal_ignores_easy_examples", "easy_negatives_turned_down"),
                   reason="focal loss with γ = 0 and no α is cross-entropy"),
    Counterfactual({"ALPHAS": (0.75, 0.5, 0.25)}, fails=("alpha_weights_minority",),
                   reason="flipped, the claim asks α = 0.25 to find more positives than α = 0.75"),
    Counterfactual({"CUMULATIVE_GAMMAS": (2.0, 1.0, 0.5, 0.0)},
                   fails=("gamma_concentrates_loss", "negatives_feel_gamma_more"),
                   reason="reversed, the claims compare γ = 0 against γ = 2: the easy examples' share grows"),
]
