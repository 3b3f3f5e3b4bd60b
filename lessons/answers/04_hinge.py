"""Try-it answers and counterfactuals for lesson 04 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise, LibraryFault

EXERCISES = [
    Exercise(
        "A stronger penalty, λ = 10",
        edit={"LAMBDA": 10.0},
        expect={"svm_is_sparse": True, "svm_needs_only_support_vectors": True},
        why="A larger λ makes ‖w‖ more expensive than a few points inside the margin, so ‖w‖ shrinks and the "
            "margin lines f = ±1, 2/‖w‖ apart, move apart. More points now sit inside them and carry gradient "
            "(about a quarter instead of one in ten), but the hinge still leaves most points at exactly zero: the "
            "solution is less sparse, still sparse. And it is still decided by its support vectors alone."),
    Exercise(
        "Drop some support vectors too",
        edit={"KEEP_BELOW": 0.5},
        expect={"svm_needs_only_support_vectors": False},
        why="The points with 0.5 ≤ m < 1 are support vectors: they pull on the optimum. Drop them and the optimum "
            "moves — with only two or three points left the SVM changes by more than the size of (w, b) itself. "
            "Only the points with zero gradient (m > 1) are free to remove.",
        explain={"svm_needs_only_support_vectors":
                 "It fails for the SVM's half: the dropped points with 0.5 ≤ m < 1 had a hinge gradient of exactly −1, "
                 "so they were pulling on (w, b); without them the SVM moves by far more than 1%."}),
    Exercise(
        "Two small penalties, λ = 0.03 and 0.1",
        edit={"LAMBDAS": (0.03, 0.1)},
        expect={"hinge_finds_widest_gap": True, "margin_widens_with_lambda": False},
        why="Both λ are below the threshold where it pays to let a point into the margin: each SVM is the "
            "hard-margin SVM, the line in the middle of the widest empty gap. The two widths are the same number "
            "(the widest gap), so the margin does not widen with λ here — it only starts growing once λ is large "
            "enough to trade points inside the margin for a smaller ‖w‖.",
        explain={"hinge_finds_widest_gap":
                 "Still holds: λ = 0.03 is even further below the threshold, so the SVM is the hard-margin one.",
                 "margin_widens_with_lambda":
                 "Fails on its last part: it starts at the widest gap and never narrows, but two small λ give the "
                 "same width, so it does not end 1.5× wider."}),
]

COUNTERFACTUALS = [
    Counterfactual({"LAMBDA": 100.0}, fails=("svm_is_sparse",),
                   reason="with a very strong penalty the margin is so wide that most points sit inside it and pull"),
    Counterfactual({"KEEP_BELOW": 0.5}, fails=("svm_needs_only_support_vectors",),
                   reason="dropping support vectors moves the SVM's optimum"),
    Counterfactual({"LAMBDAS": (1.0, 10.0)}, fails=("hinge_finds_widest_gap",),
                   reason="λ = 1 is past the threshold: the soft margin is wider than the widest empty gap"),
    Counterfactual({"LAMBDAS": (0.05, 0.1)}, fails=("margin_widens_with_lambda",),
                   reason="below the threshold every λ gives the same hard-margin SVM: the width does not grow"),
    Counterfactual({"WORKED_TARGET": 1}, fails=("cs231n_worked_scores",),
                   reason="with the second class true, the hinge charges 0.42 and cross-entropy 0.46, not 1.58 and 1.04"),
    Counterfactual({"RESCALE_POWER": 2}, fails=("margin_one_costs_nothing",),
                   reason="λ·Δ² over-penalises: the data term scales by Δ too, so only λ·Δ gives the same line"),
]

# the logistic loss log(1 + e^−m), written as the hinge's signature: labels ±1 mapped to {0, 1}
LOGISTIC_AS_HINGE = ("lambda scores, target, reduction='mean': "
                     "losses.binary_cross_entropy_with_logits(scores, (np.asarray(target) + 1) / 2, reduction=reduction)")

LIBRARY_FAULTS = [
    LibraryFault({"losses.hinge": LOGISTIC_AS_HINGE},
                 fails=("hinge_bounds_zero_one", "hinge_stops_pulling", "hinge_not_differentiable", "svm_is_sparse",
                        "svm_needs_only_support_vectors", "hinge_finds_widest_gap", "margin_widens_with_lambda"),
                 reason="the hinge replaced by the logistic loss: no kink, no zero gradient, no support vectors, "
                        "no widest gap"),
    LibraryFault({"losses.squared_hinge": "losses.hinge"}, fails=("squared_hinge_smooth",),
                 reason="the squared hinge replaced by the plain hinge keeps its kink"),
    LibraryFault({"losses.multiclass_hinge": "lambda scores, target, margin=1.0, reduction='mean': "
                                             "original(scores, target, margin=margin, reduction=reduction) + margin"},
                 fails=("cs231n_worked_scores",), holds=("margin_one_costs_nothing",),
                 reason="the sum also runs over j = y, adding Δ to every sample: the worked value is 2.58; "
                        "a constant does not move the optimum, so the margin claim still holds"),
    LibraryFault({"losses.multiclass_hinge": "lambda scores, target, margin=1.0, reduction='mean': "
                                             "original(scores, target, margin=1.0, reduction=reduction)"},
                 fails=("margin_one_costs_nothing",), holds=("cs231n_worked_scores",),
                 reason="a multiclass hinge that ignores its margin: margin 3 with λ is then margin 1 with λ"),
    LibraryFault({"losses.cross_entropy": "lambda logits, target, reduction='mean', **kw: "
                                          "-(mg.Tensor(logits) * np.eye(np.shape(logits)[-1])[np.asarray(target)])"
                                          ".sum(axis=-1).mean()"},
                 fails=("cs231n_worked_scores",),
                 reason="cross-entropy without the softmax normaliser is −s_y = −0.28, not 1.04"),
]
