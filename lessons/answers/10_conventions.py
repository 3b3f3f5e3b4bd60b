"""Try-it answers and counterfactuals for lesson 10 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise, LibraryFault

EXERCISES = [
    Exercise(
        "A smaller Keras epsilon",
        edit={"KERAS_EPSILON": 1e-15},
        expect={"keras_is_minus_log_epsilon": False, "sweep_ours_is_clamped_log": True},
        why="Clipping p to [ε, 1 − ε] caps the loss at about −log ε: 34.5 instead of 16.1, nearer ours (100) "
            "but still a different price for the same confident mistake. And a surprise: the claim that the "
            "cap is exactly −log ε now fails. Near 1 a float64 has a spacing of 1.1e-16, so 1 − 1e-15 is "
            "stored as the nearest double and 1 − p comes out 1.1102e-15, not 1e-15: the loss is 34.53958 "
            "against −log ε = 34.53878. On the p → 0 side (the sweep) ε is represented exactly and the "
            "curve is still min(−log p, −log ε). Small epsilons near 1 are where float rounding bites.",
        explain={"keras_is_minus_log_epsilon": "1 − 1e-15 is stored as the nearest double, so the clipped loss is "
                                               "−log(1.1102e-15) = 34.5396, not −log ε = 34.5388: equal only to "
                                               "about 2e-5, far outside the 1e-8 the claim allows."}),
    Exercise(
        "Two classes",
        edit={"CLASSES": 2},
        expect={"smoothing_conventions_differ": True, "smoothing_relation": True, "ours_smoothing_is_eps_over_c": True},
        why="With C = 2, ε/C = 0.05 and ε/(C − 1) = 0.1: the wrong class gets twice as much under the second "
            "convention, so the gap between them is largest here (with C = 1000 they nearly agree). The "
            "relation still converts one into the other: ε/(C−1) smoothing with ε equals ours with 2ε."),
    Exercise(
        "Adam with a large ε",
        edit={"ADAM_EPS": 1.0},
        expect={"adam_step_unchanged": False, "sgd_step_halved": True},
        why="Adam's step is lr·m̂/(√v̂ + ε). With ε = 1e-8 the ε is nothing next to √v̂, the gradient's own "
            "size cancels, and halving the loss changes nothing. With ε = 1, ε is as large as the gradients "
            "here, so the denominator no longer scales with them: Adam moves towards SGD, and the ½ shrinks "
            "its step again, by a factor between ½ (all ε) and 1 (no ε). SGD is unchanged: the ½ still "
            "halves its step exactly.",
        explain={"adam_step_unchanged": "With ε = 1 the ½ shrinks Adam's step too, so the ratio of the two steps "
                                        "is well below 1, not within 0.001 of it."}),
    Exercise(
        "A small triplet margin",
        edit={"TRIPLET_MARGIN": 0.2},
        expect={"triplet_conventions_disagree_at_point": False, "triplet_relations": True,
                "triplet_conventions_disagree": False},
        why="At d(a,p) = 1, d(a,n) = 1.5 plain distances give max(0, 1 − 1.5 + 0.2) = 0 and squared ones "
            "max(0, 1 − 2.25 + 0.2) = 0: both are done, so the point no longer separates the conventions. "
            "Both lines move down (d_n = d_p + 0.2 and d_n² = d_p² + 0.2) and lie closer together, so on "
            "random triplets the two conventions now disagree on fewer of them (5% instead of 22%).",
        explain={"triplet_conventions_disagree_at_point": "Both conventions give loss 0 at the green point: "
                                                          "they agree there.",
                 "triplet_conventions_disagree": "Only 5% of the 200 random triplets now fall between the two "
                                                 "lines, and the claim asks for more than 5%: the conventions "
                                                 "still differ, but on too few triplets to count here."}),
]

# Exercises 1, 3 and 4 expect claims to FAIL as well (keras_is_minus_log_epsilon, adam_step_unchanged,
# triplet_conventions_disagree_at_point), so they double as counterfactuals; these add the rest.
COUNTERFACTUALS = [
    Counterfactual({"TORCH_LOG_FLOOR": -16.11809565095832}, fails=("ours_is_torch_clamp", "sweep_ours_is_clamped_log"),
                   reason="a PyTorch clamping at log 1e-7 would cap at 16.1; ours still caps at 100"),
    Counterfactual({"EPSILON": 1e-9}, fails=("smoothing_conventions_differ",),
                   reason="with almost no smoothing both conventions are plain cross-entropy"),
    Counterfactual({"NAIVE_LABELS": (1.0, -1.0)}, fails=("naive_ignores_class0", "naive_misclassifies_b"),
                   reason="given ±1 labels the naive hinge is the hinge: class 0 pushes and B is separated"),
]

LIBRARY_FAULTS = [
    LibraryFault({"losses.binary_cross_entropy": "lambda prob, target, reduction='mean': original((prob if "
                                                 "isinstance(prob, mg.Tensor) else mg.Tensor(prob)).clip(1e-7, 1 - 1e-7), "
                                                 "target, reduction=reduction)"},
                 fails=("ours_is_torch_clamp", "sweep_ours_is_clamped_log", "clamp_zeroes_the_gradient"),
                 reason="a BCE that clips p to [1e-7, 1 − 1e-7] is Keras's: 16.1, not PyTorch's 100"),
    LibraryFault({"losses.cross_entropy": "lambda logits, target, weight=None, label_smoothing=0.0, reduction='mean': "
                                          "original(logits, target, weight=weight, reduction=reduction, label_smoothing="
                                          "label_smoothing * np.shape(logits)[-1] / (np.shape(logits)[-1] - 1))"},
                 fails=("ours_smoothing_is_eps_over_c", "smoothing_conventions_differ"),
                 reason="a cross_entropy whose label_smoothing spreads ε over the C − 1 wrong classes is the other "
                        "convention: no longer the ε/C target, and no longer different from ε/(C − 1)"),
    LibraryFault({"losses.huber": "lambda pred, target, delta=1.0, reduction='mean': "
                                  "original(pred, target, delta=delta, reduction=reduction) / delta"},
                 fails=("smoothl1_is_huber_over_beta", "equal_only_at_beta_one", "gradient_scale_differs"),
                 reason="a Huber divided by δ is SmoothL1: the two conventions coincide for every β"),
    LibraryFault({"losses.contrastive": "lambda *args, **kwargs: 0.5 * original(*args, **kwargs)"},
                 fails=("half_is_ours_over_two", "half_at_d_one_half", "sgd_step_halved"),
                 reason="a contrastive loss with Hadsell's ½ is the other convention: ours / 2 is no longer its half"),
    LibraryFault({"losses.hinge": "lambda scores, target, reduction='mean': losses.reduce.apply(mg.relu(1.0 - "
                                  "(scores if isinstance(scores, mg.Tensor) else mg.Tensor(scores)) "
                                  "* np.asarray(target, dtype=float)), reduction, fn='hinge')"},
                 fails=("ours_rejects_01_labels",),
                 reason="a hinge that never checks its labels accepts {0, 1} silently, as the naive one does"),
    LibraryFault({"losses.triplet": "lambda *args, squared=False, **kwargs: original(*args, **kwargs)"},
                 fails=("triplet_conventions_disagree_at_point", "triplet_relations", "triplet_conventions_disagree"),
                 reason="a triplet loss that ignores squared=True gives one convention under two names"),
    LibraryFault({"minigrad.optim.Adam": "lambda params, lr=1e-3, **kwargs: mg.optim.SGD(params, lr=lr)"},
                 fails=("adam_step_unchanged",),
                 reason="an 'Adam' that does not divide by the gradient's running size halves its step with the ½"),
]
