"""Try-it answers and counterfactuals for lesson 07 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise

EXERCISES = [
    Exercise(
        "Both regimes overlapping",
        edit={"SEPARATED_SPREAD": 0.6},
        expect={"batch_hard_trains_when_separated": False, "batch_hard_collapses_when_overlapping": True},
        why="With std 0.6 around centres about 1 apart the 'separated' classes overlap too, and batch-hard "
            "loses its footing there as well: on most seeds it collapses (spread about 0.002, loss stuck at "
            "m = 1), and where it does not (seed 0 in a full run) it meets the margin on only a third of the "
            "triplets. Nothing about the loss changed — only the data. That is the condition: batch-hard "
            "trains when some embedding can put every anchor's farthest positive nearer than its nearest "
            "negative, and collapses when the classes overlap."),
    Exercise(
        "Classes that touch",
        edit={"OVERLAPPING_SPREAD": 0.3},
        expect={"batch_hard_collapses_when_overlapping": False, "semi_hard_meets_margin_when_overlapping": False,
                "semi_hard_trains_on_the_circle": True},
        why="At std 0.3 the classes touch but hardly overlap, and batch-hard no longer collapses: on two of "
            "three seeds it meets the margin on every triplet, on the third it opens up to a spread near 2 "
            "and meets it on most. The comparison 'semi-hard meets the margin, batch-hard on none' fails "
            "because batch-hard now meets it too. The collapse is a property of overlapping data, not of "
            "batch-hard mining. (Semi-hard on the circle trains as before.)"),
    Exercise(
        "No unit circle",
        edit={"NORMALIZE": False},
        expect={"semi_hard_trains_on_the_circle": True, "circle_does_not_rescue_batch_hard": True},
        why="With the same margin 0.2 but no normalisation, both claims still hold — and the figure shows why "
            "normalisation matters. Semi-hard meets the margin on even more triplets (84–93% in a full run), "
            "but by stretching: its spread grows from about 0.2 to 3.5–4, where a margin of 0.2 is a small "
            "fraction of every distance. Batch-hard collapses completely on every seed (spread below 0.01), "
            "while on the circle one seed folded into two opposite clumps instead: normalisation changes how "
            "batch-hard fails on overlapping classes, not whether it fails."),
    Exercise(
        "A margin of 2.5 on the unit circle",
        edit={"UNIT_MARGIN": 2.5},
        expect={"semi_hard_trains_on_the_circle": False},
        why="On the unit circle no two embeddings are more than 2 apart, so d(a,n) − d(a,p) ≤ 2 < 2.5: no "
            "triplet can ever meet the margin, and the fraction met is 0% for every mode. Semi-hard's loss ends "
            "near 2.35: it can put the negatives a little beyond the positives, but never 2.5 beyond. On the sphere "
            "the margin must be below the diameter — FaceNet's 0.2 is a tenth of it."),
]

COUNTERFACTUALS = [
    Counterfactual({"OVERLAPPING_SPREAD": 0.15},
                   fails=("batch_hard_collapses_when_overlapping", "semi_hard_opens_when_overlapping",
                          "semi_hard_meets_margin_when_overlapping", "circle_does_not_rescue_batch_hard"),
                   reason="with separated classes in the 'overlapping' slot batch-hard trains, normalised or not"),
    Counterfactual({"MARGIN": 0.01}, fails=("semi_hard_meets_margin_by_stretching",),
                   reason="a margin of 0.01 is met by ordering alone: shrinking the embedding back costs nothing"),
    Counterfactual({"NUISANCE": 0.0}, fails=("held_out_every_mode_beats_raw",),
                   reason="without nuisance the raw input already verifies and retrieves almost perfectly"),
]
