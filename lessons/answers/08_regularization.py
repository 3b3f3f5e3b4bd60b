"""Try-it answers and counterfactuals for lesson 08 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise

EXERCISES = [
    Exercise(
        "Plain subgradient descent on the lasso",
        edit={"L1_METHOD": "subgradient"},
        expect={"l1_more_zeros_than_l2": False, "lasso_kkt": False},
        why="The L1 optimum has exact zeros, but plain gradient descent does not find them: the gradient of "
            "λ|w| is ±λ on either side of 0, so a weight near 0 is pushed across 0 and back at every step and "
            "never lands on exactly 0.0. It ends with no exact zero — as many as L2 — and because it hovers "
            "around the optimum instead of sitting on it, its answer breaks the optimality (KKT) conditions. "
            "The zeros come from the proximal step, which sets every weight within ηλ of 0 to 0.0."),
    Exercise(
        "Move the unpenalised optimum up",
        edit={"UNPENALISED_W2": 1.6},
        expect={"l1_corner_l2_not": False, "constrained_optimum_is_lowest": True},
        why="With the true second weight at 1.6 the loss ellipses sit higher, and the lowest contour that "
            "reaches the diamond touches it on its upper-right edge, not at the corner (1.3, 0): both weights "
            "stay non-zero. L1 gives sparsity when a corner is the first point a contour meets, which is "
            "likely but not guaranteed. The projected gradient descent still finds the best boundary point."),
    Exercise(
        "Elastic net with all of its weight on L1",
        edit={"L1_SHARE": 1.0},
        expect={"elastic_net_groups": False, "elastic_net_zeros": True, "elastic_net_jumps_by_its_l1_part": True},
        why="With L1_SHARE = 1 elastic net is the lasso: it still zeroes irrelevant features, but it no longer "
            "shares the weight of the correlated pair — it keeps one of x₀, x₁ and drops the other, exactly as "
            "L1 does. The grouping comes from the L2 part. Its gradient now jumps by the full 2λ."),
    Exercise(
        "A ten times wider prior",
        edit={"PRIOR_STD": 1.0},
        expect={"laplace_prior_sparse": False, "gaussian_map_is_ridge": True},
        why="The Laplace threshold σ²/(nb) shrinks with the prior's width b = τ/√2: from 0.059 to 0.0059. "
            "Every least-squares weight here is larger than that (the noise alone makes them about σ/√n ≈ 0.06 "
            "in size), so no MAP weight is exactly 0. A weak prior is weak regularisation: sparsity needs "
            "the prior's peak to hold the small weights. The Gaussian MAP is still the ridge solution, with λ = σ²/τ² = 0.25."),
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
    Counterfactual({"DECAY": 0.0}, fails=("adamw_differs_from_adam_l2",),
                   reason="without decay Adam and AdamW are the same optimizer"),
    Counterfactual({"SMOOTHNESS": 0.0}, fails=("smoothness_beats_l2",),
                   reason="without the penalty the estimate is the noisy data"),
]
