"""Try-it answers and counterfactuals for lesson 03 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise

EXERCISES = [
    Exercise(
        "A far more confident mistake",
        edit={"CONFIDENT_P": 1e-6},
        expect={"confident_wrong_penalised": True},
        why="Cross-entropy charges −log(1e−6) = 6 · ln 10 ≈ 13.8, fifteen times the 0.92 of the mild mistake "
            "at p = 0.4, and it would keep growing without limit as p → 0. Squared error charges "
            "(1 − 1e−6)² ≈ 1.00: no more than 2.8 times the mild mistake's 0.36, however confident the model."),
    Exercise(
        "Fit the constant with focal loss",
        edit={"CONSTANT_LOSS": "focal"},
        expect={"bce_constant_is_frequency": False, "ce_constant_is_frequencies": False},
        why="Focal loss multiplies each term by (1 − pₜ)^γ, which shrinks the charge of whichever class the "
            "constant already favours. Its minimum is no longer the maximum-likelihood point: the fitted "
            "probability moves toward 0.5 (for 1s seen 25% of the time it lands near 0.40), and the class "
            "probabilities move toward uniform. Focal loss is not a likelihood; lesson 05 uses it anyway, for "
            "what it does to hard examples."),
    Exercise(
        "Race against the multiclass hinge",
        edit={"RIVAL": "multiclass hinge"},
        expect={"ce_learns_faster": False},
        why="The hinge's gradient is ±1 on every violated margin, however confident the mistake, so it does "
            "not fade the way squared error on probabilities does. From the same wrong start it reaches 90% "
            "as fast as cross-entropy or a step faster. What makes cross-entropy fast here is a gradient that "
            "stays large on confident mistakes — and the hinge has that too. Cross-entropy's other strength, "
            "probabilities that are maximum-likelihood estimates (part 3), the hinge does not give."),
    Exercise(
        "A start that is wrong but unsure",
        edit={"INIT_SCALE": 0.1},
        expect={"ce_learns_faster": True},
        why="With small logits softmax is near uniform, p(1 − p) is not small, and squared error's gradient "
            "has not faded: it needs only a few steps. Cross-entropy still gets there first, but the gap "
            "shrinks from about 65 steps to two (1 step against 3). The saturation that slows squared error is the "
            "confident-wrong case."),
]

COUNTERFACTUALS = [
    Counterfactual({"CONFIDENT_P": 0.35}, fails=("confident_wrong_penalised",),
                   reason="two mild mistakes: squared error's ratio (0.42/0.36) exceeds cross-entropy's (1.05/0.92)"),
    Counterfactual({"WRONG_LOGIT": 0.0}, fails=("ce_pushes_confident_wrong",),
                   reason="at z = 0 nothing is saturated: −0.5 against −0.25, not a factor 100"),
    Counterfactual({"CONSTANT_LOSS": "focal"}, fails=("bce_constant_is_frequency", "ce_constant_is_frequencies"),
                   reason="focal loss is not a likelihood: its best constant is pulled toward 0.5"),
    Counterfactual({"RIVAL": "multiclass hinge"}, fails=("ce_learns_faster",),
                   reason="the hinge's gradient does not fade on confident mistakes either"),
    Counterfactual({"FAR_LOGIT": -30.0}, fails=("naive_breaks_logit_form_exact",),
                   reason="e^30 does not overflow: the naive form is still finite at z = −30"),
]
