"""Try-it answers and counterfactuals for lesson 03 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise, LibraryFault

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
        expect={"bce_constant_is_frequency": False, "ce_constant_is_frequencies": False,
                "fit_reaches_entropy_floor": False},
        explain={"bce_constant_is_frequency": "focal loss's best constant is pulled toward 0.5, away from the "
                                              "observed frequency.",
                 "ce_constant_is_frequencies": "the focal fit pulls the class probabilities toward uniform.",
                 "fit_reaches_entropy_floor": "a constant that is not the observed frequency pays a KL above the "
                                              "entropy floor: cross-entropy = entropy + KL, and KL is 0 only at "
                                              "p = ȳ."},
        why="Focal loss multiplies each term by (1 − pₜ)^γ, which shrinks the charge of whichever class the "
            "constant already favours. Its minimum is no longer the maximum-likelihood point: the fitted "
            "probability moves toward 0.5 (for 1s seen 25% of the time it lands near 0.40), and the class "
            "probabilities move toward uniform. Focal loss is not a likelihood; lesson 05 uses it anyway, for "
            "what it does to hard examples."),
    Exercise(
        "Race against the multiclass hinge",
        edit={"RIVAL": "multiclass hinge"},
        expect={"ce_learns_faster": False},
        explain={"ce_learns_faster": "the hinge's gradient does not fade on a confident mistake either, so it "
                                     "reaches 90% as fast as cross-entropy (or a step faster)."},
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
    Counterfactual({"CONSTANT_LOSS": "focal"},
                   fails=("bce_constant_is_frequency", "ce_constant_is_frequencies", "fit_reaches_entropy_floor"),
                   reason="focal loss is not a likelihood: its best constant is pulled toward 0.5, and its "
                          "cross-entropy sits a KL above the entropy floor"),
    Counterfactual({"RIVAL": "multiclass hinge"}, fails=("ce_learns_faster",),
                   reason="the hinge's gradient does not fade on confident mistakes either"),
    Counterfactual({"FAR_LOGIT": -30.0}, fails=("naive_breaks_logit_form_exact",),
                   reason="e^30 does not overflow: the naive form is still finite at z = −30"),
]

UNNORMALISED_CE = ("lambda z, y, reduction='mean', **kw: (lambda per: per.mean() if reduction == 'mean' else "
                   "per.sum() if reduction == 'sum' else per)(-(z * np.eye(z.shape[-1])[np.asarray(y)]).sum(axis=-1))")

LIBRARY_FAULTS = [
    LibraryFault({"losses.cross_entropy": UNNORMALISED_CE},
                 fails=("ce_learns_faster", "ce_is_minus_log_softmax", "ce_constant_is_frequencies"),
                 reason="cross-entropy without its softmax normaliser (−z_y) pushes every true score up without "
                        "bound: the labels' likelihood is never what it minimises"),
    LibraryFault({"losses.binary_cross_entropy": "losses.mse"},
                 fails=("bce_is_minus_log", "confident_wrong_penalised", "ce_is_entropy_plus_kl"),
                 reason="BCE replaced by squared error on the probability: no log, no entropy, no KL"),
    LibraryFault({"losses.binary_cross_entropy_with_logits":
                  "lambda z, y, reduction='mean', pos_weight=None: losses.binary_cross_entropy("
                  "mg.sigmoid(z if isinstance(z, mg.Tensor) else mg.Tensor(np.asarray(z))), y, reduction=reduction)"},
                 fails=("naive_breaks_logit_form_exact", "float32_breaks_sooner"),
                 reason="BCE from the logit computed naively, through σ(z): the log saturates at the clamp"),
    LibraryFault({"losses.categorical_cross_entropy":
                  "lambda p, y, reduction='mean': original(p, np.roll(np.asarray(y), 1, axis=-1), reduction=reduction)"},
                 fails=("ce_is_entropy_plus_kl",),
                 reason="categorical CE that reads the wrong class no longer splits into entropy + KL"),
]
