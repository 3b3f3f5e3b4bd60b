"""Try-it answers and counterfactuals for lesson 08 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise, LibraryFault

EXERCISES = [
    Exercise(
        "Plain subgradient descent on the lasso",
        edit={"L1_METHOD": "subgradient"},
        expect={"l1_more_zeros_than_l2": False, "lasso_kkt": False, "l1_zeros_are_irrelevant_features": False},
        why="The L1 optimum has exact zeros, but plain gradient descent does not find them: the gradient of "
            "λ|w| is ±λ on either side of 0, so a weight near 0 is pushed across 0 and back at every step and "
            "never lands on exactly 0.0. It ends with no exact zero — as many as L2 — and because it hovers "
            "around the optimum instead of sitting on it, its answer breaks the optimality (KKT) conditions. "
            "The zeros come from the proximal step, which sets every weight within ηλ of 0 to 0.0.",
        explain={
            "l1_more_zeros_than_l2": "Subgradient descent leaves no coefficient at exactly 0.0, and neither does "
                                     "L2: 0 against 0 is not more.",
            "lasso_kkt": "The weights that should be 0 hover near it instead, so there the optimality condition "
                         "(|∂mse/∂w| ≤ λ at a zero, −λ·sign(w) elsewhere) is broken by a wide margin.",
            "l1_zeros_are_irrelevant_features": "This claim needs at least one zero to judge which features L1 "
                                                "drops; with no zero at all there is no feature selection to speak "
                                                "of, so it fails for that reason, not because a relevant feature was dropped.",
        }),
    Exercise(
        "Move the unpenalised optimum up",
        edit={"UNPENALISED_W2": 1.6},
        expect={"l1_corner_l2_not": False, "constrained_optimum_is_lowest": True},
        why="With the true second weight at 1.6 the loss ellipses sit higher, and the lowest contour that "
            "reaches the diamond touches it on its upper-right edge, not at the corner (1.3, 0): both weights "
            "stay non-zero. L1 gives sparsity when a corner is the first point a contour meets, which is "
            "likely but not guaranteed. The projected gradient descent still finds the best boundary point.",
        explain={"l1_corner_l2_not": "The L1-constrained optimum now sits on an edge of the diamond, so w₂ is "
                                     "not 0."}),
    Exercise(
        "Elastic net with all of its weight on L1",
        edit={"L1_SHARE": 1.0},
        expect={"elastic_net_groups": False, "elastic_net_zeros": True, "elastic_net_jumps_by_its_l1_part": True},
        why="With L1_SHARE = 1 elastic net is the lasso: it still zeroes irrelevant features, but it no longer "
            "shares the weight of the correlated pair — it keeps one of x₀, x₁ and drops the other, exactly as "
            "L1 does. The grouping comes from the L2 part. Its gradient now jumps by the full 2λ.",
        explain={"elastic_net_groups": "All-L1 elastic net is the lasso, so its pair ratio equals L1's: no more "
                                       "even than L1's, let alone by 0.1."}),
    Exercise(
        "A ten times wider prior",
        edit={"PRIOR_STD": 1.0},
        expect={"laplace_prior_sparse": False, "gaussian_map_is_ridge": True},
        why="The Laplace threshold σ²/(nb) shrinks with the prior's width b = τ/√2: from 0.059 to 0.0059. "
            "Every least-squares weight here is larger than that (the noise alone makes them about σ/√n ≈ 0.06 "
            "in size), so no MAP weight is exactly 0. A weak prior is weak regularisation: sparsity needs "
            "the prior's peak to hold the small weights. The Gaussian MAP is still the ridge solution, with λ = σ²/τ² = 0.25.",
        explain={"laplace_prior_sparse": "No least-squares weight is inside the threshold 0.0059, so the Laplace "
                                         "MAP has no zero either: 0 against 0."}),
]

# Exercises 1-4 expect claims to FAIL as well (lasso_kkt, l1_corner_l2_not, elastic_net_groups,
# laplace_prior_sparse), so they double as counterfactuals; these add the rest.
COUNTERFACTUALS = [
    Counterfactual({"COMPARED": ("L2", "L1")}, fails=("l1_more_zeros_than_l2",),
                   reason="swapped, the claim says L2 gives more zeros than L1: it never does"),
    Counterfactual({"L1_SHARE": 0.0}, fails=("elastic_net_zeros", "elastic_net_jumps_by_its_l1_part"),
                   reason="all-L2 elastic net is ridge: smooth, no exact zeros"),
    Counterfactual({"L2_LAMBDA": 1e-12}, fails=("l2_lowers_test_error",),
                   reason="no penalty, no cure for over-fitting"),
    Counterfactual({"DECAY": 0.0}, fails=("same_lambda_not_same_shrinkage",),
                   reason="at λ = 0 neither optimizer shrinks: Adam + L2 keeps all of the least-squares size too"),
    Counterfactual({"STEPS": 10}, fails=("lambda_sets_shrinkage", "adamw_differs_from_adam_l2"),
                   reason="after 10 steps nothing has converged: how far each run got depends on the learning "
                          "rate, and Adam + L2 is nowhere near its ridge optimum"),
    Counterfactual({"FEATURE_SCALES": (1.0, 1.0, 1.0, 1.0)}, fails=("adamw_differs_from_adam_l2",),
                   reason="with features of one scale ridge shrinks every weight by the same fraction, and AdamW, "
                          "whose decay bites the largest weight w₀ = 3 most, keeps less of w₀ than ridge"),
    Counterfactual({"SMOOTHNESS": 0.0}, fails=("smoothness_beats_l2",),
                   reason="without the penalty the estimate is the noisy data"),
]

LIBRARY_FAULTS = [
    LibraryFault({"losses.l1_penalty": "losses.regularization.l2_penalty",
                  "losses.l2_penalty": "losses.regularization.l1_penalty"},
                 fails=("l2_gradient_continuous", "l1_more_zeros_than_l2", "lasso_kkt", "all_zero_above_lambda_max",
                        "gaussian_map_is_ridge", "laplace_map_is_soft_threshold", "laplace_prior_sparse",
                        "l2_lowers_test_error"),
                 reason="L1 and L2 swapped: the L1 step moves each weight by 2λw, which never reaches 0, so the "
                        "lasso has no zeros, and 'ridge' trained with l2_penalty is a lasso"),
    LibraryFault({"minigrad.optim.AdamW": "lambda params, **kw: original(params, **{**kw, 'weight_decay': 0.0})"},
                 fails=("adamw_differs_from_adam_l2",),
                 reason="an AdamW that never decays does not shrink at all: there is no matched shrinkage to compare"),
    LibraryFault({"minigrad.optim.AdamW": "mg.optim.Adam"}, fails=("adamw_differs_from_adam_l2",),
                 reason="an AdamW whose decay is added to the gradient is Adam + L2: at matched shrinkage both "
                        "land on the same ridge optimum"),
    LibraryFault({"minigrad.optim.Adam": "lambda params, weight_decay=0.0, **kw: original(params, **kw)"},
                 fails=("adam_weight_decay_is_l2",),
                 reason="an Adam that drops its weight_decay is no longer Adam on the L2-penalised loss"),
    LibraryFault({"minigrad.optim.SGD": "lambda params, lr, momentum=0.0, weight_decay=0.0: original(params, lr, momentum)"},
                 fails=("sgd_decay_is_l2",),
                 reason="an SGD that drops its weight_decay leaves the L2 penalty and the decoupled decay alone"),
    LibraryFault({"losses.l2_penalty": "lambda params, lam: original(params, 2 * lam)"},
                 fails=("gaussian_map_is_ridge", "sgd_decay_is_l2", "adam_weight_decay_is_l2"),
                 reason="a penalty of 2λΣw² is a different ridge: it no longer matches the MAP, weight_decay=λ, "
                        "or the closed form"),
]
